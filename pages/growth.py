"""The growth page: a school's Ontwikkelmodel over the years (assessments.growth) with what the plan did on each
accent in between (actionplans: the goals set on it, their actions finished and celebrated), and per growth layer
the team training modules that serve it (reference: the handbook's Tabel 1.2). It combines apps, so it sits on top.
Everyone in the school and the board may read it; the individual distributions only the school's members, as on
each round's result page. A fixed number of queries, whatever the number of rounds or goals."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from actionplans.overview import goals_by_accent
from assessments.growth import school_growth
from organisations import access
from reference.content import modules_for_layer, training_modules
from research.benchmark import school_benchmark


def growth_context(acc) -> dict:
    growth = school_growth(acc.school, include_individual=acc.can_see_individual_answers(None))
    modules = {m["number"]: m for m in training_modules()}
    for layer in growth.layers:  # Tabel 1.2: the team training modules that serve this growth layer
        layer.modules = [modules[n] for n in modules_for_layer(layer.layer.code)]
    goals = goals_by_accent(acc.school)
    for a in growth.accents:
        a.goals = goals.get(a.accent.code, [])
    # Across schools (research.benchmark): only for a school that opted in, from 5 other opted-in schools up.
    return access.school_context(acc, growth=growth, benchmark=school_benchmark(acc.school))


def growth(request, school_id):
    acc = access.school_access(request, school_id)
    response = render(request, "pages/growth.html", growth_context(acc))
    add_never_cache_headers(response)  # the team's results: not for shared caches
    return response
