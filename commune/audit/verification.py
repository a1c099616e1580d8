"""Verifying the provenance log: its chain, its signatures, and the rows of power it describes.

One walk over an organisation's entries serves every check. It recomputes each entry's hash and checks its
link to the one before, checks signatures from the last trusted checkpoint on (from the first entry when
there is none, or with ``full``), and replays each entry's ``state`` to rebuild the rows of power, which it
then compares with the tables. ``power_state_discrepancies`` is the same walk without the chain's checks.

A checkpoint (``Checkpoint``) is signed with the log's key, kept outside the database, and says "every entry
up to #N was verified and #N had this hash". Since each hash covers everything before it, reaching the same
hash at #N again proves that nothing up to there changed, so those entries' signatures need not be checked
again. A checkpoint that does not verify was written without the key: it is reported, never trusted.

An entry whose hash covers a commitment to its text (scheme 2) must also hold the salt and the text that open
that commitment, or, once a name in it was erased, the commitment a later ``person.erased`` entry lists for
its redacted text. A salt deleted, or a text changed, without such an entry is named as a problem.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from commune.audit.chain import (
    GENESIS_HASH,
    SCHEME_COMMITTED,
    SCHEMES,
    entry_content,
    entry_hash,
    text_commitment,
)
from commune.audit.errors import AuditError
from commune.audit.models import ChainHead, Checkpoint, LogEntry
from commune.audit.signing import checkpoint_signature_valid, entry_signature_valid
from commune.audit.state import (
    STATE_KEY,
    LeanState,
    LogState,
    RowDiscrepancy,
    Watched,
    derived_checks,
    state_apply,
    state_compare,
)
from commune.audit.table_reads import organisation_tables
from commune.rows import rows_by_key


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    entry_id: int | None
    reason: str

    def __str__(self) -> str:
        return f"entry #{self.seq}: {self.reason}"


@dataclass(frozen=True)
class ChainHeadSeen:
    """A position in the chain and the hash it had, as a member noted it: ``SEQ:HASH``."""

    seq: int
    entry_hash: str

    @classmethod
    def parse(cls, text: str) -> ChainHeadSeen:
        seq, _, digest = text.strip().partition(":")
        digest = digest.strip().lower()
        if not seq.strip().isdigit() or int(seq) < 1 or len(digest) != 64 or not _is_hex(digest):
            raise AuditError(
                gettext("a head is written SEQ:HASH, a position from 1 and a 64-digit hex hash, not %(text)r")
                % {"text": text.strip()}
            )
        return cls(int(seq), digest)

    def __str__(self) -> str:
        return f"{self.seq}:{self.entry_hash}"


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdef" for c in text)


#: At most this many rows that differ from the log are named in a report (all are counted).
DISCREPANCIES_NAMED = 100


@dataclass(frozen=True)
class ChainReport:
    organisation_id: int
    entries: int
    problem: ChainProblem | None
    #: The newest entry checked: its position and hash (None for an empty chain).
    head: ChainHeadSeen | None = None
    #: Rows that confer power and are not as the log says (the first ``DISCREPANCIES_NAMED``), checked
    #: only when the chain itself is intact.
    discrepancies: tuple[RowDiscrepancy, ...] = ()
    discrepancy_count: int = 0
    #: The trusted checkpoint the check started from: signatures were checked only after this position.
    checkpoint: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None and self.discrepancy_count == 0

    @property
    def state_summary(self) -> str:
        """The rows that differ, in one line (for the integrity record and messages)."""
        if not self.discrepancy_count:
            return ""
        named = "; ".join(str(d) for d in self.discrepancies[:3])
        more = f"; and {self.discrepancy_count - 3} more" if self.discrepancy_count > 3 else ""
        rows = "row differs" if self.discrepancy_count == 1 else "rows differ"
        return f"{self.discrepancy_count} {rows} from the log: {named}{more}"


def _entries(organisation_id: int) -> Iterator[LogEntry]:
    # Iterate by primary key (insertion order) as well as checking seq, so that a reordering of seq values
    # and an insertion in the middle are both caught.
    return rows_by_key(LogEntry.objects.filter(organisation_id=organisation_id), ("seq", "pk"), 2000)


#: The action of the entry that records an erasure; its payload lists, under ``redacted``, each entry whose
#: text it replaced (``seq``) with the commitment to the redacted text (``text``).
ERASURE_ACTION = "person.erased"


def redactions_listed(organisation_id: int) -> dict[int, str]:
    """The commitment each redacted entry's text must now open, as the latest erasure entry after it lists
    it. The erasure entries are themselves checked in the walk (their hash and signature), so a forged one
    is named there."""
    listed: dict[int, str] = {}
    erasures = LogEntry.objects.filter(organisation_id=organisation_id, action=ERASURE_ACTION).order_by("seq")
    for seq, payload in erasures.values_list("seq", "payload"):
        items = payload.get("redacted") if isinstance(payload, dict) else None
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("seq"), int) and item["seq"] < seq:
                listed[item["seq"]] = str(item.get("text", ""))
    return listed


def _text_problem(entry: LogEntry, redactions: Mapping[int, str]) -> str | None:
    """Why a scheme-2 entry's text is not the one its hash (or a later erasure) commits to, or None."""
    expected = redactions.get(entry.seq, entry.text_commitment)
    if not entry.text_salt:
        return (
            "the salt of its text was deleted with no signed erasure listing it: its text can no longer be "
            "shown to be the one written"
        )
    try:
        opened = text_commitment(entry.text_salt, entry.actor_label, entry.summary)
    except ValueError:
        opened = ""
    if opened != expected:
        return (
            "content was changed after it was written: who acted or its summary no longer opens the "
            "commitment its hash covers"
        )
    return None


def _entry_problem(
    entry: LogEntry,
    *,
    expected_seq: int,
    prev_hash: str,
    signature: bool,
    redactions: Mapping[int, str] | None = None,
) -> str | None:
    """Why this entry is not as Commune wrote it, or None. Without ``signature``, its signature is vouched
    for by a checkpoint after it and is not checked again. ``redactions`` are the commitments erasures list
    (``redactions_listed``)."""
    if entry.seq != expected_seq:
        what = "missing" if entry.seq > expected_seq else "duplicated"
        return f"position {expected_seq} is {what} (found #{entry.seq})"
    if entry.prev_hash != prev_hash:
        return "does not link to the entry before it (inserted, deleted or reordered entries)"
    if not isinstance(entry.payload, dict):
        return (
            "its payload is not what Commune writes (not a JSON object): it was changed after it was written"
        )
    if entry.scheme not in SCHEMES:
        return (
            f"its hash scheme ({entry.scheme}) is not one Commune writes: it was changed after it was written"
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
        scheme=entry.scheme,
        text_commitment=entry.text_commitment,
    )
    if entry_hash(prev_hash, content) != entry.entry_hash:
        return "content was changed after it was written"
    if entry.scheme == SCHEME_COMMITTED:
        reason = _text_problem(entry, redactions or {})
        if reason is not None:
            return reason
    if not entry.signature:
        return "is not signed: it was written outside Commune"
    if signature and not entry_signature_valid(
        organisation_id=entry.organisation_id,
        seq=entry.seq,
        entry_hash=entry.entry_hash,
        signed_by=entry.signed_by,
        signature=entry.signature,
    ):
        return (
            "its signature does not match: the history from here on was rewritten and its hashes recomputed "
            "(or it was signed with a key this instance does not trust)"
        )
    return None


def _state_apply(state: LeanState, entry: LogEntry) -> str | None:
    """Replay the entry's rows of power into ``state``; why they cannot be read, or None."""
    rows = entry.payload.get(STATE_KEY) if isinstance(entry.payload, dict) else None
    if not rows:
        return None
    try:
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise TypeError(rows)
        state.apply(rows)
    except (KeyError, TypeError, ValueError):
        return "the rows of power it records are not in the form Commune writes them"
    return None


@dataclass(frozen=True)
class _Mark:
    """A position the chain must pass through with a given hash (a head kept, a checkpoint)."""

    seq: int
    entry_hash: str
    differs: str  # the reason given when the entry there has another hash
    cut: str  # what it is, when the chain ends before it ("the entry #N you saw: …")


@dataclass
class _Walk:
    count: int = 0
    problem: ChainProblem | None = None
    last: ChainHeadSeen | None = None
    state: LeanState = field(default_factory=LeanState)


def _walk(
    organisation_id: int, *, check_chain: bool, signed_after: int = 0, marks: tuple[_Mark, ...] = ()
) -> _Walk:
    """One pass over the organisation's entries, in order, stopping at the first problem.

    With ``check_chain``, checks positions, links and hashes, each signature after ``signed_after``, the
    ``marks`` and the chain head; always replays the rows of power."""
    walk = _Walk()
    prev_hash = GENESIS_HASH
    expected_seq = 1
    by_seq = {m.seq: m for m in marks}
    redactions = redactions_listed(organisation_id) if check_chain else {}
    for entry in _entries(organisation_id):
        walk.count += 1
        reason = None
        if check_chain:
            reason = _entry_problem(
                entry,
                expected_seq=expected_seq,
                prev_hash=prev_hash,
                signature=entry.seq > signed_after,
                redactions=redactions,
            )
            mark = by_seq.get(entry.seq)
            if reason is None and mark is not None and entry.entry_hash != mark.entry_hash:
                reason = mark.differs
        if reason is None:
            reason = _state_apply(walk.state, entry)
        if reason is not None:
            walk.problem = ChainProblem(expected_seq if check_chain else entry.seq, entry.pk, reason)
            return walk
        prev_hash = entry.entry_hash
        expected_seq = entry.seq + 1
    last_seq = expected_seq - 1
    walk.last = ChainHeadSeen(last_seq, prev_hash) if walk.count else None
    if not check_chain:
        return walk
    head = ChainHead.objects.filter(organisation_id=organisation_id).first()
    if head is not None and (head.seq != last_seq or head.head_hash != prev_hash):
        walk.problem = ChainProblem(
            expected_seq,
            None,
            f"the chain ends at #{last_seq} but #{head.seq} was written (the newest entries were deleted or changed)",
        )
        return walk
    beyond = [m for m in marks if m.seq > last_seq]
    if beyond:
        walk.problem = ChainProblem(
            expected_seq, None, f"the chain ends at #{last_seq}, before {beyond[0].cut}"
        )
    return walk


def checkpoint_latest(organisation_id: int) -> Checkpoint | None:
    return Checkpoint.objects.filter(organisation_id=organisation_id).order_by("-seq", "-pk").first()


def _checkpoint_valid(checkpoint: Checkpoint) -> bool:
    return checkpoint_signature_valid(
        organisation_id=checkpoint.organisation_id,
        seq=checkpoint.seq,
        entry_hash=checkpoint.entry_hash,
        signed_by=checkpoint.signed_by,
        signature=checkpoint.signature,
    )


def chain_verify(
    *, organisation_id: int, extends: ChainHeadSeen | None = None, full: bool = False
) -> ChainReport:
    """Walk the chain from the start and name the first entry that is not as it was written.

    Finds a changed entry (its hash no longer matches its content), a deleted one (a gap in positions or a
    broken link), an inserted one (a link that does not match its predecessor), a reordering, and a history
    rewritten with every hash recomputed after it (its signatures no longer match). Also checks the chain
    head, so deleting the newest entries is found too. With ``extends``, also checks that the chain still
    passes through a head a member saw earlier: that the log was neither cut back nor rewritten since.

    Signatures are checked after the newest checkpoint, whose hash the chain must reach; with ``full``, or
    when there is none, every signature is. A checkpoint that does not verify is reported as a problem (after
    a full check, so that a problem in the chain itself is named first).
    """
    marks: tuple[_Mark, ...] = ()
    if extends is not None:
        marks = (
            _Mark(
                extends.seq,
                extends.entry_hash,
                differs=(
                    f"is not the entry #{extends.seq} you saw ({extends.entry_hash[:12]}…): the history up to "
                    "it was rewritten since"
                ),
                cut=f"the entry #{extends.seq} you saw: the log was cut back since",
            ),
        )
    checkpoint = None if full else checkpoint_latest(organisation_id)
    forged = None
    if checkpoint is not None and not _checkpoint_valid(checkpoint):
        forged = ChainProblem(
            checkpoint.seq,
            None,
            f"the checkpoint recorded at #{checkpoint.seq} is not signed with a key this instance trusts: it was "
            "written or changed in the database outside Commune (checked in full instead)",
        )
        checkpoint = None
    walk: _Walk | None = None
    if checkpoint is not None:
        trusted = _Mark(
            checkpoint.seq,
            checkpoint.entry_hash,
            differs=(
                f"is not the entry #{checkpoint.seq} verified at the checkpoint of "
                f"{checkpoint.made_at:%d %b %Y %H:%M} UTC: the history up to it was rewritten since"
            ),
            cut=(
                f"the entry #{checkpoint.seq} verified at the checkpoint of "
                f"{checkpoint.made_at:%d %b %Y %H:%M} UTC: the log was cut back since"
            ),
        )
        walk = _walk(organisation_id, check_chain=True, signed_after=checkpoint.seq, marks=(*marks, trusted))
        if walk.problem is not None and walk.problem.seq <= checkpoint.seq:
            # Something up to the checkpoint changed: check every signature to name the first entry rewritten.
            full_walk = _walk(organisation_id, check_chain=True, marks=marks)
            walk = full_walk if full_walk.problem is not None else walk
            checkpoint = None
    if walk is None:
        walk = _walk(organisation_id, check_chain=True, marks=marks)
    used = checkpoint.seq if checkpoint is not None else None
    problem = walk.problem or forged
    if problem is not None:
        return ChainReport(organisation_id, walk.count, problem, walk.last, checkpoint=used)
    last_seq = walk.last.seq if walk.last else 0
    found = _state_discrepancies(organisation_id, walk.state, up_to_seq=last_seq)
    return ChainReport(
        organisation_id, walk.count, None, walk.last, tuple(found[:DISCREPANCIES_NAMED]), len(found), used
    )


def power_state_discrepancies(*, organisation_id: int) -> list[RowDiscrepancy]:
    """Only the comparison of the tables with the state the log rebuilds, trusting the chain (no hash or
    signature is checked): what the test suite asks after every test, at a fraction of a full check. Rows
    of power that cannot be read stop the replay there, as a verification would."""
    walk = _walk(organisation_id, check_chain=False)
    last_seq = walk.problem.seq - 1 if walk.problem else (walk.last.seq if walk.last else 0)
    return _state_discrepancies(organisation_id, walk.state, up_to_seq=last_seq)


def _state_discrepancies(organisation_id: int, state: LeanState, *, up_to_seq: int) -> list[RowDiscrepancy]:
    found: list[RowDiscrepancy] = []
    suspects: dict[tuple[str, int], tuple[Watched, Mapping[str, Any]]] = {}
    for outcome in state.compare(_tables(organisation_id), organisation_id=organisation_id):
        if isinstance(outcome, RowDiscrepancy):
            found.append(outcome)
        else:
            spec, row = outcome
            suspects[(spec.label, int(row["pk"]))] = (spec, row)
    if suspects:
        found.extend(_suspects_compared(organisation_id, suspects, up_to_seq=up_to_seq))
    for spec, check in derived_checks():
        found.extend(
            RowDiscrepancy(spec.label, spec.title, pk, organisation_id, "derived", field, made, in_table)
            for pk, field, made, in_table in check(organisation_id)
        )
    found.sort(key=lambda d: (d.model, d.pk, d.field))
    return found


def _suspects_compared(
    organisation_id: int,
    suspects: Mapping[tuple[str, int], tuple[Watched, Mapping[str, Any]]],
    *,
    up_to_seq: int,
) -> Iterator[RowDiscrepancy]:
    """A second pass over the entries verified, keeping the fields the log holds for the rows whose digest
    differed, and naming each field that differs."""
    logged: LogState = {}
    for entry in _entries(organisation_id):
        if entry.seq > up_to_seq:
            break
        rows = entry.payload.get(STATE_KEY) if isinstance(entry.payload, dict) else None
        if rows:
            state_apply(logged, (r for r in rows if (r.get("model"), r.get("pk")) in suspects))
    by_model: dict[str, list[Mapping[str, Any]]] = {}
    for spec, row in suspects.values():
        by_model.setdefault(spec.label, []).append(row)
    tables = [
        (suspects[(label, int(rows[0]["pk"]))][0], iter(rows)) for label, rows in sorted(by_model.items())
    ]
    yield from state_compare(logged, tables, organisation_id=organisation_id)


def _tables(organisation_id: int) -> Iterator[tuple[Watched, Iterator[dict[str, Any]]]]:
    """Every watched table's rows of the organisation, by key (``table_reads``: compiled once, and on
    PostgreSQL asked for in one round trip)."""
    return organisation_tables(organisation_id)


def chain_head(*, organisation_id: int) -> ChainHeadSeen | None:
    """The organisation's current head, for members to note and check later."""
    head = ChainHead.objects.filter(organisation_id=organisation_id).first()
    return ChainHeadSeen(head.seq, head.head_hash) if head is not None and head.seq else None


def head_note(*, organisation_id: int) -> str:
    """A paragraph for messages to members: the log's head as it stands, and what keeping it is for."""
    head = chain_head(organisation_id=organisation_id)
    if head is None:
        return ""
    return (
        f"The provenance log stood at {head} when this was sent. Keep this line: checking it later "
        "against the log (on the log's verify page, or with `commune audit verify --extends`) shows whether "
        "anything recorded up to now was rewritten or removed since."
    )
