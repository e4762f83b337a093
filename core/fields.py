"""Form fields every app uses: dates in a sane range, a person of this school, a form's version, long texts.

They answer bad input with a Dutch message (never a 500): a year like 99999, an id larger than a database key,
someone of another school, a text over its limit.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1  # the largest key a database column can hold; beyond it SQLite raises OverflowError
MIN_YEAR, MAX_YEAR = 2000, 2100
TOO_LONG = _("Gebruik maximaal %(limit_value)d tekens (nu %(show_value)d).")


def _is_number(text: str) -> bool:
    """Plain digits 0-9. str.isdigit() also accepts "²" or "١", which int() then refuses with a ValueError."""
    return text.isascii() and text.isdigit()


def reject_impossible_ids(field, values):
    """Keys beyond 64 bits make SQLite raise OverflowError; they are simply not a valid choice."""
    for value in values:
        if _is_number(str(value).strip()) and int(value) > MAX_ID:
            raise forms.ValidationError(
                field.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(value)[:30]}
            )


class Textarea(forms.Textarea):
    """Django's textarea with the same HTML, built without the template engine: a page with many of them (a growth
    layer of the fill-in has two per accent) renders each in microseconds instead of through two templates."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        # As django/forms/widgets/attrs.html: True gives the bare name, False leaves the attribute out.
        html_attrs = "".join(
            f" {escape(key)}" if val is True else f' {escape(key)}="{escape(val)}"'
            for key, val in final.items()
            if val is not False and val is not None
        )
        return mark_safe(f'<textarea name="{escape(name)}"{html_attrs}>\n{escape(value) if value else ""}</textarea>')  # noqa: S308


class HandbookSelect(forms.Select):
    """A choice list whose options are the handbook's own names (an accent, a kind of training session): Dutch in
    every language, so each option is marked lang="nl"; the values in ``ours`` (the empty choice, "Andere sessie")
    are our own text and follow the page's language."""

    def __init__(self, attrs=None, choices=(), ours=("",)):
        super().__init__(attrs, choices)
        self.ours = frozenset(str(v) for v in ours)

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) not in self.ours:
            option["attrs"] = {"lang": "nl", **option["attrs"]}
        return option


def text_field(label, *, help_text="", required=False, max_length, rows=2):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
        error_messages={"max_length": TOO_LONG, "required": _("Vul dit in.")},
    )


def title_field(label, help_text="", *, max_length):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=max_length,
        widget=forms.TextInput(attrs={"maxlength": max_length}),
        error_messages={"max_length": TOO_LONG, "required": _("Vul dit in.")},
    )


class PlainDateField(forms.DateField):
    """A date between 2000 and 2100, with a Dutch message for anything else."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {"invalid": _("Vul een geldige datum in, bijvoorbeeld 15-03-2027.")}

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Kies een datum tussen %(min)d en %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        return value


class MemberField(forms.ModelChoiceField):
    """Someone of this school (a person from elsewhere is simply not a choice)."""

    def __init__(self, *, school, label, required=False, **kwargs):
        queryset = get_user_model().objects.filter(memberships__school=school).order_by("name", "email")
        super().__init__(queryset=queryset, label=label, required=required, empty_label=_("— niemand gekozen —"))
        self.error_messages["invalid_choice"] = _("Kies iemand van deze school.")

    def to_python(self, value):
        if value not in self.empty_values:
            reject_impossible_ids(self, [value])
        return super().to_python(value)

    def label_from_instance(self, obj):
        return obj.display_name


MISSING_VERSION = _(
    "Dit formulier is niet volledig verstuurd: het versienummer ontbreekt. Er is niets opgeslagen. "
    "Laad de pagina opnieuw en probeer het nog eens."
)


class EditVersionMixin(forms.Form):
    """A form opened on an existing item (its initial data has a version) must send that version back. Without it a
    save could overwrite someone else's change unseen, so a missing version is an error, not "no check".
    Form classes list it first in their bases; their own clean() must call super().clean()."""

    def clean(self):
        data = super().clean() or self.cleaned_data
        if self.initial.get("version") is not None and not self.has_error("version") and data.get("version") is None:
            self.add_error(None, MISSING_VERSION)
        return data


def require_a_version(form, data: dict, names=("version", "force_version")) -> None:
    """For autosave forms, which are always about an existing text: one of the version fields must be there."""
    if not any(form.has_error(n) for n in names) and all(data.get(n) is None for n in names):
        form.add_error(None, MISSING_VERSION)


class VersionField(forms.IntegerField):
    """The version of the item the form was loaded with (optimistic locking); hidden."""

    widget = forms.HiddenInput

    def __init__(self):
        super().__init__(label=_("Versie van het formulier"), required=False, min_value=1, max_value=2**31 - 1)
