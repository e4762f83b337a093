"""The database keeps a locked round anonymous for ever, also against a bulk update that clears the lock in the
same statement (review finding 10: update(anonymous=False, anonymity_locked_at=None) passed the check constraint
round_anonymous_for_ever, which only sees the new row).

On PostgreSQL a trigger compares the old row with the new one: once anonymity_locked_at is set it may not change
(not cleared, not moved), and the round may not become named. It raises check_violation, which Django reports as
IntegrityError. Other databases (SQLite in development and tests) keep the check constraint only.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION assessments_round_lock_for_ever() RETURNS trigger AS $$
BEGIN
    IF OLD.anonymity_locked_at IS NOT NULL THEN
        IF NEW.anonymity_locked_at IS DISTINCT FROM OLD.anonymity_locked_at THEN
            RAISE EXCEPTION 'round %: anonymity_locked_at is set for ever', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF NOT NEW.anonymous THEN
            RAISE EXCEPTION 'round %: anonymous for ever', OLD.id USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER assessments_round_lock_for_ever
    BEFORE UPDATE ON assessments_round
    FOR EACH ROW EXECUTE FUNCTION assessments_round_lock_for_ever();
"""

DROP = """
DROP TRIGGER IF EXISTS assessments_round_lock_for_ever ON assessments_round;
DROP FUNCTION IF EXISTS assessments_round_lock_for_ever();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_lock_rounds_with_drafts"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
