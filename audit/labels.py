"""What each audit action means, in plain Dutch, for the log pages and the admin.

One entry per action code written with ``audit.models.record``. A code that is not (yet) here is shown as the code
itself: the log never hides a row because its label is missing. ``details`` adds only what is safe to show to the
school: the file of a download, the names of changed fields (never their values, never answers or addresses).
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # Accounts and logging in
    "account.name_changed": _("Naam gewijzigd"),
    "account.language_changed": _("Taal gewijzigd"),
    "account.password_set": _("Wachtwoord ingesteld"),
    "account.logged_in": _("Ingelogd"),
    "account.login_failed": _("Inloggen mislukt"),
    "account.logged_out": _("Uitgelogd"),
    "account.twofactor_enabled": _("Tweede stap bij het inloggen aangezet"),
    "account.twofactor_disabled": _("Tweede stap bij het inloggen uitgezet"),
    "account.twofactor_removed": _("Tweede stap bij het inloggen verwijderd door een platformbeheerder"),
    "account.recovery_code_used": _("Inloggen met een herstelcode"),
    "account.recovery_codes_renewed": _("Nieuwe herstelcodes gemaakt"),
    "account.data_exported": _("Eigen gegevens gedownload"),
    "account.erased": _("Account gewist"),
    "account.notifications_changed": _("Keuze van e-mails gewijzigd"),
    "account.calendar_feed_created": _("Agenda-abonnement gemaakt"),
    "account.calendar_feed_revoked": _("Agenda-abonnement ingetrokken"),
    # Single sign-on with a school account (accounts/sso.py)
    "account.sso_linked": _("Schoolaccount gekoppeld"),
    "account.sso_unlinked": _("Schoolaccount ontkoppeld"),
    "account.sso_pending": _("Schoolaccount wacht op koppeling"),
    "account.sso_refused": _("Inloggen met schoolaccount geweigerd"),
    "account.login_refused": _("Inloggen geweigerd: de school vraagt om het schoolaccount"),
    # The read API for boards (api/)
    "api_token.created": _("API-sleutel gemaakt"),
    "api_token.revoked": _("API-sleutel ingetrokken"),
    "api.called": _("Gegevens opgevraagd via de API"),
    # School and team
    "invitation.created": _("Uitnodiging verstuurd"),
    "invitation.accepted": _("Uitnodiging aangenomen"),
    "invitation.revoked": _("Uitnodiging ingetrokken"),
    "invitation.resent": _("Uitnodiging opnieuw verstuurd"),
    "membership.roles_added": _("Rollen toegevoegd"),
    "membership.roles_changed": _("Rollen gewijzigd"),
    "membership.removed": _("Teamlid verwijderd"),
    "school.pupil_count_set": _("Aantal leerlingen ingesteld"),
    "school.exported": _("Alle gegevens van de school gedownload"),
    "school.deleted": _("School verwijderd"),
    "school.created": _("School toegevoegd door het bestuur"),
    "school.updated": _("Gegevens van de school gewijzigd door het bestuur"),
    "school.sso_changed": _("Manier van inloggen voor het team gewijzigd"),
    "board.sso_changed": _("Manier van inloggen voor de scholen van het bestuur gewijzigd"),
    "school.schoolleiding_invited": _("Schoolleiding uitgenodigd door het bestuur"),
    # Rounds of the Ontwikkelmodel
    "round.created": _("Ronde geopend"),
    "round.updated": _("Ronde gewijzigd"),
    "round.anonymity_changed": _("Anonimiteit van een ronde gewijzigd"),
    "round.consensus_viewed": _("Consensusgesprek van een ronde bekeken"),
    "round.presentation_viewed": _("Presentatie van een ronde bekeken"),
    "round.exported": _("Ronde gedownload"),
    "round.reminders_sent": _("Herinneringen verstuurd"),
    "round.consensus_started": _("Consensusfase gestart"),
    "round.filling_reopened": _("Invullen heropend"),
    "round.closed": _("Ronde afgesloten"),
    "round.reopened": _("Afgesloten ronde heropend"),
    "round.deleted": _("Ronde verwijderd"),
    "participant.submitted": _("Zelfbeoordeling ingediend"),
    "participant.withdrawn": _("Zelfbeoordeling ingetrokken"),
    "consensus.saved": _("Consensus vastgelegd"),
    # Action plan
    "goal.created": _("Doel toegevoegd"),
    "goal.updated": _("Doel gewijzigd"),
    "goal.deleted": _("Doel verwijderd"),
    "goal.restored": _("Doel teruggezet"),
    "goal.carried_over": _("Doel meegenomen naar een nieuwe ronde"),
    "action.created": _("Actiepunt toegevoegd"),
    "action.updated": _("Actiepunt gewijzigd"),
    "action.deleted": _("Actiepunt verwijderd"),
    "action.restored": _("Actiepunt teruggezet"),
    "action.status": _("Status van een actiepunt gewijzigd"),
    "action.step": _("Stap van een actiepunt afgevinkt of heropend"),
    "action.update_added": _("Update bij een actiepunt geschreven"),
    "meeting.created": _("Bijeenkomst werkgroep gepland"),
    "meeting.updated": _("Bijeenkomst werkgroep gewijzigd"),
    "meeting.minutes_saved": _("Notulen opgeslagen"),
    "meeting.deleted": _("Bijeenkomst werkgroep verwijderd"),
    "meeting.restored": _("Bijeenkomst werkgroep teruggezet"),
    # Route
    "trajectory.started": _("Traject gestart"),
    "trajectory.dates_from_training": _("Data van de route overgenomen uit het trainingsplan"),
    "trajectory.start_moved": _("Startdatum van het traject verschoven"),
    "trajectory.step_updated": _("Stap van het traject bijgewerkt"),
    # Team training
    "training.plan.create": _("Trainingsplan gemaakt"),
    "training.session.create": _("Trainingsbijeenkomst gepland"),
    "training.session.update": _("Trainingsbijeenkomst gewijzigd"),
    "training.session.delete": _("Trainingsbijeenkomst verwijderd"),
    "training.group.create": _("Trainingsgroep gemaakt"),
    "training.group.update": _("Trainingsgroep gewijzigd"),
    "training.group.delete": _("Trainingsgroep verwijderd"),
    "training.attendance.save": _("Aanwezigheid bijgehouden"),
    "training.reflection.send": _("Reflectievragen verstuurd"),
    "training.topic.create": _("Onderwerp voor een werkmoment toegevoegd"),
    "training.topic.signup": _("Ingetekend op een onderwerp"),
    "training.topic.signoff": _("Uitgeschreven voor een onderwerp"),
    # Training for new staff across the board's schools (issue 14)
    "training.board.create": _("Training nieuwe medewerkers gepland door het bestuur"),
    "training.board.update": _("Training nieuwe medewerkers gewijzigd"),
    "training.board.group_create": _("Groep voor de training nieuwe medewerkers gemaakt"),
    "training.board.group_update": _("Groep voor de training nieuwe medewerkers gewijzigd"),
    "training.board.session_create": _("Sessie van de training nieuwe medewerkers gepland"),
    "training.board.session_update": _("Sessie van de training nieuwe medewerkers gewijzigd"),
    "training.board.session_delete": _("Sessie van de training nieuwe medewerkers verwijderd"),
    "training.board.attendance_save": _("Aanwezigheid bij de training nieuwe medewerkers bijgehouden"),
    # Leadership checklist
    "leadership.round_started": _("Ronde checklist leidinggevenden gestart"),
    "leadership.answers_saved": _("Eigen antwoorden checklist opgeslagen"),
    "leadership.item_added": _("Eigen uitspraak toegevoegd"),
    "leadership.item_updated": _("Eigen uitspraak gewijzigd"),
    "leadership.item_retired": _("Eigen uitspraak ingetrokken"),
    "leadership.item_restored": _("Eigen uitspraak teruggezet"),
    "leadership.note_saved": _("Gespreksverslag MT opgeslagen"),
    # Opbrengsten (the yearly team questionnaire: never answers, never who took part; no row per submission)
    "survey.opened": _("Vragenlijst opbrengsten geopend"),
    "survey.closed": _("Vragenlijst opbrengsten gesloten"),
    "survey.item_added": _("Eigen vraag opbrengsten toegevoegd"),
    "survey.item_retired": _("Eigen vraag opbrengsten ingetrokken"),
    # Across schools: benchmark and research (research app)
    "research.benchmark_on": _("Vergelijken met andere scholen aangezet"),
    "research.benchmark_off": _("Vergelijken met andere scholen uitgezet"),
    "research.consent_given": _("Toestemming voor onderzoek gegeven"),
    "research.consent_withdrawn": _("Toestemming voor onderzoek ingetrokken"),
    "research.exported": _("Gegevens van de school opgenomen in een onderzoeksbestand"),
    # Voorgesprekken
    "intake.conversation_created": _("Voorgesprek vastgelegd"),
    "intake.conversation_changed": _("Voorgesprek gewijzigd"),
    "intake.note_saved": _("Aantekeningen voorgesprek opgeslagen"),
    "intake.decision_changed": _("Besluit voorgesprek vastgelegd"),
    "intake.agreement_added": _("Afspraak toegevoegd"),
    "intake.agreement_changed": _("Afspraak gewijzigd"),
    "intake.agreement_deleted": _("Afspraak verwijderd"),
    # Exports and downloads
    "export.plan": _("Actieplan gedownload"),
    "export.route": _("Traject gedownload"),
    "export.trainer_sessions": _("Trainingssessies van alle scholen gedownload (agenda)"),
    "export.conversation": _("Voorgesprek gedownload"),
    "export.outcomes": _("Resultaten opbrengsten gedownload"),
    "export.research": _("Onderzoeksbestand gedownload"),
    # Platform beheer (/beheer/)
    "admin.added": _("Toegevoegd in het beheer"),
    "admin.changed": _("Gewijzigd in het beheer"),
    "admin.deleted": _("Verwijderd in het beheer"),
}

FORMAT_LABELS = {
    "docx": _("Word"),
    "xlsx": _("Excel"),
    "pdf": _("PDF"),
    "ics": _("agenda (.ics)"),
    "json": _("JSON"),
    "zip": _("zip"),
    "csv": _("CSV"),
    "word": _("Word"),
    "excel": _("Excel"),
}


def action_label(action: str) -> str:
    """The Dutch label of an action code, or the code itself when there is none."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def details(event) -> str:
    """A short, safe addition to the label: the file of a download, the fields changed in the admin."""
    data = event.data if isinstance(event.data, dict) else {}
    parts = []
    if event.action.startswith("export.") or "file" in data:
        fmt = str(data.get("format", ""))
        file = data.get("file")
        if fmt:
            parts.append(str(FORMAT_LABELS.get(fmt, fmt)))
        if isinstance(file, str):
            parts.append(str(FORMAT_LABELS.get(file, file)))
    if event.action.startswith("admin."):
        model = _model(data.get("model"))
        if model is not None:
            parts.append(str(model._meta.verbose_name))
        elif isinstance(data.get("model"), str):
            parts.append(data["model"])
        fields = data.get("fields")
        if isinstance(fields, list) and fields:
            names = ", ".join(_field_label(model, str(f)) for f in fields)
            parts.append(gettext("velden: %(fields)s") % {"fields": names})
    if event.action == "school.updated" and isinstance(data.get("fields"), list) and data["fields"]:
        school_model = apps.get_model("organisations.School")
        names = ", ".join(_field_label(school_model, str(f)) for f in data["fields"])
        parts.append(gettext("velden: %(fields)s") % {"fields": names})
    return " · ".join(parts)


def _model(label):
    if not isinstance(label, str):
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field_label(model, name: str) -> str:
    """A model field's Dutch name where there is one (no query), else the name as the form had it."""
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return name
