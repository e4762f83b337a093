"""Anonymity that cannot be undone: when a round first had a submission, when it became anonymous for ever, and
which submissions have been shown (see Round.anonymity_locked_at and Participant.shown_at).

Existing rounds are filled in from what is known: the earliest submission (a participant's submitted_at, or the
audit row of a submission that was later withdrawn); a round that is in the consensus or closed, or was ever in the
consensus (audit row round.consensus_started), has shown its current submissions; in an anonymous round only when
there were at least three, as the pages did.
"""

from django.db import migrations, models
from django.db.models import Min

MIN_ANONYMOUS_GROUP = 3


def fill_in(apps, schema_editor):
    Round = apps.get_model("assessments", "Round")
    Participant = apps.get_model("assessments", "Participant")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for round_ in Round.objects.all().iterator():
        rid = str(round_.pk)
        events = AuditEvent.objects.filter(object_type="assessments.round", object_id=rid)
        candidates = [
            Participant.objects.filter(round_id=round_.pk).aggregate(m=Min("submitted_at"))["m"],
            events.filter(action="participant.submitted").aggregate(m=Min("created_at"))["m"],
        ]
        first = min((c for c in candidates if c is not None), default=None)
        fields = {}
        if first is not None:
            fields["first_submitted_at"] = first
            if round_.anonymous:
                fields["anonymity_locked_at"] = first
        was_shown = round_.status != "open" or events.filter(action="round.consensus_started").exists()
        if was_shown:
            submitted = Participant.objects.filter(round_id=round_.pk, submitted_at__isnull=False)
            if not round_.anonymous or submitted.count() >= MIN_ANONYMOUS_GROUP:
                submitted.update(shown_at=first)
        if fields:
            Round.objects.filter(pk=round_.pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_save_order"),
        ("audit", "0002_board"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="shown_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="round",
            name="anonymity_locked_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="anoniem vastgezet op"),
        ),
        migrations.AddField(
            model_name="round",
            name="first_submitted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="eerste inzending op"),
        ),
        migrations.RunPython(fill_in, migrations.RunPython.noop),
    ]
