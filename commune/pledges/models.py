"""Conditional pledges: "I will take this action if enough others pledge too" (an assurance contract).

A campaign is launched by a council or a unit (on an adopted motion of that body, or by one of its
officers where the constitution allows) over the units below it. Each member of those units may pledge
once; a pledge is kept as a keyed digest of (campaign, member) under the campaign's own key, outside the
database (``commune.ballots.boxkeys.pledge_digest``), never as a member: nobody can list who pledged. The
counts are kept per unit, and per unit per day for the readiness charts.

The condition is either a share of each unit's members (each unit is met on its own) or a number of members
across the whole campaign. Once a unit's condition (or the campaign's) is met, its pledges stand: they
cannot be withdrawn. The campaign's rules are copied from the constitution at launch.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commune.federation.models import Body, Member, OfficeTerm, Organisation


class PledgeCondition(models.TextChoices):
    UNIT_PERCENT = "unit-percent", _("A share of each unit's members")
    MEMBERS_TOTAL = "members-total", _("A number of members across the campaign")


class CampaignStatus(models.TextChoices):
    GATHERING = "gathering", _("Taking pledges")
    MET = "met", _("Condition met")
    CLOSED = "closed", _("Closed at its deadline")


class PledgeCampaign(models.Model):
    """A call for conditional pledges, and the counts of those made. It never records who pledged."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="pledge_campaigns",
        help_text="The council or unit that launched it; it covers the units at or below this body.",
    )
    action = models.CharField(max_length=200, help_text="What those who pledge will do: 'strike on 1 March'.")
    text = models.TextField(blank=True, help_text="The campaign's case, and the terms of the action.")
    condition = models.CharField(max_length=16, choices=PledgeCondition.choices)
    threshold_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    threshold_members = models.PositiveIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField()
    deadline = models.DateTimeField()
    # Provenance: the adopted motion of ``body`` that launched it, or the office of ``body`` whose holder did.
    motion = models.OneToOneField(
        "motions.Motion", null=True, blank=True, on_delete=models.PROTECT, related_name="pledge_campaign"
    )
    office_term = models.ForeignKey(
        OfficeTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    launched_by = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", help_text="Who registered the launch (public)."
    )
    # The constitution's pledge rules at launch.
    constitution_version = models.PositiveIntegerField()
    counts_visible_to = models.CharField(max_length=16)
    disclosure_threshold = models.PositiveSmallIntegerField()

    members = models.PositiveIntegerField(help_text="Members of the covered units at launch.")
    pledges = models.PositiveIntegerField(default=0)
    pledges_required = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a members-total condition: the number to reach."
    )
    status = models.CharField(max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.GATHERING)
    met_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="pledge_campaign_launched_one_way",
                condition=Q(motion__isnull=False, office_term__isnull=True)
                | Q(motion__isnull=True, office_term__isnull=False),
            ),
            models.CheckConstraint(
                name="pledge_campaign_condition_has_its_threshold",
                condition=Q(
                    condition="unit-percent",
                    threshold_percent__gt=0,
                    threshold_percent__lte=100,
                    threshold_members__isnull=True,
                )
                | Q(
                    condition="members-total",
                    threshold_percent__isnull=True,
                    threshold_members__gte=1,
                    pledges_required=models.F("threshold_members"),
                ),
            ),
            models.CheckConstraint(
                name="pledge_campaign_deadline_after_opening", condition=Q(deadline__gt=models.F("opened_at"))
            ),
            models.CheckConstraint(
                name="pledge_campaign_met_when_met",
                condition=Q(status="met", met_at__isnull=False) | ~Q(status="met"),
            ),
        ]

    def __str__(self) -> str:
        return f"pledge campaign {self.pk}: {self.action}"

    @property
    def threshold_text(self) -> str:
        """The threshold as written: "50" (per cent of each unit), "12.5", or "300" (members)."""
        if self.threshold_percent is not None:
            return f"{self.threshold_percent.normalize():f}"
        return str(self.threshold_members)


class PledgeUnit(models.Model):
    """One unit a campaign covers: its members at launch, how many pledged there, and, for a share-of-unit
    condition, how many it needs and when it was met."""

    campaign = models.ForeignKey(PledgeCampaign, on_delete=models.PROTECT, related_name="units")
    unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    members = models.PositiveIntegerField()
    pledges = models.PositiveIntegerField(default=0)
    required = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a share-of-unit condition: pledges that meet it here."
    )
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign_id", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="one_pledge_unit_per_campaign_unit")
        ]

    def __str__(self) -> str:
        return f"campaign {self.campaign_id} in {self.unit_id}"


class Pledge(models.Model):
    """One member's pledge: a keyed digest of (campaign, member) under the campaign's own key, kept like a
    box key and destroyed when the campaign stops taking pledges. No member, no time: the unique digest is
    the one-pledge-per-member rule, and "have I pledged?" is answered by computing the asker's digest."""

    campaign = models.ForeignKey(PledgeCampaign, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(PledgeUnit, on_delete=models.PROTECT, related_name="+")
    pledger_key = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "pledger_key"], name="one_pledge_per_member")
        ]

    def __str__(self) -> str:
        return f"a pledge in campaign {self.campaign_id}"


class PledgeDay(models.Model):
    """A unit's count of pledges at the end of a day (UTC) on which it changed: the readiness charts."""

    unit = models.ForeignKey(PledgeUnit, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    pledges = models.PositiveIntegerField()

    class Meta:
        ordering = ["unit_id", "day"]
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="one_pledge_count_per_unit_day")]

    def __str__(self) -> str:
        return f"{self.pledges} pledged in {self.unit_id} on {self.day}"
