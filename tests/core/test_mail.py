"""Mail never loses work (issue 11, part 3): mail is queued as background tasks, retried, and its fate is shown.

Most tests here run the tasks with the database queue (django-tasks-db, as in development and production) and the
worker in-process (``run_queued``); the autouse fixture in conftest.py runs them at once for every other test.
``test_end_to_end_*`` points SMTP at a closed local port, then starts a real SMTP server (aiosmtpd) on it.
"""

from __future__ import annotations

import datetime
import re
import socket
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from core.errors import ServiceError
from core.mail import MailStatus, queue_mail, send_message
from groeiwijzer import scheduler
from organisations.models import Invitation, Role
from organisations.services import do_invite_members, do_resend_invitation, invitation_mail_status
from tests.test_access import make_invitation
from tests.training_fixtures import training  # noqa: F401, F811  (fixture)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
INVITE_MSG = "De e-mail staat in de wachtrij"


def free_port() -> int:
    """A local port with nothing listening on it (bound and released again)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smtp_mailers(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


def run_queued() -> int:
    """Run every task that is due, as `manage.py db_worker --batch` does (its claim and run), in this transaction."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
        assert ran < 100
    return ran


def make_retries_due() -> list[datetime.datetime]:
    """Time passes: the retries waiting for their moment are due now. Returns the moments they were waiting for."""
    waiting = DBTaskResult.objects.filter(status="READY")
    moments = sorted(r.run_after for r in waiting)
    waiting.update(run_after=timezone.now())
    return moments


def link_path(message) -> str:
    return re.search(r"https?://[^/\s]+(/uitnodiging/[^\s]+/)", message.body).group(1)


def text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def db_queue(settings):
    settings.TASKS = DB_TASKS
    return settings


@pytest.fixture
def mail_down(settings):
    settings.MAILERS = smtp_mailers(free_port())
    return settings


# Mail server down: the pages answer, the work is kept -------------------------------------------------------


def test_invite_with_the_mail_server_down_answers_and_keeps_a_usable_invitation(cast, login, on_commit, mail_down):
    client = login(cast.kartrekker)
    with on_commit():
        response = client.post(
            reverse("organisations:invite", args=[cast.school.pk]),
            {"emails": "nieuw@regenboog.test", "roles": ["teamlid"]},
        )
    assert response.status_code == 302
    page = client.get(response.url)
    assert INVITE_MSG in text(page)
    invitation = Invitation.objects.get(email="nieuw@regenboog.test")
    assert invitation.is_open
    # Run at once (no queue to wait in): the one attempt failed, and the team page says so.
    assert invitation.mail_status == MailStatus.FAILED and invitation.mail_attempts == 1
    assert "versturen mislukt" in text(page)
    assert "Uitnodiging voor nieuw@regenboog.test opnieuw versturen" in text(page)


def test_reminders_and_reflection_with_the_mail_server_down_answer(cast, login, on_commit, mail_down, training):  # noqa: F811
    client = login(cast.kartrekker)
    with on_commit():
        response = client.post(reverse("assessments:round_remind", args=[cast.school.pk, cast.open_round.pk]))
    assert response.status_code == 302
    assert "de e-mail staat in de wachtrij" in text(client.get(response.url))
    assert cast.open_round.participants.filter(reminded_at__isnull=False).exists()
    with on_commit():
        response = client.post(
            reverse("training:send_reflection", args=[cast.school.pk, training.werkmoment.pk]), {"again": ""}
        )
    assert response.status_code == 302
    assert "de e-mail staat in de wachtrij" in text(client.get(response.url))


def test_login_code_request_with_the_mail_server_down_answers(cast, client, on_commit, mail_down):
    with on_commit():
        response = client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:code_verify"))


# Retries ---------------------------------------------------------------------------------------------------


def test_a_failing_message_is_retried_with_growing_pauses_then_recorded_as_failed(db, db_queue, mail_down):
    db_queue.MAIL_MAX_ATTEMPTS = 4
    db_queue.MAIL_RETRY_DELAYS = [60, 300]
    STATUSES.clear()
    send_message.enqueue(
        subject="Onderwerp",
        body="Tekst",
        to=["iemand@regenboog.test"],
        status_hook="tests.core.test_mail.remember_status",
        ref={"n": 1},
    )
    pauses = []
    for attempt in range(1, 5):
        tried_at = timezone.now()
        assert run_queued() == 1
        if attempt < 4:
            (retry_at,) = make_retries_due()
            pauses.append(round((retry_at - tried_at).total_seconds() / 60))
    assert pauses == [1, 5, 5]  # 1 and 5 minutes, then the last pause repeats
    assert STATUSES == [
        ({"n": 1}, "retrying", 1),
        ({"n": 1}, "retrying", 2),
        ({"n": 1}, "retrying", 3),
        ({"n": 1}, "failed", 4),
    ]
    results = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in results] == ["SUCCESSFUL"] * 3 + ["FAILED"]
    assert [r.args_kwargs["kwargs"].get("attempt", 1) for r in results] == [1, 2, 3, 4]
    assert results[-1].exception_class_path == "builtins.ConnectionRefusedError"
    assert run_queued() == 0
    assert mail.outbox == []


def test_an_invitation_and_its_mail_are_stored_together(cast, db_queue, django_capture_on_commit_callbacks):
    """The database queue is an outbox: the task row is written in the invitation's transaction, so a rollback takes
    both and a commit keeps both (no crash between commit and enqueue can lose the mail)."""

    def invite_now():
        do_invite_members(
            school=cast.school,
            emails=["nieuw@regenboog.test"],
            roles=["teamlid"],
            acting_user=cast.kartrekker,
            base_url="",
        )

    with pytest.raises(RuntimeError), transaction.atomic():
        invite_now()
        assert DBTaskResult.objects.count() == 1  # queued inside the transaction...
        raise RuntimeError("the request fails after the invitation was made")
    assert not Invitation.objects.filter(email="nieuw@regenboog.test").exists()
    assert not DBTaskResult.objects.exists()  # ...and gone with it

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite_now()
    assert callbacks == []  # nothing left to do after the commit
    assert Invitation.objects.get(email="nieuw@regenboog.test").mail_status == MailStatus.QUEUED
    assert DBTaskResult.objects.count() == 1
    assert run_queued() == 1
    assert Invitation.objects.get(email="nieuw@regenboog.test").mail_status == MailStatus.SENT
    assert mail.outbox[0].to == ["nieuw@regenboog.test"]


STATUSES: list = []


def remember_status(ref, status, attempts):
    STATUSES.append((ref, str(status), attempts))


def test_a_login_code_mail_that_is_too_late_is_dropped_unsent(db, db_queue):
    send_message.enqueue(
        subject="Je inlogcode",
        body="123456",
        to=["iemand@regenboog.test"],
        discard_after=(timezone.now() - datetime.timedelta(minutes=1)).isoformat(),
    )
    assert run_queued() == 1
    assert mail.outbox == []
    assert DBTaskResult.objects.get().return_value == "discarded"


def test_queue_mail_queues_one_task_per_recipient(db, db_queue):
    queue_mail(subject="Onderwerp", body="Tekst", to=["a@regenboog.test", "b@regenboog.test"])
    assert DBTaskResult.objects.count() == 2
    assert run_queued() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@regenboog.test", "b@regenboog.test"]


def test_with_another_queue_mail_is_enqueued_on_commit_only(db, django_capture_on_commit_callbacks):
    """The tests' immediate backend sends at once: it must wait for the commit, or work that rolls back would mail."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_mail(subject="Onderwerp", body="Tekst", to=["a@regenboog.test", "b@regenboog.test"])
    assert len(callbacks) == 2 and mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@regenboog.test", "b@regenboog.test"]


# Sending an invitation again --------------------------------------------------------------------------------


def invite(client, cast, on_commit, email="nieuw@regenboog.test", roles=("teamlid",)):
    with on_commit():
        return client.post(
            reverse("organisations:invite", args=[cast.school.pk]), {"emails": email, "roles": list(roles)}
        )


def resend_url(cast, invitation) -> str:
    return reverse("organisations:invitation_resend", args=[cast.school.pk, invitation.pk])


def test_resend_gives_a_fresh_link_and_the_old_one_stops_working(cast, login, on_commit, client):
    organiser = login(cast.kartrekker)
    invite(organiser, cast, on_commit)
    old_path = link_path(mail.outbox[-1])
    invitation = Invitation.objects.get(email="nieuw@regenboog.test")
    assert invitation.mail_status == MailStatus.SENT
    with on_commit():
        response = organiser.post(resend_url(cast, invitation))
    assert response.status_code == 302
    page = text(organiser.get(response.url))
    assert "gaat opnieuw de deur uit, met een nieuwe link" in page
    assert len(mail.outbox) == 2 and mail.outbox[-1].to == ["nieuw@regenboog.test"]
    new_path = link_path(mail.outbox[-1])
    assert new_path != old_path
    invitation.refresh_from_db()
    assert invitation.mail_status == MailStatus.SENT and invitation.resent_count == 1 and invitation.is_open
    event = AuditEvent.objects.get(action="invitation.resent")
    assert event.actor == cast.kartrekker and event.data == {
        "times": 1
    }  # the address is on the invitation, not in the log
    assert "verstuurd" in page
    anonymous = client
    assert anonymous.get(old_path).status_code == 404
    assert anonymous.get(new_path).status_code == 200


def test_resend_of_an_accepted_or_revoked_invitation_is_refused_in_dutch(cast, login):
    organiser = login(cast.kartrekker)
    accepted = make_invitation(cast.school, "klaar@regenboog.test", accepted_at=timezone.now())
    revoked = make_invitation(cast.school, "weg@regenboog.test", revoked_at=timezone.now())
    for invitation, message in [
        (accepted, "Deze uitnodiging is al aangenomen"),
        (revoked, "Deze uitnodiging is ingetrokken"),
    ]:
        response = organiser.post(resend_url(cast, invitation), follow=True)
        assert response.status_code == 200
        assert message in text(response)
        assert Invitation.objects.get(pk=invitation.pk).token_hash == invitation.token_hash
    assert not AuditEvent.objects.filter(action="invitation.resent").exists()
    assert mail.outbox == []


def test_resend_with_a_bad_id_is_404_and_get_is_405(cast, login):
    organiser = login(cast.kartrekker)
    foreign = make_invitation(cast.other_school, "iemand@vreemde.test")
    assert organiser.post(resend_url(cast, foreign)).status_code == 404
    for bad in (
        "/scholen/{}/team/uitnodigingen/abc/opnieuw-versturen/",
        "/scholen/{}/team/uitnodigingen/0/opnieuw-versturen/",
    ):
        assert organiser.post(bad.format(cast.school.pk)).status_code == 404
    mine = make_invitation(cast.school)
    assert organiser.get(resend_url(cast, mine)).status_code == 405
    assert Invitation.objects.get(pk=foreign.pk).token_hash == foreign.token_hash
    assert Invitation.objects.get(pk=mine.pk).resent_count == 0


def test_only_schoolleiding_resends_a_schoolleiding_invitation(cast):
    invitation = make_invitation(cast.school, "nieuwe-leider@regenboog.test")
    Invitation.objects.filter(pk=invitation.pk).update(roles=[Role.SCHOOLLEIDING])
    with pytest.raises(ServiceError, match="Alleen de schoolleiding"):
        do_resend_invitation(invitation=invitation, acting_user=cast.kartrekker, base_url="")
    do_resend_invitation(invitation=invitation, acting_user=cast.schoolleider, base_url="")


def test_the_mail_of_an_old_link_does_not_set_the_status_of_the_new_one(cast):
    invitation = make_invitation(cast.school, mail_status=MailStatus.QUEUED)
    old_ref = {"invitation": invitation.pk, "token_hash": invitation.token_hash}
    do_resend_invitation(invitation=invitation, acting_user=cast.schoolleider, base_url="")
    invitation_mail_status(old_ref, MailStatus.FAILED, 6)
    invitation.refresh_from_db()
    assert invitation.mail_status == MailStatus.QUEUED
    invitation_mail_status("not a ref", MailStatus.SENT, 1)  # tampered task arguments: nothing happens


def test_team_page_shows_per_invitation_whether_the_mail_went_out(cast, login):
    for email, status in [("a@regenboog.test", "queued"), ("b@regenboog.test", "retrying"), ("c@regenboog.test", "")]:
        make_invitation(cast.school, email, mail_status=status)
    page = text(login(cast.schoolleider).get(reverse("organisations:members", args=[cast.school.pk])))
    assert "a@regenboog.test (Teamlid) – geldig tot" in page
    assert "e-mail: <strong>klaargezet om te versturen</strong>" in page
    assert "e-mail: <strong>niet gelukt, wordt opnieuw geprobeerd</strong>" in page
    assert page.count("e-mail: <strong>") == 2  # an invitation from before the queue shows no status


# End to end: SMTP down, then up ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_end_to_end_mail_server_down_then_up(cast, settings, client, monkeypatch):
    """Invite, login code, reminder with SMTP pointed at a closed port; then an SMTP server starts there."""
    from aiosmtpd.controller import Controller

    port = free_port()
    settings.TASKS = DB_TASKS
    settings.MAILERS = smtp_mailers(port)
    organiser = Client_logged_in(cast.kartrekker)

    response = organiser.post(
        reverse("organisations:invite", args=[cast.school.pk]), {"emails": "nieuw@regenboog.test", "roles": ["teamlid"]}
    )
    assert response.status_code == 302
    assert INVITE_MSG in text(organiser.get(response.url))
    response = organiser.post(reverse("assessments:round_remind", args=[cast.school.pk, cast.open_round.pk]))
    assert response.status_code == 302
    response = client.post(reverse("accounts:code_request"), {"email": cast.teamlid.email})
    assert response.status_code == 302
    n_reminders = cast.open_round.participants.filter(submitted_at=None).count()
    queued = DBTaskResult.objects.count()
    assert queued == 1 + n_reminders + 1
    invitation = Invitation.objects.get(email="nieuw@regenboog.test")
    assert invitation.is_open and invitation.mail_status == MailStatus.QUEUED

    # The worker tries: nothing listens on the port.
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    invitation.refresh_from_db()
    assert invitation.is_open and invitation.mail_status == MailStatus.RETRYING and invitation.mail_attempts == 1
    assert DBTaskResult.objects.filter(status="READY").count() == queued  # one retry each, waiting
    page = text(organiser.get(reverse("organisations:members", args=[cast.school.pk])))
    assert "niet gelukt, wordt opnieuw geprobeerd" in page

    # The mail server comes up on that port; the retries are due.
    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append((envelope.rcpt_tos, envelope.content.decode("utf8", "replace")))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        make_retries_due()
        call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    finally:
        controller.stop()
    recipients = sorted(r[0] for rcpt, _ in received for r in [rcpt])
    assert len(received) == queued
    assert "nieuw@regenboog.test" in recipients and cast.teamlid.email in recipients
    invitation.refresh_from_db()
    assert invitation.mail_status == MailStatus.SENT and invitation.mail_attempts == 2
    assert "verstuurd" in text(organiser.get(reverse("organisations:members", args=[cast.school.pk])))
    # The link in the mail that finally arrived works.
    body = next(content for rcpt, content in received if rcpt == ["nieuw@regenboog.test"])
    path = re.search(r"(/uitnodiging/[^\s]+/)", body.replace("=\r\n", "").replace("=\n", "")).group(1)
    assert client.get(path).status_code == 200


def Client_logged_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# The scheduler of daily jobs --------------------------------------------------------------------------------


def at(hour, minute=0, day=7):
    return timezone.make_aware(datetime.datetime(2026, 12, day, hour, minute))


def test_scheduler_queues_each_daily_job_once_a_day_from_its_time(db, db_queue):
    commands = [j.command for j in scheduler.SCHEDULE]
    assert {"purge_deleted_plan_items", "purge_expired_logins", "prune_db_task_results"} <= set(commands)
    queued_on: dict = {}
    assert scheduler.run_due_jobs(at(2, 59), queued_on) == []  # all are due from 03:00 on
    first = scheduler.run_due_jobs(at(3, 6), queued_on)
    assert [j.command for j in first] == ["purge_deleted_plan_items", "purge_expired_logins"]
    assert scheduler.run_due_jobs(at(3, 7), queued_on) == []  # not twice
    rest = scheduler.run_due_jobs(at(23, 0), queued_on)
    assert [j.command for j in first + rest] == commands
    assert scheduler.run_due_jobs(at(23, 59), queued_on) == []
    assert len(scheduler.run_due_jobs(at(23, 0, day=8), queued_on)) == len(commands)  # the next day again
    assert DBTaskResult.objects.count() == 2 * len(commands)
    # The worker runs them: every job is a command that exists and succeeds.
    assert run_queued() == 2 * len(commands)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_a_scheduled_purge_really_purges(cast):
    old = make_invitation(cast.school, revoked_at=timezone.now() - datetime.timedelta(days=40))
    jobs = [scheduler.Job("purge_expired_logins", datetime.time(3, 5))]
    assert scheduler.run_due_jobs(at(4), {}, schedule=jobs) == jobs  # the tasks run at once here
    assert not Invitation.objects.filter(pk=old.pk).exists()


def test_scheduler_command_once(db, db_queue):
    out = StringIO()
    call_command("scheduler", once=True, stdout=out)
    due = [j for j in scheduler.SCHEDULE if timezone.localtime().time() >= j.at]
    assert DBTaskResult.objects.count() == len(due)
    assert out.getvalue().count(" queued ") == len(due)


# The task admin (review of issue 11) ---------------------------------------------------------------------------


def test_the_task_admin_shows_no_mail_text_codes_or_addresses(cast, db_queue):
    """Staff who may view task results see each task's state, never what the mail said or to whom: not the login
    code, not the invitation link, not the address (also not in a failure's traceback)."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    from accounts.services import do_request_login_code
    from tests.factories import make_user
    from tests.twofactor_helpers import login_verified

    do_request_login_code(email=cast.teamlid.email)
    do_invite_members(
        school=cast.school,
        emails=["nieuw@regenboog.test"],
        roles=[Role.TEAMLID],
        acting_user=cast.schoolleider,
        base_url="http://testserver",
    )
    tasks = sorted(DBTaskResult.objects.all(), key=lambda t: "/uitnodiging/" in t.args_kwargs["kwargs"]["body"])
    assert len(tasks) == 2  # the login code, then the invitation
    code_body, invite_body = (t.args_kwargs["kwargs"]["body"] for t in tasks)
    code = re.search(r"\b(\d{6})\b", code_body).group(1)
    token = re.search(r"/uitnodiging/([^/\s]+)/", invite_body).group(1)
    DBTaskResult.objects.filter(pk=tasks[1].pk).update(
        status="FAILED",
        exception_class_path="smtplib.SMTPRecipientsRefused",
        traceback="SMTPRecipientsRefused: {'nieuw@regenboog.test': (550, b'no')}",
        return_value={"sent_to": "nieuw@regenboog.test"},
    )
    secrets = [code, token, cast.teamlid.email, "nieuw@regenboog.test", "Je inlogcode"]

    viewer = make_user("Kijker", "kijker@groeiwijzer.test", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_dbtaskresult"))
    boss = make_user("Baas", "baas@groeiwijzer.test", is_staff=True, is_superuser=True)
    admin_name = f"admin:{DBTaskResult._meta.app_label}_{DBTaskResult._meta.model_name}"
    changelist = reverse(f"{admin_name}_changelist")
    failed_page = reverse(f"{admin_name}_change", args=[tasks[1].pk])
    pages = [changelist, f"{changelist}?status__exact=FAILED", failed_page]
    pages += [reverse(f"{admin_name}_change", args=[tasks[0].pk])]
    for staff in (viewer, boss):
        client = login_verified(Client(), staff)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            page = response.content.decode()
            for secret in secrets:
                assert secret not in page, (staff.email, url, secret)
        # What the page is for is there: which task, its state, the class of its error.
        assert "core.mail.send_message" in client.get(changelist).content.decode()
        failed = client.get(failed_page).content.decode()
        assert "smtplib.SMTPRecipientsRefused" in failed and "Mislukt" in failed
