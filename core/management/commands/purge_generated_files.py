"""Remove generated export files older than GENERATED_FILES_KEEP_HOURS (core.generated). Run daily."""

from django.core.management.base import BaseCommand

from core.generated import purge


class Command(BaseCommand):
    help = "Verwijder gemaakte exportbestanden (PDF, Word, Excel) die ouder zijn dan GENERATED_FILES_KEEP_HOURS."

    def handle(self, *args, **options):
        n = purge()
        self.stdout.write(f"{n} gemaakte bestanden verwijderd.")
