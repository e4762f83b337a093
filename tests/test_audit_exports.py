"""Every export or download writes one audit row: who fetched which file (name, format) of which plan, route or
voorgesprek. A caller who is refused writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent

from .intake_fixtures import build_intake


@pytest.fixture
def intake(cast):
    return build_intake(cast)


def download(client, user, name, *args):
    client.force_login(user, backend="accounts.backends.EmailBackend")
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client.get(reverse(name, args=args))
    new = list(AuditEvent.objects.exclude(pk__in=before))
    return response, new


@pytest.mark.parametrize(("name", "extension"), [("actionplans:plan_docx", "docx"), ("actionplans:plan_xlsx", "xlsx")])
def test_plan_download_is_audited(cast, plan, client, name, extension):
    response, new = download(client, cast.board_member, name, cast.school.pk)  # the board may read the plan too
    assert response.status_code == 200
    [event] = new
    filename = response["Content-Disposition"].split("filename=")[1].strip('"')
    assert (event.action, event.actor, event.school, event.board) == (
        "export.plan",
        cast.board_member,
        cast.school,
        None,
    )
    assert event.data == {"file": filename, "format": extension}
    assert filename.startswith("actieplan-de-regenboog-") and filename.endswith(f".{extension}")


@pytest.mark.parametrize(
    ("name", "extension"), [("trajectory:ics", "ics"), ("trajectory:docx", "docx"), ("trajectory:pdf", "pdf")]
)
def test_route_download_is_audited(cast, route, client, name, extension):
    response, new = download(client, cast.teamlid, name, cast.school.pk)
    assert response.status_code == 200
    [event] = new
    assert (event.action, event.actor, event.school) == ("export.route", cast.teamlid, cast.school)
    assert (event.object_type, event.object_id) == ("trajectory.trajectory", str(route.trajectory.pk))
    assert event.data == {"file": f"traject-tso-de-regenboog.{extension}", "format": extension}


def test_conversation_download_is_audited(cast, intake, client):
    conversation = intake.conversation
    response, new = download(client, cast.trainer, "intake:conversation_docx", cast.school.pk, conversation.pk)
    assert response.status_code == 200
    [event] = new
    assert (event.action, event.actor, event.school) == ("export.conversation", cast.trainer, cast.school)
    assert (event.object_type, event.object_id) == ("intake.conversation", str(conversation.pk))
    assert event.data["format"] == "docx" and event.data["file"].endswith(".docx")
    assert set(event.data) == {"file", "format"}  # never the notes themselves


def test_refused_downloads_write_nothing(cast, plan, route, intake, client):
    refused = [
        (cast.outsider, "actionplans:plan_docx", (cast.school.pk,)),
        (cast.outsider, "trajectory:pdf", (cast.school.pk,)),
        (cast.teamlid, "intake:conversation_docx", (cast.school.pk, intake.conversation.pk)),
        (cast.board_member, "intake:conversation_docx", (cast.school.pk, intake.conversation.pk)),
    ]
    for user, name, args in refused:
        response, new = download(client, user, name, *args)
        assert response.status_code in (403, 404), name
        assert new == [], name
