"""On PostgreSQL the database itself keeps the audit log append-only (README, "Logboek").

A trigger on ``audit_auditevent`` refuses every UPDATE and DELETE except the two sanctioned ones:

- DELETE of a row older than the cut-off that the retention purge sets for its own transaction
  (``set_config('audit.purge_before', <timestamp>, true)`` in audit/retention.py); a cut-off in the future is
  refused, so the purge can never empty the log;
- UPDATE whose only change is ``actor_id``, ``school_id`` or ``board_id`` becoming NULL: ``on_delete=SET_NULL`` when
  a user (an erased account), a school (one that leaves) or a board is deleted.

Other databases (SQLite in development and tests) get no trigger; the admin and the code are read-only there too.
TRUNCATE is not covered by a row trigger: the application never truncates, and a production database role should
not be the table's owner (see README).
"""

from django.db import migrations

FUNCTION = r"""
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cutoff text := current_setting('audit.purge_before', true);
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF cutoff IS NOT NULL AND cutoff <> ''
           AND cutoff::timestamptz <= now()
           AND OLD.created_at < cutoff::timestamptz THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit log is append-only: row % may not be deleted', OLD.id
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Only the retention purge (manage.py purge_audit_log) removes old rows.';
    END IF;
    -- UPDATE: every column the same, except actor_id, school_id and board_id, each unchanged or becoming NULL.
    IF (to_jsonb(NEW) - 'actor_id' - 'school_id' - 'board_id') = (to_jsonb(OLD) - 'actor_id' - 'school_id' - 'board_id')
       AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
       AND (NEW.school_id IS NULL OR NEW.school_id IS NOT DISTINCT FROM OLD.school_id)
       AND (NEW.board_id IS NULL OR NEW.board_id IS NOT DISTINCT FROM OLD.board_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit log is append-only: row % may not be changed', OLD.id
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only a deleted user, school or board may become NULL (ON DELETE SET NULL).';
END;
$$
"""

CREATE = [
    FUNCTION,
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    """CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()""",
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql, params=None)  # no parameters: the % in the messages is plpgsql's


def create_guard(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop_guard(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_school_set_null"),
    ]

    operations = [
        migrations.RunPython(create_guard, drop_guard, elidable=False),
    ]
