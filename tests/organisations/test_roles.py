"""A school's members: changing roles (audited), the date someone joined the team, handing over schoolleiding (at
least one stays), who may grant or remove schoolleiding, removing a member (their submitted answers stay)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from organisations.models import Membership, Role
from tests.helpers import audit, membership, participant, text


def test_role_change_is_saved_and_audited(cast, login):
    target = membership(cast.school, cast.teamlid)
    client = login(cast.kartrekker)
    response = client.post(
        reverse("organisations:member_edit", args=[cast.school.pk, target.pk]), {"roles": ["werkgroeplid", "teamlid"]}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert set(target.roles) == {Role.WERKGROEPLID, Role.TEAMLID}
    (event,) = audit("membership.roles_changed")
    assert event.actor == cast.kartrekker
    assert event.school == cast.school
    assert event.data == {"before": ["teamlid"], "after": ["werkgroeplid", "teamlid"], "user": cast.teamlid.pk}


def test_member_page_sets_since_when_someone_is_in_the_team(cast, login):
    """The team training's "nog te trainen" list counts from this date, so the school can correct it."""
    import datetime

    from training.overview import build_overview
    from training.services import do_create_plan

    target = membership(cast.school, cast.teamlid)
    url = reverse("organisations:member_edit", args=[cast.school.pk, target.pk])
    client = login(cast.kartrekker)
    page = text(client.get(url))
    assert "In het team sinds" in page and 'name="joined_on"' in page
    response = client.post(url, {"roles": ["teamlid"], "joined_on": "2027-01-15"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert timezone.localtime(target.joined_at).date() == datetime.date(2027, 1, 15)
    (event,) = audit("membership.roles_changed")
    assert event.data["joined"][1] == "2027-01-15"
    wim = membership(cast.school, cast.werkgroeplid)
    wim_url = reverse("organisations:member_edit", args=[cast.school.pk, wim.pk])
    assert client.post(wim_url, {"roles": wim.roles, "joined_on": "2026-01-05"}).status_code == 302
    plan = do_create_plan(school=cast.school, school_year=2026, acting_user=cast.kartrekker)
    rows = {row.user: row for row in build_overview(plan, today=datetime.date(2027, 6, 1)).people}
    assert rows[cast.teamlid].joined_late and not rows[cast.werkgroeplid].joined_late

    # Year 99999 or nonsense: a Dutch message, nothing changed.
    for bad in ("99999-01-01", "morgen"):
        response = client.post(url, {"roles": ["teamlid"], "joined_on": bad})
        assert response.status_code == 400
        assert "Vul een geldige datum in" in text(response) or "Kies een datum tussen 2000 en 2100" in text(response)
    target.refresh_from_db()
    assert timezone.localtime(target.joined_at).date() == datetime.date(2027, 1, 15)
    # Left empty: the date stays.
    assert client.post(url, {"roles": ["teamlid"], "joined_on": ""}).status_code == 302
    target.refresh_from_db()
    assert timezone.localtime(target.joined_at).date() == datetime.date(2027, 1, 15)


def test_schoolleiding_can_be_handed_over(cast, login):
    """With a second schoolleider, the first one may drop the role (the rule is: at least one)."""
    client = login(cast.schoolleider)
    client.post(
        reverse("organisations:member_edit", args=[cast.school.pk, membership(cast.school, cast.kartrekker).pk]),
        {"roles": ["kartrekker", "schoolleiding"]},
    )
    own = membership(cast.school, cast.schoolleider)
    response = client.post(reverse("organisations:member_edit", args=[cast.school.pk, own.pk]), {"roles": ["teamlid"]})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.roles == [Role.TEAMLID]
    assert len(audit("membership.roles_changed")) == 2


def test_only_schoolleiding_can_grant_or_remove_schoolleiding(cast, login):
    """A kartrekker may manage the team, but not promote anyone (or themself) to schoolleiding."""
    kartrekker_m = Membership.objects.get(school=cast.school, user=cast.kartrekker)
    leider_m = Membership.objects.get(school=cast.school, user=cast.schoolleider)
    client = login(cast.kartrekker)
    audit_before = AuditEvent.objects.count()

    # Promote themself through the role form: refused in Dutch, nothing changes.
    url = reverse("organisations:member_edit", args=[cast.school.pk, kartrekker_m.pk])
    response = client.post(url, {"roles": ["kartrekker", "schoolleiding"]})
    assert response.status_code == 400
    assert "Alleen de schoolleiding" in response.content.decode()
    kartrekker_m.refresh_from_db()
    assert not kartrekker_m.is_schoolleiding

    # Or by inviting their own address with that role.
    response = client.post(
        reverse("organisations:invite", args=[cast.school.pk]),
        {"emails": cast.kartrekker.email, "roles": ["schoolleiding"]},
    )
    assert response.status_code == 400
    assert "Alleen de schoolleiding" in response.content.decode()
    kartrekker_m.refresh_from_db()
    assert not kartrekker_m.is_schoolleiding

    # Nor remove a schoolleider.
    response = client.post(reverse("organisations:member_remove", args=[cast.school.pk, leider_m.pk]))
    assert response.status_code == 400
    assert Membership.objects.filter(pk=leider_m.pk).exists()
    assert AuditEvent.objects.count() == audit_before

    # The schoolleider can hand out the role.
    client = login(cast.schoolleider)
    response = client.post(url, {"roles": ["kartrekker", "schoolleiding"]})
    assert response.status_code == 302
    kartrekker_m.refresh_from_db()
    assert kartrekker_m.is_schoolleiding


def test_member_removal_is_audited_and_keeps_submitted_answers(cast, login):
    target = membership(cast.school, cast.werkgroeplid)
    client = login(cast.kartrekker)
    response = client.post(reverse("organisations:member_remove", args=[cast.school.pk, target.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=target.pk).exists()
    assert User.objects.filter(pk=cast.werkgroeplid.pk).exists()
    assert participant(cast.closed_round, cast.werkgroeplid).is_submitted
    (event,) = audit("membership.removed")
    assert event.data == {"user": cast.werkgroeplid.pk, "roles": ["werkgroeplid", "teamlid"]}
    assert event.actor == cast.kartrekker
    # The removed person no longer gets in.
    assert login(cast.werkgroeplid).get(reverse("organisations:school", args=[cast.school.pk])).status_code == 404
