"""The secret ballot box: the register of who voted, kept apart from the box of what was voted.

* ``RegisterEntry`` names the member and nothing of their vote. Its unique (election, member) pair is the
  double-vote guard.
* ``Ballot`` (the sealed box, while voting is open) and ``BulletinEntry`` (the published bulletin, after
  close) hold what was voted and nothing of who: no member key, no timestamp, no sequential id — their
  keys are random UUIDs.

While voting is open, and only where the constitution allows re-voting, a register entry holds the random
id of the voter's current ballot so that a new ballot can replace it; closing wipes it before the
bulletin is written (see ``docs/elections.md``).
"""

from __future__ import annotations

import uuid

from django.db import models

from commune.elections.models import Election
from commune.federation.models import Member


class RegisterEntry(models.Model):
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="register")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    current_ballot = models.UUIDField(
        null=True, blank=True, help_text="Only while voting is open and re-voting is allowed; wiped at close."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} voted in {self.election_id}"


class Ballot(models.Model):
    """A ballot in the sealed box. ``ranking`` lists candidacy ids, first preference first."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    tracker = models.CharField(max_length=24)
    ranking = models.JSONField()
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "tracker"], name="ballot_tracker_unique")]

    def __str__(self) -> str:
        return self.tracker


class BulletinEntry(models.Model):
    """A published ballot, written at close in random order with a fresh random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="bulletin")
    tracker = models.CharField(max_length=24)
    ranking = models.JSONField()
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["tracker"]
        verbose_name_plural = "bulletin entries"
        constraints = [
            models.UniqueConstraint(fields=["election", "tracker"], name="bulletin_tracker_unique")
        ]

    def __str__(self) -> str:
        return self.tracker
