"""A council session (or a sitting of a unit's general assembly) as a meeting: its agenda, its chair, its tellers and its list of speakers.

The session itself, its roll and its votes belong to ``commune.motions``; a meeting adds how the sitting is
run. Every change is written by ``commune.meetings.services`` and recorded in the organisation's log.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from commune.federation.models import Delegation, Member
from commune.motions.models import CouncilSession

#: At a sitting of a unit's general assembly each member present is their own seat, with no delegation.
_ASSEMBLY = "The seat; none at a unit's general assembly, where each member present votes for themselves."


class Meeting(models.Model):
    """How one session is run: who chairs it and which item of its agenda is on the floor."""

    session = models.OneToOneField(CouncilSession, on_delete=models.PROTECT, related_name="meeting")
    chair = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    chair_elected = models.BooleanField(
        default=False,
        help_text="False while the delegate who called the session chairs, until the meeting elects.",
    )
    chair_round = models.PositiveIntegerField(
        default=0, help_text="How many times the meeting has chosen its chair: its votes count per round."
    )
    floor = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agenda_built_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Meeting of session {self.session_id}"


class ItemKind(models.TextChoices):
    MOTION = "motion", gettext_lazy("Motion")
    ELECTION = "election", gettext_lazy("Election")
    MINUTES = "minutes", gettext_lazy("Minutes of the last session")
    REPORT = "report", gettext_lazy("Report of an executive")
    OTHER = "other", gettext_lazy("Any other business")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    title = models.CharField(max_length=300)
    ref = models.BigIntegerField(null=True, blank=True, help_text="The motion, election or executive's id.")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="meetings_one_item_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Teller(models.Model):
    """A delegate the chair named to check in, at the desk, seat holders who came without a device."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tellers")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="meetings_one_teller_row")]

    def __str__(self) -> str:
        return f"Teller {self.member_id}"


class ChairVote(models.Model):
    """A seat on the roll's choice of who should chair, in the meeting's current round."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="chair_votes")
    round = models.PositiveIntegerField()
    delegation = models.ForeignKey(
        Delegation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text=_ASSEMBLY
    )
    cast_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    weight = models.PositiveIntegerField(default=1)
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "round", "delegation"], name="meetings_one_chair_vote_per_seat_and_round"
            ),
            models.UniqueConstraint(
                fields=["meeting", "round", "cast_by"],
                condition=models.Q(delegation__isnull=True),
                name="meetings_one_chair_vote_per_member_and_round",
            ),
        ]

    def __str__(self) -> str:
        return f"Seat {self.delegation_id} for {self.candidate_id}"


class SpeechKind(models.TextChoices):
    ORDER = "order", gettext_lazy("Point of order")
    INFORMATION = "information", gettext_lazy("Point of information")
    FOR = "for", gettext_lazy("For")
    AGAINST = "against", gettext_lazy("Against")


#: Points of order, then of information, come before the speakers for and against.
PRIORITY = {SpeechKind.ORDER: 0, SpeechKind.INFORMATION: 1, SpeechKind.FOR: 2, SpeechKind.AGAINST: 2}


class Speech(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speeches")
    item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=SpeechKind.choices)
    priority = models.PositiveSmallIntegerField()
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    limit_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["priority", "requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.member_id}"


class RulingOutcome(models.TextChoices):
    STANDS = "", gettext_lazy("Stands")
    UPHELD = "upheld", gettext_lazy("Upheld by the meeting")
    OVERRULED = "overruled", gettext_lazy("Overruled by the meeting")


class Ruling(models.Model):
    """A ruling of the chair, which anyone on the roll may challenge and the meeting may overrule."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rulings")
    text = models.CharField(max_length=500)
    ruled_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    ruled_at = models.DateTimeField()
    challenged_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    challenged_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=RulingOutcome.choices, default="", blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["ruled_at", "pk"]

    def __str__(self) -> str:
        return self.text


class RulingVote(models.Model):
    """A seat on the roll's vote on a challenged ruling: to overrule it, or to uphold it."""

    ruling = models.ForeignKey(Ruling, on_delete=models.CASCADE, related_name="votes")
    delegation = models.ForeignKey(
        Delegation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text=_ASSEMBLY
    )
    cast_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    overrule = models.BooleanField()
    weight = models.PositiveIntegerField(default=1)
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ruling", "delegation"], name="meetings_one_ruling_vote_per_seat"
            ),
            models.UniqueConstraint(
                fields=["ruling", "cast_by"],
                condition=models.Q(delegation__isnull=True),
                name="meetings_one_ruling_vote_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"Seat {self.delegation_id}: {'overrule' if self.overrule else 'uphold'}"


class HandCount(models.Model):
    """One teller's count of a vote by show of hands (or on paper): the seats on the roll that did not vote
    on a device, named by choice, because a council votes on the record. The first count waits for a
    second teller's; only two that agree are cast, each seat's vote through the council's voting service.
    A second count that disagrees is refused and never stored."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="hand_counts")
    vote = models.ForeignKey("motions.Vote", on_delete=models.PROTECT, related_name="+")
    teller = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    counted_at = models.DateTimeField()
    choices = models.JSONField(
        help_text="Membership numbers by choice: {'yes': [...], 'no': [...], 'abstain': [...]}, sorted."
    )
    confirms = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmed_by",
        help_text="The first count this second one agreed with.",
    )
    merged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the agreed count's votes were cast; empty while it waits."
    )

    class Meta:
        ordering = ["counted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote"],
                condition=models.Q(merged_at__isnull=True),
                name="meetings_one_count_waiting_per_vote",
            )
        ]

    def __str__(self) -> str:
        return f"Count of vote {self.vote_id} by {self.teller_id}"


class Minutes(models.Model):
    """A session's minutes as the next meeting of the council adopted them: fixed from then on, the record
    as it stood and its digest. Until adopted, minutes are written afresh from the record on each read."""

    session = models.OneToOneField(CouncilSession, on_delete=models.PROTECT, related_name="minutes")
    record = models.JSONField(help_text="The minutes as adopted (commune.meetings.minutes).")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the record's canonical JSON.")
    adopted_at = models.DateTimeField()
    adopted_in = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="+")
    adopted_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes of session {self.session_id}"
