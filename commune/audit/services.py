"""Appending to the provenance log, and keeping the record of its verifications (and their checkpoints).

The checks themselves are in ``commune.audit.verification``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.urls import reverse
from django.utils import timezone

from commune.audit.capture import leftovers_writer_set, state_take
from commune.audit.chain import (
    GENESIS_HASH,
    SCHEME_COMMITTED,
    entry_content,
    entry_hash,
    text_commitment,
    text_salt_new,
)
from commune.audit.models import ChainHead, ChainVerification, Checkpoint, LogEntry, StateRow
from commune.audit.selectors import rows_logged
from commune.audit.signing import checkpoint_sign, entry_sign
from commune.audit.state import STATE_KEY, watched
from commune.audit.verification import ChainProblem, ChainReport, chain_verify, checkpoint_latest

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
        # The text names people: the hash covers a salted commitment to it, so that it can be erased.
        salt = text_salt_new()
        commitment = text_commitment(salt, actor.label, summary)
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
            scheme=SCHEME_COMMITTED,
            text_commitment=commitment,
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
            scheme=SCHEME_COMMITTED,
            text_commitment=commitment,
            text_salt=salt,
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


def checkpoint_record(*, organisation_id: int, report: ChainReport) -> Checkpoint | None:
    """Sign and keep a checkpoint at the head a verification reached with the chain intact, when it is
    newer than the last one; otherwise nothing."""
    if report.problem is not None or report.head is None:
        return None
    latest = checkpoint_latest(organisation_id)
    if latest is not None and latest.seq >= report.head.seq:
        return None
    signed_by, signature = checkpoint_sign(
        organisation_id=organisation_id, seq=report.head.seq, entry_hash=report.head.entry_hash
    )
    return Checkpoint.objects.create(
        organisation_id=organisation_id,
        seq=report.head.seq,
        entry_hash=report.head.entry_hash,
        made_at=timezone.now(),
        signed_by=signed_by,
        signature=signature,
    )


def chain_verification_record(
    *, organisation: Organisation, requested_by: str, full: bool = False
) -> ChainVerification:
    """Verify the organisation's chain and keep the result for the integrity page, with a checkpoint at the
    head when the chain is intact. When it finds a problem it did not find last time, every current member
    is told: the whole record is in question."""
    report = chain_verify(organisation_id=organisation.pk, full=full)
    checkpoint_record(organisation_id=organisation.pk, report=report)
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
