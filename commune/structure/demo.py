"""The demo's structural change: a newly organised depot added under its district council by the council's
adopted motion, its seats apportioned again and the elections that changes called.

Seeded after the rest of the demo's history, through the real services: a delegate moves the change, the
council sits with the constitution's notice, its delegates vote, and the change is applied."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from commune.audit.services import Actor
from commune.elections.demo import demo_history
from commune.federation.models import Body, Delegation, Member
from commune.mandates.services import delegate_vote_cast
from commune.motions.models import Choice, MotionStatus
from commune.motions.services import (
    motion_support,
    motion_vote_open,
    session_close,
    session_open,
    session_roll_sign,
    vote_close,
)
from commune.structure.models import StructuralChange
from commune.structure.services import structural_change_apply, structural_change_propose

DEPOT_CODE = "DEPOT-13"
DEPOT_NAME = "Silvertown Depot"
CALLED_BEFORE = timedelta(days=2, hours=6)
VOTE_MINUTES = 30
WEIGHTS = (80, 12, 8)


def _as(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


@transaction.atomic
def demo_structure_hold(*, district: Body, rng: random.Random) -> StructuralChange:
    """Add the demo's new depot under ``district`` by the district council's decision."""
    seats = list(
        Delegation.objects.filter(council=district, ended_at__isnull=True)
        .select_related("member__person")
        .order_by("member__number")
    )
    mover, supporter = seats[0].member, seats[1].member
    with demo_history(timezone.now().replace(microsecond=0) - CALLED_BEFORE) as clock:
        change = structural_change_propose(
            council=district,
            member=mover,
            proposal={
                "kind": "add",
                "parent": district.code,
                "code": DEPOT_CODE,
                "name": DEPOT_NAME,
                "unit_type": "depot",
                "offices": [{"title": "Branch Secretary", "manages_roll": True}, {"title": "Treasurer"}],
            },
            reason="The drivers and engineers at the new Silvertown garage have organised: they join the "
            "federation as a depot of their own, and send delegates to this council once their roll is in.",
            actor=_as(mover),
        )
        motion = change.motion
        if motion.status == MotionStatus.PROPOSED:
            motion = motion_support(motion=motion, member=supporter, actor=_as(supporter))
        session = session_open(
            council=district, member=mover, title="Sitting on the new Silvertown depot", actor=_as(mover)
        )
        clock.past(session.starts_at)
        for seat in seats:
            session_roll_sign(session=session, member=seat.member, actor=_as(seat.member))
        vote = motion_vote_open(
            motion=motion,
            member=mover,
            closes_at=timezone.now() + timedelta(minutes=VOTE_MINUTES),
            session=session,
            actor=_as(mover),
        )
        for seat in seats:
            choice = rng.choices((Choice.YES, Choice.NO, Choice.ABSTAIN), WEIGHTS)[0]
            delegate_vote_cast(vote=vote, member=seat.member, choice=choice, actor=_as(seat.member))
        clock.past(vote.closes_at)
        vote = vote_close(vote=vote, actor=_as(mover))
        assert vote.carried, f"{district.name} did not carry the new depot"
        session_close(session=session, member=mover, actor=_as(mover))
        return structural_change_apply(change=change, actor=_as(mover))
