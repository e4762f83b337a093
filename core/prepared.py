"""A read query built by the ORM once per process and run again with other values.

Some pages run a few queries on every request whose building and compiling by the ORM costs far more than the
database does: the school page's one query of twelve subqueries takes milliseconds to put together and a fraction of
a millisecond to run. `PreparedQuery` builds such a query once, with placeholder values, keeps its SQL, and on every
run only puts the real values into the parameters:

    FACTS = PreparedQuery(
        lambda p: School.objects.filter(pk=p.school).annotate(n=..., due=Q(date__lte=p.today)).values("n", ...),
        ints=("school",),
        dates=("today",),
    )
    row = FACTS.one(school=school.pk, today=today)  # a dict, as .values().get() gives

The builder gets placeholders (`p.school`, `p.today`): odd values (numbers from 29000, days in the year 1111), found
back among the compiled parameters; the query is never run with them. It must build the same query whatever the
values are (no `if` on them). The first run of each process checks that: it also builds the query with the real
values through the ORM and compares SQL and parameters; when they differ, or a placeholder did not come back as a
parameter of its own, the query is always built by the ORM instead (and a warning logged), so a run never differs
from what the ORM would do.
Only for `.values()` querysets (rows as dicts); results pass through the same converters as the ORM's.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.db import connections
from django.db.models import QuerySet

log = logging.getLogger(__name__)

_BASE_DATE = datetime.date(1111, 1, 1)
_BASE_TIME = datetime.datetime(1111, 1, 1, tzinfo=datetime.UTC)


class PreparedQuery:
    def __init__(
        self,
        build: Callable[[SimpleNamespace], Any],  # a .values() QuerySet; (sql, params) for PreparedSQL
        *,
        ints: tuple[str, ...] = (),
        dates: tuple[str, ...] = (),
        datetimes: tuple[str, ...] = (),
        strs: tuple[str, ...] = (),
        using: str = "default",
    ):
        self.build = build
        self.kinds = {
            **dict.fromkeys(ints, "int"),
            **dict.fromkeys(dates, "date"),
            **dict.fromkeys(datetimes, "dt"),
            **dict.fromkeys(strs, "str"),
        }
        self.using = using
        self._prepared: dict[str, object] = {}  # database vendor → (sql, slots, compiler, names) or None (use ORM)
        self._lock = threading.Lock()

    # Placeholders -------------------------------------------------------------------------------------------

    def _placeholders(self, offset: int) -> dict[str, object]:
        values: dict[str, object] = {}
        for n, (name, kind) in enumerate(self.kinds.items()):
            k = offset + n
            if kind == "int":
                # Within every integer field's range (a small positive one too: the ORM answers a value outside a
                # field's range without asking the database); a constant equal to it only makes the check fail.
                values[name] = 29_000 + k
            elif kind == "str":
                values[name] = f"\u2063prepared-{k}\u2063"  # with an invisible separator no real value has
            elif kind == "date":
                values[name] = _BASE_DATE + datetime.timedelta(days=k)
            else:
                values[name] = _BASE_TIME + datetime.timedelta(hours=k)
        return values

    def _adapt(self, connection, kind: str, value):
        if kind == "int":
            return int(value)
        if kind == "str":
            return str(value)
        if kind == "date":
            return connection.ops.adapt_datefield_value(value)
        return connection.ops.adapt_datetimefield_value(value)

    def _queryset(self, values: dict) -> QuerySet:
        return self.build(SimpleNamespace(**values))

    def _compile(self, values: dict):
        """(sql, params, compiler, names) of the query built with these values."""
        query = self._queryset(values).query
        compiler = query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        if query.selected:
            names = list(query.selected)
        else:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return sql, list(params), compiler, names

    # Preparing ----------------------------------------------------------------------------------------------

    def _prepare(self, connection):
        """(sql, slots, compiler, names): slots holds per parameter a constant or (placeholder name, adapted)."""
        first, second = self._placeholders(0), self._placeholders(1000)
        (sql, params, compiler, names), (sql2, params2, _c, _n) = self._compile(first), self._compile(second)
        if sql != sql2 or len(params) != len(params2):
            return None
        forms = {}  # (name, adapted) → (its value in the first build, in the second)
        for name, kind in self.kinds.items():
            forms[(name, True)] = (
                self._adapt(connection, kind, first[name]),
                self._adapt(connection, kind, second[name]),
            )
            forms[(name, False)] = (first[name], second[name])  # as given: written-out SQL (PreparedSQL)
        slots: list[object] = []
        for value, value2 in zip(params, params2, strict=True):
            found = [key for key, (a, b) in forms.items() if value == a and value2 == b]
            if found:
                slots.append(found[0])  # adapted first: where both match they are the same value
            elif value == value2 and not any(value == a for a, _b in forms.values()):
                slots.append(_Constant(value))
            else:
                return None
        if {s[0] for s in slots if isinstance(s, tuple)} != set(self.kinds):
            return None  # a placeholder the ORM folded into the SQL text, or one the builder did not use
        return sql, slots, compiler, names

    def _params(self, connection, slots, values: dict) -> list:
        params = []
        for slot in slots:
            if isinstance(slot, _Constant):
                params.append(slot.value)
            else:
                name, adapted = slot
                params.append(self._adapt(connection, self.kinds[name], values[name]) if adapted else values[name])
        return params

    def _get_prepared(self, connection, values: dict):
        vendor = connection.vendor
        if vendor in self._prepared:
            return self._prepared[vendor]
        with self._lock:
            if vendor in self._prepared:
                return self._prepared[vendor]
            prepared = self._prepare(connection)
            if prepared is not None:
                # The first run's check: built with the real values, the query is exactly this one.
                sql, slots, _compiler, _names = prepared
                real_sql, real_params, _c, _n = self._compile(values)
                if real_sql != sql or real_params != self._params(connection, slots, values):
                    prepared = None
            if prepared is None:
                log.warning("prepared query %s is built by the ORM on every run", self.build)
            self._prepared[vendor] = prepared
            return prepared

    # Running ------------------------------------------------------------------------------------------------

    def rows(self, **values) -> list[dict]:
        """The rows as dicts, as the queryset's .values() gives them."""
        if set(values) != set(self.kinds):
            raise TypeError(f"expected the values {sorted(self.kinds)}, got {sorted(values)}")
        connection = connections[self.using]
        prepared = self._get_prepared(connection, values)
        if prepared is None:
            return self._run_unprepared(values)
        sql, slots, compiler, names = prepared
        with connection.cursor() as cursor:
            cursor.execute(sql, self._params(connection, slots, values))
            return self._dicts(cursor.fetchall(), compiler, self._names(names, cursor))

    def _names(self, names, cursor) -> list[str]:
        """The rows' keys: the queryset's selected names (PreparedSQL: the cursor's column names)."""
        return names

    def _run_unprepared(self, values: dict) -> list[dict]:
        return list(self._queryset(values))

    def _dicts(self, fetched, compiler, names) -> list[dict]:
        return [dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[fetched])]

    def one(self, **values) -> dict:
        """The one row (as .values().get(); DoesNotExist or MultipleObjectsReturned as the ORM raises them)."""
        rows = self.rows(**values)
        if len(rows) != 1:
            return self._queryset(values).get()  # raises as the ORM does
        return rows[0]


class PreparedSQL(PreparedQuery):
    """The same for a query written out, for what the ORM cannot say (WITH, joins on a subquery's rows): ``build(p)``
    returns (sql, params), where params may hold the placeholders themselves and SQL may include querysets compiled
    by the ORM (their parameters as the ORM adapts them). Rows are dicts by the columns' names, with the values as
    the database driver gives them (no model field converters: ints and strings as they are; ``date_columns`` are
    made dates where the backend gives text, as SQLite does)."""

    def __init__(self, build, *, date_columns: tuple[str, ...] = (), **kwargs):
        super().__init__(build, **kwargs)
        self.date_columns = date_columns

    def _compile(self, values: dict):
        sql, params = self.build(SimpleNamespace(**values))
        return sql, list(params), None, None

    def _run_unprepared(self, values: dict) -> list[dict]:
        sql, params = self.build(SimpleNamespace(**values))
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return self._dicts(cursor.fetchall(), None, self._names(None, cursor))

    def _names(self, names, cursor) -> list[str]:
        return [c[0] for c in cursor.description]

    def _dicts(self, fetched, compiler, names) -> list[dict]:
        rows = [dict(zip(names, row, strict=True)) for row in fetched]
        for row in rows:
            for column in self.date_columns:
                if isinstance(row[column], str):
                    row[column] = datetime.date.fromisoformat(row[column])
        return rows

    def one(self, **values) -> dict:
        [row] = self.rows(**values)
        return row


def sql_of(queryset) -> tuple[str, list]:
    """A queryset's SQL and parameters, to write into a PreparedSQL query (e.g. as a WITH clause)."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, list(params)


def instances(model, rows: list[dict], *, using: str = "default") -> list:
    """Model instances (Model.from_db) from the rows of a prepared ``.values(<attnames>)`` query: those fields are
    loaded, any other is read from the database when used (as with .only())."""
    if not rows:
        return []
    attnames = [f.attname for f in model._meta.concrete_fields if f.attname in rows[0]]  # from_db takes this order
    return [model.from_db(using, attnames, [row[a] for a in attnames]) for row in rows]


class _Constant:
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value
