"""Putting questions to a body, casting members' votes, and closing and counting.

Who votes is fixed when a vote opens: a unit's current members (its general assembly), every member within
a council for a referendum, or the seats on a council's roll. The thresholds are fixed then too, from the
constitution (see ``commune.motions.thresholds``). Council votes are cast through
``commune.mandates.services.delegate_vote_cast``, which checks each against the constituency's mandate.

This module closes and counts votes; opening and casting are in ``voting``, referrals in ``referrals``.
All are re-exported here.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.motions.errors import MotionConflict
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
    SecretBallot,
    Vote,
    VoteMode,
    VotePurpose,
    VoteRegister,
)
from commune.motions.services.motions import amendments_lapse
from commune.motions.services.referrals import _referral_open, referral_close
from commune.motions.services.voting import (
    amendment_vote_open,
    assembly_vote_cast,
    motion_refer_vote_open,
    motion_vote_open,
    vote_open,
)
from commune.motions.thresholds import decide

__all__ = [
    "amendment_vote_open",
    "assembly_vote_cast",
    "motion_refer_vote_open",
    "motion_vote_open",
    "referral_close",
    "vote_close",
    "vote_open",
    "votes_close_due",
]


def _everyone_voted(vote: Vote) -> bool:
    if vote.mode == VoteMode.COUNCIL:
        assert vote.session_id is not None
        on_roll = RollEntry.objects.filter(session_id=vote.session_id).count()
        return on_roll > 0 and DelegateVote.objects.filter(vote=vote).count() >= on_roll
    voted = (OpenChoice if vote.mode == VoteMode.OPEN else VoteRegister).objects.filter(vote=vote).count()
    return voted >= vote.electorate


def _count(vote: Vote) -> tuple[dict[str, int], int | None]:
    """The totals by choice, and (councils) the weight present. A secret box is shuffled and rewritten
    with fresh keys first, so not even the rows' physical order remembers the order of casting."""
    totals = dict.fromkeys(Choice.values, 0)
    if vote.mode == VoteMode.OPEN:
        for choice in OpenChoice.objects.filter(vote=vote).values_list("choice", flat=True):
            totals[choice] += 1
        return totals, None
    if vote.mode == VoteMode.SECRET:
        choices = list(SecretBallot.objects.filter(vote=vote).values_list("choice", flat=True))
        secrets.SystemRandom().shuffle(choices)
        SecretBallot.objects.filter(vote=vote).delete()
        SecretBallot.objects.bulk_create(
            (SecretBallot(id=uuid.uuid4(), vote=vote, choice=c) for c in choices), batch_size=2000
        )
        for choice in choices:
            totals[choice] += 1
        return totals, None
    for choice, weight in (
        DelegateVote.objects.filter(vote=vote).values_list("choice").annotate(weight=Sum("weight"))
    ):
        totals[choice] = weight
    present = RollEntry.objects.filter(session_id=vote.session_id).aggregate(w=Sum("weight"))["w"] or 0
    return totals, present


def vote_close(*, vote: Vote, actor: Actor = SYSTEM) -> Vote:
    """Close and count a vote once its time is up or everyone entitled has voted, and do what the result
    decides: adopt or reject the motion, accept the amendment, open a referral, close a referral whose
    last vote this was. A mandate vote's outcome is applied by ``commune.mandates``."""
    with transaction.atomic():
        vote = (
            Vote.objects.select_for_update(of=("self",)).select_related("body__organisation").get(pk=vote.pk)
        )
        if vote.closed_at is not None:
            raise MotionConflict("this vote has already closed")
        if timezone.now() < vote.closes_at and not _everyone_voted(vote):
            raise MotionConflict(
                "this vote is still open: it closes when its time is up or everyone entitled has voted"
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


def votes_close_due(*, now: datetime | None = None) -> list[Vote]:
    """Close every vote whose time is up (for the scheduler). Returns the votes closed."""
    moment = now or timezone.now()
    closed = []
    for vote in (
        Vote.objects.filter(closed_at__isnull=True, closes_at__lte=moment)
        .exclude(purpose=VotePurpose.MANDATE)
        .order_by("closes_at", "pk")
    ):
        closed.append(vote_close(vote=vote))
    return closed
