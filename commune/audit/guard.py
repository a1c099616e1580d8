"""The database-level guard that makes the provenance log append-only.

On PostgreSQL a trigger refuses UPDATE and DELETE; on SQLite triggers abort them. The chain's head may only
move one entry forward at a time, never back, and is never deleted. Someone who owns the database can still
switch the guard off — that is why the log is also hash-chained, signed and verified.
"""

from __future__ import annotations

from typing import Any

PG_CREATE = """
CREATE OR REPLACE FUNCTION audit_logentry_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = 'the provenance log is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_logentry_append_only ON audit_logentry;
CREATE TRIGGER audit_logentry_append_only
  BEFORE UPDATE OR DELETE ON audit_logentry
  FOR EACH ROW EXECUTE FUNCTION audit_logentry_refuse_change();
CREATE OR REPLACE FUNCTION audit_chainhead_only_forward() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.seq <> OLD.seq + 1 OR NEW.organisation_id <> OLD.organisation_id THEN
    RAISE EXCEPTION USING MESSAGE = 'the chain head only moves forward by one entry: ' || TG_OP || ' refused';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_chainhead_forward ON audit_chainhead;
CREATE TRIGGER audit_chainhead_forward
  BEFORE UPDATE OR DELETE ON audit_chainhead
  FOR EACH ROW EXECUTE FUNCTION audit_chainhead_only_forward();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_logentry_append_only ON audit_logentry;
DROP FUNCTION IF EXISTS audit_logentry_refuse_change();
DROP TRIGGER IF EXISTS audit_chainhead_forward ON audit_chainhead;
DROP FUNCTION IF EXISTS audit_chainhead_only_forward();
"""
SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS audit_logentry_no_update BEFORE UPDATE ON audit_logentry "
    "BEGIN SELECT RAISE(ABORT, 'the provenance log is append-only: UPDATE refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_logentry_no_delete BEFORE DELETE ON audit_logentry "
    "BEGIN SELECT RAISE(ABORT, 'the provenance log is append-only: DELETE refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_chainhead_forward BEFORE UPDATE ON audit_chainhead "
    "WHEN NEW.seq <> OLD.seq + 1 OR NEW.organisation_id <> OLD.organisation_id "
    "BEGIN SELECT RAISE(ABORT, 'the chain head only moves forward by one entry: UPDATE refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_chainhead_no_delete BEFORE DELETE ON audit_chainhead "
    "BEGIN SELECT RAISE(ABORT, 'the chain head only moves forward by one entry: DELETE refused'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_logentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_logentry_no_delete;",
    "DROP TRIGGER IF EXISTS audit_chainhead_forward;",
    "DROP TRIGGER IF EXISTS audit_chainhead_no_delete;",
]


def guard_install(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_CREATE)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_CREATE:
                cursor.execute(statement)


def guard_remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_DROP)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)
