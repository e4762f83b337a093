"""Forms for the leadership checklist. They only validate; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import TOO_LONG, EditVersionMixin, require_a_version

from .content import load_content
from .models import MAX_ITEM_TEXT, MAX_NOTE, MAX_ROUND_TITLE

NO_ANSWER = ""
STALE_FORM = _("Dit formulier klopt niet meer. Laad de pagina opnieuw; wat je typte, blijft in deze browser bewaard.")


def _version_field(min_value):
    return forms.IntegerField(
        label=_("Versie van het formulier"),
        required=False,
        min_value=min_value,
        max_value=2**31 - 1,
        widget=forms.HiddenInput,
        error_messages={"invalid": STALE_FORM, "min_value": STALE_FORM, "max_value": STALE_FORM},
    )


class RoundForm(forms.Form):
    title = forms.CharField(
        label=_("Naam van de ronde"),
        help_text=_("Bijvoorbeeld het schooljaar: ‘Schooljaar 2026-2027’."),
        max_length=MAX_ROUND_TITLE,
        widget=forms.TextInput(attrs={"maxlength": MAX_ROUND_TITLE}),
        error_messages={"max_length": TOO_LONG, "required": _("Geef de ronde een naam.")},
    )


class ItemForm(EditVersionMixin, forms.Form):
    text = forms.CharField(
        label=_("Uitspraak"),
        help_text=_("Schrijf in de ik-vorm, zoals de voorbeelden uit het handboek: ‘Ik …’."),
        max_length=MAX_ITEM_TEXT,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_ITEM_TEXT}),
        error_messages={"max_length": TOO_LONG, "required": _("Schrijf de uitspraak op.")},
    )
    version = _version_field(1)


class AnswersForm(forms.Form):
    """One 1-5 choice per item (or "nog geen antwoord"). Fields named after the item key."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        scale = load_content().scale
        choices = [(str(p.value), f"{p.value} {p.label}") for p in scale] + [(NO_ANSWER, _("Nog geen antwoord"))]
        self.rows = []
        for key, text, extra in items:
            self.fields[key] = forms.ChoiceField(
                label=text,
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Kies een getal van 1 tot en met 5, of ‘Nog geen antwoord’.")},
            )
            self.rows.append({"key": key, "text": text, "extra": extra})

    def bound_rows(self):
        return [{**row, "field": self[row["key"]]} for row in self.rows]

    def answers(self) -> dict:
        """{key: int or None} for the fields that were sent (autosave may send only some)."""
        return {
            key: (int(value) if value else None)
            for key, value in self.cleaned_data.items()
            if key in self.data or f"{self.prefix or ''}{key}" in self.data
        }


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Uitkomsten en afspraken"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_NOTE}),
        error_messages={"max_length": TOO_LONG},
    )
    version = _version_field(0)  # 0: nothing was written for this question yet
    force_version = _version_field(0)  # "Mijn versie opslaan" after a conflict: the version the user has seen

    def clean(self):
        data = super().clean() or self.cleaned_data
        require_a_version(self, data)
        return data
