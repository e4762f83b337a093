"""A school that leaves: export all of its data (a ZIP of JSON files with a README), then delete it.

Export (``school_export_zip``): one JSON file per kind of data in ``KINDS``: every model that belongs to a school
through its foreign keys (``tests/pages/test_school_leaving.py`` walks all models and fails when one is missing here).
Each file is a list of rows with the database field names as keys; ``*_id`` keys point at the ``id`` of a row in
another file, people at ``personen.json``. One query per file (and per many-to-many field), never one per row.

Never in it, whoever asks: the answers of an anonymous round as rows (a row keeps one person's phase, texts and
time together, which the consensus view never does). For an anonymous round the export holds what its consensus
view shows and nothing more (``anonieme_rondes.json``, from assessments.summary.anonymous_round_figures): per accent
the counts of the shown set, the written texts as separate lists sorted by text, the top-five votes; nothing at all
below three shown submissions. Drafts (answers not submitted) are in no round, named or anonymous. Nor the answers
to the checklist for leidinggevenden (visible to their author only; each person downloads their own via Mijn
gegevens).

Deletion (``do_delete_school``): recorded at board level first (the school's own audit rows stay, their school
becomes empty: audit/models.py), then the school and everything of it is deleted; people who are left without
any school or board (and are not platform admins) are erased as in pages.privacy, except the person deleting,
who is told they can erase their own account.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from actionplans.export_files import forget_plan_files
from assessments.export_files import forget_round_files
from audit.models import record

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from organisations.models import School

FORMAT = "groeiwijzer-tso/school-export"
FORMAT_VERSION = 2  # 2: anonymous rounds as figures (anonieme_rondes.json), no answer rows; no drafts


@dataclass(frozen=True)
class Kind:
    filename: str  # in the ZIP
    model: str  # "app_label.ModelName"
    school_path: str  # the lookup from the model to the school ("pk" for the school itself)
    description: StrOrPromise
    exclude: tuple[str, ...] = ()  # fields never exported (secrets, technical save order)
    named_submitted_only: bool = False  # answers, priorities: only submitted ones of named rounds
    extra: tuple[str, ...] = field(default_factory=tuple)  # values() lookups added (names of related rows)


K = Kind
# Descriptions are for README.txt (Dutch; the format itself is language-neutral).
KINDS: tuple[Kind, ...] = (
    K("school.json", "organisations.School", "pk", _l("De school zelf."), extra=("board__name",)),
    K("lidmaatschappen.json", "organisations.Membership", "school", _l("Wie bij de school hoort, met rollen (is_*).")),
    K(
        "uitnodigingen.json",
        "organisations.Invitation",
        "school",
        _l("Uitnodigingen (zonder de geheime link)."),
        exclude=("token_hash",),
    ),
    K("rondes.json", "assessments.Round", "school", _l("Rondes van het Ontwikkelmodel.")),
    K(
        "deelnemers.json",
        "assessments.Participant",
        "round__school",
        _l("Wie aan welke ronde meedeed en of die indiende."),
        exclude=("priorities_save_page", "priorities_save_seq"),
    ),
    K(
        "antwoorden.json",
        "assessments.Answer",
        "participant__round__school",
        _l(
            "Ingediende antwoorden per accent (fase 0 = weet ik niet), alleen uit rondes op naam. "
            "Anonieme rondes: zie anonieme_rondes.json."
        ),
        exclude=("save_page", "save_seq"),
        named_submitted_only=True,
        extra=("participant__round_id",),
    ),
    K(
        "prioriteiten.json",
        "assessments.Priority",
        "participant__round__school",
        _l("Ingediende prioriteiten (rang 1-5), alleen uit rondes op naam. Anonieme rondes: zie anonieme_rondes.json."),
        named_submitted_only=True,
        extra=("participant__round_id",),
    ),
    K("consensus.json", "assessments.ConsensusItem", "round__school", _l("Wat het team per accent afsprak.")),
    K("ontwikkeldoelen.json", "actionplans.Goal", "school", _l("Ontwikkeldoelen (ook in de prullenbak: deleted_at).")),
    K("actiepunten.json", "actionplans.Action", "school", _l("Actiepunten (ook in de prullenbak: deleted_at).")),
    K("actiestappen.json", "actionplans.ActionStep", "action__school", _l("Stappen van actiepunten.")),
    K("actie_updates.json", "actionplans.ActionUpdate", "action__school", _l("Updates bij actiepunten.")),
    K("bijeenkomsten_werkgroep.json", "actionplans.Meeting", "school", _l("Bijeenkomsten van de werkgroep.")),
    K("wijzigingen_actieplan.json", "actionplans.PlanChange", "school", _l("Geschiedenis van doelen en actiepunten.")),
    K("route.json", "trajectory.Trajectory", "school", _l("Het implementatietraject.")),
    K("routestappen.json", "trajectory.Step", "trajectory__school", _l("Stappen van het traject.")),
    K("trainingsplannen.json", "training.TrainingPlan", "school", _l("Trainingsplannen per schooljaar.")),
    K("trainingsgroepen.json", "training.TrainingGroup", "school", _l("Trainingsgroepen (members, trainers: ids).")),
    K("trainingssessies.json", "training.TrainingSession", "school", _l("Sessies van de teamtraining.")),
    K("aanwezigheid.json", "training.Attendance", "session__school", _l("Aanwezigheid per persoon per sessie.")),
    K("onderwerpen_werkmoment.json", "training.Topic", "school", _l("Onderwerpen voor werkmomenten (signups: ids).")),
    K(
        "bestuurstraining_deelnemers.json",
        "training.BoardTrainingParticipant",
        "membership__school",
        _l("Wie van de school deelneemt aan een training voor nieuwe medewerkers van het bestuur."),
    ),
    K(
        "bestuurstraining_aanwezigheid.json",
        "training.BoardAttendance",
        "participant__membership__school",
        _l("Aanwezigheid van deelnemers van de school bij een training voor nieuwe medewerkers van het bestuur."),
    ),
    K("checklist_rondes.json", "leadership.ChecklistRound", "school", _l("Rondes van de checklist leidinggevenden.")),
    K("checklist_eigen_uitspraken.json", "leadership.ExtraItem", "school", _l("Eigen uitspraken op de checklist.")),
    K("checklist_gesprek.json", "leadership.ConversationNote", "round__school", _l("Uitkomsten van het MT-gesprek.")),
    K(
        "opbrengsten_vragenlijsten.json",
        "outcomes.Survey",
        "school",
        _l("Vragenlijsten opbrengsten (competentie, klasklimaat, welzijn): soort, schooljaar, minimum en de vragen."),
    ),
    K(
        "opbrengsten_eigen_vragen.json",
        "outcomes.OwnItem",
        "school",
        _l("Eigen vragen van de vragenlijst opbrengsten."),
    ),
    K("voorgesprekken.json", "intake.Conversation", "school", _l("Voorgesprekken (participants: ids).")),
    K("voorgesprek_data.json", "intake.ConversationDate", "conversation__school", _l("Data van voorgesprekken.")),
    K("voorgesprek_aantekeningen.json", "intake.Note", "conversation__school", _l("Aantekeningen per agendavraag.")),
    K("voorgesprek_afspraken.json", "intake.Agreement", "conversation__school", _l("Afspraken uit voorgesprekken.")),
    K(
        "toestemming_onderzoek.json",
        "research.ResearchConsent",
        "school",
        _l("Toestemming voor onderzoek: de tekst, wie hem gaf en wanneer, en een eventuele intrekking."),
    ),
    K("logboek.json", "audit.AuditEvent", "school", _l("Het logboek van de school.")),
)

# Models that belong to a school but are deliberately not exported, with the reason (README.txt lists them).
NOT_EXPORTED = {
    "leadership.Answer": _l("Antwoorden op de checklist voor leidinggevenden zijn alleen voor de auteur zelf."),
    "leadership.SaveMark": _l("Technisch: de volgorde van het opslaan van de checklist."),
    "outcomes.Respondent": _l("Wie een vragenlijst opbrengsten invulde: niet uitgegeven, de vragenlijst is anoniem."),
    "outcomes.Tally": _l(
        "De getelde antwoorden (per rolgroep of van alle deelnemers samen) van de vragenlijst opbrengsten: alleen "
        "als gemiddelden op de resultatenpagina en in de Excel-export daarvan, waar het minimum aantal deelnemers "
        "geldt."
    ),
}


def _model(label: str):
    return apps.get_model(label)


def _rows(kind: Kind, school) -> list[dict]:
    model = _model(kind.model)
    excluded = set(kind.exclude)
    concrete = [f for f in model._meta.concrete_fields if f.name not in excluded]
    names = [f.attname for f in concrete]
    qs = model._base_manager.filter(**{kind.school_path: school.pk})  # also what is in the trash
    if kind.named_submitted_only:
        return _named_submitted_rows(kind, qs, names)
    rows = list(qs.values(*names, *kind.extra).order_by("pk"))
    m2m = list(model._meta.many_to_many)
    if m2m and rows:
        ids = [r["id"] for r in rows]
        for f in m2m:
            through = f.remote_field.through
            source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
            links = defaultdict(list)
            for a, b in (
                through._default_manager.filter(**{f"{source}_id__in": ids})
                .values_list(f"{source}_id", f"{target}_id")
                .order_by(f"{target}_id")
            ):
                links[a].append(b)
            for r in rows:
                r[f.name] = links.get(r["id"], [])
    return rows


def _named_submitted_rows(kind: Kind, qs, names: list[str]) -> list[dict]:
    """Answers and priorities: only what was submitted in a named round, with its participant, as the consensus view
    of that round shows it. No draft of any round, and no row of an anonymous round (anonymous_rounds() instead)."""
    rows = []
    qs = qs.filter(participant__round__anonymous=False, participant__submitted_at__isnull=False)
    for row in qs.values(*names, *kind.extra).order_by("participant__round_id", "participant_id", "pk"):
        row["round_id"] = row.pop("participant__round_id")
        rows.append(row)
    return rows


ANONYMOUS_ROUNDS_FILE = "anonieme_rondes.json"


def _anonymous_rounds(school) -> list[dict]:
    """What the consensus view of each anonymous round shows, per accent (see assessments.summary)."""
    from assessments.models import Round
    from assessments.summary import anonymous_round_figures

    return anonymous_round_figures(Round.objects.filter(school=school, anonymous=True))


def _people(school, files: dict[str, list[dict]]) -> list[dict]:
    """The school's members (name and work address) and everyone else the data points at (name only)."""
    User = get_user_model()
    member_ids = {r["user_id"] for r in files["lidmaatschappen.json"]}
    referenced = set(member_ids)
    user_fields = {}
    for kind in KINDS:
        model = _model(kind.model)
        user_fields[kind.filename] = [
            f.attname if not f.many_to_many else f.name
            for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
            if f.is_relation and f.related_model is User
        ]
    for filename, rows in files.items():
        for name in user_fields.get(filename, []):
            for row in rows:
                value = row.get(name)
                if isinstance(value, list):
                    referenced.update(value)
                elif value is not None:
                    referenced.add(value)
    people = []
    for user in User.objects.filter(pk__in=referenced).only("pk", "name", "email").order_by("pk"):
        row = {"id": user.pk, "name": user.name}
        if user.pk in member_ids:
            row["email"] = user.email
        people.append(row)
    return people


def readme(school, files: dict[str, list[dict]]) -> str:
    lines = [
        _("Groeiwijzer TSO — export van alle gegevens van %(school)s") % {"school": school.name},
        _("Formaat: %(format)s, versie %(version)s. Gemaakt op %(made)s (UTC).")
        % {"format": FORMAT, "version": FORMAT_VERSION, "made": timezone.now().isoformat()},
        "",
        _("Elk .json-bestand is een lijst van rijen (objecten), UTF-8. De sleutels zijn de veldnamen in de database."),
        _("Een sleutel die eindigt op _id verwijst naar de id van een rij in een ander bestand van deze export;"),
        _("verwijzingen naar mensen (user_id, owner_id, created_by_id, ...) gaan naar personen.json."),
        _("Datums en tijden staan in ISO 8601 (tijden in UTC). Lege waarden zijn null."),
        "",
        _("Bestanden:"),
        "  personen.json ({}): {}".format(
            len(files["personen.json"]),
            _(
                "iedereen naar wie de gegevens verwijzen; e-mailadres alleen bij wie nu bij de school hoort. "
                "'oud-teamlid' is een gewist account."
            ),
        ),
    ]
    for kind in KINDS:
        lines.append(f"  {kind.filename} ({len(files[kind.filename])}): {kind.description}")
    lines.append(
        "  {} ({}): {}".format(
            ANONYMOUS_ROUNDS_FILE,
            len(files[ANONYMOUS_ROUNDS_FILE]),
            _(
                "per anonieme ronde en per accent wat het consensusgesprek laat zien: aantal inzendingen, aantal per "
                "groeifase, weet ik niet, geen fase, de sterke punten en de ontwikkeldoelen (twee aparte lijsten, "
                "op tekst gesorteerd) en hoe vaak het accent in de top vijf stond."
            ),
        )
    )
    lines += [
        "",
        _("Anonimiteit: van anonieme rondes staan er geen antwoorden of prioriteiten per persoon in, alleen de"),
        _("overzichten uit anonieme_rondes.json, precies zoals het consensusgesprek ze toont. Een ronde met minder"),
        _("dan 3 getoonde inzendingen staat er niet in (het consensusgesprek toont dan ook niets). Een fase en een"),
        _("tekst van één persoon staan nooit samen in één rij."),
        _("Concepten: antwoorden en prioriteiten die niet zijn ingediend staan er in geen enkele ronde in."),
        "",
        _("Niet in deze export:"),
    ]
    for label, reason in NOT_EXPORTED.items():
        lines.append(f"  {label}: {reason}")
    lines.append("  " + _("Inlogcodes, wachtwoorden en sessies: die horen bij een persoon, niet bij de school."))
    return "\n".join(str(line) for line in lines) + "\n"


def collect_school_data(school) -> dict[str, list[dict]]:
    """Every file of the export as Python rows (a fixed number of queries)."""
    files = {kind.filename: _rows(kind, school) for kind in KINDS}
    files[ANONYMOUS_ROUNDS_FILE] = _anonymous_rounds(school)
    files["personen.json"] = _people(school, files)
    return files


def school_export_zip(school) -> bytes:
    files = collect_school_data(school)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme(school, files))
        for filename, rows in files.items():
            archive.writestr(filename, json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))
    return buffer.getvalue()


def export_filename(school) -> str:
    from django.utils.text import slugify

    return f"groeiwijzer-{slugify(school.name) or 'school'}-{timezone.localdate().isoformat()}.zip"


@transaction.atomic
def do_record_school_export(*, school, acting_user, filename: str) -> None:
    record(
        action="school.exported",
        acting_user=acting_user,
        school=school,
        target=school,
        data={"file": filename, "format": "zip"},
    )


def name_matches(school, typed: str) -> bool:
    """The confirmation: the school's name typed exactly (spaces around it do not count)."""
    return isinstance(typed, str) and typed.strip() == school.name.strip()


@transaction.atomic
def do_delete_school(*, school, acting_user) -> list[int]:
    """Delete the school and all of its data; returns the ids of the accounts erased with it."""
    from leadership.models import Answer as LeadershipAnswer

    from . import privacy

    school = School.objects.select_for_update().select_related("board").get(pk=school.pk)
    User = get_user_model()
    member_ids = list(school.memberships.values_list("user_id", flat=True))
    record(
        action="school.deleted",
        acting_user=acting_user,
        board=school.board,
        school=None,
        data={"school_id": school.pk, "name": school.name, "brin": school.brin, "members": len(member_ids)},
    )
    # Checklist answers protect the school's own items (on_delete=PROTECT): they go first.
    LeadershipAnswer.objects.filter(round__school=school).delete()
    # The exports the worker made of its rounds and plan (core/generated.py: no foreign key, so not by cascade).
    forget_round_files(school)
    forget_plan_files(school)
    school.delete()
    erased = []
    leftover = User.objects.filter(
        pk__in=member_ids, is_staff=False, memberships__isnull=True, boards__isnull=True
    ).order_by("pk")
    if getattr(acting_user, "pk", None) is not None:
        leftover = leftover.exclude(pk=acting_user.pk)
    for user in leftover:
        privacy.do_erase_user(user=user, acting_user=acting_user, reason="school_deleted")
        erased.append(user.pk)
    return erased


def deletion_summary(school) -> dict:
    """What the confirmation page says will go."""
    from assessments.models import Round

    return {
        "members": school.memberships.count(),
        "rounds": Round.objects.filter(school=school).count(),
    }


def deleted_message(name: str) -> str:
    return _("De school %(name)s en al haar gegevens zijn verwijderd.") % {"name": name}
