"""Writes for assessment rounds. Views call these; each is atomic and audited."""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import record
from groeiwijzer.mail import queue_mail
from groeiwijzer.save_order import SaveOrder, is_stale
from ontwikkelmodel.models import ModelVersion
from organisations.models import Membership, Role
from organisations.services import ConflictError, ServiceError  # noqa: F401 (ConflictError: re-exported)

from .models import PRIORITY_RANKS, Answer, ConsensusItem, Participant, Priority, Round, RoundStatus

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
    *, school, title, deadline, meeting_date, anonymous, participant_user_ids, facilitator, acting_user
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
        facilitator=facilitator,
        created_by=acting_user,
    )
    Participant.objects.bulk_create([Participant(round=round_, user_id=uid) for uid in sorted(valid_ids)])
    record(
        action="round.created",
        acting_user=acting_user,
        school=school,
        target=round_,
        data={"title": title, "participants": len(valid_ids), "anonymous": anonymous},
    )
    return round_


@transaction.atomic
def do_update_round(
    *, round_, title, deadline, meeting_date, anonymous, participant_user_ids, facilitator, acting_user
) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.CLOSED:
        raise ServiceError(_("Deze ronde is afgesloten en kan niet meer worden gewijzigd."))
    round_.title, round_.deadline, round_.meeting_date = title, deadline, meeting_date
    round_.anonymous, round_.facilitator = anonymous, facilitator
    round_.save()
    wanted = set(
        Membership.objects.filter(school=round_.school, user_id__in=participant_user_ids).values_list(
            "user_id", flat=True
        )
    )
    current = set(round_.participants.values_list("user_id", flat=True))
    if not wanted:
        raise ServiceError(_("Kies minstens één deelnemer."))
    # Never throw away someone's answers silently: only people who have not started can be removed.
    removable = set(
        round_.participants.filter(user_id__in=current - wanted, submitted_at=None, updated_at=None).values_list(
            "user_id", flat=True
        )
    )
    kept = (current - wanted) - removable
    round_.participants.filter(user_id__in=removable).delete()
    Participant.objects.bulk_create([Participant(round=round_, user_id=uid) for uid in sorted(wanted - current)])
    record(
        action="round.updated",
        acting_user=acting_user,
        school=round_.school,
        target=round_,
        data={"added": len(wanted - current), "removed": len(removable), "kept_with_answers": len(kept)},
    )
    return round_


def _lock_editable(participant: Participant, *, allow_submitted=False) -> Participant:
    """Lock the participant row and check, against the database, that answers may change."""
    fresh = Participant.objects.select_for_update(of=("self",)).select_related("round").get(pk=participant.pk)
    if fresh.round.status != RoundStatus.OPEN:
        raise ServiceError(_("Deze ronde staat niet meer open voor invullen."))
    if fresh.submitted_at is not None and not allow_submitted:
        raise ServiceError(_("Je hebt je antwoorden al ingediend. Trek je inzending eerst in om iets aan te passen."))
    return fresh


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
    return changed


@transaction.atomic
def do_save_priorities(
    *, participant: Participant, accent_codes: list[str | None], acting_user, order: SaveOrder | None = None
) -> None:
    """Ranks 1-5 in list order; None leaves that rank empty. Codes must be distinct. ``order``: as for answers."""
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
    Participant.objects.filter(pk=participant.pk).update(updated_at=timezone.now(), **stamp)


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
    participant = _lock_editable(participant, allow_submitted=True)
    if participant.submitted_at is not None:
        return  # submitting twice (double click) changes nothing
    problems = missing_for_submit(participant)
    if problems:
        raise ServiceError(" ".join(problems))
    participant.submitted_at = timezone.now()
    participant.save(update_fields=["submitted_at"])
    record(
        action="participant.submitted",
        acting_user=acting_user,
        school=participant.round.school,
        target=participant.round,
    )


@transaction.atomic
def do_withdraw(*, participant: Participant, acting_user) -> None:
    participant = _lock_editable(participant, allow_submitted=True)
    if participant.submitted_at is None:
        return
    participant.submitted_at = None
    participant.save(update_fields=["submitted_at"])
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


@transaction.atomic
def do_start_consensus(*, round_: Round, acting_user) -> Round:
    return _set_status(
        round_,
        expected=(RoundStatus.OPEN,),
        new=RoundStatus.CONSENSUS,
        action="round.consensus_started",
        acting_user=acting_user,
    )


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
) -> ConsensusItem:
    """Record the agreement for one accent.

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
    if expected_version is not None and expected_version != item_version(existing):
        raise ConflictError(
            _(
                "Iemand anders heeft dit accent intussen opgeslagen. Hieronder zie je die versie; "
                "jouw invoer staat in het formulier. Controleer en sla opnieuw op."
            )
        )
    item = existing or ConsensusItem(round=round_, accent_code=accent_code)
    before = {
        "phase": item.phase,
        "strengths": item.strengths,
        "next_steps": item.next_steps,
        "priority": item.priority,
    }
    item.phase, item.strengths, item.next_steps, item.priority = phase, strengths, next_steps, priority
    item.updated_at = timezone.now()
    item.updated_by = acting_user
    item.save()
    after = {"phase": phase, "strengths": strengths, "next_steps": next_steps, "priority": priority}
    record(
        action="consensus.saved",
        acting_user=acting_user,
        school=round_.school,
        target=round_,
        data={"accent": accent_code, "changed": [k for k in after if before[k] != after[k]]},
    )
    return item
