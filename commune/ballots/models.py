"""The secret ballot boxes: the register of who voted, kept apart from the box of what was voted.

Two kinds of box, one discipline. The ranked box of an election (``RegisterEntry``, ``Ballot``,
``BulletinEntry``) and the yes/no box of every other secret vote — a motion's assembly vote or
referendum, a recall ballot — (``YesNoBox``, ``YesNoRegisterEntry``, ``YesNoPaper``). Both are sealed
by shuffling their papers with the operating system's CSPRNG and rewriting them with fresh random ids,
the originals deleted securely (``services.papers_shuffle_rewrite``).

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


class YesNoChoice(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    ABSTAIN = "abstain", "Abstain"


class YesNoBox(models.Model):
    """The box of one secret yes/no vote. Its owner points at it: a motion's secret ``Vote.box`` or a
    ``RecallBallot.box``; the owner decides who may vote and when, the box keeps who voted apart from
    what was voted."""

    sealed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it was counted: its papers shuffled and rewritten, no more cast.",
    )

    class Meta:
        verbose_name_plural = "yes/no boxes"

    def __str__(self) -> str:
        return f"yes/no box {self.pk}"


class YesNoRegisterEntry(models.Model):
    """That a member voted in a yes/no box; nothing of how. The pair is the double-vote guard."""

    box = models.ForeignKey(YesNoBox, on_delete=models.PROTECT, related_name="register")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "yes/no register entries"
        constraints = [models.UniqueConstraint(fields=["box", "member"], name="one_yes_no_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} voted in yes/no box {self.box_id}"


class YesNoPaper(models.Model):
    """What was voted in a yes/no box, and nothing of who: a random key, no member, no time, no sequence.
    Sealing shuffles the box and rewrites every paper with a fresh key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(YesNoBox, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=YesNoChoice.choices)

    def __str__(self) -> str:
        return str(self.id)
