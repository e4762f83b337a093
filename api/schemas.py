"""What the API answers, as pydantic schemas (django-ninja): the OpenAPI document is generated from these. Counts,
codes, dates and titles the board page and the pages a board member opens already show; never individual answers,
never names of staff."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema
from pydantic import Field


class Error(Schema):
    detail: Any = Field(description="What went wrong: a message, or for invalid parameters a list of errors.")


class PageInfo(Schema):
    count: int = Field(description="Items in all pages together.")
    page: int
    page_size: int
    pages: int = Field(description="Number of pages (0 when there are no items).")


class BoardOut(Schema):
    id: int
    name: str
    schools: int = Field(description="Number of schools of the board.")


class BoardPage(PageInfo):
    items: list[BoardOut]


class PhaseOut(Schema):
    code: str
    number: int
    name: str


class TrainingOut(Schema):
    school_id: int
    school_year: str = Field(description="The school year of the training plan that counts, e.g. 2026-2027.")
    team: int = Field(description="Team members the plan counts.")
    still_to_train: int
    begun: bool = Field(description="Whether a session of the plan has been held.")


class GrowthCounts(Schema):
    grown: int = Field(description="Accents agreed higher in the newest closed round than in the first.")
    lowered: int
    same: int


class SchoolOut(Schema):
    id: int
    name: str
    education_type: str
    has_route: bool
    phase: PhaseOut | None = Field(description="The route's current phase; null without a route.")
    late_steps: int
    goals_short_term: int
    goals_long_term: int
    actions: dict[str, int] = Field(description="Live actions per status (gepland, bezig, afgerond, gevierd).")
    actions_late: int
    last_meeting: datetime.date | None = Field(description="The werkgroep's last meeting up to today.")
    closed_rounds: int
    growth: GrowthCounts | None = Field(description="Between the first and the newest closed round; null before two.")
    training: TrainingOut | None


class SchoolPage(PageInfo):
    items: list[SchoolOut]


class StepOut(Schema):
    code: str
    title: str
    phase: str
    occurrence: int
    start_date: datetime.date
    due_date: datetime.date
    status: str
    late: bool


class RouteOut(Schema):
    school_id: int
    has_route: bool
    training_start: datetime.date | None
    phase: PhaseOut | None
    late_steps: int = 0
    steps: list[StepOut] = Field(default_factory=list)


class RoundOut(Schema):
    id: int
    school_id: int
    title: str
    school_year: str
    meeting_date: datetime.date | None
    closed_at: datetime.datetime | None


class RoundPage(PageInfo):
    items: list[RoundOut]


class ConsensusOut(Schema):
    accent_code: str
    accent_name: str
    layer_code: str
    phase: int | None = Field(description="The agreed phase (the lower end of a range); null when none was agreed.")
    phase_to: int | None = Field(description="The upper end when phases run through each other.")
    priority: int | None


class RoundDetailOut(RoundOut):
    consensus: list[ConsensusOut]


class GoalOut(Schema):
    id: int
    school_id: int
    title: str
    term: str
    layer_code: str
    accent_code: str
    start_phase: int | None
    priority: int | None
    source_round_id: int | None
    updated_at: datetime.datetime


class GoalPage(PageInfo):
    items: list[GoalOut]


class ActionOut(Schema):
    id: int
    school_id: int
    goal_id: int | None
    title: str
    layer_code: str
    status: str
    due_date: datetime.date | None
    late: bool
    updated_at: datetime.datetime


class ActionPage(PageInfo):
    items: list[ActionOut]


class TrainingPage(PageInfo):
    items: list[TrainingOut]


class MarkOut(Schema):
    round_id: int
    phase: int | None
    phase_to: int | None


class AccentGrowthOut(Schema):
    code: str
    name: str
    layer_code: str
    marks: list[MarkOut] = Field(description="One per closed round, oldest first.")
    change: int | None = Field(description="Phases gained from the first to the last agreed phase.")


class GrowthRoundOut(Schema):
    id: int
    title: str
    date: datetime.date


class GrowthOut(Schema):
    school_id: int
    rounds: list[GrowthRoundOut]
    accents: list[AccentGrowthOut]


class OutcomeSchoolOut(Schema):
    school_id: int
    survey_id: int
    kind: str
    minimum: int = Field(description="The survey's minimum number of respondents before anything is shown.")
    shown: bool = Field(description="False: fewer respondents than the minimum; no figures.")
    respondents: int | None
    means: dict[str, float | None] | None = Field(description="Aspect code → mean of the 1-5 answers.")


class OutcomeYearOut(Schema):
    school_year: str
    schools: list[OutcomeSchoolOut]
    total_respondents: int | None = Field(description="From the shown schools only; null when none is shown.")
    total_means: dict[str, float | None] | None


class OutcomesOut(Schema):
    aspects: dict[str, str] = Field(description="Aspect code → name.")
    years: list[OutcomeYearOut]
