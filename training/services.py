"""Writes for the team training plan. Views call these; each is atomic and audited."""

from __future__ import annotations

import calendar
import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import record
from core import events
from core.errors import ServiceError
from core.mail import in_language, mail_language, queue_mail
from core.versions import check_version
from organisations.models import Membership

from .content import load_content
from .models import (
    MAX_SCHOOL_YEAR,
    MIN_SCHOOL_YEAR,
    Attendance,
    AttendanceStatus,
    Topic,
    TrainingGroup,
    TrainingPlan,
    TrainingSession,
)

OTHER_KIND = "overig"
# Published (after commit) whenever a plan's sessions change: the route takes the dates of its matching steps from
# them (trajectory/training_dates.py), so route and training plan never give two dates for one milestone.
SESSIONS_CHANGED = "training.sessions_changed"
SESSION_FIELDS = ("title", "date", "start_time", "end_time", "location", "group")
DEFAULT_START = {  # our choice: studiedag modules in the morning, the shorter sessions after school
    "intro": datetime.time(15, 0),
    "module": datetime.time(9, 0),
    "module34": datetime.time(8, 30),
    "werkmoment": datetime.time(15, 0),
}
DEFAULT_WEEKDAY = 1  # Tuesday
SCHOOL_YEAR_ORDER = [8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7]


# The whole team and the rosters -------------------------------------------------------------------------


# Who is no part of the team training: an external trainer with no other role in the school.
ONLY_EXTERNAL = Q(is_trainer_extern=True) & ~Q(
    Q(is_schoolleiding=True)
    | Q(is_kartrekker=True)
    | Q(is_werkgroeplid=True)
    | Q(is_trainer_intern=True)
    | Q(is_teamlid=True)
)


def team_memberships(school):
    """Everyone of the school who takes part in the team training: all members but external trainers only."""
    return Membership.objects.filter(school=school).exclude(ONLY_EXTERNAL).select_related("user")


def trainer_users(school):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        Q(memberships__is_trainer_intern=True) | Q(memberships__is_trainer_extern=True), memberships__school=school
    )


# Default planning (Tabel 4.1) -----------------------------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The n-th (1-4) given weekday of a month; n=-1 is the last one."""
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if calendar.weekday(year, month, d) == weekday]
    return datetime.date(year, month, days[n - 1] if n > 0 else days[-1])


def _month_in_year(school_year: int, month: int) -> tuple[int, int]:
    return (school_year if month >= 8 else school_year + 1), month


def _start_for(kind) -> datetime.time | None:
    if kind.duration_minutes is None:
        return None
    if kind.code in DEFAULT_START:
        return DEFAULT_START[kind.code]
    return DEFAULT_START["werkmoment" if kind.werkmoment else "module"]


def _end_for(start, kind):
    if start is None:
        return None
    end = datetime.datetime.combine(datetime.date(2000, 1, 1), start) + datetime.timedelta(
        minutes=kind.duration_minutes
    )
    return end.time()


def default_sessions(school_year: int, *, module1_date: datetime.date | None = None, combine_34: bool = True):
    """The sessions of Tabel 4.1 for a school year: dicts with kind, title, date, start_time, end_time.

    Each session falls in its Tabel 4.1 month on a Tuesday (the second one; in August the last, after
    the summer holiday). With a date for module 1, module 1 is on that date and the others keep their
    distance in months from it, on the same weekday and the same week of the month.
    """
    content = load_content()
    kinds = list(content.sessions)
    if not combine_34:
        i = next(i for i, k in enumerate(kinds) if k.code == "module34")
        kinds[i : i + 1] = list(content.separate_modules)
    module1 = content.kind("module1")
    assert module1 is not None, "the training content always has module 1 (checked when it loads)"
    if module1_date is not None:
        weekday, n = module1_date.weekday(), min((module1_date.day - 1) // 7 + 1, 4)
        base = module1_date.year * 12 + module1_date.month - 1
        base_index = SCHOOL_YEAR_ORDER.index(module1.month)
    rows = []
    module3_date = None
    for kind in kinds:
        if module1_date is None:
            year, month = _month_in_year(school_year, kind.month)
            date = _nth_weekday(year, month, DEFAULT_WEEKDAY, -1 if month == 8 else 2)
        elif kind.code == "module1":
            date = module1_date
        else:
            months = base + SCHOOL_YEAR_ORDER.index(kind.month) - base_index
            date = _nth_weekday(months // 12, months % 12 + 1, weekday, n)
        if kind.weeks_after_module3 and module3_date is not None:
            date = module3_date + datetime.timedelta(weeks=kind.weeks_after_module3)
        if kind.code == "module3":
            module3_date = date
        start = _start_for(kind)
        rows.append(
            {
                "kind": kind.code,
                "title": kind.label,
                "date": date,
                "start_time": start,
                "end_time": _end_for(start, kind),
            }
        )
    first, last = datetime.date(school_year, 8, 1), datetime.date(school_year + 1, 7, 31)
    if module1_date is not None and not all(first <= r["date"] <= last for r in rows):
        raise ServiceError(
            _(
                "Met module 1 op %(date)s valt een deel van de planning buiten het schooljaar %(year)s. "
                "Kies een datum tussen augustus en december, of laat de datum leeg."
            )
            % {"date": date_format(module1_date, "j F Y"), "year": f"{school_year}-{school_year + 1}"}
        )
    return rows


# Plans and sessions -----------------------------------------------------------------------------------------


@transaction.atomic
def do_create_plan(*, school, school_year: int, module1_date=None, combine_34=True, acting_user) -> TrainingPlan:
    if not MIN_SCHOOL_YEAR <= int(school_year) <= MAX_SCHOOL_YEAR:
        raise ServiceError(
            _("Kies een schooljaar tussen %(a)d en %(b)d.") % {"a": MIN_SCHOOL_YEAR, "b": MAX_SCHOOL_YEAR}
        )
    if TrainingPlan.objects.filter(school=school, school_year=school_year).exists():
        raise ServiceError(_("Voor dit schooljaar is er al een trainingsplan."))
    rows = default_sessions(school_year, module1_date=module1_date, combine_34=combine_34)
    try:
        with transaction.atomic():  # two organisers at once: the second gets the same Dutch message
            plan = TrainingPlan.objects.create(
                school=school, school_year=school_year, content_version=load_content().version, created_by=acting_user
            )
    except IntegrityError:
        raise ServiceError(_("Voor dit schooljaar is er al een trainingsplan.")) from None
    TrainingSession.objects.bulk_create([TrainingSession(school=school, plan=plan, **row) for row in rows])
    record(
        action="training.plan.create",
        acting_user=acting_user,
        school=school,
        target=plan,
        data={"school_year": school_year, "sessions": len(rows), "combine_34": bool(combine_34)},
    )
    events.publish(SESSIONS_CHANGED, school_id=school.pk)
    return plan


def _check_session_people(plan, group, trainers):
    if group is not None and group.plan_id != plan.pk:
        raise ServiceError(_("Kies een trainingsgroep van dit trainingsplan."))
    allowed = set(trainer_users(plan.school).values_list("pk", flat=True))
    if any(t.pk not in allowed for t in trainers):
        raise ServiceError(_("Kies als trainer iemand met de rol trainer in deze school."))


@transaction.atomic
def do_create_session(*, plan, kind=OTHER_KIND, trainers=(), acting_user, **fields) -> TrainingSession:
    _check_session_people(plan, fields.get("group"), trainers)
    if kind != OTHER_KIND and load_content().kind(kind) is None:
        raise ServiceError(_("Kies een soort sessie uit de lijst."))
    session = TrainingSession.objects.create(school=plan.school, plan=plan, kind=kind, **fields)
    session.trainers.set(trainers)
    record(action="training.session.create", acting_user=acting_user, school=plan.school, target=session)
    events.publish(SESSIONS_CHANGED, school_id=plan.school_id)
    return session


@transaction.atomic
def do_update_session(*, session, expected_version=None, trainers=(), acting_user, **fields) -> TrainingSession:
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    check_version(session.version, expected_version)
    _check_session_people(session.plan, fields.get("group"), trainers)
    changed = sorted(k for k, v in fields.items() if getattr(session, k) != v)
    for key, value in fields.items():
        setattr(session, key, value)
    session.version += 1
    session.save()
    session.trainers.set(trainers)
    record(
        action="training.session.update",
        acting_user=acting_user,
        school=session.school,
        target=session,
        data={"changed": changed},
    )
    events.publish(SESSIONS_CHANGED, school_id=session.school_id)
    return session


@transaction.atomic
def do_delete_session(*, session, acting_user) -> None:
    record(
        action="training.session.delete",
        acting_user=acting_user,
        school=session.school,
        target=session,
        data={"title": session.title, "date": session.date.isoformat()},
    )
    events.publish(SESSIONS_CHANGED, school_id=session.school_id)
    session.delete()


# Groups -----------------------------------------------------------------------------------------------------


def group_warnings(n_members: int, n_trainers: int) -> list[str]:
    """The handbook's guideline (Bijlage 1): at most 20 per group, with two trainers."""
    content = load_content()
    warnings = []
    if n_members > content.max_group_size:
        warnings.append(
            _("Deze groep heeft %(n)d mensen; het handboek adviseert hoogstens %(max)d per groep.")
            % {"n": n_members, "max": content.max_group_size}
        )
    if n_trainers != content.trainers_per_group:
        warnings.append(
            _("Deze groep heeft %(n)d trainer(s); het handboek adviseert %(want)d trainers per groep.")
            % {"n": n_trainers, "want": content.trainers_per_group}
        )
    return warnings


@transaction.atomic
def do_save_group(*, plan, name, members, trainers, acting_user, group=None, expected_version=None) -> TrainingGroup:
    member_ids = {u.pk for u in members}
    trainer_ids = {u.pk for u in trainers}
    team = set(team_memberships(plan.school).values_list("user_id", flat=True))
    if not member_ids <= team:
        raise ServiceError(_("Kies als deelnemers alleen mensen van het team van deze school."))
    if not trainer_ids <= set(trainer_users(plan.school).values_list("pk", flat=True)):
        raise ServiceError(_("Kies als trainer iemand met de rol trainer in deze school."))
    if group is None:
        group = TrainingGroup.objects.create(school=plan.school, plan=plan, name=name)
        kind = "create"
    else:
        group = TrainingGroup.objects.select_for_update().get(pk=group.pk)
        check_version(group.version, expected_version)
        group.name = name
        group.version += 1
        group.save()
        kind = "update"
    group.members.set(member_ids)
    group.trainers.set(trainer_ids)
    record(
        action=f"training.group.{kind}",
        acting_user=acting_user,
        school=plan.school,
        target=group,
        data={"members": len(member_ids), "trainers": len(trainer_ids)},
    )
    return group


@transaction.atomic
def do_delete_group(*, group, move_sessions_to=None, acting_user) -> int:
    """Remove a training group; its sessions go to another group of the same plan, or to the whole team (None).

    Attendance already taken stays with the sessions. Returns how many sessions moved.
    """
    group = TrainingGroup.objects.select_for_update().get(pk=group.pk)
    if move_sessions_to is not None and (move_sessions_to.plan_id != group.plan_id or move_sessions_to.pk == group.pk):
        raise ServiceError(_("Kies een andere groep van dit trainingsplan, of het hele team."))
    moved = TrainingSession.objects.filter(group=group).update(group=move_sessions_to, version=F("version") + 1)
    record(
        action="training.group.delete",
        acting_user=acting_user,
        school=group.school,
        target=group,
        data={
            "name": group.name,
            "sessions_moved": moved,
            "sessions_to": move_sessions_to.pk if move_sessions_to is not None else None,
        },
    )
    group.delete()
    return moved


# Attendance -------------------------------------------------------------------------------------------------


def roster(session) -> list:
    """The people expected at a session: its group's members, or the whole team. Users, by name."""
    if session.group_id is not None:
        users = list(session.group.members.all())
    else:
        users = [m.user for m in team_memberships(session.school)]
    return sorted(users, key=lambda u: (u.display_name.lower(), u.pk))


def save_marks(*, model, session, person_field: str, marks: dict, allowed: set, acting_user) -> tuple[int, int, int]:
    """Write an attendance register: marks {person id: status or ""} ("" clears a mark) as rows of ``model``
    (Attendance or BoardAttendance) whose ``person_field`` ("user_id", "participant_id") holds the id. Refused with
    nothing saved when someone is not in ``allowed`` or a status is unknown. Returns (new, changed, cleared)."""
    if not set(marks) <= allowed:
        raise ServiceError(_("Een of meer mensen horen niet bij deze sessie. Er is niets opgeslagen."))
    if any(v and v not in AttendanceStatus.values for v in marks.values()):
        raise ServiceError(_("Kies aanwezig, afwezig of afgemeld."))
    existing = {getattr(a, person_field): a for a in model.objects.filter(session=session)}
    now = timezone.now()
    new, changed, cleared = [], [], []
    for person_id, status in marks.items():
        current = existing.get(person_id)
        if not status:
            if current is not None:
                cleared.append(current.pk)
        elif current is None:
            new.append(
                model(
                    session=session, status=status, updated_at=now, updated_by=acting_user, **{person_field: person_id}
                )
            )
        elif current.status != status:
            current.status, current.updated_at, current.updated_by = status, now, acting_user
            changed.append(current)
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, ["status", "updated_at", "updated_by"])
    model.objects.filter(pk__in=cleared).delete()
    return len(new), len(changed), len(cleared)


@transaction.atomic
def do_save_attendance(*, session, marks: dict, acting_user) -> int:
    """marks: {user id: status or ""}; "" clears a mark. Only people on the session's roster."""
    # Two trainers saving the same register at once: one after the other (no duplicate rows).
    TrainingSession.objects.select_for_update().filter(pk=session.pk).first()
    allowed = {u.pk for u in roster(session)}
    new, changed, cleared = save_marks(
        model=Attendance, session=session, person_field="user_id", marks=marks, allowed=allowed, acting_user=acting_user
    )
    n = new + changed + cleared
    if n:
        record(
            action="training.attendance.save",
            acting_user=acting_user,
            school=session.school,
            target=session,
            data={"new": new, "changed": changed, "cleared": cleared},
        )
    return n


# Werkmoment preparation (Bijlage 12) ------------------------------------------------------------------------


@transaction.atomic
def do_send_reflection(*, session, acting_user, again: bool = False, session_url: str = "") -> int:
    """Email the reflection questions to everyone on the werkmoment's roster, after commit."""
    session = (
        TrainingSession.objects.select_for_update(of=("self",)).select_related("school", "group").get(pk=session.pk)
    )
    if not session.is_werkmoment:
        raise ServiceError(_("Reflectievragen horen bij een werkmoment."))
    if session.reflection_sent_at is not None and not again:
        raise ServiceError(
            _(
                "De reflectievragen zijn al verstuurd op %(when)s. "
                "Vink ‘Nogmaals versturen’ aan om ze opnieuw te sturen."
            )
            % {"when": date_format(timezone.localtime(session.reflection_sent_at), "j F Y H:i")}
        )
    people = [u for u in roster(session) if u.email and u.is_active]
    emails = [u.email for u in people]
    if not emails:
        raise ServiceError(_("Er is nog niemand om de vragen naar te sturen."))
    content = load_content()
    by_language: dict[str, list[str]] = {}
    for person in people:
        by_language.setdefault(mail_language(person.language), []).append(person.email)
    outgoing = []
    for language, addresses in sorted(by_language.items()):
        with in_language(language):  # each in the recipient's language (the handbook's questions stay Dutch)
            subject = _("Reflectievragen voor het werkmoment TSO van %(date)s") % {
                "date": date_format(session.date, "j F")
            }
            body = render_to_string(
                "training/email/reflection.txt",
                {
                    "session": session,
                    "school": session.school,
                    "questions": content.reflection_questions,
                    "send_text": content["werkmoment"]["send_text"],
                    "citation": content.citation,
                    "url": session_url,
                },
            )
        outgoing.append((subject, body, addresses))
    session.reflection_sent_at = timezone.now()
    session.reflection_sent_by = acting_user
    session.reflection_sent_count = len(emails)
    session.save(update_fields=["reflection_sent_at", "reflection_sent_by", "reflection_sent_count"])
    record(
        action="training.reflection.send",
        acting_user=acting_user,
        school=session.school,
        target=session,
        data={"recipients": len(emails), "again": bool(again)},
    )
    for subject, body, addresses in outgoing:  # one message each, after commit, retried when the server is down
        queue_mail(subject=subject, body=body, to=addresses)
    return len(emails)


@transaction.atomic
def do_add_topic(*, session, title: str, acting_user) -> Topic:
    if not session.is_werkmoment:
        raise ServiceError(_("Onderwerpen horen bij een werkmoment."))
    title = title.strip()
    if not title:
        raise ServiceError(_("Vul een onderwerp in."))
    if session.topics.filter(title__iexact=title).exists():
        raise ServiceError(_("Dit onderwerp staat er al."))
    topic = Topic.objects.create(school=session.school, session=session, title=title, created_by=acting_user)
    record(action="training.topic.create", acting_user=acting_user, school=session.school, target=topic)
    return topic


@transaction.atomic
def do_sign_up(*, topic, user, signed_up: bool) -> None:
    """A member signs themselves up for a topic, or off again."""
    if not Membership.objects.filter(school=topic.school, user=user).exists():
        raise ServiceError(_("Alleen mensen van deze school kunnen intekenen."))
    already = topic.signups.filter(pk=user.pk).exists()
    if signed_up == already:
        return
    (topic.signups.add if signed_up else topic.signups.remove)(user)
    record(
        action="training.topic.signup" if signed_up else "training.topic.signoff",
        acting_user=user,
        school=topic.school,
        target=topic,
    )
