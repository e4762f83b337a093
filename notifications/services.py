"""E-mail that arrives by itself (issue 14, part 3): what happened, to whom, once.

Six kinds (``models.Kind``), each a mail in plain text and HTML in the recipient's language (``User.language``: the
subject, the dates and the .ics invitation too; subjects and dates are passed as functions or lazy texts and made
inside ``core.mail.in_language``) with the school's name in the subject and only
absolute links (``settings.SITE_URL``). None holds anyone's answers: a round's mails name the round, its deadline
and the link, never what someone filled in.

Events (queued right after the work commits):
  (a) a round opened → its participants; people added to a round that is already open → those people, each once
      per round (``after_round_opened``);
  (c) an action assigned to someone else → the new owner (``after_action_assigned``);
  (e) a werkgroep meeting planned or changed (today or later) → the werkgroep, kartrekkers and schoolleiding, and
      whoever chairs, keeps time or takes notes, with the proposed agenda (``actionplans.overview.agenda``) and an
      ``.ics`` invitation (METHOD:REQUEST, one UID per meeting, SEQUENCE = the meeting's version)
      (``after_meeting_changed``); restored from the trash → the same people again ("gaat toch door");
  (e') a werkgroep meeting deleted (today or later) → whoever got its invitation, with an ``.ics`` cancellation
      (METHOD:CANCEL, the same UID, SEQUENCE = the version the delete raised) (``after_meeting_cancelled``).
How the domain services below this app reach it while imports keep pointing down: they stay unaware of mail and call
``core.events.publish("round.opened", round_id=...)`` (one line, with ids); ``NotificationsConfig.ready()``
subscribes the functions of ``SUBSCRIBERS`` to those names. ``core.events`` runs them after the commit, each in its
own transaction, and a failing one never breaks the page. No model signal, no logic hidden in a save.

Time-based (daily scheduler jobs, ``groeiwijzer/scheduler.py``, as the management commands of this app):
  (b) ``send_round_deadline_reminders``: from three days before an open round's deadline up to that day, to each
      participant who has not submitted (not for a round opened within those three days: its opening mail was just
      sent);
  (d) ``send_action_digests``: on Mondays, per school, to each person with own open actions that are late or due
      within a week (nothing to report, no mail);
  (f) ``send_training_reminders``: from two days before a training session, to its group (or the whole team when it
      has none) and its trainers; the same for a session of a board's training for new staff, to its participants
      and trainers, with the board's name in the subject (``send_board_training_reminders``).

Exactly once: every mail is recorded as a ``SentNotification`` (kind, person, object, period; unique) in the same
transaction as its queued task. A second run, a second scheduler or an event published twice finds the row (or
waits for the other transaction's row and then gets the IntegrityError) and queues nothing.

Only the right people: members of that school (with the right role where it matters), active and not erased, who
did not switch the kind off in Mijn gegevens (``do_set_notification_preferences``; defaults ``models.DEFAULTS``).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from actionplans.models import OPEN_STATUSES, Action, Meeting
from actionplans.overview import agenda
from assessments.models import Round, RoundStatus
from audit.models import record
from core.errors import ServiceError
from core.mail import in_language, mail_language, queue_mail
from organisations.models import ROLE_FIELDS, Board, Membership, Role, School
from training.board_services import board_roster, trainer_choices
from training.models import BoardTrainingSession, TrainingSession
from training.services import roster

from .invitation import meeting_invitation
from .models import DEFAULTS, Kind, NotificationPreference, SentNotification

logger = logging.getLogger(__name__)

DEADLINE_REMINDER_DAYS = 3
TRAINING_REMINDER_DAYS = 2
DIGEST_WEEKDAY = 0  # Monday
DIGEST_DUE_SOON_DAYS = 7
MEETING_ROLES = (Role.WERKGROEPLID, Role.KARTREKKER, Role.SCHOOLLEIDING)


# Settings ----------------------------------------------------------------------------------------------------


def preferences(user) -> dict[str, bool]:
    """Every kind → on/off for ``user`` (the default where they chose nothing)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "enabled"))
    return {kind.value: chosen.get(kind.value, DEFAULTS[kind.value]) for kind in Kind}


@transaction.atomic
def do_set_notification_preferences(*, user, enabled: Iterable[str], acting_user) -> dict[str, bool]:
    """Switch the kinds in ``enabled`` on and every other kind off, for ``user`` (who may only be the acting user).
    Audited with what changed (kinds, never an address)."""
    if acting_user is None or user.pk != acting_user.pk:
        raise ServiceError(_("Je kunt alleen je eigen e-mails kiezen."))
    wanted = set(enabled)
    unknown = wanted - set(Kind.values)
    if unknown:
        raise ServiceError(_("Onbekende soort e-mail. Er is niets opgeslagen."))
    before = preferences(user)
    after = {kind: kind in wanted for kind in Kind.values}
    changed = {kind: value for kind, value in after.items() if before[kind] != value}
    now = timezone.now()
    for kind, value in changed.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"enabled": value, "updated_at": now}
        )
    if changed:
        record(
            action="account.notifications_changed",
            acting_user=acting_user,
            target=user,
            data={
                "on": sorted(k for k, v in changed.items() if v),
                "off": sorted(k for k, v in changed.items() if not v),
            },
        )
    return after


# Who receives it ---------------------------------------------------------------------------------------------


def recipients(kind: str, school_id: int, user_ids: Iterable[int] | None = None, roles: Iterable[str] = ()) -> list:
    """The users (by name) who get a mail of ``kind`` about school ``school_id``: members of that school (with one of
    ``roles`` when given; among ``user_ids`` when given), active, not erased, and who want this kind. Two queries."""
    memberships = Membership.objects.filter(school_id=school_id, user__is_active=True, user__email__contains="@")
    if user_ids is not None:
        memberships = memberships.filter(user_id__in=list(user_ids))
    roles = list(roles)
    if roles:
        role_q = Q()
        for role in roles:
            role_q |= Q(**{ROLE_FIELDS[Role(role)]: True})
        memberships = memberships.filter(role_q)
    return wanting(kind, [m.user for m in memberships.select_related("user")])


def wanting(kind: str, users: Iterable) -> list:
    """Of ``users``, those who are active, have an address and want this kind, by name (each once). One query."""
    by_pk = {u.pk: u for u in users if u.is_active and "@" in (u.email or "")}
    if not by_pk:
        return []
    chosen = dict(
        NotificationPreference.objects.filter(kind=kind, user_id__in=list(by_pk)).values_list("user_id", "enabled")
    )
    wanted = [u for pk, u in by_pk.items() if chosen.get(pk, DEFAULTS[kind])]
    return sorted(wanted, key=lambda u: (u.display_name.lower(), u.pk))


# Sending once ------------------------------------------------------------------------------------------------


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _render(template: str, context: dict) -> tuple[str, str]:
    context = {**context, "prefs_link": absolute(reverse("notifications:preferences"))}
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    return text, html


def deliver(
    *,
    kind: str,
    user,
    school: School | Board,
    object_key: str,
    period_key: str = "",
    subject: Callable[[], str],
    template: str,
    context: dict,
    attachments: list[dict[str, str]] | Callable[[str], list[dict[str, str]]] | None = None,
) -> bool:
    """Queue one mail unless it was queued before (the ``SentNotification`` row and the task commit together).
    ``school``: whose name heads the subject and signs the footer (a board for its training for new staff).
    Returns whether it was queued now. ``subject`` (and ``attachments`` when a function of the language) are made in
    the recipient's language, like the text."""
    language = mail_language(getattr(user, "language", None))
    with in_language(language):
        text, html = _render(template, {**context, "user": user, "school": school})
        full_subject = _("%(school)s: %(subject)s") % {"school": school.name, "subject": subject()}
    if callable(attachments):
        attachments = attachments(language)
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentNotification.objects.create(kind=kind, user=user, object_key=object_key, period_key=period_key)
        except IntegrityError:
            return False  # sent before (or by another run at the same moment)
        queue_mail(subject=full_subject, body=text, html=html, to=user.email, attachments=attachments)
    return True


def _long_date_now(value: datetime.date) -> str:
    return date_format(value, "l j F Y")


def _when_now(day: datetime.date, start: datetime.time | None, end: datetime.time | None) -> str:
    when = _long_date_now(day)
    if start:
        when += f", {start:%H:%M}" + (f"–{end:%H:%M}" if end else "")
    return when


# "maandag 3 november 2026" / "Monday 3 November 2026", with the hours: made when the mail is rendered, in its
# recipient's language.
_long_date = lazy(_long_date_now, str)
_when = lazy(_when_now, str)


# (a) A round opened ------------------------------------------------------------------------------------------


def after_round_opened(*, round_id: int, user_ids: Iterable[int] | None = None, **_ignored) -> int:
    """To each participant of an open round who has not submitted yet (once per round and person: the sent-log key
    is the round and the person). ``user_ids``: only these participants (people added to a round already open,
    ``do_update_round``); without it every participant (the round was just created)."""
    round_ = Round.objects.select_related("school").filter(pk=round_id).first()
    if round_ is None or round_.status != RoundStatus.OPEN:
        return 0
    participants = round_.participants.filter(submitted_at=None)
    if user_ids is not None:
        participants = participants.filter(user_id__in=list(user_ids))
    pending = participants.values_list("user_id", flat=True)
    link = absolute(reverse("assessments:fill", args=[round_.school_id, round_.pk]))
    sent = 0
    for user in recipients(Kind.ROUND_OPENED, round_.school_id, pending):
        sent += deliver(
            kind=Kind.ROUND_OPENED,
            user=user,
            school=round_.school,
            object_key=f"round:{round_.pk}",
            subject=lambda: _("de ronde ‘%(title)s’ staat open") % {"title": round_.title},
            template="round_opened",
            context={"round": round_, "link": link, "deadline": _long_date(round_.deadline) if round_.deadline else ""},
        )
    return sent


# (b) Three days before a round's deadline --------------------------------------------------------------------


def send_round_deadline_reminders(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=DEADLINE_REMINDER_DAYS)
    rounds = Round.objects.filter(status=RoundStatus.OPEN, deadline__gte=today, deadline__lte=last).select_related(
        "school"
    )
    sent = 0
    for round_ in rounds:
        assert round_.deadline is not None
        if timezone.localtime(round_.created_at).date() > round_.deadline - datetime.timedelta(
            days=DEADLINE_REMINDER_DAYS
        ):
            continue  # opened within the last three days: the opening mail said when
        pending = round_.participants.filter(submitted_at=None).values_list("user_id", flat=True)
        link = absolute(reverse("assessments:fill", args=[round_.school_id, round_.pk]))
        days_left = (round_.deadline - today).days
        for user in recipients(Kind.ROUND_DEADLINE, round_.school_id, pending):
            sent += deliver(
                kind=Kind.ROUND_DEADLINE,
                user=user,
                school=round_.school,
                object_key=f"round:{round_.pk}",
                period_key=f"deadline:{round_.deadline.isoformat()}",  # a moved deadline reminds again
                subject=lambda: (
                    _("nog %(days)s dag(en) om ‘%(title)s’ in te vullen") % {"days": days_left, "title": round_.title}
                    if days_left
                    else _("vandaag is de laatste dag om ‘%(title)s’ in te vullen") % {"title": round_.title}
                ),
                template="round_deadline",
                context={
                    "round": round_,
                    "link": link,
                    "deadline": _long_date(round_.deadline),
                    "days_left": days_left,
                },
            )
    return sent


# (c) An action assigned --------------------------------------------------------------------------------------


def after_action_assigned(
    *, action_id: int, owner_id: int | None, acting_user_id: int | None = None, **_ignored
) -> int:
    """To the new owner, unless they assigned it to themselves (once per version of the action)."""
    if owner_id is None or owner_id == acting_user_id:
        return 0
    action = Action.objects.alive().select_related("school", "goal").filter(pk=action_id).first()
    if action is None or action.owner_id != owner_id:
        return 0  # deleted or given to someone else meanwhile: that change tells its own owner
    assigned_by = get_user_model().objects.filter(pk=acting_user_id).first() if acting_user_id else None
    link = absolute(reverse("actionplans:action", args=[action.school_id, action.pk]))
    sent = 0
    for user in recipients(Kind.ACTION_ASSIGNED, action.school_id, [owner_id]):
        sent += deliver(
            kind=Kind.ACTION_ASSIGNED,
            user=user,
            school=action.school,
            object_key=f"action:{action.pk}",
            period_key=f"v{action.version}",
            subject=lambda: _("actiepunt voor jou: %(title)s") % {"title": action.title},
            template="action_assigned",
            context={
                "action": action,
                "link": link,
                "assigned_by": assigned_by.display_name if assigned_by else "",
                "due": _long_date(action.due_date) if action.due_date else "",
            },
        )
    return sent


# (d) The weekly digest of one's own actions ------------------------------------------------------------------


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def send_action_digests(*, today: datetime.date | None = None, any_weekday: bool = False) -> int:
    """On Mondays (or any day with ``any_weekday``): per school and person, their open actions that are late or due
    within a week. Once per ISO week, school and person."""
    today = today or timezone.localdate()
    if today.weekday() != DIGEST_WEEKDAY and not any_weekday:
        return 0
    soon = today + datetime.timedelta(days=DIGEST_DUE_SOON_DAYS)
    actions = (
        Action.objects.alive()
        .filter(status__in=OPEN_STATUSES, owner__isnull=False, due_date__isnull=False, due_date__lte=soon)
        .select_related("school")
        .order_by("school_id", "owner_id", "due_date", "id")
    )
    by_school_owner: dict[tuple[int, int], list[Action]] = defaultdict(list)
    for action in actions:
        assert action.owner_id is not None
        by_school_owner[(action.school_id, action.owner_id)].append(action)
    owners_by_school: dict[int, set[int]] = defaultdict(set)
    for school_id, owner_id in by_school_owner:
        owners_by_school[school_id].add(owner_id)
    period = iso_week(today)
    sent = 0
    for school_id, owner_ids in owners_by_school.items():
        for user in recipients(Kind.ACTION_DIGEST, school_id, owner_ids):
            mine = by_school_owner[(school_id, user.pk)]
            school = mine[0].school
            rows = [
                {
                    "title": a.title,
                    "due": _long_date(a.due_date),
                    "link": absolute(reverse("actionplans:action", args=[school_id, a.pk])),
                }
                for a in mine
                if a.due_date is not None
            ]
            late = [r for r, a in zip(rows, mine, strict=True) if a.due_date is not None and a.due_date < today]
            due = [r for r, a in zip(rows, mine, strict=True) if a.due_date is not None and a.due_date >= today]
            sent += deliver(
                kind=Kind.ACTION_DIGEST,
                user=user,
                school=school,
                object_key=f"school:{school_id}",
                period_key=period,
                subject=lambda: (
                    _("je actiepunten deze week (%(late)s te laat, %(due)s binnenkort)")
                    % {"late": len(late), "due": len(due)}
                ),
                template="action_digest",
                context={
                    "late": late,
                    "due": due,
                    "link": absolute(reverse("actionplans:my_actions", args=[school_id])),
                },
            )
    return sent


# (e) A werkgroep meeting planned or changed ------------------------------------------------------------------


def _agenda_rows(items) -> list[dict]:
    return [{"title": a.title, "owner": a.owner.display_name if a.owner else ""} for a in items]


def _meeting_calendar_texts(meeting, context: dict, *, cancelled: bool) -> Callable[[str], dict[str, str]]:
    """The .ics's summary, description and file name in one language, made once per language."""
    made: dict[str, dict[str, str]] = {}

    def texts(language: str) -> dict[str, str]:
        if language not in made:
            with in_language(language):
                made[language] = {
                    "summary": _("Werkgroep TSO %(school)s") % {"school": meeting.school.name},
                    "description": (
                        render_to_string("notifications/email/meeting_cancelled_description.txt", context)
                        if cancelled
                        else render_to_string("notifications/email/meeting_description.txt", context)
                    ),
                    "filename": _("afzegging.ics") if cancelled else _("uitnodiging.ics"),
                }
        return made[language]

    return texts


def _meeting_attachment(meeting, texts, language: str, *, user, url: str, cancelled: bool) -> list[dict[str, str]]:
    """One recipient's .ics (ATTENDEE: that recipient only), in their language."""
    chosen = texts(language)
    content = meeting_invitation(
        meeting,
        summary=chosen["summary"],
        description=chosen["description"],
        url=url,
        attendee=user,
        cancelled=cancelled,
    )
    return [{"filename": chosen["filename"], "content": content, "mimetype": "text/calendar"}]


def after_meeting_changed(*, meeting_id: int, restored: bool = False, **_ignored) -> int:
    """To the werkgroep, kartrekkers, schoolleiding and the meeting's chair, timekeeper and note taker, with the
    agenda and an .ics invitation; once per version of the meeting. Not for a meeting in the past (minutes of a
    meeting that was, entered afterwards) nor one in the trash. ``restored``: the meeting came back from the trash
    after its cancellation (the mail says it takes place after all)."""
    meeting = (
        Meeting.objects.select_related("school", "chair", "timekeeper", "note_taker").filter(pk=meeting_id).first()
    )
    if meeting is None or meeting.date < timezone.localdate():
        return 0
    school = meeting.school
    people = {m.pk for m in (meeting.chair, meeting.timekeeper, meeting.note_taker) if m is not None}
    users = {u.pk: u for u in recipients(Kind.MEETING, school.pk, roles=MEETING_ROLES)}
    users.update({u.pk: u for u in recipients(Kind.MEETING, school.pk, people)} if people else {})
    if not users:
        return 0
    proposed = agenda(meeting)
    link = absolute(reverse("actionplans:meeting", args=[school.pk, meeting.pk]))
    first = meeting.version == 1
    when = _when(meeting.date, meeting.start_time, meeting.end_time)
    context = {
        "meeting": meeting,
        "first": first,
        "restored": restored,
        "when": when,
        "link": link,
        "overdue": _agenda_rows(proposed["overdue"]),
        "changed": _agenda_rows(proposed["changed"]),
        "running": _agenda_rows(proposed["running"]),
        "celebrate": _agenda_rows(proposed["celebrate"]),
    }
    texts = _meeting_calendar_texts(meeting, context, cancelled=False)

    def subject() -> str:
        if restored:
            wording = _("werkgroep gaat toch door: %(when)s")
        elif first:
            wording = _("werkgroep gepland op %(when)s")
        else:
            wording = _("werkgroep gewijzigd: %(when)s")
        return wording % {"when": when}

    sent = 0
    for user in sorted(users.values(), key=lambda u: (u.display_name.lower(), u.pk)):
        sent += deliver(
            kind=Kind.MEETING,
            user=user,
            school=school,
            object_key=f"meeting:{meeting.pk}",
            period_key=f"v{meeting.version}",
            subject=subject,
            template="meeting",
            context=context,
            attachments=partial(_meeting_attachment, meeting, texts, user=user, url=link, cancelled=False),
        )
    return sent


def after_meeting_cancelled(*, meeting_id: int, **_ignored) -> int:
    """A meeting put in the trash: to each person who got an invitation to it (and still gets this kind, still a
    member), a mail that it does not take place with an .ics cancellation (METHOD:CANCEL, the invitation's UID,
    SEQUENCE = the version the delete raised it to, so above every invitation sent). Once per version; not for a
    meeting in the past, nor one restored or purged meanwhile."""
    meeting = (
        Meeting.all_objects.select_related("school")
        .filter(pk=meeting_id, deleted_at__isnull=False, date__gte=timezone.localdate())
        .first()
    )
    if meeting is None:
        return 0
    school = meeting.school
    object_key = f"meeting:{meeting.pk}"
    invited = SentNotification.objects.filter(
        kind=Kind.MEETING, object_key=object_key, period_key__startswith="v"
    ).values_list("user_id", flat=True)
    users = recipients(Kind.MEETING, school.pk, set(invited))
    if not users:
        return 0
    when = _when(meeting.date, meeting.start_time, meeting.end_time)
    link = absolute(reverse("actionplans:plan", args=[school.pk]))
    context = {"meeting": meeting, "when": when, "link": link}
    texts = _meeting_calendar_texts(meeting, context, cancelled=True)
    sent = 0
    for user in users:
        sent += deliver(
            kind=Kind.MEETING,
            user=user,
            school=school,
            object_key=object_key,
            period_key=f"cancelled:v{meeting.version}",
            subject=lambda: _("werkgroep gaat niet door: %(when)s") % {"when": when},
            template="meeting_cancelled",
            context=context,
            attachments=partial(_meeting_attachment, meeting, texts, user=user, url=link, cancelled=True),
        )
    return sent


# (f) Two days before a training session ----------------------------------------------------------------------


def send_training_reminders(*, today: datetime.date | None = None) -> int:
    """The school's team training sessions and the board's training for new staff, two days ahead."""
    today = today or timezone.localdate()
    return _send_school_training_reminders(today) + send_board_training_reminders(today=today)


def _send_school_training_reminders(today: datetime.date) -> int:
    last = today + datetime.timedelta(days=TRAINING_REMINDER_DAYS)
    sessions = (
        TrainingSession.objects.filter(date__gt=today, date__lte=last)
        .select_related("school", "group")
        .prefetch_related("trainers")
    )
    sent = 0
    for session in sessions:
        people = {u.pk for u in roster(session)} | {u.pk for u in session.trainers.all()}
        if session.group_id is not None and session.group is not None:
            people |= set(session.group.trainers.values_list("pk", flat=True))
        link = absolute(reverse("training:session", args=[session.school_id, session.pk]))
        when = _when(session.date, session.start_time, session.end_time)
        for user in recipients(Kind.TRAINING_REMINDER, session.school_id, people):
            sent += deliver(
                kind=Kind.TRAINING_REMINDER,
                user=user,
                school=session.school,
                object_key=f"session:{session.pk}",
                period_key=f"date:{session.date.isoformat()}",  # a moved session reminds again
                subject=lambda: _("%(title)s op %(when)s") % {"title": session.title, "when": when},
                template="training_reminder",
                context={"session": session, "when": when, "link": link},
            )
    return sent


def send_board_training_reminders(*, today: datetime.date | None = None) -> int:
    """From two days before a session of a board's training for new staff (training/board_*.py): to its participants
    (its group, or every participant of the training when it has none) and its trainers, each once per session and
    date (someone who is both gets the trainer's mail). The board's name heads the subject. A participant's link is
    their own school's training page ("Via het bestuur"); a trainer's is the session's attendance page. Trainers only
    while they still have a trainer role at one of the training's schools."""
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=TRAINING_REMINDER_DAYS)
    sessions = (
        BoardTrainingSession.objects.filter(date__gt=today, date__lte=last)
        .select_related("training__board", "group")
        .prefetch_related("trainers")
    )
    sent = 0
    for session in sessions:
        board = session.training.board
        people: dict[int, tuple] = {}  # user id → (user, link, is trainer)
        for participant in board_roster(session):
            membership = participant.membership
            link = absolute(reverse("training:overview", args=[membership.school_id]) + "#h-via-bestuur")
            people[membership.user_id] = (membership.user, link, False)
        trainers_now = set(trainer_choices(session.training).values_list("pk", flat=True))
        attendance_link = absolute(reverse("training:board_attendance", args=[board.pk, session.pk]))
        for trainer in session.trainers.all():
            if trainer.pk in trainers_now:
                people[trainer.pk] = (trainer, attendance_link, True)
        when = _when(session.date, session.start_time, session.end_time)
        for user in wanting(Kind.TRAINING_REMINDER, [user for user, _link, _trainer in people.values()]):
            _user, link, is_trainer = people[user.pk]
            sent += deliver(
                kind=Kind.TRAINING_REMINDER,
                user=user,
                school=board,
                object_key=f"board-session:{session.pk}",
                period_key=f"date:{session.date.isoformat()}",  # a moved session reminds again
                subject=lambda: _("%(title)s op %(when)s") % {"title": session.title, "when": when},
                template="board_training_reminder",
                context={
                    "session": session,
                    "training": session.training,
                    "board": board,
                    "when": when,
                    "link": link,
                    "trainer": is_trainer,
                },
            )
    return sent


# The events this app listens to (core/events.py; subscribed in apps.py) --------------------------------------

SUBSCRIBERS: dict[str, Callable[..., int]] = {
    "round.opened": after_round_opened,
    "action.assigned": after_action_assigned,
    "meeting.changed": after_meeting_changed,
    "meeting.cancelled": after_meeting_cancelled,
}
