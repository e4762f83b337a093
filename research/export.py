"""The research data set: the consenting schools, pseudonymised, as a ZIP of CSV files with a codebook.

What is in it (issue 13, part 4), and what never is:

- ``scholen.csv``: per school a stable pseudonym, its onderwijstype and a size band, generalised (below) so that
  every combination of the two is shared by at least ``K_ANONYMITY`` (5) schools.
- ``rondes.csv``: per closed round of the Ontwikkelmodel (numbered per school, oldest first, dated by school year
  only) the phase agreed per accent, with the upper end of a range ("fase 2-3": 2 and 3) and its midpoint.
- ``opbrengsten.csv``: per closed questionnaire (school year and kind) the aggregates per aspect exactly as
  outcomes.results computes them (``shown``: closed and at least the survey's minimum of respondents;
  ``aspect_rows``: means, knowledge shares). Below the minimum the questionnaire is absent. The school's own
  questions are left out (their wording is the school's own text). The number of respondents only as a band.
- ``route.csv``: per phase of the implementation route the school year its first step begins and its last step is
  due, and the school year of the planned start of the team training. School years, not months: a school's planned
  months (when its training starts, when each phase begins and ends) are nearly its own and would single it out
  beside the onderwijstype and size; a school year is shared by every school that started in it.
- ``codebook.md``: every file and column, the generalisation used, the consent text versions.

Never: names (school, board, people), e-mail addresses, ids of the database, round titles, individual answers,
any text someone wrote (strengths, next steps, differences, notes), exact dates or months (dates only as school
year, 1 August to 31 July).

The pseudonym is an HMAC-SHA256 of the school's id under ``RESEARCH_PSEUDONYM_KEY`` (an environment setting; when
empty, a key derived from SECRET_KEY for this purpose only): the same school gets the same pseudonym in every
export, and without the key it cannot be traced back (nor tried id by id).

Generalisation (global recoding, the same level for every school): exact onderwijstype and fine size band; then
coarse size bands; then onderwijstype grouped (speciaal / regulier); then the size left out; then the onderwijstype
left out. The first level at which every combination holds at least 5 schools is used. Fewer than 5 consenting
schools: no export at all.

A fixed number of queries, whatever the number of schools.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from assessments.models import ConsensusItem, RoundStatus
from ontwikkelmodel.content import load_file
from organisations.models import EducationType, School
from outcomes import results as outcome_results
from outcomes.models import Survey, SurveyStatus
from outcomes.services import school_year_of
from trajectory.content import load_route
from trajectory.models import Step

from .benchmark import midpoint
from .models import ResearchConsent

K_ANONYMITY = 5
FORMAT = "groeiwijzer-tso/onderzoek"
FORMAT_VERSION = 2  # 2: route.csv by school year (was: by month)
SUPPRESSED = "*"

# Size bands by the number of accounts (memberships) of the school in Groeiwijzer: (upper bound, label).
FINE_BANDS = ((15, "1-15"), (30, "16-30"), (60, "31-60"), (None, "61+"))
COARSE_BANDS = ((30, "1-30"), (None, "31+"))
TYPE_GROUPS: dict[str, str] = {
    EducationType.SBO: "speciaal",
    EducationType.SO: "speciaal",
    EducationType.VSO: "speciaal",
    EducationType.REGULIER_BO: "regulier",
    EducationType.VO: "regulier",
    EducationType.MBO: "regulier",
    EducationType.NIEUWKOMERS: "regulier",
}
# (onderwijstype level, size level): 0 exact / fine, 1 grouped / coarse, 2 left out. Tried in this order.
LEVELS = ((0, 0), (0, 1), (1, 1), (1, 2), (2, 2))
LEVEL_NAMES = {
    (0, 0): "onderwijstype exact, grootte in 4 klassen",
    (0, 1): "onderwijstype exact, grootte in 2 klassen",
    (1, 1): "onderwijstype gegroepeerd (speciaal/regulier), grootte in 2 klassen",
    (1, 2): "onderwijstype gegroepeerd (speciaal/regulier), grootte weggelaten",
    (2, 2): "onderwijstype en grootte weggelaten",
}
RESPONDENT_BANDS = ((9, "5-9"), (19, "10-19"), (49, "20-49"), (None, "50+"))


def pseudonym_key() -> bytes:
    key = getattr(settings, "RESEARCH_PSEUDONYM_KEY", "")
    if key:
        return key.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"groeiwijzer-tso research pseudonym v1", hashlib.sha256).digest()


def pseudonym(school_id: int) -> str:
    """Stable across exports, not reversible without the key."""
    digest = hmac.new(pseudonym_key(), f"school:{school_id}".encode(), hashlib.sha256).hexdigest()
    return f"S-{digest[:16]}"


def band(value: int, bands) -> str:
    for upper, label in bands:
        if upper is None or value <= upper:
            return label
    raise AssertionError("the last band is open")


def generalised(education_type: str, members: int, level: tuple[int, int]) -> tuple[str, str]:
    type_level, size_level = level
    kind = (education_type, TYPE_GROUPS.get(education_type, SUPPRESSED), SUPPRESSED)[type_level]
    size = (band(members, FINE_BANDS), band(members, COARSE_BANDS), SUPPRESSED)[size_level]
    return kind, size


def choose_level(schools: list[tuple[str, int]]) -> tuple[int, int] | None:
    """The first level of LEVELS at which every (onderwijstype, size) combination holds at least K_ANONYMITY
    schools; None when even leaving both out does not (fewer than K_ANONYMITY schools)."""
    for level in LEVELS:
        counts = Counter(generalised(t, m, level) for t, m in schools)
        if counts and min(counts.values()) >= K_ANONYMITY:
            return level
    return None


@dataclass
class Dataset:
    level: tuple[int, int] | None
    school_ids: list[int] = field(default_factory=list)  # in the data set (none when level is None)
    consenting: int = 0  # schools with consent in force
    files: dict[str, list[list]] = field(default_factory=dict)  # CSV name → rows (header first)
    versions: list[str] = field(default_factory=list)  # consent text versions of the schools in it

    @property
    def possible(self) -> bool:
        return self.level is not None


def consenting_schools() -> list[dict]:
    """pk, education_type, members and the consent's text version of every school with consent in force. One
    query."""
    active = ResearchConsent.objects.filter(withdrawn_at__isnull=True)
    versions = dict(active.values_list("school_id", "text_version"))
    schools = (
        School.objects.filter(pk__in=active.values("school_id"))
        .annotate(members=Count("memberships"))
        .values_list("pk", "education_type", "members")
    )
    return [
        {"pk": pk, "education_type": kind, "members": members, "version": versions.get(pk, "")}
        for pk, kind, members in schools
    ]


def build_dataset() -> Dataset:
    schools = consenting_schools()
    level = choose_level([(s["education_type"], s["members"]) for s in schools])
    dataset = Dataset(level=level, consenting=len(schools))
    if level is None:
        return dataset
    names = {s["pk"]: pseudonym(s["pk"]) for s in schools}
    ids = sorted(names, key=names.__getitem__)  # ordered by pseudonym: the order tells nothing
    dataset.school_ids = ids
    dataset.versions = sorted({s["version"] for s in schools})
    by_id = {s["pk"]: s for s in schools}
    dataset.files["scholen.csv"] = [
        ["school", "onderwijstype", "grootte"],
        *([names[i], *generalised(by_id[i]["education_type"], by_id[i]["members"], level)] for i in ids),
    ]
    dataset.files["rondes.csv"] = _round_rows(ids, names)
    dataset.files["opbrengsten.csv"] = _outcome_rows(ids, names)
    dataset.files["route.csv"] = _route_rows(ids, names)
    return dataset


def _round_rows(ids: list[int], names: dict[int, str]) -> list[list]:
    layer_of = {a.code: layer.code for layer in load_file().layers for a in layer.accents}
    items = ConsensusItem.objects.filter(
        round__school__in=ids, round__status=RoundStatus.CLOSED, phase__isnull=False
    ).values_list(
        "round__school_id",
        "round_id",
        "round__meeting_date",
        "round__closed_at",
        "round__created_at",
        "accent_code",
        "phase",
        "phase_to",
    )
    rounds: dict[int, dict[tuple, list]] = defaultdict(lambda: defaultdict(list))
    for school_id, round_id, meeting_date, closed_at, created_at, code, phase, phase_to in items:
        when = meeting_date or timezone.localdate(closed_at or created_at)
        rounds[school_id][(when, round_id)].append((code, phase, phase_to))
    rows: list[list] = [["school", "ronde", "schooljaar", "laag", "accent", "fase", "fase_tot", "fase_midden"]]
    for school_id in ids:
        for number, key in enumerate(sorted(rounds.get(school_id, {})), start=1):
            for code, phase, phase_to in sorted(rounds[school_id][key]):
                rows.append(
                    [
                        names[school_id],
                        number,
                        school_year_of(key[0]),
                        layer_of.get(code, ""),
                        code,
                        phase,
                        phase_to or "",
                        midpoint(phase, phase_to),
                    ]
                )
    return rows


def _outcome_rows(ids: list[int], names: dict[int, str]) -> list[list]:
    surveys = defaultdict(list)
    for survey in Survey.objects.filter(school__in=ids, status=SurveyStatus.CLOSED).prefetch_related("tallies"):
        surveys[survey.school_id].append(survey)
    rows: list[list] = [
        ["school", "schooljaar", "soort", "deelnemers", "onderdeel", "aspect"]
        + ["gemiddelde", "ken_ik_pct", "pas_ik_toe_pct"]
    ]
    for school_id in ids:
        ordered = outcome_results.in_time_order(surveys.get(school_id, []))
        figures_of = {s.pk: outcome_results.shown(s, s.tallies.all()) for s in ordered}
        shown = [s for s in ordered if figures_of[s.pk] is not None]  # below the minimum: absent altogether
        if not shown:
            continue
        for group in outcome_results.aspect_rows(shown, figures_of):
            for aspect in group["aspects"]:
                if aspect["own"]:  # the school's own wording: free text, left out
                    continue
                for cell in aspect["cells"]:
                    if not cell["asked"] or not cell["shown"]:
                        continue
                    survey = cell["survey"]
                    figures = figures_of[survey.pk]
                    n = band(figures.n, RESPONDENT_BANDS) if figures is not None else ""
                    knowledge = group["kind"] == "knowledge"
                    values = (
                        ["", _cell(cell["knows"]), _cell(cell["applies"])]
                        if knowledge
                        else [_cell(cell["mean"]), "", ""]
                    )
                    if all(v == "" for v in values):
                        continue
                    rows.append(
                        [names[school_id], survey.school_year, survey.kind, n, group["code"], aspect["code"], *values]
                    )
    return rows


def _cell(value) -> str | float | int:
    return "" if value is None else value


def _route_rows(ids: list[int], names: dict[int, str]) -> list[list]:
    route = load_route()
    phases: dict[int, dict[str, list]] = defaultdict(dict)
    training: dict[int, str] = {}
    steps = Step.objects.filter(trajectory__school__in=ids).values_list(
        "trajectory__school_id", "trajectory__training_start", "code", "start_date", "due_date"
    )
    for school_id, training_start, code, start, due in steps:
        training[school_id] = school_year_of(training_start)
        content = route.step(code)
        if content is None:
            continue
        span = phases[school_id].setdefault(content.phase, [start, due])
        span[0], span[1] = min(span[0], start), max(span[1], due)
    rows: list[list] = [["school", "schooljaar_start_teamtraining", "fase", "fase_nummer", "begin", "eind"]]
    for school_id in ids:
        for phase in route.phases:
            found = phases.get(school_id, {}).get(phase.code)
            if found is None:
                continue
            begin, end = school_year_of(found[0]), school_year_of(found[1])
            rows.append([names[school_id], training[school_id], phase.code, phase.number, begin, end])
    return rows


def csv_text(rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)
    return out.getvalue()


def codebook(dataset: Dataset) -> str:
    level = LEVEL_NAMES[dataset.level] if dataset.level else ""
    fine = ", ".join(label for _u, label in FINE_BANDS)
    coarse = ", ".join(label for _u, label in COARSE_BANDS)
    groups = ", ".join(f"{code} → {group}" for code, group in TYPE_GROUPS.items())
    types = ", ".join(f"{c.value} ({c.label})" for c in EducationType)
    respondents = ", ".join(label for _u, label in RESPONDENT_BANDS)
    return f"""# Codeboek onderzoeksbestand Groeiwijzer TSO

Formaat: {FORMAT}, versie {FORMAT_VERSION}. Gemaakt op {timezone.now():%Y-%m-%d}.
Scholen in dit bestand: alleen scholen waarvan de schoolleiding toestemming gaf en die toestemming niet introk
(versies van de toestemmingstekst: {", ".join(dataset.versions)}).

Geen namen (school, bestuur, personen), geen e-mailadressen, geen database-id's, geen titels van rondes, geen
afzonderlijke antwoorden en geen tekst die iemand schreef. Datums alleen als schooljaar (1 augustus tot 31 juli),
nergens een datum of maand.

## school (in elk bestand)

Een vaste code per school: HMAC-SHA256 van het id van de school met een geheime sleutel van het platform, de
eerste 16 tekens. Dezelfde school heeft in elke export dezelfde code; zonder de sleutel is de code niet naar de
school terug te leiden. De volgorde van de regels volgt de code, niet de school.

## scholen.csv

- `onderwijstype`: {types}; of gegroepeerd: {groups}; `{SUPPRESSED}` = weggelaten.
- `grootte`: het aantal accounts van de school in Groeiwijzer (niet het aantal leerlingen of medewerkers), in
  klassen: {fine}; of grover: {coarse}; `{SUPPRESSED}` = weggelaten.

Generalisatie in dit bestand: **{level}**. Elke combinatie van onderwijstype en grootte komt bij minstens
{K_ANONYMITY} scholen voor. Volgorde van grover maken: grootteklassen samenvoegen, onderwijstype groeperen,
grootte weglaten, onderwijstype weglaten; de eerste stap waarbij elke combinatie minstens {K_ANONYMITY} scholen
telt, geldt voor het hele bestand.

## rondes.csv

Per afgesloten ronde van het Ontwikkelmodel TSO en per accent de groeifase die het team samen vaststelde in het
consensusgesprek (accenten zonder vastgestelde fase ontbreken).

- `ronde`: volgnummer binnen de school (1 = oudste afgesloten ronde).
- `schooljaar`: het schooljaar van het consensusgesprek (of van het afsluiten), 1 augustus tot 31 juli.
- `laag`, `accent`: codes uit het Ontwikkelmodel TSO (versie {load_file().version}).
- `fase`: 1-4; bij fasen die door elkaar lopen de onderkant. `fase_tot`: de bovenkant ("fase 2-3": 2 en 3), leeg
  bij één fase. `fase_midden`: het midden (2-3 → 2.5).

## opbrengsten.csv

De vragenlijst opbrengsten van het team (competentie, klasklimaat, werkbalans en welzijn, kenniselementen), per
gesloten vragenlijst. Alleen vragenlijsten die het minimum aantal deelnemers haalden (minstens 5; een school kan
het hoger zetten): wat daaronder bleef, ontbreekt helemaal. Dezelfde berekening als de resultatenpagina van de
school. Eigen vragen van scholen ontbreken.

- `schooljaar`; `soort`: nulmeting (voor de teamtraining) of jaarlijks.
- `deelnemers`: het aantal deelnemers in klassen: {respondents}.
- `onderdeel`, `aspect`: codes uit de vragenlijst (outcomes/content/vragenlijst-2026.json).
- `gemiddelde`: het gemiddelde antwoord op de schaal 1-5 ("weet ik niet" niet meegeteld).
- `ken_ik_pct`, `pas_ik_toe_pct` (kenniselementen): het percentage dat het element kent (ook wie het toepast) en
  het percentage dat het toepast.

Een eigen meting van het team, geen effectonderzoek.

## route.csv

Het implementatietraject van de school (fasen uit het handboek: Verkennen, Voorbereiden, Uitvoeren, Borgen).

- `schooljaar_start_teamtraining`: het schooljaar (bijvoorbeeld 2025-2026) van de geplande start van de
  teamtraining.
- `fase`, `fase_nummer`: de fase van de route.
- `begin`, `eind`: het schooljaar waarin de eerste stap van die fase gepland begint en de laatste klaar moet zijn
  (planning van de school, geen gemeten duur).

Alleen schooljaren, geen maanden: de geplande maanden van een school (start van de teamtraining, begin en eind van
elke fase) zijn bijna uniek voor die school en zouden haar naast onderwijstype en grootte herkenbaar maken.
"""


def export_filename(day=None) -> str:
    day = day or timezone.localdate()
    return f"groeiwijzer-onderzoek-{day:%Y-%m-%d}.zip"


def dataset_zip(dataset: Dataset) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("codebook.md", codebook(dataset))
        for name, rows in dataset.files.items():
            archive.writestr(name, csv_text(rows))
    return buffer.getvalue()
