"""The log pages (the audit app's rows, shown under the access policy with the people's names): the school's
audit log for the schoolleiding, a board's own events for its members.

Who did what, when, in plain Dutch (audit/labels.py), filtered by kind and person, 50 rows a page. Only the label,
the download's file and the names of fields changed in the admin are shown: never a row's other data (no answers),
never an email address. The number of queries does not grow with the log (tests/pages/test_audit_pages.py).
"""

from __future__ import annotations

from django.apps import apps
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from accounts.models import User
from audit.forms import LogFilterForm, person_label
from audit.labels import action_label, details
from audit.retention import retention_days
from organisations import access

PAGE_SIZE = 50

# What a row was about, by name: the title of these objects is shown beside the label (one query per kind on a
# page, whatever the number of rows). Titles only: never content, never answers.
TITLED = {
    "assessments.round": "title",
    "actionplans.goal": "title",
    "actionplans.action": "title",
    "training.trainingsession": "title",
    "leadership.checklistround": "title",
}


def _titles(events, school) -> dict[tuple[str, str], str]:
    """(object_type, object_id) → title, for objects of this school only (none on the board's log)."""
    if school is None:
        return {}
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.object_type in TITLED and event.object_id.isdigit():
            wanted.setdefault(event.object_type, set()).add(int(event.object_id))
    titles = {}
    for label, ids in wanted.items():
        model = apps.get_model(label)
        for pk, title in model._base_manager.filter(pk__in=ids, school=school).values_list("pk", TITLED[label]):
            titles[(label, str(pk))] = title
    return titles


def _log_context(request, events, school=None) -> dict:
    actions = list(events.order_by().values_list("action", flat=True).distinct())
    people = list(
        User.objects.filter(pk__in=events.order_by().values("actor_id")).only("pk", "name").order_by("name", "pk")
    )
    form = LogFilterForm(request.GET or None, actions=actions, people=people)
    query = {}
    if form.is_bound and form.is_valid():
        if form.cleaned_data["actie"]:
            events = events.filter(action=form.cleaned_data["actie"])
            query["actie"] = form.cleaned_data["actie"]
        if form.cleaned_data["persoon"] is not None:
            events = events.filter(actor_id=form.cleaned_data["persoon"])
            query["persoon"] = form.cleaned_data["persoon"]
    page = Paginator(events.select_related("actor").order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    events_on_page = list(page.object_list)
    titles = _titles(events_on_page, school)
    rows = [
        {
            "event": event,
            "who": person_label(event.actor) if event.actor is not None else None,
            "what": action_label(event.action),
            "title": titles.get((event.object_type, event.object_id), ""),
            "details": details(event),
        }
        for event in events_on_page
    ]
    return {
        "form": form,
        "page": page,
        "rows": rows,
        "query": urlencode(query),
        "retention_days": retention_days(),
    }


def _render(request, template, context):
    response = render(request, template, context)
    add_never_cache_headers(response)  # who did what: not for shared caches
    return response


def school_log(request, school_id):
    acc = access.school_access(request, school_id)
    events = access.school_audit_events(acc)
    context = {"acc": acc, "school": acc.school, **_log_context(request, events, acc.school)}
    return _render(request, "audit/school_log.html", context)


def board_log(request, board_id):
    board = access.get_board_for_user(request.user, board_id)
    events = access.board_audit_events(board)
    return _render(request, "audit/board_log.html", {"board": board, **_log_context(request, events)})
