"""The AVG rights of one person: "Mijn gegevens" (everything the product holds about you, art. 15 and 20) and
erasure (art. 17).

Export: ``collect_my_data(user)`` walks ``PARTS``, one entry per kind of row that points at a person (every
ForeignKey and ManyToMany to the user model; ``tests/pages/test_privacy.py`` fails when a relation is missing here).
Each part is read with one query per pointing field, never one per row, and gives plain values: ids, dates, texts.
Rows that belong to other people only appear for the field that points at you (an invitation you sent, not the
address you sent it to); audit rows only where you acted, without other people's addresses.

Erasure: ``do_erase_me`` keeps the account row as a tombstone without personal data, so the school's results
stay whole: the name becomes "oud-teamlid", the address a unique non-address, the password unusable, the account
inactive; memberships, board memberships, login codes, sessions, the second factor (authenticator app,
recovery codes, the count of wrong codes), linked school accounts
(single sign-on), e-mail preferences and the
record of mails sent (notifications), calendar subscriptions (accounts.CalendarFeed), leadership answers
(visible to their author only) and every participation never submitted (drafts, in any round, also closed ones:
a draft never counted) are removed, and mail to the old address that is still waiting in the queue (django-tasks-db
rows not yet picked up, retries included: login codes, invitations, reminders) is cancelled. Submitted answers stay:
in anonymous rounds they only ever count, in named rounds and notes they now show "oud-teamlid".
Not changed: the audit log is append-only (audit/models.py); its rows keep pointing at the tombstone. Audit data
holds ids, never a name or address (tests/pages/test_privacy.py checks the services that once wrote them); rows written
before that rule keep theirs until the retention purge removes them. Failed logins (``account.login_failed``) keep
a keyed hash of the typed address (HMAC with the SECRET_KEY, accounts/throttle.py): it cannot be turned back into
the address, it has no actor and points at no account, so nothing ties it to the tombstone; only someone holding
the secret key and guessing the address could match it. Those rows go with the retention purge (two years).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import record

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORMAT = "groeiwijzer-tso/mijn-gegevens"
FORMAT_VERSION = 1
ERASED_EMAIL_PREFIX = "verwijderd-"  # no "@": never an address anyone can type, log in with or be mailed at
# Keys in audit data about another person (older rows held an address there): left out of your export.
OTHER_PEOPLE_KEYS = frozenset({"email", "user"})


@dataclass(frozen=True)
class Part:
    """One kind of row that points at a person: exported as ``key`` (a list of objects)."""

    key: str
    model: str  # "app_label.ModelName"
    user_fields: tuple[str, ...]  # the fields pointing at the person; each row says which in "via"
    columns: tuple[str, ...]  # values() lookups exported besides "id"
    description: StrOrPromise
    extra_filters: dict[str, Any] = field(default_factory=dict)  # "via" label → user → Q (e.g. an address)


P = Part
PARTS: tuple[Part, ...] = (
    P(
        "lidmaatschappen",
        "organisations.Membership",
        ("user",),
        (
            "school_id",
            "school__name",
            "is_schoolleiding",
            "is_kartrekker",
            "is_werkgroeplid",
            "is_trainer_intern",
            "is_trainer_extern",
            "is_teamlid",
            "joined_at",
        ),
        gettext_lazy("Scholen waar je bij hoort, met je rollen (is_…: true of false) en sinds wanneer."),
    ),
    P(
        "besturen",
        "organisations.BoardMember",
        ("user",),
        ("board_id", "board__name", "is_beheerder"),
        gettext_lazy(
            "Schoolbesturen die je als bestuurslid volgt (is_beheerder: true als je ook de scholen van het bestuur "
            "beheert)."
        ),
    ),
    P(
        "uitnodigingen",
        "organisations.Invitation",
        ("invited_by", "accepted_by"),
        ("school_id", "school__name", "roles", "created_at", "expires_at", "accepted_at", "revoked_at"),
        gettext_lazy(
            "Uitnodigingen aan jouw adres (via aan_mij), die je aannam (accepted_by) of die je zelf verstuurde "
            "(invited_by; zonder het adres van de ander)."
        ),
        extra_filters={"aan_mij": lambda user: Q(email__iexact=user.email)},
    ),
    P(
        "inlogcodes",
        "accounts.LoginCode",
        ("user",),
        ("created_at", "expires_at", "used_at", "attempts"),
        gettext_lazy("Inlogcodes die je per e-mail kreeg (alleen wanneer; de code zelf bewaren we nooit)."),
    ),
    P(
        "agenda_abonnementen",
        "accounts.CalendarFeed",
        ("user",),
        ("created_at", "revoked_at"),
        gettext_lazy(
            "Links voor je agenda-abonnement: wanneer gemaakt en ingetrokken (de geheime link zelf bewaren we nooit)."
        ),
    ),
    P(
        "tweede_factor",
        "mfa.Authenticator",
        ("user",),
        ("type", "created_at", "last_used_at"),
        gettext_lazy(
            "Je tweede inlogstap: de authenticator-app (totp) en de herstelcodes (recovery_codes), wanneer aangezet en "
            "voor het laatst gebruikt (nooit de geheime sleutel of de codes zelf)."
        ),
    ),
    P(
        "tweede_factor_foute_codes",
        "accounts.SecondFactorThrottle",
        ("user",),
        ("failures", "last_failure_at"),
        gettext_lazy(
            "Foute codes bij je tweede inlogstap: hoeveel achter elkaar en wanneer de laatste (zo remmen we raden af)."
        ),
    ),
    P(
        "api_sleutels",
        "api.ApiToken",
        ("created_by", "revoked_by"),
        ("board_id", "board__name", "name", "prefix", "created_at", "expires_on", "revoked_at"),
        gettext_lazy(
            "API-sleutels van een bestuur die je maakte (created_by) of introk (revoked_by): naam, begin, wanneer "
            "gemaakt, geldig tot en ingetrokken (de sleutel zelf bewaren we nooit)."
        ),
    ),
    P(
        "schoolaccounts",
        "socialaccount.SocialAccount",
        ("user",),
        ("provider", "uid", "date_joined", "last_login"),
        gettext_lazy(
            "Schoolaccounts (zoals Entree Federatie) die aan je account gekoppeld zijn: welke inlogdienst, je kenmerk "
            "daar (sub) en wanneer gekoppeld en voor het laatst gebruikt."
        ),
    ),
    P(
        "e_mailadressen_inlogmodule",
        "account.EmailAddress",
        ("user",),
        ("email", "verified", "primary"),
        gettext_lazy(
            "E-mailadressen in de module voor inloggen met een schoolaccount (meestal leeg: je werk-e-mailadres staat "
            "bij je account)."
        ),
    ),
    P(
        "rondes_georganiseerd",
        "assessments.Round",
        ("created_by", "facilitator"),
        ("school_id", "school__name", "title", "status", "anonymous", "created_at", "closed_at"),
        gettext_lazy("Rondes van het Ontwikkelmodel die je aanmaakte (created_by) of als gespreksleider leidde."),
    ),
    P(
        "consensus_bewerkt",
        "assessments.ConsensusItem",
        ("updated_by",),
        ("round_id", "round__title", "accent_code", "phase", "strengths", "next_steps", "priority", "updated_at"),
        gettext_lazy("Afspraken uit een consensusgesprek die jij het laatst bewerkte (de tekst is van het team)."),
    ),
    P(
        "ontwikkeldoelen",
        "actionplans.Goal",
        ("created_by", "updated_by", "deleted_by", "monitored_by"),
        ("school_id", "school__name", "title", "layer_code", "accent_code", "term", "created_at", "deleted_at"),
        gettext_lazy("Ontwikkeldoelen die je maakte, bewerkte, weggooide of monitort."),
    ),
    P(
        "actiepunten",
        "actionplans.Action",
        ("owner", "created_by", "updated_by", "deleted_by"),
        ("school_id", "school__name", "title", "status", "due_date", "created_at", "deleted_at"),
        gettext_lazy("Actiepunten waarvoor je verantwoordelijk bent (owner) of die je maakte, bewerkte of weggooide."),
    ),
    P(
        "actiestappen",
        "actionplans.ActionStep",
        ("done_by",),
        ("action_id", "action__title", "text", "done_at"),
        gettext_lazy("Stappen van actiepunten die je afvinkte."),
    ),
    P(
        "actie_updates",
        "actionplans.ActionUpdate",
        ("author",),
        ("action_id", "action__title", "text", "created_at"),
        gettext_lazy("Updates die je bij een actiepunt schreef."),
    ),
    P(
        "bijeenkomsten_werkgroep",
        "actionplans.Meeting",
        ("chair", "timekeeper", "note_taker", "created_by", "deleted_by"),
        ("school_id", "school__name", "date", "location", "deleted_at"),
        gettext_lazy("Werkgroepbijeenkomsten waar je voorzitter, tijdbewaker of notulist was, of die je maakte."),
    ),
    P(
        "wijzigingen_actieplan",
        "actionplans.PlanChange",
        ("actor",),
        ("school_id", "goal_id", "action_id", "kind", "changes", "created_at"),
        gettext_lazy("Wijzigingen die je in het actieplan maakte (de geschiedenis van doelen en actiepunten)."),
    ),
    P(
        "routes",
        "trajectory.Trajectory",
        ("created_by",),
        ("school_id", "school__name", "training_start", "created_at"),
        gettext_lazy("Implementatieroutes die je startte."),
    ),
    P(
        "routestappen",
        "trajectory.Step",
        ("owner", "finished_by", "updated_by"),
        ("trajectory__school_id", "code", "occurrence", "status", "note", "due_date", "finished_at"),
        gettext_lazy("Stappen van de route die je oppakt (owner), afrondde of bewerkte."),
    ),
    P(
        "trainingsplannen",
        "training.TrainingPlan",
        ("created_by",),
        ("school_id", "school__name", "school_year", "created_at"),
        gettext_lazy("Trainingsplannen die je maakte."),
    ),
    P(
        "trainingsgroepen",
        "training.TrainingGroup",
        ("members", "trainers"),
        ("school_id", "plan__school_year", "name"),
        gettext_lazy("Trainingsgroepen waar je in zit (members) of die je traint (trainers)."),
    ),
    P(
        "trainingssessies",
        "training.TrainingSession",
        ("trainers", "reflection_sent_by"),
        ("school_id", "title", "date", "reflection_sent_at"),
        gettext_lazy("Sessies die je als trainer gaf, of waarvoor je de reflectievragen verstuurde."),
    ),
    P(
        "aanwezigheid",
        "training.Attendance",
        ("user", "updated_by"),
        ("session_id", "session__title", "session__date", "status", "updated_at"),
        gettext_lazy("Je aanwezigheid bij de teamtraining (user), en aanwezigheid die je bijhield (updated_by)."),
    ),
    P(
        "bestuurstrainingen",
        "training.BoardTraining",
        ("created_by",),
        ("board_id", "board__name", "title", "school_year", "created_at"),
        gettext_lazy("Trainingen voor nieuwe medewerkers van een bestuur die je plande."),
    ),
    P(
        "bestuurstraining_deelname",
        "training.BoardTrainingParticipant",
        ("added_by",),
        ("training_id", "training__title", "group__name", "membership__school__name", "added_at"),
        gettext_lazy(
            "Je deelname aan een training voor nieuwe medewerkers van het bestuur (via mijn_deelname), en deelnemers "
            "die je zelf toevoegde (added_by)."
        ),
        extra_filters={"mijn_deelname": lambda user: Q(membership__user=user)},
    ),
    P(
        "bestuurstraining_sessies",
        "training.BoardTrainingSession",
        ("trainers",),
        ("training_id", "training__title", "title", "date"),
        gettext_lazy("Sessies van een training voor nieuwe medewerkers die je als trainer gaf."),
    ),
    P(
        "bestuurstraining_aanwezigheid",
        "training.BoardAttendance",
        ("updated_by",),
        ("session_id", "session__title", "session__date", "status", "updated_at"),
        gettext_lazy(
            "Je aanwezigheid bij een training voor nieuwe medewerkers (via mijn_aanwezigheid), en aanwezigheid die "
            "je bijhield (updated_by)."
        ),
        extra_filters={"mijn_aanwezigheid": lambda user: Q(participant__membership__user=user)},
    ),
    P(
        "onderwerpen_werkmoment",
        "training.Topic",
        ("signups", "created_by"),
        ("session_id", "session__title", "title", "created_at"),
        gettext_lazy("Onderwerpen voor een werkmoment waarvoor je je opgaf (signups) of die je toevoegde."),
    ),
    P(
        "checklist_rondes",
        "leadership.ChecklistRound",
        ("created_by",),
        ("school_id", "school__name", "title", "created_at"),
        gettext_lazy("Rondes van de checklist voor leidinggevenden die je startte."),
    ),
    P(
        "checklist_eigen_uitspraken",
        "leadership.ExtraItem",
        ("created_by",),
        ("school_id", "text", "created_at", "retired_at"),
        gettext_lazy("Eigen uitspraken die je aan de checklist toevoegde."),
    ),
    P(
        "checklist_antwoorden",
        "leadership.Answer",
        ("user",),
        ("round_id", "round__title", "round__school_id", "item_key", "extra_item__text", "value", "updated_at"),
        gettext_lazy("Je eigen antwoorden (1-5) op de checklist voor leidinggevenden; alleen jij ziet ze."),
    ),
    P(
        "checklist_opslagen",
        "leadership.SaveMark",
        ("user",),
        ("round_id", "page", "seq"),
        gettext_lazy("Technisch: de laatste opslag van jouw checklist per ronde (welk open scherm, hoeveelste keer)."),
    ),
    P(
        "checklist_gesprek_bewerkt",
        "leadership.ConversationNote",
        ("updated_by",),
        ("round_id", "round__title", "question_code", "text", "updated_at"),
        gettext_lazy("Uitkomsten van het MT-gesprek die jij het laatst bewerkte."),
    ),
    P(
        "opbrengsten_vragenlijsten",
        "outcomes.Survey",
        ("created_by",),
        ("school_id", "school__name", "title", "kind", "school_year", "status", "created_at", "closed_at"),
        gettext_lazy("Vragenlijsten opbrengsten die je opende."),
    ),
    P(
        "opbrengsten_eigen_vragen",
        "outcomes.OwnItem",
        ("created_by",),
        ("school_id", "text", "group", "created_at", "retired_at"),
        gettext_lazy("Eigen vragen die je aan de vragenlijst opbrengsten toevoegde."),
    ),
    P(
        "opbrengsten_deelname",
        "outcomes.Respondent",
        (),  # no field points at the person: the row holds a keyed hash, recomputed here for every survey
        ("survey_id", "survey__title", "survey__school_id"),
        gettext_lazy(
            "Vragenlijsten opbrengsten die je invulde: alleen dát je meedeed. Je antwoorden zijn nergens aan jou "
            "gekoppeld, dus die staan hier niet."
        ),
        extra_filters={"sleutel": lambda user: _respondent_q(user)},
    ),
    P(
        "voorgesprekken",
        "intake.Conversation",
        ("participants", "created_by", "decided_by"),
        ("school_id", "school__name", "kind", "decision", "created_at", "decided_at"),
        gettext_lazy("Voorgesprekken waar je aan deelnam, die je maakte of waarin je het besluit vastlegde."),
    ),
    P(
        "voorgesprek_aantekeningen",
        "intake.Note",
        ("updated_by",),
        ("conversation_id", "question_code", "text", "updated_at"),
        gettext_lazy("Aantekeningen in voorgesprekken die jij schreef of het laatst bewerkte."),
    ),
    P(
        "voorgesprek_afspraken",
        "intake.Agreement",
        ("owner", "updated_by"),
        ("conversation_id", "what", "owner_text", "due_date", "support", "feedback", "updated_at"),
        gettext_lazy("Afspraken uit voorgesprekken waarvoor jij staat (owner) of die je bewerkte."),
    ),
    P(
        "toestemming_onderzoek",
        "research.ResearchConsent",
        ("given_by", "withdrawn_by"),
        ("school_id", "text_version", "given_at", "withdrawn_at"),
        gettext_lazy("Toestemming voor onderzoek die jij namens een school gaf (given_by) of introk (withdrawn_by)."),
    ),
    P(
        "emailvoorkeuren",
        "notifications.NotificationPreference",
        ("user",),
        ("kind", "enabled", "updated_at"),
        gettext_lazy("Soorten e-mail die je aan- of uitzette (de andere staan zoals ze standaard staan)."),
    ),
    P(
        "verstuurde_meldingen",
        "notifications.SentNotification",
        ("user",),
        ("kind", "object_key", "period_key", "created_at"),
        gettext_lazy("E-mails die Groeiwijzer TSO je vanzelf stuurde: welke soort, waarover en wanneer."),
    ),
    P(
        "logboek",
        "audit.AuditEvent",
        ("actor",),
        ("created_at", "action", "school_id", "board_id", "object_type", "object_id", "data"),
        gettext_lazy("Regels uit het logboek waarin jij iets deed (zonder e-mailadressen van anderen)."),
    ),
    P(
        "beheerlogboek",
        "admin.LogEntry",
        ("user",),
        ("action_time", "content_type__app_label", "content_type__model", "object_id", "object_repr", "action_flag"),
        gettext_lazy("Wat je als platformbeheerder in /beheer/ wijzigde."),
    ),
)


def _respondent_q(user) -> Q:
    """The questionnaires ``user`` filled in: their respondent key (outcomes.models.respondent_key) computed for
    every survey there is (one query for the ids; a person who left a school keeps their participation). Erasure
    deletes nothing here: the row holds no personal data, only a keyed hash that nobody without SECRET_KEY can tie to
    the tombstone, and it must stay so the survey's count stays whole."""
    from outcomes.models import Survey, respondent_keys

    keys = respondent_keys(Survey.objects.values_list("pk", flat=True), user.pk)
    return Q(survey_id__in=list(keys.values()), key__in=list(keys))


# Handled outside PARTS: the account itself, and your rounds with your own answers (nested per round).
ROUNDS_KEY = "rondes"

# Relations to the user model that are read outside PARTS (the test checks that every relation is here or there).
# Board.members: the rows of its through model BoardMember, exported as "besturen".
SPECIAL_RELATIONS = {("assessments.Participant", "user"), ("organisations.Board", "members")}


def covered_relations() -> set[tuple[str, str]]:
    """(model label, field name) of every relation to the user model that the export reads."""
    return {(p.model, f) for p in PARTS for f in p.user_fields} | SPECIAL_RELATIONS


# The readable page's heading of each key of the export (the key itself stays, as code, beside it).
SECTION_TITLES = {
    ROUNDS_KEY: gettext_lazy("Rondes van het Ontwikkelmodel"),
    "lidmaatschappen": gettext_lazy("Scholen en rollen"),
    "besturen": gettext_lazy("Schoolbesturen"),
    "uitnodigingen": gettext_lazy("Uitnodigingen"),
    "inlogcodes": gettext_lazy("Inlogcodes"),
    "agenda_abonnementen": gettext_lazy("Agenda-abonnementen"),
    "tweede_factor": gettext_lazy("Tweede inlogstap"),
    "tweede_factor_foute_codes": gettext_lazy("Foute codes bij de tweede inlogstap"),
    "api_sleutels": gettext_lazy("API-sleutels"),
    "schoolaccounts": gettext_lazy("Schoolaccounts"),
    "e_mailadressen_inlogmodule": gettext_lazy("E-mailadressen voor inloggen met een schoolaccount"),
    "rondes_georganiseerd": gettext_lazy("Rondes die je organiseerde"),
    "consensus_bewerkt": gettext_lazy("Afspraken uit consensusgesprekken"),
    "ontwikkeldoelen": gettext_lazy("Ontwikkeldoelen"),
    "actiepunten": gettext_lazy("Actiepunten"),
    "actiestappen": gettext_lazy("Stappen van actiepunten"),
    "actie_updates": gettext_lazy("Updates bij actiepunten"),
    "bijeenkomsten_werkgroep": gettext_lazy("Bijeenkomsten van de werkgroep"),
    "wijzigingen_actieplan": gettext_lazy("Wijzigingen in het actieplan"),
    "routes": gettext_lazy("Implementatieroutes"),
    "routestappen": gettext_lazy("Stappen van de route"),
    "trainingsplannen": gettext_lazy("Trainingsplannen"),
    "trainingsgroepen": gettext_lazy("Trainingsgroepen"),
    "trainingssessies": gettext_lazy("Trainingssessies"),
    "aanwezigheid": gettext_lazy("Aanwezigheid bij de teamtraining"),
    "bestuurstrainingen": gettext_lazy("Trainingen voor nieuwe medewerkers"),
    "bestuurstraining_deelname": gettext_lazy("Deelname aan een training voor nieuwe medewerkers"),
    "bestuurstraining_sessies": gettext_lazy("Sessies van een training voor nieuwe medewerkers"),
    "bestuurstraining_aanwezigheid": gettext_lazy("Aanwezigheid bij een training voor nieuwe medewerkers"),
    "onderwerpen_werkmoment": gettext_lazy("Onderwerpen voor een werkmoment"),
    "checklist_rondes": gettext_lazy("Rondes van de checklist voor leidinggevenden"),
    "checklist_eigen_uitspraken": gettext_lazy("Eigen uitspraken in de checklist"),
    "checklist_antwoorden": gettext_lazy("Je antwoorden op de checklist"),
    "checklist_opslagen": gettext_lazy("Opslagen van de checklist"),
    "checklist_gesprek_bewerkt": gettext_lazy("Uitkomsten van het MT-gesprek"),
    "opbrengsten_vragenlijsten": gettext_lazy("Vragenlijsten van Opbrengsten"),
    "opbrengsten_eigen_vragen": gettext_lazy("Eigen vragen in de vragenlijst"),
    "opbrengsten_deelname": gettext_lazy("Deelname aan de vragenlijst"),
    "voorgesprekken": gettext_lazy("Voorgesprekken"),
    "voorgesprek_aantekeningen": gettext_lazy("Aantekeningen bij voorgesprekken"),
    "voorgesprek_afspraken": gettext_lazy("Afspraken uit voorgesprekken"),
    "toestemming_onderzoek": gettext_lazy("Toestemming voor onderzoek"),
    "emailvoorkeuren": gettext_lazy("E-mailvoorkeuren"),
    "verstuurde_meldingen": gettext_lazy("Verstuurde e-mails"),
    "logboek": gettext_lazy("Logboek"),
    "beheerlogboek": gettext_lazy("Beheerlogboek"),
}


def key_descriptions() -> dict[str, str]:
    """The documented keys of the export (also shown on the readable page)."""
    keys = {
        "formaat": _("Naam en versie van dit bestandsformaat."),
        "gemaakt_op": _("Wanneer dit bestand is gemaakt (ISO 8601, UTC)."),
        "sleutels": _("Deze uitleg: wat elke sleutel bevat."),
        "account": _(
            "Je account: naam, werk-e-mailadres, rechten, taal (nl of en), wanneer aangemaakt en voor het laatst "
            "ingelogd."
        ),
        ROUNDS_KEY: _(
            "Rondes van het Ontwikkelmodel waar je aan meedeed, met alleen jouw eigen antwoorden (antwoorden: "
            "groeifase per accent, 0 = weet ik niet; sterke punten; ontwikkeldoel) en jouw prioriteiten."
        ),
    }
    for part in PARTS:
        keys[part.key] = str(part.description)
    keys["via"] = _(
        "Bij elke regel: via welk veld die regel naar jou wijst (bijvoorbeeld owner = jij bent verantwoordelijk)."
    )
    return keys


# Export -----------------------------------------------------------------------------------------------------


def _model(label: str):
    return apps.get_model(label)


def _clean_audit_row(row: dict) -> dict:
    data = row.get("data")
    if isinstance(data, dict):
        row["data"] = {k: v for k, v in data.items() if k not in OTHER_PEOPLE_KEYS}
    return row


def _read_part(part: Part, user) -> list[dict]:
    """One query per pointing field: rows merged by id, each saying through which fields it points at you."""
    model = _model(part.model)
    manager = model._base_manager  # everything held, also what is in the trash
    filters = [(name, Q(**{name: user})) for name in part.user_fields]
    filters += [(label, make_q(user)) for label, make_q in part.extra_filters.items()]
    rows: dict[int, dict] = {}
    for label, q in filters:
        for row in manager.filter(q).values("id", *part.columns).order_by("id"):
            merged = rows.setdefault(row["id"], {**row, "via": []})
            merged["via"].append(label)
    result = [rows[pk] for pk in sorted(rows)]
    if part.model == "audit.AuditEvent":
        result = [_clean_audit_row(r) for r in result]
    return result


def _read_rounds(user) -> list[dict]:
    """Rounds you took part in, each with your own answers and priorities only (three queries in all)."""
    from assessments.models import Answer, Participant, Priority

    participants = list(
        Participant.objects.filter(user=user)
        .values(
            "id",
            "round_id",
            "round__title",
            "round__school_id",
            "round__school__name",
            "round__anonymous",
            "round__status",
            "submitted_at",
            "updated_at",
        )
        .order_by("round__created_at", "id")
    )
    answers: dict[Any, list[dict]] = defaultdict(list)
    for a in (
        Answer.objects.filter(participant__user=user)
        .values("participant_id", "accent_code", "phase", "strengths", "goal", "updated_at")
        .order_by("accent_code")
    ):
        row = dict(a)
        answers[row.pop("participant_id")].append(row)
    priorities: dict[Any, list[dict]] = defaultdict(list)
    for p in Priority.objects.filter(participant__user=user).values("participant_id", "rank", "accent_code"):
        row = dict(p)
        priorities[row.pop("participant_id")].append(row)
    return [
        {
            "round_id": p["round_id"],
            "titel": p["round__title"],
            "school_id": p["round__school_id"],
            "school": p["round__school__name"],
            "anoniem": p["round__anonymous"],
            "status": p["round__status"],
            "ingediend_op": p["submitted_at"],
            "antwoorden": answers.get(p["id"], []),
            "prioriteiten": sorted(priorities.get(p["id"], []), key=lambda x: x["rank"]),
        }
        for p in participants
    ]


def collect_my_data(user) -> dict:
    """Everything the product holds about ``user``, as plain JSON-ready values. A fixed number of queries."""
    data: dict[str, Any] = {
        "formaat": {"naam": FORMAT, "versie": FORMAT_VERSION},
        "gemaakt_op": timezone.now(),
        "sleutels": key_descriptions(),
        "account": {
            "id": user.pk,
            "naam": user.name,
            "email": user.email,
            "actief": user.is_active,
            "platformbeheerder": user.is_staff,
            "heeft_wachtwoord": user.has_usable_password(),
            "taal": user.language,
            "aangemaakt_op": user.date_joined,
            "laatst_ingelogd": user.last_login,
        },
        ROUNDS_KEY: _read_rounds(user),
    }
    for part in PARTS:
        data[part.key] = _read_part(part, user)
    return data


def my_data_json(user) -> str:
    return json.dumps(collect_my_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


@transaction.atomic
def do_record_export(*, user, kind: str, acting_user) -> None:
    """The audit row of a download of one's own data (which format, not the content)."""
    record(action="account.data_exported", acting_user=acting_user, target=user, data={"format": kind})


# Erasure ------------------------------------------------------------------------------------------------------


def is_erased(user) -> bool:
    return user.email.startswith(ERASED_EMAIL_PREFIX) and "@" not in user.email


def last_schoolleiding_schools(user) -> list:
    """Schools where ``user`` is the only schoolleiding: they would be left without anyone who manages the
    team (a platform admin can invite a new one). Erasure is still allowed (it is the person's right), with a
    warning on the confirmation page and in the audit row."""
    from organisations.models import Membership, School

    mine = set(Membership.objects.filter(user=user, is_schoolleiding=True).values_list("school_id", flat=True))
    other_leaders = Membership.objects.filter(school_id__in=mine, is_schoolleiding=True).exclude(user=user)
    alone = mine - set(other_leaders.values_list("school_id", flat=True))
    return list(School.objects.filter(pk__in=alone).order_by("name"))


def _delete_sessions_of(user) -> int:
    """Every stored session of the user (database sessions); other engines end through the auth hash."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    if not issubclass(import_module(settings.SESSION_ENGINE).SessionStore, SessionStore):
        return 0
    from django.contrib.sessions.models import Session

    pk = str(user.pk)
    doomed = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(s.get_decoded().get("_auth_user_id")) == pk
    ]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


@transaction.atomic
def do_erase_user(*, user, acting_user, reason: str = "self") -> None:
    """Remove the person's data, keep the school's results: see the module docstring.

    ``reason``: "self" (the person asked), "school_deleted" (their only school left the product) or "beheer" (a
    platform admin, in /beheer/).
    """
    from assessments.models import Participant
    from leadership.models import Answer as LeadershipAnswer
    from leadership.models import SaveMark
    from organisations.models import Invitation

    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_erased(user):
        return
    school_ids = list(user.memberships.values_list("school_id", flat=True).order_by("school_id"))
    warned = [s.pk for s in last_schoolleiding_schools(user)]
    old_email = user.email

    # Rows that only the person had: gone.
    user.memberships.all().delete()
    user.boards.clear()
    user.login_codes.all().delete()
    user.calendar_feeds.all().delete()  # the subscription URLs stop working
    LeadershipAnswer.objects.filter(user=user).delete()
    SaveMark.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=old_email).delete()  # the address itself is personal data
    # The second factor (accounts/twofactor.py): the authenticator app and the recovery codes, and the count of wrong
    # codes.
    apps.get_model("mfa.Authenticator").objects.filter(user=user).delete()
    apps.get_model("accounts.SecondFactorThrottle").objects.filter(user=user).delete()
    # Linked school accounts (single sign-on, accounts/sso.py): the link and the provider's identifier go.
    apps.get_model("socialaccount.SocialAccount").objects.filter(user=user).delete()
    apps.get_model("account.EmailAddress").objects.filter(user=user).delete()
    # outcomes.Respondent: nothing to delete. It holds no user, only a keyed hash (outcomes/models.py), and it keeps
    # the survey's count whole and the person from answering twice.
    # Drafts never counted: every participation not submitted goes, in open and closed rounds alike.
    Participant.objects.filter(user=user, submitted_at__isnull=True).delete()
    # The person's choice of mails and the record of what was sent to them.
    apps.get_model("notifications.NotificationPreference").objects.filter(user=user).delete()
    apps.get_model("notifications.SentNotification").objects.filter(user=user).delete()
    # Mail to the old address that has not gone out yet is not sent any more.
    _cancel_unsent_mail_to(old_email)
    # Training groups are future planning of a team the person left.
    for relation in _planning_m2m():
        relation.remote_field.through._default_manager.filter(**{relation.m2m_reverse_field_name(): user}).delete()

    # The tombstone: every foreign key to it stays valid, nothing in it says who it was.
    user.name = _("oud-teamlid")
    user.email = f"{ERASED_EMAIL_PREFIX}{user.pk}"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    _delete_sessions_of(user)
    # The admin's own history of changes to this account showed its name or address.
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).update(
        object_repr=user.name
    )

    data = {"reason": reason, "schools": school_ids, "last_schoolleiding_of": warned}
    if school_ids:
        from actionplans.export_files import forget_plan_files
        from assessments.export_files import forget_round_files
        from organisations.models import School

        for school in School.objects.filter(pk__in=school_ids).order_by("pk"):
            # Reports the worker made may carry the old name (a named round, an action's owner): they go now, not
            # at the daily purge; the next download makes them anew with the tombstone.
            forget_round_files(school)
            forget_plan_files(school)
            record(action="account.erased", acting_user=acting_user, school=school, target=user, data=data)
    else:
        record(action="account.erased", acting_user=acting_user, target=user, data=data)


def _cancel_unsent_mail_to(address: str) -> int:
    """Delete the queued mail tasks (core.mail.send_message, status READY: waiting or waiting for a retry) that
    would go to ``address``; returns how many. A message the worker has already picked up (RUNNING) still goes out."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from core.mail import send_message

    address = address.strip().lower()
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=send_message.module_path)
    doomed = []
    for pk, args_kwargs in waiting.values_list("pk", "args_kwargs").iterator():
        to = (args_kwargs or {}).get("kwargs", {}).get("to") or []
        if isinstance(to, str):
            to = [to]
        if any(str(a).strip().lower() == address for a in to):
            doomed.append(pk)
    if not doomed:
        return 0
    deleted, _per_model = DBTaskResult.objects.filter(pk__in=doomed, status=TaskResultStatus.READY).delete()
    return deleted


def _planning_m2m() -> list:
    """The many-to-many fields erasure empties for the person: training groups (members, trainers)."""
    from training.models import TrainingGroup

    return [TrainingGroup._meta.get_field("members"), TrainingGroup._meta.get_field("trainers")]


def do_erase_me(*, user, acting_user) -> None:
    """The person's own request (the view checked the typed address)."""
    do_erase_user(user=user, acting_user=acting_user, reason="self")


# The readable page ----------------------------------------------------------------------------------------------


def _readable(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if hasattr(value, "isoformat"):
        from django.utils.formats import localize

        return str(localize(timezone.localtime(value) if hasattr(value, "tzinfo") and value.tzinfo else value))
    if isinstance(value, list | dict):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return str(value)


def readable_sections(data: dict) -> list[dict]:
    """The export as tables for the printable page: per key its description, column names and rows of text."""
    keys = data["sleutels"]
    sections = []
    rounds = data[ROUNDS_KEY]
    sections.append(
        {
            "key": ROUNDS_KEY,
            "title": SECTION_TITLES[ROUNDS_KEY],
            "description": keys[ROUNDS_KEY],
            "rounds": [
                {
                    **{k: _readable(v) for k, v in r.items() if k not in ("antwoorden", "prioriteiten")},
                    "answers": [
                        [_readable(a[c]) for c in ("accent_code", "phase", "strengths", "goal")]
                        for a in r["antwoorden"]
                    ],
                    "priorities": [[_readable(p["rank"]), p["accent_code"]] for p in r["prioriteiten"]],
                }
                for r in rounds
            ],
        }
    )
    for key in [p.key for p in PARTS]:
        rows = data[key]
        columns = list(rows[0]) if rows else []
        sections.append(
            {
                "key": key,
                "title": SECTION_TITLES[key],
                "description": keys[key],
                "columns": columns,
                "rows": [[_readable(row[c]) for c in columns] for row in rows],
            }
        )
    return sections
