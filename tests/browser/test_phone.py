"""Phone width (390 px, issue 14, part 5): the main pages never scroll sideways as a whole, the site menu folds
behind a "Menu" button (and works with the keyboard), wide tables scroll inside their own box, the login error fits."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import agree_priorities, make_action, make_goal, make_meeting
from tests.training.board_fixtures import make_beheerder, make_board_training
from tests.training_fixtures import make_training
from trajectory import services as trajectory_services

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def overflow(page) -> dict:
    return page.evaluate(
        """() => ({width: document.documentElement.scrollWidth, inner: window.innerWidth,
                   wide: [...document.querySelectorAll('body *')].filter(e => {
                       const r = e.getBoundingClientRect();
                       return r.right > window.innerWidth + 1 && !e.closest('.gw-table-wrap');
                   }).slice(0, 5).map(e => e.tagName + '.' + e.className)})"""
    )


def assert_fits(page, label):
    result = overflow(page)
    assert result["width"] <= result["inner"], f"{label}: {result}"


def main_pages(cast, plan, training, board_training):
    """label -> (who opens it, url): the kartrekker's pages, the trainer's home, the board's pages for its beheerder."""
    s, b = cast.school.pk, cast.board.pk
    k, trainer, board = cast.kartrekker, cast.trainer, cast.board_member
    return {
        "school": (k, reverse("organisations:school", args=[s])),
        "zo begin je": (k, reverse("organisations:onboarding", args=[s])),
        "traject": (k, reverse("trajectory:overview", args=[s])),
        "teamtraining": (k, reverse("training:overview", args=[s])),
        "trainingsplan": (k, reverse("training:plan", args=[s, training.plan.pk])),
        "actieplan": (k, reverse("actionplans:plan", args=[s])),
        "team": (k, reverse("organisations:members", args=[s])),
        "ronde": (k, reverse("assessments:round", args=[s, cast.open_round.pk])),
        "consensus": (k, reverse("assessments:consensus", args=[s, cast.consensus_round.pk])),
        "resultaat": (k, reverse("assessments:result", args=[s, cast.closed_round.pk])),
        "ontwikkelmodel": (k, reverse("ontwikkelmodel:model")),
        "naslag": (k, reverse("reference:index")),
        "mijn gegevens": (k, reverse("accounts:account")),
        "start": (k, reverse("home")),
        "start trainer": (trainer, reverse("home")),
        "bestuur": (board, reverse("organisations:board", args=[b])),
        "bestuur scholen": (board, reverse("organisations:board_schools", args=[b])),
        "bestuur trainingen": (board, reverse("training:board_trainings", args=[b])),
        "bestuur training": (board, reverse("training:board_training", args=[b, board_training.training.pk])),
    }


@pytest.fixture
def school_with_everything(browser_cast):
    cast = browser_cast
    k = cast.kartrekker
    agree_priorities(cast.closed_round, {"3B.1": 1, "1.1": 2, "2.1": 3})
    goal = make_goal(cast.school, k, "Rust in de school", "3B", accent_code="3B.1")
    for i in range(3):
        make_action(cast.school, k, f"Rustruimte inrichten in bouw {i}", goal=goal, owner=cast.teamlid, steps=["Plek"])
    today = datetime.date.today()
    make_meeting(cast.school, k, today + datetime.timedelta(days=7), location="Teamkamer")
    make_meeting(cast.school, k, today - datetime.timedelta(days=7), location="Aula")
    training = make_training(cast)
    module1 = training.plan.sessions.get(kind="module1").date
    trajectory_services.do_start_trajectory(school=cast.school, training_start=module1, acting_user=cast.schoolleider)
    return cast, goal, training


def test_main_pages_fit_a_phone(school_with_everything, new_context):
    cast, plan, training = school_with_everything
    make_beheerder(cast)  # the board's pages: its schools and its training for new staff
    board_training = make_board_training(cast)
    pages = {}
    for label, (who, url) in main_pages(cast, plan, training, board_training).items():
        if who not in pages:
            pages[who] = new_context(viewport=PHONE).new_page()
            login(pages[who], who)
        response = pages[who].goto(url)
        assert response is not None and response.status == 200, label
        assert_fits(pages[who], label)
    assert len(pages) == 3


def test_the_menu_folds_on_a_phone_and_opens_with_the_keyboard(school_with_everything, new_context):
    cast, _plan, _training = school_with_everything
    page = new_context(viewport=PHONE).new_page()
    login(page, cast.kartrekker)
    page.goto(reverse("organisations:school", args=[cast.school.pk]))
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    check_a11y(page, "school op een telefoon, menu dicht")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Actieplan")).to_be_visible()
    assert_fits(page, "menu open")
    check_a11y(page, "school op een telefoon, menu open")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()
    toggle.click()
    menu.get_by_role("link", name="Actieplan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Actieplan")
    assert_fits(page, "actieplan")


def test_on_a_wide_screen_the_menu_is_open_and_there_is_no_button(school_with_everything, new_context):
    cast, _plan, _training = school_with_everything
    page = new_context().new_page()
    login(page, cast.kartrekker)
    page.goto(reverse("organisations:school", args=[cast.school.pk]))
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Traject")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_without_javascript_the_menu_stays_open_and_fits(school_with_everything, new_context):
    cast, _plan, _training = school_with_everything
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    login(page, cast.kartrekker)
    page.goto(reverse("organisations:school", args=[cast.school.pk]))
    expect(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Traject")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    assert_fits(page, "zonder JavaScript")


def test_the_login_error_fits_a_phone(browser_cast, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto(reverse("accounts:login"))
    page.get_by_label("E-mailadres").fill("iemand.met.een.heel.lang.adres.bij.een.school@basisschool-de-regenboog.nl")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Inloggen is niet gelukt")
    box = alert.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_fits(page, "inloggen met fout")
    check_a11y(page, "inloggen met fout op een telefoon")
