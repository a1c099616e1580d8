"""The demo federation's elections, held through the real services from call to seating.

Every seat of the demo is filled by an election of its own constituency: each depot elects its delegates
to its district council, each district its delegates to Congress. Members stand through nomination, their
ballots go through the real ballot box, voting closes through the same service the scheduler uses, so each
election has a published, shuffled bulletin with its Merkle root in the log, a counted result with its
stages, alternates, and delegates seated with the election as their source.

The services refuse a timeline that has already passed (an election is always called for the future), so
the completed elections run on a short timeline starting when the demo is seeded, and are closed early
through ``election_voting_close``; their pages show when each was really declared. One more election stays
open for a week, with the demo's rank-and-file member on its electorate and not yet voted.

Ballot counts are modest (a fifth of a depot, a few dozen in a district) to keep seeding to seconds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from commune.audit.services import Actor
from commune.ballots.services import ballot_cast
from commune.elections.models import Candidacy, Election, ElectionKind, Elector
from commune.elections.services import (
    Timeline,
    candidacy_nominate,
    election_call,
    election_voting_close,
    elections_run_due,
    endorsement_publish,
)
from commune.federation.models import Body, Member

#: The election left open for the demo member to vote in.
OPEN_ELECTION_SEATS = 3
OPEN_ELECTION_CANDIDATES = 5
OPEN_ELECTION_BALLOTS = 18
OPEN_ELECTION_DAYS = 7
#: Of a depot's members, the share whose ballots the demo casts.
DEPOT_TURNOUT = 0.2
DISTRICT_BALLOTS = 60
#: How many more candidates than seats stand.
EXTRA_CANDIDATES = {"depot": 2, "district": 3}

TENDENCIES = ("Rank and File Network", "Broad Left", "Transport Workers for Safety")
STATEMENTS = (
    "I will report back to every branch meeting and vote as the members mandate me. Recall me if I don't.",
    "Safe rosters and an end to split shifts: I will carry the depot's mandate on fatigue to the council.",
    "Ten years on the buses. I will fight for parity of pay between the depots and for the cleaners' claim.",
    "Our council should meet in the evenings so shift workers can attend. I will move that at the first "
    "sitting.",
    "No deal on the new timetable without a ballot of every driver affected.",
    "I stand for an open council: every vote I cast will be on the record the same day.",
    "The tram depots and the bus garages are stronger together. I will work for one joint claim.",
    "",
)


@dataclass(frozen=True)
class DemoElections:
    completed: list[Election]
    open: Election


def _electors(election: Election) -> list[Member]:
    return [
        e.member
        for e in Elector.objects.filter(election=election)
        .select_related("member__person")
        .order_by("member__number")
    ]


def _stand(
    election: Election, rng: random.Random, electors: Sequence[Member], count: int, first: Member | None
) -> list[Candidacy]:
    chosen = rng.sample(list(electors), count)
    if first is not None and first not in chosen:
        chosen[0] = first
    return [
        candidacy_nominate(
            election=election,
            member=member,
            statement=rng.choice(STATEMENTS),
            tendency=rng.choice((*TENDENCIES, "", "")),
            actor=Actor.of(member.person),
        )
        for member in chosen
    ]


def _ranking(rng: random.Random, popularity: dict[int, float], seats: int) -> list[int]:
    """A plausible ballot: candidates drawn in turn in proportion to their popularity, as many as the
    voter cares to number (often a few, sometimes all)."""
    remaining = dict(popularity)
    length = min(len(remaining), 1 + int(rng.expovariate(1 / (seats + 1))))
    ranking = []
    for _ in range(length):
        ids, weights = zip(*remaining.items(), strict=True)
        pick = rng.choices(ids, weights)[0]
        ranking.append(pick)
        del remaining[pick]
    return ranking


def _cast(
    election: Election,
    rng: random.Random,
    voters: Sequence[Member],
    candidates: Sequence[Candidacy],
    favourite: Candidacy | None = None,
) -> None:
    popularity = {c.pk: rng.uniform(0.5, 3.0) for c in candidates}
    if favourite is not None:
        popularity[favourite.pk] = 8.0
    for voter in voters:
        ballot_cast(election_id=election.pk, member=voter, ranking=_ranking(rng, popularity, election.seats))


def demo_elections_hold(
    *,
    councils: Sequence[Body],
    open_in: Body,
    endorser: Body,
    rng: random.Random,
    must_win: dict[str, Member],
    never_stands: Member,
    actor: Actor,
    now: datetime | None = None,
) -> DemoElections:
    """Elect every seat on ``councils`` through the whole timeline, and leave one election of ``open_in``
    open for voting, with ``endorser``'s published endorsement of one candidate in it.

    ``must_win`` maps a constituency's code to a member who stands there with strong support (the demo's
    printed delegate sign-in); ``never_stands`` stands nowhere and does not vote in the open election.
    """
    start = (now or timezone.now()).replace(microsecond=0)
    # Long enough that a slow machine is still inside each window while it nominates and casts.
    nominations_end = start + timedelta(minutes=5)
    short = Timeline(start, nominations_end, nominations_end, start + timedelta(minutes=10))
    week = Timeline(start, nominations_end, nominations_end, start + timedelta(days=OPEN_ELECTION_DAYS))

    completed: list[Election] = []
    for council in councils:
        for constituency in council.children.order_by("code"):
            completed.append(
                election_call(
                    body=constituency,
                    kind=ElectionKind.DELEGATES,
                    timeline=short,
                    term_start=start.date(),
                    actor=actor,
                )
            )
    still_open = election_call(
        body=open_in,
        kind=ElectionKind.OTHER,
        title=f"Strike committee of {open_in.name}",
        seats=OPEN_ELECTION_SEATS,
        timeline=week,
        actor=actor,
    )
    elections_run_due(now=start, actor=actor)  # nominations open

    ballots: list[tuple[Election, list[Member], list[Candidacy], Candidacy | None]] = []
    for election in completed:
        electors = [m for m in _electors(election) if m.pk != never_stands.pk]
        scale = "depot" if election.body.is_unit else "district"
        favourite_member = must_win.get(election.body.code)
        candidates = _stand(
            election, rng, electors, election.seats + EXTRA_CANDIDATES[scale], favourite_member
        )
        favourite = next(
            (c for c in candidates if c.member_id == getattr(favourite_member, "pk", None)), None
        )
        turnout = round(len(electors) * DEPOT_TURNOUT) if scale == "depot" else DISTRICT_BALLOTS
        ballots.append((election, rng.sample(electors, min(turnout, len(electors))), candidates, favourite))

    open_electors = [m for m in _electors(still_open) if m.pk != never_stands.pk]
    open_candidates = _stand(still_open, rng, open_electors, OPEN_ELECTION_CANDIDATES, None)
    endorsement_publish(
        candidacy=open_candidates[0],
        body=endorser,
        statement="For ten years the steadiest organiser at the depot; we urge members to give them a preference.",
        actor=actor,
    )

    elections_run_due(now=nominations_end, actor=actor)  # nominations close, voting opens
    for election, voters, candidates, favourite in ballots:
        _cast(election, rng, voters, candidates, favourite)
    _cast(still_open, rng, rng.sample(open_electors, OPEN_ELECTION_BALLOTS), open_candidates)

    declared = []
    for election in completed:
        counted = election_voting_close(election_id=election.pk, actor=actor)
        assert counted is not None  # called above and open: closing it cannot be refused
        declared.append(counted)
    still_open.refresh_from_db()
    return DemoElections(completed=declared, open=still_open)
