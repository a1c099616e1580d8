"""The demo federation's collective action, made through the real services.

What it leaves to explore, in the Transport Workers' Federation:

* Congress's call to strike against split shifts across the whole federation, fifteen days from seeding, on
  the authority of the statutory ballot the membership carried on Congress's motion
  (``commune.mandates.demo``), with the notice of the action to the employer, fourteen days ahead at least;
* the call endorsed by the assemblies of three depots, the first among them, each by its own secret ballot;
* a picket at the first depot's gate on the strike's day, organised by its branch secretary, with an early
  and a late shift, a few places already taken and room left for the demo's member to sign up.

It runs on the demo's own clock, starting two hours before seeding (after the sittings the other apps
seeded): the endorsement ballots are open an hour and counted when they close.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from commune.actions.models import ActionCall, ActionKind, CallEndorsement, Event, EventKind
from commune.actions.services import (
    ShiftPlan,
    action_call,
    endorsement_propose,
    endorsement_settle,
    event_create,
    shift_sign_up,
)
from commune.audit.services import Actor
from commune.elections.demo import demo_history
from commune.federation.models import Body, Delegation, Member
from commune.motions.models import Choice, Motion, MotionStatus, VoteElector
from commune.motions.services import assembly_vote_cast, motion_support, motion_vote_open, vote_close

STRIKE_TITLE = "One-day strike against split shifts"
STRIKE_DEMANDS = (
    "An end to split shifts on every route.\n"
    "No loss of pay or hours for any driver moved off them.\n"
    "Rosters agreed with each depot's branch, not imposed."
)
STRIKE_IN_DAYS = 15
ENDORSING_DEPOTS = 3
ENDORSEMENT_HOURS = 1
HISTORY_STARTS_BEFORE = timedelta(hours=2)
ENDORSEMENT_TURNOUT = 0.6
PICKET_PLACE = "Main gate"
#: (label, start hour, end hour, capacity, already taken) of the picket's shifts on the strike's day.
SHIFTS = (("Early shift at the gate", 4, 8, 6, 3), ("Late shift at the gate", 8, 12, 6, 1))


@dataclass(frozen=True)
class DemoActions:
    call: ActionCall
    endorsements: list[CallEndorsement]
    picket: Event


def _as(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _members(unit: Body, leave_out: set[int]) -> list[Member]:
    return [
        m
        for m in Member.objects.filter(current_unit=unit)
        .select_related("person", "current_unit")
        .order_by("number")
        if m.pk not in leave_out
    ]


def _history_start() -> datetime:
    """Two hours before seeding: after the sittings the other apps seeded, with time for the endorsement
    ballots to run their hour and be counted before the present."""
    return timezone.now().replace(microsecond=0) - HISTORY_STARTS_BEFORE


def _endorse(call: ActionCall, unit: Body, keep: set[int], rng: random.Random) -> CallEndorsement:
    members = _members(unit, keep)
    mover, supporter = members[0], members[1]
    endorsement = endorsement_propose(call=call, unit=unit, member=mover, actor=_as(mover))
    motion = Motion.objects.get(pk=endorsement.motion_id)
    if motion.status == MotionStatus.PROPOSED:
        motion_support(motion=motion, member=supporter, actor=_as(supporter))
    vote = motion_vote_open(
        motion=motion,
        member=mover,
        closes_at=timezone.now() + timedelta(hours=ENDORSEMENT_HOURS),
        actor=_as(mover),
    )
    electors = [
        e.member
        for e in VoteElector.objects.filter(vote=vote)
        .select_related("member__person")
        .order_by("member__number")
        if e.member_id not in keep
    ]
    for member in rng.sample(electors, round(len(electors) * ENDORSEMENT_TURNOUT)):
        assembly_vote_cast(
            vote=vote,
            member=member,
            choice=rng.choices((Choice.YES, Choice.NO, Choice.ABSTAIN), (85, 10, 5))[0],
        )
    return endorsement


@transaction.atomic
def demo_actions_hold(
    *,
    congress: Body,
    authority: Motion,
    depots: Sequence[Body],
    secretary: Member,
    keep: Sequence[Member],
    rng: random.Random,
) -> DemoActions:
    """Seed the action described above: ``authority`` is Congress's strike motion the membership carried
    by referendum, ``depots`` the units whose assemblies endorse the call (the first gets the picket),
    ``secretary`` the first depot's branch secretary, ``keep`` the demo's sign-ins, who neither vote nor
    sign up, so the demo's member finds it all still to do."""
    kept = {m.pk for m in keep}
    caller = (
        Delegation.objects.filter(council=congress, ended_at__isnull=True)
        .select_related("member__person", "member__current_unit")
        .order_by("member__number")
        .first()
    )
    assert caller is not None
    strike_day = timezone.localdate() + timedelta(days=STRIKE_IN_DAYS)
    with demo_history(_history_start()) as clock:
        call = action_call(
            member=caller.member,
            body=congress,
            authority=authority,
            kind=ActionKind.STRIKE,
            title=STRIKE_TITLE,
            demands=STRIKE_DEMANDS,
            starts_on=strike_day,
            ends_on=strike_day,
            actor=_as(caller.member),
        )
        proposed = [_endorse(call, depot, kept, rng) for depot in depots[:ENDORSING_DEPOTS]]
        clock.past(timezone.now() + timedelta(hours=ENDORSEMENT_HOURS))
        endorsements = []
        for endorsement in proposed:
            vote = endorsement.motion.votes.get()
            vote_close(vote=vote)
            endorsements.append(endorsement_settle(endorsement=endorsement, actor=_as(secretary)))

        first = depots[0]
        day = timezone.make_aware(datetime(strike_day.year, strike_day.month, strike_day.day))
        picket = event_create(
            member=secretary,
            body=first,
            kind=EventKind.PICKET,
            title=f"Picket at {first.name}",
            place=f"{PICKET_PLACE}, {first.name}",
            description="Bring a coat and a flask. Stewards have armbands; talk to drivers, never block the buses.",
            starts_at=day + timedelta(hours=SHIFTS[0][1]),
            ends_at=day + timedelta(hours=SHIFTS[-1][2]),
            call=call,
            shifts=[
                ShiftPlan(label, day + timedelta(hours=start), day + timedelta(hours=end), capacity)
                for label, start, end, capacity, _ in SHIFTS
            ],
            actor=_as(secretary),
        )
        volunteers = iter(rng.sample(_members(first, kept), sum(taken for *_, taken in SHIFTS)))
        for shift, (*_, taken) in zip(picket.shifts.order_by("starts_at"), SHIFTS, strict=True):
            for _ in range(taken):
                volunteer = next(volunteers)
                shift_sign_up(shift=shift, member=volunteer, actor=_as(volunteer))
    return DemoActions(call=call, endorsements=endorsements, picket=picket)
