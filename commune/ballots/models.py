"""The secret ballot boxes: the register of who voted, kept apart from the box of what was voted.

Two kinds of box, one discipline. The ranked box of a preferential vote — an election's
(``RankedBox``, ``RegisterEntry``, ``Ballot``, ``BulletinEntry``) — and the yes/no box of every other secret vote — a motion's assembly vote or
referendum, a recall ballot — (``YesNoBox``, ``YesNoRegisterEntry``, ``YesNoEncryptedPaper``,
``YesNoPaper``).

While a box is open its papers are stored encrypted under the box's own key, which is kept outside the
database (``boxkeys``). Sealing decrypts them, shuffles them with the operating system's CSPRNG, writes
them afresh in plain with fresh random ids (the bulletin, or the sealed box's ``YesNoPaper`` rows),
deletes the encrypted rows and destroys the key (``services.papers_shuffle_rewrite``).

Each box is owned by the vote it serves, which points at it (``Election.box``, ``Vote.box``,
``RecallBallot.box``) and decides who may vote and when: this app knows nothing of its owners.

* ``RegisterEntry`` names the member and nothing of their vote. Its unique (box, member) pair is the
  double-vote guard. Where re-voting is allowed it also holds, while voting is open, the id of the
  voter's current ballot — encrypted under the box key, so the table alone points nowhere.
* ``Ballot`` (the box, while voting is open) holds ciphertext only; ``BulletinEntry`` (the published
  bulletin, after close) holds what was voted and nothing of who: no member key, no timestamp, no
  sequential id — their keys are random UUIDs.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from commune.ballots.boxkeys import RankedPaper, ranked_paper_open, yes_no_paper_open
from commune.federation.models import Member


class RankedBox(models.Model):
    """The box of one ranked vote. Its owner points at it (an ``Election.box``); the owner decides who may
    vote, for whom and when, the box keeps who voted apart from what was voted. The papers rank the
    owner's candidate ids, first preference first."""

    sealed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its papers were shuffled and rewritten as the public bulletin, no more cast.",
    )

    class Meta:
        verbose_name_plural = "ranked boxes"

    def __str__(self) -> str:
        return f"ranked box {self.pk}"


class RegisterEntry(models.Model):
    # Found by box through the leading column of the unique (box, member) index: an index on the box alone
    # would be a second copy of it, written on every cast.
    box = models.ForeignKey(RankedBox, on_delete=models.PROTECT, related_name="register", db_index=False)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    current_ballot_encrypted = models.BinaryField(
        null=True,
        blank=True,
        help_text="The id of the voter's current ballot encrypted under the box key: only while voting is "
        "open and re-voting is allowed; wiped at close, and the key destroyed.",
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["box", "member"], name="one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} voted in ranked box {self.box_id}"


class Ballot(models.Model):
    """A ballot in the box while voting is open: its tracker and ranking (candidacy ids, first preference
    first) encrypted under the box key (``boxkeys.ranked_paper_seal``), and the voter's weight."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(RankedBox, on_delete=models.PROTECT, related_name="+")
    encrypted = models.BinaryField()
    weight = models.PositiveIntegerField(
        default=1, help_text="The elector's weight, as public as the electorate."
    )

    def __str__(self) -> str:
        return str(self.id)

    @cached_property
    def paper(self) -> RankedPaper:
        """What the ballot says, decrypted with the box key (only while voting is open: the key is
        destroyed at the seal)."""
        return ranked_paper_open(self.box_id, self.encrypted)

    @property
    def tracker(self) -> str:
        return self.paper.tracker

    @property
    def ranking(self) -> list[int]:
        return self.paper.ranking


class BulletinEntry(models.Model):
    """A published ballot, written at close in random order with a fresh random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(RankedBox, on_delete=models.PROTECT, related_name="bulletin")
    tracker = models.CharField(max_length=24)
    ranking = models.JSONField()
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["tracker"]
        verbose_name_plural = "bulletin entries"
        constraints = [models.UniqueConstraint(fields=["box", "tracker"], name="bulletin_tracker_unique")]

    def __str__(self) -> str:
        return self.tracker


class YesNoChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


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

    # Found by box through the unique (box, member) index, as ``RegisterEntry`` is.
    box = models.ForeignKey(YesNoBox, on_delete=models.PROTECT, related_name="register", db_index=False)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "yes/no register entries"
        constraints = [models.UniqueConstraint(fields=["box", "member"], name="one_yes_no_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} voted in yes/no box {self.box_id}"


class YesNoEncryptedPaper(models.Model):
    """A paper in an open yes/no box: its choice encrypted under the box key
    (``boxkeys.yes_no_paper_seal``), with a random key and nothing of who cast it. Sealing decrypts
    them into ``YesNoPaper`` rows, deletes them and destroys the key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(YesNoBox, on_delete=models.PROTECT, related_name="+")
    encrypted = models.BinaryField()

    def __str__(self) -> str:
        return str(self.id)

    @property
    def choice(self) -> str:
        """The choice, decrypted with the box key (only while the box is open)."""
        return yes_no_paper_open(self.box_id, self.encrypted)


class YesNoPaper(models.Model):
    """What was voted in a sealed yes/no box, and nothing of who: a random key, no member, no time, no
    sequence. Written at the seal, shuffled, from the box's encrypted papers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(YesNoBox, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=YesNoChoice.choices)

    def __str__(self) -> str:
        return str(self.id)


# --- The paper channel ---------------------------------------------------------------------------------------


class PaperChannel(models.Model):
    """Paper ballots for one or more yes/no boxes answered on one paper (a statutory ballot's separate
    questions, or any secret vote's one question), or for one ranked box (an election's: the paper lists
    its candidates, to be numbered in order of preference), beside voting online: each paper issued to one member
    under a unique code, entered on return by two tellers whose readings must agree. What a counted paper
    says goes into the boxes like any other paper, encrypted until the seal; the channel keeps only which
    papers were issued, returned, spoiled and counted."""

    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When its first box was sealed: no paper is issued or counted after (one returned then is "
        "recorded as late).",
    )
    ranked_box = models.OneToOneField(
        RankedBox,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paper_channel",
        help_text="For a ranked vote: its box (a yes/no vote's boxes are the channel's questions).",
    )
    candidates = models.JSONField(
        default=list,
        blank=True,
        help_text="For a ranked vote: the owner's candidate ids in the order printed on the paper.",
    )
    tellers = models.ManyToManyField(Member, related_name="+", help_text="Who may issue and enter papers.")

    def __str__(self) -> str:
        return f"paper channel {self.pk}"


class PaperQuestion(models.Model):
    """One question printed on the channel's papers, answered into its own box."""

    channel = models.ForeignKey(PaperChannel, on_delete=models.PROTECT, related_name="questions")
    box = models.OneToOneField(YesNoBox, on_delete=models.PROTECT, related_name="paper_question")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["channel_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "position"], name="one_question_per_position")
        ]

    def __str__(self) -> str:
        return f"question {self.position} of {self.channel_id}"


class PaperStatus(models.TextChoices):
    OUT = "out", _("Issued, not returned")
    ENTERED = "entered", _("Returned, entered by one teller")
    DISPUTED = "disputed", _("Returned, the tellers' entries disagree")
    COUNTED = "counted", _("Returned and counted")
    SPOILED = "spoiled", _("Returned spoiled, replaced")
    REJECTED = "rejected", _("Returned, not counted")
    CANCELLED = "cancelled", _("Cancelled before return")
    LATE = "late", _("Returned after the vote closed, not counted")


#: Statuses of a paper that came back, and of one that did not (the reconciliation's two sides).
PAPER_RETURNED = (
    PaperStatus.ENTERED,
    PaperStatus.DISPUTED,
    PaperStatus.COUNTED,
    PaperStatus.SPOILED,
    PaperStatus.REJECTED,
    PaperStatus.LATE,
)
PAPER_UNRETURNED = (PaperStatus.OUT, PaperStatus.CANCELLED)


class BallotPaper(models.Model):
    """A paper issued to one member under a unique code. It never holds what the paper says: the tellers'
    readings are kept encrypted under the box key until they agree, then go into the boxes and are
    deleted, so after the seal a code leads to a member and to nothing they voted."""

    channel = models.ForeignKey(PaperChannel, on_delete=models.PROTECT, related_name="papers")
    code = models.CharField(max_length=24, unique=True)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=PaperStatus.choices, default=PaperStatus.OUT)
    reason = models.CharField(max_length=200, blank=True, help_text="Why it was cancelled or rejected.")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    weight = models.PositiveIntegerField(
        default=1, help_text="The elector's weight in a weighted ranked vote, as public as the electorate."
    )

    class Meta:
        ordering = ["channel_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "member"],
                condition=models.Q(status__in=["out", "entered", "disputed", "counted"]),
                name="one_live_paper_per_member",
            ),
            models.CheckConstraint(
                name="paper_cancelled_or_rejected_says_why",
                condition=~models.Q(status__in=["cancelled", "rejected"]) | ~models.Q(reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class TellerEntry(models.Model):
    """One teller's reading of a returned paper, encrypted under the key of the first question's box or of
    the ranked box (``boxkeys.teller_entry_seal``). Deleted once two readings agree (the paper counted) or a dispute is
    resolved; none outlives the channel."""

    paper = models.ForeignKey(BallotPaper, on_delete=models.PROTECT, related_name="entries")
    teller = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    encrypted = models.BinaryField()

    class Meta:
        verbose_name_plural = "teller entries"
        constraints = [models.UniqueConstraint(fields=["paper", "teller"], name="one_entry_per_teller")]

    def __str__(self) -> str:
        return f"{self.teller_id} read {self.paper_id}"


class PaperDispute(models.Model):
    """Two tellers read a paper differently: on the queue until a third teller resolves it, with a reason
    every teller and the scrutineer read. The readings themselves are never written here."""

    paper = models.OneToOneField(BallotPaper, on_delete=models.PROTECT, related_name="dispute")
    first_teller = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    second_teller = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    resolved_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return f"dispute on {self.paper_id}"
