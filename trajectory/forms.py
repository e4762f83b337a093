"""Forms for the route. They only validate; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import EditVersionMixin, MemberField, PlainDateField, VersionField, text_field

from .models import MAX_NOTE, StepStatus


class StartForm(EditVersionMixin, forms.Form):
    training_start = PlainDateField(
        label=_("Wanneer start de teamtraining (gepland)?"),
        help_text=_(
            "De datum van de eerste trainingsbijeenkomst. Alle stappen krijgen hun datum vanaf hier, zoals het "
            "handboek ze plant; je kunt ze daarna per stap verschuiven."
        ),
        error_messages={"required": _("Vul de geplande start van de teamtraining in.")},
    )
    version = VersionField()


class StepForm(EditVersionMixin, forms.Form):
    """Editors change everything; the owner of a step (``owner_only``) only its status and note."""

    status = forms.ChoiceField(label=_("Status"), choices=StepStatus.choices, widget=forms.RadioSelect)
    note = text_field(
        _("Notitie"),
        help_text=_("Bijvoorbeeld wat er is afgesproken, of waarom deze stap niet van toepassing is."),
        max_length=MAX_NOTE,
        rows=3,
    )
    start_date = PlainDateField(label=_("Gepland vanaf"), error_messages={"required": _("Vul een datum in.")})
    due_date = PlainDateField(label=_("Klaar uiterlijk"), error_messages={"required": _("Vul een datum in.")})
    version = VersionField()

    def __init__(self, *args, school, owner_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_only = owner_only
        self.fields["owner"] = MemberField(school=school, label=_("Wie pakt dit op?"))
        if owner_only:
            for name in ("start_date", "due_date", "owner"):
                del self.fields[name]
        self.order_fields(["status", "owner", "start_date", "due_date", "note", "version"])

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("Deze datum ligt voor 'Gepland vanaf'. Kies een latere datum."))
        return data

    def step_fields(self, step) -> dict:
        d = self.cleaned_data
        fields = {"status": d["status"], "note": d["note"]}
        if self.owner_only:
            fields |= {"start_date": step.start_date, "due_date": step.due_date, "owner": step.owner}
        else:
            fields |= {"start_date": d["start_date"], "due_date": d["due_date"], "owner": d["owner"]}
        return fields
