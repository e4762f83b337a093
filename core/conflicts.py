"""When a save is refused because someone else saved first: what differs, shown side by side.

Views that keep a version on their objects (goals, actions, meetings, voorgesprekken, agreements) call
``conflict_rows`` after the service refused a stale version. It lists, per field that differs, the saved value
and the user's own input as people read them (a choice's label, a person's name, a Dutch date), and moves the
form onto the saved version, so the next save overwrites knowingly. The template is ``_conflict.html``.
"""

from __future__ import annotations

import datetime
from typing import cast

from django import forms
from django.http import QueryDict
from django.utils.formats import date_format


def _comparable(value):
    if hasattr(value, "pk"):
        return value.pk
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def _choice_labels(field: forms.ChoiceField) -> dict[str, str]:
    labels = {}
    for key, label in getattr(field, "choices", ()):  # Django has normalised them to (value, label) pairs
        if isinstance(label, (list, tuple)):  # an optgroup
            labels.update({str(k): str(v) for k, v in label})
        else:
            labels[str(key)] = str(label)
    return labels


def readable(field: forms.Field, value) -> str:
    """A value as the form shows it: the choice's label, a person's name, a Dutch date, a time as 15:30."""
    if value is None or value == "":
        return ""
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return _choice_labels(field).get(str(value), str(value))
    if hasattr(value, "display_name"):
        return value.display_name
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def conflict_rows(form: forms.Form, obj, names) -> list[dict]:
    """Saved versus mine for each field of ``names`` that differs; the form then carries the saved version."""
    rows = []
    for name in names:
        if name not in form.fields:
            continue
        saved, mine = getattr(obj, name), form.cleaned_data.get(name)
        if _comparable(saved) != _comparable(mine):
            field = form.fields[name]
            rows.append({"label": field.label, "saved": readable(field, saved), "mine": readable(field, mine)})
    carry_version(form, obj.version)
    return rows


def carry_version(form: forms.Form, version) -> None:
    """Move a bound form onto the saved version: the user's input stays, the next save overwrites knowingly."""
    data = cast(QueryDict, form.data).copy()  # a bound form's data is request.POST, a QueryDict
    data["version"] = version
    form.data = data
