"""What moves the benchmark's figures, caught where it is written: a new BenchmarkChange row (a new version of the
cached figures, research.benchmark) in the same transaction as the change, so the two commit or roll back together.

Connected in ResearchConfig.ready(): research sits above assessments and organisations and listens to their models,
so their services need not know about the benchmark. What the figures depend on (research/benchmark.py): the closed
rounds of opted-in schools (status, counting date, school) and those schools' opt-in and onderwijstype. Agreed
phases change only while a round is not closed, so its closing covers them.

Not caught: writes that send no signal (``QuerySet.update`` of those fields, ``bulk_create`` of closed rounds, raw
SQL such as the COPY of ``manage.py seed_scale``). The product makes none of these on those fields; the cached
figures also expire after research.benchmark.CACHE_SECONDS.
"""

from __future__ import annotations

import uuid

from django.db.models.signals import post_delete, post_save

from assessments.models import Round, RoundStatus
from organisations.models import School

from .models import BenchmarkChange

PRUNE_EVERY = 500  # each PRUNE_EVERY-th change removes the rows before it (only the newest is read)
SCHOOL_FIELDS = {"benchmark_opt_in", "education_type"}


def new_version() -> str:
    """Start a new version of the benchmark's figures; returns its token."""
    change = BenchmarkChange.objects.create(token=uuid.uuid4().hex)
    if change.pk % PRUNE_EVERY == 0:
        BenchmarkChange.objects.filter(pk__lt=change.pk).delete()
    return change.token


def round_saved(sender, instance: Round, update_fields=None, **kwargs) -> None:
    # Closed now (closing, or a closed round changed in the admin), or its status changed (reopening).
    if instance.status == RoundStatus.CLOSED or (update_fields is not None and "status" in update_fields):
        new_version()


def round_deleted(sender, instance: Round, **kwargs) -> None:
    if instance.status == RoundStatus.CLOSED:
        new_version()


def school_saved(sender, instance: School, update_fields=None, **kwargs) -> None:
    if update_fields is None or SCHOOL_FIELDS & set(update_fields):
        new_version()


def school_deleted(sender, instance: School, **kwargs) -> None:
    new_version()


def connect() -> None:
    post_save.connect(round_saved, sender=Round, dispatch_uid="research.benchmark.round_saved")
    post_delete.connect(round_deleted, sender=Round, dispatch_uid="research.benchmark.round_deleted")
    post_save.connect(school_saved, sender=School, dispatch_uid="research.benchmark.school_saved")
    post_delete.connect(school_deleted, sender=School, dispatch_uid="research.benchmark.school_deleted")
