"""Anonymity that no sequence of actions can undo (issue 11, part 1), and the audit rows of rounds.

Each attack test walks the real views with the test client as an organiser (or a platform admin) would, trying to
learn one person's answers: unticking "anoniem" after people submitted, differencing two views of the distribution
around a withdrawal, an edit, a removal or a single late submission, and replaying the order of the written answers.
"""

from __future__ import annotations

import io
import random
import re
import threading

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from assessments import services
from assessments.models import MIN_ANONYMOUS_GROUP, Participant, Round, RoundStatus
from assessments.summary import summarise
from audit.models import AuditEvent
from core.errors import ServiceError
from organisations.models import Membership, Role
from tests.consensus_pages import consensus_in_full
from tests.factories import fill_completely, make_board, make_member, make_round, make_school, make_user, move_to


def text(response) -> str:
    return response.content.decode()


def audit(action, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("pk"))


def participant(round_, user) -> Participant:
    return Participant.objects.get(round=round_, user=user)


def fresh(round_) -> Round:
    return Round.objects.get(pk=round_.pk)


def url(name, round_, *extra):
    return reverse(f"assessments:{name}", args=[round_.school_id, round_.pk, *extra])


def step(client, round_, action):
    # confirmed: moving on with something missing asks first (tests/assessments/test_round_rough_edges.py)
    return client.post(url("round_transition", round_, action), {"bevestigd": "1"})


def edit_data(round_, **overrides):
    """What the round edit form posts for this round as it is (participants as membership ids)."""
    user_ids = list(round_.participants.values_list("user_id", flat=True))
    data = {
        "title": round_.title,
        "deadline": round_.deadline.isoformat() if round_.deadline else "",
        "meeting_date": round_.meeting_date.isoformat() if round_.meeting_date else "",
        "participants": [
            str(pk)
            for pk in Membership.objects.filter(school=round_.school, user_id__in=user_ids).values_list("pk", flat=True)
        ],
        "facilitator": "",
    }
    if round_.anonymous:
        data["anonymous"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def distribution_lines(page: str) -> list[str]:
    """The text of every chart on a consensus page ("Groeifase 1: 1, groeifase 2: 0, ...")."""
    return re.findall(r"Groeifase 1: \d+, groeifase 2: \d+, groeifase 3: \d+, groeifase 4: \d+", page)


def team(cast, n_extra):
    """The cast plus n_extra team members (a bigger team, for batches of late submissions)."""
    users = [cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.teamlid, cast.trainer]
    for i in range(n_extra):
        user = make_user(f"Extra Teamlid {i}", f"extra{i}@regenboog.test")
        make_member(cast.school, user, Role.TEAMLID)
        users.append(user)
    return users


def withdraw(client, round_):
    return client.post(url("fill_step", round_, "indienen"), {"action": "intrekken"})


def admin_login(client, admin):
    """Log a platform admin in, past the second factor (accounts/twofactor.py: allauth.mfa)."""
    from tests.twofactor_helpers import login_verified

    login_verified(client, admin)


# 1. The mode: anonymous for ever from the first submission on ----------------------------------------------


def test_attack_untick_anonymous_after_submission(cast, login):
    """Today the organiser unticks "anoniem" in an open round and the consensus page then shows names."""
    round_ = cast.open_round
    assert round_.anonymous
    fill_completely(participant(round_, cast.teamlid), strengths="Geheim van Tina")
    organiser = login(cast.kartrekker)

    before = AuditEvent.objects.count()
    response = organiser.post(url("round_edit", round_), edit_data(round_, anonymous=None, title="Met namen nu"))
    assert response.status_code == 400
    assert "Deze ronde blijft anoniem: er heeft al iemand ingevuld." in text(response)
    assert fresh(round_).anonymous is True and fresh(round_).title == "Open ronde"  # nothing saved
    assert AuditEvent.objects.count() == before

    page = text(organiser.get(url("round_edit", round_)))
    assert "Deze ronde blijft anoniem" in page
    assert 'type="checkbox" name="anonymous"' not in page  # no box to untick

    # A later withdrawal does not undo the lock: it is stored on the round.
    withdraw(login(cast.teamlid), round_)
    assert not participant(round_, cast.teamlid).is_submitted
    organiser = login(cast.kartrekker)
    response = organiser.post(url("round_edit", round_), edit_data(round_, anonymous=None))
    assert response.status_code == 400 and fresh(round_).anonymous is True

    # What the attacker was after: names beside the answers in the consensus. There are none.
    services.do_submit(participant=participant(round_, cast.teamlid), acting_user=cast.teamlid)
    for user in (cast.schoolleider, cast.werkgroeplid):
        fill_completely(participant(round_, user))
    step(organiser, round_, "consensus")
    page = consensus_in_full(organiser, round_)
    assert "Geheim van Tina" in page and "Tina Teamlid" not in page


def test_attack_untick_anonymous_through_the_service(cast):
    round_ = cast.consensus_round
    with pytest.raises(ServiceError, match="blijft anoniem"):
        services.do_update_round(
            round_=round_,
            title=round_.title,
            deadline=None,
            meeting_date=None,
            anonymous=False,
            participant_user_ids=list(round_.participants.values_list("user_id", flat=True)),
            facilitator=None,
            acting_user=cast.kartrekker,
        )
    assert fresh(round_).anonymous is True
    # The database refuses it too, whatever code tries.
    with pytest.raises(IntegrityError), transaction.atomic():
        Round.objects.filter(pk=round_.pk).update(anonymous=False)


def test_attack_untick_anonymous_in_the_admin(cast, client):
    """Today the Django admin offers the box on every round, also closed ones."""
    admin = User.objects.create_superuser("beheer@groeiwijzer.test", name="Beheer", password="een-lang-wachtwoord-1")
    admin_login(client, admin)
    round_ = cast.closed_round
    change = reverse("admin:assessments_round_change", args=[round_.pk])
    page = text(client.get(change))
    assert 'name="anonymous"' not in page
    data = {
        "school": round_.school_id,
        "title": "Hernoemd in beheer",
        "deadline": "",
        "meeting_date": "",
        "facilitator": "",
        "created_by": round_.created_by_id,
        "created_at_0": round_.created_at.strftime("%Y-%m-%d"),
        "created_at_1": round_.created_at.strftime("%H:%M:%S"),
        # "anonymous" left out: an unticked box
    }
    response = client.post(change, data)
    assert response.status_code == 302, text(response)
    round_ = fresh(round_)
    assert round_.anonymous is True and round_.title == "Hernoemd in beheer"
    (event,) = audit("round.updated", object_id=str(round_.pk))
    assert event.actor == admin
    assert event.data["changes"]["title"] == {"before": "Afgesloten ronde", "after": "Hernoemd in beheer"}
    assert "anonymous" not in event.data["changes"]


def test_a_round_without_submissions_may_still_be_made_named_and_that_is_audited(cast, login):
    round_ = cast.open_round
    organiser = login(cast.kartrekker)
    page = text(organiser.get(url("round_edit", round_)))
    assert 'type="checkbox" name="anonymous"' in page
    response = organiser.post(url("round_edit", round_), edit_data(round_, anonymous=None))
    assert response.status_code == 302
    assert fresh(round_).anonymous is False
    (event,) = audit("round.anonymity_changed")
    assert event.data == {"round": round_.pk, "before": True, "after": False}


def test_a_named_round_may_become_anonymous_and_then_stays_so(cast, login):
    everyone = [cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.teamlid, cast.trainer]
    round_ = make_round(cast.school, everyone, by=cast.kartrekker, title="Met namen", anonymous=False)
    fill_completely(participant(round_, cast.teamlid))
    organiser = login(cast.kartrekker)
    assert 'type="checkbox" name="anonymous"' in text(organiser.get(url("round_edit", round_)))
    response = organiser.post(url("round_edit", round_), edit_data(round_, anonymous="on"))
    assert response.status_code == 302
    assert fresh(round_).anonymous is True
    (event,) = audit("round.anonymity_changed")
    assert event.actor == cast.kartrekker
    assert event.data == {"round": round_.pk, "before": False, "after": True}
    response = organiser.post(url("round_edit", fresh(round_)), edit_data(fresh(round_), anonymous=None))
    assert response.status_code == 400 and fresh(round_).anonymous is True


def test_attack_untick_anonymous_while_only_drafts_exist(cast, login):
    """Review finding 2: three people fill in under "anoniem" (drafts, nobody submitted yet); the organiser unticks
    "anoniem"; they submit; the consensus page showed their names beside what they wrote under "anoniem"."""
    people = [cast.teamlid, cast.werkgroeplid, cast.schoolleider]
    round_ = make_round(cast.school, people, by=cast.kartrekker, title="Concepten")
    for user in people:
        fill_completely(participant(round_, user), strengths=f"tekst van {user.name}", submit=False)
    assert fresh(round_).anonymity_locked and fresh(round_).first_submitted_at is None

    organiser = login(cast.kartrekker)
    page = text(organiser.get(url("round_edit", round_)))
    assert 'type="checkbox" name="anonymous"' not in page and "er heeft al iemand ingevuld" in page
    before = AuditEvent.objects.count()
    response = organiser.post(url("round_edit", round_), edit_data(round_, anonymous=None))
    assert response.status_code == 400
    assert "Deze ronde blijft anoniem: er heeft al iemand ingevuld." in text(response)
    assert fresh(round_).anonymous is True and AuditEvent.objects.count() == before
    with pytest.raises(ServiceError, match="er heeft al iemand ingevuld"):
        services.do_update_round(
            round_=round_,
            title=round_.title,
            deadline=None,
            meeting_date=None,
            anonymous=False,
            participant_user_ids=[u.pk for u in people],
            facilitator=None,
            acting_user=cast.kartrekker,
        )

    for user in people:
        services.do_submit(participant=participant(round_, user), acting_user=user)
    move_to(fresh(round_), "consensus", cast.kartrekker)
    page = consensus_in_full(organiser, round_)
    assert "tekst van Tina Teamlid" in page and "Tina Teamlid" not in page.replace("tekst van Tina Teamlid", "")


def test_one_saved_priority_locks_an_anonymous_round(cast):
    round_ = cast.open_round
    services.do_save_priorities(
        participant=participant(round_, cast.teamlid), accent_codes=["1.1", None], acting_user=cast.teamlid
    )
    assert fresh(round_).anonymity_locked
    with pytest.raises(ServiceError, match="blijft anoniem"):
        services.do_update_round(
            round_=round_,
            title=round_.title,
            deadline=None,
            meeting_date=None,
            anonymous=False,
            participant_user_ids=list(round_.participants.values_list("user_id", flat=True)),
            facilitator=None,
            acting_user=cast.kartrekker,
        )
    assert fresh(round_).anonymous is True


def test_nothing_saved_no_lock_and_a_named_round_with_drafts_locks_when_made_anonymous(cast, login):
    round_ = cast.open_round
    # A save that stores nothing (no priority chosen) does not lock.
    services.do_save_priorities(
        participant=participant(round_, cast.teamlid), accent_codes=[], acting_user=cast.teamlid
    )
    assert not fresh(round_).anonymity_locked

    named = make_round(
        cast.school, [cast.teamlid, cast.kartrekker], by=cast.kartrekker, title="Op naam", anonymous=False
    )
    fill_completely(participant(named, cast.teamlid), submit=False)
    assert not fresh(named).anonymity_locked  # a named round is never locked
    organiser = login(cast.kartrekker)
    assert organiser.post(url("round_edit", named), edit_data(named, anonymous="on")).status_code == 302
    assert fresh(named).anonymous is True and fresh(named).anonymity_locked  # drafts exist: anonymous for ever now
    response = organiser.post(url("round_edit", named), edit_data(fresh(named), anonymous=None))
    assert response.status_code == 400 and fresh(named).anonymous is True


def test_the_migration_locks_existing_anonymous_rounds_with_drafts(cast):
    """Rounds from before this rule: an anonymous round with a saved draft (and no submission) gets locked."""
    from importlib import import_module

    from assessments.models import Answer, Priority

    migration = import_module("assessments.migrations.0006_lock_rounds_with_drafts")
    people = [cast.teamlid, cast.kartrekker]
    drafts = make_round(cast.school, people, by=cast.kartrekker, title="Oude concepten")
    Answer.objects.create(participant=participant(drafts, cast.teamlid), accent_code="1.1", strengths="Concept")
    prio = make_round(cast.school, people, by=cast.kartrekker, title="Oude prioriteit")
    Priority.objects.create(participant=participant(prio, cast.teamlid), rank=1, accent_code="1.1")
    named = make_round(cast.school, people, by=cast.kartrekker, title="Op naam", anonymous=False)
    Answer.objects.create(participant=participant(named, cast.teamlid), accent_code="1.1", strengths="Concept")
    empty = make_round(cast.school, people, by=cast.kartrekker, title="Leeg")
    assert not any(fresh(r).anonymity_locked for r in (drafts, prio, named, empty))

    migration.lock_rounds_with_input(apps, None)
    assert fresh(drafts).anonymity_locked and fresh(prio).anonymity_locked
    assert not fresh(named).anonymity_locked and not fresh(empty).anonymity_locked


def test_the_round_form_tells_the_limit_of_anonymity(cast, login):
    """Review finding 3, a design limit: three protects against differencing, not against two who collude."""
    organiser = login(cast.kartrekker)
    for page in (
        text(organiser.get(reverse("assessments:round_new", args=[cast.school.pk]))),
        text(organiser.get(url("round_edit", cast.consensus_round))),  # locked: the other help text
    ):
        assert "één persoon met twee accounts" in page and "wat de derde invulde" in page


def test_the_audit_label_of_a_withdrawal_says_withdrawn(cast, login):
    from audit.labels import ACTION_LABELS

    assert ACTION_LABELS["participant.withdrawn"] == "Zelfbeoordeling ingetrokken"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the round trigger is PostgreSQL-only")
def test_attack_the_database_refuses_clearing_the_lock(cast):
    """Review finding 10: update(anonymous=False, anonymity_locked_at=None) passed the check constraint (it sees the
    new row only). The trigger compares it with the old row."""
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    round_ = cast.consensus_round
    locked_at = fresh(round_).anonymity_locked_at
    assert locked_at is not None
    for change in (
        {"anonymous": False, "anonymity_locked_at": None},
        {"anonymity_locked_at": None},
        {"anonymity_locked_at": timezone.now()},
        {"anonymous": False},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Round.objects.filter(pk=round_.pk).update(**change)
        assert fresh(round_).anonymous is True and fresh(round_).anonymity_locked_at == locked_at, change
    # Everything else still works: another field of a locked round, and the mode of a round nobody filled in.
    Round.objects.filter(pk=round_.pk).update(title="Nieuwe titel")
    open_round = cast.open_round
    Round.objects.filter(pk=open_round.pk).update(anonymous=False)
    Round.objects.filter(pk=open_round.pk).update(anonymous=True, anonymity_locked_at=timezone.now())
    assert fresh(open_round).anonymity_locked

    # The migration is reversible: back to 0006 drops the trigger, forward installs it again.
    def installed():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'assessments_round_lock_for_ever'")
            return cursor.fetchone()[0]

    assert installed() == 1
    with connection.cursor() as cursor:  # run the deferred foreign key checks of the updates above first: the
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # later migrations alter the table, which waits for none
    MigrationExecutor(connection).migrate([("assessments", "0006_lock_rounds_with_drafts")])
    assert installed() == 0
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("assessments"))
    assert installed() == 1


def test_round_settings_changes_are_audited_with_before_and_after(cast, login):
    round_ = cast.open_round
    fill_completely(participant(round_, cast.teamlid), strengths="Niet in het logboek")
    organiser = login(cast.kartrekker)
    trainer = Membership.objects.get(school=cast.school, user=cast.trainer)
    keep = [cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.teamlid]  # the trainer had not started
    data = edit_data(
        round_,
        title="Na module 5",
        deadline="2027-03-01",
        meeting_date="2027-03-15",
        facilitator=str(trainer.pk),
        participants=[str(Membership.objects.get(school=cast.school, user=u).pk) for u in keep],
    )
    assert organiser.post(url("round_edit", round_), data).status_code == 302
    (event,) = audit("round.updated", object_id=str(round_.pk))
    changes = event.data["changes"]
    assert changes["title"] == {"before": "Open ronde", "after": "Na module 5"}
    assert changes["deadline"] == {"before": None, "after": "2027-03-01"}
    assert changes["meeting_date"] == {"before": None, "after": "2027-03-15"}
    assert changes["facilitator"] == {"before": None, "after": cast.trainer.pk}
    assert changes["participants"]["removed"] == [cast.trainer.pk]
    assert changes["participants"]["added"] == []
    assert sorted(changes["participants"]["before"]) == sorted(u.pk for u in [*keep, cast.trainer])
    assert "anonymous" not in changes
    assert "Niet in het logboek" not in str(event.data)

    # Saving without a change writes no row.
    assert (
        organiser.post(url("round_edit", round_), edit_data(fresh(round_), facilitator=str(trainer.pk))).status_code
        == 302
    )
    assert len(audit("round.updated", object_id=str(round_.pk))) == 1


# 2. Differencing: the shown set of submissions is frozen and only grows by three or more --------------------


def answer(user, round_, phase_11, **kwargs):
    fill_completely(participant(round_, user), phase_for=lambda code: phase_11 if code == "1.1" else 2, **kwargs)


def test_attack_differencing_withdraw_between_views(cast, login):
    """View, reopen filling in, let the victim withdraw, view again: the difference is the victim's answers."""
    round_ = cast.open_round
    answer(cast.schoolleider, round_, 1)
    answer(cast.kartrekker, round_, 2)
    answer(cast.werkgroeplid, round_, 3)
    answer(cast.teamlid, round_, 4)  # the victim
    organiser = login(cast.kartrekker)
    step(organiser, round_, "consensus")
    first = distribution_lines(consensus_in_full(organiser, round_))
    assert first[0] == "Groeifase 1: 1, groeifase 2: 1, groeifase 3: 1, groeifase 4: 1"
    step(organiser, round_, "heropen-invullen")
    assert fresh(round_).status == RoundStatus.OPEN

    victim = login(cast.teamlid)
    response = withdraw(victim, round_)
    assert response.status_code == 400
    assert "Je inzending is al getoond in het consensusgesprek" in text(response)
    assert participant(round_, cast.teamlid).is_submitted
    page = text(victim.get(url("fill_step", round_, "indienen")))
    assert 'value="intrekken"' not in page and "Je inzending is al getoond in het consensusgesprek" in page

    organiser = login(cast.kartrekker)
    step(organiser, round_, "consensus")
    assert distribution_lines(consensus_in_full(organiser, round_)) == first


def test_attack_differencing_edit_answers_between_views(cast, login):
    round_ = cast.open_round
    for i, user in enumerate([cast.schoolleider, cast.kartrekker, cast.werkgroeplid]):
        answer(user, round_, i + 1, strengths=f"Tekst {i}")
    move_to(round_, "consensus", cast.kartrekker)
    services.do_reopen_filling(round_=fresh(round_), acting_user=cast.kartrekker)
    victim = login(cast.werkgroeplid)
    response = victim.post(url("fill_autosave", round_, "1"), {"phase-1.1": "1", "strengths-1.1": "Veranderd"})
    assert response.status_code == 409
    with pytest.raises(ServiceError, match="al getoond"):
        services.do_withdraw(participant=participant(round_, cast.werkgroeplid), acting_user=cast.werkgroeplid)
    with pytest.raises(ServiceError):
        services.do_save_answers(
            participant=participant(round_, cast.werkgroeplid),
            answers={"1.1": {"phase": 1}},
            acting_user=cast.werkgroeplid,
        )
    answer_row = participant(round_, cast.werkgroeplid).answers.get(accent_code="1.1")
    assert (answer_row.phase, answer_row.strengths) == (3, "Tekst 2")


def test_attack_differencing_remove_participant_via_round_edit(cast, login):
    round_ = cast.open_round
    for i, user in enumerate([cast.schoolleider, cast.kartrekker, cast.werkgroeplid]):
        answer(user, round_, i + 1)
    organiser = login(cast.kartrekker)
    step(organiser, round_, "consensus")
    step(organiser, round_, "heropen-invullen")
    others = [cast.schoolleider, cast.kartrekker, cast.teamlid, cast.trainer]
    data = edit_data(
        fresh(round_), participants=[str(Membership.objects.get(school=cast.school, user=u).pk) for u in others]
    )
    response = organiser.post(url("round_edit", round_), data)
    assert response.status_code == 400
    assert "kan niet uit de ronde: hun inzending is al getoond" in text(response)
    assert participant(round_, cast.werkgroeplid).is_submitted
    assert not audit("round.updated", object_id=str(round_.pk))


def test_attack_differencing_one_late_submission_between_views(cast, login):
    """Reopen, let exactly one more person submit, view again: the difference would be that person's answers."""
    users = team(cast, 3)  # eight participants
    round_ = make_round(cast.school, users, by=cast.kartrekker, title="Groot team")
    for i, user in enumerate(users[:3]):
        answer(user, round_, i + 1)
    organiser = login(cast.kartrekker)
    step(organiser, round_, "consensus")
    first = distribution_lines(consensus_in_full(organiser, round_))
    assert first[0] == "Groeifase 1: 1, groeifase 2: 1, groeifase 3: 1, groeifase 4: 0"

    step(organiser, round_, "heropen-invullen")
    answer(users[3], round_, 4)  # one late submission
    step(organiser, round_, "consensus")
    page = consensus_in_full(organiser, round_)
    assert distribution_lines(page) == first
    assert "3 van 8 deelnemers hebben ingediend" in page
    assert "1 inzending komt erbij zodra er minstens 3 nieuwe zijn." in page
    present = text(organiser.get(url("present", round_)))
    assert distribution_lines(present)[0] == first[0]

    # Two more (three new in all): they join together, never one at a time.
    step(organiser, round_, "heropen-invullen")
    answer(users[4], round_, 4)
    answer(users[5], round_, 4)
    step(organiser, round_, "consensus")
    second = distribution_lines(consensus_in_full(organiser, round_))
    assert second[0] == "Groeifase 1: 1, groeifase 2: 1, groeifase 3: 1, groeifase 4: 3"

    # The result page, the exports and the board see the same shown set after closing.
    answer_late = users[6]
    step(organiser, round_, "heropen-invullen")
    answer(answer_late, round_, 1)
    step(organiser, round_, "consensus")
    step(organiser, round_, "afsluiten")
    result = text(organiser.get(url("result", round_)))
    assert "6 van 8 deelnemers dienden in" in result
    assert "1 / 1 / 1 / 3 · 0" in result
    workbook = load_workbook(io.BytesIO(organiser.get(url("result_xlsx", round_)).content))
    row = next(r for r in workbook["Verdeling"].iter_rows(values_only=True) if r[1] == "1.1")
    assert row[3:8] == (1, 1, 1, 3, 0)
    facts = dict(workbook[workbook.sheetnames[-1]].iter_rows(values_only=True))
    assert facts["Ingediend"] == "6 van 8 deelnemers"
    board = text(login(cast.board_member).get(url("result", round_)))
    assert "6 van 8 deelnemers dienden in" in board


def test_attack_differencing_delete_the_account_between_views(cast):
    """A hard delete of an account (Django admin) took its participation and answers with it: refused now."""
    round_ = cast.consensus_round
    before = [a.counts for a in summarise(round_, include_individual=True).accents]
    with pytest.raises(ProtectedError), transaction.atomic():
        cast.teamlid.delete()
    assert User.objects.filter(pk=cast.teamlid.pk).exists()
    assert [a.counts for a in summarise(fresh(round_), include_individual=True).accents] == before


def test_below_three_nothing_is_shown_and_what_was_shown_never_shrinks(cast, login):
    round_ = cast.open_round
    answer(cast.schoolleider, round_, 1)
    answer(cast.kartrekker, round_, 2)
    organiser = login(cast.kartrekker)
    step(organiser, round_, "consensus")
    page = consensus_in_full(organiser, round_)
    assert distribution_lines(page) == [] and "De verdeling verschijnt zodra" in page
    step(organiser, round_, "heropen-invullen")
    # Not shown yet, so still free to withdraw.
    assert withdraw(login(cast.kartrekker), round_).status_code == 302
    answer(cast.werkgroeplid, round_, 3)
    answer(cast.teamlid, round_, 4)
    organiser = login(cast.kartrekker)
    step(organiser, round_, "consensus")
    summary = summarise(fresh(round_), include_individual=True)
    assert summary.show_distribution and summary.n_submitted == MIN_ANONYMOUS_GROUP
    assert {a.accent.code: a.counts for a in summary.accents}["1.1"] == {1: 1, 2: 0, 3: 1, 4: 1}


def test_named_rounds_keep_withdrawal_after_a_reopen(cast, login):
    everyone = [cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.teamlid, cast.trainer]
    round_ = make_round(cast.school, everyone, by=cast.kartrekker, title="Met namen", anonymous=False)
    for user in everyone[:3]:
        answer(user, round_, 2)
    move_to(round_, "consensus", cast.kartrekker)
    services.do_reopen_filling(round_=fresh(round_), acting_user=cast.kartrekker)
    assert withdraw(login(cast.werkgroeplid), round_).status_code == 302
    assert not participant(round_, cast.werkgroeplid).is_submitted


# 3. The order of written answers reveals nothing ------------------------------------------------------------


def test_attack_replay_written_answer_order(cast, login):
    """Today the order is random.Random(round.pk) over the participants in database order: replay it."""
    users = [cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.teamlid, cast.trainer]
    round_ = cast.open_round
    written = {u.pk: f"Punt van {u.name.split()[0]}" for u in users}
    for user in users:
        fill_completely(participant(round_, user), strengths=written[user.pk])
    organiser = login(cast.kartrekker)
    step(organiser, round_, "consensus")
    # What participants wrote on 1.1, as the consensus view loads it on demand (and as its page without JavaScript)
    block = text(organiser.get(url("consensus_written", round_, "1.1"), HTTP_HX_REQUEST="true"))
    shown = re.findall(r"<li>(Punt van \w+)</li>", block)
    assert re.findall(r"<li>(Punt van \w+)</li>", text(organiser.get(url("consensus_written", round_, "1.1")))) == shown
    assert sorted(shown) == sorted(written.values())

    # The attacker's replay: participants in the order the database returns them, shuffled with the round's pk.
    authors = list(Participant.objects.filter(round=round_).order_by("pk").values_list("user_id", flat=True))
    random.Random(round_.pk).shuffle(authors)
    guessed = dict(zip(shown, authors, strict=True))
    right = sum(1 for t, uid in guessed.items() if written[uid] == t)
    assert right < len(users), "the order of the written answers gives away who wrote what"
    # What it is now: sorted by text, the same whoever wrote what.
    assert shown == sorted(written.values(), key=str.casefold)


# 4. No caching of pages with answers --------------------------------------------------------------------


def test_pages_with_answers_send_no_store(cast, login):
    member = login(cast.teamlid)
    pages = [
        member.get(url("fill_step", cast.open_round, "1")),
        member.get(url("fill_step", cast.open_round, "prioriteiten")),
        member.get(url("fill_step", cast.open_round, "indienen")),
        member.post(url("fill_autosave", cast.open_round, "1"), {"strengths-1.1": "Concept"}),
    ]
    organiser = login(cast.kartrekker)
    pages += [
        organiser.get(url("consensus", cast.consensus_round)),
        organiser.get(url("consensus", cast.consensus_round) + "?laag=2", HTTP_HX_REQUEST="true"),
        organiser.get(url("consensus_written", cast.consensus_round, "1.1")),
        organiser.get(url("consensus_written", cast.consensus_round, "1.1"), HTTP_HX_REQUEST="true"),
        organiser.get(url("present", cast.consensus_round)),
        organiser.get(url("consensus_item", cast.consensus_round, "1.1")),
        organiser.post(
            url("consensus_item", cast.consensus_round, "1.1"), {"phase": "2", "version": ""}, HTTP_HX_REQUEST="true"
        ),
        organiser.get(url("result", cast.closed_round)),
    ]
    for response in pages:
        assert response.status_code == 200, response
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]


# 5. Audit rows: viewing answers and every download ---------------------------------------------------------


def test_viewing_consensus_and_presentation_is_audited_without_answers(cast, login):
    round_ = cast.consensus_round
    organiser = login(cast.kartrekker)
    organiser.get(url("consensus", round_))
    organiser.get(url("present", round_) + "?accent=1.2")
    (consensus,) = audit("round.consensus_viewed")
    (present,) = audit("round.presentation_viewed")
    assert consensus.actor == cast.kartrekker and consensus.school == cast.school
    assert consensus.object_id == str(round_.pk) and consensus.data == {"round": round_.pk}
    assert present.data == {"round": round_.pk, "accent": "1.2"}
    # What participants wrote on an accent, opened on demand: one row more, naming the accent.
    organiser.get(url("consensus_written", round_, "2.3"), HTTP_HX_REQUEST="true")
    assert [e.data for e in audit("round.consensus_viewed")] == [
        {"round": round_.pk},
        {"round": round_.pk, "accent": "2.3"},
    ]
    # A refused view writes nothing.
    login(cast.teamlid).get(url("consensus", round_))
    login(cast.teamlid).get(url("consensus_written", round_, "2.3"))
    assert len(audit("round.consensus_viewed")) == 2


@pytest.mark.parametrize(("name", "kind"), [("result_docx", "word"), ("result_xlsx", "excel"), ("result_pdf", "pdf")])
def test_every_download_is_audited(cast, login, name, kind):
    round_ = cast.closed_round
    for who in (cast.kartrekker, cast.board_member):
        response = login(who).get(url(name, round_))
        assert response.status_code == 200
    rows = audit("round.exported")
    assert [(e.actor, e.data) for e in rows] == [
        (cast.kartrekker, {"round": round_.pk, "file": kind}),
        (cast.board_member, {"round": round_.pk, "file": kind}),
    ]
    assert all(e.school == cast.school and e.object_id == str(round_.pk) for e in rows)


# Races (PostgreSQL: real row locks across connections) ------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-lock test needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_racing_the_consensus_start_never_leaves_fewer_than_three_shown():
    """Withdraw and start the consensus at the same moment: either the withdrawal wins (nothing is shown, two are
    left) or the consensus wins (three shown, the withdrawal refused). Never two shown, never a deadlock."""
    school = make_school(make_board())
    users = [make_user(f"Deelnemer {i}") for i in range(3)]
    organiser = users[0]
    make_member(school, organiser, Role.KARTREKKER)
    for user in users[1:]:
        make_member(school, user, Role.TEAMLID)
    for attempt in range(4):
        round_ = make_round(school, users, by=organiser, title=f"Race {attempt}")
        for user in users:
            fill_completely(participant(round_, user))
        victim = participant(round_, users[2])
        barrier = threading.Barrier(2)
        errors: list[Exception] = []

        def run(fn, **kwargs):
            try:
                barrier.wait(timeout=10)
                fn(**kwargs)
            except ServiceError:
                pass  # refused in Dutch: fine
            except Exception as exc:  # noqa: BLE001  # a deadlock or anything else fails the test
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(
                target=run, args=(services.do_withdraw,), kwargs={"participant": victim, "acting_user": users[2]}
            ),
            threading.Thread(
                target=run, args=(services.do_start_consensus,), kwargs={"round_": round_, "acting_user": organiser}
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert errors == []
        shown = Participant.objects.filter(round=round_, shown_at__isnull=False).count()
        assert shown in (0, 3)
        assert participant(round_, users[2]).is_submitted is (shown == 3)
