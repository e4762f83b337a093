#!/usr/bin/env python
"""The data set of scripts/bench_http.py and scripts/soak.py, seeded into a database that `migrate` prepared.

Run by those scripts in a process of its own (DATABASE_URL names the benchmark's database, the development settings):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/groeiwijzer_bench_http \
        .venv/bin/python scripts/bench_http_data.py --migrate --out /tmp/seed.json

It reuses the builders of the other benchmarks and writes, as JSON, who logs in with which password for which page
(paths), and what the soak script needs to write (open-round participants, actions and their steps):

- a round of PARTICIPANTS (tests/bulk.py build_school: an open, a consensus and a closed round with everyone in
  them): the fill-in page is a layer of the open round for a participant who has not submitted yet; the consensus
  view is the organiser's (the kartrekker);
- an action plan of ACTIONS actions (scripts/bench_plan_exports.py build_plan), with a few werkgroepleden beside its
  kartrekker for the soak's writes;
- the route page of a school of STAFF (scripts/bench_route.py build_school);
- a board of BOARD_SCHOOLS schools with closed rounds (scripts/bench_growth.py build), its page as the board member;
- the school home of the demo school (`manage.py demo`: route, training, rounds, plan) as its kartrekker (with
  --tiny the round's school, which is quicker to build).
"""

from __future__ import annotations

import argparse
import io
import json
import time
from dataclasses import asdict, dataclass

from benchlib import reverse  # sets Django up (DATABASE_URL from the environment)

PASSWORD = "bench-http-wachtwoord-2026"  # noqa: S105  (throwaway accounts in a throwaway database)


@dataclass
class Sizes:
    participants: int = 60
    actions: int = 200
    staff: int = 120
    board_schools: int = 50
    board_years: int = 5
    board_participants: int = 10
    fillers: int = 20  # open-round participants who have not submitted (the soak's people filling in)
    werkgroep: int = 4  # werkgroepleden of the plan's school (the soak's people changing actions)
    demo: int = 1  # the school home of the demo school (1), or of the round's school (0: faster, for --tiny)


TINY = Sizes(
    participants=6,
    actions=4,
    staff=12,
    board_schools=2,
    board_years=1,
    board_participants=3,
    fillers=3,
    werkgroep=1,
    demo=0,
)


def seed(sizes: Sizes) -> dict:
    """Build the data set; returns the pages, the users (all with PASSWORD) and the soak's write targets."""
    from bench_growth import build as build_board
    from bench_plan_exports import build_plan
    from bench_route import build_school as build_route_school
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from accounts.models import User
    from actionplans.models import Action, ActionStatus, ActionStep
    from assessments.models import Participant
    from organisations.demo import DOMAIN
    from organisations.models import Membership, School
    from tests.bulk import build_school as build_round_school

    timings = {}

    started = time.perf_counter()
    big = build_round_school(sizes.participants)
    s = big.school
    # The open round: everyone but the organiser submitted (tests/bulk.py); the fillers (plain team members) have not.
    fillers = [u for u in big.users[2:] if u.pk != big.organiser.pk][: max(1, sizes.fillers)]
    Participant.objects.filter(round=big.open_round, user__in=fillers).update(submitted_at=None)
    timings["round"] = time.perf_counter() - started

    started = time.perf_counter()
    plan_school, plan_kartrekker = build_plan(sizes.actions)
    werkgroep = User.objects.bulk_create(
        [User(email=f"werkgroep{i}@bench.test", name=f"Werkgroeplid {i}") for i in range(sizes.werkgroep)]
    )
    Membership.objects.bulk_create(
        [Membership(school=plan_school, user=u, is_werkgroeplid=True, is_teamlid=True) for u in werkgroep]
    )
    timings["plan"] = time.perf_counter() - started

    started = time.perf_counter()
    route_school, route_kartrekker = build_route_school(sizes.staff)
    timings["route"] = time.perf_counter() - started

    started = time.perf_counter()
    board, board_member, _school, _first = build_board(sizes.board_schools, sizes.board_years, sizes.board_participants)
    timings["board"] = time.perf_counter() - started

    if sizes.demo:
        started = time.perf_counter()
        call_command("demo", stdout=io.StringIO())
        home_kartrekker = User.objects.get(email=f"kartrekker@{DOMAIN}")
        home_school = School.objects.get(memberships__user=home_kartrekker, memberships__is_kartrekker=True)
        timings["demo"] = time.perf_counter() - started
    else:
        home_kartrekker, home_school = big.organiser, s

    participant = fillers[0]
    people = [big.organiser, *fillers, plan_kartrekker, *werkgroep, route_kartrekker, board_member, home_kartrekker]
    User.objects.filter(pk__in=[u.pk for u in people]).update(password=make_password(PASSWORD))

    def url(name, *args):
        return reverse(name, args=args)

    pages = [
        {
            "label": f"fill-in (layer 1, {sizes.participants}-person round)",
            "path": url("assessments:fill_step", s.pk, big.open_round.pk, "1"),
            "user": participant.email,
        },
        {
            "label": f"consensus view ({sizes.participants} participants)",
            "path": url("assessments:consensus", s.pk, big.consensus_round.pk),
            "user": big.organiser.email,
        },
        {
            "label": f"action plan ({sizes.actions} actions)",
            "path": url("actionplans:plan", plan_school.pk),
            "user": plan_kartrekker.email,
        },
        {
            "label": f"board page ({sizes.board_schools} schools)",
            "path": url("organisations:board", board.pk),
            "user": board_member.email,
        },
        {
            "label": "school home (kartrekker" + (", demo school)" if sizes.demo else ")"),
            "path": url("organisations:school", home_school.pk),
            "user": home_kartrekker.email,
        },
        {
            "label": f"route page ({sizes.staff} staff)",
            "path": url("trajectory:overview", route_school.pk),
            "user": route_kartrekker.email,
        },
    ]
    actions = list(Action.objects.filter(school=plan_school).order_by("pk").values_list("pk", flat=True))
    steps = dict(ActionStep.objects.filter(action_id__in=actions, position=1).values_list("action_id", "pk"))
    layers = [layer.code for layer in big.open_round.model.layers]
    soak = {
        "fill": {
            "users": [u.email for u in fillers],
            "steps": {
                code: {
                    "page": url("assessments:fill_step", s.pk, big.open_round.pk, code),
                    "autosave": url("assessments:fill_autosave", s.pk, big.open_round.pk, code),
                    "accents": [a.code for a in big.open_round.model.layer(code).accents],
                }
                for code in layers
            },
        },
        "consensus": {"users": [big.organiser.email], "page": pages[1]["path"]},
        "plan": {
            "users": [plan_kartrekker.email, *(u.email for u in werkgroep)],
            "page": pages[2]["path"],
            "statuses": [status.value for status in ActionStatus],
            "actions": [
                {
                    "page": url("actionplans:action", plan_school.pk, a),
                    "status": url("actionplans:action_status", plan_school.pk, a),
                    "step": url("actionplans:action_step", plan_school.pk, a, steps[a]),
                }
                for a in actions
                if a in steps
            ],
        },
        "board": {"users": [board_member.email], "page": pages[3]["path"]},
        "home": {"users": [home_kartrekker.email], "page": pages[4]["path"]},
        "route": {"users": [route_kartrekker.email], "page": pages[5]["path"]},
    }
    return {
        "password": PASSWORD,
        "login": url("accounts:login"),
        "sizes": asdict(sizes),
        "timings": {key: round(value, 1) for key, value in timings.items()},
        "pages": pages,
        "soak": soak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="write the JSON here")
    parser.add_argument("--tiny", action="store_true", help="a tiny data set (the suite's smoke test)")
    parser.add_argument("--migrate", action="store_true", help="run migrate first")
    for field, default in asdict(Sizes()).items():
        parser.add_argument(f"--{field.replace('_', '-')}", type=int, default=None, help=f"default {default}")
    args = parser.parse_args()
    base = TINY if args.tiny else Sizes()
    sizes = Sizes(**{f: getattr(args, f) if getattr(args, f) is not None else v for f, v in asdict(base).items()})
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    data = seed(sizes)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Planner statistics, as autovacuum keeps them on a real database: without them PostgreSQL takes the
            # freshly filled tables for nearly empty and plans nested loops (the board page's query: 19 ms, 1.6 ms
            # after ANALYZE, on this data set).
            cursor.execute("ANALYZE")
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1)


if __name__ == "__main__":
    main()
