"""Motions, amendments, votes, council sessions and referrals.

A ``Motion`` is a proposal before one body. Forwarded up, it becomes a new motion before the council above,
pointing at the one it came from (``forwarded_from``) and at the first of its line (``origin``), so its
whole provenance — every body, the vote that adopted it there, who forwarded it — is read in one query.

A ``Vote`` is one question put to one body: adopt a motion, accept an amendment, refer a question down,
adopt a mandate, or decide a referral. How it is cast depends on who votes:

* ``open``: a general assembly voting openly; ``OpenChoice`` records each member's choice.
* ``secret``: a general assembly or the whole membership voting secretly, in the vote's ``box``, the
  ballots app's yes/no box: its register names who voted and nothing of how, its papers hold what was
  voted and nothing of who (a random UUID key, no member, no timestamp, no sequence). At close the box is
  shuffled and rewritten with fresh keys.
* ``council``: a council of delegates, always open and on the record: ``DelegateVote`` holds each seat's
  choice, who cast it (the delegate or, for an absent delegate, their alternate), its weight, and the
  constituency's mandate in force when it was cast.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commune.federation.models import Body, Delegation, Member, Organisation


def in_english(label: str | Promise) -> str:
    """The source words of a choice's label, whatever language is active: for what is stored or logged."""
    with translation.override(None):
        return str(label)


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


def choice_words(choice: str) -> str:
    """A vote's choice as it is read within a sentence ("vote yes"), in the reader's language; a choice this
    release does not know is shown as stored."""
    return str(Choice(choice).label).lower() if choice in Choice.values else choice


class MotionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Gathering supporters")
    ON_AGENDA = "on_agenda", _("On the agenda")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not carried")
    REFERRED = "referred", _("Referred to the membership")


class Motion(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="motions")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="motions")
    title = models.CharField(max_length=200)
    text = models.TextField(help_text="The current text, with every accepted amendment.")
    original_text = models.TextField()
    moved_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="motions_moved"
    )
    moved_on = models.CharField(
        max_length=250,
        blank=True,
        help_text="What moved it when no member did, by a right the rules give (an applicant's appeal).",
    )
    moved_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=MotionStatus.choices, default=MotionStatus.PROPOSED)
    constitutional = models.BooleanField(
        default=False, help_text="Changes the constitution: needs the constitutional majority."
    )
    industrial_action = models.BooleanField(
        default=False,
        help_text="Calls industrial action: a referendum on it meets the constitution's preset.",
    )
    placed_on_agenda_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        "Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="The vote."
    )
    # Provenance when forwarded from the body below.
    origin = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="line",
        help_text="The first motion of the forwarding line (itself for a motion moved here).",
    )
    forwarded_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="forwarded_to"
    )
    forwarded_at = models.DateTimeField(null=True, blank=True, help_text="When the body above received it.")
    forwarded_by = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["-moved_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="motion_adopted_by_a_vote",
                condition=~Q(status="adopted") | Q(adopted_by__isnull=False),
            ),
            models.CheckConstraint(
                name="motion_has_mover_or_source",
                condition=Q(moved_by__isnull=False) | Q(forwarded_from__isnull=False) | ~Q(moved_on=""),
            ),
        ]
        indexes = [models.Index(fields=["body", "status"], name="motion_body_status")]

    def __str__(self) -> str:
        return self.title


class MotionSupport(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    supported_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "member"], name="one_support_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} supports {self.motion_id}"


class AmendmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not carried")
    LAPSED = "lapsed", _("Lapsed (the motion changed or was decided first)")


class Amendment(models.Model):
    """A proposed new text for a motion. ``base_text`` is the text it amends, so its diff never drifts."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="amendments")
    proposed_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    base_text = models.TextField()
    text = models.TextField()
    reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.PROPOSED
    )

    class Meta:
        ordering = ["motion_id", "proposed_at", "id"]

    def __str__(self) -> str:
        return f"amendment {self.pk} to {self.motion_id}"


class CouncilSession(models.Model):
    """A sitting of a council: its agenda (the motions before it), its roll and its votes. It is called
    (``opened_at``) at least the constitution's notice before it starts (``starts_at``); the roll opens
    at the start."""

    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(max_length=200)
    opened_at = models.DateTimeField(help_text="When the session was called.")
    starts_at = models.DateTimeField(help_text="When it sits: the roll opens then.")
    notice_hours = models.PositiveIntegerField(default=0, help_text="The notice the constitution required.")
    opened_by = models.CharField(max_length=250)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council"], condition=Q(closed_at__isnull=True), name="one_open_session_per_council"
            ),
            models.CheckConstraint(
                name="session_starts_after_its_call", condition=Q(starts_at__gte=models.F("opened_at"))
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RollEntry(models.Model):
    """A seat present at a session: the delegate themselves, or the alternate standing in for them. At a
    sitting of a unit's general assembly every member present is their own seat: no delegation, weight 1."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="roll")
    delegation = models.ForeignKey(
        Delegation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The seat; none at a unit's general assembly, where each member present sits for themselves.",
    )
    attended_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    as_alternate = models.BooleanField(default=False)
    alternate_source = models.CharField(
        max_length=250, blank=True, help_text="The election whose result makes them the alternate."
    )
    weight = models.PositiveIntegerField(default=1, help_text="Members this seat's vote stands for.")
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["session_id", "delegation_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "delegation"], name="one_roll_entry_per_seat"),
            models.UniqueConstraint(fields=["session", "attended_by"], name="one_seat_per_person_at_session"),
        ]

    def __str__(self) -> str:
        return f"{self.attended_by_id} for seat {self.delegation_id}"


class VotePurpose(models.TextChoices):
    ADOPT = "adopt", _("Adopt the motion")
    AMEND = "amend", _("Accept the amendment")
    REFER = "refer", _("Refer the question down")
    REFERRAL = "referral", _("Decide a question referred down")
    MANDATE = "mandate", _("Adopt a mandate for our delegates")


class VoteMode(models.TextChoices):
    OPEN = "open", _("Open vote of a general assembly")
    SECRET = "secret", _("Secret ballot")
    COUNCIL = "council", _("Recorded vote of delegates")


class Vote(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="votes")
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="votes")
    amendment = models.ForeignKey(
        Amendment, null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    session = models.ForeignKey(
        CouncilSession, null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    referral = models.ForeignKey(
        "Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="votes"
    )
    purpose = models.CharField(max_length=10, choices=VotePurpose.choices)
    mode = models.CharField(max_length=10, choices=VoteMode.choices)
    question = models.CharField(max_length=300)
    rule = models.JSONField(help_text="The thresholds it must meet, fixed when it opened.")
    details = models.JSONField(default=dict, blank=True, help_text="What carrying it does (e.g. refer how).")
    opened_at = models.DateTimeField()
    opened_by = models.CharField(max_length=250)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    box = models.OneToOneField(
        "ballots.YesNoBox",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vote",
        help_text="A secret vote's ballot box; none for an open or a council vote.",
    )
    electorate = models.PositiveIntegerField(help_text="Entitled to vote (by weight in a weighted council).")
    present = models.PositiveIntegerField(null=True, blank=True, help_text="Councils: seats on the roll.")
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    carried = models.BooleanField(null=True, blank=True)
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="vote_closes_after_opening", condition=Q(closes_at__gt=models.F("opened_at"))
            ),
            models.CheckConstraint(
                # A council votes only in session; an assembly's vote may be taken at its sitting.
                name="council_votes_in_session",
                condition=Q(mode="council", session__isnull=False) | ~Q(mode="council"),
            ),
            models.CheckConstraint(
                name="vote_result_once_closed",
                condition=Q(closed_at__isnull=True, carried__isnull=True)
                | Q(closed_at__isnull=False, carried__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["body", "closed_at"], name="vote_body_open")]

    def __str__(self) -> str:
        return self.question


class VoteElector(models.Model):
    """Who may vote in an assembly vote or a referendum, fixed when it opened."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="electors")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="one_elector_row_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.vote_id}"


class OpenChoice(models.Model):
    """A member's vote in an open assembly vote, on the record."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="open_choices")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="one_open_choice_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.choice}"


class DelegateVote(models.Model):
    """A seat's recorded vote in a council, with the constituency's mandate in force when it was cast."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="delegate_votes")
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="votes_cast")
    cast_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    as_alternate = models.BooleanField(default=False)
    choice = models.CharField(max_length=8, choices=Choice.choices)
    weight = models.PositiveIntegerField(default=1)
    cast_at = models.DateTimeField()
    mandate_kind = models.CharField(max_length=12, blank=True, help_text="Blank when no mandate was given.")
    mandate_instruction = models.CharField(max_length=8, choices=Choice.choices, blank=True)
    departed = models.BooleanField(default=False)
    departure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["vote_id", "delegation__constituency__code", "delegation_id"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "delegation"], name="one_vote_per_seat"),
            models.CheckConstraint(
                name="departure_has_a_reason",
                condition=Q(departed=False) | ~Q(departure_reason=""),
            ),
            models.CheckConstraint(
                name="binding_mandate_obeyed",
                condition=~Q(mandate_kind="binding") | Q(choice=models.F("mandate_instruction")),
            ),
        ]

    def __str__(self) -> str:
        return f"seat {self.delegation_id}: {self.choice}"


class ReferralKind(models.TextChoices):
    ASSEMBLIES = "assemblies", _("To every unit's general assembly")
    REFERENDUM = "referendum", _("To the whole membership as a referendum")


class Referral(models.Model):
    """A question a council referred down, by its own vote (``decided_by``). Its ``rule`` decides the
    membership's aggregate: a referendum's is its ballot's rule; a referral to the assemblies sums every
    member's vote across the units under the rule each unit votes under."""

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="referrals")
    council = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=12, choices=ReferralKind.choices)
    decided_by = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="referral_made")
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    rule = models.JSONField(
        help_text="The thresholds the membership's aggregate must meet, fixed when the referral opened."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    carried = models.BooleanField(null=True, blank=True)
    summary = models.JSONField(null=True, blank=True, help_text="The aggregated result, once closed.")

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{in_english(ReferralKind(self.kind).label)}: {self.motion_id}"


class StatutoryBallot(models.Model):
    """An industrial-action ballot held as the law requires where it does (in the UK, the Trade Union and
    Labour Relations (Consolidation) Act 1992, ss.226-234A): a referendum on an industrial-action motion
    whose separate questions (strike; action short of a strike) are each a secret vote of their own, on
    paper and online together through one paper channel, watched by an independent scrutineer who reads
    everything and writes nothing. The council's decision to refer the motion set all of it."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="statutory_ballot")
    strike_vote = models.OneToOneField(
        Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Strike?"
    )
    short_of_strike_vote = models.OneToOneField(
        Vote,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Action short of a strike?",
    )
    paper_channel = models.OneToOneField("ballots.PaperChannel", on_delete=models.PROTECT, related_name="+")
    scrutineer = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", help_text="Independent: not a member."
    )
    employer = models.CharField(max_length=200)
    employer_email = models.EmailField(blank=True)
    important_public_services = models.BooleanField(
        default=False, help_text="The 40% support threshold applies (the constitution's preset)."
    )
    return_instructions = models.TextField()
    notice_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="statutory_ballot_asks_a_question",
                condition=Q(strike_vote__isnull=False) | Q(short_of_strike_vote__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"statutory ballot on referral {self.referral_id}"


class BallotNotice(models.Model):
    """The notice to the employer of a statutory ballot (in the UK, TULRCA s.226A), given at least seven
    days before the ballot opens, with the figures of the employees concerned as the roll held them when it
    was given. The ballot does not open until the seventh day after it."""

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="ballot_notice")
    employer = models.CharField(max_length=200)
    opens_on = models.DateField(help_text="The day the ballot opens, as the notice states it.")
    figures = models.JSONField(
        help_text="The employees concerned: total, by category and by workplace, and how they were reckoned."
    )
    explanation = models.TextField(
        blank=True, help_text="What the union adds on how the figures were arrived at."
    )
    issued_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"notice of the ballot on referral {self.referral_id}"
