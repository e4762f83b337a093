"""Issue 11 ("Trust") in the browser, in Dutch, as the real users walk through it; axe-core on every main page and
state.

- Mijn gegevens: the printable overview, the JSON download, erasing the account (a wrong address keeps you logged in
  with a Dutch error; the right one, typed with the keyboard only, logs you out).
- Two-step verification: set up from Mijn gegevens (QR code with a text alternative, the secret in text, confirmed
  with a code computed from that secret), recovery codes, then the second step at the next login.
- The school's and the board's audit log, the filter used with the keyboard.
- The team page after an invitation: the mail status in words, sending it again.
- A school that leaves: a wrong name changes nothing; the right name deletes the school.
- The consensus page of an anonymous round with submissions waiting for a batch of three.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from assessments import services
from assessments.models import Round
from audit.models import AuditEvent
from organisations.models import Invitation, School
from tests.factories import PASSWORD, fill_completely, move_to
from tests.twofactor_helpers import code_for

from .helpers import check_a11y, login

pytestmark = pytest.mark.browser


def focus_by_tab(page, selector: str, limit: int = 60):
    """Press Tab until the element matching ``selector`` has the focus (keyboard only, no clicks)."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{selector} is niet met Tab te bereiken op {page.url}", pytrace=False)


def my_data_link(page, user):
    return page.get_by_role("link", name=f"{user.name} (mijn gegevens)")


# Mijn gegevens: overview, download, erasure ---------------------------------------------------------------------


def test_my_data_overview_download_and_erasure_by_keyboard(browser_cast, page):
    cast = browser_cast
    user = cast.teamlid
    login(page, user)
    my_data_link(page, user).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")

    # The printable overview.
    page.get_by_role("link", name="Bekijk alles wat we van je bewaren (om te printen)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alles wat Groeiwijzer TSO van je bewaart")
    expect(page.get_by_role("heading", name="Je account")).to_be_visible()
    expect(page.get_by_text(user.email, exact=True)).to_be_visible()
    check_a11y(page, "overzicht van mijn gegevens")

    # The JSON download, from the overview page.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Dezelfde gegevens als JSON-bestand (om in te lezen)").click()
    download = download_info.value
    assert re.fullmatch(r"mijn-gegevens-groeiwijzer-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as fh:
        data = json.load(fh)
    assert user.email in json.dumps(data, ensure_ascii=False)

    # The erasure page; a wrong address: a Dutch error, nothing erased, still logged in, the input kept.
    page.goto("/mijn-gegevens/")
    page.get_by_role("link", name="Account wissen…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je account en je gegevens wissen")
    check_a11y(page, "account wissen")
    field = page.get_by_label("Typ je e-mailadres om te bevestigen")
    field.fill("iemand.anders@regenboog.test")
    page.get_by_role("button", name="Mijn account definitief wissen").click()
    error = "Dit is niet het e-mailadres van je account. Er is niets gewist."
    expect(page.get_by_role("alert")).to_contain_text(error)
    expect(field).to_have_value("iemand.anders@regenboog.test")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "id_email_error")
    expect(page.locator("#id_email_error")).to_have_count(1)
    expect(page.locator("#id_email_error")).to_have_text(error)
    expect(my_data_link(page, user)).to_be_visible()
    check_a11y(page, "account wissen met fout")
    assert User.objects.filter(pk=user.pk, email=user.email).exists()

    # The right address, with the keyboard only.
    focus_by_tab(page, "#id_email")
    page.keyboard.press("Control+A")
    page.keyboard.type(user.email)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/inloggen/" in page.url
    expect(page.get_by_text("Je account en je persoonsgegevens zijn gewist. Je bent uitgelogd.")).to_be_visible()
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("mijn gegevens"))).to_have_count(0)
    check_a11y(page, "inlogpagina na wissen")
    assert not User.objects.filter(email=user.email).exists()

    # Logged out for real: Mijn gegevens asks to log in again.
    page.goto("/mijn-gegevens/")
    assert "/inloggen/" in page.url


# Two-step verification ----------------------------------------------------------------------------------------


def test_two_step_verification_set_up_and_used_at_login(browser_cast, page):
    cast = browser_cast
    user = cast.werkgroeplid
    login(page, user)
    my_data_link(page, user).click()
    page.get_by_role("link", name="Tweestapsverificatie aanzetten of beheren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie aanzetten")
    qr = page.get_by_role("img", name=re.compile("QR-code om Groeiwijzer TSO"))
    expect(qr).to_be_visible()
    expect(qr).to_have_attribute("alt", re.compile("Typ de sleutel hieronder"))
    secret = page.locator("#gw-totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})*", secret), secret
    key = secret.replace(" ", "")  # the base32 secret an app stores
    check_a11y(page, "tweestapsverificatie aanzetten")

    # A wrong code first: a Dutch error at the field, announced.
    code_field = page.get_by_label("Code uit je app")
    expect(code_field).to_be_focused()
    code_field.fill("12345")
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_role("alert")).to_contain_text("Een code bestaat uit 6 cijfers.")
    expect(code_field).to_have_attribute("aria-invalid", "true")
    assert page.locator("#gw-totp-secret").inner_text() == secret  # same secret while the set-up is valid
    check_a11y(page, "tweestapsverificatie aanzetten met fout")

    code_field.fill(code_for(key))
    page.get_by_role("button", name="Aanzetten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Je herstelcodes")
    expect(page.get_by_text("Tweestapsverificatie staat aan.")).to_be_visible()
    codes = page.get_by_role("list", name="Herstelcodes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    expect(codes.first).to_have_text(re.compile(r"^\d{8}$"))  # allauth.mfa's recovery codes: 8 digits
    check_a11y(page, "herstelcodes")

    # Next login: the second step.
    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_be_visible()
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code uit je app")
    assert "/inloggen/tweede-stap/" in page.url
    check_a11y(page, "code uit je app")
    # Not in yet: Mijn gegevens leads back to the second step.
    page.goto("/mijn-gegevens/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Code uit je app")

    # A wrong code: the Dutch error is tied to the field, which has the focus again (so it is read out).
    code_field = page.get_by_label("Code uit je app")
    code_field.fill("000000" if code_for(key, steps_ahead=1) != "000000" else "111111")
    page.get_by_role("button", name="Verder").click()
    expect(page.locator("#id_code_error")).to_have_count(1)  # the id aria-describedby names is unique
    expect(page.locator("#id_code_error")).to_contain_text("Deze code klopt niet.")
    expect(code_field).to_be_focused()
    expect(code_field).to_have_attribute("aria-describedby", re.compile(r"\bid_code_error\b"))
    check_a11y(page, "code uit je app met fout")
    page.wait_for_timeout(1100)  # after a wrong code the next is checked 1 s later (accounts.SecondFactorThrottle)

    code_field.fill(code_for(key, steps_ahead=1))
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    expect(my_data_link(page, user)).to_be_visible()
    page.get_by_role("link", name="Tweestapsverificatie aanzetten of beheren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")
    expect(page.get_by_text("Je hebt nog 10 herstelcodes.")).to_be_visible()
    check_a11y(page, "tweestapsverificatie beheren")


# Audit logs ---------------------------------------------------------------------------------------------------


def test_school_log_filtered_with_the_keyboard(browser_cast, page):
    cast = browser_cast
    login(page, cast.schoolleider)
    page.goto(f"/scholen/{cast.school.pk}/")
    page.get_by_role("link", name="Wie deed wat, en wanneer: het logboek van de school").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logboek")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Karel Kartrekker")
    check_a11y(page, "logboek van de school")

    # Filter on a person, keyboard only: Tab to "Wie", type the name, Tab to "Filter", Enter.
    focus_by_tab(page, "#id_persoon")
    page.keyboard.type("Karel")
    expect(page.get_by_label("Wie")).to_have_value(str(cast.kartrekker.pk))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Filter")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"persoon={cast.kartrekker.pk}" in page.url
    expect(page.get_by_label("Wie")).to_have_value(str(cast.kartrekker.pk))
    who = table.locator("tbody tr td:nth-child(2)")
    expect(who.first).to_be_visible()
    assert set(who.all_inner_texts()) == {"Karel Kartrekker"}
    expect(page.get_by_role("link", name="Alles tonen")).to_be_visible()
    check_a11y(page, "logboek van de school, gefilterd")

    # A tampered filter: a Dutch error, never a 500.
    page.goto(f"/scholen/{cast.school.pk}/logboek/?persoon=999999")
    expect(page.get_by_role("alert")).to_contain_text("Kies een persoon uit de lijst.")
    check_a11y(page, "logboek met foute filter")


def test_board_log(browser_cast, page):
    cast = browser_cast
    login(page, cast.board_member)
    page.goto(f"/besturen/{cast.board.pk}/")
    page.get_by_role("link", name=re.compile("Logboek van het bestuur")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logboek van het bestuur")
    expect(page.get_by_role("navigation", name="Kruimelpad")).to_contain_text("Bestuur Noord")
    expect(page.get_by_role("search", name="Logboek filteren")).to_be_visible()
    check_a11y(page, "logboek van het bestuur")


# Team page: mail status and sending again -----------------------------------------------------------------------


def test_invitation_mail_status_and_resend(browser_cast, page):
    cast = browser_cast
    mail.outbox.clear()
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/")
    page.get_by_role("link", name="Team", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Team")
    page.get_by_label("E-mailadressen").fill("nieuw@regenboog.test")
    page.get_by_role("checkbox", name="Teamlid").check()
    page.get_by_role("button", name="Uitnodigingen versturen").click()
    invitation = page.get_by_role("listitem").filter(has_text="nieuw@regenboog.test")
    expect(invitation).to_contain_text("e-mail: verstuurd")
    check_a11y(page, "team met openstaande uitnodiging")
    assert [m.to for m in mail.outbox] == [["nieuw@regenboog.test"]]
    first_link = Invitation.objects.get(email="nieuw@regenboog.test").token_hash

    page.get_by_role("button", name="Uitnodiging voor nieuw@regenboog.test opnieuw versturen (nieuwe link)").click()
    expect(page.get_by_text("De uitnodiging voor nieuw@regenboog.test gaat opnieuw de deur uit")).to_be_visible()
    expect(invitation).to_contain_text("e-mail: verstuurd")
    check_a11y(page, "team na opnieuw versturen")
    inv = Invitation.objects.get(email="nieuw@regenboog.test")
    assert inv.resent_count == 1
    assert inv.token_hash != first_link
    assert len(mail.outbox) == 2


# A school that leaves ----------------------------------------------------------------------------------------


def _to_leaving_page(page, cast):
    login(page, cast.schoolleider)
    page.goto(f"/scholen/{cast.school.pk}/")
    page.get_by_role("link", name="Alle gegevens van de school downloaden, of de school verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("De Regenboog verwijderen")


def test_leaving_with_a_wrong_name_deletes_nothing(browser_cast, page):
    cast = browser_cast
    _to_leaving_page(page, cast)
    check_a11y(page, "school verwijderen")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Alle gegevens van de school downloaden (zip)").click()
    assert download_info.value.suggested_filename.endswith(".zip")

    field = page.get_by_label("Typ de naam van de school om te bevestigen")
    field.fill("Regenboog")
    page.get_by_role("button", name="School definitief verwijderen").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Dit is niet precies de naam van de school. Er is niets verwijderd."
    )
    expect(field).to_have_value("Regenboog")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name_error")).to_have_count(1)
    check_a11y(page, "school verwijderen met fout")
    assert School.objects.filter(pk=cast.school.pk).exists()
    assert Round.objects.filter(school=cast.school).count() == 3


def test_leaving_with_the_right_name(browser_cast, page):
    cast = browser_cast
    _to_leaving_page(page, cast)
    page.get_by_label("Typ de naam van de school om te bevestigen").fill("De Regenboog")
    page.get_by_role("button", name="School definitief verwijderen").click()
    expect(page.get_by_text("De school De Regenboog en al haar gegevens zijn verwijderd.")).to_be_visible()
    expect(
        page.get_by_text("Je account bestaat nog. Wil je ook dat wissen? Dat kan onder Mijn gegevens.")
    ).to_be_visible()
    check_a11y(page, "na het verwijderen van de school")
    assert not School.objects.filter(pk=cast.school.pk).exists()
    assert AuditEvent.objects.filter(board=cast.board, action="school.deleted").exists()


# Consensus of an anonymous round -----------------------------------------------------------------------------


def test_anonymous_consensus_with_a_submission_waiting(browser_cast, page, server_paused):
    cast = browser_cast
    round_ = cast.open_round  # anonymous, the five of the cast take part
    with server_paused():
        by_user = {p.user_id: p for p in round_.participants.all()}
        for user in (cast.schoolleider, cast.kartrekker, cast.werkgroeplid):
            fill_completely(by_user[user.pk])
        round_ = move_to(round_, "consensus", cast.kartrekker)  # these three are shown
        round_ = services.do_reopen_filling(round_=round_, acting_user=cast.kartrekker)
        fill_completely(by_user[cast.teamlid.pk])  # one more: waits for a batch of three
        round_ = move_to(round_, "consensus", cast.kartrekker)
    login(page, cast.kartrekker)
    page.goto(f"/scholen/{cast.school.pk}/rondes/{round_.pk}/consensus/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Consensusgesprek")
    intro = page.get_by_text("3 van 5 deelnemers hebben ingediend.")  # the shown set
    expect(intro).to_be_visible()
    expect(intro).to_contain_text("1 inzending komt erbij zodra er minstens 3 nieuwe zijn.")
    check_a11y(page, "consensus van een anonieme ronde")
