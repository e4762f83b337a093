"""Mijn gegevens (issue 11, part 5): download everything held about you, and erase your account.

The export must hold every row that points at a person (a walk over all models checks that no relation to the
user model is forgotten), only the person's own answers, and cost a fixed number of queries. Erasure keeps the
school's results, removes the person.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.calendar_feeds import do_create_calendar_feed
from accounts.models import CalendarFeed
from actionplans.models import ActionUpdate
from assessments.models import Answer, Participant
from audit.models import AuditEvent, record
from leadership.models import Answer as LeadershipAnswer
from organisations.models import Membership, Role
from pages import privacy
from research.content import consent_text
from research.services import do_give_consent
from tests.factories import PASSWORD, fill_completely, make_action, make_member, make_round, make_user, move_to
from tests.intake_fixtures import build_intake
from tests.leadership_fixtures import leadership_fixture  # noqa: F401  (fixture "leadership")
from tests.outcomes.fixtures import outcomes_fixture  # noqa: F401  (fixture "outcomes")
from tests.test_access import make_invitation
from tests.training_fixtures import training  # noqa: F401  (fixture)
from tests.twofactor_helpers import KEY, login_verified


@pytest.fixture
def intake(cast):
    return build_intake(cast)


@pytest.fixture
def everything(cast, plan, route, training, leadership, intake, outcomes):  # noqa: F811
    """The cast with data in every app: plan, route, training, leadership checklist, voorgesprekken."""
    ActionUpdate.objects.create(action=plan.action, author=cast.teamlid, text="Plek gevonden")
    do_give_consent(school=cast.school, text_version=consent_text().version, acting_user=cast.schoolleider)
    for name in ("schoolleider", "teamlid", "trainer", "outsider"):  # calendar subscriptions, one revoked
        user = cast.user(name)
        do_create_calendar_feed(user=user, acting_user=user)
    do_create_calendar_feed(user=cast.teamlid, acting_user=cast.teamlid)
    return cast


def user_relations():
    """(model label, field name) for every ForeignKey, OneToOne and ManyToMany to the user model."""
    User = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # reverse accessors
            if field.is_relation and field.related_model is User:
                found.add((model._meta.label, field.name))
    return found


def download(client):
    response = client.get(reverse("accounts:my_data_json"))
    assert response.status_code == 200
    return json.loads(response.content)


# The export ----------------------------------------------------------------------------------------------------


def test_every_relation_to_the_user_model_is_in_the_export():
    """A new model pointing at people must be added to pages.privacy.PARTS (or read there otherwise)."""
    missing = sorted(user_relations() - privacy.covered_relations())
    assert not missing, f"Not in the personal export (pages/privacy.py PARTS): {missing}"


@pytest.mark.parametrize("who", ["schoolleider", "kartrekker", "werkgroeplid", "teamlid", "trainer", "outsider"])
def test_export_holds_every_row_that_points_at_the_person(everything, login, who):
    cast = everything
    user = cast.user(who)
    data = download(login(user))
    for part in privacy.PARTS:
        model = apps.get_model(part.model)
        exported = {row["id"]: row["via"] for row in data[part.key]}
        for name in part.user_fields:
            ids = set(model._base_manager.filter(**{name: user}).values_list("pk", flat=True))
            missing = {pk for pk in ids if name not in exported.get(pk, [])}
            assert not missing, f"{who}: {part.model}.{name} rows {missing} not in {part.key}"
    rounds = {r["round_id"] for r in data["rondes"]}
    assert rounds == set(Participant.objects.filter(user=user).values_list("round_id", flat=True))
    assert set(data["sleutels"]) >= set(data) - {"sleutels"}, "every key of the file is explained in sleutels"


def test_export_spot_checks(everything, login):
    cast = everything
    data = download(login(cast.teamlid))
    assert data["account"]["email"] == "teamlid@regenboog.test"
    assert data["account"]["naam"] == "Tina Teamlid"
    [membership] = data["lidmaatschappen"]
    assert membership["school__name"] == "De Regenboog" and membership["is_teamlid"] is True
    assert [a["title"] for a in data["actiepunten"]] == ["Rustruimte inrichten"]  # owner
    assert data["actiepunten"][0]["via"] == ["owner"]
    assert any(r["code"] == "introductiepresentatie" for r in data["routestappen"])
    assert {a["status"] for a in data["aanwezigheid"]} == {"afwezig"}
    assert [g["name"] for g in data["trainingsgroepen"]] == ["Groep A"]
    assert [u["text"] for u in data["actie_updates"]] == ["Plek gevonden"]

    sl = download(login(cast.schoolleider))
    assert [b["text"] for b in sl["checklist_eigen_uitspraken"]] == [
        "Ik vier successen met het team.",
        "Ik ken de namen van alle ouders.",
    ]
    assert {(a["item_key"], a["value"]) for a in sl["checklist_antwoorden"]} >= {("hb1", 4)}

    k = download(login(cast.kartrekker))
    assert [n["text"] for n in k["voorgesprek_aantekeningen"]] == ["Sara, Karel en Tom aan tafel."]


def test_export_names_the_second_factor_without_its_secret(cast, client):
    login_verified(client, cast.teamlid)
    data = download(client)
    assert [d["type"] for d in data["tweede_factor"]] == ["totp"]
    assert set(data["tweede_factor"][0]) == {"id", "type", "created_at", "last_used_at", "via"}
    assert KEY not in json.dumps(data)  # never the app's secret
    assert "gAAAA" not in json.dumps(data)  # nor its encrypted form


def test_erasure_clears_the_name_from_the_admin_history(cast, login):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    admin = make_user("Paula Platform", "paula@groeiwijzer.test", is_staff=True)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_id=str(cast.teamlid.pk),
        object_repr="Tina Teamlid",
        action_flag=CHANGE,
    )
    erase(login(cast.teamlid), "teamlid@regenboog.test")
    assert not LogEntry.objects.filter(object_repr__contains="Tina").exists()
    assert LogEntry.objects.filter(user=admin).count() == 1


def test_erasure_removes_the_second_factor(cast, client):
    from allauth.mfa.models import Authenticator

    from accounts.models import SecondFactorThrottle
    from tests.twofactor_helpers import make_recovery_codes

    login_verified(client, cast.teamlid)
    make_recovery_codes(cast.teamlid)
    SecondFactorThrottle.objects.create(user=cast.teamlid, failures=2)
    assert erase(client, "teamlid@regenboog.test").status_code == 302
    assert not Authenticator.objects.filter(user=cast.teamlid).exists()
    assert not SecondFactorThrottle.objects.filter(user=cast.teamlid).exists()


def test_export_has_my_own_answers_only(cast, login):
    """A named round and an anonymous one: the teamlid's file holds the teamlid's text, nobody else's."""
    for p in Participant.objects.filter(round=cast.open_round).select_related("user"):
        fill_completely(p, strengths=f"Sterk volgens {p.user.name}", goal=f"Doel van {p.user.name}", submit=False)
    data = download(login(cast.teamlid))
    texts = json.dumps(data["rondes"], ensure_ascii=False)
    assert "Sterk volgens Tina Teamlid" in texts
    for other in ("Sara Schoolleider", "Karel Kartrekker", "Wim Werkgroep", "Tom Trainer"):
        assert other not in texts
    open_round = next(r for r in data["rondes"] if r["round_id"] == cast.open_round.pk)
    own = Answer.objects.filter(participant__round=cast.open_round, participant__user=cast.teamlid).count()
    assert len(open_round["antwoorden"]) == own > 0
    assert data["checklist_antwoorden"] == []


def test_export_leaves_out_other_peoples_addresses_in_the_audit_rows(cast, login):
    sl = cast.schoolleider
    invitation = make_invitation(cast.school, "nieuwe.collega@regenboog.test", invited_by=sl)
    data = {"email": invitation.email, "roles": [Role.TEAMLID]}
    record(action="invitation.created", acting_user=sl, school=cast.school, target=invitation, data=data)
    client = login(sl)
    response = client.get(reverse("accounts:my_data_json"))
    body = response.content.decode()
    assert "nieuwe.collega@regenboog.test" not in body
    assert any(row["via"] == ["invited_by"] for row in json.loads(body)["uitnodigingen"])


def test_download_is_audited_and_never_cached(cast, login):
    client = login(cast.teamlid)
    response = client.get(reverse("accounts:my_data_json"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    page = client.get(reverse("accounts:my_data_page"))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    body = page.content.decode()
    assert "Tina Teamlid" in body and "teamlid@regenboog.test" in body and "Open ronde" in body
    formats = list(
        AuditEvent.objects.filter(action="account.data_exported", actor=cast.teamlid)
        .order_by("id")
        .values_list("data__format", flat=True)
    )
    assert formats == ["json", "html"]


def test_the_readable_page_heads_each_key_with_its_title_in_the_persons_language(cast, login):
    """Each key of the export has a title of its own (issue 16): the page heads its section with it, in Dutch or in
    English, and shows the key itself only as code beside the description."""
    assert set(privacy.SECTION_TITLES) == {privacy.ROUNDS_KEY, *(p.key for p in privacy.PARTS)}
    client = login(cast.teamlid)
    heading = '<h2 class="utrecht-heading-2" id="h-voorgesprek_aantekeningen">'
    body = client.get(reverse("accounts:my_data_page")).content.decode()
    assert heading + "Aantekeningen bij voorgesprekken</h2>" in body
    assert "<code>voorgesprek_aantekeningen</code>" in body
    get_user_model().objects.filter(pk=cast.teamlid.pk).update(language="en")
    body = client.get(reverse("accounts:my_data_page")).content.decode()
    assert heading + "Notes on intake conversations</h2>" in body
    assert ">voorgesprek_aantekeningen</h2>" not in body and "<code>voorgesprek_aantekeningen</code>" in body


def test_account_page_links_to_the_downloads_and_erasure(cast, login):
    body = login(cast.teamlid).get(reverse("accounts:account")).content.decode()
    for name in ("accounts:my_data_json", "accounts:my_data_page", "accounts:erase"):
        assert reverse(name) in body


def test_export_costs_the_same_queries_with_more_rows(cast, login):
    """No query per row: more rounds, answers and actions, the same number of queries."""
    client = login(cast.kartrekker)
    client.get(reverse("accounts:my_data_json"))  # the first request of a session also saves the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accounts:my_data_json"))
    for n in range(3):
        round_ = make_round(cast.school, [cast.kartrekker], by=cast.kartrekker, title=f"Extra ronde {n}")
        for p in round_.participants.all():
            fill_completely(p)
        make_action(cast.school, cast.kartrekker, f"Extra actie {n}", owner=cast.kartrekker)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("accounts:my_data_json"))
    assert len(json.loads(response.content)["rondes"]) == 6
    assert len(many) == len(few)


# Erasure --------------------------------------------------------------------------------------------------------


def erase(client, email):
    return client.post(reverse("accounts:erase"), {"email": email})


def personal_rows(user):
    return (
        sorted(Membership.objects.filter(user=user).values_list("pk", flat=True)),
        get_user_model().objects.filter(pk=user.pk).values_list("name", "email", "is_active").get(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("typed", ["iemand.anders@regenboog.test", "", "teamlid@regenboog", "x" * 400])
def test_erasure_with_the_wrong_address_changes_nothing(cast, login, typed):
    client = login(cast.teamlid)
    before = personal_rows(cast.teamlid)
    response = erase(client, typed)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Er is niets gewist" in body or "verplicht" in body.lower() or "tekens" in body
    assert personal_rows(cast.teamlid) == before
    assert client.get(reverse("accounts:account")).status_code == 200  # still logged in


def test_erasure_needs_a_login_and_erases_only_the_caller(cast, client, login):
    before = [personal_rows(cast.user(who)) for who in ("teamlid", "kartrekker")]
    response = client.post(reverse("accounts:erase"), {"email": "teamlid@regenboog.test"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login") + "?next=")
    # Someone else's address, typed by the kartrekker: a Dutch error, nobody erased.
    response = erase(login(cast.kartrekker), "teamlid@regenboog.test")
    assert response.status_code == 400 and "Er is niets gewist" in response.content.decode()
    assert [personal_rows(cast.user(who)) for who in ("teamlid", "kartrekker")] == before


def test_erasure_with_tampered_input_is_a_dutch_error(cast, login):
    client = login(cast.teamlid)
    before = personal_rows(cast.teamlid)
    response = client.post(reverse("accounts:erase"), {"email": ["teamlid@regenboog.test", "a@b.test"]})
    assert response.status_code == 400
    response = client.post(reverse("accounts:erase"), {"other": "x"})
    assert response.status_code == 400
    assert "Dit veld is verplicht" in response.content.decode()
    assert personal_rows(cast.teamlid) == before


def test_erasure_removes_the_person_and_keeps_the_results(cast, login, leadership):  # noqa: F811
    teamlid = cast.teamlid
    named = make_round(
        cast.school, [teamlid, cast.kartrekker], by=cast.kartrekker, title="Ronde op naam", anonymous=False
    )
    for p in named.participants.all():
        fill_completely(p)
    named = move_to(named, "closed", cast.kartrekker)
    closed_answers = Answer.objects.filter(participant__round=cast.closed_round).count()
    LeadershipAnswer.objects.create(round=leadership.round, user=teamlid, item_key="hb2", value=3)
    other_device = Client()
    other_device.force_login(teamlid, backend="accounts.backends.EmailBackend")
    client = login(teamlid)
    _feed, token = do_create_calendar_feed(user=teamlid, acting_user=teamlid)
    feed_url = reverse("accounts:calendar_feed", args=[token])
    assert Client().get(feed_url).status_code == 200

    response = erase(client, "  TeamLid@Regenboog.test ")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")

    tomb = get_user_model().objects.get(pk=teamlid.pk)
    assert tomb.name == "oud-teamlid" and tomb.display_name == "oud-teamlid"
    assert "@" not in tomb.email and "teamlid" not in tomb.email
    assert not tomb.is_active and not tomb.has_usable_password()
    assert not Membership.objects.filter(user=tomb).exists()
    assert not LeadershipAnswer.objects.filter(user=tomb).exists()
    assert not CalendarFeed.objects.filter(user=tomb).exists()  # the subscription is gone and its URL opens nothing
    assert Client().get(feed_url).status_code == 404
    # The school's results: the closed round keeps every answer; the open round's empty draft is gone.
    assert Answer.objects.filter(participant__round=cast.closed_round).count() == closed_answers
    assert Participant.objects.filter(round=cast.closed_round, user=tomb).exists()
    assert not Participant.objects.filter(round=cast.open_round, user=tomb).exists()
    # Logged out here and everywhere; the old address opens nothing.
    assert client.get(reverse("accounts:account")).status_code == 302
    assert other_device.get(reverse("accounts:account")).status_code == 302
    assert not any(s.get_decoded().get("_auth_user_id") == str(tomb.pk) for s in Session.objects.all())
    assert not Client().login(email="teamlid@regenboog.test", password=PASSWORD)
    # Audited, per school, without the old address.
    event = AuditEvent.objects.get(action="account.erased")
    assert event.school == cast.school and event.actor_id == tomb.pk
    assert "teamlid@regenboog.test" not in json.dumps(event.data) and "Tina" not in json.dumps(event.data)
    # Named results now say "oud-teamlid".
    page = login(cast.kartrekker).get(reverse("assessments:round", args=[cast.school.pk, named.pk]))
    body = page.content.decode()
    assert "oud-teamlid" in body and "Tina Teamlid" not in body


def test_erased_notes_and_actions_show_oud_teamlid(cast, login, plan):
    intake = build_intake(cast)
    client = login(cast.kartrekker)
    erase(client, "kartrekker@regenboog.test")
    intake.note.refresh_from_db()
    assert intake.note.updated_by.display_name == "oud-teamlid"
    plan.goal.refresh_from_db()
    assert plan.goal.created_by.display_name == "oud-teamlid"
    page = login(cast.schoolleider).get(reverse("intake:conversation", args=[cast.school.pk, intake.conversation.pk]))
    assert page.status_code == 200
    assert "Karel Kartrekker" not in page.content.decode()


def test_erased_anonymous_answers_still_count(cast, login):
    before = Answer.objects.filter(participant__round=cast.consensus_round).count()
    erase(login(cast.werkgroeplid), "werkgroep@regenboog.test")
    assert Answer.objects.filter(participant__round=cast.consensus_round).count() == before
    page = login(cast.kartrekker).get(reverse("assessments:consensus", args=[cast.school.pk, cast.consensus_round.pk]))
    assert page.status_code == 200
    assert "Wim Werkgroep" not in page.content.decode()


def test_last_schoolleiding_is_warned_and_may_still_erase(cast, login):
    client = login(cast.schoolleider)
    page = client.get(reverse("accounts:erase"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "enige schoolleiding" in body and "De Regenboog" in body
    response = erase(client, "schoolleider@regenboog.test")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="account.erased")
    assert event.data["last_schoolleiding_of"] == [cast.school.pk]


def test_no_warning_when_another_schoolleiding_remains(cast, login):
    make_member(cast.school, make_user("Tweede Leider"), Role.SCHOOLLEIDING)
    body = login(cast.schoolleider).get(reverse("accounts:erase")).content.decode()
    assert "enige schoolleiding" not in body


def test_erasure_of_a_round_participant_in_a_round_moved_on(cast, login):
    """A submitted answer in a round that later closes stays with the tombstone."""
    round_ = make_round(cast.school, [cast.teamlid, cast.kartrekker], by=cast.kartrekker, title="Nieuwe ronde")
    for p in round_.participants.all():
        fill_completely(p)
    erase(login(cast.teamlid), "teamlid@regenboog.test")
    move_to(round_, "closed", cast.kartrekker)
    assert Participant.objects.filter(round=round_).count() == 2


def test_platform_admins_erase_in_the_admin_and_never_delete_raw(cast):
    """In /beheer/ a person leaves through erasure (results kept), never through a raw delete that would take their
    submissions out of the counts."""
    admin = get_user_model().objects.create_superuser("beheer@groeiwijzer.test", name="Beheer", password=PASSWORD)
    client = login_verified(Client(), admin)
    changelist = reverse("admin:accounts_user_changelist")
    before = Answer.objects.filter(participant__round=cast.consensus_round).count()
    werkgroeplid = cast.werkgroeplid
    assert client.get(reverse("admin:accounts_user_delete", args=[werkgroeplid.pk])).status_code == 403
    page = client.get(changelist)
    assert 'value="delete_selected"' not in page.content.decode()
    response = client.post(changelist, {"action": "erase_accounts", "_selected_action": [werkgroeplid.pk, admin.pk]})
    assert response.status_code == 302
    werkgroeplid.refresh_from_db()
    assert privacy.is_erased(werkgroeplid) and werkgroeplid.display_name == "oud-teamlid"
    assert not privacy.is_erased(admin)  # one's own account: through Mijn gegevens
    assert Answer.objects.filter(participant__round=cast.consensus_round).count() == before
    event = AuditEvent.objects.get(action="account.erased", school=cast.school)
    assert event.actor == admin and event.data["reason"] == "beheer"


def test_the_audit_log_never_holds_a_name_or_address(cast, login, on_commit):
    """The log is append-only, so erasure cannot scrub it: what it must not keep, it must never be given."""
    from organisations.models import Invitation

    kartrekker = login(cast.kartrekker)
    with on_commit():
        kartrekker.post(
            reverse("organisations:invite", args=[cast.school.pk]),
            {"emails": "nieuwe.collega@regenboog.test", "roles": [Role.TEAMLID]},
        )
        invitation = Invitation.objects.get(email="nieuwe.collega@regenboog.test")
        kartrekker.post(reverse("organisations:invitation_resend", args=[cast.school.pk, invitation.pk]))
    membership = Membership.objects.get(school=cast.school, user=cast.teamlid)
    kartrekker.post(
        reverse("organisations:member_edit", args=[cast.school.pk, membership.pk]),
        {"roles": [Role.TEAMLID, Role.WERKGROEPLID]},
    )
    kartrekker.post(reverse("organisations:member_remove", args=[cast.school.pk, membership.pk]))
    login(cast.werkgroeplid).post(reverse("accounts:account"), {"form": "naam", "name": "Wim de Vries"})
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"invitation.created", "invitation.resent", "membership.removed", "account.name_changed"} <= actions
    logged = json.dumps(list(AuditEvent.objects.values_list("data", flat=True)))
    for personal in ["nieuwe.collega@regenboog.test", "teamlid@regenboog.test", "Tina", "Wim"]:
        assert personal not in logged, personal


# Review of issue 11: who may erase in /beheer/, and what erasure leaves behind ----------------------------------


def admin_with(*codenames, superuser=False, email="beheer2@groeiwijzer.test"):
    from django.contrib.auth.models import Permission

    user = make_user("Beheer Twee", email, is_staff=True, is_superuser=superuser)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_admin_erase_needs_the_change_permission(cast):
    """A staff member who may only view accounts gets no erase action, and posting it anyway changes nothing."""
    viewer = admin_with("view_user", email="kijker@groeiwijzer.test")
    boss = admin_with(superuser=True, email="baas@groeiwijzer.test")
    client = login_verified(Client(), viewer)
    changelist = reverse("admin:accounts_user_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and "erase_accounts" not in page.content.decode()
    audit_before = AuditEvent.objects.count()

    client.post(changelist, {"action": "erase_accounts", "_selected_action": [boss.pk, cast.schoolleider.pk]})

    for user in (boss, cast.schoolleider):
        user.refresh_from_db()
        assert not privacy.is_erased(user) and user.is_active
    assert boss.is_superuser and Membership.objects.filter(user=cast.schoolleider).exists()
    assert AuditEvent.objects.count() == audit_before


def test_only_a_superuser_erases_or_changes_a_superuser(cast):
    """Staff who may change accounts erase ordinary accounts, never a platform admin's; nor can they change one
    (address, password) or hand out staff and superuser rights."""
    changer = admin_with("view_user", "change_user", email="wijziger@groeiwijzer.test")
    boss = admin_with(superuser=True, email="baas@groeiwijzer.test")
    client = login_verified(Client(), changer)
    changelist = reverse("admin:accounts_user_changelist")
    assert "erase_accounts" in client.get(changelist).content.decode()

    response = client.post(
        changelist, {"action": "erase_accounts", "_selected_action": [boss.pk, cast.teamlid.pk]}, follow=True
    )
    assert "alleen een platformbeheerder wissen" in response.content.decode()
    boss.refresh_from_db()
    cast.teamlid.refresh_from_db()
    assert not privacy.is_erased(boss) and boss.is_superuser and boss.email == "baas@groeiwijzer.test"
    assert privacy.is_erased(cast.teamlid)

    change = reverse("admin:accounts_user_change", args=[boss.pk])
    form = {"email": "overgenomen@evil.test", "name": "x", "is_active": "on"}
    assert client.post(change, form).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[boss.pk])
    new_password = {"password1": "Nieuw-wachtwoord-1", "password2": "Nieuw-wachtwoord-1", "usable_password": "true"}
    assert client.post(password, new_password).status_code == 403
    boss.refresh_from_db()
    assert boss.email == "baas@groeiwijzer.test" and boss.check_password(PASSWORD)

    own = reverse("admin:accounts_user_change", args=[changer.pk])
    client.post(own, {"email": changer.email, "name": "Beheer Twee", "is_active": "on", "is_superuser": "on"})
    changer.refresh_from_db()
    assert not changer.is_superuser


def test_erasure_removes_drafts_in_closed_rounds_too(cast, login):
    """A participation never submitted never counted: it goes, also when the round has closed since."""
    round_ = make_round(
        cast.school,
        [cast.teamlid, cast.kartrekker, cast.werkgroeplid, cast.schoolleider],
        by=cast.kartrekker,
        title="Ronde met een concept",
        anonymous=False,
    )
    for p in round_.participants.all():
        fill_completely(p, strengths=f"tekst van {p.user.name}", submit=p.user != cast.teamlid)
    round_ = move_to(round_, "closed", cast.kartrekker)
    assert round_.status == "closed"
    draft = Participant.objects.get(round=round_, user=cast.teamlid, submitted_at=None)
    assert Answer.objects.filter(participant=draft).exists()
    submitted = Answer.objects.filter(participant__round=round_).exclude(participant=draft).count()

    erase(login(cast.teamlid), "teamlid@regenboog.test")

    assert not Participant.objects.filter(pk=draft.pk).exists()
    assert not Answer.objects.filter(strengths="tekst van Tina Teamlid").exists()
    assert Answer.objects.filter(participant__round=round_).count() == submitted
    # Submitted answers in closed rounds stay with the tombstone.
    assert Participant.objects.filter(round=cast.closed_round, user=cast.teamlid).exists()


def test_erasure_cancels_mail_not_yet_sent_to_the_address(cast, login, settings):
    """With the database queue: waiting mail (a login code, a retry) to the erased address is deleted; mail to
    others and mail already sent stay."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from accounts import services as account_services
    from core.mail import queue_mail, send_message

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    account_services.do_request_login_code(email="teamlid@regenboog.test")
    queue_mail(
        subject="Herinnering", body="Vul de ronde in", to=["TeamLid@Regenboog.test", "kartrekker@regenboog.test"]
    )
    later = timezone.now() + timedelta(hours=1)  # a retry waiting for its moment
    send_message.using(run_after=later).enqueue(
        subject="Poging 2", body="...", to=["teamlid@regenboog.test"], attempt=2
    )

    def waiting_for(address):
        return [
            r
            for r in DBTaskResult.objects.filter(status=TaskResultStatus.READY)
            if address in [a.lower() for a in r.args_kwargs["kwargs"]["to"]]
        ]

    assert len(waiting_for("teamlid@regenboog.test")) == 3  # the code, the reminder and the retry
    done = waiting_for("teamlid@regenboog.test")[0]
    DBTaskResult.objects.filter(pk=done.pk).update(status=TaskResultStatus.SUCCESSFUL)

    erase(login(cast.teamlid), "teamlid@regenboog.test")

    assert waiting_for("teamlid@regenboog.test") == []
    assert DBTaskResult.objects.filter(pk=done.pk).exists()  # already sent: its record stays until the purge
    assert len(waiting_for("kartrekker@regenboog.test")) == 1


def test_erasure_removes_the_worker_made_reports_of_the_persons_schools(cast, login, plan):
    """A report made by the worker may carry the erased name: it goes at once, the other school's stays."""
    from actionplans.export_files import PLAN_KINDS
    from assessments.export_files import ROUND_KINDS
    from core.models import GeneratedFile

    def made(kind, object_id):
        return GeneratedFile.objects.create(
            kind=kind, object_id=object_id, fingerprint="f", builder="x", content=b"Karel Kartrekker"
        )

    mine = [made(ROUND_KINDS[0], cast.closed_round.pk), made(PLAN_KINDS[0], cast.school.pk)]
    other = made(PLAN_KINDS[0], cast.other_school.pk)
    erase(login(cast.kartrekker), "kartrekker@regenboog.test")
    assert not GeneratedFile.objects.filter(pk__in=[row.pk for row in mine]).exists()
    assert GeneratedFile.objects.filter(pk=other.pk).exists()
