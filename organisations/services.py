"""Writes that touch several models: invitations, roles, membership removal, a board's schools."""

from __future__ import annotations

import datetime
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import record
from core.errors import ServiceError
from core.mail import MailStatus, in_language, queue_mail

from .models import BoardMember, Cluster, EducationType, Invitation, Membership, Role, School, hash_token


@transaction.atomic
def do_invite_members(*, school, emails: list[str], roles: list[str], acting_user, base_url: str) -> list[Invitation]:
    """Create one invitation per email and send the emails after commit.

    People who are already a member get the roles added instead of an invitation.
    """
    roles = [Role(r).value for r in roles]
    if Role.SCHOOLLEIDING in roles:
        _check_may_touch_schoolleiding(school, acting_user)
    return _invite(school=school, emails=emails, roles=roles, acting_user=acting_user, base_url=base_url)


def _invite(*, school, emails: list[str], roles: list[str], acting_user, base_url: str) -> list[Invitation]:
    """do_invite_members after its checks (also used by do_invite_first_schoolleiding)."""
    created = []
    now = timezone.now()
    for email in emails:
        existing = Membership.objects.filter(school=school, user__email=email).first()
        if existing is not None:
            existing.set_roles(set(existing.roles) | set(roles))
            existing.save()
            record(
                action="membership.roles_added",
                acting_user=acting_user,
                school=school,
                target=existing,
                data={"roles": roles},
            )
            continue
        # Close older open invitations for the same address at this school.
        Invitation.objects.filter(school=school, email=email, accepted_at=None, revoked_at=None).update(revoked_at=now)
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            school=school,
            email=email,
            roles=roles,
            token_hash=hash_token(token),
            invited_by=acting_user,
            expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
            mail_status=MailStatus.QUEUED,
            mail_status_at=now,
        )
        record(
            action="invitation.created",
            acting_user=acting_user,
            school=school,
            target=invitation,
            data={"roles": roles},  # the address is on the invitation, not in the log
        )
        _queue_invitation_mail(invitation, token=token, inviter=acting_user, base_url=base_url)
        created.append(invitation)
    return created


def _queue_invitation_mail(invitation: Invitation, *, token: str, inviter, base_url: str) -> None:
    """Queue the email with the link (sent after commit, retried when the mail server is down)."""
    User = get_user_model()
    # In the language of the invited person's account; someone without one gets the inviter's (else Dutch).
    invitee_language = User.objects.filter(email=invitation.email).values_list("language", flat=True).first()
    language = invitee_language or getattr(inviter, "language", None)
    with in_language(language):
        context = {
            "school": invitation.school,
            "inviter": inviter,
            "link": base_url + reverse("organisations:invitation", args=[token]),
            "roles": [str(label) for label in invitation.role_labels],
            "valid_days": settings.INVITATION_VALID_DAYS,
            "has_account": invitee_language is not None,
        }
        subject = _("Uitnodiging voor Groeiwijzer TSO – %(school)s") % {"school": invitation.school.name}
        body = render_to_string("organisations/email/invitation.txt", context)
    queue_mail(
        subject=subject,
        body=body,
        to=invitation.email,
        status_hook="organisations.services.invitation_mail_status",
        # The token's hash tells this link's mail apart from the mail of a link that was sent again since.
        ref={"invitation": invitation.pk, "token_hash": invitation.token_hash},
    )


def invitation_mail_status(ref, status: str, attempts: int) -> None:
    """Status hook of core.mail: store how the email with the invitation's current link fared."""
    if not isinstance(ref, dict) or not isinstance(ref.get("invitation"), int):
        return
    Invitation.objects.filter(pk=ref["invitation"], token_hash=str(ref.get("token_hash"))).update(
        mail_status=MailStatus(status).value, mail_attempts=attempts, mail_status_at=timezone.now()
    )


@transaction.atomic
def do_resend_invitation(*, invitation: Invitation, acting_user, base_url: str) -> Invitation:
    """Send an open (or expired) invitation again with a fresh link; the old link stops working."""
    invitation = Invitation.objects.select_for_update().select_related("school").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ServiceError(_("Deze uitnodiging is al aangenomen; opnieuw versturen is niet nodig."))
    if invitation.revoked_at is not None:
        raise ServiceError(_("Deze uitnodiging is ingetrokken. Nodig de persoon opnieuw uit."))
    if Role.SCHOOLLEIDING in invitation.roles:
        _check_may_touch_schoolleiding(invitation.school, acting_user)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = hash_token(token)
    invitation.expires_at = now + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.mail_status = MailStatus.QUEUED
    invitation.mail_attempts = 0
    invitation.mail_status_at = now
    invitation.resent_count += 1
    invitation.save(
        update_fields=["token_hash", "expires_at", "mail_status", "mail_attempts", "mail_status_at", "resent_count"]
    )
    record(
        action="invitation.resent",
        acting_user=acting_user,
        school=invitation.school,
        target=invitation,
        data={"times": invitation.resent_count},
    )
    _queue_invitation_mail(invitation, token=token, inviter=acting_user, base_url=base_url)
    return invitation


def find_invitation(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.select_related("school").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def do_accept_invitation(*, token: str, name: str = "", password: str | None = None, acting_user=None):
    """Accept an invitation: create the account if needed, add the membership. Returns the user."""
    invitation = find_invitation(token)
    if invitation is None:
        raise ServiceError(_("Deze uitnodiging bestaat niet."))
    # Locked, and the link checked again under the lock: a re-send between the lookup and the lock replaced the
    # link (do_resend_invitation locks the same row), and the old link must then stop working.
    invitation = Invitation.objects.select_for_update().filter(pk=invitation.pk, token_hash=hash_token(token)).first()
    if invitation is None:
        raise ServiceError(_("Deze uitnodiging is al gebruikt of verlopen. Vraag om een nieuwe uitnodiging."))
    if not invitation.is_open:
        raise ServiceError(_("Deze uitnodiging is al gebruikt of verlopen. Vraag om een nieuwe uitnodiging."))
    User = get_user_model()
    if acting_user is not None and acting_user.is_authenticated:
        if acting_user.email != invitation.email:
            raise ServiceError(
                _("Je bent ingelogd als %(email)s, maar deze uitnodiging is voor een ander e-mailadres. Log eerst uit.")
                % {"email": acting_user.email}
            )
        user = acting_user
    else:
        user = User.objects.filter(email=invitation.email).first()
        if user is None:
            user = User.objects.create_user(invitation.email, name=name.strip(), password=password or None)
        elif password and not user.has_usable_password():
            user.set_password(password)
            user.save(update_fields=["password"])
    membership, _created = Membership.objects.get_or_create(school=invitation.school, user=user)
    membership.set_roles(set(membership.roles) | set(invitation.roles))
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        action="invitation.accepted",
        acting_user=user,
        school=invitation.school,
        target=invitation,
        data={"roles": invitation.roles},
    )
    return user, membership


@transaction.atomic
def do_revoke_invitation(*, invitation: Invitation, acting_user) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(action="invitation.revoked", acting_user=acting_user, school=invitation.school, target=invitation)


def _acting_is_schoolleiding(school, acting_user) -> bool:
    return Membership.objects.filter(school=school, user=acting_user, is_schoolleiding=True).exists()


def _is_platform_admin(acting_user) -> bool:
    """A platform admin (beheer) starts a school: invites its first schoolleiding from the admin."""
    return bool(acting_user.is_active and acting_user.is_superuser)


def _check_may_touch_schoolleiding(school, acting_user) -> None:
    """Only schoolleiding may hand out, take away or remove the schoolleiding role (and the platform admin)."""
    if not (_acting_is_schoolleiding(school, acting_user) or _is_platform_admin(acting_user)):
        raise ServiceError(_("Alleen de schoolleiding kan de rol schoolleiding geven, afnemen of verwijderen."))


def _other_schoolleiding_exists(membership: Membership) -> bool:
    return Membership.objects.filter(school=membership.school, is_schoolleiding=True).exclude(pk=membership.pk).exists()


@transaction.atomic
def do_change_roles(*, membership: Membership, roles: list[str], acting_user, joined_on=None) -> Membership:
    """New roles; ``joined_on`` (a date), when given, is since when this person is in the team."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    roles = [Role(r).value for r in roles]
    if not roles:
        raise ServiceError(_("Kies minstens één rol."))
    if membership.is_schoolleiding != (Role.SCHOOLLEIDING in roles):
        _check_may_touch_schoolleiding(membership.school, acting_user)
    if membership.is_schoolleiding and Role.SCHOOLLEIDING not in roles and not _other_schoolleiding_exists(membership):
        raise ServiceError(_("Een school heeft altijd minstens één lid van de schoolleiding nodig."))
    before = membership.roles
    membership.set_roles(roles)
    data = {"before": before, "after": membership.roles, "user": membership.user_id}
    joined_before = timezone.localtime(membership.joined_at).date()
    if joined_on is not None and joined_before != joined_on:
        data["joined"] = [joined_before.isoformat(), joined_on.isoformat()]
        membership.joined_at = timezone.make_aware(datetime.datetime.combine(joined_on, datetime.time.min))
    membership.save()
    record(
        action="membership.roles_changed",
        acting_user=acting_user,
        school=membership.school,
        target=membership,
        data=data,
    )
    return membership


@transaction.atomic
def do_remove_member(*, membership: Membership, acting_user) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_schoolleiding:
        _check_may_touch_schoolleiding(membership.school, acting_user)
    if membership.is_schoolleiding and not _other_schoolleiding_exists(membership):
        raise ServiceError(
            _("Je kunt het laatste lid van de schoolleiding niet verwijderen. Geef eerst iemand anders deze rol.")
        )
    record(
        action="membership.removed",
        acting_user=acting_user,
        school=membership.school,
        target=membership,
        data={"user": membership.user_id, "roles": membership.roles},
    )
    membership.delete()


# A board's schools (issue 14): the board's beheerder adds and edits them and invites their first schoolleiding. ---


def _is_board_beheerder(board, acting_user) -> bool:
    return bool(
        acting_user is not None
        and acting_user.is_authenticated
        and BoardMember.objects.filter(board=board, user=acting_user, is_beheerder=True).exists()
    )


def _check_board_beheerder(board, acting_user) -> None:
    if not _is_board_beheerder(board, acting_user):
        raise ServiceError(_("Alleen de beheerder van het bestuur kan scholen toevoegen, wijzigen of starten."))


SCHOOL_FIELDS = ("name", "education_type", "cluster", "brin")
MAX_SCHOOL_NAME = 200  # School.name
MAX_BRIN = 6  # School.brin


def _clean_school(*, name: str, education_type: str, cluster, brin: str) -> dict:
    """The service's own checks (the form gives the same messages first): a name, a known onderwijstype, a cluster
    only for SO and VSO."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Vul de naam van de school in."))
    if len(name) > MAX_SCHOOL_NAME:
        raise ServiceError(_("De naam is te lang (hooguit 200 tekens)."))
    if education_type not in EducationType.values:
        raise ServiceError(_("Kies een onderwijstype uit de lijst."))
    if cluster in ("", None):
        cluster = None
    elif int(cluster) not in Cluster.values:
        raise ServiceError(_("Kies een cluster uit de lijst."))
    if cluster is not None and education_type not in (EducationType.SO, EducationType.VSO):
        raise ServiceError(_("Een cluster hoort alleen bij SO of VSO."))
    brin = (brin or "").strip().upper()
    if len(brin) > MAX_BRIN:
        raise ServiceError(_("Een BRIN-code heeft hooguit 6 tekens."))
    return {"name": name, "education_type": education_type, "cluster": int(cluster) if cluster else None, "brin": brin}


@transaction.atomic
def do_create_school(*, board, name: str, education_type: str, cluster=None, brin: str = "", acting_user) -> School:
    """A new school of the board, by its beheerder. It starts empty: the beheerder invites its first schoolleiding,
    who lands on the school's "Zo begin je" page."""
    _check_board_beheerder(board, acting_user)
    values = _clean_school(name=name, education_type=education_type, cluster=cluster, brin=brin)
    school = School.objects.create(board=board, **values)
    record(
        action="school.created",
        acting_user=acting_user,
        board=board,
        school=school,
        target=school,
        data={"name": school.name, "education_type": school.education_type},
    )
    return school


@transaction.atomic
def do_update_school(
    *, school: School, name: str, education_type: str, cluster=None, brin: str = "", acting_user
) -> School:
    """Change a school's name, onderwijstype, cluster or BRIN-code, by the board's beheerder."""
    school = School.objects.select_for_update().select_related("board").get(pk=school.pk)
    _check_board_beheerder(school.board, acting_user)
    values = _clean_school(name=name, education_type=education_type, cluster=cluster, brin=brin)
    changed = [f for f in SCHOOL_FIELDS if getattr(school, f) != values[f]]
    if not changed:
        return school
    for field_name in changed:
        setattr(school, field_name, values[field_name])
    school.save(update_fields=changed)
    record(
        action="school.updated",
        acting_user=acting_user,
        board=school.board,
        school=school,
        target=school,
        data={"fields": changed},  # the names of the changed fields, not their values
    )
    return school


@transaction.atomic
def do_invite_first_schoolleiding(*, school: School, emails: list[str], acting_user, base_url: str) -> list[Invitation]:
    """The board's beheerder invites a school's schoolleiding (the same invitation and mail as the team page's);
    from then on the schoolleiding runs the school. Refused once the school has a schoolleiding."""
    school = School.objects.select_for_update().select_related("board").get(pk=school.pk)
    _check_board_beheerder(school.board, acting_user)
    if Membership.objects.filter(school=school, is_schoolleiding=True).exists():
        raise ServiceError(
            _("%(school)s heeft al een schoolleiding; die nodigt het team en een nieuwe schoolleider zelf uit.")
            % {"school": school.name}
        )
    created = _invite(
        school=school, emails=emails, roles=[Role.SCHOOLLEIDING.value], acting_user=acting_user, base_url=base_url
    )
    record(
        action="school.schoolleiding_invited",
        acting_user=acting_user,
        board=school.board,
        school=school,
        target=school,
        data={"invitations": len(created)},
    )
    return created
