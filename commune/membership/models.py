"""Applications to join an organisation's unit.

An application is not a row of power: it confers nothing. The admission it may end in is one, and
``commune.federation.services.member_admit`` records it on the signed log; every decision on an application
is recorded there too. Only a digest of the applicant's link token is stored.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from commune.federation.models import Body, Member, Organisation


class ApplicationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Waiting for the applicant to confirm their email address"
    PENDING = "pending", "Waiting for a decision"
    ADMITTED = "admitted", "Admitted"
    REFUSED = "refused", "Refused"
    EXPIRED = "expired", "Never confirmed"


#: The statuses of an application still open: at most one per email address and organisation.
OPEN_STATUSES = (ApplicationStatus.UNCONFIRMED, ApplicationStatus.PENDING)


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

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=Q(status__in=["unconfirmed", "pending"]),
                name="one_open_application_per_email",
            ),
            models.CheckConstraint(
                name="refusal_has_reason",
                condition=~Q(status="refused") | ~Q(reason=""),
            ),
            models.CheckConstraint(
                name="admission_has_member",
                condition=~Q(status="admitted") | Q(member__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="application_unit_status")]

    def __str__(self) -> str:
        return f"{self.name} for {self.unit_id} ({self.status})"
