from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from organisations import access

from . import services
from .forms import AcceptInvitationForm, BoardSchoolForm, InviteForm, MemberForm, SchoolleidingInviteForm
from .models import Invitation, Membership, Role, School


def members(request, school_id):
    acc = access.school_access(request, school_id, "is_member")
    memberships = Membership.objects.filter(school=acc.school).select_related("user").order_by("user__name")
    invitations = []
    form = None
    if acc.can_manage_members:
        invitations = [
            i for i in Invitation.objects.filter(school=acc.school, accepted_at=None, revoked_at=None) if i.is_open
        ]
        form = InviteForm()
    return render(
        request,
        "organisations/members.html",
        {"acc": acc, "school": acc.school, "memberships": memberships, "invitations": invitations, "form": form},
    )


def invite(request, school_id):
    acc = access.school_access(request, school_id, "can_manage_members")
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.do_invite_members(
                school=acc.school,
                emails=form.cleaned_data["emails"],
                roles=form.cleaned_data["roles"],
                acting_user=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ServiceError as exc:
            form.add_error("roles", str(exc))
            return render(
                request, "organisations/invite.html", {"acc": acc, "school": acc.school, "form": form}, status=400
            )
        n_existing = len(form.cleaned_data["emails"]) - len(created)
        messages.success(
            request,
            _(
                "%(n)d uitnodiging(en) aangemaakt. De e-mail staat in de wachtrij en gaat zo de deur uit; "
                "bij de openstaande uitnodigingen zie je of dat gelukt is."
            )
            % {"n": len(created)}
            + (" " + _("%(n)d bestaande leden kregen de rol erbij.") % {"n": n_existing} if n_existing else ""),
        )
        return redirect("organisations:members", school_id=acc.school.pk)
    return render(
        request,
        "organisations/invite.html",
        {"acc": acc, "school": acc.school, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def invitation_revoke(request, school_id, invitation_id):
    acc = access.school_access(request, school_id, "can_manage_members")
    invitation = access.get_invitation(acc, invitation_id)
    services.do_revoke_invitation(invitation=invitation, acting_user=request.user)
    messages.success(request, _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email})
    return redirect("organisations:members", school_id=acc.school.pk)


@require_POST
def invitation_resend(request, school_id, invitation_id):
    """Send an invitation again with a fresh link (the old link stops working)."""
    acc = access.school_access(request, school_id, "can_manage_members")
    invitation = access.get_invitation(acc, invitation_id)
    try:
        services.do_resend_invitation(
            invitation=invitation, acting_user=request.user, base_url=request.build_absolute_uri("/").rstrip("/")
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "De uitnodiging voor %(email)s gaat opnieuw de deur uit, met een nieuwe link (de oude link werkt "
                "niet meer). De e-mail staat in de wachtrij."
            )
            % {"email": invitation.email},
        )
    return redirect("organisations:members", school_id=acc.school.pk)


def member_edit(request, school_id, membership_id):
    acc = access.school_access(request, school_id, "can_manage_members")
    membership = access.get_membership(acc, membership_id)
    initial = {"roles": membership.roles, "joined_on": timezone.localtime(membership.joined_at).date()}
    form = MemberForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_change_roles(
                membership=membership,
                roles=form.cleaned_data["roles"],
                joined_on=form.cleaned_data["joined_on"],
                acting_user=request.user,
            )
        except ServiceError as exc:
            form.add_error("roles", str(exc))
        else:
            messages.success(request, _("De rollen van %(name)s zijn aangepast.") % {"name": membership.user})
            return redirect("organisations:members", school_id=acc.school.pk)
    return render(
        request,
        "organisations/member_edit.html",
        {"acc": acc, "school": acc.school, "membership": membership, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def member_remove(request, school_id, membership_id):
    acc = access.school_access(request, school_id, "can_manage_members")
    membership = access.get_membership(acc, membership_id)
    error = None
    if request.method == "POST":
        try:
            services.do_remove_member(membership=membership, acting_user=request.user)
        except ServiceError as exc:
            error = str(exc)
        else:
            messages.success(request, _("%(name)s is uit het team verwijderd.") % {"name": membership.user})
            if membership.user_id == request.user.pk:
                return redirect("home")
            return redirect("organisations:members", school_id=acc.school.pk)
    return render(
        request,
        "organisations/member_remove.html",
        {"acc": acc, "school": acc.school, "membership": membership, "error": error},
        status=400 if error else 200,
    )


@login_not_required
def invitation(request, token):
    """Opening the link consumes nothing (mail scanners open links first); the button does."""
    inv = services.find_invitation(token)
    if inv is None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    if not inv.is_open:
        return render(request, "organisations/invitation_invalid.html", {"invitation": inv}, status=410)
    from accounts.models import User

    existing = User.objects.filter(email=inv.email).first()
    needs_name = existing is None
    data = request.POST if request.method == "POST" else None
    form = AcceptInvitationForm(data, needs_name=needs_name, email=inv.email)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            user, membership = services.do_accept_invitation(
                token=token,
                name=form.cleaned_data.get("name", ""),
                password=form.cleaned_data.get("password") or None,
                acting_user=request.user,
            )
        except ServiceError as exc:
            error = str(exc)
        else:
            school_url = reverse("organisations:school", args=[membership.school_id])
            if not request.user.is_authenticated and existing is not None:
                # An existing account is not opened by a link alone: it may reach other schools too.
                messages.success(
                    request,
                    _("%(school)s is aan je account toegevoegd. Log in om verder te gaan.")
                    % {"school": membership.school.name},
                )
                return redirect(f"{reverse('accounts:login')}?{urlencode({'next': school_url})}")
            if not request.user.is_authenticated:
                login(request, user, backend="accounts.backends.EmailBackend")
            messages.success(request, _("Welkom bij %(school)s!") % {"school": membership.school.name})
            if membership.has_role(Role.SCHOOLLEIDING, Role.KARTREKKER):
                # A new school opens on 'Zo begin je' (pages/onboarding.py); one that did every step goes on to
                # its dashboard.
                return redirect(reverse("organisations:onboarding", args=[membership.school_id]) + "?welkom=1")
            return redirect(school_url)
    return render(
        request,
        "organisations/invitation.html",
        {"invitation": inv, "form": form, "error": error, "existing": existing},
        status=400 if request.method == "POST" else 200,
    )


# A board's schools (issue 14): the board's beheerder adds and edits them and invites their first schoolleiding. ----


def _board_schools_context(acc: access.BoardAccess, **extra) -> dict:
    return {"bacc": acc, "board": acc.board, **extra}


def board_schools(request, board_id):
    """The board's schools as its beheerder manages them: whether each has a schoolleiding yet, open invitations."""
    acc = access.board_access(request.user, board_id, "can_manage_board_schools")
    schools = list(
        School.objects.filter(board=acc.board)
        .annotate(
            n_schoolleiding=Count("memberships", filter=Q(memberships__is_schoolleiding=True)),
        )
        .order_by("name")
    )
    now = timezone.now()
    open_invitations: dict[int, list[Invitation]] = {}
    for inv in Invitation.objects.filter(
        school__board=acc.board, accepted_at=None, revoked_at=None, expires_at__gt=now
    ).order_by("created_at"):
        if Role.SCHOOLLEIDING in inv.roles:
            open_invitations.setdefault(inv.school_id, []).append(inv)
    rows = [(school, open_invitations.get(school.pk, [])) for school in schools]
    return render(request, "organisations/board_schools.html", _board_schools_context(acc, rows=rows))


def board_school_new(request, board_id):
    acc = access.board_access(request.user, board_id, "can_manage_board_schools")
    form = BoardSchoolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.do_create_school(board=acc.board, acting_user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(school)s is toegevoegd. Nodig nu de schoolleiding uit: die zet de school verder op.")
                % {"school": school.name},
            )
            return redirect("organisations:board_school_invite", board_id=acc.board.pk, school_id=school.pk)
    return render(
        request,
        "organisations/board_school_form.html",
        _board_schools_context(acc, form=form, school=None),
        status=400 if request.method == "POST" else 200,
    )


def board_school_edit(request, board_id, school_id):
    acc = access.board_access(request.user, board_id, "can_manage_board_schools")
    school = access.board_school(acc.board, school_id)
    initial = {f: getattr(school, f) for f in services.SCHOOL_FIELDS}
    form = BoardSchoolForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_school(school=school, acting_user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("De gegevens van %(school)s zijn opgeslagen.") % {"school": form.cleaned_data["name"]}
            )
            return redirect("organisations:board_schools", board_id=acc.board.pk)
    return render(
        request,
        "organisations/board_school_form.html",
        _board_schools_context(acc, form=form, school=school),
        status=400 if request.method == "POST" else 200,
    )


def board_school_invite(request, board_id, school_id):
    """Invite a school's first schoolleiding: the invitation and e-mail of the team page, role schoolleiding."""
    acc = access.board_access(request.user, board_id, "can_manage_board_schools")
    school = access.board_school(acc.board, school_id)
    has_lead = Membership.objects.filter(school=school, is_schoolleiding=True).exists()
    form = SchoolleidingInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.do_invite_first_schoolleiding(
                school=school,
                emails=form.cleaned_data["emails"],
                acting_user=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ServiceError as exc:
            form.add_error("emails", str(exc))
        else:
            messages.success(
                request,
                _(
                    "%(n)d uitnodiging(en) voor de schoolleiding van %(school)s aangemaakt. De e-mail staat in de "
                    "wachtrij en gaat zo de deur uit."
                )
                % {"n": len(created), "school": school.name},
            )
            return redirect("organisations:board_schools", board_id=acc.board.pk)
    return render(
        request,
        "organisations/board_school_invite.html",
        _board_schools_context(acc, form=form, school=school, has_lead=has_lead),
        status=400 if request.method == "POST" else 200,
    )
