"""Forms for the action plan. They only validate; services do the writing."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import (
    TOO_LONG,
    EditVersionMixin,
    HandbookSelect,
    MemberField,
    PlainDateField,
    VersionField,
    require_a_version,
    text_field,
    title_field,
)
from ontwikkelmodel.content import load_file

from .models import MAX_MINUTES, MAX_STEPS, MAX_TEXT, MAX_TITLE, SHORT_TERM_ADVICE, ActionStatus, Term

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _text(label, *, help_text="", required=False, max_length=MAX_TEXT, rows=2):
    return text_field(label, help_text=help_text, required=required, max_length=max_length, rows=rows)


def _title(label, help_text=""):
    return title_field(label, help_text, max_length=MAX_TITLE)


def layer_choices():
    return [(layer.code, f"{layer.code}. {layer.name}") for layer in load_file().layers]


def phase_choices():
    model = load_file()
    return [("", _("— nog niet bepaald —"))] + [(str(p), model.phase_label(p)) for p in range(1, 5)]


def accent_choices():
    choices: list[tuple[str, StrOrPromise | list[tuple[str, str]]]] = [("", _("— geen accent —"))]
    for layer in load_file().layers:
        choices.append((layer.name, [(a.code, f"{a.code} {a.name}") for a in layer.accents]))
    return choices


class GoalForm(EditVersionMixin, forms.Form):
    title = _title(_("Ontwikkeldoel"), _("Wat willen we bereiken? Schrijf het zo concreet mogelijk op."))
    term = forms.ChoiceField(label=_("Termijn"), choices=Term.choices, initial=Term.SHORT, widget=forms.RadioSelect)
    layer_code = forms.ChoiceField(label=_("Groeilaag"), choices=layer_choices)
    accent_code = forms.ChoiceField(label=_("Accent"), choices=accent_choices, required=False, widget=HandbookSelect)
    monitoring = _text(
        _("Hoe monitoren we de ontwikkeling?"), help_text=_("Hoe meten we of we dichterbij komen, en wanneer?")
    )
    feedback = _text(_("Hoe koppelen we de resultaten terug aan het team?"))
    start_phase = forms.TypedChoiceField(
        label=_("Groeifase bij de start"),
        help_text=_(
            "Waar staat de school nu op dit accent? Bij een doel uit een ronde is dit de afgesproken fase; kies je "
            "een ander accent, dan neemt het doel de fase over die in die ronde voor dat accent is afgesproken."
        ),
        choices=phase_choices,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Kies groeifase 1, 2, 3 of 4.")},
    )
    version = VersionField()

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["monitored_by"] = MemberField(school=school, label=_("Wie monitort?"))
        order = ["title", "term", "layer_code", "accent_code", "start_phase", "monitoring", "monitored_by", "feedback"]
        order.append("version")
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        layer = load_file().layer(data.get("layer_code") or "")
        accent = data.get("accent_code")
        if layer and accent and accent not in [a.code for a in layer.accents]:
            self.add_error("accent_code", _("Dit accent hoort niet bij de gekozen groeilaag."))
        return data

    def goal_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"].strip(),
            "term": d["term"],
            "layer_code": d["layer_code"],
            "accent_code": d["accent_code"] or "",
            "monitoring": d["monitoring"].strip(),
            "monitored_by": d["monitored_by"],
            "feedback": d["feedback"].strip(),
            "start_phase": d["start_phase"],
        }


class StepsField(forms.CharField):
    """ "Welke stappen zijn er?": one step per line."""

    def __init__(self):
        super().__init__(
            label=_("Welke stappen zijn er?"),
            help_text=_(
                "Eén stap per regel, in de volgorde waarin je ze zet. Afgevinkte stappen blijven afgevinkt zolang "
                "hun tekst gelijk blijft; een stap die je anders opschrijft, staat weer open."
            ),
            required=False,
            max_length=MAX_STEPS * (MAX_TITLE + 1),
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"max_length": TOO_LONG},
        )

    def clean(self, value):
        value = super().clean(value)
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        if len(lines) > MAX_STEPS:
            raise forms.ValidationError(_("Gebruik maximaal %(n)d stappen.") % {"n": MAX_STEPS})
        if any(len(line) > MAX_TITLE for line in lines):
            raise forms.ValidationError(_("Houd elke stap korter dan %(n)d tekens.") % {"n": MAX_TITLE})
        return lines


class ActionForm(EditVersionMixin, forms.Form):
    title = _title(_("Actiepunt"))
    layer_code = forms.ChoiceField(
        label=_("Groeilaag"),
        choices=layer_choices,
        required=False,
        help_text=_("Hoort het actiepunt bij een doel, dan telt de groeilaag van dat doel."),
    )
    steps = StepsField()
    due_date = PlainDateField(label=_("Wanneer afgerond?"), required=False)
    monitoring = _text(_("Hoe wordt uitvoering gemonitord?"))
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    suggestion = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    version = VersionField()

    def __init__(self, *args, school, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"] = forms.ModelChoiceField(
            queryset=goals, label=_("Bij welk doel?"), required=False, empty_label=_("— geen doel —")
        )
        self.fields["goal"].error_messages["invalid_choice"] = _("Kies een doel van dit actieplan.")
        self.fields["owner"] = MemberField(school=school, label=_("Wie is verantwoordelijk?"))
        order = ["title", "goal", "layer_code", "steps", "owner", "due_date", "monitoring", "status"]
        self.order_fields(order)

    def clean_goal(self):
        value = self.data.get(self.add_prefix("goal"))
        if value and str(value).strip().isascii() and str(value).strip().isdigit() and int(value) > 2**63 - 1:
            raise forms.ValidationError(_("Kies een doel van dit actieplan."))
        return self.cleaned_data["goal"]

    def clean(self):
        data = super().clean()
        if not data.get("goal") and not data.get("layer_code") and "layer_code" not in self.errors:
            self.add_error("layer_code", _("Kies een groeilaag of een doel."))
        return data

    def action_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"].strip(),
            "goal": d["goal"],
            "layer_code": d["goal"].layer_code if d["goal"] else d["layer_code"],
            "steps": d["steps"],
            "owner": d["owner"],
            "due_date": d["due_date"],
            "monitoring": d["monitoring"].strip(),
            "status": d["status"],
        }


class UpdateForm(forms.Form):
    text = _text(_("Nieuwe update"), required=True, rows=3)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class StepForm(forms.Form):
    done = forms.BooleanField(required=False)


class MeetingForm(EditVersionMixin, forms.Form):
    date = PlainDateField(label=_("Datum"), error_messages={"required": _("Vul een datum in.")})
    start_time = forms.TimeField(
        label=_("Begintijd"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Eindtijd"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    location = forms.CharField(
        label=_("Locatie"), required=False, max_length=200, error_messages={"max_length": TOO_LONG}
    )
    version = VersionField()

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"] = MemberField(school=school, label=_("Voorzitter"))
        self.fields["timekeeper"] = MemberField(school=school, label=_("Tijdbewaker"))
        self.fields["note_taker"] = MemberField(school=school, label=_("Notulist"))
        self.order_fields(["date", "start_time", "end_time", "location", "chair", "timekeeper", "note_taker"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("De eindtijd moet na de begintijd liggen."))
        return data

    def meeting_fields(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ("date", "start_time", "end_time", "chair", "timekeeper", "note_taker")} | {
            "location": d["location"].strip()
        }


class MinutesForm(forms.Form):
    minutes = _text(_("Notulen"), max_length=MAX_MINUTES, rows=12)
    version = VersionField()
    force_version = VersionField()  # "Mijn versie opslaan" after a conflict: the version the user has seen

    def clean(self):
        data = super().clean() or self.cleaned_data
        require_a_version(self, data)
        return data


class FromRoundForm(forms.Form):
    """One row per consensus priority: take it over, with which wording and term."""

    def __init__(self, *args, items, model, taken, short_slots=SHORT_TERM_ADVICE, **kwargs):
        """short_slots: how many more short-term goals fit the handbook's advice; the highest priorities that are
        not yet goals get those, the rest start as long term (people can change every row)."""
        super().__init__(*args, **kwargs)
        self.rows = []
        for item in items:
            accent = model.accent(item.accent_code)
            if accent is None:
                continue
            key = item.accent_code.replace(".", "_")
            done = item.accent_code in taken
            self.fields[f"take_{key}"] = forms.BooleanField(
                label=_("Overnemen als doel"), required=False, initial=not done, disabled=done
            )
            self.fields[f"title_{key}"] = forms.CharField(
                label=_("Ontwikkeldoel"),
                max_length=MAX_TITLE,
                required=False,
                initial=(item.next_steps.strip() or accent.name)[:MAX_TITLE],
                error_messages={"max_length": TOO_LONG},
                disabled=done,
            )
            self.fields[f"term_{key}"] = forms.ChoiceField(
                label=_("Termijn"),
                choices=Term.choices,
                initial=Term.SHORT if not done and short_slots > 0 else Term.LONG,
                required=False,  # only needed for ticked rows (checked in clean)
                disabled=done,
            )
            if not done:
                short_slots -= 1
            self.rows.append(
                {
                    "item": item,
                    "accent": accent,
                    "done": done,
                    "take": self[f"take_{key}"],
                    "title": self[f"title_{key}"],
                    "term": self[f"term_{key}"],
                }
            )

    def clean(self):
        data = super().clean() or self.cleaned_data
        chosen = []
        for row in self.rows:
            key = row["item"].accent_code.replace(".", "_")
            if row["done"] or not data.get(f"take_{key}"):
                continue
            title = (data.get(f"title_{key}") or "").strip()
            if not title and f"title_{key}" not in self.errors:
                self.add_error(f"title_{key}", _("Schrijf het doel op, of vink het uit."))
            term = data.get(f"term_{key}")
            if not term and f"term_{key}" not in self.errors:
                self.add_error(f"term_{key}", _("Kies korte of lange termijn."))
            chosen.append({"accent_code": row["item"].accent_code, "title": title, "term": term})
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Kies minstens één prioriteit om over te nemen."))
        self.choices = chosen
        return data


class CarryOverForm(forms.Form):
    """Goals of earlier years to carry over to this round: a tick per goal (ids outside the offer are refused)."""

    goals = forms.TypedMultipleChoiceField(
        label=_("Meenemen naar deze ronde"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies minstens één doel om mee te nemen."),
            "invalid_choice": _("Dit doel kan niet worden meegenomen. Laad de pagina opnieuw."),
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        field = self.fields["goals"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(g.pk, g.title) for g in candidates]
