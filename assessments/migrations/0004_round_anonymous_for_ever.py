"""The database itself refuses to make a locked anonymous round named again (a migration of its own: the data of
0003 is committed before the table is altered, as PostgreSQL wants)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_anonymity_for_ever"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="round",
            constraint=models.CheckConstraint(
                condition=models.Q(("anonymity_locked_at", None), ("anonymous", True), _connector="OR"),
                name="round_anonymous_for_ever",
            ),
        ),
    ]
