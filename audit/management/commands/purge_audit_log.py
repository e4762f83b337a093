"""Remove audit rows older than AUDIT_RETENTION_DAYS (audit.retention). Run daily."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from audit.retention import purge_old_events, retention_days


class Command(BaseCommand):
    help = "Verwijder regels uit het logboek die ouder zijn dan de bewaartermijn (AUDIT_RETENTION_DAYS)."

    def handle(self, *args, **options):
        try:
            n = purge_old_events()
        except ImproperlyConfigured as exc:
            raise CommandError(f"Niets verwijderd: de bewaartermijn is te kort. {exc}") from exc
        self.stdout.write(f"{n} logregels ouder dan {retention_days()} dagen verwijderd.")
