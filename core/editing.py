"""One way to write an edit view of a versioned item: bind, save through the service, show a refused save.

An edit view loads its item with the access check, binds the form with the loaded version and calls ``edit``:

    return edit(
        request,
        form,
        goal,
        save=lambda version: services.do_update_goal(goal=goal, expected_version=version, ...),
        fields=services.GOAL_FIELDS,
        template="actionplans/goal_form.html",
        context=lambda conflict: _ctx(acc, form=form, goal=goal, conflict=conflict, saved_by=goal.updated_by),
        done=lambda saved: _done(request, ...),
    )

A GET shows the form (200). A POST with invalid input shows it again with the input kept (400). A valid POST calls
``save`` with the version the form was loaded with; when the service refuses a stale version (``ConflictError``)
the item is read again, the message goes on the form, ``_conflict.html`` gets the rows "saved versus mine" and the
form carries the saved version, so the next save overwrites knowingly (409). Any other ``ServiceError`` goes on the
form (400). A save that went through ends in ``done``, which adds the message and redirects.

``context`` is called only when the page is drawn, after a conflict has read the item again, so ``saved_by`` and
the like show the saved version. This module imports no domain app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .conflicts import conflict_rows
from .errors import ConflictError, ServiceError


def post_data(request: HttpRequest):
    """What to bind a form with: the POST on a save, nothing on a GET (an unbound form shows its initial data)."""
    return request.POST if request.method == "POST" else None


def form_status(request: HttpRequest) -> int:
    """The status of a page with a form: 200 on a GET, 400 when a POST comes back with errors."""
    return 400 if request.method == "POST" else 200


def edit(
    request: HttpRequest,
    form: forms.Form,
    obj: Any,
    *,
    save: Callable[[int | None], Any],
    fields: Iterable[str],
    template: str,
    context: Callable[[list[dict] | None], dict],
    done: Callable[[Any], HttpResponse],
    more_rows: Callable[[forms.Form, Any], list[dict]] | None = None,
) -> HttpResponse:
    """Show and save an edit form of a versioned ``obj`` (``None`` for a form that also creates: no version).

    ``save(expected_version)`` calls the service and returns what ``done`` gets; ``fields`` are compared on a
    conflict; ``more_rows(form, obj)`` adds rows that are not plain fields (steps, people) after a conflict."""
    conflict = None
    status = form_status(request)
    if request.method == "POST" and form.is_valid():
        expected = (form.cleaned_data.get("version") or obj.version) if obj is not None else None
        try:
            saved = save(expected)
        except ConflictError as exc:
            if obj is None:  # only an item that exists has a version to conflict with
                raise
            obj.refresh_from_db()
            form.add_error(None, str(exc))
            conflict = conflict_rows(form, obj, fields)
            if more_rows is not None:
                conflict += more_rows(form, obj)
            status = 409
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            return done(saved)
    return render(request, template, context(conflict), status=status)
