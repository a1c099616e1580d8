"""Capturing every change to a row that confers power, so that the log entry of the act carries it.

A change to a watched row (``commune.audit.state``) is noted, by ``post_save``/``post_delete`` or, for the
writes that send no signal (``QuerySet.update``, ``bulk_create``, ``bulk_update``), by the service calling
``power_rows_note``/``power_rows_saved``. The notes wait in a buffer of the database connection until the
next ``log_entry_record`` of the row's organisation, which reads the rows' state as the transaction sees it
and writes it into the entry, hashed and signed with the act.

Nothing noted is lost:

* rows still in the buffer when the outermost ``transaction.atomic`` block is about to commit (written after
  the act's entry, or by code that wrote no entry) are written into an entry of their own, ``state.recorded``,
  inside the same transaction, before it commits;
* a row written outside any transaction (autocommit) gets its ``state.recorded`` entry at once;
* notes made inside a block that rolls back are dropped with it, and notes an entry took inside such a block
  are put back, so the buffer always matches what will commit.

Django offers no hook before commit, so this module wraps ``Atomic.__enter__``/``__exit__`` (installed once,
from ``AuditConfig.ready``). Test cases' own wrapping blocks (``_from_testcase``) count as no block at all,
so tests see exactly what production does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models.signals import post_delete, post_save, pre_delete

from commune.audit.selectors import rows_read
from commune.audit.state import watched


@dataclass
class _Buffer:
    counter: int = 0
    #: (capture number, organisation id, model label, pk), in capture order.
    notes: list[tuple[int, int, str, int]] = field(default_factory=list)
    #: Counter values at each open atomic block's entry, innermost last.
    marks: list[int] = field(default_factory=list)
    #: Notes an entry took: (when, the notes), so a rollback past ``when`` can put them back.
    taken: list[tuple[int, list[tuple[int, int, str, int]]]] = field(default_factory=list)
    flushing: bool = False

    def tick(self) -> int:
        self.counter += 1
        return self.counter


_local = threading.local()


def _buffer(using: str) -> _Buffer:
    buffers: dict[str, _Buffer] | None = getattr(_local, "buffers", None)
    if buffers is None:
        buffers = _local.buffers = {}
    if using not in buffers:
        buffers[using] = _Buffer()
    return buffers[using]


def _from_testcase(block: Any) -> bool:
    """Whether the block is one a test case wraps each test in (it stands for no transaction at all)."""
    return bool(getattr(block, "_from_testcase", False))


def _in_application_block(using: str) -> bool:
    connection = connections[using]
    return connection.in_atomic_block and any(not _from_testcase(b) for b in connection.atomic_blocks)


def _note(using: str, organisation_id: int | None, label: str, pk: Any, *, written: bool = True) -> None:
    if organisation_id is None or pk is None:
        return
    buffer = _buffer(using)
    buffer.notes.append((buffer.tick(), organisation_id, label, int(pk)))
    if written and not _in_application_block(using) and not buffer.flushing:
        leftovers_flush(using)


# --- Notes from signals and from services ------------------------------------------------------------------


def _saved(sender: type[models.Model], instance: models.Model, using: str, **_: Any) -> None:
    spec = watched(sender)
    if spec is not None:
        _note(using, spec.organisation_of(instance), spec.label, instance.pk)


def _deleting(sender: type[models.Model], instance: models.Model, using: str, **_: Any) -> None:
    # The organisation is found while everything the row points to still exists.
    spec = watched(sender)
    if spec is not None:
        instance._audit_organisation_id = spec.organisation_of(instance)  # type: ignore[attr-defined]


def _deleted(sender: type[models.Model], instance: models.Model, using: str, **_: Any) -> None:
    spec = watched(sender)
    if spec is not None:
        organisation_id = getattr(instance, "_audit_organisation_id", None) or spec.organisation_of(instance)
        _note(using, organisation_id, spec.label, instance.pk)


def capture_connect(model: type[models.Model]) -> None:
    uid = f"audit-state-{model._meta.label_lower}"
    post_save.connect(_saved, sender=model, weak=False, dispatch_uid=uid)
    pre_delete.connect(_deleting, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=uid)
    _atomic_hooks_install()


def power_rows_saved(rows: Iterable[models.Model]) -> None:
    """Note rows written without signals (``bulk_create``, ``bulk_update``): call after the write. Outside
    a transaction the batch goes into one entry of its organisation, as it would inside one, not an entry
    a row."""
    databases: set[str] = set()
    for row in rows:
        spec = watched(type(row))
        if spec is None:
            raise ValueError(f"{type(row)._meta.label} is not held to the log")
        using = router.db_for_write(type(row))
        databases.add(using)
        _note(using, spec.organisation_of(row), spec.label, row.pk, written=False)
    for using in sorted(databases):
        if not _in_application_block(using):
            leftovers_flush(using)


def power_rows_note(queryset: models.QuerySet[Any]) -> None:
    """Note the rows of ``queryset`` before a ``QuerySet.update`` changes them (after it, the filter may
    no longer match them). The entry reads their state when it is written, so after the update."""
    spec = watched(queryset.model)
    if spec is None:
        raise ValueError(f"{queryset.model._meta.label} is not held to the log")
    using = queryset.db
    if not _in_application_block(using):
        raise RuntimeError("note rows before an update inside the transaction.atomic block that makes it")
    for pk, organisation_id in queryset.values_list("pk", spec.organisation_lookup):
        _note(using, organisation_id, spec.label, pk, written=False)


# --- Taking the notes into an entry --------------------------------------------------------------------------


def state_take(*, organisation_id: int, using: str) -> list[dict[str, Any]]:
    """The rows of the organisation noted so far, as they now stand, for the entry being written; they
    leave the buffer. Sorted by model and pk, so the same changes always give the same entry."""
    buffer = _buffer(using)
    mine = [n for n in buffer.notes if n[1] == organisation_id]
    if not mine:
        return []
    buffer.notes = [n for n in buffer.notes if n[1] != organisation_id]
    buffer.taken.append((buffer.tick(), mine))
    return rows_read({(label, pk) for _, _, label, pk in mine}, using=using)


#: Writes an organisation's rows still noted into an entry of their own (``services.state_recorded``, set
#: when the services load, so that this module, which the readers reach, never imports them).
_leftovers_writer: Callable[[int, str], Any] | None = None


def leftovers_writer_set(writer: Callable[[int, str], Any]) -> None:
    global _leftovers_writer
    _leftovers_writer = writer


def leftovers_flush(using: str) -> None:
    """Write every row still noted into a ``state.recorded`` entry of its organisation."""
    buffer = _buffer(using)
    if buffer.flushing or not buffer.notes:
        return
    if _leftovers_writer is None:
        raise RuntimeError("commune.audit.services is not loaded: nothing can write the rows noted")
    buffer.flushing = True
    try:
        for organisation_id in sorted({n[1] for n in buffer.notes}):
            _leftovers_writer(organisation_id, using)
    finally:
        buffer.flushing = False


# --- Following transactions ----------------------------------------------------------------------------------

_installed = False


def _atomic_hooks_install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    original_enter = transaction.Atomic.__enter__
    original_exit = transaction.Atomic.__exit__

    def __enter__(self: transaction.Atomic) -> None:
        original_enter(self)
        using = self.using or "default"
        buffer = _buffer(using)
        buffer.marks.append(buffer.counter + 1)

    def __exit__(self: transaction.Atomic, exc_type: Any, exc_value: Any, traceback: Any) -> Any:
        using = self.using or "default"
        connection = connections[using]
        buffer = _buffer(using)
        outermost_application_block = (
            not _from_testcase(self)
            and connection.in_atomic_block
            and all(_from_testcase(b) for b in connection.atomic_blocks[:-1])
        )
        if (
            exc_type is None
            and not connection.needs_rollback
            and outermost_application_block
            and buffer.notes
            and not connection.closed_in_transaction
        ):
            try:
                leftovers_flush(using)
            except BaseException as error:  # the block must roll back, then the error goes on
                _after_exit(buffer, connection, committed=False)
                original_exit(self, type(error), error, error.__traceback__)
                raise
        committed = exc_type is None and not connection.needs_rollback
        try:
            return original_exit(self, exc_type, exc_value, traceback)
        except BaseException:
            committed = False
            raise
        finally:
            _after_exit(buffer, connection, committed=committed)

    transaction.Atomic.__enter__ = __enter__  # type: ignore[method-assign]
    transaction.Atomic.__exit__ = __exit__  # type: ignore[method-assign]


def _after_exit(buffer: _Buffer, connection: Any, *, committed: bool) -> None:
    mark = buffer.marks.pop() if buffer.marks else 0
    if not committed:
        # What this block wrote is undone: drop its notes, and put back older notes an entry written
        # inside it had taken (that entry is undone too).
        buffer.notes = [n for n in buffer.notes if n[0] < mark]
        for _when, notes in [t for t in buffer.taken if t[0] >= mark]:
            buffer.notes.extend(n for n in notes if n[0] < mark)
        buffer.taken = [t for t in buffer.taken if t[0] < mark]
        buffer.notes.sort()
    if not connection.in_atomic_block:
        buffer.taken.clear()
        buffer.marks.clear()
        if not committed:
            buffer.notes.clear()
