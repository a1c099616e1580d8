"""A structural change: a unit added, units merged, a unit split, moved to another council, or dissolved.

It is made only by a decision: the change is moved as a motion of a council whose reach (the bodies below
it) covers every unit it touches, carrying the structured proposal (``proposal``); it is applied only once
that council adopted the motion (or, where the constitution requires it, the members within its reach
carried it by referendum), exactly once, and every act of its application names it in the log.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commune.federation.models import Body, Organisation
from commune.motions.models import Motion


class ChangeKind(models.TextChoices):
    ADD = "add", _("Add a unit")
    MERGE = "merge", _("Merge units")
    SPLIT = "split", _("Split a unit")
    MOVE = "move", _("Move a unit to another council")
    DISSOLVE = "dissolve", _("Dissolve a unit")


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Before the council")
    APPLIED = "applied", _("Applied")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class StructuralChange(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="structural_changes", help_text="The deciding council."
    )
    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="structural_change")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    proposal = models.JSONField(help_text="The structured proposal, as the motion moved it.")
    motion_text = models.TextField(
        help_text="The motion's text as moved: an amended text is another decision."
    )
    proposed_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED)
    referendum_required = models.BooleanField(
        default=False, help_text="The constitution required a referendum when it was moved (fixed then)."
    )
    referendum_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The referral whose carried referendum decided it, where one did."
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.CharField(max_length=250, blank=True)
    outcome = models.JSONField(
        null=True, blank=True, help_text="What its application did: bodies, members, seats, elections."
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="structural_change_applied_once_with_its_outcome",
                condition=~Q(status="applied") | Q(applied_at__isnull=False, outcome__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (#{self.pk})"
