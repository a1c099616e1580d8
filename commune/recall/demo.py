"""The demo federation's recalls, made through the real services.

What it leaves to explore, in the Transport Workers' Federation:

* a petition, half-way to its threshold, to recall the first depot's first delegate on its district
  council (the delegate the motions demo has depart from the depot's instructed mandate). The demo's
  rank-and-file member is on that depot's electorate and has not signed: they can sign it, see the count
  go up and "you signed";
* a completed recall in another district: a depot's delegate is petitioned against up to the threshold,
  the secret recall ballot the constitution asks for is voted by the depot's whole electorate (so it may
  be counted at once, as anyone may ask) and carried, and the seat is filled by countback of the depot's
  original election, with the recount stored stage by stage.

Signers and voters are sampled from a seeded ``random.Random``, so the same seed gives the same recalls.
Nobody is ever named as a signer: the services keep only keyed digests.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from commune.elections.models import ElectedSeat
from commune.federation.models import Body, Member
from commune.motions.models import Choice
from commune.recall.models import RecallPetition, RecallStatus, ReplacementOutcome
from commune.recall.services import (
    recall_ballot_cast,
    recall_ballot_close,
    recall_electorate,
    recall_petition_open,
    recall_petition_sign,
)

HALF_WAY_GROUNDS = (
    "Voted for the revised summer timetable against the depot's instructed mandate, and did not come back "
    "to a branch meeting to answer for it. The depot should choose a delegate who carries its mandates."
)
COMPLETED_GROUNDS = (
    "Has missed three sittings of the district council in a row and sent no report to the depot. A seat "
    "nobody sits in is a seat the employer is glad of."
)
#: Yes, no, abstain: the shares in which the demo's electorate votes in the completed recall ballot.
BALLOT_WEIGHTS = (68, 27, 5)


@dataclass(frozen=True)
class DemoRecalls:
    half_way: RecallPetition
    completed: RecallPetition


def _first_seat(constituency: Body) -> ElectedSeat:
    """The constituency's delegate seat held now with the lowest membership number."""
    seat = (
        ElectedSeat.objects.filter(
            election__body=constituency, delegation__isnull=False, delegation__ended_at__isnull=True
        )
        .select_related("election", "member", "delegation")
        .order_by("member__number")
        .first()
    )
    assert seat is not None, f"the demo seated no delegate for {constituency.code}"
    return seat


def _electors(seat: ElectedSeat, leave_out: set[int]) -> list[Member]:
    return [m for m in recall_electorate(seat=seat).order_by("number") if m.pk not in leave_out]


def _half_way(seat: ElectedSeat, rng: random.Random, leave_out: set[int]) -> RecallPetition:
    electors = _electors(seat, leave_out | {seat.member_id})
    opener, *others = rng.sample(electors, len(electors))
    petition = recall_petition_open(seat=seat, member=opener, grounds=HALF_WAY_GROUNDS)
    for signer in others[: petition.signatures_required // 2 - 1]:
        petition = recall_petition_sign(petition=petition, member=signer)
    return petition


def _completed(seat: ElectedSeat, rng: random.Random) -> RecallPetition:
    electors = _electors(seat, {seat.member_id})
    signers = rng.sample(electors, len(electors))
    petition = recall_petition_open(seat=seat, member=signers[0], grounds=COMPLETED_GROUNDS)
    for signer in signers[1:]:
        if petition.status != RecallStatus.GATHERING:
            break
        petition = recall_petition_sign(petition=petition, member=signer)
    assert petition.status == RecallStatus.BALLOTING, petition.status
    # The whole electorate votes (the holder too, as one of it), so the ballot may be counted now.
    for voter in recall_electorate(seat=seat).order_by("number"):
        choice = rng.choices((Choice.YES, Choice.NO, Choice.ABSTAIN), BALLOT_WEIGHTS)[0]
        recall_ballot_cast(petition=petition, member=voter, choice=choice)
    return recall_ballot_close(petition=petition)


@transaction.atomic
def demo_recalls_hold(
    *, depot: Body, elsewhere: Body, member: Member, rng: random.Random, keep: list[Member]
) -> DemoRecalls:
    """Seed the recalls described above: half-way against ``depot``'s first delegate, completed and
    filled by countback against ``elsewhere``'s. ``member`` (the demo's rank-and-file member) and
    ``keep`` (the other demo sign-ins) neither sign nor are recalled."""
    kept = {member.pk, *(m.pk for m in keep)}
    half_way = _half_way(_first_seat(depot), rng, kept)
    target = _first_seat(elsewhere)
    assert target.member_id not in kept, "the demo's sign-ins keep their seats"
    completed = _completed(target, rng)
    # The plan is seeded, so a recall that is not filled by countback is a bug in the demo, not chance.
    assert completed.status == RecallStatus.RECALLED, completed.status
    assert completed.replacement_outcome == ReplacementOutcome.COUNTBACK, completed.replacement_note
    return DemoRecalls(half_way=half_way, completed=completed)
