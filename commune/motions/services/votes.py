"""Putting questions to a body, casting members' votes, and closing and counting.

Who votes is fixed when a vote opens: a unit's current members (its general assembly), every member within
a council for a referendum, or the seats on a council's roll. The thresholds are fixed then too, from the
constitution (see ``commune.motions.thresholds``). Council votes are cast through
``commune.mandates.services.delegate_vote_cast``, which checks each against the constituency's mandate.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, BodyKind, Member
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import (
    Amendment,
    AmendmentStatus,
    Choice,
    CouncilSession,
    DelegateVote,
    Motion,
    MotionStatus,
    OpenChoice,
    Referral,
    ReferralKind,
    RollEntry,
    SecretBallot,
    Vote,
    VoteElector,
    VoteMode,
    VotePurpose,
    VoteRegister,
)
from commune.motions.services.motions import amendments_lapse, constitution_rules, member_sits_in
from commune.motions.services.sessions import seat_weights
from commune.motions.thresholds import decide, decision_rule, rule_to_json


def _members_within(body: Body) -> list[int]:
    return list(
        Member.objects.filter(
            organisation_id=body.organisation_id, current_unit__path__startswith=body.path
        ).values_list("id", flat=True)
    )


@transaction.atomic
def vote_open(
    *,
    body: Body,
    motion: Motion,
    purpose: str,
    question: str,
    member: Member | None,
    closes_at: datetime,
    session: CouncilSession | None = None,
    amendment: Amendment | None = None,
    referral: Referral | None = None,
    referendum: bool = False,
    details: dict[str, Any] | None = None,
    actor: Actor = SYSTEM,
) -> Vote:
    """Put a question to ``body``. ``member`` (who puts it) must sit in the body; ``None`` only when the
    body's own earlier decision puts it (a referral). A unit votes as a general assembly, secretly or
    openly as the constitution says; a council votes on the record, in an open ``session``; a
    ``referendum`` is a secret ballot of every member within the body."""
    now = timezone.now()
    if closes_at <= now:
        raise MotionError("the vote must close in the future")
    if member is not None and not member_sits_in(member, body):
        raise NotEntitled(f"only those who sit in {body.name} may put a question to it")
    rules = constitution_rules(body.organisation_id)
    present: int | None = None
    if referendum:
        mode, electors = VoteMode.SECRET, _members_within(body)
    elif body.kind == BodyKind.UNIT:
        mode = VoteMode.SECRET if rules.ballots.member_votes_secret else VoteMode.OPEN
        electors = _members_within(body)
    else:
        mode, electors = VoteMode.COUNCIL, []
        if session is None or session.council_id != body.pk or session.closed_at is not None:
            raise MotionConflict(f"{body.name} votes only in an open session of its own")
    if mode != VoteMode.COUNCIL:
        session = None
        if not electors:
            raise MotionError(f"{body.name} has no members to vote")
    weights = seat_weights(council=body) if mode == VoteMode.COUNCIL else {}
    constitutional = motion.constitutional and purpose in (VotePurpose.ADOPT, VotePurpose.REFERRAL)
    rule = decision_rule(
        rules.decisions,
        constitutional=constitutional,
        referendum=referendum,
        industrial_action=motion.industrial_action,
    )
    vote = Vote.objects.create(
        organisation_id=body.organisation_id,
        body=body,
        motion=motion,
        amendment=amendment,
        session=session,
        referral=referral,
        purpose=purpose,
        mode=mode,
        question=question,
        rule=rule_to_json(rule),
        details=details or {},
        opened_at=now,
        opened_by=actor.label,
        closes_at=closes_at,
        electorate=sum(weights.values()) if mode == VoteMode.COUNCIL else len(electors),
        present=present,
    )
    VoteElector.objects.bulk_create(
        (VoteElector(vote=vote, member_id=mid) for mid in electors), batch_size=2000
    )
    log_entry_record(
        organisation=body.organisation,
        action="vote.opened",
        body_id=body.pk,
        actor=actor,
        summary=f"{body.name} votes ({vote.get_mode_display().lower()}): {question}",
        payload={
            "vote": vote.pk,
            "motion": motion.pk,
            "purpose": purpose,
            "mode": mode,
            "electorate": vote.electorate,
            "rule": vote.rule,
            "closes_at": closes_at.isoformat(),
            "session": session.pk if session else None,
        },
    )
    return vote


def _no_vote_pending(motion: Motion) -> None:
    if motion.votes.filter(
        closed_at__isnull=True, purpose__in=[VotePurpose.ADOPT, VotePurpose.REFER]
    ).exists():
        raise MotionConflict("a vote on this motion is already open")


@transaction.atomic
def motion_vote_open(
    *,
    motion: Motion,
    member: Member,
    closes_at: datetime,
    session: CouncilSession | None = None,
    actor: Actor = SYSTEM,
) -> Vote:
    """Put a motion on the agenda to its body's vote: adopt it or not."""
    motion = (
        Motion.objects.select_for_update(of=("self",)).select_related("body__organisation").get(pk=motion.pk)
    )
    if motion.status != MotionStatus.ON_AGENDA:
        raise MotionConflict("only a motion on the agenda can be put to the vote")
    _no_vote_pending(motion)
    return vote_open(
        body=motion.body,
        motion=motion,
        purpose=VotePurpose.ADOPT,
        question=f"Adopt the motion “{motion.title}”?",
        member=member,
        closes_at=closes_at,
        session=session,
        actor=actor,
    )


@transaction.atomic
def amendment_vote_open(
    *,
    amendment: Amendment,
    member: Member,
    closes_at: datetime,
    session: CouncilSession | None = None,
    actor: Actor = SYSTEM,
) -> Vote:
    """Put an amendment to the body's vote."""
    amendment = Amendment.objects.select_related("motion__body__organisation").get(pk=amendment.pk)
    motion = amendment.motion
    if amendment.status != AmendmentStatus.PROPOSED or motion.status != MotionStatus.ON_AGENDA:
        raise MotionConflict("this amendment is no longer before the body")
    if amendment.votes.filter(closed_at__isnull=True).exists():
        raise MotionConflict("a vote on this amendment is already open")
    return vote_open(
        body=motion.body,
        motion=motion,
        purpose=VotePurpose.AMEND,
        amendment=amendment,
        question=f"Accept amendment {amendment.pk} to “{motion.title}”?",
        member=member,
        closes_at=closes_at,
        session=session,
        actor=actor,
    )


@transaction.atomic
def motion_refer_vote_open(
    *,
    motion: Motion,
    member: Member,
    session: CouncilSession,
    kind: str,
    closes_at: datetime,
    referral_closes_at: datetime,
    actor: Actor = SYSTEM,
) -> Vote:
    """Ask a council, in session, to refer a motion on its agenda down: to every unit's general
    assembly, or to the whole membership as a referendum. Carried, the referral opens at once."""
    motion = (
        Motion.objects.select_for_update(of=("self",)).select_related("body__organisation").get(pk=motion.pk)
    )
    if motion.body.kind != BodyKind.COUNCIL:
        raise MotionError("only a council refers questions down; a unit's assembly decides them itself")
    if motion.status != MotionStatus.ON_AGENDA:
        raise MotionConflict("only a motion on the agenda can be referred")
    if kind not in ReferralKind.values:
        raise MotionError(f"refer to {' or '.join(ReferralKind.values)}, not {kind!r}")
    if referral_closes_at <= closes_at:
        raise MotionError("the referral must close after the council's vote to make it")
    _no_vote_pending(motion)
    return vote_open(
        body=motion.body,
        motion=motion,
        purpose=VotePurpose.REFER,
        question=f"Refer “{motion.title}” {ReferralKind(kind).label.lower()}?",
        member=member,
        closes_at=closes_at,
        session=session,
        details={"kind": kind, "closes_at": referral_closes_at.isoformat()},
        actor=actor,
    )


def _open_for_casting(vote_id: int) -> Vote:
    vote = Vote.objects.select_for_update().get(pk=vote_id)
    if vote.closed_at is not None or timezone.now() >= vote.closes_at:
        raise MotionConflict("this vote has closed")
    return vote


def assembly_vote_cast(*, vote: Vote, member: Member, choice: str) -> None:
    """A member's vote in an assembly vote or a referendum. In an open vote the choice is on the record;
    in a secret one the register notes that the member voted and the box receives the choice, with
    nothing linking them. One vote each, final once cast."""
    if choice not in Choice.values:
        raise MotionError(f"vote yes, no or abstain, not {choice!r}")
    with transaction.atomic():
        vote = _open_for_casting(vote.pk)
        if vote.mode == VoteMode.COUNCIL:
            raise NotEntitled("in a council only the seats on the roll vote, on the record")
        if not VoteElector.objects.filter(vote=vote, member=member).exists():
            raise NotEntitled("you are not entitled to vote on this question")
        try:
            with transaction.atomic():
                if vote.mode == VoteMode.OPEN:
                    OpenChoice.objects.create(vote=vote, member=member, choice=choice, cast_at=timezone.now())
                else:
                    VoteRegister.objects.create(vote=vote, member=member)
        except IntegrityError as exc:
            raise MotionConflict("you have already voted on this question") from exc
        if vote.mode == VoteMode.SECRET:
            SecretBallot.objects.create(id=uuid.uuid4(), vote=vote, choice=choice)


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


def _referral_open(vote: Vote, motion: Motion, actor: Actor) -> Referral:
    council = motion.body
    kind = vote.details["kind"]
    closes_at = datetime.fromisoformat(vote.details["closes_at"])
    referral = Referral.objects.create(
        motion=motion,
        council=council,
        kind=kind,
        decided_by=vote,
        opened_at=timezone.now(),
        closes_at=closes_at,
    )
    motion.status = MotionStatus.REFERRED
    motion.decided_at = referral.opened_at
    motion.save(update_fields=["status", "decided_at"])
    amendments_lapse(motion=motion)
    question = f"{motion.title}: {motion.text}"[:290]
    if kind == ReferralKind.REFERENDUM:
        vote_open(
            body=council,
            motion=motion,
            purpose=VotePurpose.REFERRAL,
            question=f"Referendum: {question}"[:300],
            member=None,
            closes_at=closes_at,
            referral=referral,
            referendum=True,
            actor=actor,
        )
    else:
        units = Body.objects.filter(
            organisation_id=council.organisation_id,
            kind=BodyKind.UNIT,
            path__startswith=council.path,
            member_count__gt=0,
        ).order_by("path")
        for unit in units:
            vote_open(
                body=unit,
                motion=motion,
                purpose=VotePurpose.REFERRAL,
                question=f"Referred by {council.name}: {question}"[:300],
                member=None,
                closes_at=closes_at,
                referral=referral,
                actor=actor,
            )
    log_entry_record(
        organisation=council.organisation,
        action="motion.referred",
        body_id=council.pk,
        actor=actor,
        summary=f"{council.name} referred “{motion.title}” {ReferralKind(kind).label.lower()}",
        payload={"motion": motion.pk, "referral": referral.pk, "kind": kind, "decided_by_vote": vote.pk},
    )
    return referral


def referral_close(*, referral: Referral, actor: Actor = SYSTEM) -> Referral:
    """Aggregate a referral once all its votes have closed. A referendum is decided by its one ballot;
    a referral to the assemblies by every member's vote summed across the units (each member counting
    once, whatever the size of their unit) under the ordinary rule, with each unit's own decision shown."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("council__organisation", "motion")
            .get(pk=referral.pk)
        )
        if referral.closed_at is not None:
            return referral
        votes = list(Vote.objects.filter(referral=referral).select_related("body").order_by("body__path"))
        if any(v.closed_at is None for v in votes):
            raise MotionConflict("some votes of this referral are still open")
        yes, no, abstain, electorate = (
            sum(getattr(v, f) for v in votes) for f in ("yes", "no", "abstain", "electorate")
        )
        if referral.kind == ReferralKind.REFERENDUM:
            carried = bool(votes and votes[0].carried)
            explanation = votes[0].explanation if votes else ""
        else:
            rule = decision_rule(constitution_rules(referral.council.organisation_id).decisions)
            result = decide(
                rule=rule_to_json(rule), yes=yes, no=no, abstain=abstain, electorate=electorate, present=None
            )
            carried, explanation = result.passed, result.explanation
        referral.summary = {
            "yes": yes,
            "no": no,
            "abstain": abstain,
            "electorate": electorate,
            "explanation": explanation,
            "units_carried": sum(1 for v in votes if v.carried),
            "units_not_carried": sum(1 for v in votes if not v.carried),
            "bodies": [
                {
                    "code": v.body.code,
                    "name": v.body.name,
                    "yes": v.yes,
                    "no": v.no,
                    "abstain": v.abstain,
                    "electorate": v.electorate,
                    "carried": v.carried,
                }
                for v in votes
            ],
        }
        referral.carried = carried
        referral.closed_at = timezone.now()
        referral.save(update_fields=["summary", "carried", "closed_at"])
        log_entry_record(
            organisation=referral.council.organisation,
            action="referral.decided",
            body_id=referral.council_id,
            actor=actor,
            summary=f"The membership {'carried' if carried else 'did not carry'} “{referral.motion.title}”: "
            f"{yes} yes, {no} no, {abstain} abstain of {electorate}",
            payload={
                "referral": referral.pk,
                "motion": referral.motion_id,
                "carried": carried,
                **referral.summary,
            },
        )
    return referral


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
