"""The content version of a closed round's generated exports (assessments/export_files.py, core/generated.py): what
the Word, Excel and PDF files show changes the version, in a fixed number of queries; who gets which variant."""

from __future__ import annotations

import pytest
from django.utils import timezone

from assessments import services
from assessments.export_files import docx_spec, round_version, variant, xlsx_spec
from assessments.models import Participant, Round
from organisations.access import SchoolAccess
from tests.factories import fill_completely, make_round, move_to


def test_reopening_and_a_new_agreement_make_a_new_version(cast):
    before = round_version(cast.closed_round)
    reopened = services.do_reopen_round(round_=cast.closed_round, acting_user=cast.schoolleider, reason="Aanvulling")
    while_reopened = round_version(reopened)
    assert while_reopened != before
    closed = agree_and_close(cast, reopened)
    assert round_version(closed) not in (before, while_reopened)


def agree_and_close(cast, round_):
    services.do_save_consensus_item(
        round_=round_,
        accent_code=round_.model.accent_codes[0],
        phase=3,
        strengths="Nieuw afgesproken",
        next_steps="Verder",
        priority=1,
        acting_user=cast.kartrekker,
    )
    return services.do_close_round(round_=round_, acting_user=cast.kartrekker)


def test_an_agreement_saved_again_makes_a_new_version(cast):
    round_ = services.do_reopen_round(round_=cast.closed_round, acting_user=cast.schoolleider, reason="Aanvulling")
    round_ = agree_and_close(cast, round_)
    before = round_version(round_)
    round_ = services.do_reopen_round(round_=round_, acting_user=cast.schoolleider, reason="Nog eens")
    round_ = agree_and_close(cast, round_)
    assert round_version(round_) != before


def test_another_closed_round_of_the_school_changes_the_growth_and_the_version(cast):
    before = round_version(cast.closed_round)
    everyone = [cast.schoolleider, cast.kartrekker]
    later = make_round(cast.school, everyone, by=cast.kartrekker, title="Volgend jaar")
    for p in later.participants.all():
        fill_completely(p)
    move_to(later, "closed", cast.kartrekker)
    assert round_version(Round.objects.get(pk=cast.closed_round.pk)) != before


def test_a_title_or_school_name_change_makes_a_new_version(cast):
    before = round_version(cast.closed_round)
    Round.objects.filter(pk=cast.closed_round.pk).update(title="Meting 2027")
    renamed = Round.objects.select_related("school").get(pk=cast.closed_round.pk)
    assert round_version(renamed) != before
    type(cast.school).objects.filter(pk=cast.school.pk).update(name="De Regenboog Noord")
    assert round_version(Round.objects.select_related("school").get(pk=renamed.pk)) != round_version(renamed)


def test_names_count_in_a_named_round_only(cast):
    """A named round shows who answered what: a rename makes a new file. An anonymous one shows no names."""
    anonymous_before = round_version(cast.closed_round)
    type(cast.teamlid).objects.filter(pk=cast.teamlid.pk).update(name="Tina de Vries")
    assert round_version(cast.closed_round) == anonymous_before

    named = make_round(
        cast.school, [cast.kartrekker, cast.teamlid], by=cast.kartrekker, title="Genoemd", anonymous=False
    )
    for p in named.participants.all():
        fill_completely(p)
    named = move_to(named, "closed", cast.kartrekker)
    before = round_version(named)
    type(cast.teamlid).objects.filter(pk=cast.teamlid.pk).update(name="T. de Vries")
    assert round_version(named) != before


def test_an_answer_changed_while_reopened_makes_a_new_version(cast):
    before = round_version(cast.closed_round)
    participant = Participant.objects.filter(round=cast.closed_round).first()
    participant.answers.filter(accent_code=cast.closed_round.model.accent_codes[0]).update(updated_at=timezone.now())
    assert round_version(cast.closed_round) != before


def test_another_schools_round_does_not_change_ours(cast):
    before = round_version(cast.closed_round)
    other = make_round(cast.other_school, [cast.outsider], by=cast.outsider, title="Elders")
    fill_completely(other.participants.get())
    move_to(other, "closed", cast.outsider)
    assert round_version(cast.closed_round) == before


def test_the_version_takes_five_queries_whatever_the_number_of_rounds_and_people(cast, django_assert_num_queries):
    for year in range(3):
        r = make_round(cast.school, [cast.kartrekker, cast.teamlid], by=cast.kartrekker, title=f"Jaar {year}")
        for p in r.participants.all():
            fill_completely(p)
        move_to(r, "closed", cast.kartrekker)
    with django_assert_num_queries(5):  # anonymous; a named round: one more (the names)
        round_version(cast.closed_round)


@pytest.mark.parametrize(("who", "expected"), [("kartrekker", "leden"), ("board_member", "alleen-afspraken")])
def test_members_and_the_board_get_their_own_variant(cast, who, expected):
    from django.test import RequestFactory

    from organisations.access import school_access

    request = RequestFactory().get("/")
    request.user = cast.user(who)
    acc = school_access(request, cast.school.pk)
    assert isinstance(acc, SchoolAccess)
    for spec in (docx_spec(acc, cast.closed_round), xlsx_spec(acc, cast.closed_round)):
        assert spec.variant == expected == variant(expected == "leden")
        assert spec.params == {"round_id": cast.closed_round.pk, "include_individual": expected == "leden"}
    assert docx_spec(acc, cast.closed_round).filename == "afgesloten-ronde-gespreksformulier.docx"
