"""The read API for boards, version 1 (issue 16): django-ninja, its OpenAPI document at /api/v1/openapi.json.

Every endpoint needs a board's token (api/auth.py) and reads that board only: another board's id, or a school,
round, goal or action of another board, is a 404, the same answer as for one that does not exist. The data come from
the apps' own read functions (pages.board_overview, trajectory.overview, assessments.growth, training.overview,
outcomes.results), as far as a board member sees them on the board's pages: counts, codes, dates and titles, the
consensus of closed rounds, never individual answers or names of staff. Each endpoint asks a fixed number of queries,
whatever the number of schools (tests/api/test_api_queries.py).

Lists are paginated (``page``, ``page_size`` from 1 to 100); unknown query parameters are a 400; every 200 carries an
ETag, and a request with that ETag in If-None-Match gets a 304 without a body. The lists filter by ``school`` and by
``school_year`` ("2026-2027", from 1 August to 31 July): a round by the day of its consensus meeting, a goal by the day
it was set, an action by its due date (else the day it was added), training by the plan's school year, the
questionnaire by its own school year.
"""

from __future__ import annotations

import datetime
import hashlib
import math

from django.db.models import Q
from django.http import Http404, HttpResponseNotModified
from django.utils import timezone
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError

from actionplans.models import Action, ActionStatus, Goal
from assessments.growth import round_date, round_date_expression, school_growth
from assessments.models import ConsensusItem, Round, RoundStatus
from core.dates import school_year_label, school_year_of
from core.fields import MAX_ID
from organisations.access import board_school
from organisations.models import Board, School
from outcomes import results
from outcomes.content import load_content
from outcomes.models import Survey
from pages.board_overview import board_overview
from training.overview import training_progress
from trajectory.models import Trajectory
from trajectory.overview import route_overview

from . import schemas as s
from .auth import BoardToken, NotAuthenticated, RateLimited

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
SCHOOL_YEAR = r"^[0-9]{4}-[0-9]{4}$"
PAGE_PARAMS = ("page", "page_size")


class BoardApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        """Every 200 of a GET with an ETag (a hash of the body); If-None-Match with it: 304, no body."""
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Authorization"
        if request.method == "GET" and response.status_code == 200:
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            response["ETag"] = etag
            sent = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
            if etag in sent or f"W/{etag}" in sent:
                not_modified = HttpResponseNotModified()
                for header in ("ETag", "Cache-Control", "Vary"):
                    not_modified[header] = response[header]
                return not_modified
        return response


api = BoardApi(
    title="Groeiwijzer TSO – API voor besturen",
    version="1",
    description=(
        "Read-only data of one school board for its own tools: schools, the route, closed rounds with their consensus, "
        "the action plan, training progress, growth and outcome aggregates. Authenticate with a board's API token: "
        "`Authorization: Bearer <token>` (made by the board's beheerder on the board page). Another board's data is "
        "a 404. Lists are paginated; every 200 carries an ETag for If-None-Match. Lists filter by `school` and by "
        "`school_year` (e.g. `2026-2027`: 1 August 2026 to 31 July 2027); each list says what puts an item in a "
        "school year."
    ),
    urls_namespace="api:v1",
    docs_url=None,  # the page would load Swagger UI from a CDN: the JSON document is the description
    auth=BoardToken(),
)

ERRORS = {400: s.Error, 401: s.Error, 404: s.Error, 422: s.Error, 429: s.Error}


@api.exception_handler(NotAuthenticated)
def not_authenticated(request, exc):
    response = api.create_response(request, {"detail": exc.message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="groeiwijzer"'
    return response


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


# Helpers ---------------------------------------------------------------------------------------------------


def only(request, *allowed: str) -> None:
    """A 400 for a query parameter the endpoint does not know (a misspelt filter silently filtering nothing would
    mislead a dashboard)."""
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        raise HttpError(400, f"Unknown query parameter(s): {', '.join(unknown)}. Allowed: {', '.join(allowed)}.")


def board_of(request, board_id: int) -> Board:
    """The token's board if ``board_id`` is its id, else 404 (another board, or none)."""
    token = request.auth
    if board_id != token.board_id:
        raise Http404
    return token.board


def school_of(board: Board, school_id: int | None) -> School | None:
    """The school of the ``school`` filter (None without one), or 404 for a school of another board or none."""
    return None if school_id is None else board_school(board, school_id)


def first_year(school_year: str | None) -> int | None:
    """2026 for "2026-2027"; 422 for two years that do not follow each other."""
    if school_year is None:
        return None
    start, end = (int(y) for y in school_year.split("-"))
    if end != start + 1 or not 2000 <= start <= 2100:
        raise HttpError(422, "school_year must be two consecutive years between 2000 and 2101, e.g. 2026-2027.")
    return start


def year_days(start: int) -> tuple[datetime.date, datetime.date]:
    """The first day of the school year and the first day of the next: 1 August (core.dates.school_year_of's rule)."""
    return datetime.date(start, 8, 1), datetime.date(start + 1, 8, 1)


def year_moments(start: int) -> tuple[datetime.datetime, datetime.datetime]:
    """year_days as the moments they begin in the site's time zone (for a date-time such as a goal's created_at)."""
    first, next_first = year_days(start)
    return (
        timezone.make_aware(datetime.datetime.combine(first, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(next_first, datetime.time.min)),
    )


def paginate(items_or_queryset, page: int, page_size: int) -> dict:
    """One page of a list or a queryset (a queryset: a count and a slice, two queries)."""
    if isinstance(items_or_queryset, list):
        count = len(items_or_queryset)
    else:
        count = items_or_queryset.count()
    start = (page - 1) * page_size
    items = list(items_or_queryset[start : start + page_size]) if start < count else []
    return {"count": count, "page": page, "page_size": page_size, "pages": math.ceil(count / page_size), "items": items}


BoardId = Path(..., ge=1, le=MAX_ID, description="The board of the token.")
SchoolId = Path(..., ge=1, le=MAX_ID)
Page = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
PageSize = Query(50, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1 to {MAX_PAGE_SIZE}.")
SchoolFilter = Query(None, ge=1, le=MAX_ID, description="Only this school of the board.")
SchoolYearFilter = Query(None, pattern=SCHOOL_YEAR, description="Only this school year, e.g. 2026-2027.")
GoalYearFilter = Query(
    None, pattern=SCHOOL_YEAR, description="Only goals set in this school year (1 August to 31 July), e.g. 2026-2027."
)
ActionYearFilter = Query(
    None,
    pattern=SCHOOL_YEAR,
    description="Only actions due in this school year (1 August to 31 July), e.g. 2026-2027; an action without a due "
    "date counts in the school year it was added.",
)
TrainingYearFilter = Query(
    None, pattern=SCHOOL_YEAR, description="The training plans of this school year, e.g. 2026-2027."
)
StatusFilter = Query(None, description="Only actions with this status.")
RoundId = Path(..., ge=1, le=MAX_ID)


def phase_out(phase) -> dict | None:
    return {"code": phase.code, "number": phase.number, "name": phase.name} if phase is not None else None


def training_out(school_id: int, t) -> dict | None:
    if t is None:
        return None
    return {
        "school_id": school_id,
        "school_year": t.school_year_label,
        "team": t.team,
        "still_to_train": t.still_to_train,
        "begun": t.begun,
    }


def school_out(row) -> dict:
    return {
        "id": row.school.pk,
        "name": row.school.name,
        "education_type": row.school.education_type,
        "has_route": row.has_route,
        "phase": phase_out(row.phase),
        "late_steps": row.late_steps,
        "goals_short_term": row.short_goals,
        "goals_long_term": row.long_goals,
        "actions": {status: row.actions.get(status, 0) for status in ActionStatus.values},
        "actions_late": row.overdue,
        "last_meeting": row.last_meeting,
        "closed_rounds": len(row.rounds),
        "growth": {"grown": row.grown, "lowered": row.lowered, "same": row.same} if len(row.rounds) >= 2 else None,
        "training": training_out(row.school.pk, row.training),
    }


# Boards and schools ------------------------------------------------------------------------------------------


@api.get("/boards", response={200: s.BoardPage, **ERRORS}, url_name="boards", tags=["boards"])
def boards(request, page: int = Page, page_size: int = PageSize):
    """The boards this token reads: its own board."""
    only(request, *PAGE_PARAMS)
    board = request.auth.board
    items = [{"id": board.pk, "name": board.name, "schools": School.objects.filter(board=board).count()}]
    return paginate(items, page, page_size)


@api.get("/boards/{board_id}", response={200: s.BoardOut, **ERRORS}, url_name="board", tags=["boards"])
def board(request, board_id: int = BoardId):
    only(request)
    board = board_of(request, board_id)
    return {"id": board.pk, "name": board.name, "schools": School.objects.filter(board=board).count()}


@api.get("/boards/{board_id}/schools", response={200: s.SchoolPage, **ERRORS}, url_name="schools", tags=["schools"])
def schools(request, board_id: int = BoardId, page: int = Page, page_size: int = PageSize):
    """The board's schools, by name, each with what the board page shows of it: the route's phase and late steps,
    the action plan's counts, the werkgroep's last meeting, the closed rounds, the growth, the team training."""
    only(request, *PAGE_PARAMS)
    board = board_of(request, board_id)
    return paginate([school_out(row) for row in board_overview(board)], page, page_size)


@api.get(
    "/boards/{board_id}/schools/{school_id}", response={200: s.SchoolOut, **ERRORS}, url_name="school", tags=["schools"]
)
def school(request, board_id: int = BoardId, school_id: int = SchoolId):
    only(request)
    board = board_of(request, board_id)
    row = next((r for r in board_overview(board) if r.school.pk == school_id), None)
    if row is None:
        raise Http404
    return school_out(row)


# The route -----------------------------------------------------------------------------------------------------


@api.get(
    "/boards/{board_id}/schools/{school_id}/route",
    response={200: s.RouteOut, **ERRORS},
    url_name="route",
    tags=["route"],
)
def route(request, board_id: int = BoardId, school_id: int = SchoolId):
    """The school's route: its current phase, every step with its dates and status, the late steps."""
    only(request)
    school = board_school(board_of(request, board_id), school_id)
    trajectory = Trajectory.objects.filter(school=school).first()
    if trajectory is None:
        return {"school_id": school.pk, "has_route": False, "training_start": None, "phase": None}
    trajectory.school = school
    overview = route_overview(trajectory)
    return {
        "school_id": school.pk,
        "has_route": True,
        "training_start": trajectory.training_start,
        "phase": phase_out(overview.current_phase),
        "late_steps": len(overview.late),
        "steps": [
            {
                "code": step.code,
                "title": step.content.title,
                "phase": step.content.phase,
                "occurrence": step.occurrence,
                "start_date": step.start_date,
                "due_date": step.due_date,
                "status": step.status,
                "late": step.late,
            }
            for step in overview.steps
        ],
    }


# Rounds ------------------------------------------------------------------------------------------------------


def closed_rounds_of(board):
    return Round.objects.filter(school__board=board, status=RoundStatus.CLOSED)


def round_out(r) -> dict:
    return {
        "id": r.pk,
        "school_id": r.school_id,
        "title": r.title,
        "school_year": school_year_label(school_year_of(round_date(r))),
        "meeting_date": r.meeting_date,
        "closed_at": r.closed_at,
    }


@api.get("/boards/{board_id}/rounds", response={200: s.RoundPage, **ERRORS}, url_name="rounds", tags=["rounds"])
def rounds(
    request,
    board_id: int = BoardId,
    school: int | None = SchoolFilter,
    school_year: str | None = SchoolYearFilter,
    page: int = Page,
    page_size: int = PageSize,
):
    """The closed rounds of the board's schools, newest first. The school year of a round is that of its consensus
    meeting (else the day it closed), from 1 August."""
    only(request, "school", "school_year", *PAGE_PARAMS)
    board = board_of(request, board_id)
    found = school_of(board, school)
    queryset = closed_rounds_of(board)
    if found is not None:
        queryset = queryset.filter(school=found)
    start = first_year(school_year)
    if start is not None:
        first, after = year_days(start)
        queryset = queryset.annotate(day=round_date_expression()).filter(day__gte=first, day__lt=after)
    queryset = queryset.order_by("-closed_at", "-id").only(
        "id", "school_id", "title", "meeting_date", "closed_at", "created_at"
    )
    result = paginate(queryset, page, page_size)
    result["items"] = [round_out(r) for r in result["items"]]
    return result


@api.get(
    "/boards/{board_id}/rounds/{round_id}",
    response={200: s.RoundDetailOut, **ERRORS},
    url_name="round",
    tags=["rounds"],
)
def round_detail(request, board_id: int = BoardId, round_id: int = RoundId):
    """A closed round with what the team agreed per accent (the consensus): phase, range and priority. Never what
    anyone answered."""
    only(request)
    board = board_of(request, board_id)
    round_ = closed_rounds_of(board).select_related("model_version").filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    model = round_.model_version.model
    items = {c.accent_code: c for c in ConsensusItem.objects.filter(round=round_)}
    consensus = []
    for accent in model.accents:
        item = items.get(accent.code)
        consensus.append(
            {
                "accent_code": accent.code,
                "accent_name": accent.name,
                "layer_code": accent.layer_code,
                "phase": (item.phase or None) if item else None,
                "phase_to": item.phase_to if item and item.phase else None,
                "priority": item.priority if item else None,
            }
        )
    return {**round_out(round_), "consensus": consensus}


# The action plan ---------------------------------------------------------------------------------------------


@api.get("/boards/{board_id}/goals", response={200: s.GoalPage, **ERRORS}, url_name="goals", tags=["plan"])
def goals(
    request,
    board_id: int = BoardId,
    school: int | None = SchoolFilter,
    school_year: str | None = GoalYearFilter,
    page: int = Page,
    page_size: int = PageSize,
):
    """The live goals of the action plans of the board's schools, per school, newest first.

    An action plan is not made per school year: it runs on, with short- and long-term goals. ``school_year`` gives
    the goals set in that school year: added from 1 August to 31 July (Dutch time). A goal set in an earlier year
    that is still in the plan is not among them (it is in the list without the filter)."""
    only(request, "school", "school_year", *PAGE_PARAMS)
    board = board_of(request, board_id)
    found = school_of(board, school)
    start = first_year(school_year)
    queryset = Goal.objects.alive().filter(school__board=board)
    if found is not None:
        queryset = queryset.filter(school=found)
    if start is not None:
        first, after = year_moments(start)
        queryset = queryset.filter(created_at__gte=first, created_at__lt=after)
    queryset = queryset.order_by("school_id", "-created_at", "-id")
    return paginate(queryset, page, page_size)


@api.get("/boards/{board_id}/actions", response={200: s.ActionPage, **ERRORS}, url_name="actions", tags=["plan"])
def actions(
    request,
    board_id: int = BoardId,
    school: int | None = SchoolFilter,
    school_year: str | None = ActionYearFilter,
    status: ActionStatus | None = StatusFilter,
    page: int = Page,
    page_size: int = PageSize,
):
    """The live actions of the action plans of the board's schools with their status; ``late``: open and past due.

    ``school_year`` gives the actions due in that school year (their due date from 1 August to 31 July); an action
    without a due date counts in the school year it was added (Dutch time). So every action is in one school year."""
    only(request, "school", "school_year", "status", *PAGE_PARAMS)
    board = board_of(request, board_id)
    found = school_of(board, school)
    start = first_year(school_year)
    queryset = Action.objects.alive().filter(school__board=board)
    if found is not None:
        queryset = queryset.filter(school=found)
    if start is not None:
        first, after = year_days(start)
        added_from, added_before = year_moments(start)
        queryset = queryset.filter(
            Q(due_date__gte=first, due_date__lt=after)
            | Q(due_date__isnull=True, created_at__gte=added_from, created_at__lt=added_before)
        )
    if status is not None:
        queryset = queryset.filter(status=status)
    queryset = queryset.order_by("school_id", "due_date", "id")
    result = paginate(queryset, page, page_size)
    today = timezone.localdate()
    result["items"] = [
        {
            "id": a.pk,
            "school_id": a.school_id,
            "goal_id": a.goal_id,
            "title": a.title,
            "layer_code": a.layer_code,
            "status": a.status,
            "due_date": a.due_date,
            "late": a.is_overdue(today),
            "updated_at": a.updated_at,
        }
        for a in result["items"]
    ]
    return result


# Training, growth, outcomes ----------------------------------------------------------------------------------


@api.get(
    "/boards/{board_id}/training",
    response={200: s.TrainingPage, **ERRORS},
    url_name="training",
    tags=["training"],
)
def training(
    request,
    board_id: int = BoardId,
    school: int | None = SchoolFilter,
    school_year: str | None = TrainingYearFilter,
    page: int = Page,
    page_size: int = PageSize,
):
    """Per school with a training plan up to this school year (its newest such plan): how many of the team still
    need the team training (counts only, as on the board page).

    ``school_year`` gives the training plans of that school year instead: each item's ``school_year`` is the one asked
    for, schools without a plan of that year are left out. The counts are as of today: that plan's sessions held by
    today and the school's team today."""
    only(request, "school", "school_year", *PAGE_PARAMS)
    board = board_of(request, board_id)
    found = school_of(board, school)
    start = first_year(school_year)
    schools = School.objects.filter(board=board) if found is None else School.objects.filter(pk=found.pk)
    progress = training_progress(schools, school_year=start)
    items = [training_out(school_id, progress[school_id]) for school_id in sorted(progress)]
    return paginate(items, page, page_size)


@api.get(
    "/boards/{board_id}/schools/{school_id}/growth",
    response={200: s.GrowthOut, **ERRORS},
    url_name="growth",
    tags=["growth"],
)
def growth(request, board_id: int = BoardId, school_id: int = SchoolId):
    """The school's growth over its closed rounds, oldest first: the agreed phase of every accent in each round (the
    board's view of the growth page: agreed phases only, no distributions)."""
    only(request)
    school = board_school(board_of(request, board_id), school_id)
    g = school_growth(school, include_individual=False)
    return {
        "school_id": school.pk,
        "rounds": [{"id": r.pk, "title": r.title, "date": round_date(r)} for r in g.rounds],
        "accents": [
            {
                "code": a.accent.code,
                "name": a.accent.name,
                "layer_code": a.accent.layer_code,
                "marks": [{"round_id": m.round.pk, "phase": m.phase, "phase_to": m.phase_to} for m in a.marks],
                "change": a.change,
            }
            for a in g.accents
        ],
    }


@api.get("/boards/{board_id}/outcomes", response={200: s.OutcomesOut, **ERRORS}, url_name="outcomes", tags=["outcomes"])
def outcomes(
    request, board_id: int = BoardId, school: int | None = SchoolFilter, school_year: str | None = SchoolYearFilter
):
    """The yearly team questionnaire per school year (outcomes.results.board_figures): per school its latest closed
    questionnaire of that year, with figures only where its minimum number of respondents holds, and the board's
    total from those schools only."""
    only(request, "school", "school_year")
    board = board_of(request, board_id)
    found = school_of(board, school)
    start = first_year(school_year)
    schools = list(School.objects.filter(board=board).order_by("name")) if found is None else [found]
    surveys = Survey.objects.filter(school__in=[x.pk for x in schools], status="closed").prefetch_related("tallies")
    if start is not None:
        surveys = surveys.filter(school_year=school_year_label(start))
    by_school: dict = {}
    tallies: dict = {}
    for survey in surveys:
        by_school.setdefault(survey.school_id, []).append(survey)
        tallies[survey.pk] = list(survey.tallies.all())
    content = load_content()
    aspects = {a.code: (a.name, [i.code for i in a.items]) for g in content.scale_groups for a in g.aspects}

    def means(figures):
        return {code: results.mean(figures, keys) for code, (_name, keys) in aspects.items()} if figures else None

    years = []
    for year in results.board_figures(schools, by_school, tallies):
        rows = [
            {
                "school_id": row["school"].pk,
                "survey_id": row["survey"].pk,
                "kind": row["survey"].kind,
                "minimum": row["survey"].min_respondents,
                "shown": row["figures"] is not None,
                "respondents": row["figures"].n if row["figures"] is not None else None,
                "means": means(row["figures"]),
            }
            for row in year["rows"]
        ]
        total = year["total"]
        years.append(
            {
                "school_year": year["year"],
                "schools": rows,
                "total_respondents": total.n if total else None,
                "total_means": means(total),
            }
        )
    return {"aspects": {code: name for code, (name, _keys) in aspects.items()}, "years": years}
