"""A board runs its own schools (issue 14, part 1): its beheerder adds and edits schools and invites the first
schoolleiding of each, who lands on 'Zo begin je'. Services (audit rows, queued invitations), the pages end to end,
and bad input on every form (a Dutch error, nothing stored, never a 500)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from core.errors import ServiceError
from core.mail import MailStatus
from organisations import services
from organisations.models import BoardMember, EducationType, Invitation, Membership, Role, School
from tests.factories import make_board, make_member, make_school, make_user

LONG = "x" * 10_000
SCRIPT = '<script>alert("xss")</script><b>vet</b>'


@pytest.fixture
def beheerder(cast):
    BoardMember.objects.filter(board=cast.board, user=cast.board_member).update(is_beheerder=True)
    return cast.board_member


def stored() -> dict:
    return {
        "schools": sorted(School.objects.values_list("pk", "board_id", "name", "education_type", "cluster", "brin")),
        "invitations": sorted(Invitation.objects.values_list("school_id", "email", "roles")),
        "audit": AuditEvent.objects.count(),
    }


def text(response) -> str:
    return response.content.decode()


# Services ---------------------------------------------------------------------------------------------------


def test_create_and_update_a_school_are_audited_on_the_school_and_the_board(cast, beheerder):
    school = services.do_create_school(
        board=cast.board, name="  De Nieuwe Brug ", education_type=EducationType.SO, cluster=4, acting_user=beheerder
    )
    assert (school.board, school.name, school.education_type, school.cluster) == (cast.board, "De Nieuwe Brug", "so", 4)
    created = AuditEvent.objects.get(action="school.created")
    assert (created.actor, created.board, created.school) == (beheerder, cast.board, school)

    services.do_update_school(
        school=school, name="De Nieuwe Brug", education_type=EducationType.VSO, cluster=4, acting_user=beheerder
    )
    updated = AuditEvent.objects.get(action="school.updated")
    assert updated.data == {"fields": ["education_type"]} and updated.board == cast.board
    # Saving without a change writes nothing.
    services.do_update_school(
        school=school, name="De Nieuwe Brug", education_type=EducationType.VSO, cluster=4, acting_user=beheerder
    )
    assert AuditEvent.objects.filter(action="school.updated").count() == 1


@pytest.mark.parametrize("who", ["board_member", "schoolleider", "outsider"])
def test_only_the_boards_beheerder_may_create_edit_or_invite(cast, who):
    before = stored()
    user = cast.user(who)
    with pytest.raises(ServiceError, match="Alleen de beheerder van het bestuur"):
        services.do_create_school(board=cast.board, name="Nee", education_type="bo", acting_user=user)
    with pytest.raises(ServiceError, match="Alleen de beheerder van het bestuur"):
        services.do_update_school(school=cast.sister_school, name="Nee", education_type="bo", acting_user=user)
    with pytest.raises(ServiceError, match="Alleen de beheerder van het bestuur"):
        services.do_invite_first_schoolleiding(
            school=cast.sister_school, emails=["a@b.test"], acting_user=user, base_url="http://testserver"
        )
    assert stored() == before


def test_a_beheerder_of_another_board_may_not_touch_this_boards_schools(cast):
    other = make_user("Ollie Oost")
    board = make_board("Bestuur Oost")
    BoardMember.objects.create(board=board, user=other, is_beheerder=True)
    with pytest.raises(ServiceError):
        services.do_update_school(school=cast.school, name="Overgenomen", education_type="bo", acting_user=other)
    assert School.objects.get(pk=cast.school.pk).name == "De Regenboog"


def test_inviting_the_first_schoolleiding_queues_the_invitation_mail(cast, beheerder, on_commit):
    school = make_school(cast.board, "De Nieuwe Start")
    with on_commit():
        created = services.do_invite_first_schoolleiding(
            school=school, emails=["directeur@nieuwestart.test"], acting_user=beheerder, base_url="http://testserver"
        )
    assert len(created) == 1
    invitation = Invitation.objects.get()
    assert (invitation.school, invitation.roles, invitation.invited_by) == (school, ["schoolleiding"], beheerder)
    assert invitation.mail_status in (MailStatus.QUEUED, MailStatus.SENT)
    assert [m.to for m in mail.outbox] == [["directeur@nieuwestart.test"]]
    assert "De Nieuwe Start" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="invitation.created", school=school, actor=beheerder).count() == 1
    board_row = AuditEvent.objects.get(action="school.schoolleiding_invited")
    assert (board_row.board, board_row.school, board_row.data) == (cast.board, school, {"invitations": 1})


def test_a_school_with_a_schoolleiding_runs_itself(cast, beheerder):
    before = stored()
    with pytest.raises(ServiceError, match="heeft al een schoolleiding"):
        services.do_invite_first_schoolleiding(
            school=cast.school, emails=["nog.een@regenboog.test"], acting_user=beheerder, base_url="http://testserver"
        )
    assert stored() == before


# The pages, end to end ----------------------------------------------------------------------------------------


def test_beheerder_adds_a_school_invites_its_schoolleiding_who_lands_on_zo_begin_je(cast, beheerder, login, on_commit):
    client = login(beheerder)
    board_page = text(client.get(reverse("organisations:board", args=[cast.board.pk])))
    assert reverse("organisations:board_schools", args=[cast.board.pk]) in board_page

    response = client.post(
        reverse("organisations:board_school_new", args=[cast.board.pk]),
        {"name": "De Nieuwe Start", "education_type": EducationType.VSO, "cluster": "3", "brin": "12ab"},
    )
    school = School.objects.get(name="De Nieuwe Start")
    assert (school.board, school.education_type, school.cluster, school.brin) == (cast.board, "vso", 3, "12AB")
    assert response["Location"] == reverse("organisations:board_school_invite", args=[cast.board.pk, school.pk])

    with on_commit():
        response = client.post(response["Location"], {"emails": "Directeur@NieuweStart.test"}, follow=True)
    assert "1 uitnodiging(en) voor de schoolleiding van De Nieuwe Start aangemaakt" in text(response)
    assert "Uitgenodigd: directeur@nieuwestart.test" in text(response)  # the management page lists it
    assert len(mail.outbox) == 1

    # The invitation page is gone once the school has its schoolleiding; until then it may be sent again.
    path = re.search(r"https?://testserver(/uitnodiging/[^/\s]+/)", mail.outbox[0].body).group(1)
    person = Client()
    response = person.post(path, {"name": "Dirk Directeur", "password": "een-heel-lang-wachtwoord-7"})
    assert response["Location"] == reverse("organisations:onboarding", args=[school.pk]) + "?welkom=1"
    page = person.get(response["Location"])
    assert page.status_code == 200
    assert "Zo begin je" in text(page) and "0 van 4 gedaan" in text(page)
    assert Membership.objects.get(school=school, user__email="directeur@nieuwestart.test").is_schoolleiding

    manage = text(client.get(reverse("organisations:board_schools", args=[cast.board.pk])))
    assert "1 schoolleider aangesloten" in manage
    again = client.get(reverse("organisations:board_school_invite", args=[cast.board.pk, school.pk]))
    assert "Deze school heeft al een schoolleiding" in text(again) and "<form" not in text(again).split("<main")[-1]

    # The board's log tells the story.
    log = text(client.get(reverse("audit:board_log", args=[cast.board.pk])))
    assert "School toegevoegd door het bestuur" in log and "Schoolleiding uitgenodigd door het bestuur" in log


def test_beheerder_edits_a_school(cast, beheerder, login):
    client = login(beheerder)
    url = reverse("organisations:board_school_edit", args=[cast.board.pk, cast.sister_school.pk])
    page = text(client.get(url))
    assert 'value="De Horizon"' in page
    response = client.post(url, {"name": "De Horizon", "education_type": EducationType.SBO})
    assert response.status_code == 302
    assert School.objects.get(pk=cast.sister_school.pk).education_type == "sbo"
    assert AuditEvent.objects.get(action="school.updated").data == {"fields": ["education_type"]}
    log = text(client.get(reverse("audit:board_log", args=[cast.board.pk])))
    assert "Gegevens van de school gewijzigd door het bestuur" in log and "velden: onderwijstype" in log
    assert "Speciaal basisonderwijs" not in log  # the field's name, never its value


# Bad input -------------------------------------------------------------------------------------------------


GOOD = {"name": "De Nieuwe Start", "education_type": EducationType.REGULIER_BO}

BAD_SCHOOLS = [
    ("empty name", {"name": ""}, "Vul de naam van de school in."),
    ("spaces only", {"name": "   "}, "Vul de naam van de school in."),
    ("10,000 characters", {"name": LONG}, "200 tekens"),
    ("HTML", {"name": SCRIPT}, "Een schoolnaam bevat geen &lt; of &gt;."),
    ("onderwijstype not in choices", {"education_type": "hbo"}, "Kies een onderwijstype uit de lijst."),
    ("no onderwijstype", {"education_type": ""}, "Kies een onderwijstype."),
    ("cluster for bo", {"cluster": "4"}, "Een cluster hoort alleen bij SO of VSO."),
    ("cluster not in choices", {"education_type": "so", "cluster": "9"}, "Kies een cluster uit de lijst."),
    ("cluster not a number", {"education_type": "so", "cluster": "vier"}, "Kies een cluster uit de lijst."),
    ("brin with HTML", {"brin": "<b>"}, "Een BRIN-code bestaat uit cijfers en letters"),
    ("brin 10,000 characters", {"brin": LONG}, "6 tekens"),
]


@pytest.mark.parametrize("label,change,message", BAD_SCHOOLS, ids=[b[0] for b in BAD_SCHOOLS])
@pytest.mark.parametrize("form", ["new", "edit"])
def test_bad_school_input_is_refused_in_dutch_and_stores_nothing(cast, beheerder, login, label, change, message, form):
    client = login(beheerder)
    if form == "new":
        url = reverse("organisations:board_school_new", args=[cast.board.pk])
    else:
        url = reverse("organisations:board_school_edit", args=[cast.board.pk, cast.sister_school.pk])
    before = stored()
    response = client.post(url, GOOD | change)
    assert response.status_code == 400, label
    assert message in text(response), label
    assert "Nog niet opgeslagen" in text(response)
    assert SCRIPT not in text(response)
    assert stored() == before


@pytest.mark.parametrize("name", ["board_school_edit", "board_school_invite"])
def test_another_boards_school_is_a_404_and_stores_nothing(cast, beheerder, login, name):
    client = login(beheerder)
    before = stored()
    for school_id in (cast.other_school.pk, 987_654_321):
        url = reverse(f"organisations:{name}", args=[cast.board.pk, school_id])
        data = {"emails": "x@y.test"} if name.endswith("invite") else GOOD
        assert client.post(url, data).status_code == 404
        assert client.get(url).status_code == 404
    assert stored() == before
    # The other board's page itself, with one of our schools after it: 404 as well.
    url = reverse(f"organisations:{name}", args=[cast.other_school.board_id, cast.sister_school.pk])
    assert client.post(url, GOOD).status_code == 404
    assert stored() == before


BAD_INVITES = [
    ("empty", "", "Dit veld is verplicht"),
    ("not an address", "geen-adres", "Deze adressen kloppen niet: geen-adres"),
    ("HTML", SCRIPT, "Deze adressen kloppen niet"),
    ("10,000 characters", LONG, "Deze adressen kloppen niet"),
]


@pytest.mark.parametrize("label,emails,message", BAD_INVITES, ids=[b[0] for b in BAD_INVITES])
def test_bad_invitation_input_is_refused_in_dutch_and_stores_nothing(cast, beheerder, login, label, emails, message):
    school = make_school(cast.board, "De Nieuwe Start")
    client = login(beheerder)
    before = stored()
    response = client.post(
        reverse("organisations:board_school_invite", args=[cast.board.pk, school.pk]), {"emails": emails}
    )
    assert response.status_code == 400, label
    assert message in text(response), label
    assert SCRIPT not in text(response)
    assert stored() == before
    assert not mail.outbox


def test_inviting_into_a_school_that_has_a_schoolleiding_is_refused_in_dutch(cast, beheerder, login):
    client = login(beheerder)
    before = stored()
    response = client.post(
        reverse("organisations:board_school_invite", args=[cast.board.pk, cast.school.pk]),
        {"emails": "nieuw@regenboog.test"},
    )
    assert response.status_code == 400
    assert "Deze school heeft al een schoolleiding" in text(response)
    assert stored() == before


def test_the_management_page_queries_do_not_grow_with_the_schools(cast, beheerder, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(beheerder)
    url = reverse("organisations:board_schools", args=[cast.board.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    with_two = count()
    for i in range(5):
        school = make_school(cast.board, f"School {i}")
        make_member(school, make_user(f"Leider {i}"), Role.SCHOOLLEIDING)
        services.do_invite_first_schoolleiding(
            school=make_school(cast.board, f"Start {i}"),
            emails=[f"start{i}@school.test"],
            acting_user=beheerder,
            base_url="http://testserver",
        )
    assert count() == with_two


def test_the_demo_board_has_a_beheerder_login(db, client):
    import io

    from django.core.management import call_command

    from organisations.demo import BOARD_NAME, DOMAIN, PASSWORD

    out = io.StringIO()
    call_command("demo", stdout=out)
    assert f"bestuur-beheer@{DOMAIN}" in out.getvalue()
    row = BoardMember.objects.get(user__email=f"bestuur-beheer@{DOMAIN}")
    assert row.board.name == BOARD_NAME and row.is_beheerder
    assert not BoardMember.objects.get(user__email=f"bestuur@{DOMAIN}").is_beheerder  # still read-only
    assert client.login(email=f"bestuur-beheer@{DOMAIN}", password=PASSWORD)
    page = client.get(reverse("organisations:board_schools", args=[row.board.pk]))
    assert page.status_code == 200 and "OBS De Regenboog" in page.content.decode()


def test_mijn_gegevens_lists_the_boards_with_the_beheerder_role(cast, beheerder, login):
    import json

    data = json.loads(login(beheerder).get(reverse("accounts:my_data_json")).content)
    assert data["besturen"] == [
        {
            "id": BoardMember.objects.get(user=beheerder).pk,
            "board_id": cast.board.pk,
            "board__name": "Bestuur Noord",
            "is_beheerder": True,
            "via": ["user"],
        }
    ]
