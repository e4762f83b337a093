"""Anonymous for ever from the first saved answer or priority, not only from the first submission (review finding
2): an anonymous round in which someone has saved anything (a draft counts) is locked now. People wrote those drafts
under "anoniem"; the round can no longer become named before they submit."""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone


def lock_rounds_with_input(apps, schema_editor):
    Round = apps.get_model("assessments", "Round")
    Answer = apps.get_model("assessments", "Answer")
    Priority = apps.get_model("assessments", "Priority")
    Round.objects.filter(anonymous=True, anonymity_locked_at=None).filter(
        Exists(Answer.objects.filter(participant__round=OuterRef("pk")))
        | Exists(Priority.objects.filter(participant__round=OuterRef("pk")))
    ).update(anonymity_locked_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_participant_user_protect"),
    ]

    operations = [
        migrations.RunPython(lock_rounds_with_input, migrations.RunPython.noop),
    ]
