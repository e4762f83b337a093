"""Sessions in the database (shared by every app server), as django.contrib.sessions.backends.db stores them, read
with a query built once per process (core.prepared): every request of a logged-in person reads its session, and
building that query through the ORM cost more than running it. Writing, creating, expiring and deleting sessions
are Django's own. SESSION_ENGINE = "accounts.sessions"."""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.prepared import PreparedQuery

_LOAD = PreparedQuery(
    lambda p: Session.objects.filter(session_key=p.key, expire_date__gt=p.now).values("session_data"),
    strs=("key",),
    datetimes=("now",),
)


class SessionStore(db.SessionStore):
    def load(self):
        """The session's data, or {} (and no key) for a session that does not exist or has expired, as Django's."""
        rows = _LOAD.rows(key=self.session_key, now=timezone.now()) if self.session_key is not None else []
        if not rows:
            self._session_key = None
            return {}
        return self.decode(rows[0]["session_data"])
