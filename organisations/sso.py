"""Single sign-on and the organisations (accounts/sso.py holds the login itself; accounts may not import this app, so
organisations/apps.py registers these functions with it):

- the login policy: a school (``School.sso_required``) or its board (``Board.sso_required``) requires its members to
  log in with their school account, so no password; the schoolleiding may also switch the e-mail code off
  (``School.sso_code_fallback``). The strictest of a person's schools counts; platform admins are exempt
  (accounts.sso.login_policy);
- a first login with a school account whose provider vouches for the address accepts the open invitations for it;
- the services that switch the settings (audited).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import sso as accounts_sso
from audit.models import record
from core.errors import ServiceError

from .models import Board, BoardMember, Invitation, Membership, School


def login_policy_for(user) -> accounts_sso.LoginPolicy:
    """What the user's schools and boards require (see the module docstring)."""
    schools = School.objects.filter(memberships__user=user).filter(Q(sso_required=True) | Q(board__sso_required=True))
    fallbacks = list(schools.values_list("sso_code_fallback", flat=True))
    board_required = BoardMember.objects.filter(user=user, board__sso_required=True).exists()
    return accounts_sso.LoginPolicy(sso_required=bool(fallbacks) or board_required, code_allowed=all(fallbacks))


def _open_invitations(email: str):
    return Invitation.objects.filter(
        email__iexact=email.strip(), accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )


def has_open_invitation(email: str) -> bool:
    return bool(email) and _open_invitations(email).exists()


@transaction.atomic
def do_accept_invitations_for_sso(*, email: str, name: str = ""):
    """Accept every open invitation for ``email`` (the provider vouched for it): the account is made without a
    password when there is none, a membership per school with the invited roles. Returns (user, the first school's
    path). Audited per invitation, as accepting by the link is."""
    invitations = list(_open_invitations(email).select_for_update().select_related("school").order_by("created_at"))
    if not invitations:
        raise ServiceError(_("Er is geen open uitnodiging voor dit e-mailadres."))
    User = get_user_model()
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        user = User.objects.create_user(email.strip().lower(), name=(name or "").strip()[:150])
    now = timezone.now()
    for invitation in invitations:
        membership, _created = Membership.objects.get_or_create(school=invitation.school, user=user)
        membership.set_roles(set(membership.roles) | set(invitation.roles))
        membership.save()
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record(
            action="invitation.accepted",
            acting_user=user,
            school=invitation.school,
            target=invitation,
            data={"roles": invitation.roles, "via": "sso"},
        )
    return user, reverse("organisations:school", args=[invitations[0].school_id])


def register() -> None:
    """Called from organisations/apps.py."""
    accounts_sso.register_login_policy(login_policy_for)
    accounts_sso.register_invitation_handler(has_open=has_open_invitation, accept=do_accept_invitations_for_sso)


# Switching it (the schoolleiding for the school, the beheerder for the board) -------------------------------------


def _check_can_require(acting_user, required: bool) -> None:
    """Requiring single sign-on needs a configured provider, and the person who switches it on must have linked
    their own school account (else they lock themselves out of the password login). Platform admins are exempt."""
    if not required:
        return
    if not accounts_sso.configured_apps():
        raise ServiceError(
            _("Er is nog geen inlogdienst voor schoolaccounts ingesteld. Inloggen met een schoolaccount kan nog niet.")
        )
    if not acting_user.is_staff and not accounts_sso.has_linked_identity(acting_user):
        raise ServiceError(
            _(
                "Log eerst zelf één keer in met je schoolaccount. Dan weet je zeker dat het werkt voordat je het "
                "voor iedereen verplicht maakt."
            )
        )


@transaction.atomic
def do_set_school_sso(*, school: School, sso_required: bool, code_fallback: bool, acting_user) -> School:
    """The school's single sign-on settings (schoolleiding only; the view asks organisations.access)."""
    school = School.objects.select_for_update().get(pk=school.pk)
    if not Membership.objects.filter(school=school, user=acting_user, is_schoolleiding=True).exists():
        raise ServiceError(_("Alleen de schoolleiding kan instellen hoe het team inlogt."))
    _check_can_require(acting_user, sso_required and not school.sso_required)
    before = {"sso_required": school.sso_required, "code_fallback": school.sso_code_fallback}
    school.sso_required = bool(sso_required)
    school.sso_code_fallback = bool(code_fallback)
    after = {"sso_required": school.sso_required, "code_fallback": school.sso_code_fallback}
    if before != after:
        school.save(update_fields=["sso_required", "sso_code_fallback"])
        record(action="school.sso_changed", acting_user=acting_user, school=school, target=school, data=after)
    return school


@transaction.atomic
def do_set_board_sso(*, board: Board, sso_required: bool, acting_user) -> Board:
    """The board's requirement for all its schools (its beheerder only)."""
    board = Board.objects.select_for_update().get(pk=board.pk)
    if not BoardMember.objects.filter(board=board, user=acting_user, is_beheerder=True).exists():
        raise ServiceError(_("Alleen de beheerder van het bestuur kan dit instellen."))
    _check_can_require(acting_user, sso_required and not board.sso_required)
    if board.sso_required != bool(sso_required):
        board.sso_required = bool(sso_required)
        board.save(update_fields=["sso_required"])
        record(
            action="board.sso_changed",
            acting_user=acting_user,
            board=board,
            target=board,
            data={"sso_required": board.sso_required},
        )
    return board
