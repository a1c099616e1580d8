"""The demo federation's governance, made through the real services.

What it leaves to explore, in the Transport Workers' Federation:

* a tendency, the Rank and File Network, founded with a platform and joined by members of several depots
  (the demo's rank-and-file member is left out of it, free to join or not);
* the weekly wage of each wage band of the roll, set by Congress's adopted motion (moved by a delegate who
  holds no office), so the members' median wage and the cap on officers' pay can be read;
* Congress's office of General Secretary, filled by an election of Congress's delegates, with its pay set
  by Congress's own adopted motion at the members' median wage, within the cap;
* the Strike Fund Committee, an executive Congress establishes by adopting the charter motion that
  states its powers; its decisions, each recorded with the power it used; and one of them called in by
  Congress's delegates and reversed by Congress's vote.

Every council vote here is cast by every delegate on the sitting's roll, so each closes as soon as the last
seat has voted. The General Secretary's election cannot be cut short, so it runs days before seeding on the
elections demo's history clock. Choices and members are drawn from a seeded ``random.Random``, so the same
seed gives the same governance.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commune.audit.services import Actor
from commune.elections.demo import DemoClock, demo_history
from commune.elections.models import Election, ElectionKind, ElectionStatus
from commune.elections.services import (
    Timeline,
    candidacy_nominate,
    election_call,
    elections_run_due,
)
from commune.elections.services.casting import ballot_cast
from commune.federation.models import Body, Delegation, Member, Office, OfficeTerm
from commune.federation.services import office_create
from commune.governance.models import (
    CallIn,
    CallInStatus,
    DecisionStatus,
    Executive,
    ExecutiveDecision,
    ExecutiveKind,
    OfficePay,
    PayStatus,
    Tendency,
    WageBand,
)
from commune.governance.services import (
    call_in_open,
    call_in_settle,
    call_in_sign,
    executive_decision_record,
    executive_propose,
    executive_settle,
    office_pay_propose,
    office_pay_settle,
    pay_cap,
    pay_interest_bar,
    tendency_admit,
    tendency_found,
    tendency_join,
    wage_bands_propose,
    wage_bands_settle,
)
from commune.mandates.services import delegate_vote_cast
from commune.motions.models import Choice, CouncilSession, Motion, MotionStatus, Vote
from commune.motions.services import (
    motion_support,
    motion_vote_open,
    session_open,
    session_roll_sign,
    vote_close,
)

TENDENCY_NAME = "Rank and File Network"
TENDENCY_PLATFORM = (
    "Every delegate mandated by a branch meeting and answerable to it. Every officer paid a driver's wage "
    "and no more. No deal with the employer without a ballot of every member it affects. Solidarity "
    "across depots, grades and contracts: the cleaners' claim is our claim."
)
TENDENCY_JOINERS = 7

#: The weekly wage of each band of the roll (``commune.federation.demo.WAGE_BANDS``).
WAGE_BAND_WEEKLY = {
    "Band 1": Decimal("545.00"),
    "Band 2": Decimal("612.50"),
    "Band 3": Decimal("690.00"),
    "Band 4": Decimal("785.00"),
}

OFFICE_TITLE = "General Secretary"
OFFICER_CANDIDATES = 3
#: The General Secretary's election: called this long before seeding (after the delegate elections of
#: ``commune.elections.demo`` seated Congress), with a day for nominations and a day for voting.
OFFICER_ELECTION_BEFORE = timedelta(days=5)
OFFICER_NOMINATION_DAYS = 1
OFFICER_VOTING_DAYS = 1
#: Congress's sitting is called this long before seeding: its notice, its votes, then the present.
SITTING_CALLED_BEFORE = timedelta(days=2, hours=12)

EXECUTIVE_CODE = "STRIKE-FUND"
EXECUTIVE_NAME = "Strike Fund Committee"
EXECUTIVE_REMIT = (
    "Administer the federation's strike fund during the split-shifts dispute: pay strike pay, make hardship "
    "grants and keep the fund's account, reporting to every sitting of Congress."
)
EXECUTIVE_POWERS = ("pay-strike-pay", "make-hardship-grants", "manage-fund-account")
EXECUTIVE_MEMBERS = 3

#: (power, title, text) of the committee's decisions, in order; the last is called in and reversed.
DECISIONS = (
    (
        "pay-strike-pay",
        "Strike pay of £50 a day from the first day",
        "Every member on strike in the split-shifts dispute is paid £50 for each day of action, from the "
        "first day, on their branch secretary's confirmation.",
    ),
    (
        "make-hardship-grants",
        "Hardship grants for the Croydon cleaners",
        "The contract cleaners at Croydon Fiveways, out in support of the drivers, receive a hardship "
        "grant of £200 each.",
    ),
    (
        "manage-fund-account",
        "Move the strike fund to a twelve-month fixed deposit",
        "The strike fund is placed on a twelve-month fixed-term deposit at the higher rate of interest.",
    ),
)
CALL_IN_REASON = (
    "A fund locked away for twelve months cannot pay strike pay next week. The committee may keep the "
    "account, but not put the fund out of the members' reach in the middle of a dispute."
)
SITTING_TITLE = "Congress: the strike fund and the officers' pay"
COUNCIL_MINUTES = 45
#: Yes, no, abstain: the shares in which Congress's delegates vote on each motion put to them.
CONGRESS_WEIGHTS = (85, 10, 5)


@dataclass(frozen=True)
class DemoGovernance:
    sitting: CouncilSession
    tendency: Tendency
    wage_bands: list[WageBand]
    office: Office
    pay: OfficePay
    executive: Executive
    decisions: list[ExecutiveDecision]
    call_in: CallIn


def _as(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _seats(council: Body) -> list[Delegation]:
    return list(
        Delegation.objects.filter(council=council, ended_at__isnull=True)
        .select_related("member__person", "member__current_unit")
        .order_by("member__number")
    )


def _current_members(organisation_id: int, leave_out: set[int]) -> list[Member]:
    return [
        m
        for m in Member.objects.filter(organisation_id=organisation_id, current_unit__isnull=False)
        .select_related("person")
        .order_by("number")
        if m.pk not in leave_out
    ]


def _tendency(members: Sequence[Member], rng: random.Random) -> Tendency:
    founder, *joiners = rng.sample(list(members), TENDENCY_JOINERS + 1)
    tendency = tendency_found(
        organisation=founder.organisation,
        member=founder,
        name=TENDENCY_NAME,
        platform=TENDENCY_PLATFORM,
        actor=_as(founder),
    )
    for joiner in joiners:
        tendency_join(tendency=tendency, member=joiner, actor=_as(joiner))
        tendency_admit(tendency=tendency, applicant=joiner, member=founder, actor=_as(founder))
    return tendency


def _elect_officer(office: Office, seats: list[Delegation], rng: random.Random) -> Election:
    """Congress's delegates elect the office's holder from among candidates who stand, through the real
    ballot box, on the demo's history clock: called after the delegates were seated, declared days before
    seeding, once every delegate has voted and voting has closed."""
    start = timezone.now().replace(microsecond=0) - OFFICER_ELECTION_BEFORE
    nominations_end = start + timedelta(days=OFFICER_NOMINATION_DAYS)
    voting_end = nominations_end + timedelta(days=OFFICER_VOTING_DAYS)
    with demo_history(start) as clock:
        election = election_call(
            body=office.body,
            kind=ElectionKind.OFFICER,
            office=office,
            timeline=Timeline(start, nominations_end, nominations_end, voting_end),
            actor=_as(seats[0].member),
        )
        elections_run_due()
        standing = rng.sample([s.member for s in seats], OFFICER_CANDIDATES)
        candidacies = [
            candidacy_nominate(
                election=election,
                member=m,
                statement="A driver's wage, a report to every sitting, and recall me if I forget either.",
                actor=_as(m),
            )
            for m in standing
        ]
        clock.past(nominations_end)
        elections_run_due()
        weights = [rng.uniform(1, 3) for _ in candidacies]
        for seat in seats:
            order = sorted(range(len(candidacies)), key=lambda i: -weights[i] * rng.random())
            ballot_cast(
                election_id=election.pk, member=seat.member, ranking=[candidacies[i].pk for i in order]
            )
        clock.past(voting_end)
        elections_run_due()
    election.refresh_from_db()
    assert election.status == ElectionStatus.DECLARED  # every delegate voted: the count cannot fail
    return election


def _put(
    clock: DemoClock, motion: Motion, session: CouncilSession, chair: Member, rng: random.Random
) -> Vote:
    """Support the motion onto the agenda if it needs it, put it to the sitting and have every seat on
    the roll vote, except a seat whose delegate has an interest in the question (an officer on the pay
    cap's basis or their own pay); the vote closes when its time is up. A demo motion Congress rejects is a
    bug."""
    motion.refresh_from_db()
    if motion.status == MotionStatus.PROPOSED:
        motion = motion_support(motion=motion, member=chair, actor=_as(chair))
    vote = motion_vote_open(
        motion=motion,
        member=chair,
        closes_at=timezone.now() + timedelta(minutes=COUNCIL_MINUTES),
        session=session,
        actor=_as(chair),
    )
    barred = pay_interest_bar(vote)
    for entry in session.roll.select_related("attended_by__person").order_by("delegation_id"):
        choice = rng.choices((Choice.YES, Choice.NO, Choice.ABSTAIN), CONGRESS_WEIGHTS)[0]
        if entry.attended_by_id in barred:
            continue
        delegate_vote_cast(vote=vote, member=entry.attended_by, choice=choice, actor=_as(entry.attended_by))
    clock.past(vote.closes_at)
    vote = vote_close(vote=vote, actor=_as(chair))
    assert vote.closed_at is not None and vote.carried, f"Congress did not carry “{motion.title}”"
    return vote


@transaction.atomic
def demo_governance_hold(
    *, congress: Body, secretary: Member, keep: Sequence[Member], rng: random.Random
) -> DemoGovernance:
    """Seed the governance described above. ``secretary`` is the branch secretary, who may not move the
    wage bands; ``keep`` (the demo's sign-ins) neither found nor join the tendency nor sit on the committee."""
    organisation = congress.organisation
    kept = {m.pk for m in keep}
    tendency = _tendency(_current_members(organisation.pk, kept), rng)

    seats = _seats(congress)
    chair, mover = seats[0].member, seats[1].member
    # The wage bands the pay cap is computed from are Congress's to set, moved by a delegate who holds no
    # office (the branch secretary, whose pay the cap bounds, may not).
    officers = set(OfficeTerm.objects.filter(ended_at__isnull=True).values_list("member_id", flat=True))
    bands_mover = next(s.member for s in seats if s.member_id not in officers | {secretary.pk, chair.pk})
    bands = wage_bands_propose(
        organisation=organisation,
        member=bands_mover,
        bands=dict(WAGE_BAND_WEEKLY),
        actor=_as(bands_mover),
    )
    office = office_create(body=congress, title=OFFICE_TITLE, actor=_as(chair))
    _elect_officer(office, seats, rng)

    # Congress is called with the constitution's notice and sits the night before seeding.
    with demo_history(timezone.now().replace(microsecond=0) - SITTING_CALLED_BEFORE) as clock:
        session = session_open(
            council=congress,
            member=chair,
            title=SITTING_TITLE,
            actor=_as(chair),
        )
        clock.past(session.starts_at)
        for seat in seats:
            session_roll_sign(session=session, member=seat.member, actor=_as(seat.member))

        _put(clock, bands.motion, session, chair, rng)
        bands = wage_bands_settle(proposal=bands, actor=_as(chair))
        wage_bands = list(WageBand.objects.filter(organisation=organisation, code__in=list(bands.bands)))

        cap = pay_cap(organisation=organisation)
        pay = office_pay_propose(office=office, member=mover, weekly=cap.median_weekly, actor=_as(mover))
        _put(clock, pay.motion, session, chair, rng)
        pay = office_pay_settle(pay=pay, actor=_as(chair))
        assert pay.status == PayStatus.IN_FORCE

        sitting_on = [
            m for m in rng.sample([s.member for s in seats[2:]], EXECUTIVE_MEMBERS + 2) if m.pk not in kept
        ][:EXECUTIVE_MEMBERS]
        executive = executive_propose(
            council=congress,
            member=mover,
            kind=ExecutiveKind.EXECUTIVE,
            code=EXECUTIVE_CODE,
            name=EXECUTIVE_NAME,
            remit=EXECUTIVE_REMIT,
            powers=EXECUTIVE_POWERS,
            members=sitting_on,
            actor=_as(mover),
        )
        _put(clock, executive.motion, session, chair, rng)
        executive = executive_settle(executive=executive, actor=_as(chair))

        decisions = [
            executive_decision_record(
                executive=executive,
                member=sitting_on[i % len(sitting_on)],
                power=power,
                title=title,
                text=text,
                actor=_as(sitting_on[i % len(sitting_on)]),
            )
            for i, (power, title, text) in enumerate(DECISIONS)
        ]

        callers = [s.member for s in seats if s.member_id not in {m.pk for m in sitting_on}]
        call_in = call_in_open(
            decision=decisions[-1], member=callers[-1], reason=CALL_IN_REASON, actor=_as(callers[-1])
        )
        for signer in reversed(callers[:-1]):
            if call_in.status != CallInStatus.GATHERING:
                break
            call_in = call_in_sign(call_in=call_in, member=signer, actor=_as(signer))
        assert call_in.motion is not None
        _put(clock, call_in.motion, session, chair, rng)
        call_in = call_in_settle(call_in=call_in, actor=_as(chair))
        # The sitting stays open: Congress carries on with its meeting (commune.meetings.demo).
    assert call_in.status == CallInStatus.REVERSED

    for decision in decisions:
        decision.refresh_from_db()
    assert decisions[-1].status == DecisionStatus.REVERSED
    return DemoGovernance(
        tendency=tendency,
        wage_bands=wage_bands,
        office=office,
        pay=pay,
        executive=executive,
        decisions=decisions,
        call_in=call_in,
        sitting=session,
    )
