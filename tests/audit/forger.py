"""What someone holding the database would do to rewrite the log: the audit tests' forger."""

from __future__ import annotations

from commune.audit.chain import SCHEME_COMMITTED, entry_content, entry_hash, text_commitment
from commune.audit.models import ChainHead, LogEntry
from commune.audit.signing import entry_sign
from tests.conftest import SmallFederation


def log_entries(fed: SmallFederation) -> list[LogEntry]:
    return list(LogEntry.objects.filter(organisation=fed.org).order_by("seq"))


def rehash_from(fed: SmallFederation, start: int, *, sign: bool = False) -> None:
    """Recompute every hash from position ``start`` on, and the head, as a forger with the database would;
    with ``sign``, also re-sign each entry with whatever key is in force now."""
    entries = log_entries(fed)
    prev = entries[start - 2].entry_hash if start > 1 else "0" * 64
    for entry in entries[start - 1 :]:
        # A thorough forger also commits afresh to an entry's text (under its salt) where the hash covers that.
        commitment = (
            text_commitment(entry.text_salt, entry.actor_label, entry.summary)
            if entry.scheme == SCHEME_COMMITTED
            else ""
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
            text_commitment=commitment,
        )
        digest = entry_hash(prev, content)
        fields = {"prev_hash": prev, "entry_hash": digest, "text_commitment": commitment}
        if sign:
            fields["signed_by"], fields["signature"] = entry_sign(
                organisation_id=entry.organisation_id, seq=entry.seq, entry_hash=digest
            )
        LogEntry.objects.filter(pk=entry.pk).update(**fields)
        prev = digest
    ChainHead.objects.filter(organisation=fed.org).update(head_hash=prev)
