"""Putting questions to a body, casting members' votes, and closing and counting.

Who votes is fixed when a vote opens: a unit's current members (its general assembly), every member within
a council for a referendum, or the seats on a council's roll. The thresholds are fixed then too, from the
constitution (see ``commune.motions.thresholds``). Council votes are cast through
``commune.mandates.services.delegate_vote_cast``, which checks each against the constituency's mandate;
``vote_cast`` and ``vote_conclude`` choose the service a vote needs, so no interface has to (the mandates
app registers its own when it starts, and motions never import it).

This module closes and counts votes; opening and casting are in ``voting``, referrals in ``referrals``.
All are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.errors import PaperError
from commune.ballots.selectors import yes_no_turnout
from commune.ballots.services import yes_no_seal
from commune.federation.models import Member
from commune.motions.bars import vote_bar_register, vote_barred, vote_bars_check
from commune.motions.errors import MotionConflict, MotionError
from commune.motions.models import (
    Amendment,
    AmendmentStatus,
    Choice,
    DelegateVote,
    Motion,
    MotionStatus,
    OpenChoice,
    Referral,
    RollEntry,
    Vote,
    VoteElector,
    VoteMode,
    VotePurpose,
)
from commune.motions.services.casting import assembly_vote_cast
from commune.motions.services.live import vote_closed_publish
from commune.motions.services.motions import amendments_lapse
from commune.motions.services.referrals import _referral_open, referral_close
from commune.motions.services.sessions import SeatsQuorum, seats_quorum
from commune.motions.services.voting import (
    amendment_vote_open,
    motion_refer_vote_open,
    motion_vote_open,
    vote_open,
)
from commune.motions.thresholds import decide

__all__ = [
    "CastRecord",
    "MotionsRunReport",
    "amendment_vote_open",
    "assembly_vote_cast",
    "council_vote_caster_register",
    "motion_refer_vote_open",
    "motion_vote_open",
    "motions_run_due",
    "referral_close",
    "vote_bar_register",
    "vote_barred",
    "vote_bars_check",
    "vote_cast",
    "vote_close",
    "vote_conclude",
    "vote_concluder_register",
    "vote_open",
]


def _everyone_voted(vote: Vote) -> bool:
    """Whether every seat on the roll (a council) or every elector has voted, leaving out those an
    installed rule keeps from voting on this question (``vote_barred``)."""
    barred = list(vote_barred(vote))
    if vote.mode == VoteMode.COUNCIL:
        assert vote.session_id is not None
        roll = RollEntry.objects.filter(session_id=vote.session_id)
        on_roll = roll.count()
        entitled = on_roll - roll.filter(attended_by_id__in=barred).count()
        return on_roll > 0 and DelegateVote.objects.filter(vote=vote).count() >= entitled
    entitled = vote.electorate - VoteElector.objects.filter(vote=vote, member_id__in=barred).count()
    if vote.mode == VoteMode.SECRET:
        assert vote.box_id is not None
        return yes_no_turnout(box_id=vote.box_id) >= entitled
    return OpenChoice.objects.filter(vote=vote).count() >= entitled


def _count(vote: Vote) -> tuple[dict[str, int], int | None]:
    """The totals by choice, and (councils) the weight present. A secret box is shuffled and rewritten
    with fresh keys first, so not even the rows' physical order remembers the order of casting."""
    totals = dict.fromkeys(Choice.values, 0)
    if vote.mode == VoteMode.OPEN:
        for choice in OpenChoice.objects.filter(vote=vote).values_list("choice", flat=True):
            totals[choice] += 1
        return totals, None
    if vote.mode == VoteMode.SECRET:
        assert vote.box_id is not None
        return yes_no_seal(box_id=vote.box_id), None
    for choice, weight in (
        DelegateVote.objects.filter(vote=vote).values_list("choice").annotate(weight=Sum("weight"))
    ):
        totals[choice] = weight
    present = RollEntry.objects.filter(session_id=vote.session_id).aggregate(w=Sum("weight"))["w"] or 0
    return totals, present


def _seats_quorum_at_close(vote: Vote) -> SeatsQuorum | None:
    """A council vote's quorum of seats on the roll as it closes, under the percentage fixed when it
    opened (``None`` for assemblies and votes opened before councils had one)."""
    percent = vote.details.get("seats_quorum_percent")
    if vote.mode != VoteMode.COUNCIL or percent is None or vote.session is None:
        return None
    return seats_quorum(session=vote.session, percent=Decimal(percent))


def vote_close(*, vote: Vote, actor: Actor = SYSTEM) -> Vote:
    """Close and count a vote once its time is up or everyone entitled has voted, and do what the result
    decides: adopt or reject the motion, accept the amendment, open a referral, close a referral whose
    last vote this was. A mandate vote's outcome is applied by ``commune.mandates``."""
    with transaction.atomic():
        vote = (
            Vote.objects.select_for_update(of=("self",))
            .select_related("body__organisation", "session__council")
            .get(pk=vote.pk)
        )
        if vote.closed_at is not None:
            raise MotionConflict(_("this vote has already closed"))
        now = timezone.now()
        minimum = int(vote.details.get("minimum_minutes", 0))
        if now < vote.closes_at and now < vote.opened_at + timedelta(minutes=minimum):
            raise MotionConflict(
                _(
                    "this vote stays open at least %(minimum)s minutes under the constitution "
                    "(sessions.minimum_vote_minutes), however fast it is cast"
                )
                % {"minimum": minimum}
            )
        if now < vote.closes_at and not _everyone_voted(vote):
            raise MotionConflict(
                _("this vote is still open: it closes when its time is up or everyone entitled has voted")
            )
        totals, present = _count(vote)
        if present is not None:
            vote.present = present
            vote.electorate = max(vote.electorate, present)
        result = decide(
            rule=vote.rule,
            yes=totals[Choice.YES],
            no=totals[Choice.NO],
            abstain=totals[Choice.ABSTAIN],
            electorate=vote.electorate,
            present=present,
        )
        vote.yes, vote.no, vote.abstain = result.yes, result.no, result.abstain
        vote.carried = result.passed
        vote.explanation = result.explanation
        quorum = _seats_quorum_at_close(vote)
        if quorum is not None and not quorum.met:
            vote.carried = False
            vote.explanation = (
                f"Not carried: the council was not quorate when the vote closed ({quorum.words()})."
            )
        vote.closed_at = timezone.now()
        vote.save(
            update_fields=[
                "yes",
                "no",
                "abstain",
                "carried",
                "explanation",
                "closed_at",
                "present",
                "electorate",
            ]
        )
        log_entry_record(
            organisation=vote.body.organisation,
            action="vote.closed",
            body_id=vote.body_id,
            actor=actor,
            summary=f"{vote.question} {'Carried' if vote.carried else 'Not carried'}: "
            f"{vote.yes} yes, {vote.no} no, {vote.abstain} abstain",
            payload={
                "vote": vote.pk,
                "motion": vote.motion_id,
                "purpose": vote.purpose,
                "yes": vote.yes,
                "no": vote.no,
                "abstain": vote.abstain,
                "electorate": vote.electorate,
                "present": vote.present,
                "carried": vote.carried,
                "explanation": vote.explanation,
            },
        )
        _apply(vote, actor)
        vote_closed_publish(vote)
    return vote


def _apply(vote: Vote, actor: Actor) -> None:
    motion = (
        Motion.objects.select_for_update(of=("self",))
        .select_related("body__organisation")
        .get(pk=vote.motion_id)
    )
    now = timezone.now()
    if vote.purpose == VotePurpose.ADOPT and motion.status == MotionStatus.ON_AGENDA:
        motion.status = MotionStatus.ADOPTED if vote.carried else MotionStatus.REJECTED
        motion.adopted_by = vote if vote.carried else None
        motion.decided_at = now
        motion.save(update_fields=["status", "adopted_by", "decided_at"])
        amendments_lapse(motion=motion)
    elif vote.purpose == VotePurpose.AMEND:
        _amendment_decide(vote, motion)
    elif vote.purpose == VotePurpose.REFER and vote.carried and motion.status == MotionStatus.ON_AGENDA:
        _referral_open(vote, motion, actor)
    elif (
        vote.purpose == VotePurpose.REFERRAL
        and vote.referral_id is not None
        and not Vote.objects.filter(referral_id=vote.referral_id, closed_at__isnull=True).exists()
    ):
        referral_close(referral=Referral.objects.get(pk=vote.referral_id), actor=actor)


def _amendment_decide(vote: Vote, motion: Motion) -> None:
    assert vote.amendment_id is not None  # an amendment vote always names its amendment
    amendment = Amendment.objects.select_for_update().get(pk=vote.amendment_id)
    if amendment.status != AmendmentStatus.PROPOSED:
        return
    if not vote.carried:
        amendment.status = AmendmentStatus.REJECTED
    elif motion.status != MotionStatus.ON_AGENDA or motion.text != amendment.base_text:
        amendment.status = AmendmentStatus.LAPSED
    else:
        amendment.status = AmendmentStatus.ACCEPTED
        motion.text = amendment.text
        motion.save(update_fields=["text"])
    amendment.save(update_fields=["status"])
    if amendment.status == AmendmentStatus.ACCEPTED:
        # Amendments written against the old text no longer apply to the motion as it now reads.
        Amendment.objects.filter(motion=motion, status=AmendmentStatus.PROPOSED).exclude(
            base_text=motion.text
        ).exclude(votes__closed_at__isnull=True).update(status=AmendmentStatus.LAPSED)


@dataclass
class MotionsRunReport:
    """What one scheduler pass did to votes and referrals: one line each, and the problems met."""

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _result_line(carried: bool | None, yes: int, no: int, abstain: int, electorate: int) -> str:
    outcome = "carried" if carried else "not carried"
    return f"{outcome} ({yes} yes, {no} no, {abstain} abstain of {electorate})"


def _referral_report(report: MotionsRunReport, referral: Referral) -> None:
    summary = referral.summary or {}
    figures = (summary.get(key, 0) for key in ("yes", "no", "abstain", "electorate"))
    report.done.append(
        f"referral #{referral.pk} of “{referral.motion.title}”: decided, {_result_line(referral.carried, *figures)}"
    )


def motions_run_due(*, now: datetime | None = None, actor: Actor = SYSTEM) -> MotionsRunReport:
    """Close every vote whose time is up — on a motion or an amendment, on referring a question down,
    each assembly's vote on a referred question, and referendums — with its result declared, logged and
    carried out; and decide every referral whose votes have all closed (for the scheduler: ``commune
    election run-due`` and its worker). A mandate vote is left to ``commune.mandates``, which carries out
    its outcome. Several workers may run at once: a vote another closed first is skipped."""
    moment = now or timezone.now()
    report = MotionsRunReport()
    due = (
        Vote.objects.filter(closed_at__isnull=True, closes_at__lte=moment)
        .exclude(purpose=VotePurpose.MANDATE)
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)
    )
    decided: set[int] = set()
    for vote_id in list(due):
        try:
            vote = vote_close(vote=Vote(pk=vote_id), actor=actor)
        except (MotionError, PaperError) as exc:
            if not Vote.objects.filter(pk=vote_id, closed_at__isnull=False).exists():
                report.problems.append(f"vote #{vote_id}: {exc}")
            continue
        report.done.append(
            f"vote #{vote.pk} in {vote.body.name}: closed, "
            + _result_line(vote.carried, vote.yes, vote.no, vote.abstain, vote.electorate)
        )
        if vote.referral_id is not None:
            referral = Referral.objects.select_related("motion").get(pk=vote.referral_id)
            if referral.closed_at is not None and referral.pk not in decided:
                decided.add(referral.pk)
                _referral_report(report, referral)
    # A referral whose votes have all closed is decided with its last vote; this takes up any left over.
    for referral in (
        Referral.objects.filter(
            ~Exists(Vote.objects.filter(referral=OuterRef("pk"), closed_at__isnull=True)),
            closed_at__isnull=True,
            closes_at__lte=moment,
        )
        .exclude(
            # A statutory ballot waiting for the employer's notice has not opened: nothing to decide yet.
            decided_by__details__statutory__has_key="opens_on",
            statutory_ballot__isnull=True,
        )
        .order_by("closes_at", "pk")
    ):
        try:
            referral = referral_close(referral=referral, actor=actor)
        except MotionError as exc:
            report.problems.append(f"referral #{referral.pk}: {exc}")
            continue
        if referral.pk not in decided:
            decided.add(referral.pk)
            _referral_report(report, referral)
    return report


@dataclass(frozen=True)
class CastRecord:
    """What a voter is told once their vote is recorded."""

    choice: str
    secret: bool
    departed: bool = False


CouncilVoteCaster = Callable[..., DelegateVote]
VoteConcluder = Callable[[Vote, Actor], object]
_council_vote_casters: list[CouncilVoteCaster] = []
_vote_concluders: dict[str, VoteConcluder] = {}


def council_vote_caster_register(caster: CouncilVoteCaster) -> None:
    """Install the service that casts a seat's vote in a council (it checks the seat's mandate)."""
    _council_vote_casters[:] = [caster]


def vote_concluder_register(purpose: str, concluder: VoteConcluder) -> None:
    """Install the service that closes votes of one purpose by its own rule (a mandate's vote decides
    the mandate)."""
    _vote_concluders[purpose] = concluder


def vote_cast(
    *, vote: Vote, member: Member, choice: str, reason: str = "", actor: Actor = SYSTEM
) -> CastRecord:
    """Cast a vote as the vote's kind requires: a council's through the seat (on the record, checked
    against its mandate), an assembly's or the membership's directly, in the open or in the secret box."""
    if vote.mode == VoteMode.COUNCIL:
        if not _council_vote_casters:
            raise MotionError(_("council votes cannot be cast: the mandates check is not installed"))
        recorded = _council_vote_casters[0](
            vote=vote, member=member, choice=choice, reason=reason, actor=actor
        )
        return CastRecord(choice=recorded.choice, secret=False, departed=recorded.departed)
    assembly_vote_cast(vote=vote, member=member, choice=choice)
    return CastRecord(choice=choice, secret=vote.mode == VoteMode.SECRET)


def vote_conclude(*, vote: Vote, actor: Actor = SYSTEM) -> None:
    """Close a vote and do what it decides, by the rule of its purpose."""
    concluder = _vote_concluders.get(vote.purpose)
    if concluder is None:
        vote_close(vote=vote, actor=actor)
    else:
        concluder(vote, actor)
