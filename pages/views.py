"""The pages that combine apps: the start page, a school's dashboard and a board's page."""

from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render

from actionplans.overview import dashboard_summary
from assessments.models import Participant, Round
from organisations import access
from trajectory.overview import dashboard_route

from . import onboarding, trainer
from .board_overview import board_overview


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
    acc = access.school_access(request, school_id)
    if acc.is_board_viewer:
        return redirect("organisations:board", board_id=acc.school.board_id)
    rounds = list(
        Round.objects.filter(school=acc.school)
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_submitted=Count("participants", filter=Q(participants__submitted_at__isnull=False), distinct=True),
            # the rounds the user takes part in, in the same query (the page's budget, tests/test_queries.py)
            is_mine=Exists(Participant.objects.filter(round=OuterRef("pk"), user=request.user)),
        )
        .order_by("-created_at")
    )
    my_rounds = {r.pk for r in rounds if r.is_mine}
    return render(
        request,
        "organisations/school.html",
        {
            "acc": acc,
            "school": acc.school,
            "rounds": rounds,
            "my_rounds": my_rounds,
            "plan": dashboard_summary(acc.school, request.user),
            "route": dashboard_route(acc.school, request.user),
            # 'Zo begin je' (pages/onboarding.py), prominent for the organisers while a first step is still open.
            "onboarding_open": acc.can_manage_members and not onboarding.is_done(onboarding.facts(acc.school)),
        },
    )


def board(request, board_id):
    bacc = access.board_access(request.user, board_id)
    return render(
        request, "organisations/board.html", {"board": bacc.board, "bacc": bacc, "rows": board_overview(bacc.board)}
    )
