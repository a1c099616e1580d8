"""Amend a test organisation's constitution the only way there is: by a referendum of the membership.

``constitution_amend`` drives the real services end to end: a member who sits on every council above
their unit proposes the change in their unit, the assembly adopts it (everyone votes yes), it is forwarded
up and adopted council by council, the top council refers it to a referendum, every member votes yes, and
the proposal is enacted. Tests that need other rules call it instead of writing a version directly.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from commune.federation.models import Body, ConstitutionVersion, Delegation, Member, Organisation
from commune.governance.diff import rules_changes
from commune.governance.services import constitution_amendment_enact, constitution_amendment_propose
from commune.mandates.services import delegate_vote_cast
from commune.motions.models import Motion, MotionStatus, Referral, Vote, VoteElector
from commune.motions.services import (
    assembly_vote_cast,
    motion_forward,
    motion_refer_vote_open,
    motion_support,
    motion_vote_open,
    session_close,
    session_open,
    session_roll_sign,
    vote_close,
)
from tests.clock import let_time_pass_until, let_vote_run, wait_for_session


def _sits_all_the_way_up(member: Member) -> bool:
    unit = member.current_unit
    if unit is None:
        return False
    councils = set(unit.ancestor_ids)
    seated = set(
        Delegation.objects.filter(member=member, ended_at__isnull=True, council_id__in=councils).values_list(
            "council_id", flat=True
        )
    )
    return seated == councils


def _everyone_votes_yes(vote: Vote) -> Vote:
    for elector in VoteElector.objects.filter(vote=vote).select_related("member"):
        assembly_vote_cast(vote=vote, member=elector.member, choice="yes")
    return Vote.objects.get(pk=vote.pk)


def _council_decides(council: Body, motion: Motion, mover: Member, *, refer: bool) -> Vote:
    session = session_open(council=council, member=mover, title="Constitutional amendment")
    wait_for_session(session)
    # Every seated delegate attends, so the council is quorate; only the mover votes, and the vote runs
    # its course.
    seated = Member.objects.filter(delegations__council=council, delegations__ended_at__isnull=True)
    for delegate in [mover, *seated.exclude(pk=mover.pk).distinct().order_by("number")]:
        session_roll_sign(session=session, member=delegate)
    soon = timezone.now() + timedelta(hours=1)
    if refer:
        vote = motion_refer_vote_open(
            motion=motion,
            member=mover,
            session=session,
            kind="referendum",
            closes_at=soon,
            referral_closes_at=soon + timedelta(days=7),
        )
    else:
        vote = motion_vote_open(motion=motion, member=mover, closes_at=soon, session=session)
    delegate_vote_cast(vote=vote, member=mover, choice="yes")
    let_time_pass_until(vote.closes_at)
    vote = vote_close(vote=vote)
    session_close(session=session, member=mover)
    return vote


def constitution_amend(organisation: Organisation, rules: dict[str, Any]) -> ConstitutionVersion:
    """Carry ``rules`` as the next version of the constitution through a real referendum.

    Rules already in force need no referendum: the current version is returned unchanged."""
    latest = ConstitutionVersion.objects.filter(organisation=organisation).order_by("-number").first()
    assert latest is not None
    changes = {key: after for key, _, after in rules_changes(latest.rules, rules)}
    if not changes:
        return latest
    mover = next(
        m
        for m in Member.objects.filter(organisation=organisation, delegations__ended_at__isnull=True)
        .select_related("current_unit", "person")
        .distinct()
        .order_by("number")
        if _sits_all_the_way_up(m)
    )
    unit = mover.current_unit
    assert unit is not None
    proposal = constitution_amendment_propose(body=unit, member=mover, changes=changes, reason="test")
    motion = proposal.motion
    if motion.status == MotionStatus.PROPOSED:
        for supporter in Member.objects.filter(current_unit=unit).exclude(pk=mover.pk).order_by("number"):
            motion = motion_support(motion=motion, member=supporter)
            if motion.status == MotionStatus.ON_AGENDA:
                break
    vote = _everyone_votes_yes(
        motion_vote_open(motion=motion, member=mover, closes_at=timezone.now() + timedelta(hours=1))
    )
    let_vote_run(vote)
    vote_close(vote=vote)
    for council in Body.objects.filter(pk__in=unit.ancestor_ids).order_by("-depth"):
        motion = motion_forward(motion=Motion.objects.get(pk=motion.pk), member=mover)
        _council_decides(council, motion, mover, refer=council.parent_id is None)
    referral = Referral.objects.get(motion=motion)
    ballot = _everyone_votes_yes(Vote.objects.get(referral=referral))
    if ballot.closed_at is None:
        let_vote_run(ballot)
        vote_close(vote=ballot)
    return constitution_amendment_enact(proposal=proposal)
