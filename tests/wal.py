"""Reading PostgreSQL's write-ahead log in tests: which transactions wrote which of this database's tables.

The log is the whole server's. Another test process's database, copied from the same template, has its
tables in files of the same numbers, so a file is known by its database and its number together, never by
its number alone (a test once counted the other process's writes as its own)."""

from __future__ import annotations

import re
from collections import defaultdict

from django.db import connection


def wal_position() -> str:
    """How far the log has been written and flushed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_flush_lsn()::text")
        return cursor.fetchone()[0]


def wal_bytes(start_lsn: str, end_lsn: str) -> bytes:
    """The raw write-ahead log from ``start_lsn`` to ``end_lsn``, segment by segment."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_name, file_offset FROM pg_walfile_name_offset(%s::pg_lsn)", [start_lsn])
        first, start = cursor.fetchone()
        cursor.execute("SELECT file_name, file_offset FROM pg_walfile_name_offset(%s::pg_lsn)", [end_lsn])
        last, end = cursor.fetchone()
        cursor.execute(
            "SELECT name FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND name BETWEEN %s AND %s ORDER BY name",
            [first, last],
        )
        names = [row[0] for row in cursor.fetchall()]
        assert names and names[0] == first and names[-1] == last
        chunks = []
        for name in names:
            cursor.execute("SELECT pg_read_binary_file(%s)", [f"pg_wal/{name}"])
            data = bytes(cursor.fetchone()[0])
            chunks.append(data[start if name == first else 0 : end if name == last else len(data)])
    return b"".join(chunks)


def table_files(only: list[str] | None = None) -> dict[str, str]:
    """This database's tables' and indexes' files, as ``database/file`` (how the log names them), each as
    the table it belongs to; ``only`` keeps those tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT oid FROM pg_database WHERE datname = current_database())::text || '/' "
            "|| pg_relation_filenode(c.oid)::text, COALESCE(t.relname, c.relname) FROM pg_class c "
            "LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE c.relkind IN ('r', 'i') AND pg_relation_filenode(c.oid) IS NOT NULL"
        )
        files = dict(cursor.fetchall())
    return files if only is None else {file: table for file, table in files.items() if table in only}


def top_transactions(start_lsn: str, end_lsn: str) -> dict[int, int]:
    """Each subtransaction's top-level transaction, from the commit records between the two positions: a
    savepoint writes under its own id, and the commit record says whose part it was."""
    top: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xid::text::bigint, description FROM pg_get_wal_records_info(%s::pg_lsn, %s::pg_lsn) "
            "WHERE resource_manager = 'Transaction' AND description LIKE '%%subxacts:%%'",
            [start_lsn, end_lsn],
        )
        for xid, description in cursor.fetchall():
            for sub in re.search(r"subxacts:([\d ]+)", description).group(1).split():  # type: ignore[union-attr]
                top[int(sub)] = xid
    return top


def tables_written(
    start_lsn: str, end_lsn: str, files: dict[str, str], top: dict[int, int] | None = None
) -> dict[int, set[str]]:
    """The tables among ``files`` (from ``table_files``) that each top-level transaction wrote between the
    two positions. A savepoint's writes count as its transaction's: ``top`` (from ``top_transactions``,
    read up to a later position where the commits come later), or the commit records up to ``end_lsn``."""
    if top is None:
        top = top_transactions(start_lsn, end_lsn)
    written: dict[int, set[str]] = defaultdict(set)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xid::text::bigint, block_ref FROM pg_get_wal_records_info(%s::pg_lsn, %s::pg_lsn) "
            "WHERE block_ref IS NOT NULL",
            [start_lsn, end_lsn],
        )
        for xid, block_ref in cursor.fetchall():
            for file in re.findall(r"rel \d+/(\d+/\d+)", block_ref):
                if file in files:
                    written[top.get(xid, xid)].add(files[file])
    return dict(written)
