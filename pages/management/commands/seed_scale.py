"""`manage.py seed_scale --schools 9000 --years 5`: a country of schools to measure at national scale (issue 15,
part 3). What it makes and how: pages/seed_scale.py. Refuses a database that already holds schools or people unless
--force; prints its progress, the time it took and three logins for the benchmarks (scripts/bench_scale.py)."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from pages import seed_scale


class Command(BaseCommand):
    help = (
        "Vul de database met een land vol scholen (besturen, teams, rondes, actieplannen, routes, training) om op "
        "landelijke schaal te meten. Weigert een database met scholen of personen, tenzij --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=9000, help="aantal scholen (standaard 9000)")
        parser.add_argument("--years", type=int, default=5, help="schooljaren met een ronde, dit jaar meegeteld")
        parser.add_argument("--seed", type=int, default=2026, help="dezelfde seed (en dag) geeft hetzelfde land")
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="JJJJ-MM-DD")
        parser.add_argument("--batch", type=int, default=200, help="scholen per transactie")
        parser.add_argument("--force", action="store_true", help="ook als de database al gegevens heeft")
        parser.add_argument("--no-vacuum", action="store_true", help="geen VACUUM (ANALYZE) na afloop")

    def handle(self, *args, **options):
        if options["schools"] < 1 or options["years"] < 1 or options["batch"] < 1:
            raise CommandError("--schools, --years en --batch moeten minstens 1 zijn.")
        if seed_scale.has_data() and not options["force"]:
            raise CommandError(
                "Deze database heeft al scholen of personen: niets gedaan. Gebruik een lege database "
                "(manage.py migrate) of voeg toe met --force."
            )
        started = time.perf_counter()

        def out(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        out(f"Een land van {options['schools']} scholen × {options['years']} schooljaren (seed {options['seed']}):")
        logins = seed_scale.seed(
            schools=options["schools"],
            years=options["years"],
            seed=options["seed"],
            today=options["today"] or timezone.localdate(),
            batch=options["batch"],
            out=out,
        )
        written = time.perf_counter() - started
        if not options["no_vacuum"]:
            seed_scale.vacuum_analyze(out)
        total = time.perf_counter() - started
        out("")
        for table, n in seed_scale.table_counts():
            out(f"  {table:<40} {seed_scale.dots(n):>12}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                out(f"Grootte van de database: {cursor.fetchone()[0]}")
        out(f"Klaar in {total:.0f} s (schrijven {written:.0f} s).")
        out(f"\nLogins (wachtwoord voor iedereen: {seed_scale.PASSWORD})")
        out(f"  kartrekker                      {logins.kartrekker}  (school {logins.school_id})")
        out(f"  deelnemer van een open ronde    {logins.participant}  (nog niets ingevuld)")
        out(f"  bestuurder van het grootste bestuur {logins.board_member}  (bestuur {logins.big_board_id})")
