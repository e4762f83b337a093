"""`manage.py scheduler`: queue the daily jobs of groeiwijzer/scheduler.py when they are due (loops until stopped)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from groeiwijzer.scheduler import SCHEDULE, run_due_jobs


class Command(BaseCommand):
    help = "Zet de dagelijkse taken (opschonen) op tijd in de wachtrij van de worker; draait tot hij gestopt wordt."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60, help="seconds between two looks at the clock")
        parser.add_argument("--once", action="store_true", help="queue what is due now, then stop")

    def handle(self, *args, interval: float, once: bool, **options):
        self.running = True
        if not once:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, self._stop)
            jobs = ", ".join(f"{j.command} {j.at:%H:%M}" for j in SCHEDULE)
            self.stdout.write(f"Scheduler: {jobs} (daily, {timezone.get_current_timezone_name()})")
        queued_on: dict = {}
        while self.running:
            if not once:
                close_old_connections()  # a long-lived process: drop connections the database has closed
            try:
                for job in run_due_jobs(timezone.now(), queued_on):
                    self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} queued {job.command}")
            except Exception as exc:  # a database that is briefly away: try again at the next tick
                self.stderr.write(f"Scheduler: could not queue jobs ({type(exc).__name__}: {exc})")
            if once:
                break
            self._sleep(interval)

    def _stop(self, signum, frame):
        self.running = False

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self.running and time.monotonic() < end:
            time.sleep(min(1.0, end - time.monotonic()))
