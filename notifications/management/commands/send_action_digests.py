"""`manage.py send_action_digests`: a daily job of the scheduler (groeiwijzer/scheduler.py) that sends on Mondays;
see notifications/services.py."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand

from notifications.services import send_action_digests


class Command(BaseCommand):
    help = (
        "Stuur op maandag ieder zijn eigen actiepunten die te laat zijn of binnen een week af moeten "
        "(één keer per week)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="as if it were this day (YYYY-MM-DD)")
        parser.add_argument("--any-weekday", action="store_true", help="also when it is not Monday")

    def handle(self, *args, today=None, any_weekday=False, **options):
        sent = send_action_digests(today=today, any_weekday=any_weekday)
        self.stdout.write(f"{sent} e-mail(s) in de wachtrij gezet")
