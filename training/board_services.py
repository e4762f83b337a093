"""Writes and reads for a board's training for new staff across schools (handbook 4.3.4, issue 14).

A board's beheerder picks several of the board's schools, forms one group or more of new staff members from
those schools (each participant is a membership: the person at their own school), plans sessions of the team
training's kinds and registers attendance; a session's trainers register attendance too. A mark "aanwezig" at a
module counts at the person's own school (training/overview.py: "nog te trainen"). Each write is atomic and
audited on the board's log (no names in the audit data).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import record
from core.errors import ServiceError
from core.versions import check_version
from organisations.models import Membership, School

from .content import load_content
from .models import (
    MAX_SCHOOL_YEAR,
    MIN_SCHOOL_YEAR,
    BoardAttendance,
    BoardTraining,
    BoardTrainingGroup,
    BoardTrainingParticipant,
    BoardTrainingSession,
    TrainingPlan,
)
from .services import OTHER_KIND, save_marks, team_memberships

SESSION_FIELDS = ("title", "date", "start_time", "end_time", "location", "group")


def school_year_bounds(school_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(school_year, 8, 1), datetime.date(school_year + 1, 7, 31)


def _check_schools(board, schools) -> list[School]:
    schools = list(schools)
    if not schools:
        raise ServiceError(_("Kies minstens één school."))
    if any(s.board_id != board.pk for s in schools):
        raise ServiceError(_("Kies alleen scholen van dit bestuur."))
    return schools


# The training ---------------------------------------------------------------------------------------------


@transaction.atomic
def do_create_board_training(*, board, title: str, school_year: int, schools, acting_user) -> BoardTraining:
    if not MIN_SCHOOL_YEAR <= int(school_year) <= MAX_SCHOOL_YEAR:
        raise ServiceError(
            _("Kies een schooljaar tussen %(a)d en %(b)d.") % {"a": MIN_SCHOOL_YEAR, "b": MAX_SCHOOL_YEAR}
        )
    schools = _check_schools(board, schools)
    training = BoardTraining.objects.create(
        board=board,
        title=title,
        school_year=school_year,
        content_version=load_content().version,
        created_by=acting_user,
    )
    training.schools.set(schools)
    BoardTrainingGroup.objects.create(training=training, name=_("Groep 1"))
    record(
        action="training.board.create",
        acting_user=acting_user,
        board=board,
        target=training,
        data={"school_year": school_year, "schools": sorted(s.pk for s in schools)},
    )
    return training


@transaction.atomic
def do_update_board_training(*, training, title: str, schools, expected_version=None, acting_user) -> BoardTraining:
    training = BoardTraining.objects.select_for_update().get(pk=training.pk)
    check_version(training.version, expected_version)
    schools = _check_schools(training.board, schools)
    keep = {s.pk for s in schools}
    dropped_with_people = (
        School.objects.filter(
            pk__in=BoardTrainingParticipant.objects.filter(training=training).values("membership__school_id")
        )
        .exclude(pk__in=keep)
        .order_by("name")
    )
    if dropped_with_people:
        raise ServiceError(
            _("%(schools)s heeft nog deelnemers in deze training. Haal ze eerst uit de groepen.")
            % {"schools": ", ".join(s.name for s in dropped_with_people)}
        )
    changed = []
    if training.title != title:
        changed.append("title")
    if set(training.schools.values_list("pk", flat=True)) != keep:
        changed.append("schools")
    training.title = title
    training.version += 1
    training.save()
    training.schools.set(schools)
    record(
        action="training.board.update",
        acting_user=acting_user,
        board=training.board,
        target=training,
        data={"changed": changed, "schools": sorted(keep)},
    )
    return training


# Who still needs the training, per school ------------------------------------------------------------------


def plan_for(school, school_year: int) -> TrainingPlan | None:
    """The school's team training plan the new staff are counted against: the latest up to the school year."""
    return TrainingPlan.objects.filter(school=school, school_year__lte=school_year).order_by("-school_year").first()


def candidates_by_school(training) -> list[tuple[School, TrainingPlan | None, list[Membership]]]:
    """Per school of the training (by name): its plan and the people who still need the team training there
    ("nog te trainen" of that plan), or its whole team when it has no plan yet. For the beheerder's picker."""
    from .overview import build_overview

    rows = []
    for school in training.schools.order_by("name", "id"):
        plan = plan_for(school, training.school_year)
        if plan is None:
            people = list(team_memberships(school))
        else:
            people = [row.membership for row in build_overview(plan).still_to_train]
        people.sort(key=lambda m: (m.user.display_name.lower(), m.pk))
        rows.append((school, plan, people))
    return rows


# Groups and participants -------------------------------------------------------------------------------------


@transaction.atomic
def do_save_board_group(*, training, name: str, memberships, acting_user, group=None) -> BoardTrainingGroup:
    """Create a group or change its name and people. ``memberships``: new staff of the training's schools."""
    BoardTraining.objects.select_for_update().filter(pk=training.pk).first()  # one group save at a time
    wanted = {m.pk: m for m in memberships}
    allowed: set[int] = set()
    for school in training.schools.all():  # the team of each school: all members but external trainers only
        allowed |= set(team_memberships(school).filter(pk__in=list(wanted)).values_list("pk", flat=True))
    if not set(wanted) <= allowed:
        raise ServiceError(_("Kies alleen medewerkers van de scholen van deze training."))
    users = [m.user_id for m in wanted.values()]
    if len(users) != len(set(users)):
        raise ServiceError(_("Kies iemand maar één keer, ook als die op twee scholen werkt."))
    elsewhere = BoardTrainingParticipant.objects.filter(training=training, membership_id__in=list(wanted))
    if group is not None:
        elsewhere = elsewhere.exclude(group=group)
    if elsewhere.exists():
        raise ServiceError(_("Iemand die je koos zit al in een andere groep van deze training."))
    same_user = BoardTrainingParticipant.objects.filter(training=training, membership__user_id__in=users).exclude(
        membership_id__in=list(wanted)
    )
    if group is not None:
        same_user = same_user.exclude(group=group)
    if same_user.exists():
        raise ServiceError(_("Iemand die je koos doet al mee voor een andere school."))
    if group is None:
        group = BoardTrainingGroup.objects.create(training=training, name=name)
        kind = "create"
    else:
        group = BoardTrainingGroup.objects.select_for_update().get(pk=group.pk, training=training)
        group.name = name
        group.save()
        kind = "update"
    current = {p.membership_id: p for p in BoardTrainingParticipant.objects.filter(group=group)}
    leaving = [p for m, p in current.items() if m not in wanted]
    if BoardAttendance.objects.filter(participant__in=leaving).exists():
        raise ServiceError(_("Wie al aanwezigheid heeft in deze training, blijft in de groep. Er is niets opgeslagen."))
    BoardTrainingParticipant.objects.filter(pk__in=[p.pk for p in leaving]).delete()
    now = timezone.now()
    BoardTrainingParticipant.objects.bulk_create(
        [
            BoardTrainingParticipant(training=training, group=group, membership=m, added_at=now, added_by=acting_user)
            for pk, m in wanted.items()
            if pk not in current
        ]
    )
    per_school: defaultdict[str, int] = defaultdict(int)
    for m in wanted.values():
        per_school[str(m.school_id)] += 1
    record(
        action=f"training.board.group_{kind}",
        acting_user=acting_user,
        board=training.board,
        target=group,
        data={"participants": len(wanted), "per_school": dict(per_school), "left": len(leaving)},
    )
    return group


# Sessions ------------------------------------------------------------------------------------------------------


def trainer_choices(training):
    """Who may be a session's trainer: people with a trainer role in one of the training's schools."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            Q(memberships__is_trainer_intern=True) | Q(memberships__is_trainer_extern=True),
            memberships__school__in=training.schools.all(),
        )
        .distinct()
    )


def _check_session(training, fields, trainers, kind=None):
    group = fields.get("group")
    if group is not None and group.training_id != training.pk:
        raise ServiceError(_("Kies een groep van deze training."))
    if kind is not None and kind != OTHER_KIND and load_content().kind(kind) is None:
        raise ServiceError(_("Kies een soort sessie uit de lijst."))
    first, last = school_year_bounds(training.school_year)
    if not first <= fields["date"] <= last:
        raise ServiceError(
            _("Kies een datum in schooljaar %(y)s (1 augustus %(a)d tot en met 31 juli %(b)d).")
            % {"y": training.school_year_label, "a": first.year, "b": last.year}
        )
    allowed = set(trainer_choices(training).values_list("pk", flat=True))
    if any(t.pk not in allowed for t in trainers):
        raise ServiceError(_("Kies als trainer iemand met de rol trainer op een school van deze training."))


@transaction.atomic
def do_create_board_session(*, training, kind=OTHER_KIND, trainers=(), acting_user, **fields) -> BoardTrainingSession:
    _check_session(training, fields, trainers, kind)
    session = BoardTrainingSession.objects.create(training=training, kind=kind, **fields)
    session.trainers.set(trainers)
    record(action="training.board.session_create", acting_user=acting_user, board=training.board, target=session)
    return session


@transaction.atomic
def do_update_board_session(*, session, expected_version=None, trainers=(), acting_user, **fields):
    session = BoardTrainingSession.objects.select_for_update().select_related("training").get(pk=session.pk)
    check_version(session.version, expected_version)
    _check_session(session.training, fields, trainers)
    changed = sorted(k for k, v in fields.items() if getattr(session, k) != v)
    for key, value in fields.items():
        setattr(session, key, value)
    session.version += 1
    session.save()
    session.trainers.set(trainers)
    record(
        action="training.board.session_update",
        acting_user=acting_user,
        board=session.training.board,
        target=session,
        data={"changed": changed},
    )
    return session


@transaction.atomic
def do_delete_board_session(*, session, acting_user) -> None:
    record(
        action="training.board.session_delete",
        acting_user=acting_user,
        board=session.training.board,
        target=session,
        data={"title": session.title, "date": session.date.isoformat()},
    )
    session.delete()


# Attendance -----------------------------------------------------------------------------------------------------


def board_roster(session) -> list[BoardTrainingParticipant]:
    """The participants expected at a session (its group, or the whole training), by school and name."""
    participants = BoardTrainingParticipant.objects.filter(training_id=session.training_id).select_related(
        "membership__user", "membership__school", "group"
    )
    if session.group_id is not None:
        participants = participants.filter(group_id=session.group_id)
    return sorted(
        participants,
        key=lambda p: (p.membership.school.name.lower(), p.membership.user.display_name.lower(), p.pk),
    )


@transaction.atomic
def do_save_board_attendance(*, session, marks: dict, acting_user) -> int:
    """marks: {participant id: status or ""}; "" clears a mark. Only participants on the session's roster."""
    BoardTrainingSession.objects.select_for_update().filter(pk=session.pk).first()
    allowed = {p.pk for p in board_roster(session)}
    new, changed, cleared = save_marks(
        model=BoardAttendance,
        session=session,
        person_field="participant_id",
        marks=marks,
        allowed=allowed,
        acting_user=acting_user,
    )
    n = new + changed + cleared
    if n:
        record(
            action="training.board.attendance_save",
            acting_user=acting_user,
            board=session.training.board,
            target=session,
            data={"new": new, "changed": changed, "cleared": cleared},
        )
    return n


# A school's view ------------------------------------------------------------------------------------------------


def school_board_sessions(school, *, only_user=None):
    """For a school's training page ("Via het bestuur"): per board training with participants of this school, per
    group this school's participants (or only ``only_user``) and the group's sessions. A fixed number of queries.

    Returns [(training, [(group, [participant, ...], [session, ...])])], newest school year first."""
    found = BoardTrainingParticipant.objects.filter(membership__school=school).select_related(
        "training", "group", "membership__user"
    )
    if only_user is not None:
        found = found.filter(membership__user=only_user)
    participants = sorted(found, key=lambda p: (p.membership.user.display_name.lower(), p.pk))
    sessions = list(
        BoardTrainingSession.objects.filter(training_id__in={p.training_id for p in participants})
        .prefetch_related("trainers")
        .order_by("date", "start_time", "id")
    )
    groups: dict[int, tuple] = {}
    for p in participants:
        if p.group_id not in groups:
            mine = [s for s in sessions if s.training_id == p.training_id and s.group_id in (None, p.group_id)]
            groups[p.group_id] = (p.group, [], mine)
        groups[p.group_id][1].append(p)
    by_training: defaultdict[int, list] = defaultdict(list)
    for group, people, mine in sorted(groups.values(), key=lambda row: (row[0].name, row[0].pk)):
        by_training[group.training_id].append((group, people, mine))
    trainings = sorted({p.training for p in participants}, key=lambda t: (-t.school_year, t.title, t.pk))
    return [(t, by_training[t.pk]) for t in trainings]
