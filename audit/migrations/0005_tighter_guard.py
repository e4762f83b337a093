"""A tighter PostgreSQL guard on the audit log (replaces the trigger function of 0004; README, "Audit log").

Three triggers on ``audit_auditevent``:

- ``audit_auditevent_append_only`` (BEFORE UPDATE OR DELETE, the function of 0004 replaced):
  DELETE only for the retention purge: the transaction set its cut-off (``set_config('audit.purge_before', ...,
  true)``, audit/retention.py), the row is older than that cut-off AND older than ``MINIMUM_RETENTION_DAYS`` (365)
  before ``now()``, whatever the transaction says. UPDATE only when its sole change is ``actor_id``, ``school_id``
  or ``board_id`` becoming NULL (``on_delete=SET_NULL``).
- ``audit_auditevent_unlink_check`` (a deferred CONSTRAINT trigger, AFTER UPDATE of a row whose link became NULL):
  when it fires (at commit, or at the end of the statement after ``SET CONSTRAINTS ... IMMEDIATE``) the user,
  school or board the row pointed at must be gone. Django's Collector runs the ``SET NULL`` UPDATE before it
  deletes the parent row, so the check cannot be made in the BEFORE trigger; at commit the parent is gone when the
  deletion was real, and still there when only the link was cut (``UPDATE ... SET school_id = NULL``): refused.
  (Database-level ``DB_SET_NULL`` is not possible for ``school``: School.board is PROTECT, a Python-level
  variant, and Django refuses mixing them, fields.E323.)
- ``audit_auditevent_insert_guard`` (BEFORE INSERT): ``created_at`` within 3 hours before and 1 day after the
  database's clock (server clocks that differ a little, tests that move the clock forward); a row dated further
  back or ahead is refused.

The functions run with a fixed ``search_path`` (this schema, then ``pg_temp``), so a temporary table named like one
of ours cannot stand in for it.
"""

from django.db import migrations

MINIMUM_RETENTION_DAYS = 365  # audit/retention.py uses the same number

GUARD = r"""
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cutoff text := current_setting('audit.purge_before', true);
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF cutoff IS NOT NULL AND cutoff <> ''
           AND cutoff::timestamptz <= now()
           AND OLD.created_at < cutoff::timestamptz
           AND OLD.created_at < now() - interval '%(days)s days' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit log is append-only: row %% may not be deleted', OLD.id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only the retention purge (manage.py purge_audit_log) removes rows, older than %(days)s days.';
    END IF;
    -- UPDATE: every column the same, except actor_id, school_id and board_id, each unchanged or becoming NULL.
    -- Whether the user, school or board is really gone is checked at commit (audit_auditevent_unlink_check).
    IF (to_jsonb(NEW) - 'actor_id' - 'school_id' - 'board_id') = (to_jsonb(OLD) - 'actor_id' - 'school_id' - 'board_id')
       AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
       AND (NEW.school_id IS NULL OR NEW.school_id IS NOT DISTINCT FROM OLD.school_id)
       AND (NEW.board_id IS NULL OR NEW.board_id IS NOT DISTINCT FROM OLD.board_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit log is append-only: row %% may not be changed', OLD.id
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only a deleted user, school or board may become NULL (ON DELETE SET NULL).';
END;
$$
""" % {"days": MINIMUM_RETENTION_DAYS}

UNLINK_CHECK = r"""
CREATE OR REPLACE FUNCTION audit_auditevent_unlink_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.school_id IS NOT NULL AND NEW.school_id IS NULL
        AND EXISTS (SELECT 1 FROM organisations_school WHERE id = OLD.school_id))
       OR (OLD.board_id IS NOT NULL AND NEW.board_id IS NULL
        AND EXISTS (SELECT 1 FROM organisations_board WHERE id = OLD.board_id))
       OR (OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
        AND EXISTS (SELECT 1 FROM accounts_user WHERE id = OLD.actor_id)) THEN
        RAISE EXCEPTION 'audit log is append-only: row % may lose its user, school or board only when that is deleted',
            OLD.id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'The link becomes NULL only by deleting the user, school or board itself.';
    END IF;
    RETURN NULL;
END;
$$
"""

INSERT_GUARD = r"""
CREATE OR REPLACE FUNCTION audit_auditevent_insert_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.created_at IS NULL
       OR NEW.created_at < clock_timestamp() - interval '3 hours'
       OR NEW.created_at > clock_timestamp() + interval '1 day' THEN
        RAISE EXCEPTION 'audit log is append-only: a new row is dated now, not %', NEW.created_at
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'created_at must lie within 3 hours before and 1 day after the database clock.';
    END IF;
    RETURN NEW;
END;
$$
"""

FUNCTIONS = ("audit_auditevent_append_only", "audit_auditevent_unlink_check", "audit_auditevent_insert_guard")

CREATE = [
    GUARD,
    UNLINK_CHECK,
    INSERT_GUARD,
    "DROP TRIGGER IF EXISTS audit_auditevent_unlink_check ON audit_auditevent",
    """CREATE CONSTRAINT TRIGGER audit_auditevent_unlink_check AFTER UPDATE ON audit_auditevent
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN ((OLD.school_id IS NOT NULL AND NEW.school_id IS NULL)
          OR (OLD.board_id IS NOT NULL AND NEW.board_id IS NULL)
          OR (OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL))
    EXECUTE FUNCTION audit_auditevent_unlink_check()""",
    "DROP TRIGGER IF EXISTS audit_auditevent_insert_guard ON audit_auditevent",
    """CREATE TRIGGER audit_auditevent_insert_guard BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_insert_guard()""",
]

# Back to 0004's function (its trigger stays; 0004's own reverse drops it).
DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_insert_guard ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_unlink_check ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_insert_guard()",
    "DROP FUNCTION IF EXISTS audit_auditevent_unlink_check()",
]


def _postgresql(schema_editor) -> bool:
    return schema_editor.connection.vendor == "postgresql"


def _pin_search_path(schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    quoted = schema_editor.quote_name(schema)
    for name in FUNCTIONS:
        schema_editor.execute(f"ALTER FUNCTION {name}() SET search_path = {quoted}, pg_temp", params=None)


def create_guard(apps, schema_editor):
    if _postgresql(schema_editor):
        for sql in CREATE:
            schema_editor.execute(sql, params=None)  # no parameters: the % in the messages is plpgsql's
        _pin_search_path(schema_editor)


def drop_guard(apps, schema_editor):
    if _postgresql(schema_editor):
        for sql in DROP:
            schema_editor.execute(sql, params=None)
        from importlib import import_module

        guard_0004 = import_module("audit.migrations.0004_append_only_guard")
        schema_editor.execute(guard_0004.FUNCTION, params=None)
        schema_editor.execute("ALTER FUNCTION audit_auditevent_append_only() RESET search_path", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_append_only_guard"),
        ("organisations", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_guard, drop_guard, elidable=False),
    ]
