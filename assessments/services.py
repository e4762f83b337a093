"""Writes for assessment rounds. Views call these; each is atomic and audited."""

from __future__ import annotations

from collections import defaultdict

from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from audit.models import record
from core import events
from core.errors import ServiceError
from core.mail import in_language, queue_mail
from core.save_order import SaveOrder, is_stale
from core.versions import check_version
from ontwikkelmodel.models import ModelVersion
from organisations import rolegroups
from organisations.models import Membership, Role

from .models import (
    MIN_ANONYMOUS_GROUP,
    PRIORITY_RANKS,
    Answer,
    ConsensusItem,
    Participant,
    Priority,
    Round,
    RoundStatus,
)

DEFAULT_PARTICIPANT_ROLES = (
    Role.KARTREKKER,
    Role.WERKGROEPLID,
    Role.TRAINER_INTERN,
    Role.TRAINER_EXTERN,
    Role.SCHOOLLEIDING,
)


def default_participants(school):
    """Kartrekkers, werkgroep, trainers and schoolleiding (the handbook's core group)."""
    return [
        m
        for m in Membership.objects.filter(school=school).select_related("user")
        if m.has_role(*DEFAULT_PARTICIPANT_ROLES)
    ]


@transaction.atomic
def do_create_round(
    *,
    school,
    title,
    deadline,
    meeting_date,
    anonymous,
    participant_user_ids,
    facilitator,
    acting_user,
    show_previous=False,
) -> Round:
    valid_ids = set(
        Membership.objects.filter(school=school, user_id__in=participant_user_ids).values_list("user_id", flat=True)
    )
    if not valid_ids:
        raise ServiceError(_("Kies minstens één deelnemer."))
    round_ = Round.objects.create(
        school=school,
        model_version=ModelVersion.current(),
        title=title,
        deadline=deadline,
        meeting_date=meeting_date,
        anonymous=anonymous,
        show_previous=show_previous,
        facilitator=facilitator,
        created_by=acting_user,
    )
    Participant.objects.bulk_create([Participant(round=round_, user_id=uid) for uid in sorted(valid_ids)])
    record(
        action="round.created",
        acting_user=acting_user,
        school=school,
        target=round_,
        data={"title": title, "participants": len(valid_ids), "anonymous": anonymous, "show_previous": show_previous},
    )
    events.publish("round.opened", round_id=round_.pk)  # after commit: the participants' mail (notifications)
    return round_


def _jsonable(value):
    """A setting's value as it goes into an audit row: ids for people, ISO dates, plain values otherwise."""
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


ANONYMITY_LOCKED = gettext_lazy(
    "Deze ronde blijft anoniem: er heeft al iemand ingevuld. Wie anoniem invulde, moet daarop kunnen rekenen."
)


def _has_input(round_: Round) -> bool:
    """Has anyone put anything into this round: a saved answer or priority (a draft counts), or a submission."""
    return (
        round_.first_submitted_at is not None
        or Answer.objects.filter(participant__round=round_).exists()
        or Priority.objects.filter(participant__round=round_).exists()
    )


def _set_anonymous(round_: Round, anonymous: bool, *, acting_user) -> None:
    """Change the mode (or keep it); the one place that decides. Call with the round row locked.

    Anonymous to named only while nobody has put anything into the round: from the first saved answer or priority
    (a draft, not only a submission) the round is anonymous for ever. People wrote that under "anoniem"; if the mode
    could still change before they submit, their names would stand beside those texts in the consensus.
    """
    before = round_.anonymous
    if before and not anonymous and (round_.anonymity_locked or _has_input(round_)):
        raise ServiceError(str(ANONYMITY_LOCKED))
    round_.anonymous = anonymous
    if anonymous and round_.anonymity_locked_at is None and _has_input(round_):
        round_.anonymity_locked_at = timezone.now()
    if before != anonymous:
        record(
            action="round.anonymity_changed",
            acting_user=acting_user,
            school=round_.school,
            target=round_,
            data={"round": round_.pk, "before": before, "after": anonymous},
        )


def _record_settings(round_: Round, changes: dict, *, acting_user, extra: dict | None = None) -> None:
    if changes:
        record(
            action="round.updated",
            acting_user=acting_user,
            school=round_.school,
            target=round_,
            data={"round": round_.pk, "changes": changes, **(extra or {})},
        )


@transaction.atomic
def do_update_round(
    *,
    round_,
    title,
    deadline,
    meeting_date,
    anonymous,
    participant_user_ids,
    facilitator,
    acting_user,
    show_previous=None,
) -> Round:
    """Change a round's settings. Audited with before and after (never answers); a change of the mode has its own
    row. Refused: making a locked anonymous round named, and removing someone whose submission has been shown in an
    anonymous round (the shown set never shrinks)."""
    round_ = Round.objects.select_for_update().select_related("school").get(pk=round_.pk)
    if round_.status == RoundStatus.CLOSED:
        raise ServiceError(_("Deze ronde is afgesloten en kan niet meer worden gewijzigd."))
    wanted = set(
        Membership.objects.filter(school=round_.school, user_id__in=participant_user_ids).values_list(
            "user_id", flat=True
        )
    )
    current = set(round_.participants.values_list("user_id", flat=True))
    if not wanted:
        raise ServiceError(_("Kies minstens één deelnemer."))
    if anonymous or round_.anonymous:  # the round is anonymous after this change, or was before it
        shown_leaving = round_.participants.filter(user_id__in=current - wanted, shown_at__isnull=False)
        if shown_leaving.exists():
            names = ", ".join(sorted(p.user.display_name for p in shown_leaving.select_related("user")))
            raise ServiceError(
                _(
                    "%(names)s kan niet uit de ronde: hun inzending is al getoond in het consensusgesprek. "
                    "Wie eenmaal in de anonieme verdeling meetelt, blijft meetellen; er is niets gewijzigd."
                )
                % {"names": names}
            )
    new_values = {"title": title, "deadline": deadline, "meeting_date": meeting_date, "facilitator": facilitator}
    if show_previous is not None:  # None: unchanged
        new_values["show_previous"] = show_previous
    changes = {
        name: {"before": _jsonable(getattr(round_, name)), "after": _jsonable(value)}
        for name, value in new_values.items()
        if _jsonable(getattr(round_, name)) != _jsonable(value)
    }
    _set_anonymous(round_, anonymous, acting_user=acting_user)
    round_.title, round_.deadline, round_.meeting_date = title, deadline, meeting_date
    round_.facilitator = facilitator
    round_.show_previous = new_values.get("show_previous", round_.show_previous)
    round_.save()
    # Never throw away someone's answers silently: only people who have not started can be removed.
    removable = set(
        round_.participants.filter(user_id__in=current - wanted, submitted_at=None, updated_at=None).values_list(
            "user_id", flat=True
        )
    )
    kept = (current - wanted) - removable
    round_.participants.filter(user_id__in=removable).delete()
    added = sorted(wanted - current)
    Participant.objects.bulk_create([Participant(round=round_, user_id=uid) for uid in added])
    if added and round_.status == RoundStatus.OPEN:
        # After commit: the "round opened" mail to the people added now (notifications; the others had theirs).
        events.publish("round.opened", round_id=round_.pk, user_ids=added)
    if removable or wanted - current:
        changes["participants"] = {
            "before": sorted(current),
            "after": sorted((current - removable) | wanted),
            "added": sorted(wanted - current),
            "removed": sorted(removable),
        }
    _record_settings(round_, changes, acting_user=acting_user, extra={"kept_with_answers": len(kept)} if kept else None)
    return round_


def other_open_rounds(round_or_school) -> list[Round]:
    """The school's rounds that are not closed (filling in or consensus), leaving out ``round_or_school`` itself when
    it is a round: several at once is allowed, but the pages say so (people then fill in the wrong one)."""
    if isinstance(round_or_school, Round):
        qs = Round.objects.filter(school_id=round_or_school.school_id).exclude(pk=round_or_school.pk)
    else:
        qs = Round.objects.filter(school=round_or_school)
    return list(qs.exclude(status=RoundStatus.CLOSED).order_by("created_at"))


def deletable(round_: Round) -> bool:
    """A round nobody has put anything into (no submission ever, no saved answer or priority, not anonymity-locked)
    and that is still open for filling in: deleting it loses no one's work."""
    return round_.status == RoundStatus.OPEN and not round_.anonymity_locked and not _has_input(round_)


ROUND_NOT_DELETABLE = gettext_lazy(
    "Deze ronde kan niet worden verwijderd: er is al iets ingevuld of ingediend, of het consensusgesprek is "
    "begonnen. Wie invulde, moet erop kunnen rekenen dat dat bewaard blijft."
)


@transaction.atomic
def do_delete_round(*, round_: Round, acting_user) -> None:
    """Delete a round nobody has put anything into (see deletable); audited with its title. Refused otherwise."""
    round_ = Round.objects.select_for_update().select_related("school").get(pk=round_.pk)
    if not deletable(round_):
        raise ServiceError(str(ROUND_NOT_DELETABLE))
    data = {"round": round_.pk, "title": round_.title, "participants": round_.participants.count()}
    record(action="round.deleted", acting_user=acting_user, school=round_.school, target=round_, data=data)
    round_.delete()


ADMIN_FIELDS = ("school", "title", "deadline", "meeting_date", "anonymous", "facilitator", "created_by", "created_at")


@transaction.atomic
def do_save_round_in_admin(*, round_: Round, changed_fields, acting_user) -> Round:
    """A platform admin's change in the Django admin: the same rules for the mode, audited the same way.

    ``round_`` carries the admin form's values; ``changed_fields`` the names the form saw change.
    """
    stored = Round.objects.select_for_update().select_related("school").get(pk=round_.pk)
    names = [n for n in ADMIN_FIELDS if n in changed_fields and n != "anonymous"]
    changes = {}
    for name in names:
        before, after = _jsonable(getattr(stored, name)), _jsonable(getattr(round_, name))
        if before != after:
            changes[name] = {"before": before, "after": after}
            setattr(stored, name, getattr(round_, name))
    if "anonymous" in changed_fields:
        _set_anonymous(stored, round_.anonymous, acting_user=acting_user)
    stored.save()
    _record_settings(stored, changes, acting_user=acting_user, extra={"source": "beheer"})
    return stored


def _lock_round_for_input(participant: Participant) -> None:
    """Before saving a draft: lock the round row when its mode may still change (not locked yet).

    The same lock order as do_submit and do_update_round (round, then participant), so a change of the mode and a
    save never cross: either the organiser's change comes first (and the save then sees the new mode) or the save
    does (and locks an anonymous round, so it can no longer become named). A locked round is never unlocked (the
    database refuses it), so then no round lock is needed.
    """
    if not Round.objects.filter(pk=participant.round_id, anonymity_locked_at__isnull=False).exists():
        Round.objects.select_for_update().filter(pk=participant.round_id).first()


def _lock_anonymity_on_input(round_id: int, now) -> None:
    """Something was saved: an anonymous round stays anonymous from now on (call with the round row locked)."""
    Round.objects.filter(pk=round_id, anonymous=True, anonymity_locked_at=None).update(anonymity_locked_at=now)


def _lock_editable(participant: Participant, *, allow_submitted=False) -> Participant:
    """Lock the participant row and check, against the database, that answers may change."""
    fresh = Participant.objects.select_for_update(of=("self",)).select_related("round").get(pk=participant.pk)
    if fresh.round.status != RoundStatus.OPEN:
        raise ServiceError(_("Deze ronde staat niet meer open voor invullen."))
    if fresh.shown_at is not None and fresh.round.anonymous:
        raise ServiceError(str(SHOWN_IS_FINAL))
    if fresh.submitted_at is not None and not allow_submitted:
        raise ServiceError(_("Je hebt je antwoorden al ingediend. Trek je inzending eerst in om iets aan te passen."))
    return fresh


SHOWN_IS_FINAL = gettext_lazy(
    "Je inzending is al getoond in het consensusgesprek van deze anonieme ronde. Intrekken of aanpassen kan niet "
    "meer: anders zou het verschil tussen twee overzichten laten zien wat jij hebt ingevuld."
)


@transaction.atomic
def do_save_answers(
    *, participant: Participant, answers: dict[str, dict], acting_user, order: SaveOrder | None = None
) -> int:
    """Save draft answers: {accent_code: {"phase": int|None, "strengths": str, "goal": str}}.

    Only fields present in each dict are changed. Drafts are not audited row by row (they are
    the participant's own work in progress); submitting is. ``order``: (page, number) of this save on the
    page that sent it; an answer a later save of that page already stored is left alone (Answer.save_page).
    """
    # Lock the participant: two tabs autosaving at once must not both insert the same answer.
    _lock_round_for_input(participant)
    participant = _lock_editable(participant)
    valid = set(participant.round.model.accent_codes)
    now = timezone.now()
    existing = {a.accent_code: a for a in participant.answers.filter(accent_code__in=answers.keys())}
    changed = 0
    for code, fields in answers.items():
        if code not in valid:
            raise ServiceError(_("Onbekend accent."))
        answer = existing.get(code) or Answer(participant=participant, accent_code=code)
        if is_stale(answer.save_page, answer.save_seq, order):
            continue
        dirty = answer.pk is None
        stamped = False
        if order is not None and (answer.save_page, answer.save_seq) != order:
            stamped = True
            answer.save_page, answer.save_seq = order
        for name in ("phase", "strengths", "goal"):
            if name in fields and getattr(answer, name) != fields[name]:
                setattr(answer, name, fields[name])
                dirty = True
        if dirty:
            answer.updated_at = now
            answer.save()
            changed += 1
        elif stamped:  # the same text, a newer save: remember it, so an older one arriving late stays out
            answer.save(update_fields=["save_page", "save_seq"])
    if changed:
        Participant.objects.filter(pk=participant.pk).update(updated_at=now)
        _lock_anonymity_on_input(participant.round_id, now)
    return changed


@transaction.atomic
def do_save_priorities(
    *, participant: Participant, accent_codes: list[str | None], acting_user, order: SaveOrder | None = None
) -> None:
    """Ranks 1-5 in list order; None leaves that rank empty. Codes must be distinct. ``order``: as for answers."""
    _lock_round_for_input(participant)
    participant = _lock_editable(participant)
    if is_stale(participant.priorities_save_page, participant.priorities_save_seq, order):
        return
    valid = set(participant.round.model.accent_codes)
    chosen = [c for c in accent_codes if c]
    if len(accent_codes) > len(PRIORITY_RANKS):
        raise ServiceError(_("Kies maximaal vijf prioriteiten."))
    if any(c not in valid for c in chosen):
        raise ServiceError(_("Onbekend accent."))
    if len(chosen) != len(set(chosen)):
        raise ServiceError(_("Kies elk accent maar één keer."))
    participant.priorities.all().delete()
    Priority.objects.bulk_create(
        [Priority(participant=participant, rank=i + 1, accent_code=c) for i, c in enumerate(accent_codes) if c]
    )
    stamp = {"priorities_save_page": order[0], "priorities_save_seq": order[1]} if order is not None else {}
    now = timezone.now()
    Participant.objects.filter(pk=participant.pk).update(updated_at=now, **stamp)
    if chosen:
        _lock_anonymity_on_input(participant.round_id, now)


def missing_for_submit(participant: Participant) -> list[str]:
    """What still needs filling in before submitting (Dutch messages)."""
    model = participant.round.model
    answered = set(participant.answers.exclude(phase=None).values_list("accent_code", flat=True))
    problems = []
    missing = [a for a in model.accents if a.code not in answered]
    if missing:
        problems.append(
            _("Kies een groeifase (of ‘weet ik niet’) bij: %(accents)s.")
            % {"accents": ", ".join(f"{a.code} {a.name}" for a in missing)}
        )
    n_prio = participant.priorities.count()
    if n_prio != 5:
        problems.append(_("Kies vijf prioriteiten en geef ze de rangorde 1 tot en met 5."))
    return problems


@transaction.atomic
def do_submit(*, participant: Participant, acting_user) -> None:
    # The round first (the same lock order as do_start_consensus and do_update_round: round, then participants).
    round_ = Round.objects.select_for_update().get(pk=participant.round_id)
    participant = _lock_editable(participant, allow_submitted=True)
    if participant.submitted_at is not None:
        return  # submitting twice (double click) changes nothing
    problems = missing_for_submit(participant)
    if problems:
        raise ServiceError(" ".join(problems))
    now = timezone.now()
    participant.submitted_at = now
    participant.save(update_fields=["submitted_at"])
    # Stored on the round and never cleared: a later withdrawal does not make the round named-able again.
    locks = {"first_submitted_at": round_.first_submitted_at or now}
    if round_.anonymous:
        locks["anonymity_locked_at"] = round_.anonymity_locked_at or now
    Round.objects.filter(pk=round_.pk).update(**locks)
    record(
        action="participant.submitted",
        acting_user=acting_user,
        school=participant.round.school,
        target=participant.round,
    )


@transaction.atomic
def do_withdraw(*, participant: Participant, acting_user) -> None:
    """Refused for a submission already shown in an anonymous round (_lock_editable): the shown set never shrinks."""
    Round.objects.select_for_update().get(pk=participant.round_id)  # lock order: round, then participant
    participant = _lock_editable(participant, allow_submitted=True)
    if participant.submitted_at is None:
        return
    participant.submitted_at = None
    participant.shown_at = None  # a named round: the answers may change, so they are no longer what was shown
    participant.shown_role_group = ""
    participant.save(update_fields=["submitted_at", "shown_at", "shown_role_group"])
    record(
        action="participant.withdrawn",
        acting_user=acting_user,
        school=participant.round.school,
        target=participant.round,
    )


@transaction.atomic
def do_send_reminders(*, round_: Round, acting_user, base_url: str) -> int:
    if round_.status != RoundStatus.OPEN:
        raise ServiceError(_("Herinneren kan alleen zolang de ronde openstaat."))
    pending = list(round_.participants.filter(submitted_at=None).select_related("user"))
    now = timezone.now()
    link = base_url + reverse("assessments:fill", args=[round_.school_id, round_.pk])
    for p in pending:
        with in_language(p.user.language):  # in the participant's own language
            body = render_to_string("assessments/email/reminder.txt", {"round": round_, "user": p.user, "link": link})
            subject = _("Herinnering: %(title)s") % {"title": round_.title}
        queue_mail(subject=subject, body=body, to=p.user.email)  # after commit, retried when the server is down
    round_.participants.filter(pk__in=[p.pk for p in pending]).update(reminded_at=now)
    record(
        action="round.reminders_sent",
        acting_user=acting_user,
        school=round_.school,
        target=round_,
        data={"count": len(pending)},
    )
    return len(pending)


def _set_status(
    round_: Round, *, expected: tuple[str, ...], new: str, action: str, acting_user, extra: dict | None = None
) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status not in expected:
        raise ServiceError(_("Deze stap kan niet in de huidige fase van de ronde."))
    before = round_.status
    round_.status = new
    round_.closed_at = timezone.now() if new == RoundStatus.CLOSED else None
    round_.save(update_fields=["status", "closed_at"])
    data = {"from": before, "to": new, **(extra or {})}
    record(action=action, acting_user=acting_user, school=round_.school, target=round_, data=data)
    return round_


def _show_new_submissions(round_: Round) -> int:
    """Freeze what the consensus shows: the submissions not yet shown join the shown set, at this moment.

    In an anonymous round they join only as a batch of at least MIN_ANONYMOUS_GROUP at once; fewer wait (they may
    still be withdrawn) until there are enough. So the first view needs three submissions, and any later view differs
    from an earlier one by three or more people: differencing two views never isolates one person. Call with the
    round row locked.

    The limit of this design: it protects against differencing, not against collusion. Two people in a batch of
    three who tell each other their answers (or one person with two accounts, or an organiser who fills in together
    with an accomplice) can subtract their own answers and learn the third one's. The round form says so.
    """
    waiting = list(
        Participant.objects.select_for_update()
        .filter(round=round_, submitted_at__isnull=False, shown_at=None)
        .values_list("pk", "user_id")
    )
    if not waiting or (round_.anonymous and len(waiting) < MIN_ANONYMOUS_GROUP):
        return 0
    # Each joins with its role group of this moment, frozen (the distribution per role group counts it there).
    groups = rolegroups.role_groups_of(round_.school, [user_id for _pk, user_id in waiting])
    by_group: dict[str, list[int]] = defaultdict(list)
    for pk, user_id in waiting:
        by_group[groups.get(user_id) or rolegroups.role_group(None)].append(pk)
    now = timezone.now()  # one moment for the whole batch: the batches are told apart by it
    return sum(
        Participant.objects.filter(pk__in=pks).update(shown_at=now, shown_role_group=group)
        for group, pks in by_group.items()
    )


def transition_warnings(round_: Round, action: str) -> list[str]:
    """What is still missing before a round moves on (Dutch sentences); empty when nothing is.

    ``action``: "consensus" (filling in closes) or "afsluiten" (the round closes). The views ask for a confirmation
    when this is not empty: moving on is allowed, but never without a word about what is missing.
    """
    if action not in ("consensus", "afsluiten"):
        return []
    warnings: list[str] = []
    counts = round_.participants.aggregate(
        total=models.Count("pk"), submitted=models.Count("pk", filter=models.Q(submitted_at__isnull=False))
    )
    total, submitted = counts["total"], counts["submitted"]
    if submitted < total:
        warnings.append(
            _("%(missing)d van de %(total)d deelnemers hebben nog niet ingediend (%(submitted)d van %(total)d wel).")
            % {"missing": total - submitted, "total": total, "submitted": submitted}
        )
    if action == "consensus" and round_.anonymous and submitted < MIN_ANONYMOUS_GROUP:
        warnings.append(
            _("In deze anonieme ronde verschijnt de verdeling pas vanaf %(n)d inzendingen.")
            % {"n": MIN_ANONYMOUS_GROUP}
        )
    if action == "afsluiten":
        agreed = set(
            ConsensusItem.objects.filter(round=round_, phase__isnull=False).values_list("accent_code", flat=True)
        )
        missing = [a for a in round_.model.accents if a.code not in agreed]
        if missing:
            warnings.append(
                _("Bij %(n)d van de %(total)d accenten is geen groeifase afgesproken: %(accents)s.")
                % {
                    "n": len(missing),
                    "total": len(round_.model.accents),
                    "accents": ", ".join(a.code for a in missing),
                }
            )
        if not ConsensusItem.objects.filter(round=round_, priority__isnull=False).exists():
            warnings.append(_("Er zijn geen prioriteiten vastgelegd."))
    return warnings


@transaction.atomic
def do_start_consensus(*, round_: Round, acting_user) -> Round:
    """Filling in closes and the answers become visible: the set of shown submissions is frozen here."""
    round_ = _set_status(
        round_,
        expected=(RoundStatus.OPEN,),
        new=RoundStatus.CONSENSUS,
        action="round.consensus_started",
        acting_user=acting_user,
    )
    _show_new_submissions(round_)
    return round_


@transaction.atomic
def do_reopen_filling(*, round_: Round, acting_user) -> Round:
    return _set_status(
        round_,
        expected=(RoundStatus.CONSENSUS,),
        new=RoundStatus.OPEN,
        action="round.filling_reopened",
        acting_user=acting_user,
    )


@transaction.atomic
def do_close_round(*, round_: Round, acting_user) -> Round:
    return _set_status(
        round_,
        expected=(RoundStatus.CONSENSUS,),
        new=RoundStatus.CLOSED,
        action="round.closed",
        acting_user=acting_user,
    )


@transaction.atomic
def do_reopen_round(*, round_: Round, acting_user, reason: str = "") -> Round:
    return _set_status(
        round_,
        expected=(RoundStatus.CLOSED,),
        new=RoundStatus.CONSENSUS,
        action="round.reopened",
        acting_user=acting_user,
        extra={"reason": reason} if reason else None,
    )


CONSENSUS_SAVED = gettext_noop(
    "Iemand anders heeft dit accent intussen opgeslagen. Hieronder zie je die versie; "
    "jouw invoer staat in het formulier. Controleer en sla opnieuw op."
)


def item_version(item) -> str:
    return item.updated_at.isoformat() if item is not None else ""


@transaction.atomic
def do_save_consensus_item(
    *,
    round_: Round,
    accent_code: str,
    phase,
    strengths: str,
    next_steps: str,
    priority,
    acting_user,
    expected_version: str | None = None,
    phase_to=None,
    differences: str = "",
) -> ConsensusItem:
    """Record the agreement for one accent: a phase, or a range when phases run through each other (phase up to
    phase_to), what was seen differently, shared strengths, next steps and the priority.

    expected_version: the item's version when the form was loaded ("" for a new item). When someone
    else saved in between, ConflictError is raised and nothing changes (no lost updates). The round
    row is locked, so two saves of the same round are serialised.
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.CONSENSUS:
        raise ServiceError(_("De consensus kan alleen worden vastgelegd tijdens het consensusgesprek."))
    if accent_code not in round_.model.accent_codes:
        raise ServiceError(_("Onbekend accent."))
    existing = ConsensusItem.objects.filter(round=round_, accent_code=accent_code).first()
    check_version(item_version(existing), expected_version, message=CONSENSUS_SAVED)
    if phase_to is not None and (phase is None or not phase < phase_to <= 4):
        raise ServiceError(_("'Tot en met' moet boven de gekozen groeifase liggen, en hoogstens fase 4 zijn."))
    item = existing or ConsensusItem(round=round_, accent_code=accent_code)
    before = {
        "phase": item.phase,
        "phase_to": item.phase_to,
        "differences": item.differences,
        "strengths": item.strengths,
        "next_steps": item.next_steps,
        "priority": item.priority,
    }
    item.phase, item.strengths, item.next_steps, item.priority = phase, strengths, next_steps, priority
    item.phase_to, item.differences = phase_to, differences
    item.updated_at = timezone.now()
    item.updated_by = acting_user
    item.save()
    after = {
        "phase": phase,
        "phase_to": phase_to,
        "differences": differences,
        "strengths": strengths,
        "next_steps": next_steps,
        "priority": priority,
    }
    record(
        action="consensus.saved",
        acting_user=acting_user,
        school=round_.school,
        target=round_,
        data={"accent": accent_code, "changed": [k for k in after if before[k] != after[k]]},
    )
    return item


# Reading answers is audited too (issue 11): who looked at a round's answers or took them home, and when ----------


@transaction.atomic
def do_record_round_view(*, round_: Round, page: str, acting_user, accent_code: str = "") -> None:
    """One audit row per view of a page with a round's answers: "consensus" or "presentation". No answers in it."""
    data: dict = {"round": round_.pk}
    if accent_code:
        data["accent"] = accent_code
    action = {"consensus": "round.consensus_viewed", "presentation": "round.presentation_viewed"}[page]
    record(action=action, acting_user=acting_user, school=round_.school, target=round_, data=data)


EXPORT_KINDS = ("word", "excel", "pdf")


@transaction.atomic
def do_record_export(*, round_: Round, kind: str, acting_user) -> None:
    """One audit row per download of a round's export (kind: word, excel or pdf)."""
    assert kind in EXPORT_KINDS, kind
    record(
        action="round.exported",
        acting_user=acting_user,
        school=round_.school,
        target=round_,
        data={"round": round_.pk, "file": kind},
    )
