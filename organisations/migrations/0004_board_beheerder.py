"""Board members get a role (issue 14): ``Board.members`` keeps its table (Django's automatic one,
organisations_board_members), which becomes the through model ``BoardMember``; the only change in the database is
the new column ``is_beheerder`` (false for everyone who followed a board before: they stay read-only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_school_benchmark_opt_in"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="BoardMember",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "board",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="organisations.board"),
                        ),
                        (
                            "user",
                            models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL),
                        ),
                    ],
                    options={
                        "verbose_name": "bestuurslid",
                        "verbose_name_plural": "bestuursleden",
                        "db_table": "organisations_board_members",
                        "unique_together": {("board", "user")},
                    },
                ),
                migrations.AlterField(
                    model_name="board",
                    name="members",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="boards",
                        through="organisations.BoardMember",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="bestuursleden",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="boardmember",
            name="is_beheerder",
            field=models.BooleanField(
                default=False,
                help_text="Voegt scholen aan het bestuur toe, wijzigt ze en nodigt hun eerste schoolleiding uit.",
                verbose_name="bestuurder/beheerder",
            ),
        ),
    ]
