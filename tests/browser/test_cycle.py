"""The whole yearly cycle as people do it in the browser: invite, accept, open a round, fill in, consensus, result,
and the priorities taken over as goals of the action plan."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from actionplans.models import Goal
from assessments.models import Answer, ConsensusItem, Participant, Round, RoundStatus
from organisations.models import Invitation, Membership
from tests.factories import fill_completely

from .helpers import by_id, check_a11y, links_in, login

pytestmark = pytest.mark.browser

INVITEE_EMAIL = "ilse.nieuw@regenboog.test"
INVITEE_NAME = "Ilse Nieuw"
INVITEE_PASSWORD = "Zonnebloem-rood-2026"

# The invitee's phase per accent (1-4, 0 = "weet ik niet") and the consensus the team records.
INVITEE_PHASES = {"1.1": 2, "1.2": 3, "1.3": 0, "2.1": 4}
CONSENSUS = {
    "1.1": {"phase": 2, "strengths": "Het team wil dit echt.", "next_steps": "Studiedag plannen.", "priority": 1},
    "2.1": {"phase": 3, "strengths": "Visie staat op papier.", "next_steps": "Visie bespreken.", "priority": 2},
    "3A.2": {"phase": 1, "strengths": "", "next_steps": "Mentorgesprekken.", "priority": None},
}


def test_whole_cycle(browser_cast, new_context, page_log, server_paused):
    cast = browser_cast
    school = cast.school

    # Kartrekker logs in --------------------------------------------------------------------------------
    k = new_context().new_page()
    k.goto("/")
    expect(k).to_have_url(re.compile(r"/inloggen/"))
    check_a11y(k, "inloggen")
    login(k, cast.kartrekker)
    expect(k).to_have_url(re.compile(rf"/scholen/{school.pk}/$"))
    expect(k.get_by_role("heading", level=1)).to_have_text("De Regenboog")
    check_a11y(k, "schooldashboard")

    # ... and invites a new colleague on the Team page -------------------------------------------------
    k.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Team", exact=True).click()
    expect(k.get_by_role("heading", level=1)).to_contain_text("Team")
    check_a11y(k, "teampagina")
    mail.outbox.clear()
    k.get_by_label("E-mailadressen").fill(f"  {INVITEE_EMAIL.upper()} ;\n")
    k.get_by_role("checkbox", name="Werkgroeplid").check()
    k.get_by_role("button", name="Uitnodigingen versturen").click()
    expect(k.get_by_role("status")).to_contain_text("1 uitnodiging(en) aangemaakt. De e-mail staat in de wachtrij")
    expect(k.get_by_role("list").filter(has_text=INVITEE_EMAIL)).to_contain_text("Werkgroeplid")

    # The email was sent by the live server (same process, locmem backend).
    sent = [m for m in mail.outbox if INVITEE_EMAIL in m.to]
    assert len(sent) == 1, [m.to for m in mail.outbox]
    links = [u for u in links_in(sent[0].body) if "/uitnodiging/" in u]
    assert len(links) == 1, sent[0].body
    invite_link = links[0]
    assert invite_link.startswith(k.url.split("/scholen/")[0]), invite_link

    # The invitee opens the link in their own browser: opening consumes nothing -----------------------
    inv_page = new_context().new_page()
    inv_page.goto(invite_link)
    expect(inv_page.get_by_role("heading", level=1)).to_have_text("Uitnodiging voor De Regenboog")
    expect(inv_page.get_by_text(INVITEE_EMAIL)).to_be_visible()
    check_a11y(inv_page, "uitnodiging")
    invitation = Invitation.objects.get(school=school, email=INVITEE_EMAIL)
    assert invitation.is_open and invitation.accepted_at is None
    assert not User.objects.filter(email=INVITEE_EMAIL).exists()

    inv_page.get_by_label("Je naam").fill(INVITEE_NAME)
    inv_page.get_by_label("Kies een wachtwoord").fill(INVITEE_PASSWORD)
    inv_page.get_by_role("button", name="Uitnodiging aannemen").click()
    expect(inv_page).to_have_url(re.compile(rf"/scholen/{school.pk}/$"))
    expect(inv_page.get_by_role("status")).to_contain_text("Welkom bij De Regenboog!")
    invitee = User.objects.get(email=INVITEE_EMAIL)
    assert invitee.name == INVITEE_NAME and invitee.check_password(INVITEE_PASSWORD)
    assert Membership.objects.get(school=school, user=invitee).roles == ["werkgroeplid"]
    invitation.refresh_from_db()
    assert not invitation.is_open and invitation.accepted_by == invitee

    # Kartrekker opens a new round with the invitee among the participants ----------------------------
    k.get_by_role("link", name="De Regenboog").click()
    k.get_by_role("link", name="Nieuwe ronde openen").click()
    expect(k.get_by_role("heading", level=1)).to_have_text("Nieuwe ronde openen")
    check_a11y(k, "rondeformulier")
    k.get_by_label("Titel").fill("Na module 4 – 2026-2027")
    invitee_box = k.get_by_role("checkbox", name=re.compile(INVITEE_NAME))
    expect(invitee_box).to_be_checked()  # werkgroep is in the default selection
    k.get_by_role("checkbox", name=re.compile("Tina Teamlid")).check()
    k.get_by_role("button", name="Ronde openen").click()
    expect(k.get_by_role("status")).to_contain_text("De ronde is geopend.")
    round_ = Round.objects.get(school=school, title="Na module 4 – 2026-2027")
    participants = {p.user.email: p for p in Participant.objects.filter(round=round_).select_related("user")}
    assert INVITEE_EMAIL in participants and cast.teamlid.email in participants
    expect(k.get_by_role("heading", level=2)).to_contain_text(f"0 van {len(participants)} ingediend")
    check_a11y(k, "ronde beheren")

    # The invitee fills in all four growth layers ------------------------------------------------------
    p = inv_page
    p.reload()
    p.get_by_role("row", name=re.compile("Na module 4")).get_by_role("link", name="Mijn antwoorden invullen").click()
    layers = round_.model.layers
    for n, layer in enumerate(layers):
        expect(p.get_by_role("heading", level=1)).to_have_text(re.compile(rf"Groeilaag {layer.code}:"))
        if n == 0:
            check_a11y(p, "invullen groeilaag")
        for accent in layer.accents:
            block = p.locator(by_id(f"accent-{accent.code}"))
            phase = INVITEE_PHASES.get(accent.code, 1 + (len(accent.code) + n) % 4)
            if phase:
                # Click the phase text itself: the whole label is the click target.
                block.locator(".gw-phase").nth(phase - 1).locator(".gw-phase__text").click()
            else:
                block.get_by_text("Weet ik niet", exact=True).click()
            expect(block.locator(by_id(f"id_phase-{accent.code}_{phase}"))).to_be_checked()
            block.get_by_label("Sterke punten die je ziet").fill(f"Sterk bij {accent.code}: Ilse ziet rust")
            block.get_by_label("Volgend ontwikkeldoel").fill(f"Doel {accent.code}")
        with p.expect_navigation():
            p.get_by_role("button", name="Opslaan en verder").click()
        expect(p.get_by_role("status").first).to_contain_text("Je antwoorden zijn opgeslagen.")

    # ... picks five priorities ...
    expect(p.get_by_role("heading", level=1)).to_have_text("Jouw vijf prioriteiten")
    expect(p.get_by_text("Doel 2.1")).to_be_visible()  # her goals so far, as a reminder
    check_a11y(p, "prioriteiten")
    for rank, code in enumerate(["2.1", "1.1", "3B.3", "3A.2", "1.3"], start=1):
        p.get_by_label(f"Prioriteit {rank}").select_option(value=code)
    with p.expect_navigation():
        p.get_by_role("button", name="Opslaan en verder").click()

    # ... checks and submits.
    expect(p.get_by_role("heading", level=1)).to_have_text("Controleren en indienen")
    check_a11y(p, "controleren en indienen")
    expect(p.get_by_role("row", name=re.compile(r"^1\.3 "))).to_contain_text("weet ik niet")
    p.get_by_role("button", name="Antwoorden indienen").click()
    expect(p.get_by_role("status")).to_contain_text("Dank je wel! Je antwoorden zijn ingediend.")
    me = Participant.objects.get(round=round_, user=invitee)
    assert me.submitted_at is not None
    stored = {a.accent_code: a for a in Answer.objects.filter(participant=me)}
    assert len(stored) == len(round_.model.accents)
    for code, phase in INVITEE_PHASES.items():
        assert stored[code].phase == phase
        assert stored[code].strengths == f"Sterk bij {code}: Ilse ziet rust"
        assert stored[code].goal == f"Doel {code}"
    assert list(me.priorities.order_by("rank").values_list("accent_code", flat=True)) == [
        "2.1",
        "1.1",
        "3B.3",
        "3A.2",
        "1.3",
    ]

    # The others fill in through the services (their browser journey is the same) ---------------------
    with server_paused():
        for other in Participant.objects.filter(round=round_).exclude(user=invitee):
            fill_completely(other, phase_for=lambda code: 1 if code.startswith("1") else 3)

    # Kartrekker starts the consensus meeting -----------------------------------------------------------
    k.reload()
    expect(k.get_by_role("heading", level=2)).to_contain_text(f"{len(participants)} van {len(participants)}")
    k.once("dialog", lambda d: d.accept())
    k.get_by_role("button", name="Naar het consensusgesprek").click()
    expect(k.get_by_role("heading", level=1)).to_have_text("Consensusgesprek")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CONSENSUS
    check_a11y(k, "consensusgesprek")
    # Written answers are shown without names (anonymous round), including the invitee's.
    block = k.locator(by_id("accent-1.1"))
    block.get_by_text(re.compile(r"Wat deelnemers schreven")).click()
    expect(block.get_by_text("Sterk bij 1.1: Ilse ziet rust")).to_be_visible()
    expect(block).not_to_contain_text(INVITEE_NAME)

    for code, item in CONSENSUS.items():
        block = k.locator(by_id(f"accent-{code}"))
        if not block.count():  # its growth layer is folded (issue 15): opening it loads its accents (htmx)
            layer = k.locator(by_id(f"laag-{code.split('.')[0]}"))
            layer.get_by_text(re.compile(r"accenten? tonen")).click()
            expect(block).to_be_visible()
        block.get_by_role("radio", name=f"Fase {item['phase']}").check()
        block.get_by_label("Gedeelde sterke punten").fill(item["strengths"])
        block.get_by_label("Volgende ontwikkelstap(pen)").fill(item["next_steps"])
        block.get_by_label("Prioriteit (1-5)").select_option(str(item["priority"] or ""))
        with k.expect_response(re.compile(rf"/consensus/{re.escape(code)}/$")) as response:
            block.get_by_role("button", name=re.compile("^Vastleggen voor")).click()
        assert response.value.status == 200
        # htmx swapped the accent block in place: same id, now with the saved state.
        block = k.locator(by_id(f"accent-{code}"))
        expect(block.get_by_role("status")).to_have_text("✓ Vastgelegd.")
        expect(block.get_by_role("heading", level=3)).to_contain_text(f"afgesproken: fase {item['phase']}")
        expect(block.get_by_role("radio", name=f"Fase {item['phase']}")).to_be_checked()
    assert k.url.endswith("/consensus/")  # no page navigation
    check_a11y(k, "consensusgesprek na vastleggen")
    saved = {c.accent_code: c for c in ConsensusItem.objects.filter(round=round_)}
    assert set(saved) == set(CONSENSUS)
    for code, item in CONSENSUS.items():
        assert (saved[code].phase, saved[code].next_steps, saved[code].priority) == (
            item["phase"],
            item["next_steps"],
            item["priority"],
        )

    # The projector view.
    k.get_by_role("link", name="Presentatie (beamer)").click()
    expect(k.get_by_role("heading", level=1)).to_have_text(re.compile(r"^1\.1 "))
    expect(k.get_by_text("Afgesproken: groeifase 2")).to_be_visible()
    expect(k.get_by_text(re.compile("Vastgelegd voor"))).to_have_count(0)  # no pile of htmx-era messages
    check_a11y(k, "presentatie")
    k.go_back()

    # Close the round: result page with the consensus matrix and the priorities -------------------------
    k.once("dialog", lambda d: d.accept())
    k.get_by_role("button", name="Ronde afsluiten en resultaat tonen").click()
    # Not every accent has an agreed phase: a page says what is missing and asks (issue 14); keyboard only.
    expect(k.get_by_role("heading", level=1)).to_have_text("Ronde afsluiten?")
    expect(k.get_by_role("alert")).to_contain_text("accenten is geen groeifase afgesproken")
    check_a11y(k, "ronde afsluiten bevestigen")
    k.get_by_label("Toch afsluiten").focus()
    k.keyboard.press("Space")
    expect(k.get_by_label("Toch afsluiten")).to_be_checked()
    k.get_by_role("button", name="Ronde afsluiten", exact=True).focus()
    k.keyboard.press("Enter")
    expect(k.get_by_role("heading", level=1)).to_have_text("Resultaat: Na module 4 – 2026-2027")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    check_a11y(k, "resultaat")
    priorities = k.get_by_role("heading", name="Prioriteiten").locator("xpath=following-sibling::ol[1]")
    expect(priorities.get_by_role("listitem")).to_have_text(
        [re.compile(r"^1\.1 Motivatie ontwikkelen: Studiedag plannen\."), re.compile(r"^2\.1 .*Visie bespreken\.")]
    )
    matrix = k.get_by_role("table", name="Gezamenlijke groeifase per groeilaag en accent")
    for code, item in CONSENSUS.items():
        row = matrix.get_by_role("row").filter(has=k.get_by_role("rowheader", name=re.compile(rf"^{re.escape(code)} ")))
        expect(row.locator("td.gw-phase-cell")).to_have_text(str(item["phase"]))
    expect(matrix.get_by_role("row")).to_have_count(1 + len(round_.model.accents))

    # The priorities become goals of the action plan (the rest of the plan: test_actionplan) ------------------
    k.get_by_role("link", name=re.compile("Doelen maken")).first.click()
    expect(k.get_by_role("heading", level=1)).to_contain_text("Van prioriteiten naar doelen")
    check_a11y(k, "van prioriteiten naar doelen")
    k.get_by_role("button", name="Doelen toevoegen aan het actieplan").click()
    expect(k.get_by_role("heading", level=1)).to_contain_text("Actieplan TSO")
    goals = Goal.objects.filter(source_round=round_).order_by("priority")
    assert [(g.accent_code, g.start_phase, g.priority) for g in goals] == [
        (code, item["phase"], item["priority"])
        for code, item in sorted(CONSENSUS.items(), key=lambda kv: kv[1]["priority"] or 99)
        if item["priority"]
    ]

    # The Ontwikkelmodel itself, from the menu.
    k.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Ontwikkelmodel").click()
    expect(k.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(k, "Ontwikkelmodel")

    page_log.assert_clean()
