"""Executives and their decisions, call-ins, constitution proposals, wage bands and office pay, tendencies.

Every power-bearing row points at the council motion that authorised it (``motion``): an executive at
the motion that created it, a reversal at the motion that reversed it, a pay figure at the motion of the
office's own body that set it. A constitution version points at its referendum
(``federation.ConstitutionVersion.referendum_id``).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commune.federation.models import Body, ConstitutionVersion, Member, Office, Organisation
from commune.motions.models import Motion


class ExecutiveKind(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    COMMISSION = "commission", _("Commission")
    OFFICERS = "officers", _("Officers' body")


class ExecutiveStatus(models.TextChoices):
    PROPOSED = "proposed", _("Before its council")
    ACTIVE = "active", _("Established")
    NOT_ADOPTED = "not_adopted", _("Not established (the council did not adopt it)")
    DISSOLVED = "dissolved", _("Dissolved by its council")


class Executive(models.Model):
    """An executive, commission or officers' body of a council, with the powers the council gave it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="executives")
    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="executives")
    kind = models.CharField(max_length=12, choices=ExecutiveKind.choices)
    code = models.SlugField(max_length=40, help_text="Short code, unique in the organisation.")
    name = models.CharField(max_length=200)
    remit = models.TextField(blank=True)
    powers = models.JSONField(help_text="The named powers the council delegated, as a list.")
    proposed_members = models.JSONField(help_text="Member numbers the council's motion names to sit on it.")
    status = models.CharField(
        max_length=12, choices=ExecutiveStatus.choices, default=ExecutiveStatus.PROPOSED
    )
    motion = models.OneToOneField(
        Motion, on_delete=models.PROTECT, related_name="executive_created", help_text="The council's motion."
    )
    established_at = models.DateTimeField(null=True, blank=True)
    dissolution_motion = models.OneToOneField(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="executive_dissolved"
    )
    dissolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="executive_code_unique_in_org"),
            models.CheckConstraint(
                name="executive_established_by_its_motion",
                condition=~Q(status__in=["active", "dissolved"]) | Q(established_at__isnull=False),
            ),
            models.CheckConstraint(
                name="executive_dissolved_by_its_council",
                condition=~Q(status="dissolved")
                | Q(dissolved_at__isnull=False, dissolution_motion__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExecutiveSeat(models.Model):
    """A member sitting on an executive, as named in the council's motion that established it."""

    executive = models.ForeignKey(Executive, on_delete=models.PROTECT, related_name="seats")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="executive_seats")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["executive_id", "member__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["executive", "member"],
                condition=Q(ended_at__isnull=True),
                name="one_live_seat_per_executive_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.executive_id}"


class DecisionStatus(models.TextChoices):
    STANDING = "standing", _("Standing")
    CALLED_IN = "called_in", _("Called in by the council")
    REVERSED = "reversed", _("Reversed by the council")


class ExecutiveDecision(models.Model):
    """A decision an executive took, with the delegated power it used."""

    executive = models.ForeignKey(Executive, on_delete=models.PROTECT, related_name="decisions")
    power = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    text = models.TextField()
    decided_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.STANDING)
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions_reversed"
    )
    retake_motion = models.ForeignKey(
        Motion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions_consented_again",
        help_text="The council's motion consenting to this reversed decision being taken again; it binds "
        "until the council adopts it.",
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="decision_reversed_by_a_council_motion",
                condition=~Q(status="reversed") | Q(reversed_by__isnull=False, reversed_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title


class CallInStatus(models.TextChoices):
    GATHERING = "gathering", _("Gathering delegates' signatures")
    BEFORE_COUNCIL = "before_council", _("Before the council")
    REVERSED = "reversed", _("The council reversed the decision")
    UPHELD = "upheld", _("The council let the decision stand")


class CallIn(models.Model):
    """Delegates of the council calling an executive decision in. At the threshold (fixed when opened,
    from the constitution) it becomes a motion of the council to reverse the decision."""

    decision = models.ForeignKey(ExecutiveDecision, on_delete=models.PROTECT, related_name="call_ins")
    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="call_ins")
    opened_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    reason = models.TextField()
    threshold = models.PositiveIntegerField(help_text="Delegates' signatures that put it to the council.")
    status = models.CharField(max_length=16, choices=CallInStatus.choices, default=CallInStatus.GATHERING)
    motion = models.OneToOneField(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="call_in"
    )
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision"],
                condition=Q(status__in=["gathering", "before_council"]),
                name="one_open_call_in_per_decision",
            ),
            models.CheckConstraint(
                name="call_in_before_council_has_motion",
                condition=Q(status="gathering") | Q(motion__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"call-in of {self.decision_id}"


class CallInElector(models.Model):
    """A delegate who may sign a call-in: the delegates seated on the council when it opened. The list is
    fixed then: a delegate seated later does not sign it, one whose seat ends keeps the right."""

    call_in = models.ForeignKey(CallIn, on_delete=models.CASCADE, related_name="electors")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call_in", "member"], name="one_call_in_elector_per_delegate")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} may sign call-in {self.call_in_id}"


class CallInSignature(models.Model):
    call_in = models.ForeignKey(CallIn, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call_in", "member"], name="one_call_in_signature_per_delegate")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} calls in {self.call_in_id}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ENACTED = "enacted", _("Enacted by referendum")


class ConstitutionProposal(models.Model):
    """Proposed rules, moved as a constitutional motion. Enacted only by a carried referendum."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="constitution_proposals"
    )
    base_version = models.ForeignKey(ConstitutionVersion, on_delete=models.PROTECT, related_name="+")
    rules = models.JSONField(help_text="The whole constitution as proposed, validated.")
    reason = models.TextField(blank=True)
    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="constitution_proposal")
    proposed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    enacted_as = models.OneToOneField(
        ConstitutionVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="proposal"
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="proposal_enacted_as_a_version",
                condition=~Q(status="enacted") | Q(enacted_as__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"proposal {self.pk} on v{self.base_version_id}"


class WageBand(models.Model):
    """A wage band of the roll (``Member.wage_band`` holds its code) with its weekly wage."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="wage_bands")
    code = models.CharField(max_length=40)
    weekly = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["organisation_id", "weekly", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="wage_band_code_unique_in_org"),
            models.CheckConstraint(name="wage_band_not_negative", condition=Q(weekly__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.weekly}"


class WageBandsStatus(models.TextChoices):
    PROPOSED = "proposed", _("Before the body")
    IN_FORCE = "in_force", _("In force")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class WageBandsProposal(models.Model):
    """New weekly figures for wage bands (and bands for named members), moved as a motion of the body the
    constitution names; in force only once that body adopts it. The pay cap is computed from these figures,
    so nobody sets them but that body's vote."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    bands = models.JSONField(help_text="Band code → weekly figure, as a string of two decimals.")
    members = models.JSONField(default=dict, blank=True, help_text="Member number → the band they are on.")
    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="wage_bands_proposal")
    proposed_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=WageBandsStatus.choices, default=WageBandsStatus.PROPOSED
    )
    in_force_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"wage bands {self.pk}"

    def figures(self) -> list[tuple[str, Decimal]]:
        """Each band's code and weekly figure, as money (the JSON holds them as text)."""
        return [(code, Decimal(weekly)) for code, weekly in self.bands.items()]


class PayStatus(models.TextChoices):
    PROPOSED = "proposed", _("Before the body")
    IN_FORCE = "in_force", _("In force")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    SUPERSEDED = "superseded", _("Superseded")


class OfficePay(models.Model):
    """An office's weekly pay, set by its own body's adopted motion, within the constitution's cap."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="pay")
    weekly = models.DecimalField(max_digits=10, decimal_places=2)
    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="office_pay")
    status = models.CharField(max_length=12, choices=PayStatus.choices, default=PayStatus.PROPOSED)
    proposed_at = models.DateTimeField()
    in_force_from = models.DateTimeField(null=True, blank=True)
    cap_when_set = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["office_id", "-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office"], condition=Q(status="in_force"), name="one_pay_in_force_per_office"
            ),
            models.CheckConstraint(name="office_pay_not_negative", condition=Q(weekly__gte=0)),
            models.CheckConstraint(
                name="office_pay_in_force_within_cap",
                condition=~Q(status="in_force")
                | Q(cap_when_set__isnull=False, weekly__lte=models.F("cap_when_set")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}: {self.weekly}"


class TendencyAdmission(models.TextChoices):
    MEMBERS = "members", _("Admitted by any of its members")
    FOUNDERS = "founders", _("Admitted by its founders")


class Tendency(models.Model):
    """A public grouping of members around a platform. Only its own members can dissolve it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="tendencies")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)
    platform = models.TextField()
    founded_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    founded_at = models.DateTimeField()
    dissolved_at = models.DateTimeField(null=True, blank=True)
    admission = models.CharField(
        max_length=10,
        choices=TendencyAdmission.choices,
        default=TendencyAdmission.MEMBERS,
        help_text="Who admits a member who applies: any of its members, or its founders only.",
    )
    dissolution_majority = models.CharField(
        max_length=10,
        default="1/2",
        help_text="The share of its members, fixed when a dissolution is proposed, that must vote for it.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "tendencies"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="tendency_slug_unique_in_org"),
        ]

    def __str__(self) -> str:
        return self.name


class TendencyMembership(models.Model):
    tendency = models.ForeignKey(Tendency, on_delete=models.PROTECT, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="tendency_memberships")
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    founder = models.BooleanField(default=False, help_text="Founded it (and so may always refound it).")
    admitted_by = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who admitted them.",
    )

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tendency", "member"],
                condition=Q(left_at__isnull=True),
                name="one_live_membership_per_tendency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.tendency_id}"


class TendencyApplication(models.Model):
    """A member's request to join a tendency, until its members (or founders) admit them."""

    tendency = models.ForeignKey(Tendency, on_delete=models.PROTECT, related_name="applications")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField()
    admitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tendency", "member"],
                condition=Q(admitted_at__isnull=True),
                name="one_pending_application_per_tendency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} applies to {self.tendency_id}"


class TendencyDissolution(models.Model):
    """A proposal to dissolve a tendency, decided by those who were its members when it was proposed
    (``electorate``, member ids) by the majority its rules set then."""

    tendency = models.ForeignKey(Tendency, on_delete=models.PROTECT, related_name="dissolutions")
    proposed_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    electorate = models.JSONField(help_text="The ids of the members when it was proposed.")
    majority = models.CharField(max_length=10)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tendency"],
                condition=Q(decided_at__isnull=True),
                name="one_open_dissolution_per_tendency",
            )
        ]

    def __str__(self) -> str:
        return f"dissolution of {self.tendency_id}"


class TendencyDissolutionBallot(models.Model):
    """An elector's open vote for a dissolution."""

    dissolution = models.ForeignKey(TendencyDissolution, on_delete=models.PROTECT, related_name="ballots")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dissolution", "member"], name="one_dissolution_ballot_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} for {self.dissolution_id}"
