"""Recall: the electorate that conferred a seat or an office takes it back.

A recall belongs to the electorate that conferred the seat (``ElectedSeat.election``'s electors). Its
rules are copied from the constitution when the petition opens, so a later amendment cannot change a
recall already under way. Nothing here can be paused, voided or delayed: a petition ends only by
lapsing at its deadline or by reaching its threshold, and a recall ballot only by being counted.

The tables keep the names they had when recall lived inside the mandates app (``Meta.db_table``), so
moving the models here changed no table of an existing database.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commune.federation.models import Body, Member, Organisation


class RecallStatus(models.TextChoices):
    GATHERING = "gathering", _("Gathering signatures")
    BALLOTING = "balloting", _("Threshold reached; recall ballot open")
    RECALLED = "recalled", _("Recalled")
    RETAINED = "retained", _("Threshold reached; the recall ballot kept the holder")
    LAPSED = "lapsed", _("Lapsed: the threshold was not reached in time")
    VACATED = "vacated", _("The seat ended before the recall was decided")


#: Petitions still running: at most one per seat at a time.
RECALL_LIVE_STATUSES = (RecallStatus.GATHERING, RecallStatus.BALLOTING)


class RecallProcedure(models.TextChoices):
    IMMEDIATE = "immediate", _("Removal at the threshold")
    BALLOT = "recall-ballot", _("A recall ballot at the threshold")


class RecallReplacement(models.TextChoices):
    COUNTBACK = "countback", _("Countback of the original ballots")
    BY_ELECTION = "by-election", _("By-election")


class ReplacementOutcome(models.TextChoices):
    PENDING = "", _("Not yet")
    COUNTBACK = "countback", _("Filled by countback")
    BY_ELECTION = "by-election", _("By-election called")
    BY_ELECTION_SEATED = "by-election-seated", _("Filled by by-election")
    VACANT = "vacant", _("Left vacant (no replacement possible)")


class RecallPetition(models.Model):
    """A petition of the electorate that conferred ``seat`` to recall its holder.

    The petition never records who opened it or who signed it (see ``RecallSignature``); the counts are
    public, the names are not.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    seat = models.ForeignKey(
        "elections.ElectedSeat",
        on_delete=models.PROTECT,
        related_name="recall_petitions",
        help_text="The seat or office term to recall, with the election whose electorate may recall it.",
    )
    holder = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="recall_petitions_against")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", help_text="The body that held the election."
    )
    grounds = models.TextField(blank=True)
    opened_at = models.DateTimeField()
    deadline = models.DateTimeField(help_text="The threshold must be reached before this moment.")
    # The constitution's recall rules when the petition opened.
    constitution_version = models.PositiveIntegerField()
    threshold_percent = models.DecimalField(max_digits=5, decimal_places=2)
    procedure = models.CharField(max_length=16, choices=RecallProcedure.choices)
    ballot_majority = models.CharField(max_length=12, help_text="A fraction such as 1/2 or 2/3.")
    replacement = models.CharField(max_length=12, choices=RecallReplacement.choices)
    electorate_size = models.PositiveIntegerField(
        help_text="Electors of the conferring election still members within its body at opening "
        "(``RecallPetitionElector``, fixed then)."
    )
    signatures_required = models.PositiveIntegerField()
    signatures = models.PositiveIntegerField(default=0)

    status = models.CharField(max_length=12, choices=RecallStatus.choices, default=RecallStatus.GATHERING)
    threshold_reached_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The replacement, once the holder is recalled.
    replacement_outcome = models.CharField(
        max_length=20, choices=ReplacementOutcome.choices, blank=True, default=""
    )
    replaced_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    replacement_seat = models.OneToOneField(
        "elections.ElectedSeat", null=True, blank=True, on_delete=models.PROTECT, related_name="fills_recall"
    )
    by_election = models.OneToOneField(
        "elections.Election", null=True, blank=True, on_delete=models.PROTECT, related_name="fills_recall"
    )
    countback = models.JSONField(
        null=True, blank=True, help_text="The countback's recount, stage by stage (commune.tally.render)."
    )
    replacement_note = models.TextField(blank=True, help_text="Why the seat was filled as it was.")

    class Meta:
        db_table = "mandates_recallpetition"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat"],
                condition=Q(status__in=RECALL_LIVE_STATUSES),
                name="one_live_recall_per_seat",
            ),
            models.CheckConstraint(
                name="recall_signatures_within_electorate",
                condition=Q(signatures__lte=models.F("electorate_size")),
            ),
            models.CheckConstraint(
                name="recall_threshold_reached_when_past_gathering",
                condition=Q(status__in=["gathering", "lapsed"], threshold_reached_at__isnull=True)
                | Q(
                    status__in=["balloting", "recalled", "retained"],
                    threshold_reached_at__isnull=False,
                    signatures__gte=models.F("signatures_required"),
                )
                | Q(status="vacated"),
            ),
            models.CheckConstraint(
                name="recall_deadline_after_opening", condition=Q(deadline__gt=models.F("opened_at"))
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="recall_status_due")]

    def __str__(self) -> str:
        return f"recall petition {self.pk} against {self.holder_id}"


class RecallPetitionElector(models.Model):
    """One member of a petition's electorate, fixed when the petition opens: the electors of the
    conferring election who were then members within its body. Only they may sign it and vote in its
    recall ballot, whatever happens to the roll afterwards (someone who lapses keeps the right, someone
    admitted later never gains it). This says who *may* sign, never who did (see ``RecallSignature``)."""

    petition = models.ForeignKey(RecallPetition, on_delete=models.PROTECT, related_name="electors")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "member"], name="one_recall_elector_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} may sign petition {self.petition_id}"


class RecallSignature(models.Model):
    """That one elector signed a petition, stored as a keyed digest of (petition, member) and nothing
    else: no member key, no time. The key is the petition's own, kept outside the database and destroyed
    when the petition stops gathering (``commune.ballots.boxkeys.petition_signer_digest``). The service
    can answer "have I signed?" for the person asking while it gathers, and the unique digest is the
    one-signature-per-person guard, but no list of signers can be read from the table without that key
    and a guess of who might have signed."""

    petition = models.ForeignKey(RecallPetition, on_delete=models.PROTECT, related_name="+")
    signer_key = models.CharField(max_length=64)

    class Meta:
        db_table = "mandates_recallsignature"
        constraints = [
            models.UniqueConstraint(fields=["petition", "signer_key"], name="one_signature_per_person")
        ]

    def __str__(self) -> str:
        return f"a signature of petition {self.petition_id}"


class RecallBallot(models.Model):
    """The secret ballot of the same electorate on whether to recall, when the constitution asks one, cast
    in its ``box`` (the ballots app's yes/no box, which keeps who voted apart from what was voted)."""

    petition = models.OneToOneField(RecallPetition, on_delete=models.PROTECT, related_name="ballot")
    question = models.CharField(max_length=300)
    rule = models.JSONField(help_text="The majority it must reach, fixed when it opened.")
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    box = models.OneToOneField(
        "ballots.YesNoBox", null=True, on_delete=models.PROTECT, related_name="recall_ballot"
    )
    electorate = models.PositiveIntegerField()
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    carried = models.BooleanField(null=True, blank=True)
    explanation = models.TextField(blank=True)

    class Meta:
        db_table = "mandates_recallballot"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="recall_ballot_closes_after_opening", condition=Q(closes_at__gt=models.F("opened_at"))
            ),
            models.CheckConstraint(
                name="recall_ballot_result_once_closed",
                condition=Q(closed_at__isnull=True, carried__isnull=True)
                | Q(closed_at__isnull=False, carried__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["closed_at", "closes_at"], name="recall_ballot_due")]

    def __str__(self) -> str:
        return self.question
