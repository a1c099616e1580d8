"""Collective action: calls carried down the federation, their endorsement and participation by the units,
events with shifts, and strike pay.

Every row that confers or uses power points at what authorised it: a call at the adopted motion (and the
vote or referendum that carried it) of its body or a body above, and, when an executive called it, at the
executive's decision under its delegated power; an endorsement at the unit assembly's motion; a strike-pay
approval at the executive's decision under its power to pay strike pay.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commune.federation.models import Body, Member, Organisation
from commune.governance.models import Executive, ExecutiveDecision
from commune.motions.models import Motion, Referral, Vote


class ActionKind(models.TextChoices):
    STRIKE = "strike", _("Strike")
    WORK_TO_RULE = "work_to_rule", _("Work to rule")
    OVERTIME_BAN = "overtime_ban", _("Overtime ban")
    DEMONSTRATION = "demonstration", _("Demonstration")
    BOYCOTT = "boycott", _("Boycott")


#: The kinds of action that are industrial action: the motion authorising them must say so, and be carried
#: by the ballot the constitution's preset asks for.
INDUSTRIAL_KINDS = frozenset({ActionKind.STRIKE, ActionKind.WORK_TO_RULE, ActionKind.OVERTIME_BAN})


class ActionCall(models.Model):
    """A call to action by a council (or an executive of it holding the power to call action), reaching
    every unit within ``reach``, on the authority of an adopted motion of that council or a body above."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="action_calls")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="action_calls", help_text="The council calling it."
    )
    executive = models.ForeignKey(
        Executive,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_calls",
        help_text="The council's executive that called it under its delegated power, if not the council.",
    )
    decision = models.OneToOneField(
        ExecutiveDecision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_call",
        help_text="The executive's recorded decision, which its council may call in.",
    )
    reach = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="action_calls_reaching",
        help_text="Every unit within it.",
    )
    kind = models.CharField(max_length=16, choices=ActionKind.choices)
    title = models.CharField(max_length=200)
    demands = models.TextField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    authority = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="action_calls")
    authority_vote = models.ForeignKey(
        Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="The vote."
    )
    authority_referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="The ballot."
    )
    called_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="action_ends_after_it_starts", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
            models.CheckConstraint(
                name="action_call_authorised",
                condition=Q(authority_vote__isnull=False) | Q(authority_referral__isnull=False),
            ),
            models.CheckConstraint(
                name="action_call_by_executive_decided",
                condition=Q(executive__isnull=True, decision__isnull=True)
                | Q(executive__isnull=False, decision__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def industrial(self) -> bool:
        return self.kind in INDUSTRIAL_KINDS


class EndorsementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Before the assembly")
    ENDORSED = "endorsed", _("Endorsed by the assembly")
    NOT_ENDORSED = "not_endorsed", _("Not endorsed")


class CallEndorsement(models.Model):
    """A unit's assembly endorsing a call that reaches it, by its own adopted motion."""

    call = models.ForeignKey(ActionCall, on_delete=models.PROTECT, related_name="endorsements")
    unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="call_endorsements")
    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="endorsement")
    status = models.CharField(
        max_length=14, choices=EndorsementStatus.choices, default=EndorsementStatus.PROPOSED
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["call_id", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "unit"],
                condition=Q(status__in=["proposed", "endorsed"]),
                name="one_live_endorsement_per_unit",
            ),
            models.CheckConstraint(
                name="endorsement_decided_when_settled",
                condition=Q(status="proposed") | Q(decided_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} on call {self.call_id}"


class Participation(models.Model):
    """A member who took part in a call on a day, reported by an officer of their unit."""

    call = models.ForeignKey(ActionCall, on_delete=models.PROTECT, related_name="participations")
    unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="action_days")
    day = models.DateField()
    reported_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()

    class Meta:
        ordering = ["call_id", "day", "unit_id", "member__number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "member", "day"], name="one_participation_per_member_day")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.day}"


class EventKind(models.TextChoices):
    PICKET = "picket", _("Picket")
    DEMONSTRATION = "demonstration", _("Demonstration")
    MEETING = "meeting", _("Meeting")


class Event(models.Model):
    """A picket, demonstration or meeting with a place and a time, organised for a body's members."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="events")
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="events", help_text="Whose members it is for."
    )
    call = models.ForeignKey(
        ActionCall, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=14, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    place = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    organised_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="event_ends_after_it_starts", condition=Q(ends_at__gt=models.F("starts_at"))
            )
        ]

    def __str__(self) -> str:
        return self.title


class Shift(models.Model):
    """A part of an event members sign up for, up to its capacity."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shifts")
    label = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField()

    class Meta:
        ordering = ["event_id", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="shift_ends_after_it_starts", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
            models.CheckConstraint(name="shift_has_room", condition=Q(capacity__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.event_id})"


class SignUp(models.Model):
    """A member on a shift, with their attendance once recorded and when they were reminded."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="shift_signups")
    signed_at = models.DateTimeField()
    attended = models.BooleanField(null=True, blank=True)
    attendance_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shift_id", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "member"], name="one_signup_per_shift_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on shift {self.shift_id}"


class CalendarFeed(models.Model):
    """A person's secret calendar address. Only a digest of its token is kept: the address is shown once,
    when made, and resetting it makes the old one useless."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"calendar of {self.person_id}"


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    PAID = "paid", _("Paid")


class StrikePayClaim(models.Model):
    """A member's claim for strike pay for days they took part in a call; approved and paid from the
    strike fund by an executive holding the delegated power to pay strike pay, never by the claimant."""

    call = models.ForeignKey(ActionCall, on_delete=models.PROTECT, related_name="strike_pay_claims")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="strike_pay_claims")
    unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="strike_pay_claims")
    days = models.JSONField(help_text="The days claimed, as ISO dates.")
    attendance = models.JSONField(
        default=dict,
        blank=True,
        help_text="The picket shifts the member was recorded attending, cited for each day: ISO date → shift ids.",
    )
    claimed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED)
    executive = models.ForeignKey(
        Executive, null=True, blank=True, on_delete=models.PROTECT, related_name="strike_pay_claims"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    approved_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approval = models.OneToOneField(
        ExecutiveDecision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strike_pay_claim",
        help_text="The executive's decision approving or refusing it, under its power to pay strike pay.",
    )
    refusal_reason = models.TextField(blank=True)
    paid_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=120, blank=True, help_text="The payment's reference.")

    class Meta:
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="strike_pay_decided_by_an_executive",
                condition=Q(status="claimed")
                | Q(executive__isnull=False, approved_by__isnull=False, approval__isnull=False),
            ),
            models.CheckConstraint(
                name="strike_pay_amount_when_approved",
                condition=~Q(status__in=["approved", "paid"]) | Q(amount__gt=0),
            ),
            models.CheckConstraint(
                name="strike_pay_paid_with_provenance",
                condition=~Q(status="paid")
                | (Q(paid_by__isnull=False, paid_at__isnull=False) & ~Q(payment_reference="")),
            ),
            models.CheckConstraint(
                name="strike_pay_never_approved_by_claimant", condition=~Q(approved_by=models.F("member"))
            ),
            models.CheckConstraint(
                name="strike_pay_never_paid_by_claimant", condition=~Q(paid_by=models.F("member"))
            ),
        ]

    def __str__(self) -> str:
        return f"strike pay claim {self.pk}"

    @property
    def days_without_attendance(self) -> list[str]:
        """The days claimed with no recorded shift attendance behind them (marked on the claim)."""
        return [d for d in self.days if not self.attendance.get(d)]


class ActionNotice(models.Model):
    """The notice to the employer of industrial action called on a statutory ballot (in the UK, TULRCA
    s.234A), given with the call at least the notice period (``notice_days``: fourteen days, or ten where
    the employer agreed to it) before the action starts: continuous, or on the days listed, with the figures
    of the employees concerned as the roll held them."""

    call = models.OneToOneField(ActionCall, on_delete=models.PROTECT, related_name="employer_notice")
    statutory_ballot = models.ForeignKey(
        "motions.StatutoryBallot",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The ballot behind it.",
    )
    employer = models.CharField(max_length=200)
    continuous = models.BooleanField(help_text="Continuous from its first day, or only on the days listed.")
    days = models.JSONField(
        default=list, blank=True, help_text="Discontinuous action: its days, as ISO dates."
    )
    notice_days = models.PositiveSmallIntegerField(help_text="The days' notice the action starts after.")
    employer_agreed = models.BooleanField(
        default=False, help_text="The employer agreed to the shorter notice (ten days rather than fourteen)."
    )
    figures = models.JSONField(
        help_text="The employees concerned: total, by category and by workplace, and how they were reckoned."
    )
    explanation = models.TextField(
        blank=True, help_text="What the union adds on how the figures were arrived at."
    )
    issued_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="action_notice_period",
                condition=Q(notice_days=14, employer_agreed=False) | Q(notice_days=10, employer_agreed=True),
            )
        ]

    def __str__(self) -> str:
        return f"notice of action for call {self.call_id}"
