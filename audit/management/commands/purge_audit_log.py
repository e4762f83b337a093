"""Remove audit rows older than AUDIT_RETENTION_DAYS (audit.retention). Run daily."""

from django.core.management.base import BaseCommand

from audit.retention import purge_old_events, retention_days


class Command(BaseCommand):
    help = "Verwijder regels uit het logboek die ouder zijn dan de bewaartermijn (AUDIT_RETENTION_DAYS)."

    def handle(self, *args, **options):
        n = purge_old_events()
        self.stdout.write(f"{n} logregels ouder dan {retention_days()} dagen verwijderd.")
