"""Heavy exports made by the background worker, kept per version of their content: a web worker never makes them.

A round's PDF report takes a second on a quiet machine and several under load; made inside a sync web worker, a few
people downloading at once stall the site. So an export view describes the file (``GeneratedFileSpec``) and calls
``respond``:

- the file for the current content version exists: it is sent at once (one row read from the database);
- it does not exist yet: a ``GeneratedFile`` row is created and the task ``build_generated_file`` queued (the worker,
  ``manage.py db_worker``, makes it); the person gets the page "Het bestand wordt gemaakt…", which asks again every
  two seconds (htmx) and has a "Vernieuwen" link without JavaScript, and offers the file when it is ready;
- making it failed (or took longer than ``GENERATED_FILE_TIMEOUT`` seconds): the page says so and offers
  "Opnieuw proberen" (a POST to the same address).

The content version (``GeneratedFileSpec.version``) is whatever the export shows, in a few cheap values (the rows'
``version`` sums, latest ``updated_at``, counts, names, the day for what depends on today); it is hashed together with
``code_version()`` (the source, templates, content files and translations of this installation) and the kind and
variant, so an edit, a rename or a new release makes a new file and a stale one is never sent. The ``variant`` keeps
apart what differs between viewers (a board viewer's round export holds no individual answers): the view decides it
with the same access check as before, the builder gets it as an argument.

The bytes are stored in the database (``BinaryField``), so every app server sends the file the worker made. After a
new version is made the older versions of the same file are removed; ``manage.py purge_generated_files`` (daily)
removes what is older than ``GENERATED_FILES_KEEP_HOURS``.

With a task backend that runs tasks at once (the tests' ImmediateBackend) the file is made inside the request and
sent right away. This module imports no domain app: the builders live in the apps (``@file_builder``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.tasks import task
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.module_loading import import_string

from .models import FileStatus, GeneratedFile

logger = logging.getLogger(__name__)

WAIT_PARAM = "wacht"  # ?wacht=1: the status page, never the file itself
DEFAULT_TIMEOUT = 10 * 60  # seconds: a file not made by then counts as failed (e.g. no worker running)
DEFAULT_KEEP_HOURS = 48
POLL_SECONDS = 2

# What goes into code_version(): the files that decide what an export looks like.
_CODE_SUFFIXES = (".py", ".html", ".json", ".css", ".mo")
_CODE_SKIP = {"tests", "scripts", "node_modules", "staticfiles", "media", "__pycache__", "locale-src", "vendor"}


class State:
    """What the page shows: one of these."""

    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


def file_builder(fn: Callable[..., bytes]) -> Callable[..., bytes]:
    """Mark a function as one the worker may call to make a file (keyword arguments: JSON values; returns bytes)."""
    fn.generates_file = True  # type: ignore[attr-defined]
    return fn


def builder_path(fn: Callable[..., bytes]) -> str:
    if not getattr(fn, "generates_file", False):
        raise ValueError(f"{fn!r} is not marked with @file_builder")
    return f"{fn.__module__}.{fn.__qualname__}"


def _resolve(path: str) -> Callable[..., bytes]:
    fn = import_string(path)
    if not getattr(fn, "generates_file", False):  # only our own builders, whatever a row says
        raise ValueError(f"{path} is not a file builder")
    return fn


def _code_roots() -> list[Path]:
    """The installed apps of this project (not the installed packages), the templates, translations and static
    folders."""
    from django.apps import apps

    base = Path(settings.BASE_DIR).resolve()
    roots = {Path(app.path).resolve() for app in apps.get_app_configs()}
    for config in settings.TEMPLATES:
        roots.update(Path(d).resolve() for d in cast(list, config.get("DIRS", [])))
    roots.update(Path(d).resolve() for d in (*settings.LOCALE_PATHS, *getattr(settings, "STATICFILES_DIRS", ())))
    ours = [root for root in roots if root.is_relative_to(base) and root.is_dir()]
    return sorted(
        r for r in ours if not any(p.startswith(".") or p == "site-packages" for p in r.relative_to(base).parts)
    )


@cache
def code_version() -> str:
    """A hash of this installation's source, templates, content files, stylesheets and compiled translations.

    A new release (or a changed template) gives other files: the content version includes it. Computed once per
    process (about 500 files, a few tens of milliseconds)."""
    base = Path(settings.BASE_DIR).resolve()
    digest = hashlib.sha256()
    for root in _code_roots():
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if d not in _CODE_SKIP and not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith(_CODE_SUFFIXES):
                    path = Path(dirpath) / name
                    digest.update(str(path.relative_to(base)).encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class GeneratedFileSpec:
    """What an export view asks for.

    ``kind``: what file (``round.pdf``); ``object_id``: of what; ``variant``: for which kind of viewer;
    ``version``: JSON values that change whenever what the file shows changes (see the module docstring);
    ``builder``: a ``@file_builder`` function, called by the worker as ``builder(**params)``;
    ``filename``, ``content_type``: of the download; ``label``: the file in Dutch for the waiting page ("Rapport
    (PDF)"), ``title``: what it is of ("Afgesloten ronde"); ``back_url``/``back_label``: the page it belongs to."""

    kind: str
    object_id: int
    variant: str
    version: Any
    builder: Callable[..., bytes]
    params: dict
    filename: str
    content_type: str
    label: str
    title: str
    back_url: str
    back_label: str
    fingerprint: str = field(init=False)

    def __post_init__(self):
        payload = json.dumps(
            [code_version(), self.kind, self.variant, self.version], default=str, sort_keys=True, ensure_ascii=True
        )
        object.__setattr__(self, "fingerprint", hashlib.sha256(payload.encode()).hexdigest())

    @property
    def key(self) -> dict:
        return {"kind": self.kind, "object_id": self.object_id, "variant": self.variant}


def timeout() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "GENERATED_FILE_TIMEOUT", DEFAULT_TIMEOUT)))


def _current(spec: GeneratedFileSpec) -> GeneratedFile | None:
    """The row of this content version, without its bytes."""
    return GeneratedFile.objects.defer("content").filter(**spec.key, fingerprint=spec.fingerprint).first()


def state_of(row: GeneratedFile) -> str:
    if row.status == FileStatus.READY:
        return State.READY
    if row.status == FileStatus.FAILED or row.created_at < timezone.now() - timeout():
        return State.FAILED  # failed, or still not made long after it was asked for (no worker?)
    return State.PENDING


def start(spec: GeneratedFileSpec) -> GeneratedFile:
    """The row of this content version, created and its task queued when there is none yet.

    Five people asking at once get one row and one task (the unique key); the task row is written in the same
    transaction as the file's row (django-tasks-db), so a worker never finds a task without its row."""
    row = _current(spec)
    if row is not None:
        return row
    try:
        with transaction.atomic():
            row = GeneratedFile.objects.create(
                **spec.key,
                fingerprint=spec.fingerprint,
                builder=builder_path(spec.builder),
                params=spec.params,
            )
            build_generated_file.enqueue(row.pk)
    except IntegrityError:  # someone else asked for it a moment earlier
        row = _current(spec)
        assert row is not None
        return row
    row.refresh_from_db(fields=["status", "finished_at", "size"])  # a backend that runs at once: made already
    return row


def retry(spec: GeneratedFileSpec) -> GeneratedFile:
    """Forget a failed (or stuck) file of this content version and ask for it again."""
    row = _current(spec)
    if row is not None and state_of(row) == State.FAILED:
        GeneratedFile.objects.filter(pk=row.pk).delete()
    return start(spec)


def file_response(content: bytes, spec: GeneratedFileSpec) -> HttpResponse:
    response = HttpResponse(content, content_type=spec.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=spec.filename)
    add_never_cache_headers(response)  # a school's results and plans: not for shared caches
    return response


def respond(request, spec: GeneratedFileSpec, *, on_download: Callable[[], object]) -> HttpResponse:
    """The export view's answer (after its access check): the file, or the page that waits for it (see above).

    ``on_download`` runs when the file itself is sent (the audit row of the download)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    wait_url = f"{request.path}?{WAIT_PARAM}=1"
    if request.method == "POST":  # "Opnieuw proberen"
        retry(spec)
        return redirect(wait_url)
    row = start(spec)
    state = state_of(row)
    is_htmx = bool(getattr(request, "htmx", False))
    waiting = is_htmx or WAIT_PARAM in request.GET
    if state == State.READY and not waiting:
        content = GeneratedFile.objects.values_list("content", flat=True).get(pk=row.pk)
        on_download()
        return file_response(bytes(content), spec)
    if is_htmx and state == State.PENDING:
        response = HttpResponse(status=204)  # nothing new: the page keeps asking, a screen reader hears nothing
    else:
        context = {
            "spec": spec,
            "state": state,
            "download_url": request.path,
            "wait_url": wait_url,
            "poll_seconds": POLL_SECONDS,
        }
        template = "core/_generated_file_status.html" if is_htmx else "core/generated_file.html"
        response = render(request, template, context, status=202 if state == State.PENDING else 200)
    add_never_cache_headers(response)
    return response


@task()
def build_generated_file(file_id: int) -> str:
    """Make one file (the worker): call its builder, store the bytes, drop the older versions of the same file."""
    row = GeneratedFile.objects.defer("content").filter(pk=file_id).first()
    if row is None or row.status != FileStatus.PENDING:
        return "gone" if row is None else row.status
    try:
        builder = _resolve(row.builder)
        # A savepoint: a database error inside the builder leaves this transaction usable (a backend that runs
        # the task inside the request). Dutch, whatever the worker's environment says.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            content = builder(**row.params)
        if not isinstance(content, bytes):
            raise TypeError(f"{row.builder} returned {type(content).__name__}, not bytes")
    except Exception:
        logger.exception("Generating %s of %s (%s) failed", row.kind, row.object_id, row.variant or "-")
        GeneratedFile.objects.filter(pk=row.pk, status=FileStatus.PENDING).update(
            status=FileStatus.FAILED, finished_at=timezone.now()
        )
        return FileStatus.FAILED
    made = GeneratedFile.objects.filter(pk=row.pk, status=FileStatus.PENDING).update(
        status=FileStatus.READY, content=content, size=len(content), finished_at=timezone.now()
    )
    if not made:
        return "gone"
    # The older versions of this file are of no use any more (a pending one is left to its own task).
    GeneratedFile.objects.filter(
        kind=row.kind, object_id=row.object_id, variant=row.variant, created_at__lte=row.created_at
    ).exclude(pk=row.pk).exclude(status=FileStatus.PENDING).delete()
    return FileStatus.READY


def forget(*, kinds: tuple[str, ...], object_ids) -> int:
    """Remove the files of these objects at once (a school that leaves takes its reports with it)."""
    deleted, _ = GeneratedFile.objects.filter(kind__in=kinds, object_id__in=list(object_ids)).delete()
    return deleted


def purge(now=None) -> int:
    """Remove files older than GENERATED_FILES_KEEP_HOURS (made or not); returns how many rows went."""
    now = now or timezone.now()
    hours = int(getattr(settings, "GENERATED_FILES_KEEP_HOURS", DEFAULT_KEEP_HOURS))
    deleted, _ = GeneratedFile.objects.filter(created_at__lt=now - timedelta(hours=hours)).delete()
    return deleted
