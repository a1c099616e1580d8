"""The append-only, hash-chained provenance log.

Each organisation has one chain. Entry ``n`` stores the hash of entry ``n-1`` and its own hash, computed
over its canonical JSON (see ``commune.audit.chain``). Changing, deleting, inserting or reordering any
entry breaks the chain at that entry, which ``commune audit verify`` reports. Each entry's hash is also
signed with a key kept outside the database (``commune.audit.signing``), so that recomputing the hashes
after a change does not hide it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LogEntry(models.Model):
    organisation = models.ForeignKey(
        "federation.Organisation", on_delete=models.PROTECT, related_name="log_entries"
    )
    seq = models.PositiveBigIntegerField(help_text="Position in the organisation's chain, from 1.")
    recorded_at = models.DateTimeField()
    action = models.CharField(max_length=80)
    # The body the act concerns, so members can filter the log by body. Kept as a plain id (and in the
    # payload) so that no change elsewhere can cascade into the log.
    body_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=250, help_text="Who acted, as recorded at the time.")
    summary = models.CharField(max_length=500)
    scheme = models.PositiveSmallIntegerField(
        default=1,
        help_text="How the hash covers the text: 1, as it stands; 2, through a salted commitment (erasable).",
    )
    text_commitment = models.CharField(
        max_length=64, blank=True, help_text="Scheme 2: SHA-256 of the salt and the text, as hashed."
    )
    text_salt = models.CharField(
        max_length=64,
        blank=True,
        help_text="Scheme 2: the salt that opens the commitment (not hashed; replaced when a name is erased).",
    )
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    signed_by = models.CharField(max_length=16, blank=True, help_text="The id of the key that signed it.")
    signature = models.CharField(max_length=128, blank=True, help_text="Ed25519 signature of the hash, hex.")

    class Meta:
        ordering = ["organisation_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "seq"], name="audit_one_entry_per_position"),
        ]
        indexes = [models.Index(fields=["organisation", "body_id", "seq"], name="audit_org_body_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}: {self.summary}"


class StateRow(models.Model):
    """An index of the rows that confer power each entry wrote (its payload's ``state``): where the log
    last recorded a row, so a decision's provenance can compare that row with the log without reading the
    whole chain. It is only an index: verification rebuilds the state from the entries themselves."""

    # No constraint: an index must not stand in the way of anything done to the log (a deleted entry is
    # found by verification, not by a refused delete).
    entry = models.ForeignKey(
        LogEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="state_rows"
    )
    model = models.CharField(max_length=60, help_text="The row's model, as app_label.model.")
    row_pk = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["model", "row_pk", "entry"], name="audit_state_row_latest")]

    def __str__(self) -> str:
        return f"{self.model} #{self.row_pk} in entry {self.entry_id}"


class ChainHead(models.Model):
    """The latest position and hash of an organisation's chain; its row lock serialises appends."""

    organisation = models.OneToOneField(
        "federation.Organisation", on_delete=models.PROTECT, related_name="chain_head"
    )
    seq = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.organisation_id} @ {self.seq}"


class ChainVerification(models.Model):
    """One check of an organisation's chain, by the scheduler or on request: what members read on the
    integrity page. A verification rewritten in the database proves nothing, so each is also a log entry
    when it finds a problem (which the problem itself may prevent: then members are told by notification)."""

    organisation = models.ForeignKey(
        "federation.Organisation", on_delete=models.CASCADE, related_name="chain_verifications"
    )
    verified_at = models.DateTimeField()
    ok = models.BooleanField()
    entries = models.PositiveBigIntegerField(help_text="Entries checked (up to the first problem).")
    head_seq = models.PositiveBigIntegerField(null=True, blank=True)
    head_hash = models.CharField(max_length=64, blank=True)
    problem_seq = models.PositiveBigIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=500, blank=True)
    requested_by = models.CharField(
        max_length=250, help_text="Who asked for the check (the scheduler or a member)."
    )

    class Meta:
        ordering = ["organisation_id", "-verified_at"]
        indexes = [models.Index(fields=["organisation", "-verified_at"], name="audit_verification_latest")]

    def __str__(self) -> str:
        return f"{self.organisation_id} at {self.verified_at:%Y-%m-%d %H:%M}: {'ok' if self.ok else 'broken'}"


class Checkpoint(models.Model):
    """The chain verified in full up to ``seq`` (every hash and every signature), signed with the log's key.

    A later verification that recomputes the hashes from the first entry and reaches ``entry_hash`` at
    ``seq`` knows that nothing up to there changed since, without checking those entries' signatures again.
    A checkpoint written or edited in the database without the key does not verify, and is reported."""

    organisation = models.ForeignKey(
        "federation.Organisation", on_delete=models.CASCADE, related_name="log_checkpoints"
    )
    seq = models.PositiveBigIntegerField(help_text="The newest entry verified.")
    entry_hash = models.CharField(max_length=64, help_text="That entry's hash.")
    made_at = models.DateTimeField()
    signed_by = models.CharField(max_length=16, help_text="The id of the key that signed it.")
    signature = models.CharField(max_length=128, help_text="Ed25519 signature, hex.")

    class Meta:
        indexes = [models.Index(fields=["organisation", "-seq"], name="audit_checkpoint_latest")]

    def __str__(self) -> str:
        return f"{self.organisation_id} verified up to #{self.seq}"


# Kept importable for type hints in services without importing the user model at module import time.
ActorModel = settings.AUTH_USER_MODEL
