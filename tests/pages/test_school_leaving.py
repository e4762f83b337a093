"""A school that leaves (issue 11, part 5): export all of its data as a ZIP of JSON files with a README, then
delete it after typing its name; the deletion is audited at board level."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import ActionUpdate
from assessments import services
from assessments.models import Participant
from audit.models import AuditEvent
from leadership.models import Answer as LeadershipAnswer
from organisations.models import Membership, Role, School
from pages import leaving
from research.content import consent_text
from research.services import do_give_consent
from tests.factories import fill_completely, make_member, make_round, make_user, move_to
from tests.intake_fixtures import build_intake
from tests.leadership_fixtures import leadership_fixture  # noqa: F401  (fixture "leadership")
from tests.outcomes.fixtures import outcomes_fixture  # noqa: F401  (fixture "outcomes")
from tests.training_fixtures import training  # noqa: F401  (fixture)
from tests.twofactor_helpers import login_verified


@pytest.fixture
def everything(cast, plan, route, training, leadership, outcomes, board_training):  # noqa: F811
    from tests.test_access import make_invitation
    from training.board_services import do_save_board_attendance
    from training.models import BoardTrainingParticipant

    # The board's training for new staff: its participant of De Regenboog (Nina) marked present at module 1.
    nina = BoardTrainingParticipant.objects.get(membership=board_training.nina_membership)
    do_save_board_attendance(session=board_training.module1, marks={nina.pk: "aanwezig"}, acting_user=cast.board_member)

    cast.intake = build_intake(cast)
    make_invitation(cast.school, "nieuw@regenboog.test", invited_by=cast.schoolleider)
    ActionUpdate.objects.create(action=plan.action, author=cast.teamlid, text="Plek gevonden")
    named = make_round(
        cast.school, [cast.teamlid, cast.kartrekker], by=cast.kartrekker, title="Op naam", anonymous=False
    )
    fill_completely(Participant.objects.get(round=named, user=cast.kartrekker), strengths="Ingediend op naam")
    fill_completely(Participant.objects.get(round=named, user=cast.teamlid), strengths="Concept", submit=False)
    do_give_consent(school=cast.school, text_version=consent_text().version, acting_user=cast.schoolleider)
    return cast


def school_models():
    """Every model that reaches a school through its foreign keys (directly or via a parent)."""
    found = {School}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in found:
                continue
            if any(f.is_relation and f.related_model in found for f in model._meta.concrete_fields):
                found.add(model)
                changed = True
    return {m._meta.label for m in found}


def unzip(response) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {name: archive.read(name).decode() for name in archive.namelist()}


def export(client, school):
    response = client.get(reverse("organisations:school_export", args=[school.pk]))
    assert response.status_code == 200, response.status_code
    return unzip(response)


# Export ------------------------------------------------------------------------------------------------------


def test_every_model_of_a_school_is_in_the_export():
    in_export = {k.model for k in leaving.KINDS} | set(leaving.NOT_EXPORTED)
    missing = sorted(school_models() - in_export)
    assert not missing, f"Not in the school export (pages/leaving.py KINDS or NOT_EXPORTED): {missing}"


def test_export_holds_every_row_of_the_school_and_nothing_of_another(everything, login):
    cast = everything

    def rows_of(kind):
        rows = apps.get_model(kind.model)._base_manager.filter(**{kind.school_path: cast.school.pk})
        if kind.named_submitted_only:  # answers, priorities: submitted ones of named rounds (anonymous: figures)
            rows = rows.filter(participant__round__anonymous=False, participant__submitted_at__isnull=False)
        return rows.count()

    counts = {kind.filename: rows_of(kind) for kind in leaving.KINDS}
    files = export(login(cast.schoolleider), cast.school)
    assert "README.txt" in files and "personen.json" in files and "anonieme_rondes.json" in files
    for kind in leaving.KINDS:
        assert len(json.loads(files[kind.filename])) == counts[kind.filename], kind.filename
        assert kind.filename in files["README.txt"]
    assert not [name for name, n in counts.items() if n == 0], "every kind has rows in this test"
    assert "anonieme_rondes.json" in files["README.txt"]
    assert "Ingediend op naam" in files["antwoorden.json"] and "Concept" not in files["antwoorden.json"]
    assert json.loads(files["school.json"])[0]["name"] == "De Regenboog"
    everything_text = "".join(files.values())
    for foreign in ("Vreemde ronde", "Vreemd doel", "Vreemde actie", "Vreemde afspraak", "olga@vreemde.test"):
        assert foreign not in everything_text
    assert "Rustruimte inrichten" in files["actiepunten.json"]
    assert "Weggegooide actie" in files["actiepunten.json"]  # the trash is data too
    assert "Sara, Karel en Tom aan tafel." in files["voorgesprek_aantekeningen.json"]
    groups = json.loads(files["trainingsgroepen.json"])
    assert sorted(groups[0]["members"]) == sorted([cast.kartrekker.pk, cast.werkgroeplid.pk, cast.teamlid.pk])
    people = {p["id"]: p for p in json.loads(files["personen.json"])}
    assert people[cast.teamlid.pk]["email"] == "teamlid@regenboog.test"
    assert "bestuur@noord.test" not in files["personen.json"]


def anonymous_figures(files, round_) -> list[dict]:
    return [row for row in json.loads(files["anonieme_rondes.json"]) if row["round_id"] == round_.pk]


def test_export_keeps_anonymous_answers_anonymous(cast, login):
    """Named rounds: the submitted answers with their participant. Anonymous rounds: no answer or priority rows at
    all, only what the consensus view shows (the figures of assessments.summary)."""
    named = make_round(
        cast.school, [cast.teamlid, cast.kartrekker], by=cast.kartrekker, title="Op naam", anonymous=False
    )
    for p in named.participants.all():
        fill_completely(p, strengths=f"Sterk {p.user_id}")
    files = export(login(cast.schoolleider), cast.school)
    answers = json.loads(files["antwoorden.json"])
    anonymous_rounds = {cast.open_round.pk, cast.consensus_round.pk, cast.closed_round.pk}
    assert not [a for a in answers if a["round_id"] in anonymous_rounds]
    assert not [p for p in json.loads(files["prioriteiten.json"]) if p["round_id"] in anonymous_rounds]
    in_named = [a for a in answers if a["round_id"] == named.pk]
    own = Participant.objects.get(round=named, user=cast.teamlid)
    assert {a["strengths"] for a in in_named if a["participant_id"] == own.pk} == {f"Sterk {cast.teamlid.pk}"}

    # What the consensus page of the closed round shows (five submissions, all phase 2, "Sterk" and "Doel").
    figures = {row["accent_code"]: row for row in anonymous_figures(files, cast.closed_round)}
    assert set(figures) == set(cast.closed_round.model.accent_codes)
    row = figures["1.1"]
    assert row["aantal_inzendingen"] == 5
    assert (row["fase_1"], row["fase_2"], row["fase_3"], row["fase_4"], row["weet_ik_niet"]) == (0, 5, 0, 0, 0)
    assert row["sterke_punten"] == ["Sterk"] * 5 and row["ontwikkeldoelen"] == ["Doel"] * 5
    assert sum(r["in_top_vijf"] for r in figures.values()) == 5 * 5
    assert "participant_id" not in row and "updated_at" not in row
    assert anonymous_figures(files, cast.open_round) == []  # nothing shown there: nothing exported


def test_attack_export_leaks_drafts_and_a_lone_submission(cast, login):
    """The reviewer's reproduction: an anonymous round with one person's draft and one other's submission. The
    consensus view shows nothing (below three, and a draft never); the export used to hold both texts, each in a
    row with that person's phase."""
    people = [cast.teamlid, cast.werkgroeplid, cast.kartrekker]
    round_ = make_round(cast.school, people, by=cast.kartrekker, title="Anoniem klein")
    fill_completely(
        Participant.objects.get(round=round_, user=cast.teamlid), strengths="GEHEIM-CONCEPT-TINA", submit=False
    )
    fill_completely(Participant.objects.get(round=round_, user=cast.werkgroeplid), strengths="ENIGE-INZENDING-WIM")
    named = make_round(cast.school, people, by=cast.kartrekker, title="Op naam", anonymous=False)
    fill_completely(Participant.objects.get(round=named, user=cast.teamlid), strengths="CONCEPT-OP-NAAM", submit=False)
    client = login(cast.schoolleider)
    files = export(client, cast.school)
    everything_text = "".join(files.values())
    for secret in ("GEHEIM-CONCEPT-TINA", "ENIGE-INZENDING-WIM", "CONCEPT-OP-NAAM"):
        assert secret not in everything_text, secret
    assert anonymous_figures(files, round_) == []
    assert not [a for a in json.loads(files["antwoorden.json"]) if a["round_id"] in (round_.pk, named.pk)]
    assert not [p for p in json.loads(files["prioriteiten.json"]) if p["round_id"] in (round_.pk, named.pk)]

    # Three submissions, shown in the consensus: now the round is in the export, as the page shows it. Each person
    # gave accent 1.1 another phase and wrote another text: no row holds one person's phase with their text.
    fill_completely(Participant.objects.get(round=round_, user=cast.kartrekker), strengths="DERDE-KAREL")
    services.do_submit(participant=Participant.objects.get(round=round_, user=cast.teamlid), acting_user=cast.teamlid)
    move_to(round_, "consensus", cast.kartrekker)
    before = export(client, cast.school)
    figures = anonymous_figures(before, round_)
    assert len(figures) == len(round_.model.accent_codes)
    row = next(r for r in figures if r["accent_code"] == "1.1")
    assert row["aantal_inzendingen"] == 3 and row["fase_2"] == 3
    assert row["sterke_punten"] == ["DERDE-KAREL", "ENIGE-INZENDING-WIM", "GEHEIM-CONCEPT-TINA"]  # sorted by text
    for name, content in before.items():
        if name != "anonieme_rondes.json":
            assert "ENIGE-INZENDING-WIM" not in content, name
    for r in figures:
        assert not {"phase", "participant_id", "strengths", "goal", "id"} & set(r)

    # One late submission (a fourth person) changes nothing in the export until it is shown with two more.
    extra = make_user("Vera Vierde", "vera@regenboog.test")
    make_member(cast.school, extra, Role.TEAMLID)
    Participant.objects.create(round=round_, user=extra)
    services.do_reopen_filling(round_=round_, acting_user=cast.kartrekker)
    fill_completely(Participant.objects.get(round=round_, user=extra), strengths="LATE-VERA", phase_for=lambda c: 4)
    after = export(client, cast.school)
    assert anonymous_figures(after, round_) == figures
    assert "LATE-VERA" not in "".join(after.values())


def test_export_leaves_out_checklist_answers_and_secrets(cast, login, leadership):  # noqa: F811
    from tests.test_access import make_invitation

    make_invitation(cast.school, "nieuw@regenboog.test", token="geheime-token")
    files = export(login(cast.schoolleider), cast.school)
    assert not any("checklist_antwoorden" in name for name in files)
    assert "token_hash" not in files["uitnodigingen.json"]
    assert "leadership.Answer" in files["README.txt"]
    assert "password" not in "".join(files.values())


def test_export_is_audited_and_never_cached(cast, login):
    response = login(cast.schoolleider).get(reverse("organisations:school_export", args=[cast.school.pk]))
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="school.exported")
    assert event.school == cast.school and event.actor == cast.schoolleider and event.data["format"] == "zip"


def test_export_costs_the_same_queries_with_more_rows(cast, login):
    client = login(cast.schoolleider)
    client.get(reverse("organisations:school_export", args=[cast.school.pk]))  # the session's first save
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("organisations:school_export", args=[cast.school.pk]))
    for n in range(3):
        r = make_round(cast.school, [cast.teamlid, cast.kartrekker], by=cast.kartrekker, title=f"Meer {n}")
        for p in r.participants.all():
            fill_completely(p)
        move_to(r, "closed", cast.kartrekker)
        make_member(cast.school, make_user(f"Nieuw {n}"), Role.TEAMLID)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("organisations:school_export", args=[cast.school.pk]))
    assert len(many) == len(few)


def test_platform_admin_may_export_and_delete_any_school(cast, client):
    admin = make_user("Paula Platform", "paula@groeiwijzer.test", is_staff=True)
    login_verified(client, admin)
    assert client.get(reverse("organisations:school_export", args=[cast.other_school.pk])).status_code == 200
    response = client.post(reverse("organisations:school_delete", args=[cast.other_school.pk]), {"name": "De Vreemde"})
    assert response.status_code == 302
    assert not School.objects.filter(pk=cast.other_school.pk).exists()


def test_platform_admin_without_second_factor_is_not_let_through(cast, client):
    admin = make_user("Paula Platform", "paula@groeiwijzer.test", is_staff=True)
    client.force_login(admin, backend="accounts.backends.EmailBackend")
    response = client.post(reverse("organisations:school_delete", args=[cast.other_school.pk]), {"name": "De Vreemde"})
    assert response.status_code in (302, 403, 404)
    assert School.objects.filter(pk=cast.other_school.pk).exists()


def test_school_page_links_to_leaving_for_schoolleiding_only(cast, login):
    url = reverse("organisations:school_delete", args=[cast.school.pk])
    assert url in login(cast.schoolleider).get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    assert (
        url not in login(cast.kartrekker).get(reverse("organisations:school", args=[cast.school.pk])).content.decode()
    )


# Deletion -------------------------------------------------------------------------------------------------------


def school_state(cast):
    return (
        School.objects.filter(pk=cast.school.pk).exists(),
        Membership.objects.filter(school=cast.school).count(),
        AuditEvent.objects.filter(action="school.deleted").count(),
    )


@pytest.mark.parametrize("typed", ["de regenboog", "De Regenboog.", "", "De Horizon", "x" * 500])
def test_wrong_name_deletes_nothing(cast, login, typed):
    client = login(cast.schoolleider)
    before = school_state(cast)
    response = client.post(reverse("organisations:school_delete", args=[cast.school.pk]), {"name": typed})
    assert response.status_code == 400
    body = response.content.decode()
    assert "niet precies de naam" in body or "verplicht" in body or "tekens" in body
    assert school_state(cast) == before


def test_tampered_delete_input_is_a_dutch_error(cast, login):
    client = login(cast.schoolleider)
    before = school_state(cast)
    url = reverse("organisations:school_delete", args=[cast.school.pk])
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"name": ["De Regenboog", "iets anders"]}).status_code == 400
    assert (
        client.post(
            reverse("organisations:school_delete", args=[cast.other_school.pk]), {"name": "De Vreemde"}
        ).status_code
        == 404
    )
    assert school_state(cast) == before and School.objects.filter(pk=cast.other_school.pk).exists()


def test_deleting_the_school_removes_its_data_and_audits_at_board_level(everything, login):
    cast = everything
    school_id = cast.school.pk
    audit_before = AuditEvent.objects.count()
    client = login(cast.schoolleider)
    page = client.get(reverse("organisations:school_delete", args=[school_id]))
    assert page.status_code == 200 and "De Regenboog" in page.content.decode()

    response = client.post(reverse("organisations:school_delete", args=[school_id]), {"name": " De Regenboog "})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    follow = client.get(reverse("home"), follow=True)
    assert "De school De Regenboog en al haar gegevens zijn verwijderd." in follow.content.decode()

    assert not School.objects.filter(pk=school_id).exists()
    for kind in leaving.KINDS:
        if kind.model == "audit.AuditEvent":
            continue
        model = apps.get_model(kind.model)
        assert not model._base_manager.filter(
            **{f"{kind.school_path}_id" if kind.school_path != "pk" else "pk": school_id}
        ).exists(), kind.model
    assert not LeadershipAnswer.objects.filter(round__school_id=school_id).exists()
    # The other schools are untouched.
    assert School.objects.filter(pk__in=[cast.sister_school.pk, cast.other_school.pk]).count() == 2
    assert Participant.objects.filter(round=cast.other_round).exists()
    # Audit: the school's own rows stay (without their school), one board-level row is added.
    assert AuditEvent.objects.count() > audit_before
    event = AuditEvent.objects.get(action="school.deleted")
    assert event.board == cast.board and event.school is None and event.actor == cast.schoolleider
    assert event.data["name"] == "De Regenboog"
    # People left without any school or board are erased; the trainer (sister school) and the one deleting stay.
    User = get_user_model()
    for who in ("kartrekker", "werkgroeplid", "teamlid"):
        user = User.objects.get(pk=cast.user(who).pk)
        assert user.name == "oud-teamlid" and not user.is_active, who
    assert User.objects.get(pk=cast.trainer.pk).name == "Tom Trainer"
    assert User.objects.get(pk=cast.schoolleider.pk).is_active
    assert User.objects.get(pk=cast.board_member.pk).name == "Bert Bestuur"


@pytest.mark.parametrize("who", ["kartrekker", "werkgroeplid", "teamlid", "trainer", "board_member"])
def test_other_roles_may_not_delete(cast, login, who):
    client = login(cast.user(who))
    url = reverse("organisations:school_delete", args=[cast.school.pk])
    assert client.post(url, {"name": "De Regenboog"}).status_code == 403
    assert client.get(reverse("organisations:school_export", args=[cast.school.pk])).status_code == 403
    assert School.objects.filter(pk=cast.school.pk).exists()


def test_another_school_is_404(cast, login):
    client = login(cast.outsider)
    assert (
        client.post(reverse("organisations:school_delete", args=[cast.school.pk]), {"name": "De Regenboog"}).status_code
        == 404
    )
    assert client.get(reverse("organisations:school_export", args=[cast.school.pk])).status_code == 404
    assert School.objects.filter(pk=cast.school.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the audit log's append-only trigger is PostgreSQL-only")
def test_deleting_a_school_works_with_the_append_only_audit_guard(cast, login):
    """The school's audit rows become school=NULL (the one UPDATE the trigger allows), none is deleted."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_auditevent_append_only'")
        assert cursor.fetchone()[0] == 1, "the audit guard (audit migration 0004) is not installed"
    school_id = cast.school.pk
    own_rows = set(AuditEvent.objects.filter(school_id=school_id).values_list("pk", flat=True))
    assert own_rows
    response = login(cast.schoolleider).post(
        reverse("organisations:school_delete", args=[school_id]), {"name": "De Regenboog"}
    )
    assert response.status_code == 302
    assert not School.objects.filter(pk=school_id).exists()
    kept = AuditEvent.objects.filter(pk__in=own_rows)
    assert kept.count() == len(own_rows) and not kept.filter(school__isnull=False).exists()


def test_admin_sends_a_school_that_leaves_to_its_page(cast, client):
    """/beheer/: no raw delete of a school (it would skip the export and the board-level audit row); the action
    "leave" opens the leaving page, where a verified platform admin may export and delete."""
    admin = make_user("Paula Platform", "paula@groeiwijzer.test", is_staff=True, is_superuser=True)
    login_verified(client, admin)
    assert client.get(reverse("admin:organisations_school_delete", args=[cast.school.pk])).status_code == 403
    changelist = reverse("admin:organisations_school_changelist")
    response = client.post(changelist, {"action": "leave", "_selected_action": [cast.school.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:school_delete", args=[cast.school.pk])
    board = client.get(reverse("admin:organisations_board_change", args=[cast.board.pk]))
    assert board.status_code == 200 and "schools-0-DELETE" not in board.content.decode()
    assert School.objects.filter(pk=cast.school.pk).exists()
