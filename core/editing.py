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
``save`` with the version the form was loaded with (``loaded_version``); a POST on an existing item without that
version is refused (400, nothing saved), it never overwrites blindly. When the service refuses a stale version
(``ConflictError``) the item is read again, the message goes on the form, ``_conflict.html`` gets the rows "saved
versus mine" and the form carries the saved version, so the next save overwrites knowingly (409). Any other
``ServiceError`` goes on the form (400). A save that went through ends in ``done``, which adds the message and
redirects (or, for htmx, draws the part of the page that changed).

Pages that show a refused save otherwise pass ``on_conflict(form)``: it reads the saved item itself and returns
what the page shows of it, e.g. an autosaved text box shows the saved text next to the user's (which stays in the
box, with a "Mijn versie opslaan" button that sends ``force_version``), or a step shows its saved values; it may
move the form onto the saved version with ``core.conflicts.carry_version``. ``template`` may be a partial
(``"page.html#part"``) for an htmx request. ``refused_field`` puts another refusal's message on a field instead of
above the form; ``conflict_status`` and ``refused_status`` are the statuses of the two kinds of refusal.

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
from .fields import MISSING_VERSION


def post_data(request: HttpRequest):
    """What to bind a form with: the POST on a save, nothing on a GET (an unbound form shows its initial data)."""
    return request.POST if request.method == "POST" else None


def form_status(request: HttpRequest) -> int:
    """The status of a page with a form: 200 on a GET, 400 when a POST comes back with errors."""
    return 400 if request.method == "POST" else 200


def loaded_version(form: forms.Form):
    """The version a valid form was loaded with: ``force_version`` when sent (after a conflict, the saved version the
    user has seen and chose to overwrite), else ``version``; None when the form has neither (a form that creates)."""
    forced = form.cleaned_data.get("force_version")
    return forced if forced is not None else form.cleaned_data.get("version")


def edit(
    request: HttpRequest,
    form: forms.Form,
    obj: Any,
    *,
    save: Callable[[Any], Any],
    template: str,
    context: Callable[[Any], dict],
    done: Callable[[Any], HttpResponse],
    fields: Iterable[str] = (),
    more_rows: Callable[[forms.Form, Any], list[dict]] | None = None,
    on_conflict: Callable[[forms.Form], Any] | None = None,
    refused_field: str | None = None,
    conflict_status: int = 409,
    refused_status: int = 400,
) -> HttpResponse:
    """Show and save an edit form of a versioned ``obj``.

    ``obj`` is the item as loaded; ``None`` for a form that also creates (no version) or for an item that may not
    exist yet (an autosaved text), whose conflict ``on_conflict`` shows. ``save(expected_version)`` calls the service
    and returns what ``done`` gets; ``fields`` are compared on a conflict; ``more_rows(form, obj)`` adds rows that
    are not plain fields (steps, people) after a conflict. ``context(conflict)`` gets the rows, what ``on_conflict``
    returned, or None."""
    conflict = None
    status = form_status(request)
    if request.method == "POST" and form.is_valid():
        expected = loaded_version(form)
        if obj is not None and expected is None:  # every edit form requires it; never save over an unseen change
            form.add_error(None, MISSING_VERSION)
            return render(request, template, context(conflict), status=status)
        try:
            saved = save(expected)
        except ConflictError as exc:
            if on_conflict is not None:
                form.add_error(None, str(exc))
                conflict = on_conflict(form)
            elif obj is None:  # only an item that exists has a version to conflict with
                raise
            else:
                obj.refresh_from_db()
                form.add_error(None, str(exc))
                conflict = conflict_rows(form, obj, fields)
                if more_rows is not None:
                    conflict += more_rows(form, obj)
            status = conflict_status
        except ServiceError as exc:
            form.add_error(refused_field, str(exc))
            status = refused_status
        else:
            return done(saved)
    return render(request, template, context(conflict), status=status)
