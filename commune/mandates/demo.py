"""The demo federation's motions, council sessions and mandates, made through the real services.

What it leaves to explore, in the Transport Workers' Federation:

* a motion moved in the first depot, adopted there by secret ballot and forwarded to its district
  council, amended and adopted there in session, and forwarded on to Congress; Congress refers it to the
  whole membership as a statutory industrial-action ballot (a strike, and action short of a strike), held
  on paper and online together and counted under the Trade Union Act preset, with its papers reconciled,
  the scrutineer's report and the notice of the result (``commune.motions.demo``; the motion's page shows
  every step of that line, with each vote's figures);
* in the district's session, the depot's delegates are under an *instructed* mandate their depot adopted by
  its own vote, and one of them departs from it, giving a reason: the depot's members are notified, and
  the departure stands in that delegate's compliance record; another depot's delegates are *bound*, and
  the district's delegates to Congress are bound by the district's mandate;
* an absent district delegate's seat taken by the alternate their election declared;
* in the first depot, a motion still gathering supporters and one whose secret ballot is open for a week,
  which the demo's rank-and-file member has not yet voted in.

The services never let a vote be cut short (nobody may), so rather than wait out each vote the history runs
on its own clock: it starts two days before seeding and is moved on past each vote's closing time, ending
before the present; only the depot's open ballot closes in the real future. The provenance log keeps the
true time of each entry. Turnouts are sampled from a seeded ``random.Random``, so the same seed gives the
same history; casting a few thousand ballots keeps seeding to seconds.

``demo_motions_hold`` returns the delegate who departed: recall (a petition against them half-way, a
completed recall filled by countback) is seeded from there.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from commune.audit.services import Actor
from commune.elections.models import Candidacy, CandidacyOutcome
from commune.federation.models import Body, Delegation, Member
from commune.mandates.models import Mandate
from commune.mandates.selectors import mandate_in_force
from commune.mandates.services import delegate_vote_cast, mandate_decide, mandate_propose
from commune.motions.demo import demo_statutory_ballot_cast, demo_statutory_terms
from commune.motions.models import (
    Choice,
    CouncilSession,
    DelegateVote,
    Motion,
    Referral,
    ReferralKind,
    RollEntry,
    Vote,
    VoteElector,
)
from commune.motions.services import (
    amendment_propose,
    amendment_vote_open,
    assembly_vote_cast,
    motion_forward,
    motion_move,
    motion_refer_vote_open,
    motion_support,
    motion_vote_open,
    session_close,
    session_open,
    session_roll_sign,
    vote_close,
)

HISTORY_STARTS_BEFORE = timedelta(days=6)  # two sittings, each called with the constitution's notice
ASSEMBLY_HOURS = 3
COUNCIL_MINUTES = 45
REFERENDUM_HOURS = 20
OPEN_BALLOT_DAYS = 7
#: Shares of the electorate whose votes the demo casts.
DEPOT_TURNOUT = 0.55

STRIKE_TITLE = "Strike against split shifts"
# Short enough that the referendum's question (title and text) fits a vote's question in full.
STRIKE_TEXT = (
    "Ballot every member for strike action until split shifts are abolished on every route.\n"
    "Open a hardship fund for members who lose pay."
)
STRIKE_AMENDED = (
    "Ballot every member for discontinuous strike action until split shifts are abolished on every bus "
    "and tram route.\n"
    "Open a hardship fund, paying from the first day, for members who lose pay."
)
TIMETABLE_TITLE = "Accept the revised summer timetable"
TIMETABLE_TEXT = (
    "The district accepts the employer's revised summer timetable, with its longer running times, "
    "from the first of June."
)
DEPARTURE_REASON = (
    "The employer withdrew the split-shift duties overnight, which was the depot's whole objection; "
    "the longer running times are what we asked for. I will answer for this at the next branch meeting."
)


@dataclass(frozen=True)
class DemoMotions:
    line: list[Motion]  # the strike motion in the depot, the district and Congress
    referral: Referral
    departure: DelegateVote
    open_ballot: Vote


class _Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def past(self, moment: datetime) -> None:
        self.now = max(self.now, moment) + timedelta(seconds=1)

    def later(self, **delta: float) -> datetime:
        return self.now + timedelta(**delta)


@contextmanager
def history_clock(start: datetime) -> Iterator[_Clock]:
    """Run the demo's history on its own clock from ``start``, moved on by ``past`` (the pledges demo
    runs its campaign's days on it too)."""
    clock = _Clock(start)
    real_now = timezone.now
    timezone.now = lambda: clock.now
    try:
        yield clock
    finally:
        timezone.now = real_now


def _electors(vote: Vote) -> list[Member]:
    return list(
        Member.objects.filter(pk__in=VoteElector.objects.filter(vote=vote).values("member_id")).order_by(
            "number"
        )
    )


def _assembly(
    vote: Vote, rng: random.Random, turnout: float, weights: tuple[int, int, int], skip: Sequence[Member] = ()
) -> None:
    """Cast a sampled share of the electorate's votes: yes, no, abstain in the given proportions."""
    skipped = {m.pk for m in skip}
    electors = [m for m in _electors(vote) if m.pk not in skipped]
    for member in rng.sample(electors, round(len(electors) * turnout)):
        choice = rng.choices((Choice.YES, Choice.NO, Choice.ABSTAIN), weights)[0]
        assembly_vote_cast(vote=vote, member=member, choice=choice)


def _count(vote: Vote, clock: _Clock) -> Vote:
    clock.past(vote.closes_at)
    return vote_close(vote=vote)


def _decide(mandate: Mandate, clock: _Clock) -> Mandate:
    clock.past(mandate.vote.closes_at)
    return mandate_decide(mandate=mandate)


def _seats(council: Body) -> list[Delegation]:
    return list(
        Delegation.objects.filter(council=council, ended_at__isnull=True)
        .select_related("member__person", "constituency")
        .order_by("constituency__code", "member__number")
    )


def _standing_in(seats: list[Delegation]) -> tuple[Delegation, Member] | None:
    """A seat whose election declared an alternate still in its constituency and holding no seat on the
    same council: that delegate is absent from the demo's sitting and the alternate takes the seat."""
    seated = {s.member_id for s in seats}
    for seat in seats:
        elected = getattr(seat, "elected_by", None)
        if elected is None:
            continue
        for candidacy in (
            Candidacy.objects.filter(election_id=elected.election_id, outcome=CandidacyOutcome.ALTERNATE)
            .select_related("member__current_unit")
            .order_by("alternate_rank")
        ):
            unit = candidacy.member.current_unit
            if (
                candidacy.member_id not in seated
                and unit is not None
                and unit.path.startswith(seat.constituency.path)
            ):
                return seat, candidacy.member
    return None


def _sit(
    council: Body,
    title: str,
    seats: list[Delegation],
    alternate: tuple[Delegation, Member] | None,
    clock: _Clock,
) -> CouncilSession:
    """The council is called with the constitution's notice, and sits once it has passed."""
    session = session_open(council=council, member=seats[0].member, title=title, actor=_as(seats[0].member))
    clock.past(session.starts_at)
    for seat in seats:
        if alternate is not None and seat.pk == alternate[0].pk:
            continue
        session_roll_sign(session=session, member=seat.member, actor=_as(seat.member))
    if alternate is not None:
        session_roll_sign(session=session, member=alternate[1], actor=_as(alternate[1]))
    return session


def _present(session: CouncilSession) -> list[RollEntry]:
    return list(session.roll.select_related("attended_by__person", "delegation").order_by("delegation_id"))


def _as(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _council_votes(
    vote: Vote,
    session: CouncilSession,
    rng: random.Random,
    weights: tuple[int, int, int],
    overrides: dict[int, tuple[str, str]],
    clock: _Clock,
) -> Vote:
    """Every seat on the roll votes: as ``overrides`` says (member id → choice and reason), else as its
    constituency's mandate instructs, else by ``weights``. The vote closes when its time is up."""
    for entry in _present(session):
        choice, reason = overrides.get(entry.attended_by_id, ("", ""))
        if not choice:
            assert entry.delegation is not None  # a council's roll
            mandate = mandate_in_force(
                constituency_id=entry.delegation.constituency_id, motion_id=vote.motion_id
            )
            choice = (
                mandate.instruction
                if mandate is not None and mandate.instruction
                else rng.choices((Choice.YES, Choice.NO, Choice.ABSTAIN), weights)[0]
            )
        delegate_vote_cast(
            vote=vote, member=entry.attended_by, choice=choice, reason=reason, actor=_as(entry.attended_by)
        )
    clock.past(vote.closes_at)
    return vote_close(vote=vote)


@transaction.atomic
def demo_motions_hold(
    *, depot: Body, member: Member, mover: Member, rng: random.Random, scrutineer_email: str
) -> DemoMotions:
    """Seed the motions' history described above. ``depot`` is the first depot, ``member`` the demo's
    rank-and-file member there (left with a ballot to cast), ``mover`` the depot member who moves the
    strike motion (its branch secretary); ``scrutineer_email`` names the strike ballot's independent
    scrutineer's account."""
    district = depot.parent
    assert district is not None and district.parent is not None  # the demo's depots sit under districts
    congress = district.parent
    start = timezone.now().replace(microsecond=0) - HISTORY_STARTS_BEFORE
    with history_clock(start) as clock:
        depot_members = list(
            Member.objects.filter(current_unit=depot).select_related("person").order_by("number")
        )
        others = [m for m in depot_members if m.pk not in (member.pk, mover.pk)]

        strike = motion_move(
            body=depot,
            member=mover,
            title=STRIKE_TITLE,
            text=STRIKE_TEXT,
            industrial_action=True,
            actor=_as(mover),
        )
        motion_support(motion=strike, member=others[0], actor=_as(others[0]))
        adopt = motion_vote_open(
            motion=strike, member=mover, closes_at=clock.later(hours=ASSEMBLY_HOURS), actor=_as(mover)
        )
        _assembly(adopt, rng, DEPOT_TURNOUT, (78, 15, 7))
        _count(adopt, clock)
        at_district = motion_forward(motion=strike, member=mover, actor=_as(mover))

        # The district's own item, and the depots' mandates on it, by their members' votes.
        district_seats = _seats(district)
        by_depot: dict[int, list[Delegation]] = {}
        for seat in district_seats:
            by_depot.setdefault(seat.constituency_id, []).append(seat)
        depot_seats = by_depot[depot.pk]
        other_depot = next(
            c for c in sorted(by_depot, key=lambda pk: by_depot[pk][0].constituency.code) if c != depot.pk
        )
        timetable_mover = by_depot[other_depot][0].member
        timetable = motion_move(
            body=district,
            member=timetable_mover,
            title=TIMETABLE_TITLE,
            text=TIMETABLE_TEXT,
            actor=_as(timetable_mover),
        )
        seconder = next(s.member for s in district_seats if s.member_id != timetable_mover.pk)
        motion_support(motion=timetable, member=seconder, actor=_as(seconder))
        instructed = mandate_propose(
            constituency=depot,
            motion=timetable,
            member=others[1],
            kind="instructed",
            instruction=Choice.NO,
            note="No to the timetable while it keeps split shifts.",
            closes_at=clock.later(hours=ASSEMBLY_HOURS),
            actor=_as(others[1]),
        )
        _assembly(instructed.vote, rng, DEPOT_TURNOUT, (80, 14, 6))
        bound_depot = by_depot[other_depot][0].constituency
        proposer = Member.objects.filter(current_unit=bound_depot).order_by("number").first()
        assert proposer is not None
        binding = mandate_propose(
            constituency=bound_depot,
            motion=timetable,
            member=proposer,
            kind="binding",
            instruction=Choice.YES,
            closes_at=clock.later(hours=ASSEMBLY_HOURS),
            actor=_as(proposer),
        )
        _assembly(binding.vote, rng, 0.3, (85, 10, 5))
        _decide(instructed, clock)
        _decide(binding, clock)

        # The district sits: one delegate absent, their alternate in the seat.
        alternate = _standing_in(
            [s for s in district_seats if s.constituency_id not in (depot.pk, other_depot)]
        )
        sitting = _sit(district, f"{district.name}: monthly sitting", district_seats, alternate, clock)
        proposer_seat = district_seats[-1].member
        amendment = amendment_propose(
            motion=at_district,
            member=proposer_seat,
            text=STRIKE_AMENDED,
            reason="Discontinuous action costs members less, and the hardship fund must pay from day one.",
            actor=_as(proposer_seat),
        )
        _council_votes(
            amendment_vote_open(
                amendment=amendment,
                member=proposer_seat,
                closes_at=clock.later(minutes=COUNCIL_MINUTES),
                session=sitting,
                actor=_as(proposer_seat),
            ),
            sitting,
            rng,
            (80, 15, 5),
            {},
            clock=clock,
        )
        _council_votes(
            motion_vote_open(
                motion=at_district,
                member=proposer_seat,
                closes_at=clock.later(minutes=COUNCIL_MINUTES),
                session=sitting,
                actor=_as(proposer_seat),
            ),
            sitting,
            rng,
            (85, 10, 5),
            {},
            clock=clock,
        )
        departing = depot_seats[0].member
        overrides: dict[int, tuple[str, str]] = {s.member_id: (Choice.NO, "") for s in depot_seats}
        overrides[departing.pk] = (Choice.YES, DEPARTURE_REASON)
        for seat in by_depot[other_depot]:
            overrides[seat.member_id] = (Choice.YES, "")
        timetable_vote = motion_vote_open(
            motion=timetable,
            member=timetable_mover,
            closes_at=clock.later(minutes=COUNCIL_MINUTES),
            session=sitting,
            actor=_as(timetable_mover),
        )
        _council_votes(timetable_vote, sitting, rng, (50, 40, 10), overrides, clock=clock)
        at_congress = motion_forward(motion=at_district, member=proposer_seat, actor=_as(proposer_seat))
        district_mandate = mandate_propose(
            constituency=district,
            motion=at_congress,
            member=proposer_seat,
            kind="binding",
            instruction=Choice.YES,
            note="Carry the district's call to Congress.",
            closes_at=clock.later(minutes=COUNCIL_MINUTES),
            session=sitting,
            actor=_as(proposer_seat),
        )
        for entry in _present(sitting):
            delegate_vote_cast(
                vote=district_mandate.vote,
                member=entry.attended_by,
                choice=Choice.YES,
                actor=_as(entry.attended_by),
            )
        _decide(district_mandate, clock)
        session_close(session=sitting, member=proposer_seat, actor=_as(proposer_seat))

        # Congress sits and refers the question to the membership.
        congress_seats = _seats(congress)
        congress_sitting = _sit(
            congress, "Congress: special sitting on split shifts", congress_seats, None, clock
        )
        chair = congress_seats[0].member
        refer = motion_refer_vote_open(
            motion=at_congress,
            member=chair,
            session=congress_sitting,
            kind=ReferralKind.REFERENDUM,
            closes_at=clock.later(minutes=COUNCIL_MINUTES),
            referral_closes_at=clock.later(hours=REFERENDUM_HOURS),
            statutory=demo_statutory_terms(tellers=others[5:8], scrutineer_email=scrutineer_email),
            actor=_as(chair),
        )
        _council_votes(refer, congress_sitting, rng, (75, 20, 5), {}, clock=clock)
        session_close(session=congress_sitting, member=chair, actor=_as(chair))
        referral = Referral.objects.get(decided_by=refer)
        # The membership votes on paper and online, and both questions are counted.
        demo_statutory_ballot_cast(referral=referral, rng=rng, skip=[member])
        for referendum in Vote.objects.filter(referral=referral).order_by("pk"):
            _count(referendum, clock)
        referral.refresh_from_db()

        # Still open in the depot: a ballot for the demo member, and a motion seeking supporters.
        canteen = motion_move(
            body=depot,
            member=others[2],
            title="Reopen the night canteen",
            text="The branch asks the employer to reopen the depot canteen for the night shift, staffed by directly employed workers.",
            actor=_as(others[2]),
        )
        motion_support(motion=canteen, member=others[3], actor=_as(others[3]))
        open_ballot = motion_vote_open(
            motion=canteen,
            member=others[2],
            closes_at=start + HISTORY_STARTS_BEFORE + timedelta(days=OPEN_BALLOT_DAYS),
            actor=_as(others[2]),
        )
        _assembly(open_ballot, rng, 0.2, (70, 20, 10), skip=[member])
        motion_move(
            body=depot,
            member=others[4],
            title="Affiliate to the climate jobs campaign",
            text="The branch affiliates to the campaign for a million climate jobs and sends two delegates to its conference.",
            actor=_as(others[4]),
        )
    departure = DelegateVote.objects.get(vote=timetable_vote, cast_by=departing)
    return DemoMotions(
        line=[strike, at_district, at_congress],
        referral=referral,
        departure=departure,
        open_ballot=open_ballot,
    )
