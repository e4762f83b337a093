"""The pages that combine apps: the start page, a school's dashboard and a board's page."""

from django.shortcuts import redirect, render
from django.utils import timezone

from organisations import access

from . import dashboard, onboarding, trainer
from .board_overview import board_overview, table_rows


def home(request):
    """Start page: a trainer's overview of all their schools (pages/trainer.py); else straight to the only school, or
    choose."""
    if trainer.is_trainer(request.user):
        return trainer.trainer_home(request)
    schools = list(access.schools_for_user(request.user))
    boards = list(request.user.boards.all())
    if len(schools) == 1 and not boards:
        return redirect("organisations:school", school_id=schools[0].pk)
    return render(request, "organisations/home.html", {"schools": schools, "boards": boards})


def school_dashboard(request, school_id):
    """The school page: the route, the rounds, the plan, the training and per role what is theirs, in a fixed
    number of queries built once per process (pages/dashboard.py)."""
    acc = access.school_access(request, school_id)
    if acc.is_board_viewer:
        return redirect("organisations:board", board_id=acc.school.board_id)
    today = timezone.localdate()
    facts = dashboard.school_facts(
        acc.school,
        request.user,
        today=today,
        onboarding_part=acc.can_manage_members,
        intake_part=acc.can_lead_intake,
        checklist_part=acc.can_fill_leadership_checklist,
    )
    rounds = dashboard.rounds(acc.school, request.user)
    return render(
        request,
        "pages/school.html",
        {
            "acc": acc,
            "school": acc.school,
            "rounds": rounds,
            "my_rounds": {r.pk for r in rounds if r.is_mine},
            "plan": facts.plan,
            "route": dashboard.route(facts, request.user, today=today),
            # 'Zo begin je' (pages/onboarding.py), prominent for the organisers while a first step is still open.
            "onboarding_open": facts.onboarding is not None and not onboarding.is_done(facts.onboarding),
            # The team training: the next session, and the sessions this person missed.
            "training": {
                "next_session": facts.next_session,
                "missed": dashboard.missed_sessions(acc.school, request.user, today=today),
            }
            if acc.can_view_training
            else None,
            # The checklist for leidinggevenden: the schoolleiding's own progress in the newest round.
            "leadership": facts.checklist if acc.can_fill_leadership_checklist else None,
            # The voorgesprekken: the latest decision, and whether there are enough kartrekkers.
            "intake": {"latest": facts.latest_decision, "kartrekkers": facts.kartrekkers}
            if acc.can_lead_intake
            else None,
        },
    )


def board(request, board_id):
    bacc = access.board_access(request.user, board_id)
    rows = board_overview(bacc.board)
    return render(
        request,
        "organisations/board.html",
        {"board": bacc.board, "bacc": bacc, "rows": rows, "table_rows": table_rows(rows)},
    )
