"""Remove old login codes, old failed logins and unanswered invitations (accounts.retention). Run daily."""

from django.core.management.base import BaseCommand

from accounts.retention import purge_expired


class Command(BaseCommand):
    help = "Verwijder oude inlogcodes, oude mislukte inlogpogingen en onbeantwoorde uitnodigingen (AVG)."

    def handle(self, *args, **options):
        n = purge_expired()
        self.stdout.write(
            f"{n['codes']} inlogcodes, {n['failures']} mislukte inlogpogingen en {n['invitations']} onbeantwoorde "
            "uitnodigingen verwijderd."
        )
