"""Remove goals, actions and meetings deleted more than RESTORE_DAYS days ago. Run daily (cron, systemd timer)."""

from django.core.management.base import BaseCommand

from actionplans.models import RESTORE_DAYS
from actionplans.services import purge_deleted


class Command(BaseCommand):
    help = f"Verwijder doelen, actiepunten en bijeenkomsten die langer dan {RESTORE_DAYS} dagen in de prullenbak staan."

    def handle(self, *args, **options):
        goals, actions, meetings = purge_deleted()
        self.stdout.write(f"{goals} doelen, {actions} actiepunten en {meetings} bijeenkomsten definitief verwijderd.")
