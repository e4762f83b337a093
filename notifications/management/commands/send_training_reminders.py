"""`manage.py send_training_reminders`: a daily job of the scheduler (groeiwijzer/scheduler.py).

See notifications/services.py."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from notifications.services import send_training_reminders


class Command(BaseCommand):
    help = (
        "Herinner de groep en de trainers twee dagen voor een sessie van de teamtraining, en de deelnemers en trainers "
        "van een sessie van de training voor nieuwe medewerkers van een bestuur (elk één keer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="as if it were this day (YYYY-MM-DD)")

    def handle(self, *args, today=None, **options):
        sent = send_training_reminders(today=today)
        self.stdout.write(f"{sent} e-mail(s) in de wachtrij gezet")
