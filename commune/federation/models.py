"""Organisations, their bodies (units and councils), members, seats and the constitution.

A ``Body`` is either a *unit* (a base body: workplace, branch, depot — its general assembly is all its
members) or a *council* (a body of delegates). Every body but the top one has a ``parent`` council; a
council's constituencies are the bodies directly below it. ``path`` holds the ids from the top down, each
written with the same number of digits (``/0000000001/0000000004/0000000017/``), so that the chain above
any body is read in one query and ordering by ``path`` is the tree's order, depth first and siblings as
they were created, in every database and collation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commune.federation.currency import DEFAULT_CURRENCY, currency_validate


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    founded_at = models.DateTimeField()
    currency = models.CharField(
        max_length=3,
        default=DEFAULT_CURRENCY,
        validators=[currency_validate],
        help_text="ISO 4217 code of the currency its pay and wages are in (GBP, EUR…).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BodyKind(models.TextChoices):
    UNIT = "unit", _("Unit")
    COUNCIL = "council", _("Council")


#: Digits of each id in a body's ``path``: ids of the same width order as numbers do (``/10/`` would come
#: before ``/2/``), also under a collation that skips the separators.
PATH_ID_DIGITS = 10


def body_path(parent_path: str | None, body_id: int) -> str:
    """The path of body ``body_id`` under the body whose path is ``parent_path`` (None: at the top)."""
    return f"{parent_path or '/'}{body_id:0{PATH_ID_DIGITS}d}/"


class Body(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bodies")
    kind = models.CharField(max_length=10, choices=BodyKind.choices)
    code = models.SlugField(
        max_length=40, help_text="Short code, unique in the organisation (e.g. DEPOT-07)."
    )
    name = models.CharField(max_length=200)
    unit_type = models.CharField(max_length=40, blank=True, help_text="For units: workplace, branch, depot…")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=400, db_index=True)
    # Council sizing: exactly one of the two for a council, neither for a unit.
    seats_fixed = models.PositiveIntegerField(null=True, blank=True)
    members_per_seat = models.PositiveIntegerField(null=True, blank=True)
    # Denormalised count of current members within the body (its own for a unit, its subtree's for a
    # council), kept by the membership services so tree pages need no aggregate queries.
    member_count = models.PositiveIntegerField(default=0)
    # A body ceases (dissolved, or merged into another) only by a structural decision of a council whose
    # reach covers it: ``dissolved_by`` is that decision's id (``structure.StructuralChange``), a plain
    # reference so that the federation knows nothing of motions. A ceased body keeps its history (its
    # members' past periods, its motions, its elections) and is no longer a constituency.
    dissolved_at = models.DateTimeField(null=True, blank=True)
    dissolved_by = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The structural change that dissolved it."
    )

    class Meta:
        ordering = ["path"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="body_code_unique_in_org"),
            models.CheckConstraint(
                name="council_sized_one_way",
                condition=(
                    Q(kind="unit", seats_fixed__isnull=True, members_per_seat__isnull=True)
                    | Q(kind="council", seats_fixed__isnull=False, members_per_seat__isnull=True)
                    | Q(kind="council", seats_fixed__isnull=True, members_per_seat__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="body_dissolved_only_by_a_decision",
                condition=Q(dissolved_at__isnull=True, dissolved_by__isnull=True)
                | Q(dissolved_at__isnull=False, dissolved_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unit(self) -> bool:
        return self.kind == BodyKind.UNIT

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_at is not None

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids of the councils above this body, top first."""
        return [int(p) for p in self.path.strip("/").split("/")[:-1] if p]


class Member(models.Model):
    """A person's membership of an organisation, across all the units they belong to over time."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="members")
    number = models.CharField(max_length=40, help_text="Membership number from the roll.")
    wage_band = models.CharField(max_length=40, blank=True)
    current_unit = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="current_members"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="member_number_unique_in_org"),
            models.UniqueConstraint(fields=["organisation", "person"], name="one_member_record_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.number}"


class MembershipEnd(models.TextChoices):
    TRANSFER = "transfer", _("Transferred")
    LAPSE = "lapse", _("Lapsed")


class Membership(models.Model):
    """A period of a member in one unit. History is kept: transfers and lapses end a period."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="periods")
    unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="memberships")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=MembershipEnd.choices, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            # A member belongs to one unit at a time.
            models.UniqueConstraint(
                fields=["member"], condition=Q(ended_at__isnull=True), name="one_current_unit_per_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.unit_id}"


class Apportionment(models.Model):
    """The seats of one council divided among its constituencies at one moment."""

    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="apportionments")
    computed_at = models.DateTimeField()
    total_seats = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.council_id}: {self.total_seats} seats"


class ApportionedSeats(models.Model):
    apportionment = models.ForeignKey(Apportionment, on_delete=models.CASCADE, related_name="shares")
    constituency = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seat_shares")
    members = models.PositiveIntegerField()
    seats = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["apportionment", "constituency"], name="one_share_per_constituency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.constituency_id}: {self.seats}"


class Delegation(models.Model):
    """A delegate holding one seat of a constituency on a council, for a term.

    Created only from an election result (``source`` describes it); ended by recall, resignation or the end
    of the term — never by the council itself.
    """

    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="delegations")
    constituency = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="delegations_sent")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="delegations")
    term_start = models.DateField()
    term_end = models.DateField()
    source = models.CharField(max_length=200, help_text="The election that conferred the seat.")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["council_id", "constituency_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "member"], condition=Q(ended_at__isnull=True), name="one_seat_per_council"
            ),
        ]
        indexes = [models.Index(fields=["constituency", "ended_at"], name="delegation_constituency_live")]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.council_id} for {self.constituency_id}"


class Office(models.Model):
    """An office of a body (secretary, treasurer…), filled by election of the body's members."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="offices")
    title = models.CharField(max_length=120)
    manages_roll = models.BooleanField(
        default=False, help_text="The holder may import the unit's member roll."
    )

    class Meta:
        ordering = ["body_id", "title"]
        constraints = [models.UniqueConstraint(fields=["body", "title"], name="office_title_unique_in_body")]

    def __str__(self) -> str:
        return self.title


class OfficeTerm(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="terms")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="office_terms")
    term_start = models.DateField()
    term_end = models.DateField()
    source = models.CharField(max_length=200, help_text="The election that conferred the office.")
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["office_id", "-term_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["office"], condition=Q(ended_at__isnull=True), name="one_holder_per_office"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} as {self.office_id}"


class ConstitutionVersion(models.Model):
    """One adopted version of an organisation's rules (validated by ``commune.federation.constitution``)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="constitution_versions"
    )
    number = models.PositiveIntegerField()
    adopted_at = models.DateTimeField()
    adopted_by = models.CharField(
        max_length=200, help_text="The act that adopted it (founding, a referendum…)."
    )
    rules = models.JSONField()
    referendum_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        unique=True,
        help_text="The membership referendum that carried this version (every version after the first): "
        "the id of the motions' referral, checked when the version was adopted and recorded in its log "
        "entry. A plain reference, so that the federation knows nothing of motions.",
    )

    class Meta:
        ordering = ["organisation_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="constitution_version_unique"),
            # The founding text is the first version; every later one was carried by the membership.
            models.CheckConstraint(
                name="constitution_amended_only_by_referendum",
                condition=Q(number=1) | Q(referendum_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} v{self.number}"


class RollImportStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting a second officer")
    APPLIED = "applied", _("Confirmed by a second officer and applied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RollImportPending(models.Model):
    """A roll import that would lapse more of a unit than one officer may alone (the constitution's
    ``roll.second_officer_lapse_percent``): kept, file and all, until another of the unit's roll officers
    confirms it or an officer withdraws it."""

    unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="pending_roll_imports")
    csv_text = models.TextField()
    file_sha256 = models.CharField(max_length=64)
    lapse_code = models.CharField(max_length=16, help_text="Names exactly the members it would lapse.")
    lapsing = models.JSONField(help_text="The member numbers it would lapse, as proposed.")
    proposed_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=RollImportStatus.choices, default=RollImportStatus.AWAITING
    )
    decided_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status="awaiting"),
                name="one_roll_import_awaiting_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"roll of {self.unit_id} proposed by {self.proposed_by_id} ({self.status})"
