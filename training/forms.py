"""Forms for the team training plan. They only validate; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import TOO_LONG, EditVersionMixin, HandbookSelect, PlainDateField, VersionField, reject_impossible_ids

from .content import load_content
from .models import MAX_NAME, MAX_SCHOOL_YEAR, MAX_TOPIC, MIN_SCHOOL_YEAR, AttendanceStatus
from .services import OTHER_KIND, team_memberships, trainer_users

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TIME_ERRORS = {"invalid": _("Vul een geldige tijd in, bijvoorbeeld 15:00.")}


class PeopleField(forms.ModelMultipleChoiceField):
    """People of this school, as checkboxes; anyone else is not a choice and gives a Dutch error."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, *, label, message, **kwargs):
        super().__init__(queryset=queryset, label=label, required=False, **kwargs)
        self.error_messages["invalid_choice"] = message
        self.error_messages["invalid_pk_value"] = message

    def _check_values(self, value):
        reject_impossible_ids(self, value)
        return super()._check_values(value)  # type: ignore[misc]  # private Django method, not in django-stubs

    def label_from_instance(self, obj):
        return obj.display_name


def _name(label, max_length=MAX_NAME, required=True):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs={"maxlength": max_length}),
        error_messages={"max_length": TOO_LONG, "required": _("Vul dit in.")},
    )


class PlanForm(forms.Form):
    school_year = forms.IntegerField(
        label=_("Schooljaar (beginjaar)"),
        help_text=_("Bijvoorbeeld 2026 voor schooljaar 2026-2027."),
        min_value=MIN_SCHOOL_YEAR,
        max_value=MAX_SCHOOL_YEAR,
        error_messages={
            "required": _("Vul het beginjaar van het schooljaar in."),
            "invalid": _("Vul een jaartal in, bijvoorbeeld 2026."),
            "min_value": _("Kies een schooljaar vanaf %(limit_value)s."),
            "max_value": _("Kies een schooljaar tot en met %(limit_value)s."),
        },
    )
    module1_date = PlainDateField(
        label=_("Datum van module 1 (mag leeg)"),
        required=False,
        help_text=_(
            "Leeg: elke sessie komt op een dinsdag in de maand van Tabel 4.1. Je kunt alle data daarna wijzigen."
        ),
    )
    combine_34 = forms.BooleanField(
        label=_("Module 3 en 4 op één dag (zoals in Tabel 4.1)"), required=False, initial=True
    )

    def clean(self):
        data = super().clean() or self.cleaned_data
        year, date = data.get("school_year"), data.get("module1_date")
        if year and date and not (year * 12 + 7 <= date.year * 12 + date.month - 1 <= year * 12 + 18):
            self.add_error(
                "module1_date",
                _("Kies een datum in schooljaar %(y)s (augustus %(a)d tot en met juli %(b)d).")
                % {"y": f"{year}-{year + 1}", "a": year, "b": year + 1},
            )
        return data


def kind_choices():
    return [(k.code, k.label) for k in load_content().all_kinds] + [(OTHER_KIND, _("Andere sessie"))]


class SessionFieldsForm(EditVersionMixin, forms.Form):
    """A training session's form: the team training's (SessionForm) and a board's training for new staff
    (board_forms.BoardSessionForm) differ only in whose groups and trainers may be chosen, and in their wording."""

    title = _name(_("Titel"))
    date = PlainDateField(label=_("Datum"), error_messages={"required": _("Vul een datum in.")})
    start_time = forms.TimeField(label=_("Begintijd"), required=False, widget=TIME_WIDGET, error_messages=TIME_ERRORS)
    end_time = forms.TimeField(label=_("Eindtijd"), required=False, widget=TIME_WIDGET, error_messages=TIME_ERRORS)
    location = _name(_("Locatie"), required=False)
    version = VersionField()

    def __init__(self, *args, groups, trainers, wording: dict, new=False, **kwargs):
        """wording: "group" (label), "everyone" (no group), "group_message" and "trainer_message" (refusals)."""
        super().__init__(*args, **kwargs)
        self.group_message = wording["group_message"]
        if new:
            self.fields["kind"] = forms.ChoiceField(
                label=_("Soort sessie"),
                choices=kind_choices,
                initial=OTHER_KIND,
                widget=HandbookSelect(ours=("", OTHER_KIND)),
                error_messages={"invalid_choice": _("Kies een soort sessie uit de lijst.")},
            )
        group = forms.ModelChoiceField(
            queryset=groups, label=wording["group"], required=False, empty_label=wording["everyone"]
        )
        group.error_messages["invalid_choice"] = self.group_message
        self.fields["group"] = group
        self.fields["trainers"] = PeopleField(trainers, label=_("Trainers"), message=wording["trainer_message"])
        self.order_fields(["kind", "title", "date", "start_time", "end_time", "location", "group", "trainers"])

    def clean_group(self):
        value = self.data.get(self.add_prefix("group"))
        if value and str(value).strip().isascii() and str(value).strip().isdigit() and int(value) > 2**63 - 1:
            raise forms.ValidationError(self.group_message)
        return self.cleaned_data["group"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("De eindtijd moet na de begintijd liggen."))
        if bool(start) != bool(end) and "start_time" not in self.errors and "end_time" not in self.errors:
            self.add_error("end_time", _("Vul begin- en eindtijd allebei in, of laat ze allebei leeg."))
        return data

    def session_fields(self) -> dict:
        d = self.cleaned_data
        fields = {k: d[k] for k in ("date", "start_time", "end_time", "group")}
        return fields | {"title": d["title"].strip(), "location": d["location"].strip()}


class SessionForm(SessionFieldsForm):
    """A session of the school's team training: its plan's groups, the school's trainers."""

    def __init__(self, *args, plan, new=False, **kwargs):
        super().__init__(
            *args,
            groups=plan.groups.all(),
            trainers=trainer_users(plan.school).order_by("name", "email").distinct(),
            wording={
                "group": _("Trainingsgroep"),
                "everyone": _("— het hele team —"),
                "group_message": _("Kies een trainingsgroep van dit trainingsplan."),
                "trainer_message": _("Kies als trainer iemand met de rol trainer in deze school."),
            },
            new=new,
            **kwargs,
        )


class GroupForm(EditVersionMixin, forms.Form):
    name = _name(_("Naam van de groep"))
    version = VersionField()

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        team_ids = team_memberships(plan.school).values("user_id")
        users = get_user_model().objects.filter(pk__in=team_ids).order_by("name", "email")
        self.fields["members"] = PeopleField(
            users, label=_("Deelnemers"), message=_("Kies als deelnemers alleen mensen van het team van deze school.")
        )
        self.fields["trainers"] = PeopleField(
            trainer_users(plan.school).order_by("name", "email").distinct(),
            label=_("Trainers"),
            message=_("Kies als trainer iemand met de rol trainer in deze school."),
        )


class GroupDeleteForm(forms.Form):
    """Where the sessions of a group that is removed go: another group of the plan, or the whole team."""

    WHOLE_TEAM = "team"

    def __init__(self, *args, group, n_sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.others = {str(g.pk): g for g in group.plan.groups.exclude(pk=group.pk).order_by("name", "id")}
        if n_sessions:
            self.fields["move_to"] = forms.ChoiceField(
                label=_("Waar gaan de sessies van deze groep naartoe?"),
                choices=[(self.WHOLE_TEAM, _("Naar het hele team"))]
                + [(pk, _("Naar groep %(name)s") % {"name": g.name}) for pk, g in self.others.items()],
                initial=self.WHOLE_TEAM,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Kies waar de sessies naartoe gaan."),
                    "invalid_choice": _("Kies een andere groep van dit trainingsplan, of het hele team."),
                },
            )

    def target_group(self):
        """The chosen group, or None for the whole team."""
        return self.others.get(self.cleaned_data.get("move_to", self.WHOLE_TEAM))


class AttendanceForm(forms.Form):
    """One radio group per person on the roster: aanwezig / afwezig / afgemeld / nog niet ingevuld."""

    CHOICES = [("", _("Nog niet ingevuld")), *AttendanceStatus.choices]

    def __init__(self, *args, people, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for user in people:
            self.fields[f"p{user.pk}"] = forms.ChoiceField(
                label=user.display_name,
                choices=self.CHOICES,
                required=False,
                initial=marks.get(user.pk, ""),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Kies aanwezig, afwezig of afgemeld.")},
            )

    @property
    def rows(self):
        return [(user, self[f"p{user.pk}"]) for user in self.people]

    def marks(self) -> dict:
        """Only the people whose row was sent: a row missing from the POST stays as it was."""
        sent = [user for user in self.people if self.add_prefix(f"p{user.pk}") in self.data]
        return {user.pk: self.cleaned_data[f"p{user.pk}"] for user in sent}


class ReflectionForm(forms.Form):
    again = forms.BooleanField(label=_("Nogmaals versturen (ze zijn al eens verstuurd)"), required=False)


class TopicForm(forms.Form):
    title = _name(_("Nieuw onderwerp"), max_length=MAX_TOPIC)


class SignupForm(forms.Form):
    signed_up = forms.TypedChoiceField(
        choices=[("1", _("Intekenen")), ("0", _("Uitschrijven"))],
        coerce=lambda v: v == "1",
        error_messages={
            "invalid_choice": _("Kies intekenen of uitschrijven."),
            "required": _("Kies intekenen of uitschrijven."),
        },
    )
