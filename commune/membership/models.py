"""Applications to join an organisation's unit, and members' requests to move to another unit.

An application is not a row of power: it confers nothing. The admission it may end in is one, and
``commune.federation.services.member_admit`` records it on the signed log; every decision on an application
is recorded there too. Only a digest of the applicant's link token is stored.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commune.federation.models import Body, Member, Organisation


class ApplicationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for the applicant to confirm their email address")
    PENDING = "pending", _("Waiting for a decision")
    APPEALED = "appealed", _("Appealed to the unit's general assembly")
    ASSEMBLY = "assembly", _("Before the unit's general assembly")
    ADMITTED = "admitted", _("Admitted")
    REFUSED = "refused", _("Refused")
    EXPIRED = "expired", _("Never confirmed")


#: The statuses of an application still open: at most one per email address and organisation.
OPEN_STATUSES = (
    ApplicationStatus.UNCONFIRMED,
    ApplicationStatus.PENDING,
    ApplicationStatus.APPEALED,
    ApplicationStatus.ASSEMBLY,
)


class Application(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="applications")
    unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="applications")
    name = models.CharField(max_length=150)
    email = models.EmailField(help_text="In lower case.")
    wage_band = models.CharField(max_length=40, blank=True)
    statement = models.TextField(max_length=1000, blank=True)
    token_digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the applicant's link.")
    status = models.CharField(
        max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.UNCONFIRMED
    )
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="applications_decided"
    )
    reason = models.TextField(max_length=1000, blank=True, help_text="Why it was refused.")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    appealed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the applicant appealed an officer's refusal to the assembly."
    )
    appeal = models.TextField(max_length=1000, blank=True, help_text="The applicant's grounds of appeal.")
    motion = models.OneToOneField(
        "motions.Motion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
        help_text="The motion to admit, when the unit's general assembly decides.",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(status__in=["unconfirmed", "pending", "appealed", "assembly"]),
                name="one_open_application_per_email",
            ),
            models.CheckConstraint(
                name="refusal_has_reason",
                condition=~Q(status="refused") | ~Q(reason=""),
            ),
            models.CheckConstraint(
                name="before_the_assembly_with_its_motion",
                condition=~Q(status="assembly") | Q(motion__isnull=False),
            ),
            models.CheckConstraint(
                name="admission_has_member",
                condition=~Q(status="admitted") | Q(member__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="application_unit_status")]

    def __str__(self) -> str:
        return f"{self.name} for {self.unit_id} ({self.status})"


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving unit")
    ADMITTED = "admitted", _("Admitted to the new unit")
    REFUSED = "refused", _("Refused by the receiving unit")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Transfer(models.Model):
    """A member's request to move to another unit (a new job, a new depot), and its decision.

    Like an application it confers nothing itself: the move is ``commune.federation.services.member_transfer``,
    made only when the receiving unit admits. ``from_unit`` is the unit the member asked to leave; a request
    whose member is no longer there (lapsed, resigned, moved) can no longer be admitted.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="transfers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="transfers")
    from_unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="transfers_out")
    to_unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="transfers_in")
    statement = models.TextField(max_length=1000, blank=True, help_text="Why the member is moving.")
    status = models.CharField(max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_decided"
    )
    reason = models.TextField(max_length=1000, blank=True, help_text="Why it was refused.")

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="one_pending_transfer_per_member"
            ),
            models.CheckConstraint(
                name="transfer_refusal_has_reason", condition=~Q(status="refused") | ~Q(reason="")
            ),
            models.CheckConstraint(
                name="transfer_to_another_unit", condition=~Q(from_unit=models.F("to_unit"))
            ),
        ]
        indexes = [models.Index(fields=["to_unit", "status"], name="transfer_to_unit_status")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.from_unit_id} → {self.to_unit_id} ({self.status})"


class ContactVisibility(models.TextChoices):
    """Who may see a member's contact details, each wider than the one before. The officers who keep the
    member's unit roll see them whatever is chosen: their office needs them, and no other office does."""

    OFFICERS = "officers", _("Only the officers who keep my unit's roll")
    COUNCILS = "councils", _("Also the delegates of the councils I sit on")
    UNIT = "unit", _("Also every member of my unit")


class ContactDetails(models.Model):
    """How a member can be reached, and who may see it (most private by default)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="contact")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True, help_text="An address to be reached at (not the sign-in address).")
    visible_to = models.CharField(
        max_length=10, choices=ContactVisibility.choices, default=ContactVisibility.OFFICERS
    )
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"contact of {self.member_id} ({self.visible_to})"
