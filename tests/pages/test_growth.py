"""The growth page (pages/growth.py, assessments/growth.py): the agreed phase per accent over the closed rounds, what
the plan did on each accent, and the distributions only where the rounds showed them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans.models import ActionStatus
from assessments.growth import school_growth
from assessments.models import ConsensusItem, Participant, Round
from tests.factories import PASSWORD, agree_priorities, fill_completely, make_action, make_goal, make_round, move_to


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def closed_round(cast, title, phase, *, when, anonymous=True, fill=True):
    """A closed round of the cast's school with every accent agreed at ``phase`` (a callable per code, or a number)."""
    everyone = [cast.schoolleider, cast.kartrekker, cast.werkgroeplid, cast.teamlid, cast.trainer]
    round_ = make_round(cast.school, everyone, by=cast.kartrekker, title=title, anonymous=anonymous)
    phase_for = phase if callable(phase) else (lambda code: phase)
    if fill:
        for p in round_.participants.all():
            fill_completely(p, phase_for=phase_for)
    round_ = move_to(round_, "closed", cast.kartrekker)
    for code in round_.model.accent_codes:
        ConsensusItem.objects.update_or_create(round=round_, accent_code=code, defaults={"phase": phase_for(code)})
    Round.objects.filter(pk=round_.pk).update(meeting_date=when)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def three_years(cast):
    """The cast's closed round (phase 2 everywhere, today) moved back two years, and two later rounds."""
    first = cast.closed_round
    for code in first.model.accent_codes:
        ConsensusItem.objects.update_or_create(round=first, accent_code=code, defaults={"phase": 1})
    Round.objects.filter(pk=first.pk).update(meeting_date=datetime.date(2024, 10, 1))
    second = closed_round(cast, "Ronde 2025", 2, when=datetime.date(2025, 10, 1))
    third = closed_round(cast, "Ronde 2026", lambda code: 3 if code == "3A.2" else 2, when=datetime.date(2026, 10, 1))
    return [first, second, third]


def test_the_agreed_phases_in_time_order_and_the_change(cast, three_years, client):
    growth = school_growth(cast.school, include_individual=True)
    assert [r.pk for r in growth.rounds] == [r.pk for r in three_years]
    accent = growth.accent("3A.2")
    assert [m.phase for m in accent.marks] == [1, 2, 3]
    assert accent.change == 2 and accent.distance == 2
    assert growth.accent("1.1").change == 1
    assert [len(marks) for _, marks in accent.slots] == [1, 1, 1, 0]

    login(client, cast.teamlid)
    response = client.get(reverse("assessments:growth", args=[cast.school.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Groei door de jaren" in html
    assert "1 → 2 → 3" in html  # 3A.2 over the three rounds, readable without colour
    assert "Van fase 1 naar fase 3." in html
    assert "2 fases gegroeid" in html
    assert "Ronde 2025" in html and "Ronde 2026" in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_goals_and_their_actions_per_accent(cast, three_years, client):
    goal = make_goal(
        cast.school, cast.kartrekker, title="Rustige start van de dag", layer_code="3A", accent_code="3A.2"
    )
    for i, status in enumerate([ActionStatus.DONE, ActionStatus.CELEBRATED, ActionStatus.PLANNED]):
        action = make_action(cast.school, cast.kartrekker, title=f"Actie {i}", goal=goal, layer_code="3A")
        type(action).objects.filter(pk=action.pk).update(status=status)
    deleted = make_action(cast.school, cast.kartrekker, title="Weg", goal=goal, layer_code="3A")
    type(deleted).objects.filter(pk=deleted.pk).update(status=ActionStatus.DONE, deleted_at=timezone.now())

    login(client, cast.werkgroeplid)
    html = client.get(reverse("assessments:growth", args=[cast.school.pk])).content.decode()
    year = timezone.localdate().year
    assert f"In {year} doel gesteld:" in html
    assert "Rustige start van de dag" in html
    assert "2 van 3 acties afgerond" in html  # the deleted action does not count
    assert "1 gevierd" in html
    assert reverse("actionplans:goal", args=[cast.school.pk, goal.pk]) in html


def test_members_see_distributions_the_board_only_agreed_phases(cast, three_years, client):
    login(client, cast.teamlid)
    html = client.get(reverse("assessments:growth", args=[cast.school.pk])).content.decode()
    assert "Individuele verdeling" in html
    # The 2025 round: five participants all at phase 2.
    assert "0 / 5 / 0 / 0 · 0" in html

    client.logout()
    login(client, cast.board_member)
    response = client.get(reverse("assessments:growth", args=[cast.school.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 → 2 → 3" in html
    assert "Individuele verdeling" not in html and "0 / 5 / 0 / 0" not in html
    assert school_growth(cast.school, include_individual=False).accent("3A.2").marks[1].counts is None


def test_an_anonymous_round_below_three_shown_shows_no_distribution(cast, client):
    small = make_round(cast.school, [cast.schoolleider, cast.kartrekker], by=cast.kartrekker, title="Klein")
    for p in small.participants.all():
        fill_completely(p, phase_for=lambda code: 4)
    small = move_to(small, "closed", cast.kartrekker)
    agree_priorities(small, {"1.1": 1}, phase=3)

    growth = school_growth(cast.school, include_individual=True)
    mark = growth.accent("1.1").marks[[r.pk for r in growth.rounds].index(small.pk)]
    assert mark.phase == 3
    assert mark.counts is None  # two shown at most: never a distribution
    assert small in growth.hidden_rounds

    login(client, cast.kartrekker)
    html = client.get(reverse("assessments:growth", args=[cast.school.pk])).content.decode()
    assert "minder dan drie inzendingen werden getoond" in html
    assert "niet getoond" in html


def test_an_anonymous_round_counts_only_its_shown_set(cast):
    """A submission that is not in the shown set (it waits for a batch of three) never enters the growth figures."""
    round_ = move_to(cast.consensus_round, "closed", cast.kartrekker)  # five shown, all at phase 1 on layer 1
    waiting = round_.participants.first()
    Participant.objects.filter(pk=waiting.pk).update(shown_at=None)
    growth = school_growth(cast.school, include_individual=True)
    mark = growth.accent("1.1").marks[[r.pk for r in growth.rounds].index(round_.pk)]
    assert mark.counts == {1: 4, 2: 0, 3: 0, 4: 0}
    assert (mark.low, mark.high, mark.answered) == (1, 1, 4)


def test_no_closed_round_yet(cast, client):
    Round.objects.filter(pk=cast.closed_round.pk).update(status="consensus")
    login(client, cast.kartrekker)
    html = client.get(reverse("assessments:growth", args=[cast.school.pk])).content.decode()
    assert "Er is nog geen afgesloten ronde." in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rounds_or_goals(cast, client):
    login(client, cast.kartrekker)
    url = reverse("assessments:growth", args=[cast.school.pk])
    one_round = _queries(client, url)
    for year in range(2021, 2026):
        closed_round(cast, f"Ronde {year}", 2, when=datetime.date(year, 10, 1))
        goal = make_goal(cast.school, cast.kartrekker, title=f"Doel {year}", layer_code="1", accent_code="1.1")
        make_action(cast.school, cast.kartrekker, goal=goal, layer_code="1")
    assert Round.objects.filter(school=cast.school, status="closed").count() == 6
    assert _queries(client, url) == one_round


def test_the_board_page_shows_growth_per_school(cast, three_years, client):
    from pages.board_overview import board_overview

    rows = {row.school.name: row for row in board_overview(cast.board)}
    # First round: phase 1 everywhere; newest: 2 everywhere but 3A.2 at 3. Fifteen accents grew.
    assert (rows["De Regenboog"].grown, rows["De Regenboog"].lowered, rows["De Regenboog"].same) == (15, 0, 0)
    assert (rows["De Horizon"].grown, rows["De Horizon"].same) == (0, 0)
    login(client, cast.board_member)
    html = client.get(reverse("organisations:board", args=[cast.board.pk])).content.decode()
    assert "15 accenten gegroeid" in html
    assert reverse("assessments:growth", args=[cast.school.pk]) in html


def test_board_growth_queries_do_not_grow_with_schools_and_years(cast, client):
    from organisations.models import Role
    from tests.factories import make_member, make_school, make_user

    login(client, cast.board_member)
    url = reverse("organisations:board", args=[cast.board.pk])
    before = _queries(client, url)
    for i in range(3):
        school = make_school(cast.board, f"School {i}")
        leader = make_user(f"Leider {i}", f"leider{i}@school.test")
        make_member(school, leader, Role.SCHOOLLEIDING)
        for year in (2024, 2025):
            round_ = make_round(school, [leader], by=leader, title=f"Ronde {year}", anonymous=False)
            round_ = move_to(round_, "closed", leader)
            agree_priorities(round_, {"1.1": 1}, phase=year - 2022)
    assert _queries(client, url) == before
    assert "1 accent gegroeid" in client.get(url).content.decode()


def test_the_demo_school_shows_growth_over_three_school_years(db):
    import io

    from django.core.management import call_command

    from organisations.models import School

    call_command("demo", stdout=io.StringIO())
    school = School.objects.get(name="OBS De Regenboog")
    growth = school_growth(school, include_individual=True)
    assert [r.title for r in growth.rounds] == [
        "Startmeting – schooljaar 2023-2024",
        "Jaarlijkse meting – schooljaar 2024-2025",  # no module named before the team training began (issue 14)
        "Jaarlijkse meting – schooljaar 2025-2026",
    ]
    changes = [a.change for a in growth.accents]
    assert all(c is not None for c in changes)
    assert sum(1 for c in changes if c > 0) >= 5  # visible growth
    assert growth.accent("2.2").marks[1].phase > growth.accent("2.2").marks[2].phase  # and one slip back
    assert not growth.hidden_rounds  # eight shown submissions in each round: distributions for members


def test_the_result_page_and_its_pdf_show_the_growth_up_to_that_round(cast, three_years, client):
    first, second, third = three_years
    login(client, cast.board_member)
    html = client.get(reverse("assessments:result", args=[cast.school.pk, second.pk])).content.decode()
    assert "Groei tot en met deze ronde" in html
    assert "1 → 2" in html and "1 → 2 → 3" not in html  # the third round came later: not in the second's report
    html = client.get(reverse("assessments:result", args=[cast.school.pk, third.pk])).content.decode()
    assert "1 → 2 → 3" in html
    html = client.get(reverse("assessments:result", args=[cast.school.pk, first.pk])).content.decode()
    assert "Groei tot en met deze ronde" not in html  # one round: no growth yet

    from organisations.access import get_school_access
    from pages.round_result import result_context

    # The PDF report renders the page's template with this same context.
    context = result_context(get_school_access(cast.board_member, cast.school.pk), third)
    assert [r.pk for r in context["growth"].rounds] == [first.pk, second.pk, third.pk]


def test_the_pdf_report_shows_the_growth_up_to_that_round_with_ranges(cast, three_years, client):
    """The report (pypdf's text of the PDF a reader downloads): the third round's has the course over all three rounds
    and a range agreed in it as "2-3"; the second round's stops at the second round."""
    from tests.assessments.test_round_exports import pdf_text

    first, second, third = three_years
    ConsensusItem.objects.filter(round=third, accent_code="1.1").update(phase=2, phase_to=3)  # "fase 2-3"
    login(client, cast.board_member)

    def report(round_) -> str:
        response = client.get(reverse("assessments:result_pdf", args=[cast.school.pk, round_.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        return pdf_text(response.content)[1]

    text = report(third)
    assert "Groei tot en met deze ronde" in text
    assert "De gezamenlijke groeifase per accent in 3 afgesloten rondes, de oudste eerst." in text
    # Each row: the accent, each round's date in the column of its phase, the course and the change.
    assert "3A.2 Relaties met leerlingen okt 2024 okt 2025 okt 2026 1 → 2 → 3 2 fases gegroeid" in text
    assert "2.1 Missie en visie okt 2024 okt 2025 okt 2026 1 → 2 → 2 1 fase gegroeid" in text
    # The range: its date with "(2-3)" in both columns it runs through, and "2-3" in the course.
    assert "1.1 Motivatie ontwikkelen okt 2024 okt 2025 okt 2026 (2-3) okt 2026 (2-3) 1 → 2 → 2-3" in text

    text = report(second)
    assert "Groei tot en met deze ronde" in text
    assert "in 2 afgesloten rondes" in text
    assert "3A.2 Relaties met leerlingen okt 2024 okt 2025 1 → 2 1 fase gegroeid" in text
    assert "1.1 Motivatie ontwikkelen okt 2024 okt 2025 1 → 2 1 fase gegroeid" in text
    assert "okt 2026" not in text and "→ 3" not in text and "(2-3)" not in text  # the third round came later


def test_the_excel_overview_has_a_growth_sheet_up_to_that_round(cast, three_years, client):
    import io

    from openpyxl import load_workbook

    first, second, third = three_years
    login(client, cast.board_member)

    def sheet(round_):
        response = client.get(reverse("assessments:result_xlsx", args=[cast.school.pk, round_.pk]))
        assert response.status_code == 200
        return load_workbook(io.BytesIO(response.content))

    assert "Groei" not in sheet(first).sheetnames  # one round: nothing to compare
    wb = sheet(third)
    rows = list(wb["Groei"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Groeilaag", "Accentcode", "Accent")
    assert [h.split(" (")[0] for h in rows[0][3:6]] == ["Afgesloten ronde", "Ronde 2025", "Ronde 2026"]
    assert rows[0][6] == "Verandering (fases)"
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code["3A.2"][3:] == (1, 2, 3, 2)
    assert by_code["1.1"][3:] == (1, 2, 2, 1)
    assert len(sheet(second)["Groei"][1]) == 6  # the second round's file stops at the second round


def test_each_layer_names_the_training_modules_that_serve_it(cast, three_years, client):
    """Tabel 1.2 of the handbook (reference content): layer 1 is served by modules 1 and 2, layer 2 by module 4."""
    login(client, cast.kartrekker)
    html = client.get(reverse("assessments:growth", args=[cast.school.pk])).content.decode()
    layer1 = html[html.index('id="g-layer-1"') : html.index('id="g-layer-2"')]
    assert "Module 1: Trauma en veerkracht bij kinderen; Module 2: Kijken door een traumabril." in layer1
    layer2 = html[html.index('id="g-layer-2"') : html.index('id="g-layer-3A"')]
    assert "Module 4" in layer2 and "Module 1" not in layer2
    assert reverse("reference:topic", args=["teamtraining-ontwikkelmodel"]) in html
