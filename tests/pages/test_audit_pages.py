"""The log pages: the schoolleiding reads the school's log, board members their board's own events.

Who (a name, never an email address), what in plain Dutch, when; filtered by kind and person; 50 rows a page;
the number of queries does not grow with the log; nothing of a row's data but the download's file and the names of
fields changed in the admin."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.labels import ACTION_LABELS, action_label
from audit.models import AuditEvent, record
from tests.factories import make_user


def school_log(cast, **query):
    return reverse("audit:school_log", args=[cast.school.pk]) + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def test_every_action_written_by_the_code_has_a_dutch_label():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]  # the project root, above tests/pages/
    written = set()
    for path in root.glob("*/*.py"):
        if path.parts[-2] in ("tests", ".venv", "scripts"):
            continue
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text()))
    missing = sorted(code for code in written if code not in ACTION_LABELS)
    assert not missing, f"audit actions without a Dutch label in audit/labels.py: {missing}"


def test_unknown_action_is_shown_as_its_code():
    assert action_label("iets.nieuws") == "iets.nieuws"
    assert action_label("round.created") == "Ronde geopend"


def test_schoolleiding_reads_who_did_what_when_in_plain_dutch(cast, login):
    record(
        action="export.plan",
        acting_user=cast.teamlid,
        school=cast.school,
        data={"file": "actieplan.docx", "format": "docx"},
    )
    record(action="leadership.answers_saved", acting_user=cast.schoolleider, school=cast.school, data={"answered": 4})
    record(action="iets.nieuws", acting_user=cast.kartrekker, school=cast.school)
    record(action="round.created", acting_user=cast.outsider, school=cast.other_school)  # another school
    record(action="school.deleted", acting_user=cast.board_member, board=cast.board)  # board level only
    response = login(cast.schoolleider).get(school_log(cast))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert "Actieplan gedownload" in body and "Word" in body and "actieplan.docx" in body
    assert "Eigen antwoorden checklist opgeslagen" in body and "answered" not in body
    assert "iets.nieuws" in body  # unknown codes as the code
    assert "Tina Teamlid" in body and "Sara Schoolleider" in body
    assert "Olga Outsider" not in body and "School verwijderd" not in body
    assert "@" not in body.split("<main")[1].split("</main>")[0]  # no login address anywhere in the page body


def test_a_user_without_a_name_is_never_shown_by_email(cast, login):
    nameless = User.objects.create_user("geheim.adres@regenboog.test", name="", password=None)
    record(action="round.created", acting_user=nameless, school=cast.school)
    body = login(cast.schoolleider).get(school_log(cast)).content.decode()
    assert "geheim.adres" not in body and "(zonder naam)" in body


def test_filter_by_kind_and_person(cast, login):
    record(action="goal.created", acting_user=cast.kartrekker, school=cast.school)
    record(action="goal.deleted", acting_user=cast.kartrekker, school=cast.school)
    record(action="goal.created", acting_user=cast.werkgroeplid, school=cast.school)
    client = login(cast.schoolleider)
    page = client.get(school_log(cast, actie="goal.created", persoon=cast.kartrekker.pk))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1
    [row] = page.context["rows"]
    assert (row["event"].action, row["who"]) == ("goal.created", "Karel Kartrekker")
    assert client.get(school_log(cast, actie="goal.created")).context["page"].paginator.count == 2
    by_werkgroeplid = client.get(school_log(cast, persoon=cast.werkgroeplid.pk)).context["rows"]
    assert [r["event"].action for r in by_werkgroeplid if r["event"].action.startswith("goal.")] == ["goal.created"]
    assert {r["who"] for r in by_werkgroeplid} == {"Wim Werkgroep"}
    assert "Doel toegevoegd" in page.content.decode()


def test_bad_filter_input_is_a_dutch_error_not_a_500(cast, login):
    client = login(cast.schoolleider)
    record(action="round.created", acting_user=cast.kartrekker, school=cast.school)
    for query in (
        {"actie": "bestaat.niet"},
        {"persoon": "abc"},
        {"persoon": cast.outsider.pk},
        {"pagina": "x"},
        {"pagina": "999"},
    ):
        response = client.get(school_log(cast, **query))
        assert response.status_code == 200, query
    body = client.get(school_log(cast, persoon="abc")).content.decode()
    assert "Kies een persoon uit de lijst." in body
    assert "Kies een soort uit de lijst." in client.get(school_log(cast, actie="x")).content.decode()


def test_pages_of_fifty_keep_the_filter(cast, login):
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action="goal.created", actor=cast.kartrekker, school=cast.school, created_at=now - timedelta(minutes=i)
        )
        for i in range(120)
    )
    client = login(cast.schoolleider)
    first = client.get(school_log(cast, actie="goal.created"))
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.num_pages == 3
    assert "actie=goal.created&amp;pagina=2" in first.content.decode()
    last = client.get(school_log(cast, actie="goal.created", pagina=3))
    assert len(last.context["rows"]) == 20


def test_queries_do_not_grow_with_the_log(cast, login):
    """Every row with its own person and a round it was about: still the same queries for 3 rows or a full page."""
    client = login(cast.schoolleider)
    client.get(school_log(cast))  # the session and the first-request caches
    rounds = [cast.open_round, cast.consensus_round, cast.closed_round]

    def count(n):
        AuditEvent.objects.bulk_create(
            AuditEvent(
                action=f"round.{i % 7}",
                actor=make_user(f"Persoon {i}"),
                school=cast.school,
                object_type="assessments.round",
                object_id=str(rounds[i % 3].pk),
            )
            for i in range(n)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(school_log(cast))
            assert response.status_code == 200
        assert "Persoon" in response.content.decode() and "Afgesloten ronde" in response.content.decode()
        return len(queries)

    assert count(3) == count(80)


def test_board_member_reads_the_board_events_only(cast, login):
    record(action="school.deleted", acting_user=cast.board_member, board=cast.board, data={"school": "De Oude"})
    record(action="round.created", acting_user=cast.kartrekker, school=cast.school)
    record(action="school.deleted", acting_user=cast.outsider, board=cast.other_school.board)
    response = login(cast.board_member).get(reverse("audit:board_log", args=[cast.board.pk]))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1
    assert "School verwijderd" in response.content.decode() and "Bert Bestuur" in response.content.decode()


def test_links_from_the_school_page_and_the_board_page(cast, login, client):
    log = reverse("audit:school_log", args=[cast.school.pk])
    assert log in login(cast.schoolleider).get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    assert (
        log not in login(cast.kartrekker).get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    )
    board_page = login(cast.board_member).get(reverse("organisations:board", args=[cast.board.pk])).content.decode()
    assert reverse("audit:board_log", args=[cast.board.pk]) in board_page


def test_admin_rows_name_the_model_and_fields_in_dutch(cast, login):
    record(
        action="admin.changed",
        acting_user=cast.board_member,
        school=cast.school,
        target=cast.school,
        data={"model": "organisations.school", "fields": ["brin", "name"], "inlines": []},
    )
    body = login(cast.schoolleider).get(school_log(cast, actie="admin.changed")).content.decode()
    assert "Gewijzigd in het beheer" in body and "school · velden: BRIN-code, naam" in body


def test_rows_name_the_round_or_plan_item_they_were_about(cast, plan, login):
    record(action="round.closed", acting_user=cast.kartrekker, school=cast.school, target=cast.consensus_round)
    record(action="round.closed", acting_user=cast.outsider, school=cast.school, target=cast.other_round)  # tampered
    client = login(cast.schoolleider)
    body = client.get(school_log(cast, actie="round.closed")).content.decode()
    assert "Ronde afgesloten: Consensusronde" in body
    assert "Vreemde ronde" not in body  # only titles of the school's own objects
    assert "Doel toegevoegd: Rust in de school" in client.get(school_log(cast, actie="goal.created")).content.decode()
