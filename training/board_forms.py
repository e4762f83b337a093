"""Forms for a board's training for new staff (issue 14). They only validate; training.board_services writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import EditVersionMixin, VersionField, reject_impossible_ids
from organisations.models import Membership

from .board_services import trainer_choices
from .forms import SessionFieldsForm, _name
from .models import MAX_SCHOOL_YEAR, MIN_SCHOOL_YEAR, AttendanceStatus

SCHOOLS_MESSAGE = _("Kies alleen scholen van dit bestuur.")
PEOPLE_MESSAGE = _("Kies alleen nieuwe medewerkers van de scholen van deze training.")


class _Choices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, *, label, message, required=False, **kwargs):
        super().__init__(queryset=queryset, label=label, required=required, **kwargs)
        self.error_messages["invalid_choice"] = message
        self.error_messages["invalid_pk_value"] = message

    def _check_values(self, value):
        reject_impossible_ids(self, value)
        return super()._check_values(value)  # type: ignore[misc]  # private Django method, not in django-stubs


class _SchoolChoices(_Choices):
    def label_from_instance(self, obj):
        return obj.name


class BoardTrainingForm(EditVersionMixin, forms.Form):
    title = _name(_("Titel"))
    version = VersionField()

    def __init__(self, *args, board, new=False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            self.fields["school_year"] = forms.IntegerField(
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
        schools = _SchoolChoices(
            board.schools.order_by("name", "id"),
            label=_("Scholen"),
            message=SCHOOLS_MESSAGE,
            required=True,
            help_text=_("De scholen waarvan nieuwe medewerkers meedoen."),
        )
        schools.error_messages["required"] = _("Kies minstens één school.")
        self.fields["schools"] = schools
        self.order_fields(["title", "school_year", "schools"])


class BoardGroupForm(forms.Form):
    """A group's name and its people: new staff of the training's schools, shown per school."""

    name = _name(_("Naam van de groep"))

    def __init__(self, *args, candidates, **kwargs):
        """candidates: [(school, plan, [membership, ...])] (board_services.candidates_by_school, plus the group's
        current people)."""
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        ids = [m.pk for _school, _plan, people in candidates for m in people]
        members = _Choices(Membership.objects.filter(pk__in=ids), label=_("Deelnemers"), message=PEOPLE_MESSAGE)
        self.fields["members"] = members

    def rows(self):
        """Per school: (school, plan, [(membership, checked)]), for the template's fieldsets."""
        chosen = {str(v) for v in (self["members"].value() or [])}
        return [(school, plan, [(m, str(m.pk) in chosen) for m in people]) for school, plan, people in self.candidates]


class BoardSessionForm(SessionFieldsForm):
    """A session of a board's training for new staff: its groups, trainers of its schools."""

    def __init__(self, *args, training, new=False, **kwargs):
        super().__init__(
            *args,
            groups=training.groups.all(),
            trainers=trainer_choices(training).order_by("name", "email"),
            wording={
                "group": _("Groep"),
                "everyone": _("— alle deelnemers —"),
                "group_message": _("Kies een groep van deze training."),
                "trainer_message": _("Kies als trainer iemand met de rol trainer op een school van deze training."),
            },
            new=new,
            **kwargs,
        )


class BoardAttendanceForm(forms.Form):
    """One radio group per participant: aanwezig / afwezig / afgemeld / nog niet ingevuld."""

    CHOICES = [("", _("Nog niet ingevuld")), *AttendanceStatus.choices]

    def __init__(self, *args, participants, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for p in participants:
            self.fields[f"p{p.pk}"] = forms.ChoiceField(
                label=p.membership.user.display_name,
                choices=self.CHOICES,
                required=False,
                initial=marks.get(p.pk, ""),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Kies aanwezig, afwezig of afgemeld.")},
            )

    @property
    def rows(self):
        return [(p, self[f"p{p.pk}"]) for p in self.participants]

    def marks(self) -> dict:
        """Only the rows that were sent: a row missing from the POST stays as it was."""
        sent = [p for p in self.participants if self.add_prefix(f"p{p.pk}") in self.data]
        return {p.pk: self.cleaned_data[f"p{p.pk}"] for p in sent}
