"""Forms for the questionnaire. They only validate; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import TOO_LONG, PlainDateField

from .content import DONT_KNOW, load_content
from .models import MAX_OWN_ITEM_TEXT, MAX_RESPONDENTS_MINIMUM, MIN_RESPONDENTS, OwnGroup, SurveyKind

MIN_MESSAGE = _("Het minimum is %(limit_value)s deelnemers of meer: minder kan niet, dan zijn antwoorden te herleiden.")


class SurveyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort meting"),
        choices=SurveyKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een soort meting."), "invalid_choice": _("Kies een soort meting.")},
    )
    school_year = forms.RegexField(
        label=_("Schooljaar"),
        regex=r"^20\d\d-20\d\d$",
        max_length=9,
        help_text=_("Bijvoorbeeld ‘2026-2027’."),
        widget=forms.TextInput(attrs={"maxlength": 9}),
        error_messages={
            "required": _("Vul het schooljaar in."),
            "invalid": _("Schrijf het schooljaar als ‘2026-2027’."),
            "max_length": _("Schrijf het schooljaar als ‘2026-2027’."),
        },
    )
    planned_on = PlainDateField(
        label=_("Gepland op"),
        required=False,
        help_text=_("Voor de nulmeting: vóór de start van de teamtraining."),
    )
    min_respondents = forms.IntegerField(
        label=_("Minimum aantal deelnemers voor resultaten"),
        initial=MIN_RESPONDENTS,
        min_value=MIN_RESPONDENTS,
        max_value=MAX_RESPONDENTS_MINIMUM,
        help_text=_(
            "Resultaten verschijnen pas na het sluiten en alleen als minstens zoveel mensen meededen. "
            "Het minimum is 5; hoger mag."
        ),
        error_messages={
            "required": _("Vul een minimum in (5 of meer)."),
            "invalid": _("Vul een heel getal in (5 of meer)."),
            "min_value": MIN_MESSAGE,
            "max_value": _("Kies een minimum van hoogstens %(limit_value)s deelnemers."),
        },
    )


class OwnItemForm(forms.Form):
    text = forms.CharField(
        label=_("Vraag"),
        help_text=_("Schrijf een uitspraak in de ik-vorm, te beantwoorden van ‘helemaal oneens’ tot ‘helemaal eens’."),
        max_length=MAX_OWN_ITEM_TEXT,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_OWN_ITEM_TEXT}),
        error_messages={"max_length": TOO_LONG, "required": _("Schrijf de vraag op.")},
    )
    group = forms.ChoiceField(
        label=_("Onderdeel"),
        choices=OwnGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een onderdeel."), "invalid_choice": _("Kies een onderdeel.")},
    )


class AnswersForm(forms.Form):
    """One radio group per item of the survey's snapshot, named after the item key; every item may be skipped."""

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        content = load_content()
        scale = [(c.value, f"{c.value} {c.label}") for c in content.scale] + [(DONT_KNOW, content.dont_know_label)]
        knowledge = [(c.value, c.label) for c in content.knowledge_scale]
        self.groups = []
        for group in survey.items.get("groups", []):
            rows = []
            for aspect in group["aspects"]:
                for item in aspect["items"]:
                    key = item["key"]
                    self.fields[key] = forms.ChoiceField(
                        label=item["text"],
                        choices=scale if group["kind"] == "scale" else knowledge,
                        required=False,
                        widget=forms.RadioSelect,
                        error_messages={
                            "invalid_choice": _("Kies een getal van 1 tot en met 5 of ‘weet ik niet / n.v.t.’.")
                            if group["kind"] == "scale"
                            else _("Kies ‘nog niet’, ‘ken ik’ of ‘ken ik en pas ik toe’.")
                        },
                    )
                    rows.append({"key": key, "own": aspect.get("own", False)})
            self.groups.append({**group, "rows": rows})

    def bound_groups(self):
        return [{**g, "rows": [{**r, "field": self[r["key"]]} for r in g["rows"]]} for g in self.groups]

    def answers(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value}
