"""Mandates: what a constituency, by its own vote, instructs its delegates to do on an item before the
council above.

* ``binding``: the seat's vote is cast as instructed; any other vote is refused.
* ``instructed``: the delegate may depart, giving a reason; the departure is published at once to the
  constituents who gave the mandate and stays in the delegate's compliance record.
* ``free``: the delegate judges for themselves; the mandate records that the constituency said so.

A mandate exists only through the constituency's own vote (``vote``): no other body can give, change or
withdraw one. A later mandate on the same item, adopted the same way, supersedes the earlier.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from commune.federation.models import Body, Member, Organisation
from commune.motions.models import Choice, Motion, Vote


class MandateKind(models.TextChoices):
    BINDING = "binding", gettext_lazy("Binding")
    INSTRUCTED = "instructed", gettext_lazy("Instructed")
    FREE = "free", gettext_lazy("Free")


def mandate_kind_words(kind: str) -> str:
    """A mandate's kind as it is read within a sentence, in the reader's language: ``binding`` is "binding"
    ("vinculante"); a kind this release does not know is shown as stored."""
    return str(MandateKind(kind).label).lower() if kind in MandateKind.values else kind


class MandateStatus(models.TextChoices):
    PROPOSED = "proposed", gettext_lazy("Being voted on by the constituency")
    ADOPTED = "adopted", gettext_lazy("In force")
    REJECTED = "rejected", gettext_lazy("Not adopted")
    SUPERSEDED = "superseded", gettext_lazy("Superseded by a later mandate")


class Mandate(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    constituency = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mandates_given")
    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="mandates_received")
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="mandates")
    kind = models.CharField(max_length=12, choices=MandateKind.choices)
    instruction = models.CharField(
        max_length=8, choices=Choice.choices, blank=True, help_text="How to vote; blank for a free mandate."
    )
    note = models.TextField(blank=True, help_text="What the constituency wants said, or why.")
    proposed_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="mandate")
    status = models.CharField(max_length=12, choices=MandateStatus.choices, default=MandateStatus.PROPOSED)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["constituency", "motion"],
                condition=Q(status="adopted"),
                name="one_mandate_in_force_per_item",
            ),
            models.UniqueConstraint(
                fields=["constituency", "motion"],
                condition=Q(status="proposed"),
                name="one_mandate_proposal_at_a_time",
            ),
            models.CheckConstraint(
                name="mandate_instruction_matches_kind",
                condition=Q(kind="free", instruction="") | (~Q(kind="free") & ~Q(instruction="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} mandate of {self.constituency_id} on {self.motion_id}"
