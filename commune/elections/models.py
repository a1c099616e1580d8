"""Elections: who is being elected, by whom, when, from which candidates, and with what result.

An election belongs to the body that holds it: for delegates, the *constituency* (the body below the
council, whose members or delegates elect its seats on the council); for an officer, the body whose office
it is; for any other election, the body that called it. Everything that decides the outcome — the seats,
the method, the electorate — is fixed when the election is called and stored here, so a later change of the
constitution or of the membership cannot change an election already under way.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from commune.ballots.models import RankedBox
from commune.federation.models import Body, Delegation, Member, Office, OfficeTerm, Organisation


class ElectionKind(models.TextChoices):
    DELEGATES = "delegates", gettext_lazy("Delegates to a council")
    OFFICER = "officer", gettext_lazy("Officer of a body")
    OTHER = "other", gettext_lazy("Other election")


class ElectionStatus(models.TextChoices):
    SCHEDULED = "scheduled", gettext_lazy("Called; nominations not yet open")
    NOMINATIONS = "nominations", gettext_lazy("Nominations open")
    NOMINATIONS_CLOSED = "nominations_closed", gettext_lazy("Nominations closed; voting not yet open")
    VOTING = "voting", gettext_lazy("Voting open")
    COUNTING = "counting", gettext_lazy("Voting closed; counting")
    DECLARED = "declared", gettext_lazy("Result declared")
    FAILED = "failed", gettext_lazy("Failed (no valid nominations)")


#: States in which an election is still under way (at most one per seat set at a time).
OPEN_STATUSES = (
    ElectionStatus.SCHEDULED,
    ElectionStatus.NOMINATIONS,
    ElectionStatus.NOMINATIONS_CLOSED,
    ElectionStatus.VOTING,
    ElectionStatus.COUNTING,
)


class ElectorateMode(models.TextChoices):
    MEMBERS = "members", gettext_lazy("All members within the body")
    DELEGATES = "delegates", gettext_lazy("The delegates seated on the body")


class Election(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="elections")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="elections")
    kind = models.CharField(max_length=12, choices=ElectionKind.choices)
    council = models.ForeignKey(
        Body,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegate_elections",
        help_text="For delegate elections: the council the body sends its delegates to.",
    )
    office = models.ForeignKey(
        Office, null=True, blank=True, on_delete=models.PROTECT, related_name="elections"
    )
    title = models.CharField(max_length=200)
    seats = models.PositiveIntegerField()
    method = models.CharField(max_length=20)
    electorate_mode = models.CharField(max_length=10, choices=ElectorateMode.choices)
    weighted = models.BooleanField(
        default=False, help_text="Each elector's vote carries the members they represent."
    )
    seconders_required = models.PositiveSmallIntegerField(default=0)
    allow_revote = models.BooleanField(default=True)
    constitution_version = models.PositiveIntegerField()
    apportionment = models.ForeignKey(
        "federation.Apportionment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    represented_members = models.PositiveIntegerField(
        default=0, help_text="Members within the body when the election was called."
    )

    nominations_open_at = models.DateTimeField()
    nominations_close_at = models.DateTimeField()
    voting_open_at = models.DateTimeField()
    voting_close_at = models.DateTimeField()
    term_start = models.DateField()
    term_end = models.DateField()

    status = models.CharField(max_length=20, choices=ElectionStatus.choices, default=ElectionStatus.SCHEDULED)
    called_at = models.DateTimeField()
    called_by = models.CharField(max_length=250)
    electorate_size = models.PositiveIntegerField(default=0)
    follows = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
        help_text="The election whose term ending called this one.",
    )
    fills = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="by_elections",
        help_text="A by-election: the one vacated seat it fills for the rest of that seat's term; the "
        "constituency's other delegates keep their seats.",
    )
    box = models.OneToOneField(
        RankedBox,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The secret ballot box its ballots are cast into: its register, its papers, its bulletin.",
    )

    # The result, once declared.
    tie_seed = models.BigIntegerField(null=True, blank=True, help_text="Drawn at close; settles ties by lot.")
    ballots_counted = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    merkle_root = models.CharField(max_length=64, blank=True)
    uncontested = models.BooleanField(default=False)
    failure_reason = models.CharField(max_length=300, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    installed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-voting_close_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="election_timeline_in_order",
                condition=Q(nominations_open_at__lte=models.F("nominations_close_at"))
                & Q(nominations_close_at__lte=models.F("voting_open_at"))
                & Q(voting_open_at__lt=models.F("voting_close_at")),
            ),
            models.CheckConstraint(
                name="election_term_in_order", condition=Q(term_start__lte=models.F("term_end"))
            ),
            models.CheckConstraint(name="election_has_seats", condition=Q(seats__gte=1)),
            models.CheckConstraint(
                name="election_kind_shape",
                condition=Q(kind="delegates", council__isnull=False, office__isnull=True)
                | Q(kind="officer", council__isnull=True, office__isnull=False, seats=1)
                | Q(kind="other", council__isnull=True, office__isnull=True),
            ),
            models.CheckConstraint(
                name="by_election_fills_one_delegate_seat",
                condition=Q(fills__isnull=True) | Q(kind="delegates", seats=1),
            ),
            # One election at a time for the same seats.
            models.UniqueConstraint(
                fields=["council", "body"],
                condition=Q(kind="delegates", status__in=OPEN_STATUSES),
                name="one_open_delegate_election_per_constituency",
            ),
            models.UniqueConstraint(
                fields=["office"],
                condition=Q(kind="officer", status__in=OPEN_STATUSES),
                name="one_open_election_per_office",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "voting_close_at"], name="election_status_due"),
            models.Index(fields=["body", "status"], name="election_body_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def source_label(self) -> str:
        """How seats conferred by this election name their source."""
        return f"election #{self.pk}: {self.title}"


class Elector(models.Model):
    """The electorate, fixed when the election is called: who may vote, and with what weight."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="electors")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="one_elector_entry_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.election_id}"


class CandidacyStatus(models.TextChoices):
    STANDING = "standing", gettext_lazy("Standing")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")
    INVALID = "invalid", gettext_lazy("Not validly nominated")


class CandidacyOutcome(models.TextChoices):
    PENDING = "", gettext_lazy("Not yet counted")
    ELECTED = "elected", gettext_lazy("Elected")
    ALTERNATE = "alternate", gettext_lazy("Alternate")
    NOT_ELECTED = "not_elected", gettext_lazy("Not elected")


class Candidacy(models.Model):
    """A member standing in an election. Only the member themselves creates or withdraws it."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidacies")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="candidacies")
    statement = models.TextField(blank=True)
    tendency = models.CharField(max_length=120, blank=True)
    nominated_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=CandidacyStatus.choices, default=CandidacyStatus.STANDING
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    ballot_label = models.CharField(
        max_length=250, blank=True, help_text="The name on the ballot and bulletin."
    )
    outcome = models.CharField(max_length=12, choices=CandidacyOutcome.choices, blank=True, default="")
    elected_order = models.PositiveSmallIntegerField(null=True, blank=True)
    alternate_rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["election_id", "ballot_label", "id"]
        verbose_name_plural = "candidacies"
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="one_candidacy_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.election_id}"


class Seconding(models.Model):
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="seconders")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    seconded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidacy", "member"], name="one_seconding_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} seconds {self.candidacy_id}"


class Endorsement(models.Model):
    """A body's published support for a candidate. Shown as such; it never changes the ballot."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="endorsements")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="endorsements")
    statement = models.TextField(blank=True)
    published_at = models.DateTimeField()
    published_by = models.CharField(max_length=250)

    class Meta:
        ordering = ["published_at", "id"]
        constraints = [models.UniqueConstraint(fields=["candidacy", "body"], name="one_endorsement_per_body")]

    def __str__(self) -> str:
        return f"{self.body_id} endorses {self.candidacy_id}"


class ElectedSeat(models.Model):
    """A seat conferred by an election: who holds it, the delegation or office term it created, and whom
    the holder represents. Recall belongs to the same electorate (the election's ``body`` and
    ``electorate_mode``)."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="seats_conferred")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    delegation = models.OneToOneField(
        Delegation, null=True, blank=True, on_delete=models.PROTECT, related_name="elected_by"
    )
    office_term = models.OneToOneField(
        OfficeTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="elected_by"
    )
    represents_members = models.PositiveIntegerField(
        help_text="The members this holder's vote stands for where council votes are weighted."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="one_seat_per_winner")]

    def __str__(self) -> str:
        return f"{self.member_id} by {self.election_id}"
