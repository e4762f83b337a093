"""Participant.shown_role_group: the role group a shown submission is counted in, frozen when it is shown (issue 13).

Submissions shown before this migration get the group of the person's membership now (the first that matches:
schoolleiding > kartrekker or werkgroeplid > trainer > team; no membership: team), the same mapping as
organisations.rolegroups, written out here so the migration does not change when that code does."""

from django.db import migrations, models


def group_of(m):
    if m is None:
        return "team"
    if m.is_schoolleiding:
        return "schoolleiding"
    if m.is_kartrekker or m.is_werkgroeplid:
        return "kartrekkers_werkgroep"
    if m.is_trainer_intern or m.is_trainer_extern:
        return "trainers"
    return "team"


def fill(apps, schema_editor):
    Participant = apps.get_model("assessments", "Participant")
    Membership = apps.get_model("organisations", "Membership")
    shown = Participant.objects.filter(shown_at__isnull=False).select_related("round")
    memberships = {(m.school_id, m.user_id): m for m in Membership.objects.all()}
    by_group = {}
    for p in shown:
        by_group.setdefault(group_of(memberships.get((p.round.school_id, p.user_id))), []).append(p.pk)
    for group, pks in by_group.items():
        Participant.objects.filter(pk__in=pks).update(shown_role_group=group)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0009_consensus_phase_range_differences"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="shown_role_group",
            field=models.CharField(blank=True, default="", editable=False, max_length=24),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
