"""The demo federation's elections, held through the real services from call to seating.

Every seat of the demo is filled by an election of its own constituency: each depot elects its delegates
to its district council, each district its delegates to Congress. Members stand through nomination, their
ballots go through the real ballot box, and voting closes through the scheduler's own pass, so each
election has a published, shuffled bulletin with its Merkle root in the log, a counted result with its
stages, alternates, and delegates seated with the election as their source.

The services never let an election be cut short (nobody may), and they only call elections for the
future, so rather than wait out each election the history runs on its own clock (``demo_history``): the
elections are called two weeks before seeding, nominations and voting each run four days, and every
result is declared after its voting closed, days before the motions the delegates then vote on. One more
election, called at the same time, stays open until a week after seeding, with the demo's rank-and-file
member on its electorate and not yet voted. The provenance log keeps the true time of each entry.

Ballot counts are modest (a fifth of a depot, a few dozen in a district) to keep seeding to seconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from commune.audit.services import Actor
from commune.elections.models import Candidacy, Election, ElectionKind, ElectionStatus, Elector
from commune.elections.services import (
    Timeline,
    candidacy_nominate,
    election_call,
    elections_run_due,
    endorsement_publish,
)
from commune.elections.services.casting import ballot_cast
from commune.federation.models import Body, Member

#: When the delegate elections are called, and how long their nominations and voting run.
HISTORY_STARTS_BEFORE = timedelta(days=14)
NOMINATION_DAYS = 4
VOTING_DAYS = 4
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


class DemoClock:
    """Stands in for ``django.utils.timezone.now`` while the demo's history is seeded."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def past(self, moment: datetime) -> None:
        """Move on to just after ``moment``, never back."""
        self.now = max(self.now, moment) + timedelta(seconds=1)


@contextmanager
def demo_history(start: datetime) -> Iterator[DemoClock]:
    """Seed what happens inside as if at ``start``, moving on only as the clock is told to. For the demo
    alone: it replaces the process's clock, so nothing else may run in the process meanwhile."""
    clock = DemoClock(start)
    real_now = timezone.now
    timezone.now = lambda: clock.now
    try:
        yield clock
    finally:
        timezone.now = real_now


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
            actor=Actor.of(member.person, role=f"member {member.number}"),
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
    seeded = (now or timezone.now()).replace(microsecond=0)
    start = seeded - HISTORY_STARTS_BEFORE
    nominations_end = start + timedelta(days=NOMINATION_DAYS)
    voting_end = nominations_end + timedelta(days=VOTING_DAYS)
    with demo_history(start) as clock:
        completed: list[Election] = []
        for council in councils:
            for constituency in council.children.order_by("code"):
                completed.append(
                    election_call(
                        body=constituency,
                        kind=ElectionKind.DELEGATES,
                        timeline=Timeline(start, nominations_end, nominations_end, voting_end),
                        actor=actor,
                    )
                )
        still_open = election_call(
            body=open_in,
            kind=ElectionKind.OTHER,
            title=f"Strike committee of {open_in.name}",
            seats=OPEN_ELECTION_SEATS,
            timeline=Timeline(
                start, nominations_end, nominations_end, seeded + timedelta(days=OPEN_ELECTION_DAYS)
            ),
            actor=actor,
        )
        elections_run_due(actor=actor)  # nominations open

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
            ballots.append(
                (election, rng.sample(electors, min(turnout, len(electors))), candidates, favourite)
            )

        open_electors = [m for m in _electors(still_open) if m.pk != never_stands.pk]
        open_candidates = _stand(still_open, rng, open_electors, OPEN_ELECTION_CANDIDATES, None)
        endorsement_publish(
            candidacy=open_candidates[0],
            body=endorser,
            statement="For ten years the steadiest organiser at the depot; we urge members to give them a "
            "preference.",
            actor=actor,
        )

        clock.past(nominations_end)
        elections_run_due(actor=actor)  # nominations close, voting opens
        for election, voters, candidates, favourite in ballots:
            _cast(election, rng, voters, candidates, favourite)
        _cast(still_open, rng, rng.sample(open_electors, OPEN_ELECTION_BALLOTS), open_candidates)

        clock.past(voting_end)
        # Voting closes: the bulletins are published, the results declared and the delegates seated.
        elections_run_due(actor=actor)
    declared = list(Election.objects.filter(pk__in=[e.pk for e in completed]).order_by("pk"))
    # Every election was contested and voted in, so each is declared; anything else is a bug in the demo.
    assert all(e.status == ElectionStatus.DECLARED for e in declared), [e.title for e in declared]
    still_open.refresh_from_db()
    return DemoElections(completed=declared, open=still_open)
