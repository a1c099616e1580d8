"""Appending to the provenance log, and verifying it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from commune.audit.chain import GENESIS_HASH, entry_content, entry_hash
from commune.audit.models import ChainHead, LogEntry

if TYPE_CHECKING:
    from commune.accounts.models import User
    from commune.federation.models import Organisation


@dataclass(frozen=True)
class Actor:
    """Who did something: a person (by id and name at the time) or the system itself."""

    user_id: int | None
    label: str

    @classmethod
    def of(cls, user: User | None, *, role: str = "") -> Actor:
        if user is None:
            return SYSTEM
        label = f"{user.name} <{user.email}>"
        return cls(user.pk, f"{label} ({role})" if role else label)


SYSTEM = Actor(None, "Commune (automatic)")


def log_entry_record(
    *,
    organisation: Organisation,
    action: str,
    summary: str,
    actor: Actor = SYSTEM,
    body_id: int | None = None,
    payload: Mapping[str, Any] | None = None,
) -> LogEntry:
    """Append one entry to the organisation's chain.

    Call inside the transaction that makes the change, so the act and its record commit together or
    not at all. Appends serialise on the chain head's row lock.
    """
    with transaction.atomic():
        head, _ = ChainHead.objects.get_or_create(
            organisation=organisation, defaults={"seq": 0, "head_hash": GENESIS_HASH}
        )
        head = ChainHead.objects.select_for_update().get(pk=head.pk)
        seq = head.seq + 1
        recorded_at = datetime.now(UTC)
        content = entry_content(
            organisation_id=organisation.pk,
            seq=seq,
            recorded_at=recorded_at,
            action=action,
            body_id=body_id,
            actor_id=actor.user_id,
            actor_label=actor.label,
            summary=summary,
            payload=dict(payload or {}),
        )
        digest = entry_hash(head.head_hash, content)
        entry = LogEntry.objects.create(
            organisation=organisation,
            seq=seq,
            recorded_at=recorded_at,
            action=action,
            body_id=body_id,
            actor_id=actor.user_id,
            actor_label=actor.label,
            summary=summary,
            payload=content["payload"],
            prev_hash=head.head_hash,
            entry_hash=digest,
        )
        head.seq, head.head_hash = seq, digest
        head.save(update_fields=["seq", "head_hash"])
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        return f"entry #{self.seq}: {self.reason}"


@dataclass(frozen=True)
class ChainReport:
    organisation_id: int
    entries: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _entries(organisation_id: int) -> Iterator[LogEntry]:
    # Iterate by primary key (insertion order) as well as checking seq, so that a reordering of seq values
    # and an insertion in the middle are both caught.
    return LogEntry.objects.filter(organisation_id=organisation_id).order_by("seq", "pk").iterator(2000)


def chain_verify(*, organisation_id: int) -> ChainReport:
    """Walk the chain from the start and name the first entry that is not as it was written.

    Finds a changed entry (its hash no longer matches its content), a deleted one (a gap in positions or a
    broken link), an inserted one (a link that does not match its predecessor) and a reordering. Also checks
    the chain head, so deleting the newest entries is found too.
    """
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in _entries(organisation_id):
        count += 1
        if entry.seq != expected_seq:
            what = "missing" if entry.seq > expected_seq else "duplicated"
            return ChainReport(
                organisation_id,
                count,
                ChainProblem(
                    expected_seq, entry.pk, f"position {expected_seq} is {what} (found #{entry.seq})"
                ),
            )
        content = entry_content(
            organisation_id=entry.organisation_id,
            seq=entry.seq,
            recorded_at=entry.recorded_at,
            action=entry.action,
            body_id=entry.body_id,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            summary=entry.summary,
            payload=entry.payload,
        )
        if entry.prev_hash != prev_hash:
            return ChainReport(
                organisation_id,
                count,
                ChainProblem(
                    entry.seq,
                    entry.pk,
                    "does not link to the entry before it (inserted, deleted or reordered entries)",
                ),
            )
        if entry_hash(prev_hash, content) != entry.entry_hash:
            return ChainReport(
                organisation_id,
                count,
                ChainProblem(entry.seq, entry.pk, "content was changed after it was written"),
            )
        prev_hash = entry.entry_hash
        expected_seq += 1
    head = ChainHead.objects.filter(organisation_id=organisation_id).first()
    if head is not None and (head.seq != expected_seq - 1 or head.head_hash != prev_hash):
        return ChainReport(
            organisation_id,
            count,
            ChainProblem(
                expected_seq,
                None,
                f"the chain ends at #{expected_seq - 1} but #{head.seq} was written "
                "(the newest entries were deleted or changed)",
            ),
        )
    return ChainReport(organisation_id, count, None)
