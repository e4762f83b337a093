"""Forms for the voorgesprekken. They only validate; services do the writing."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.fields import (
    TOO_LONG,
    EditVersionMixin,
    MemberField,
    PlainDateField,
    VersionField,
    reject_impossible_ids,
    require_a_version,
)

from .content import load_agenda
from .models import MAX_AGREEMENT_TEXT, MAX_DATES, MAX_NOTE, MAX_SHORT, Decision, Kind


def _text(label, *, max_length, required=False, rows=3, help_text="", strip=True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        strip=strip,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": max_length}),
        error_messages={"max_length": TOO_LONG, "required": _("Vul dit in.")},
    )


class MembersField(forms.ModelMultipleChoiceField):
    """People of this school (someone from elsewhere is simply not a choice)."""

    def __init__(self, *, school, **kwargs):
        queryset = get_user_model().objects.filter(memberships__school=school).order_by("name", "email")
        super().__init__(queryset=queryset, widget=forms.CheckboxSelectMultiple, **kwargs)
        self.error_messages["invalid_choice"] = _("Kies alleen mensen van deze school.")
        self.error_messages["invalid_pk_value"] = _("Kies alleen mensen van deze school.")

    def _check_values(self, value):
        reject_impossible_ids(self, value)
        return super()._check_values(value)  # type: ignore[misc]  # private Django method, not in django-stubs

    def label_from_instance(self, obj):
        return obj.display_name


class DatesField(forms.Field):
    """One or more meeting dates, from several <input type="date" name="dates">."""

    widget = forms.MultipleHiddenInput  # rendered by hand in the template

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        values = [v for v in value if isinstance(v, str) and v.strip()]
        if len(values) > MAX_DATES:
            raise forms.ValidationError(_("Gebruik maximaal %(n)d gespreksdatums.") % {"n": MAX_DATES})
        field = PlainDateField()
        dates, errors = [], []
        for raw in values:
            try:
                dates.append(field.clean(raw[:30]))
            except forms.ValidationError as exc:
                errors.append(f"{raw[:30]}: {' '.join(exc.messages)}")
        if errors:
            raise forms.ValidationError(errors)
        return sorted(set(dates))

    def validate(self, value):
        if not value:
            raise forms.ValidationError(_("Vul minstens één gespreksdatum in."))


class ConversationForm(EditVersionMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort gesprek"),
        choices=Kind.choices,
        initial=Kind.VERKENNEND,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Kies een soort gesprek uit de lijst."),
            "required": _("Kies een soort gesprek."),
        },
    )
    dates = DatesField(
        label=_("Gespreksdatums"),
        help_text=_("Het gesprek kan meerdere afspraken beslaan. Laat een vak leeg als je het niet nodig hebt."),
    )
    version = VersionField()

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"] = MembersField(
            school=school,
            label=_("Wie zitten er aan tafel?"),
            required=False,
            help_text=_("Bijvoorbeeld: directie, externe trainer(s), MT-leden en (mogelijke) kartrekkers."),
        )
        self.order_fields(["kind", "dates", "participants", "version"])

    def date_values(self) -> list[str]:
        """What the date inputs show: the submitted values (kept on error) or the initial dates, plus empty ones."""
        if self.is_bound:
            values = [v[:30] for v in self.data.getlist("dates")] if hasattr(self.data, "getlist") else []
        else:
            values = [d.isoformat() for d in self.initial.get("dates", [])]
        values = [v for v in values if v.strip()]
        return values + [""] * max(1, 3 - len(values)) if len(values) < MAX_DATES else values


class NoteForm(forms.Form):
    question = forms.ChoiceField(
        choices=lambda: [(c, c) for c in load_agenda().question_codes],
        error_messages={
            "invalid_choice": _("Deze vraag staat niet op de gespreksagenda."),
            "required": _("Deze vraag staat niet op de gespreksagenda."),
        },
    )
    text = _text(_("Aantekeningen"), max_length=MAX_NOTE, rows=3, strip=False)
    version = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        widget=forms.HiddenInput,
        error_messages={
            key: _("De versie van dit formulier klopt niet. Laad de pagina opnieuw; je tekst blijft in deze browser.")
            for key in ("invalid", "min_value", "max_value")
        },
    )
    force_version = VersionField()  # "Mijn versie opslaan" after a conflict: the version the user has seen

    def clean(self):
        data = super().clean() or self.cleaned_data
        require_a_version(self, data)
        return data


class DecisionForm(EditVersionMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Kies Go, Twijfel of Nog open."),
            "required": _("Kies Go, Twijfel of Nog open."),
        },
    )
    follow_up_date = PlainDateField(
        label=_("Datum vervolgafspraak"),
        required=False,
        help_text=_("Nodig bij twijfel: wanneer kijken jullie samen opnieuw of het goede startpunt er is?"),
    )
    small_steps = forms.MultipleChoiceField(
        label=_("Kleine stappen die de school al zet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(s.code, s.text) for s in load_agenda().small_steps],
        error_messages={"invalid_choice": _("Kies alleen kleine stappen uit de lijst.")},
    )
    version = VersionField()

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") == Decision.TWIJFEL
            and not data.get("follow_up_date")
            and "follow_up_date" not in self.errors
        ):
            self.add_error("follow_up_date", _("Bij twijfel hoort een datum voor de vervolgafspraak."))
        return data


class AgreementForm(EditVersionMixin, forms.Form):
    what = _text(_("Wat wordt er gedaan?"), max_length=MAX_AGREEMENT_TEXT, required=True, rows=2)
    owner_text = forms.CharField(
        label=_("Of: wie (naam of groep)"),
        required=False,
        max_length=MAX_SHORT,
        help_text=_("Bijvoorbeeld de externe trainer of 'de werkgroep'."),
        error_messages={"max_length": TOO_LONG},
    )
    due_date = PlainDateField(label=_("Wanneer?"), required=False)
    support = _text(_("Welke ondersteuning is nodig?"), max_length=MAX_AGREEMENT_TEXT, rows=2)
    feedback = _text(_("Welke terugkoppeling vindt er plaats?"), max_length=MAX_AGREEMENT_TEXT, rows=2)
    version = VersionField()

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = MemberField(school=school, label=_("Wie doet het?"))
        self.order_fields(["what", "owner", "owner_text", "due_date", "support", "feedback", "version"])

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not (data.get("owner_text") or "").strip() and "owner" not in self.errors:
            self.add_error("owner", _("Kies wie dit doet, of vul een naam of groep in."))
        return data
