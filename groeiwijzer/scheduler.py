"""Daily jobs: `manage.py scheduler` loops and, once a day at each job's time, queues it as a background task.

The worker (`manage.py db_worker`) runs the queued jobs, so a slow purge never holds up the scheduler, and a job that
fails is recorded in the task queue like any other task. One line per job in `SCHEDULE`: the management command, the
local time (TIME_ZONE) from which it is due each day, and its arguments.

The scheduler remembers in memory which jobs it queued today; a restart after a job's time queues that job again
once (every job is a purge, or a reminder that records what it sent, so each may safely run twice). Run one
scheduler per installation (a second one would queue the jobs twice, which does no harm: a reminder goes out once).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from io import StringIO

from django.core.management import call_command
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    command: str
    at: datetime.time
    args: tuple[str, ...] = ()


SCHEDULE = [
    Job("purge_deleted_plan_items", datetime.time(3, 0)),  # goals, actions, meetings deleted 30+ days ago
    Job("purge_expired_logins", datetime.time(3, 5)),  # login codes, failed logins, stale invitations
    Job("purge_audit_log", datetime.time(3, 10)),  # audit rows older than the retention period
    # Finished background tasks hold the text of the mail they sent (login codes, invitation links): gone after a
    # day, failed ones after a week.
    Job("prune_db_task_results", datetime.time(3, 15), ("--min-age-days", "1", "--failed-min-age-days", "7")),
    Job("purge_generated_files", datetime.time(3, 20)),  # export files the worker made (core/generated.py)
    # Reminders (notifications/services.py): each mail once per person and occasion, however often a job runs.
    Job("send_round_deadline_reminders", datetime.time(6, 0)),  # three days before a round's deadline
    Job("send_action_digests", datetime.time(6, 5)),  # Mondays: one's own late and due-soon actions
    Job("send_training_reminders", datetime.time(6, 10)),  # two days before a training session
]


@task()
def run_command(command: str, args: list[str]) -> str:
    """A scheduled management command, as a background task; returns the end of its output."""
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()[-2000:]


def run_due_jobs(now: datetime.datetime, queued_on: dict[str, datetime.date], schedule=None) -> list[Job]:
    """Queue every job whose time of day has come and that was not queued yet today; `queued_on` is updated."""
    local = timezone.localtime(now)
    due = []
    for job in SCHEDULE if schedule is None else schedule:
        if local.time() >= job.at and queued_on.get(job.command) != local.date():
            logger.info("Queueing daily job %s", job.command)
            run_command.enqueue(job.command, list(job.args))
            queued_on[job.command] = local.date()
            due.append(job)
    return due
