"""Dues: the payments members make, the months a unit exempts in hardship, arrears carried over from the
books kept before, and the notices of lapsing for arrears.

What a member owes is not stored: it is reckoned from the constitution's rates month by month
(``commune.dues.reckoning``), so a change of the rules is a change of the constitution and nothing else.
Every row here bears on who is in good standing, and so, where the constitution says so, on who votes:
each is held to the signed log (``DuesConfig.ready``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from commune.federation.models import Body, Member, Organisation


class DuesImport(models.Model):
    """One payment file (a bank or payroll export) imported for a unit: every line or none."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="dues_imports")
    file_sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    total = models.DecimalField(max_digits=14, decimal_places=2)
    imported_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    imported_by_label = models.CharField(max_length=200)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            # The same file imported twice would count every payment twice.
            models.UniqueConstraint(fields=["unit", "file_sha256"], name="dues_file_imported_once_per_unit"),
        ]

    def __str__(self) -> str:
        return f"dues file of {self.unit_id}: {self.rows} payments"


class PaymentSource(models.TextChoices):
    OFFICER = "officer", _("Recorded by an officer")
    IMPORT = "import", _("Imported from a payment file")


class DuesPayment(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_payments")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    paid_on = models.DateField()
    reference = models.CharField(
        max_length=80,
        blank=True,
        help_text="The bank's or payroll's reference: names one payment of a member.",
    )
    source = models.CharField(max_length=10, choices=PaymentSource.choices)
    dues_import = models.ForeignKey(
        DuesImport, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    recorded_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(name="dues_payment_positive", condition=Q(amount__gt=0)),
            models.UniqueConstraint(
                fields=["member", "reference"],
                condition=~Q(reference=""),
                name="dues_payment_reference_once_per_member",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "member"], name="dues_payment_of_member")]

    def __str__(self) -> str:
        return f"{self.amount} from {self.member_id} on {self.paid_on}"


class DuesExemption(models.Model):
    """Months a member owes nothing, in hardship, recorded by an officer of their unit with the reason."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_exemptions")
    unit = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    first_month = models.DateField(help_text="The first day of the first month exempted.")
    last_month = models.DateField(help_text="The first day of the last month exempted.")
    reason = models.TextField()
    recorded_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-first_month", "-id"]
        constraints = [
            models.CheckConstraint(
                name="dues_exemption_months_in_order", condition=Q(last_month__gte=F("first_month"))
            ),
            models.CheckConstraint(name="dues_exemption_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} exempt {self.first_month}–{self.last_month}"


class ArrearsBroughtForward(models.Model):
    """Months a member already owed under the books the unit kept before: owed before any month reckoned
    here, at the rate of the first month reckoned."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="arrears_brought_forward")
    months = models.PositiveSmallIntegerField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(name="arrears_brought_forward_months", condition=Q(months__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.months} months brought forward"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Notice given")
    LAPSED = "lapsed", _("Lapsed when the notice ran out")
    WITHDRAWN = "withdrawn", _("Withdrawn: no longer so far in arrears")


class LapseNotice(models.Model):
    """Notice to a member that they lapse for arrears on ``lapse_due_at`` unless they pay (or are exempted)
    first. Nobody lapses for arrears without one that has run its course."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="lapse_notices")
    sent_at = models.DateTimeField()
    lapse_due_at = models.DateTimeField()
    months_in_arrears = models.PositiveSmallIntegerField()
    arrears = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="one_lapse_notice_pending_per_member"
            ),
            models.CheckConstraint(
                name="lapse_notice_runs_forward", condition=Q(lapse_due_at__gt=F("sent_at"))
            ),
        ]

    def __str__(self) -> str:
        return f"notice to {self.member_id}: lapse on {self.lapse_due_at:%Y-%m-%d} ({self.status})"


class AdjustmentKind(models.TextChoices):
    CORRECTION = "correction", _("Correction of a payment")
    REFUND = "refund", _("Refund")


class DuesAdjustment(models.Model):
    """A payment corrected, or money refunded to a member: a new row, never an edit of the payment, recorded
    by an officer of the member's unit with the reason. ``change`` is what it adds to the member's total
    paid (a refund, or a payment corrected downward, takes away)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="dues_adjustments")
    kind = models.CharField(max_length=10, choices=AdjustmentKind.choices)
    payment = models.OneToOneField(
        DuesPayment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
        help_text="The payment corrected (a correction only): each payment is corrected at most once.",
    )
    corrected_amount = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="What the payment really was."
    )
    change = models.DecimalField(max_digits=10, decimal_places=2)
    made_on = models.DateField(help_text="The day the refund was paid, or the correction made.")
    reason = models.TextField()
    recorded_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(name="dues_adjustment_changes_something", condition=~Q(change=0)),
            models.CheckConstraint(name="dues_adjustment_has_reason", condition=~Q(reason="")),
            models.CheckConstraint(
                name="dues_adjustment_correction_names_payment",
                condition=Q(kind="refund", payment__isnull=True, change__lt=0)
                | Q(kind="correction", payment__isnull=False, corrected_amount__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.change} for {self.member_id}"

    @property
    def refunded(self) -> object:
        """A refund's amount, more than 0."""
        return -self.change


class WageBandChange(models.Model):
    """A member's wage band changed from a month on: their dues are reckoned at ``band_before`` for the
    months before ``from_month`` and at the new band from it. Recorded by an officer of their unit who keeps
    its roll, with the reason; the history is never edited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="wage_band_changes")
    band_before = models.CharField(max_length=40, blank=True)
    band = models.CharField(max_length=40)
    from_month = models.DateField(help_text="The first day of the first month on the new band.")
    reason = models.TextField()
    recorded_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-from_month", "-id"]
        constraints = [
            models.CheckConstraint(name="wage_band_change_has_reason", condition=~Q(reason="")),
            models.CheckConstraint(name="wage_band_change_changes", condition=~Q(band=F("band_before"))),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.band_before} → {self.band} from {self.from_month}"
