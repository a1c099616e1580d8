"""The database-level guard that makes the provenance log append-only.

On PostgreSQL a trigger refuses UPDATE and DELETE; on SQLite triggers abort them. The chain's head may only
move one entry forward at a time, never back, and is never deleted. Someone who owns the database can still
switch the guard off — that is why the log is also hash-chained, signed and verified.

One change to an entry is let through: erasure (``commune.audit.erasure``) replacing the text and its salt of
an entry whose hash covers only a commitment to them (``scheme`` 2), under a new salt, every other column
unchanged. A text changed under its old salt, or a salt removed, is refused. Migrations written before those columns existed install the guard without that exception
(``erasable=False``).
"""

from __future__ import annotations

from typing import Any

#: The columns the hash covers (or, for ``text_commitment``, that hold what it covers): never changed.
_FIXED = [
    "id",
    "organisation_id",
    "seq",
    "recorded_at",
    "action",
    "body_id",
    "actor_id",
    "payload",
    "prev_hash",
    "entry_hash",
    "signed_by",
    "signature",
    "scheme",
    "text_commitment",
]

_PG_ERASABLE = (
    "  IF TG_OP = 'UPDATE' AND OLD.scheme >= 2 AND NEW.text_salt <> '' AND NEW.text_salt <> OLD.text_salt\n"
    f"     AND ({', '.join('NEW.' + c for c in _FIXED)})\n"
    f"         IS NOT DISTINCT FROM ({', '.join('OLD.' + c for c in _FIXED)}) THEN\n"
    "    RETURN NEW;\n"
    "  END IF;\n"
)
_SQLITE_ERASABLE = (
    "WHEN NOT (OLD.scheme >= 2 AND NEW.text_salt <> '' AND NEW.text_salt <> OLD.text_salt AND {}) ".format(
        " AND ".join(f"NEW.{c} IS OLD.{c}" for c in _FIXED)
    )
)

PG_CREATE = """
CREATE OR REPLACE FUNCTION audit_logentry_refuse_change() RETURNS trigger AS $$
BEGIN
{erasable}  RAISE EXCEPTION USING MESSAGE = 'the provenance log is append-only: ' || TG_OP || ' refused';
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
    "CREATE TRIGGER IF NOT EXISTS audit_logentry_no_update BEFORE UPDATE ON audit_logentry {erasable}"
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


def guard_install(connection: Any, *, erasable: bool = True) -> None:
    """Install the guard (replacing one already there). ``erasable`` lets erasure redact the text of
    scheme-2 entries; without it, no UPDATE passes at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_CREATE.replace("{erasable}", _PG_ERASABLE if erasable else ""))
        elif connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_logentry_no_update;")
            for statement in SQLITE_CREATE:
                cursor.execute(statement.replace("{erasable}", _SQLITE_ERASABLE if erasable else ""))


def guard_remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_DROP)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)
