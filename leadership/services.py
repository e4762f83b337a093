"""Writes for the leadership checklist. Views call these; each is atomic and audited.

Audit rows never hold anyone's answers (only how many items were answered): individual answers are
visible to their author only. Conversation notes are saved optimistically per question: the form carries
the version it started from; when someone else saved in between, ConflictError is raised and nothing
changes.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import record
from core.errors import ServiceError
from core.save_order import SaveOrder, is_stale
from core.versions import IN_THE_BOX, check_version

from .content import SCALE_VALUES, load_content
from .models import (
    MAX_EXTRA_ITEMS,
    MAX_ITEM_TEXT,
    MAX_NOTE,
    MAX_ROUND_TITLE,
    Answer,
    ChecklistRound,
    ConversationNote,
    ExtraItem,
    SaveMark,
)


def current_round(school) -> ChecklistRound | None:
    return ChecklistRound.objects.filter(school=school).order_by("-created_at", "-id").first()


def items_for(school, *, round_=None, user=None):
    """(key, text, extra_item) of the items to show: the handbook's, then the school's active ones.

    With a round and user, retired items that this person answered in that round are listed as well
    (their answers are kept), after the active ones.
    """
    content = load_content()
    rows: list[tuple[str, str, ExtraItem | None]] = [(item.code, item.text, None) for item in content.items]
    extras = list(ExtraItem.objects.filter(school=school).order_by("created_at", "id"))
    answered = set()
    if round_ is not None and user is not None:
        answered = set(
            Answer.objects.filter(round=round_, user=user, extra_item__isnull=False).values_list(
                "extra_item_id", flat=True
            )
        )
    rows += [(e.key, e.text, e) for e in extras if e.is_active]
    rows += [(e.key, e.text, e) for e in extras if not e.is_active and e.pk in answered]
    return rows


def _clean_text(text: str, *, limit: int, empty_message: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ServiceError(empty_message)
    if len(text) > limit:
        raise ServiceError(_("Gebruik maximaal %(n)d tekens.") % {"n": limit})
    return text


# Rounds ------------------------------------------------------------------------------------------


@transaction.atomic
def do_start_round(*, school, title: str, acting_user) -> ChecklistRound:
    title = _clean_text(title, limit=MAX_ROUND_TITLE, empty_message=_("Geef de ronde een naam."))
    if ChecklistRound.objects.filter(school=school, title=title).exists():
        raise ServiceError(_("Er is al een ronde met deze naam. Kies een andere naam."))
    try:
        with transaction.atomic():  # two people starting the same round at once: one wins, the other is told
            round_ = ChecklistRound.objects.create(
                school=school, title=title, content_version=load_content().version, created_by=acting_user
            )
    except IntegrityError:
        raise ServiceError(_("Er is al een ronde met deze naam. Kies een andere naam.")) from None
    record(action="leadership.round_started", acting_user=acting_user, school=school, target=round_)
    return round_


# Answers -----------------------------------------------------------------------------------------


@transaction.atomic
def do_save_answers(*, round_: ChecklistRound, answers: dict, acting_user, order: SaveOrder | None = None) -> int:
    """Store the acting user's own answers: {item key: 1-5, or None for "nog geen antwoord"}.

    Only the school's latest round can be filled in; keys must be a handbook item or an active item of
    this school. Returns how many items this person has answered in the round. ``order``: (page, number) of
    this save; an older save from the same page than the last one stored changes nothing (SaveMark).
    """
    ChecklistRound.objects.select_for_update().filter(pk=round_.pk).first()  # two tabs saving at once: in turn
    if current_round(round_.school) != round_:
        raise ServiceError(_("Deze ronde is afgesloten: er is een nieuwere ronde. Vul de nieuwste ronde in."))
    allowed = {key: extra for key, _text, extra in items_for(round_.school) if extra is None or extra.is_active}
    for key, value in answers.items():
        if key not in allowed:
            raise ServiceError(_("Deze uitspraak hoort niet (meer) bij de checklist van jullie school."))
        if value is not None and value not in SCALE_VALUES:
            raise ServiceError(_("Kies een getal van 1 tot en met 5."))
    if order is not None:
        mark = SaveMark.objects.filter(round=round_, user=acting_user).first()
        if mark is not None and is_stale(mark.page, mark.seq, order):
            return Answer.objects.filter(round=round_, user=acting_user).count()  # arrived late: a newer one is in
        SaveMark.objects.update_or_create(round=round_, user=acting_user, defaults={"page": order[0], "seq": order[1]})
    existing = {a.item_key: a for a in Answer.objects.filter(round=round_, user=acting_user)}
    changed = 0
    now = timezone.now()
    for key, value in answers.items():
        answer = existing.get(key)
        if value is None:
            if answer is not None:
                answer.delete()
                changed += 1
        elif answer is None:
            Answer.objects.create(
                round=round_, user=acting_user, item_key=key, extra_item=allowed[key], value=value, updated_at=now
            )
            changed += 1
        elif answer.value != value:
            answer.value = value
            answer.updated_at = now
            answer.save(update_fields=["value", "updated_at"])
            changed += 1
    count = Answer.objects.filter(round=round_, user=acting_user).count()
    if changed:
        record(
            action="leadership.answers_saved",
            acting_user=acting_user,
            school=round_.school,
            target=round_,
            data={"answered": count},  # never the answers themselves
        )
    return count


# The school's own items --------------------------------------------------------------------------


@transaction.atomic
def do_add_item(*, school, text: str, acting_user) -> ExtraItem:
    text = _clean_text(text, limit=MAX_ITEM_TEXT, empty_message=_("Schrijf de uitspraak op."))
    if ExtraItem.objects.filter(school=school, retired_at__isnull=True).count() >= MAX_EXTRA_ITEMS:
        raise ServiceError(
            _("De checklist heeft al %(n)d eigen uitspraken; trek er eerst een in.") % {"n": MAX_EXTRA_ITEMS}
        )
    if ExtraItem.objects.filter(school=school, text=text).exists():
        raise ServiceError(_("Deze uitspraak staat al in de lijst (kijk ook bij de ingetrokken uitspraken)."))
    item = ExtraItem.objects.create(school=school, text=text, created_by=acting_user)
    record(action="leadership.item_added", acting_user=acting_user, school=school, target=item)
    return item


@transaction.atomic
def do_update_item(*, item: ExtraItem, text: str, expected_version, acting_user) -> ExtraItem:
    item = ExtraItem.objects.select_for_update().get(pk=item.pk)
    check_version(item.version, expected_version, message=IN_THE_BOX)
    text = _clean_text(text, limit=MAX_ITEM_TEXT, empty_message=_("Schrijf de uitspraak op."))
    if text == item.text:
        return item
    if ExtraItem.objects.filter(school_id=item.school_id, text=text).exclude(pk=item.pk).exists():
        raise ServiceError(_("Deze uitspraak staat al in de lijst (kijk ook bij de ingetrokken uitspraken)."))
    item.text = text
    item.version += 1
    item.updated_at = timezone.now()
    item.save(update_fields=["text", "version", "updated_at"])
    record(action="leadership.item_updated", acting_user=acting_user, school=item.school, target=item)
    return item


@transaction.atomic
def do_retire_item(*, item: ExtraItem, acting_user) -> ExtraItem:
    """Take an item off the checklist. Answers already given stay, with the item's text."""
    item = ExtraItem.objects.select_for_update().get(pk=item.pk)
    if item.retired_at is not None:
        raise ServiceError(_("Deze uitspraak is al ingetrokken."))
    item.retired_at = timezone.now()
    item.version += 1
    item.save(update_fields=["retired_at", "version"])
    record(action="leadership.item_retired", acting_user=acting_user, school=item.school, target=item)
    return item


@transaction.atomic
def do_restore_item(*, item: ExtraItem, acting_user) -> ExtraItem:
    item = ExtraItem.objects.select_for_update().get(pk=item.pk)
    if item.retired_at is None:
        raise ServiceError(_("Deze uitspraak staat al op de checklist."))
    if ExtraItem.objects.filter(school_id=item.school_id, retired_at__isnull=True).count() >= MAX_EXTRA_ITEMS:
        raise ServiceError(
            _("De checklist heeft al %(n)d eigen uitspraken; trek er eerst een in.") % {"n": MAX_EXTRA_ITEMS}
        )
    item.retired_at = None
    item.version += 1
    item.save(update_fields=["retired_at", "version"])
    record(action="leadership.item_restored", acting_user=acting_user, school=item.school, target=item)
    return item


# The MT conversation -----------------------------------------------------------------------------


def notes_for(round_: ChecklistRound) -> dict[str, ConversationNote]:
    return {n.question_code: n for n in ConversationNote.objects.filter(round=round_).select_related("updated_by")}


@transaction.atomic
def do_save_note(*, round_: ChecklistRound, question_code: str, text: str, expected_version, acting_user):
    """Outcomes and agreements for one question. expected_version 0: the note did not exist yet."""
    if load_content().question(question_code) is None:
        raise ServiceError(_("Deze vraag staat niet in het gespreksformat."))
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_NOTE:
        raise ServiceError(_("Gebruik maximaal %(n)d tekens.") % {"n": MAX_NOTE})
    ChecklistRound.objects.select_for_update().filter(pk=round_.pk).first()  # one writer per round at a time
    note = ConversationNote.objects.filter(round=round_, question_code=question_code).first()
    check_version(note.version if note else 0, expected_version, message=IN_THE_BOX)
    if note is None:
        if not text:
            return None
        note = ConversationNote(round=round_, question_code=question_code, version=0)
    elif note.text == text:
        return note
    note.text = text
    note.version += 1
    note.updated_at = timezone.now()
    note.updated_by = acting_user
    note.save()
    record(
        action="leadership.note_saved",
        acting_user=acting_user,
        school=round_.school,
        target=round_,
        data={"question": question_code, "length": len(text)},
    )
    return note
