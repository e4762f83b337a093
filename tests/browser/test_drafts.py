"""Drafts: saved while typing (htmx), kept in localStorage until the server has them, survive a logout."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser

AUTOSAVE = re.compile(r"/invullen/1/concept/$")


@pytest.fixture
def filling(browser_cast, page):
    """The kartrekker, logged in, on layer 1 of the open round."""
    cast = browser_cast
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/rondes/{cast.open_round.pk}/invullen/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Groeilaag 1:"))
    participant = cast.open_round.participants.get(user=cast.kartrekker)
    draft_key = f"gw-draft:round-{cast.open_round.pk}-user-{cast.kartrekker.pk}-1"
    return page, participant, draft_key


def stored(participant, code, field):
    answer = Answer.objects.filter(participant=participant, accent_code=code).first()
    return getattr(answer, field) if answer else None


def local_draft(page, key):
    raw = page.evaluate("key => localStorage.getItem(key)", key)
    return json.loads(raw)["state"] if raw else None


def test_draft_is_saved_while_typing(filling, page_log):
    page, participant, draft_key = filling
    status = page.locator("#save-status")
    accent = page.get_by_role("group", name=re.compile(r"^1\.1 "))
    with page.expect_response(AUTOSAVE) as response:
        accent.get_by_label("Sterke punten die je ziet").press_sequentially("Collega's vangen elkaar op")
    assert response.value.ok
    expect(status).to_contain_text("Concept opgeslagen")
    assert stored(participant, "1.1", "strengths") == "Collega's vangen elkaar op"
    assert local_draft(page, draft_key) is None  # the server has it: the browser copy is gone

    # Choosing a phase saves at once ("change"), also without pressing a button. (Leaving the textarea
    # fires a "change" first, so wait for the request that carries the phase.)
    with page.expect_response(
        lambda r: bool(AUTOSAVE.search(r.url)) and "phase-1.2=4" in r.request.post_data
    ) as response:
        page.get_by_role("group", name=re.compile(r"^1\.2 ")).get_by_text("Groeifase 4").click()
    assert response.value.ok
    assert stored(participant, "1.2", "phase") == 4
    assert stored(participant, "1.1", "strengths") == "Collega's vangen elkaar op"
    page_log.assert_clean()


def test_unsaved_text_comes_back_after_a_reload(filling, page_log):
    page, participant, draft_key = filling
    goal = page.get_by_role("group", name=re.compile(r"^1\.3 ")).get_by_label("Volgend ontwikkeldoel")

    # The connection drops: the autosave request never reaches the server.
    page.route(AUTOSAVE, lambda route: route.abort("internetdisconnected"))
    with page.expect_event("requestfailed", lambda r: bool(AUTOSAVE.search(r.url))):
        goal.press_sequentially("Elke week even stilstaan")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Niet opgeslagen: geen verbinding"))
    assert stored(participant, "1.3", "goal") is None
    assert local_draft(page, draft_key)["goal-1.3"] == "Elke week even stilstaan"

    # Back online and reload (or come back tomorrow): the text is put back from localStorage and saved.
    page.unroute(AUTOSAVE)
    with page.expect_response(AUTOSAVE) as response:
        page.reload()
    assert response.value.ok
    expect(goal).to_have_value("Elke week even stilstaan")
    expect(page.locator("#save-status")).to_contain_text("Concept opgeslagen")
    assert stored(participant, "1.3", "goal") == "Elke week even stilstaan"
    assert local_draft(page, draft_key) is None
    page_log.assert_clean()


def test_text_typed_after_logging_out_elsewhere_is_kept(filling, page_log):
    page, participant, draft_key = filling
    cast_user = participant.user
    strengths = page.get_by_role("group", name=re.compile(r"^1\.2 ")).get_by_label("Sterke punten die je ziet")

    # Log out in another tab of the same browser.
    other = page.context.new_page()
    other.goto("/")
    with other.expect_navigation():
        other.get_by_role("button", name="Uitloggen").click()
    expect(other).to_have_url(re.compile(r"/inloggen/"))
    other.close()

    # Typing on: the autosave is refused (401) and the status says why, with a way back.
    with page.expect_response(AUTOSAVE) as response:
        strengths.press_sequentially("Getypt na het uitloggen")
    assert response.value.status == 401
    status = page.locator("#save-status")
    expect(status).to_contain_text("Je bent uitgelogd")
    login_link = status.get_by_role("link", name="Log opnieuw in om verder te gaan")
    expect(login_link).to_be_visible()
    check_a11y(page, "invullen, uitgelogd")
    assert stored(participant, "1.2", "strengths") is None
    assert local_draft(page, draft_key)["strengths-1.2"] == "Getypt na het uitloggen"

    # Log in again: back on the same page, the text is restored and saved.
    login_link.click()
    expect(page).to_have_url(re.compile(r"/inloggen/\?next="))
    with page.expect_response(AUTOSAVE) as response:
        login(page, cast_user)
    assert response.value.ok
    expect(page).to_have_url(re.compile(rf"/rondes/{participant.round_id}/invullen/1/$"))
    expect(strengths).to_have_value("Getypt na het uitloggen")
    expect(page.locator("#save-status")).to_contain_text("Concept opgeslagen")
    assert stored(participant, "1.2", "strengths") == "Getypt na het uitloggen"
    assert local_draft(page, draft_key) is None
    page_log.assert_clean()


def test_text_typed_after_logging_in_again_elsewhere_is_kept(filling, page_log):
    """Logging out and in again in another tab gives a new CSRF token: this tab's autosave gets a 403."""
    page, participant, draft_key = filling
    other = page.context.new_page()
    other.goto("/")
    with other.expect_navigation():
        other.get_by_role("button", name="Uitloggen").click()
    login(other, participant.user)
    other.close()

    strengths = page.get_by_role("group", name=re.compile(r"^1\.2 ")).get_by_label("Sterke punten die je ziet")
    with page.expect_response(AUTOSAVE) as response:
        strengths.press_sequentially("Na opnieuw inloggen")
    assert response.value.status == 403
    # A plain sentence, not Django's CSRF error page pasted into the status line.
    status = page.locator("#save-status")
    expect(status).to_have_text(re.compile(r"^Niet opgeslagen: .*laad de pagina opnieuw"))
    assert page.evaluate("() => document.getElementById('save-status').children.length") == 0
    assert stored(participant, "1.2", "strengths") is None

    with page.expect_response(AUTOSAVE) as response:
        page.reload()
    assert response.value.ok
    expect(strengths).to_have_value("Na opnieuw inloggen")
    expect(status).to_contain_text("Concept opgeslagen")
    assert stored(participant, "1.2", "strengths") == "Na opnieuw inloggen"
    assert local_draft(page, draft_key) is None
    page_log.assert_clean()


def test_priority_chosen_twice_is_not_saved_and_says_why(browser_cast, page, page_log):
    cast = browser_cast
    round_ = cast.open_round
    participant = round_.participants.get(user=cast.kartrekker)
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/rondes/{round_.pk}/invullen/prioriteiten/")
    draft_key = f"gw-draft:round-{round_.pk}-user-{cast.kartrekker.pk}-prioriteiten"
    status = page.locator("#save-status")
    autosave = re.compile(r"/invullen/prioriteiten/concept/$")

    with page.expect_response(autosave):
        page.get_by_label("Prioriteit 1").select_option(value="2.2")
    expect(status).to_contain_text("Concept opgeslagen")
    with page.expect_response(autosave) as response:
        page.get_by_label("Prioriteit 2").select_option(value="2.2")
    assert response.value.status == 400
    expect(status).to_contain_text("Niet opgeslagen: Dit accent staat al op prioriteit 1.")
    assert list(participant.priorities.values_list("rank", "accent_code")) == [(1, "2.2")]
    assert local_draft(page, draft_key)["rank-2"] == "2.2"  # kept until the server has it

    with page.expect_response(autosave) as response:
        page.get_by_label("Prioriteit 2").select_option(value="3B.1")
    assert response.value.ok
    expect(status).to_contain_text("Concept opgeslagen")
    assert list(participant.priorities.order_by("rank").values_list("rank", "accent_code")) == [
        (1, "2.2"),
        (2, "3B.1"),
    ]
    assert local_draft(page, draft_key) is None
    page_log.assert_clean()


def test_read_only_answers_are_not_overwritten_by_a_browser_copy(browser_cast, page, page_log):
    """After submitting (here: the round is in the consensus meeting) an old local copy must not show up."""
    cast = browser_cast
    round_ = cast.consensus_round
    login(page, cast.werkgroeplid)
    page.goto(f"/scholen/{cast.school.pk}/rondes/{round_.pk}/invullen/1/")
    key = f"gw-draft:round-{round_.pk}-user-{cast.werkgroeplid.pk}-1"
    page.evaluate("key => localStorage.setItem(key, JSON.stringify({state: {'strengths-1.1': 'Oud concept'}}))", key)
    page.reload()
    strengths = page.get_by_role("group", name=re.compile(r"^1\.1 ")).get_by_label("Sterke punten die je ziet")
    expect(strengths).to_be_disabled()
    expect(strengths).to_have_value("Sterk")  # what was submitted
    expect(page.locator("#save-status")).to_be_empty()
    page_log.assert_clean()


def test_saved_minutes_are_not_put_back_after_a_reload(browser_cast, page, server_paused):
    """A form that carries a version (the minutes) gets a new version with every save. The browser copy of a
    saved text must go even so: a reload must neither say 'teruggezet' nor make the next save a conflict."""
    import datetime

    from actionplans.models import Meeting
    from tests.factories import make_meeting

    cast = browser_cast
    with server_paused():
        meeting = make_meeting(cast.school, cast.kartrekker, datetime.date.today(), location="Teamkamer")
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/actieplan/bijeenkomsten/{meeting.pk}/")
    minutes = page.get_by_role("textbox", name="Notulen")
    minutes.fill("Rustplekken besproken.")
    expect(page.locator("#minutes-status-text")).to_contain_text("Opgeslagen om")
    key = f"gw-draft:minutes-{meeting.pk}-user-{cast.kartrekker.pk}"
    assert local_draft(page, key) is None
    page.reload()
    expect(page.get_by_role("textbox", name="Notulen")).to_have_value("Rustplekken besproken.")
    expect(page.locator("#minutes-status-text")).not_to_contain_text("teruggezet")
    page.get_by_role("textbox", name="Notulen").fill("Rustplekken besproken. Tina regelt kussens.")
    expect(page.locator("#minutes-status-text")).to_contain_text("Opgeslagen om")
    expect(page.get_by_text("Iemand anders heeft de notulen intussen gewijzigd")).to_have_count(0)
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Rustplekken besproken. Tina regelt kussens."
    assert Meeting.objects.get(pk=meeting.pk).version == 3


def test_every_save_carries_its_page_and_number(filling, page_log):
    """The browser numbers its saves (static/js/app.js), so the server can keep a later save over a late one."""
    page, participant, _key = filling
    accent = page.get_by_role("group", name=re.compile(r"^1\.3 "))
    with page.expect_request(lambda r: bool(AUTOSAVE.search(r.url))) as first:
        accent.get_by_text("Weet ik niet", exact=True).click()
    with page.expect_request(lambda r: bool(AUTOSAVE.search(r.url)) and "Ilse" in (r.post_data or "")) as second:
        accent.get_by_label("Sterke punten die je ziet").press_sequentially("Ilse ziet rust")
    seen = [dict(part.split("=", 1) for part in req.value.post_data.split("&")) for req in (first, second)]
    assert seen[0]["save_page"] == seen[1]["save_page"] and re.fullmatch(r"[a-z0-9]{8,32}", seen[0]["save_page"])
    assert int(seen[1]["save_seq"]) > int(seen[0]["save_seq"]) >= 1
    full_post = page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/invullen/1/"))
    with full_post as full, page.expect_navigation():
        page.get_by_role("button", name="Opslaan en verder").click()
    posted = dict(part.split("=", 1) for part in full.value.post_data.split("&"))
    assert posted["save_page"] == seen[0]["save_page"] and int(posted["save_seq"]) > int(seen[1]["save_seq"])
    answer = Answer.objects.get(participant=participant, accent_code="1.3")
    assert (answer.phase, answer.strengths, answer.save_page) == (0, "Ilse ziet rust", posted["save_page"])
    page_log.assert_clean()


def test_the_button_waits_for_a_slow_autosave(filling, page_log, monkeypatch):
    """'Opslaan en verder' pressed while an autosave is still under way is sent after that autosave's answer
    (static/js/app.js), so the two cannot cross on the way."""
    import time

    from assessments import services

    page, participant, _key = filling
    real = services.do_save_answers
    slow = []

    def slow_first(**kwargs):
        if not slow:
            slow.append(True)
            time.sleep(1.5)
        return real(**kwargs)

    monkeypatch.setattr(services, "do_save_answers", slow_first)
    moments = {}
    page.on(
        "requestfinished",
        lambda r: moments.setdefault("autosave done", time.monotonic()) if AUTOSAVE.search(r.url) else None,
    )
    page.on(
        "request",
        lambda r: (
            moments.setdefault("page sent", time.monotonic())
            if r.method == "POST" and r.url.endswith("/invullen/1/")
            else None
        ),
    )
    accent = page.get_by_role("group", name=re.compile(r"^1\.3 "))
    with page.expect_request(lambda r: bool(AUTOSAVE.search(r.url))):
        accent.get_by_text("Weet ik niet", exact=True).click()
    accent.get_by_label("Sterke punten die je ziet").fill("Ilse ziet rust")
    with page.expect_navigation(timeout=15_000):
        page.get_by_role("button", name="Opslaan en verder").click()
    assert moments["page sent"] > moments["autosave done"], moments
    answer = Answer.objects.get(participant=participant, accent_code="1.3")
    assert (answer.phase, answer.strengths) == (0, "Ilse ziet rust")
    page_log.assert_clean()
