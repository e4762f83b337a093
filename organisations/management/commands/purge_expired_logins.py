"""Remove old login codes, old failed logins (accounts.retention) and unanswered invitations
(organisations.retention). Run daily. It lives here, above accounts, because it does both."""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.retention import purge_expired

from ...retention import purge_unanswered_invitations


class Command(BaseCommand):
    help = "Verwijder oude inlogcodes, oude mislukte inlogpogingen en onbeantwoorde uitnodigingen (AVG)."

    def handle(self, *args, **options):
        with transaction.atomic():
            n = purge_expired()
            n["invitations"] = purge_unanswered_invitations()
        self.stdout.write(
            f"{n['codes']} inlogcodes, {n['failures']} mislukte inlogpogingen en {n['invitations']} onbeantwoorde "
            "uitnodigingen verwijderd."
        )
