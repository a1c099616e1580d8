"""The database-level guard that makes the provenance log append-only.

On PostgreSQL a trigger refuses UPDATE and DELETE; on SQLite triggers abort them. Someone who owns the
database can still switch the guard off — that is why the log is also hash-chained and verified.
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
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_logentry_append_only ON audit_logentry;
DROP FUNCTION IF EXISTS audit_logentry_refuse_change();
"""
SQLITE_CREATE = [
    "CREATE TRIGGER IF NOT EXISTS audit_logentry_no_update BEFORE UPDATE ON audit_logentry "
    "BEGIN SELECT RAISE(ABORT, 'the provenance log is append-only: UPDATE refused'); END;",
    "CREATE TRIGGER IF NOT EXISTS audit_logentry_no_delete BEFORE DELETE ON audit_logentry "
    "BEGIN SELECT RAISE(ABORT, 'the provenance log is append-only: DELETE refused'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_logentry_no_update;",
    "DROP TRIGGER IF EXISTS audit_logentry_no_delete;",
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
