"""Who may see or edit what: the one access policy. Views call these functions; they never filter by hand.

Chain: board → school → membership → role. ``SchoolAccess`` holds the capabilities of every app (roles → what they
may do); it needs no app's models, so it sits here, just above the models it rules on (boards, schools,
memberships) and below the domain apps that use it. Each domain app finds its own objects in its ``lookups.py``
through ``school_object`` (the school filter and the 404) and ``require`` (the 403), e.g. assessments.lookups.

- Another school's object (or one that does not exist) is a 404 — the same answer for both.
- A role that is too low is a 403.
- Board members see their board's schools read-only, consensus results only.
- A board member who is the board's beheerder (BoardMember.is_beheerder) also adds and edits the board's schools
  and invites their first schoolleiding (BoardAccess.can_manage_board_schools); another board is a 404, a
  read-only board member gets a 403 on those pages. Inside a school the beheerder is a board member like the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.models import AuditEvent
from core.fields import MAX_ID
from core.prepared import PreparedQuery, instances

from .models import Board, BoardMember, Invitation, Membership, Role, School

if TYPE_CHECKING:
    from accounts.models import User

ORGANISER_ROLES = (Role.SCHOOLLEIDING, Role.KARTREKKER)
CONSENSUS_VIEW_ROLES = (
    Role.SCHOOLLEIDING,
    Role.KARTREKKER,
    Role.WERKGROEPLID,
    Role.TRAINER_INTERN,
    Role.TRAINER_EXTERN,
)

# The action plan is made and kept alive by the werkgroep, kartrekkers and schoolleiding (handbook ch. 5).
PLAN_EDITOR_ROLES = (Role.SCHOOLLEIDING, Role.KARTREKKER, Role.WERKGROEPLID)


@dataclass
class SchoolAccess:
    """What the current user is in one school."""

    user: User
    school: School
    membership: Membership | None  # None: a board member looking on, read-only

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def is_board_viewer(self) -> bool:
        return self.membership is None

    def has_role(self, *roles: str) -> bool:
        return self.membership is not None and self.membership.has_role(*roles)

    # Capabilities -------------------------------------------------------
    @property
    def can_manage_members(self) -> bool:
        return self.has_role(*ORGANISER_ROLES)

    @property
    def can_organise_rounds(self) -> bool:
        return self.has_role(*ORGANISER_ROLES)

    @property
    def can_reopen_rounds(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING)

    def can_view_consensus(self, round_) -> bool:
        return self.has_role(*CONSENSUS_VIEW_ROLES) or self.can_facilitate(round_)

    def can_view_answers(self, round_) -> bool:
        """The consensus and presentation views, which show what participants answered.

        While filling in is open, an anonymous round shows nobody anything: watching the
        distribution change as each person submits would reveal individual answers. In a
        round with names, organisers may look ahead.
        """
        if not self.is_member or not self.can_view_consensus(round_):
            return False
        if round_.is_open:
            return self.can_organise_rounds and not round_.anonymous
        return True

    def can_facilitate(self, round_) -> bool:
        if self.membership is None:
            return False
        return self.has_role(*ORGANISER_ROLES) or (
            round_.facilitator_id is not None and round_.facilitator_id == self.user.pk
        )

    # Action plan ---------------------------------------------------------
    # Everyone in the school and the board may read the plan (it holds no individual opinions);
    # the werkgroep, kartrekkers and schoolleiding change it; whoever owns an action may work on it.
    @property
    def can_view_plan(self) -> bool:
        """Read the plan's goals and actions (a link to them from other pages): everyone with access to the school."""
        return self.is_member or self.is_board_viewer

    @property
    def can_edit_plan(self) -> bool:
        return self.has_role(*PLAN_EDITOR_ROLES)

    @property
    def can_view_meetings(self) -> bool:
        return self.is_member

    def can_work_on_action(self, action) -> bool:
        """Tick steps, add updates, change the status."""
        return self.can_edit_plan or (self.is_member and action.owner_id == self.user.pk)

    @property
    def sees_meeting_reminder(self) -> bool:
        return self.has_role(Role.KARTREKKER)

    # Implementation route ------------------------------------------------------
    # Everyone in the school and the board may read the route (dates and owners, no opinions); the kartrekker
    # and the schoolleiding plan it; whoever owns a step may mark it done or add a note.
    @property
    def can_edit_trajectory(self) -> bool:
        return self.has_role(*ORGANISER_ROLES)

    def can_work_on_step(self, step) -> bool:
        return self.can_edit_trajectory or (self.is_member and step.owner_id == self.user.pk)

    def can_see_individual_answers(self, round_) -> bool:
        """Distributions and written answers: members only, never board viewers."""
        return self.membership is not None

    # Team training (training app) ----------------------------------------------------------
    # Every member sees the plan and the sessions (and may sign up for werkmoment topics);
    # kartrekkers and schoolleiding plan it; trainers also take attendance. Attendance per person
    # (who missed what) is seen by the organisers and the trainers only; the board sees nothing.
    @property
    def can_view_training(self) -> bool:
        return self.is_member

    @property
    def can_manage_training(self) -> bool:
        return self.has_role(*ORGANISER_ROLES)

    @property
    def can_take_attendance(self) -> bool:
        return self.has_role(*ORGANISER_ROLES, Role.TRAINER_INTERN, Role.TRAINER_EXTERN)

    # Leadership checklist (Bijlage 6) -----------------------------------------
    # The MT (schoolleiding) fills in the checklist, each person on their own: answers are shown to their
    # author only (own_leadership_answers), never to other MT members, kartrekkers or the board. The
    # schoolleiding manages the school's own items and writes the MT conversation's outcomes and
    # agreements; kartrekkers may read that record (agreements, no individual answers) to link them to the
    # action plan. Everyone else, and board members, get a 403.
    @property
    def can_fill_leadership_checklist(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING)

    @property
    def can_manage_leadership_checklist(self) -> bool:
        """Start a round, add, edit and retire the school's own items."""
        return self.has_role(Role.SCHOOLLEIDING)

    @property
    def can_view_leadership_conversation(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING, Role.KARTREKKER)

    @property
    def can_edit_leadership_conversation(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING)

    # Opbrengsten (outcomes app, issue 13) ------------------------------------------------------------
    # Kartrekkers and schoolleiding open and close the yearly questionnaire and keep the school's own questions;
    # every member fills in an open one (once); members and board viewers read the results, which are aggregates
    # only (outcomes/results.py), never who answered what.
    @property
    def can_manage_surveys(self) -> bool:
        return self.has_role(*ORGANISER_ROLES)

    @property
    def can_fill_surveys(self) -> bool:
        return self.is_member

    @property
    def can_view_outcomes(self) -> bool:
        return self.is_member or self.is_board_viewer

    # Voorgesprekken and kartrekkers (intake app, handbook ch. 3, Bijlage 1 and 2) -------------------
    # The voorgesprek is led by schoolleiding, kartrekkers and trainers (intern/extern): they see and
    # edit it. Werkgroepleden and teamleden may not see it, because it discusses the team's draagkracht,
    # belastbaarheid and valkuilen; the board does not see it either (403).
    @property
    def can_lead_intake(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING, Role.KARTREKKER, Role.TRAINER_INTERN, Role.TRAINER_EXTERN)

    # Every member may read the kartrekker profile and see who the kartrekkers are; the board may not.
    @property
    def can_view_kartrekkers(self) -> bool:
        return self.is_member

    # "De directie van de school is verantwoordelijk voor het aanstellen (...) van (minimaal) twee
    # kartrekkers" (Bijlage 2): only schoolleiding appoints or removes them.
    @property
    def can_appoint_kartrekkers(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING)

    # Naslag (reference app) ------------------------------------------------
    # The reference pages themselves are not school data: any logged-in user reads them. The estimate
    # "Wat betekent dit voor onze school" is for the school's members; schoolleiding and kartrekkers may
    # store the school's pupil count for it.
    @property
    def can_view_estimate(self) -> bool:
        return self.is_member

    @property
    def can_set_pupil_count(self) -> bool:
        return self.has_role(*ORGANISER_ROLES)

    # Audit log (audit app) ---------------------------------------------------------------------------------
    # The schoolleiding reads the school's log (who did what, when); everyone else in the school and the board
    # get a 403. Board members read their board's own events on the board log (board_audit_events); platform
    # admins read everything in the admin, read-only.
    @property
    def can_read_audit_log(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING)

    # Across schools (research app, issue 13): the schoolleiding switches the benchmark on or off and gives or
    # withdraws consent for research; whoever may read the growth page sees the benchmark of an opted-in school.
    @property
    def can_manage_research(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING)

    # Single sign-on (organisations/sso.py): the schoolleiding decides how the team logs in.
    @property
    def can_manage_sso(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING)

    # A school that leaves (pages/leaving.py): its schoolleiding exports all data and deletes the school.
    @property
    def can_close_school(self) -> bool:
        return self.has_role(Role.SCHOOLLEIDING)


def require(condition: bool, reason: str = "") -> None:
    """403 unless ``condition``. ``reason``: the real reason in Dutch, shown on the 403 page instead of the general
    "je rol geeft geen toegang" (e.g. the round's phase, or not being a participant)."""
    if not condition:
        raise PermissionDenied(reason) if reason else PermissionDenied


def parse_id(value) -> int:
    """A primary key from a URL, or 404 (also for ids no database can store)."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < value <= MAX_ID:
        raise Http404
    return value


def one_or_404(queryset, object_id):
    """The object with this id in the queryset (already limited to the caller's school), or 404.

    "Absent" and "not yours" give the same answer, also for ids no database can store.
    """
    obj = queryset.filter(pk=parse_id(object_id)).first()
    if obj is None:
        raise Http404
    return obj


def _attnames(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


_MEMBERSHIP, _SCHOOL, _BOARD = _attnames(Membership), _attnames(School), _attnames(Board)
# Every school page asks this first: built by the ORM once per process (core.prepared), with the school and its board.
_MEMBERSHIP_QUERY = PreparedQuery(
    lambda p: Membership.objects.filter(school_id=p.school, user_id=p.user).values(
        *_MEMBERSHIP, *[f"school__{f}" for f in _SCHOOL], *[f"school__board__{f}" for f in _BOARD]
    ),
    ints=("school", "user"),
)


def _membership(user, school_id) -> Membership | None:
    """The user's membership of the school, with the school and its board (one query)."""
    rows = _MEMBERSHIP_QUERY.rows(school=school_id, user=user.pk)
    if not rows:
        return None
    row = rows[0]
    [membership] = instances(Membership, [{f: row[f] for f in _MEMBERSHIP}])
    [school] = instances(School, [{f: row[f"school__{f}"] for f in _SCHOOL}])
    [board] = instances(Board, [{f: row[f"school__board__{f}"] for f in _BOARD}])
    school.board, membership.school, membership.user = board, school, user
    return membership


def get_school_access(user, school_id) -> SchoolAccess:
    """The user's access to a school: member, board viewer, or 404."""
    school_id = parse_id(school_id)
    if not user.is_authenticated:
        raise Http404
    membership = _membership(user, school_id)
    if membership is not None:
        return SchoolAccess(user=user, school=membership.school, membership=membership)
    school = School.objects.select_related("board").filter(pk=school_id, board__members=user).first()
    if school is None:
        raise Http404
    return SchoolAccess(user=user, school=school, membership=None)


def school_access(request, school_id, *needs: str) -> SchoolAccess:
    """The request's access to a school, for a view of any app: 404 for another school or none, 403 unless every
    capability named in ``needs`` (an attribute of SchoolAccess, e.g. "can_edit_plan") holds, checked in order.
    It is kept on the request as ``request.school_access`` for the page around the view."""
    acc = request.school_access = get_school_access(request.user, school_id)
    for need in needs:
        require(getattr(acc, need))
    return acc


def school_context(acc: SchoolAccess, **extra) -> dict:
    """The context every school page starts with: the access and the school, plus the view's own."""
    return {"acc": acc, "school": acc.school, **extra}


def get_member_access(user, school_id, *roles: str) -> SchoolAccess:
    """Access for school members; with roles, one of those roles is required (else 403)."""
    access = get_school_access(user, school_id)
    require(access.is_member)
    if roles:
        require(access.has_role(*roles))
    return access


def get_board_for_user(user, board_id) -> Board:
    return one_or_404(Board.objects.filter(members=user), board_id)


@dataclass
class BoardAccess:
    """What the current user is in one board: a board member (read-only) or its beheerder."""

    user: User
    board: Board
    is_beheerder: bool

    @property
    def can_manage_board_schools(self) -> bool:
        """Add and edit the board's schools, invite their first schoolleiding (organisations.services)."""
        return self.is_beheerder

    @property
    def can_manage_board_training(self) -> bool:
        """Plan the board's training for new staff; see can_manage_board_training below."""
        return self.is_beheerder

    @property
    def can_manage_board_sso(self) -> bool:
        """Require single sign-on for all the board's schools (organisations/sso.py)."""
        return self.is_beheerder

    @property
    def can_manage_api_tokens(self) -> bool:
        """Make and revoke the board's API tokens (api/, issue 16)."""
        return self.is_beheerder


def board_access(user, board_id, *needs: str) -> BoardAccess:
    """The user's access to a board (one query): 404 unless they follow it, 403 unless every capability named in
    ``needs`` (an attribute of BoardAccess, e.g. "can_manage_board_schools") holds."""
    board_id = parse_id(board_id)
    if not user.is_authenticated:
        raise Http404
    row = BoardMember.objects.select_related("board").filter(board_id=board_id, user=user).first()
    if row is None:
        raise Http404
    acc = BoardAccess(user=user, board=row.board, is_beheerder=row.is_beheerder)
    for need in needs:
        require(getattr(acc, need))
    return acc


def board_school(board: Board, school_id) -> School:
    """A school of ``board`` (a BoardAccess's board, or the board of an API token: api/endpoints.py), or 404 (another
    board's school, or none)."""
    return one_or_404(School.objects.filter(board=board), school_id)


def school_audit_events(access: SchoolAccess):
    """The school's audit rows, for those who may read its log (else 403)."""
    require(access.can_read_audit_log)
    return AuditEvent.objects.filter(school=access.school)


def board_audit_events(board: Board):
    """The board-level audit rows of a board from get_board_for_user (a school that joined or left, ...)."""
    return AuditEvent.objects.filter(board=board)


def get_school_to_close(user, school_id) -> School:
    """A school whose data ``user`` may export and delete: its schoolleiding (others in the school and the board
    403, another school 404), or a platform admin who passed the second factor (any school)."""
    is_verified = getattr(user, "is_verified", None)
    if user.is_authenticated and user.is_staff and user.is_active and is_verified is not None and is_verified():
        return one_or_404(School.objects.select_related("board"), school_id)
    access = get_school_access(user, school_id)
    require(access.can_close_school)
    return access.school


def is_verified_platform_admin(user) -> bool:
    """A platform admin (staff, active) who passed the second factor in this session (accounts/twofactor.py)."""
    is_verified = getattr(user, "is_verified", None)
    if not (user.is_authenticated and user.is_staff and user.is_active) or is_verified is None:
        return False
    return bool(is_verified())


def require_platform_admin(user) -> None:
    """Platform-wide pages outside /beheer/ (the research export): verified platform admins only, else 403."""
    require(is_verified_platform_admin(user))


def schools_for_user(user):
    """Schools the user belongs to, for the school switcher."""
    return School.objects.filter(memberships__user=user).select_related("board").order_by("name")


def get_membership(access: SchoolAccess, membership_id) -> Membership:
    return one_or_404(Membership.objects.select_related("user").filter(school=access.school), membership_id)


def get_invitation(access: SchoolAccess, invitation_id):
    return one_or_404(Invitation.objects.filter(school=access.school), invitation_id)


def alive_or_deleted(queryset, deleted: bool | None):
    """deleted=False: live items; True: only deleted ones (to restore); None: either (a save that meets a
    delete made meanwhile gets the service's message instead of a bare 404)."""
    return queryset if deleted is None else queryset.filter(deleted_at__isnull=not deleted)


def school_object(access: SchoolAccess, queryset, object_id, *, via: str = "school"):
    """The object with this id among ``queryset``'s objects of the caller's school (``via``: the path from the
    model to its school, e.g. "trajectory__school"), or 404. Each app finds its own objects with this, in its
    ``lookups.py``; the rule "another school's object is a 404, like an absent one" stays here."""
    return one_or_404(queryset.filter(**{via: access.school}), object_id)


# Training for new staff across schools (training app, issue 14; handbook 4.3.4) --------------------------------
# The board's beheerder plans one training for new staff of several of its schools and sees the names of the new
# staff of those schools (no one else's); BoardAccess.can_manage_board_training. Read-only board members get a 403
# on those pages; trainers of a session register its attendance (training.lookups); anyone else gets a 404, as
# for a board they do not follow.
def can_manage_board_training(user, board: Board) -> bool:
    """Plan the board's training for new staff (pick schools, new staff, groups, sessions; take attendance):
    the board's beheerder (BoardMember.is_beheerder)."""
    if not user.is_authenticated:
        return False
    return BoardMember.objects.filter(board=board, user=user, is_beheerder=True).exists()


def follows_board(user, board_id) -> bool:
    """Whether the user follows the board with this id (read-only or beheerder)."""
    if not user.is_authenticated:
        return False
    return BoardMember.objects.filter(board_id=parse_id(board_id), user=user).exists()
