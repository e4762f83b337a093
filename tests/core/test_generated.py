"""Heavy exports are made by the background worker and kept per content version (issue 15, part 3; core/generated.py).

Most tests here use the database queue (django-tasks-db, as in development and production) and run the worker
in-process (``run_queued`` of tests/core/test_mail.py): the first download queues the file and shows the waiting
page, the worker makes it, the next request sends it. The other tests of the suite run tasks at once (conftest.py),
so there an export view makes the file inside the request and sends it straight away.
"""

from __future__ import annotations

import datetime
import io
import logging
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from actionplans import services as plan_services
from actionplans.export_files import plan_spec
from audit.models import AuditEvent
from core import generated
from core.generated import GeneratedFileSpec, build_generated_file, file_builder, start
from core.models import FileStatus, GeneratedFile
from groeiwijzer import scheduler
from tests.core.test_mail import DB_TASKS, run_queued

WAITING = "Het bestand wordt gemaakt…"
READY = "Het bestand is klaar."
FAILED = "Het bestand kon niet worden gemaakt."


@pytest.fixture
def db_queue(settings):
    settings.TASKS = DB_TASKS
    return settings


def text(response) -> str:
    return " ".join(response.content.decode().split())


def pdf_url(cast, round_=None):
    return reverse("assessments:result_pdf", args=[cast.school.pk, (round_ or cast.closed_round).pk])


def plan_url(cast, name="plan_xlsx"):
    return reverse(f"actionplans:{name}", args=[cast.school.pk])


def xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return " ".join(str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c is not None)


# The flow: queued, waiting, made, sent ---------------------------------------------------------------------------


def test_the_first_download_queues_the_file_and_the_page_waits_for_it(cast, login, db_queue):
    client = login(cast.kartrekker)
    audit_before = AuditEvent.objects.count()
    url = pdf_url(cast)

    response = client.get(url)
    assert response.status_code == 202
    assert "no-cache" in response["Cache-Control"]
    body = text(response)
    assert WAITING in body and cast.closed_round.title in body
    assert "Terug naar het resultaat" in body
    # htmx asks again every two seconds; without JavaScript the "Vernieuwen" link asks the same.
    wait_url = f"{url}?wacht=1"
    assert f'data-hx-get="{wait_url}"' in body and 'data-hx-trigger="every 2s"' in body
    assert re.search(rf'<a [^>]*href="{re.escape(wait_url)}"[^>]*>Vernieuwen</a>', body)
    assert 'role="status"' in body
    assert "<script>" not in body  # nothing inline (CSP)
    row = GeneratedFile.objects.get()
    assert (row.kind, row.object_id, row.variant, row.status) == ("round.pdf", cast.closed_round.pk, "leden", "pending")
    assert list(DBTaskResult.objects.values_list("task_path", "args_kwargs")) == [
        ("core.generated.build_generated_file", {"args": [row.pk], "kwargs": {}})
    ]
    assert AuditEvent.objects.count() == audit_before  # nothing downloaded yet

    # Others ask for the same file: the same row, the same one task.
    for who in (cast.schoolleider, cast.werkgroeplid, cast.teamlid, cast.trainer):
        assert login(who).get(url).status_code == 202
    client = login(cast.kartrekker)
    assert GeneratedFile.objects.count() == 1 and DBTaskResult.objects.count() == 1

    # The page asks (htmx): nothing new yet, so nothing to swap and nothing for a screen reader to read out.
    assert client.get(wait_url, headers={"HX-Request": "true"}).status_code == 204

    assert run_queued() == 1
    row.refresh_from_db()
    assert row.status == FileStatus.READY and row.size > 1000 and row.finished_at

    part = client.get(wait_url, headers={"HX-Request": "true"})
    assert part.status_code == 200
    assert READY in text(part) and f'href="{url}"' in text(part) and "Rapport (PDF) downloaden" in text(part)
    assert "data-hx-trigger" not in text(part)  # done: the page stops asking
    page = client.get(wait_url)  # without JavaScript: Vernieuwen
    assert page.status_code == 200 and READY in text(page)
    assert AuditEvent.objects.count() == audit_before  # still nothing downloaded

    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="afgesloten-ronde-rapport.pdf"'
    assert "no-cache" in response["Cache-Control"]
    assert AuditEvent.objects.count() == audit_before + 1  # the download is in the log, as before
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.data["file"]) == ("round.exported", "pdf")


def test_a_ready_file_is_sent_without_making_it_again(cast, login, monkeypatch, django_assert_max_num_queries):
    client = login(cast.kartrekker)
    first = client.get(plan_url(cast))
    assert first.status_code == 200

    def broken(*args, **kwargs):
        raise AssertionError("made again")

    monkeypatch.setattr("actionplans.exports.plan_xlsx", broken)
    with django_assert_max_num_queries(20):  # the access check, the content version (six), the file, the log row
        again = client.get(plan_url(cast))
    assert again.status_code == 200 and again.content == first.content


def test_the_board_never_gets_the_members_file(cast, login, db_queue):
    """The variant is part of the key: a board viewer's round export is made without individual answers."""
    url = reverse("assessments:result_xlsx", args=[cast.school.pk, cast.closed_round.pk])
    assert login(cast.kartrekker).get(url).status_code == 202
    run_queued()
    assert login(cast.kartrekker).get(url).status_code == 200
    board = login(cast.board_member)
    assert board.get(url).status_code == 202  # not the members' file: its own, still to be made
    run_queued()
    assert dict(GeneratedFile.objects.values_list("variant", "status")) == {
        "leden": "ready",
        "alleen-afspraken": "ready",
    }
    members = load_workbook(io.BytesIO(login(cast.kartrekker).get(url).content)).sheetnames
    theirs = load_workbook(io.BytesIO(login(cast.board_member).get(url).content)).sheetnames
    assert "Verdeling" in members and "Verdeling" not in theirs


def test_a_change_makes_a_new_file_and_the_old_one_is_never_sent(cast, plan, login):
    client = login(cast.kartrekker)
    before = client.get(plan_url(cast))
    assert "Rustruimte inrichten" in xlsx_text(before.content)
    plan_services.do_add_update(action=plan.action, text="Kast besteld bij de leverancier", acting_user=cast.teamlid)
    after = client.get(plan_url(cast))
    assert "Kast besteld bij de leverancier" in xlsx_text(after.content)
    assert "Kast besteld" not in xlsx_text(before.content)
    # Only the new version is kept.
    assert list(GeneratedFile.objects.values_list("kind", "status")) == [("plan.xlsx", "ready")]


def test_a_rename_makes_a_new_file(cast, plan, login):
    """Names are content too: a renamed (or erased) owner is never sent in their old name."""
    client = login(cast.kartrekker)
    assert "Tina Teamlid" in xlsx_text(client.get(plan_url(cast)).content)
    cast.teamlid.name = "Tina de Vries"
    cast.teamlid.save(update_fields=["name"])
    content = xlsx_text(client.get(plan_url(cast)).content)
    assert "Tina de Vries" in content and "Tina Teamlid" not in content


def test_a_new_release_makes_new_files(cast, login, monkeypatch):
    client = login(cast.kartrekker)
    client.get(plan_url(cast))
    fingerprint = GeneratedFile.objects.get().fingerprint
    monkeypatch.setattr(generated, "code_version", lambda: "een-andere-versie")
    client.get(plan_url(cast))
    assert GeneratedFile.objects.get().fingerprint != fingerprint


def test_code_version_is_stable_and_covers_templates(settings):
    assert generated.code_version() == generated.code_version()
    assert re.fullmatch(r"[0-9a-f]{16}", generated.code_version())


# Failures --------------------------------------------------------------------------------------------------------


def test_a_failed_file_says_so_and_can_be_tried_again(cast, login, db_queue, monkeypatch, caplog):
    client = login(cast.kartrekker)
    url = plan_url(cast)

    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr("actionplans.exports.plan_xlsx", broken)
    assert client.get(url).status_code == 202
    with caplog.at_level(logging.ERROR, logger="core.generated"):
        assert run_queued() == 1
    assert "Generating plan.xlsx" in caplog.text
    assert GeneratedFile.objects.get().status == FileStatus.FAILED

    page = client.get(url)  # the download link itself: the page that says so, never a broken file
    assert page.status_code == 200
    body = text(page)
    assert FAILED in body and "Opnieuw proberen" in body
    assert re.search(rf'<form method="post" action="{re.escape(url)}">', body)
    assert "data-hx-trigger" not in body
    part = client.get(f"{url}?wacht=1", headers={"HX-Request": "true"})
    assert part.status_code == 200 and FAILED in text(part)  # the waiting page learns it too

    monkeypatch.undo()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"{url}?wacht=1"
    assert GeneratedFile.objects.get().status == FileStatus.PENDING  # the failed one is gone, a new one queued
    assert client.get(response["Location"]).status_code == 202
    assert run_queued() == 1
    assert client.get(url)["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_file_not_made_in_time_counts_as_failed(cast, login, db_queue):
    """No worker running (or it died): after GENERATED_FILE_TIMEOUT the page stops waiting and offers to try again."""
    client = login(cast.kartrekker)
    url = plan_url(cast)
    assert client.get(url).status_code == 202
    GeneratedFile.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    part = client.get(f"{url}?wacht=1", headers={"HX-Request": "true"})
    assert part.status_code == 200 and FAILED in text(part)
    old = GeneratedFile.objects.get().pk
    assert client.post(url).status_code == 302
    assert GeneratedFile.objects.get().pk != old
    # The old task, should it still run, finds its row gone and does nothing.
    assert build_generated_file.call(old) == "gone"
    assert run_queued() == 2
    assert client.get(url).status_code == 200


def test_asking_again_while_it_is_being_made_queues_nothing_more(cast, login, db_queue):
    client = login(cast.kartrekker)
    url = plan_url(cast)
    client.get(url)
    assert client.post(url).status_code == 302
    assert GeneratedFile.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_two_people_at_the_same_moment_get_one_file(cast, db_queue, monkeypatch):
    """The second of two simultaneous first requests loses the race for the row (unique key) and waits for the first
    one's file."""
    spec = plan_spec(cast.school, extension="xlsx")
    first = start(spec)
    calls = []

    def current(spec):  # the first look finds nothing (the other request has not committed yet)
        calls.append(spec)
        return None if len(calls) == 1 else first

    monkeypatch.setattr(generated, "_current", current)
    second = start(spec)
    assert second.pk == first.pk
    assert GeneratedFile.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_only_marked_builders_run(db):
    """Whatever a row says, the worker calls only functions marked with @file_builder."""
    row = GeneratedFile.objects.create(kind="x", object_id=1, fingerprint="f", builder="os.getcwd", params={})
    assert build_generated_file.call(row.pk) == FileStatus.FAILED
    row.refresh_from_db()
    assert row.status == FileStatus.FAILED and row.content == b""
    unmarked = GeneratedFileSpec(
        kind="x",
        object_id=1,
        variant="",
        version=[],
        builder=lambda: b"",
        params={},
        filename="x.txt",
        content_type="text/plain",
        label="x",
        title="x",
        back_url="/",
        back_label="x",
    )
    with pytest.raises(ValueError, match="not marked"):
        start(unmarked)


@file_builder
def _not_bytes(**kwargs):
    return "tekst"


def test_a_builder_must_return_bytes(db):
    row = GeneratedFile.objects.create(
        kind="x", object_id=1, fingerprint="f", builder=f"{__name__}._not_bytes", params={}
    )
    assert build_generated_file.call(row.pk) == FileStatus.FAILED


# Keeping the table small -----------------------------------------------------------------------------------------


def test_the_daily_purge_removes_old_files(cast, login):
    login(cast.kartrekker).get(plan_url(cast))
    login(cast.kartrekker).get(plan_url(cast, "plan_docx"))
    GeneratedFile.objects.filter(kind="plan.docx").update(created_at=timezone.now() - datetime.timedelta(hours=49))
    out = io.StringIO()
    call_command("purge_generated_files", stdout=out)
    assert "1 gemaakte bestanden verwijderd" in out.getvalue()
    assert list(GeneratedFile.objects.values_list("kind", flat=True)) == ["plan.xlsx"]
    assert "purge_generated_files" in [job.command for job in scheduler.SCHEDULE]


def test_a_school_that_leaves_takes_its_files_with_it(cast, plan, login):
    from pages.leaving import do_delete_school

    client = login(cast.kartrekker)
    client.get(plan_url(cast))
    client.get(pdf_url(cast))
    login(cast.outsider).get(reverse("actionplans:plan_xlsx", args=[cast.other_school.pk]))
    assert GeneratedFile.objects.count() == 3
    do_delete_school(school=cast.school, acting_user=cast.schoolleider)
    assert list(GeneratedFile.objects.values_list("kind", "object_id")) == [("plan.xlsx", cast.other_school.pk)]
