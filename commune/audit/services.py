"""Appending to the provenance log, and verifying it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.urls import reverse
from django.utils import timezone

from commune.audit.capture import leftovers_writer_set, state_take
from commune.audit.chain import GENESIS_HASH, entry_content, entry_hash
from commune.audit.errors import AuditError
from commune.audit.models import ChainHead, ChainVerification, LogEntry, StateRow
from commune.audit.selectors import rows_logged
from commune.audit.signing import entry_sign, entry_signature_valid
from commune.audit.state import (
    STATE_KEY,
    LeanState,
    LogState,
    RowDiscrepancy,
    Watched,
    state_apply,
    state_compare,
    watched,
    watched_models,
)

if TYPE_CHECKING:
    from commune.accounts.models import User
    from commune.federation.models import Organisation


@dataclass(frozen=True)
class Actor:
    """Who did something: a person (by id, name at the time and role, such as their membership number) or the
    system itself. Every member reads the log, so a person is never named by their email address."""

    user_id: int | None
    label: str

    @classmethod
    def of(cls, user: User | None, *, role: str = "") -> Actor:
        if user is None:
            return SYSTEM
        return cls(user.pk, f"{user.name} ({role})" if role else user.name)


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
    not at all. Appends serialise on the chain head's row lock. The rows that confer power which the
    transaction has written so far for this organisation (``commune.audit.capture``) go into the entry's
    ``state``, as they now stand, so they are hashed and signed with the act.
    """
    return _entry_append(
        organisation_id=organisation.pk,
        action=action,
        summary=summary,
        actor=actor,
        body_id=body_id,
        payload=payload,
    )


def _entry_append(
    *,
    organisation_id: int,
    action: str,
    summary: str,
    actor: Actor = SYSTEM,
    body_id: int | None = None,
    payload: Mapping[str, Any] | None = None,
    using: str = DEFAULT_DB_ALIAS,
    rows: list[dict[str, Any]] | None = None,
) -> LogEntry:
    with transaction.atomic(using=using):
        head, _ = ChainHead.objects.using(using).get_or_create(
            organisation_id=organisation_id, defaults={"seq": 0, "head_hash": GENESIS_HASH}
        )
        head = ChainHead.objects.using(using).select_for_update().get(pk=head.pk)
        seq = head.seq + 1
        recorded_at = datetime.now(UTC)
        body = dict(payload or {})
        if rows is None:
            rows = state_take(organisation_id=organisation_id, using=using)
        if rows:
            body[STATE_KEY] = [*body.get(STATE_KEY, []), *rows]
        content = entry_content(
            organisation_id=organisation_id,
            seq=seq,
            recorded_at=recorded_at,
            action=action,
            body_id=body_id,
            actor_id=actor.user_id,
            actor_label=actor.label,
            summary=summary,
            payload=body,
        )
        digest = entry_hash(head.head_hash, content)
        signed_by, signature = entry_sign(organisation_id=organisation_id, seq=seq, entry_hash=digest)
        entry = LogEntry.objects.using(using).create(
            organisation_id=organisation_id,
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
            signed_by=signed_by,
            signature=signature,
        )
        if rows:
            StateRow.objects.using(using).bulk_create(
                [StateRow(entry=entry, model=r["model"], row_pk=r["pk"]) for r in rows], batch_size=2000
            )
        head.seq, head.head_hash = seq, digest
        head.save(update_fields=["seq", "head_hash"])
    return entry


def state_recorded(*, organisation_id: int, using: str = DEFAULT_DB_ALIAS) -> LogEntry | None:
    """Record rows that confer power written with no entry of their own to carry them: after the act's
    entry in the same transaction, or by code that wrote none (``commune.audit.capture``). Rows saved
    unchanged from what the log last recorded are not an act and are left out; when nothing is left, no
    entry is written."""
    rows = state_take(organisation_id=organisation_id, using=using)
    logged = rows_logged((r["model"], r["pk"]) for r in rows)
    changed = [
        r
        for r in rows
        if (r["model"], r["pk"]) not in logged or logged[(r["model"], r["pk"])] != r.get("fields")
    ]
    if not changed:
        return None
    counts: dict[str, int] = {}
    for row in changed:
        spec = watched(row["model"])
        title = str(spec.model._meta.verbose_name_plural) if spec else row["model"]
        counts[title] = counts.get(title, 0) + 1
    what = ", ".join(f"{title} ({n})" for title, n in counts.items())
    return _entry_append(
        organisation_id=organisation_id,
        action="state.recorded",
        summary=f"Records of who holds power written with no act of their own to carry them: {what}"[:500],
        using=using,
        rows=changed,
    )


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
                f"a head is written SEQ:HASH, a position from 1 and a 64-digit hex hash, not {text.strip()!r}"
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
    return LogEntry.objects.filter(organisation_id=organisation_id).order_by("seq", "pk").iterator(2000)


def _entry_problem(entry: LogEntry, *, expected_seq: int, prev_hash: str) -> str | None:
    """Why this entry is not as Commune wrote it, or None."""
    if entry.seq != expected_seq:
        what = "missing" if entry.seq > expected_seq else "duplicated"
        return f"position {expected_seq} is {what} (found #{entry.seq})"
    if entry.prev_hash != prev_hash:
        return "does not link to the entry before it (inserted, deleted or reordered entries)"
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
    if entry_hash(prev_hash, content) != entry.entry_hash:
        return "content was changed after it was written"
    if not entry.signature:
        return "is not signed: it was written outside Commune"
    if not entry_signature_valid(
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


def chain_verify(*, organisation_id: int, extends: ChainHeadSeen | None = None) -> ChainReport:
    """Walk the chain from the start and name the first entry that is not as it was written.

    Finds a changed entry (its hash no longer matches its content), a deleted one (a gap in positions or a
    broken link), an inserted one (a link that does not match its predecessor), a reordering, and a history
    rewritten with every hash recomputed after it (its signatures no longer match). Also checks the chain
    head, so deleting the newest entries is found too. With ``extends``, also checks that the chain still
    passes through a head a member saw earlier: that the log was neither cut back nor rewritten since.
    """
    prev_hash = GENESIS_HASH
    expected_seq = 1
    count = 0
    passed_seen = extends is None
    state = LeanState()
    for entry in _entries(organisation_id):
        count += 1
        rows = entry.payload.get(STATE_KEY) if isinstance(entry.payload, dict) else None
        if rows:
            state.apply(rows)
        reason = _entry_problem(entry, expected_seq=expected_seq, prev_hash=prev_hash)
        if reason is None and extends is not None and entry.seq == extends.seq:
            if entry.entry_hash != extends.entry_hash:
                reason = (
                    f"is not the entry #{extends.seq} you saw ({extends.entry_hash[:12]}…): the history up to "
                    "it was rewritten since"
                )
            passed_seen = True
        if reason is not None:
            return ChainReport(organisation_id, count, ChainProblem(expected_seq, entry.pk, reason))
        prev_hash = entry.entry_hash
        expected_seq += 1
    last = ChainHeadSeen(expected_seq - 1, prev_hash) if count else None
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
            last,
        )
    if extends is not None and not passed_seen:
        return ChainReport(
            organisation_id,
            count,
            ChainProblem(
                expected_seq,
                None,
                f"the chain ends at #{expected_seq - 1}, before the entry #{extends.seq} you saw: "
                "the log was cut back since",
            ),
            last,
        )
    found = _state_discrepancies(organisation_id, state, up_to_seq=expected_seq - 1)
    return ChainReport(organisation_id, count, None, last, tuple(found[:DISCREPANCIES_NAMED]), len(found))


def power_state_discrepancies(*, organisation_id: int) -> list[RowDiscrepancy]:
    """Only the comparison of the tables with the state the log rebuilds, trusting the chain (no hash or
    signature is checked): what the test suite asks after every test, at a fraction of a full check."""
    state = LeanState()
    last_seq = 0
    for entry in _entries(organisation_id):
        rows = entry.payload.get(STATE_KEY) if isinstance(entry.payload, dict) else None
        if rows:
            state.apply(rows)
        last_seq = entry.seq
    return _state_discrepancies(organisation_id, state, up_to_seq=last_seq)


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
    """Every watched table's rows of the organisation, streamed in batches."""
    for spec in watched_models():
        rows = (
            spec.model._base_manager.filter(**{spec.organisation_lookup: organisation_id})
            .order_by("pk")
            .values("pk", *spec.fields)
            .iterator(2000)
        )
        yield spec, rows


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


def chain_verification_record(*, organisation: Organisation, requested_by: str) -> ChainVerification:
    """Verify the organisation's chain and keep the result for the integrity page. When it finds a problem
    it did not find last time, every current member is told: the whole record is in question."""
    report = chain_verify(organisation_id=organisation.pk)
    previous = (
        ChainVerification.objects.filter(organisation=organisation).order_by("-verified_at", "-pk").first()
    )
    problem = report.problem
    if problem is None and report.discrepancy_count:
        problem = ChainProblem(0, None, report.state_summary)
    verification = ChainVerification.objects.create(
        organisation=organisation,
        verified_at=timezone.now(),
        ok=report.ok,
        entries=report.entries,
        head_seq=report.head.seq if report.head else None,
        head_hash=report.head.entry_hash if report.head else "",
        problem_seq=(problem.seq or None) if problem else None,
        problem=str(problem.reason)[:500] if problem else "",
        requested_by=requested_by[:250],
    )
    news = (
        previous is None
        or previous.ok
        or (previous.problem_seq, previous.problem)
        != (
            verification.problem_seq,
            verification.problem,
        )
    )
    if not report.ok and news:
        _members_told_of_broken_chain(organisation, verification)
    return verification


def _members_told_of_broken_chain(organisation: Organisation, verification: ChainVerification) -> None:
    from commune.federation.models import Member
    from commune.notifications.services import notification_send

    people = [
        m.person
        for m in Member.objects.filter(organisation=organisation, current_unit__isnull=False).select_related(
            "person"
        )
    ]
    notification_send(
        people=people,
        kind="log.broken",
        subject=f"The provenance log of {organisation.name} failed its check",
        body=(
            (
                f"A check of {organisation.name}'s provenance log on {verification.verified_at:%d %b %Y at %H:%M} "
                f"UTC found entry #{verification.problem_seq} not as it was written: {verification.problem}. "
                "Someone with access to the database changed the record of who holds power. Ask your officers "
                "and the site's operator to restore the log from a backup that verifies, and compare it with a "
                "head you kept."
            )
            if verification.problem_seq
            else (
                f"A check of {organisation.name}'s provenance log on {verification.verified_at:%d %b %Y at %H:%M} "
                f"UTC found the records of who holds power changed behind the log's back: {verification.problem}. "
                "Someone with access to the database edited them without any act of the organisation. Ask your "
                "officers and the site's operator to restore them from the log (or from a backup that verifies)."
            )
        ),
        link=reverse("audit:integrity", kwargs={"slug": organisation.slug}),
    )


@dataclass
class VerificationRunReport:
    done: list[str]
    problems: list[str]


def chains_verify_due(*, now: datetime | None = None) -> VerificationRunReport:
    """Verify every organisation's chain whose last check is older than the operator's interval
    (``settings.LOG_VERIFY_MINUTES``; 0 turns the scheduled check off)."""
    from commune.federation.models import Organisation

    done: list[str] = []
    problems: list[str] = []
    minutes = settings.LOG_VERIFY_MINUTES
    if minutes <= 0:
        return VerificationRunReport(done, problems)
    now = now or timezone.now()
    due_before = now - timedelta(minutes=minutes)
    for organisation in Organisation.objects.order_by("slug"):
        last = ChainVerification.objects.filter(organisation=organisation).order_by("-verified_at").first()
        if last is not None and last.verified_at > due_before:
            continue
        verification = chain_verification_record(organisation=organisation, requested_by="the scheduler")
        if verification.ok:
            done.append(f"log of {organisation.slug}: {verification.entries} entries verified")
        else:
            where = f" at entry #{verification.problem_seq}" if verification.problem_seq else ""
            problems.append(f"log of {organisation.slug}: FAILED{where}: {verification.problem}")
    return VerificationRunReport(done, problems)


leftovers_writer_set(
    lambda organisation_id, using: state_recorded(organisation_id=organisation_id, using=using)
)
