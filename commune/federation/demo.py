"""The demo federation: a transport workers' federation of about 2,400 members, seeded deterministically.

``demo_plan(seed)`` is pure: it draws depots, people, wage bands, transfers and lapses from a
``random.Random(seed)``, so the same seed always gives the same federation. ``demo_seed`` writes a plan
through the real services — founding, bodies, roll imports, officers, apportionment and seated delegates —
so the demo's provenance log reads like a real organisation's and its chain verifies.

Members are admitted through ``roll_import`` (one import per depot, as a branch secretary would do it),
which records one ``roll.imported`` entry per depot naming every member admitted. Everyone gets the demo
password; it is hashed once and the hash copied, since hashing 2,400 passwords with Argon2 would take
minutes. Every delegate is then elected by their own constituency through the real elections and ballot
box (``commune.elections.demo``), and one election is left open for the demo member to vote in.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from commune.accounts.models import User
from commune.actions.demo import demo_actions_hold
from commune.audit.services import Actor
from commune.dues.demo import DEMO_DUES, demo_dues_hold
from commune.elections.demo import demo_elections_hold
from commune.elections.services import months_after
from commune.federation.constitution import DEFAULT_RULES
from commune.federation.models import Body, BodyKind, Member, Organisation
from commune.federation.roll import roll_import
from commune.federation.services import (
    FederationError,
    body_create,
    member_lapse,
    member_transfer,
    office_create,
    office_fill,
    organisation_found,
)
from commune.governance.demo import demo_governance_hold
from commune.mandates.demo import demo_motions_hold
from commune.meetings.demo import demo_meeting_hold
from commune.membership.demo import demo_membership_hold
from commune.pledges.demo import demo_pledges_hold
from commune.recall.demo import demo_recalls_hold
from commune.structure.demo import demo_structure_hold

DEMO_SLUG = "transport-workers"
DEMO_NAME = "Transport Workers' Federation"
DEMO_PASSWORD = "demo-commune"
DEMO_SEED = 1871
DEMO_CURRENCY = "GBP"
DEMO_ACTOR = Actor(None, "demo seed (commune demo)")
EMAIL_DOMAIN = "transport.example"

PREAMBLE = (
    "We, the workers of the buses, trams and depots, federate as equals. Power in this federation is held "
    "by the members of each depot, who send mandated delegates to the district councils and to Congress, "
    "and who may recall any delegate or officer at any time. No body may appoint a delegate, impose a "
    "candidate or dissolve a tendency, and every act of this federation is recorded for all to see."
)

# (code, council name, depots) — four depots per district.
DISTRICTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("NORTH", "North District Council", ("Holloway", "Tottenham Hale", "Edmonton Green", "Highgate Hill")),
    (
        "CENTRAL",
        "Central District Council",
        ("King's Cross", "Camden Town", "Victoria Yard", "Waterloo Road"),
    ),
    ("SOUTH", "South District Council", ("Brixton", "Peckham Rye", "Croydon Fiveways", "Streatham Hill")),
)
CONGRESS_MEMBERS_PER_SEAT = 60
DISTRICT_SEATS = 15
WAGE_BANDS = ("Band 1", "Band 2", "Band 3", "Band 4")
WAGE_BAND_WEIGHTS = (30, 40, 20, 10)
DEPOT_SIZE = (150, 250)
TRANSFERS = 6
LAPSES = 8


def officer_term(today: date) -> tuple[date, date, str]:
    """The branch officers' year of office, from the first of this month, and the election that filled it
    (last month's): measured from the day the demo is seeded, so it is under way whenever that is."""
    start = today.replace(day=1)
    elected_in = start - timedelta(days=1)
    return start, months_after(start, 12), f"Branch officer election, {elected_in:%B %Y}"


def _words(text: str) -> tuple[str, ...]:
    """Name lists are written as running text so they stay readable."""
    return tuple(text.split())


FIRST_NAMES = _words(
    "Aisha Alan Alice Amir Ana Andrew Angela Anil Barbara Ben Bilal Bridget Carlos Catherine Chen Chloe "
    "Connor Daniel Deborah Deepa Dennis Dmitri Eileen Elena Emeka Emma Farah Fatima Femi Fiona Frank "
    "Gareth Grace Hannah Harpreet Hassan Helen Ian Imran Irene Jack James Jamal Jane Joan John Joseph "
    "Kate Kwame Laura Leon Liam Lucy Maria Mark Marta Mary Mei Michael Mohammed Nadia Neil Nia Niamh "
    "Olu Omar Patrick Paul Priya Rachel Rajesh Rebecca Ricardo Rosa Ruth Sadia Samuel Sarah Sean Shirley "
    "Simon Sofia Stefan Susan Tariq Teresa Thomas Tom Tunde Vera Wei Yusuf Zainab Zofia"
)
LAST_NAMES = _words(
    "Abbott Adeyemi Ahmed Ali Allen Andersen Baker Banerjee Barnes Bell Boateng Brennan Brown Campbell "
    "Carter Chaudhry Clarke Collins Costa Cooper Davies Dias Doyle Edwards Evans Fernandes Fischer Flynn "
    "Garcia Gill Green Hall Harris Hughes Hussain Iqbal Jackson James Johnson Jones Kaur Kelly Khan "
    "Kowalski Kumar Lewis Lopez Martin Mensah Mitchell Moore Morgan Murphy Nelson Nowak Obi O'Brien "
    "Okafor Oliveira Owusu Patel Phillips Price Quinn Rahman Reid Roberts Robinson Rossi Santos Scott "
    "Shah Singh Smith Sullivan Taylor Thomas Thompson Turner Walker Walsh Ward Watson White Williams "
    "Wilson Wood Wright Yilmaz Young Zhang"
)


@dataclass(frozen=True)
class DemoPerson:
    number: str
    name: str
    email: str
    wage_band: str


@dataclass(frozen=True)
class DemoDepot:
    code: str
    name: str
    district: str
    members: tuple[DemoPerson, ...]


@dataclass(frozen=True)
class DemoSignIn:
    role: str
    name: str
    email: str
    password: str


@dataclass(frozen=True)
class DemoPlan:
    """Everything random about the demo, drawn once from the seed."""

    seed: int
    depots: tuple[DemoDepot, ...]
    transfers: tuple[tuple[str, str], ...]  # (member number, code of the depot they move to)
    lapses: tuple[str, ...]  # member numbers

    @property
    def member_count(self) -> int:
        return sum(len(d.members) for d in self.depots)


# The first members of the first depot are the demo's sign-ins; the first four of every depot are kept
# out of transfers and lapses because they hold its offices.
SIGN_IN_ROLES = (
    ("rank-and-file member", "member"),
    ("branch secretary (manages the roll)", "secretary"),
    ("congress delegate", "delegate"),
)
STABLE_PER_DEPOT = 4
SCRUTINEER_EMAIL = "scrutineer@ballot-services.example"
SCRUTINEER_NAME = "Ruth Okafor (Independent Ballot Services)"


def _email_part(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def demo_plan(seed: int = DEMO_SEED) -> DemoPlan:
    """The demo federation's people and history for ``seed`` (pure: no database, same seed, same plan)."""
    rng = random.Random(seed)
    depots: list[DemoDepot] = []
    number = 0
    for district, _, names in DISTRICTS:
        for depot_name in names:
            people = []
            for _ in range(rng.randint(*DEPOT_SIZE)):
                number += 1
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                people.append(
                    DemoPerson(
                        number=f"TWF{number:05d}",
                        name=f"{first} {last}",
                        email=f"{_email_part(first)}.{_email_part(last)}.{number}@{EMAIL_DOMAIN}",
                        wage_band=rng.choices(WAGE_BANDS, WAGE_BAND_WEIGHTS)[0],
                    )
                )
            depots.append(
                DemoDepot(
                    code=f"DEPOT-{len(depots) + 1:02d}",
                    name=f"{depot_name} Depot",
                    district=district,
                    members=tuple(people),
                )
            )
    for (_, alias), i in zip(SIGN_IN_ROLES, range(len(SIGN_IN_ROLES)), strict=True):
        person = depots[0].members[i]
        first_depot = list(depots[0].members)
        first_depot[i] = DemoPerson(person.number, person.name, f"{alias}@{EMAIL_DOMAIN}", person.wage_band)
        depots[0] = DemoDepot(depots[0].code, depots[0].name, depots[0].district, tuple(first_depot))
    movable = [(d.code, p.number) for d in depots for p in d.members[STABLE_PER_DEPOT:]]
    chosen = rng.sample(movable, TRANSFERS + LAPSES)
    codes = [d.code for d in depots]
    transfers = tuple(
        (number, rng.choice([c for c in codes if c != from_code])) for from_code, number in chosen[:TRANSFERS]
    )
    lapses = tuple(number for _, number in chosen[TRANSFERS:])
    return DemoPlan(seed=seed, depots=tuple(depots), transfers=transfers, lapses=lapses)


def demo_is_seeded() -> bool:
    return Organisation.objects.filter(slug=DEMO_SLUG).exists()


def demo_sign_ins() -> list[DemoSignIn]:
    """The demo's members' sign-ins, as seeded (names read back from the database)."""
    names = dict(
        User.objects.filter(email__in=[f"{a}@{EMAIL_DOMAIN}" for _, a in SIGN_IN_ROLES]).values_list(
            "email", "name"
        )
    )
    return [
        DemoSignIn(role, names.get(f"{alias}@{EMAIL_DOMAIN}", "?"), f"{alias}@{EMAIL_DOMAIN}", DEMO_PASSWORD)
        for role, alias in SIGN_IN_ROLES
    ]


def demo_scrutineer_sign_in() -> DemoSignIn:
    """The strike ballot's independent scrutineer, who is not a member and reads its report only."""
    return DemoSignIn(
        "independent scrutineer (strike ballot)", SCRUTINEER_NAME, SCRUTINEER_EMAIL, DEMO_PASSWORD
    )


def _scrutineer(password: str) -> User:
    """The strike ballot's independent scrutineer: an account, not a member of the federation."""
    return User.objects.create_user(email=SCRUTINEER_EMAIL, password=password, name=SCRUTINEER_NAME)


def _roll_csv(depot: DemoDepot) -> str:
    lines = ["number,name,email,wage_band"]
    lines += [f"{p.number},{p.name},{p.email},{p.wage_band}" for p in depot.members]
    return "\n".join(lines) + "\n"


def demo_seed(*, plan: DemoPlan | None = None, password: str = DEMO_PASSWORD) -> Organisation:
    """Found the demo federation from ``plan`` (default: ``demo_plan()``), with every seat filled.

    The seed's history notifies thousands of fictional members. Their notifications are kept in the app;
    their mail is discarded: it would only bury what the operator needs (the sign-ins), and writing out
    some 13,000 messages took about a fifth of the seed's time. Mail goes when the seed commits, so the
    mail backend is swapped around the whole transaction (a caller's own transaction, if it holds one,
    commits later: its mail then goes by the backend in force)."""
    mail_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    try:
        return _demo_seed(plan=plan or demo_plan(), password=password)
    finally:
        settings.EMAIL_BACKEND = mail_backend


@transaction.atomic
def _demo_seed(*, plan: DemoPlan, password: str) -> Organisation:
    if demo_is_seeded():
        raise FederationError("the demo federation is already there (reset the demo to seed it again)")
    org = organisation_found(
        name=DEMO_NAME,
        slug=DEMO_SLUG,
        currency=DEMO_CURRENCY,
        rules={**DEFAULT_RULES, "preamble": PREAMBLE, "dues": DEMO_DUES},
        actor=DEMO_ACTOR,
    )
    congress = body_create(
        organisation=org,
        kind=BodyKind.COUNCIL,
        code="CONGRESS",
        name="Congress",
        members_per_seat=CONGRESS_MEMBERS_PER_SEAT,
        actor=DEMO_ACTOR,
    )
    districts = {
        code: body_create(
            organisation=org,
            kind=BodyKind.COUNCIL,
            code=code,
            name=name,
            parent=congress,
            seats_fixed=DISTRICT_SEATS,
            actor=DEMO_ACTOR,
        )
        for code, name, _ in DISTRICTS
    }
    depots: dict[str, Body] = {}
    for depot in plan.depots:
        unit = body_create(
            organisation=org,
            kind=BodyKind.UNIT,
            code=depot.code,
            name=depot.name,
            parent=districts[depot.district],
            unit_type="depot",
            actor=DEMO_ACTOR,
        )
        depots[depot.code] = unit
        report = roll_import(unit=unit, csv_text=_roll_csv(depot), dry_run=False, actor=DEMO_ACTOR)
        if not report.ok:  # the plan is generated, so this is a bug in the plan, not in any input
            raise FederationError(f"demo roll of {depot.code} is invalid: {report.errors[0]}")
    User.objects.filter(members__organisation=org).update(password=make_password(password))

    members = {m.number: m for m in Member.objects.filter(organisation=org)}
    for number, to_code in plan.transfers:
        member_transfer(member=members[number], to_unit=depots[to_code], actor=DEMO_ACTOR)
    for number in plan.lapses:
        member_lapse(member=members[number], reason="dues unpaid for three months", actor=DEMO_ACTOR)

    term_start, term_end, elected_by = officer_term(timezone.localdate())
    secretaries: list[Member] = []
    for depot in plan.depots:
        unit = depots[depot.code]
        secretary = office_create(body=unit, title="Branch Secretary", manages_roll=True, actor=DEMO_ACTOR)
        treasurer = office_create(body=unit, title="Treasurer", actor=DEMO_ACTOR)
        secretaries.append(members[depot.members[1].number])
        for office, person in ((secretary, depot.members[1]), (treasurer, depot.members[3])):
            office_fill(
                office=office,
                member=members[person.number],
                term_start=term_start,
                term_end=term_end,
                source=elected_by,
                actor=DEMO_ACTOR,
            )

    first_depot = plan.depots[0]
    demo_elections_hold(
        councils=[*districts.values(), congress],
        open_in=depots[first_depot.code],
        endorser=districts[first_depot.district],
        rng=random.Random(plan.seed + 1),
        must_win={first_depot.district: members[first_depot.members[2].number]},
        never_stands=members[first_depot.members[0].number],
        actor=DEMO_ACTOR,
    )
    # Motions, sessions and mandates run on the seated delegates. The recall demo builds on what this
    # returns: the delegate who departed from their depot's mandate.
    motions = demo_motions_hold(
        depot=depots[first_depot.code],
        member=members[first_depot.members[0].number],
        mover=members[first_depot.members[1].number],
        rng=random.Random(plan.seed + 2),
        scrutineer_email=_scrutineer(password).email,
    )
    # Recall: a petition half-way against the first depot's delegate, and a recall in another district
    # carried by ballot and filled by countback (in its smallest depot: every elector votes there).
    elsewhere = min(
        (d for d in plan.depots if d.district != first_depot.district), key=lambda d: (len(d.members), d.code)
    )
    demo_recalls_hold(
        depot=depots[first_depot.code],
        elsewhere=depots[elsewhere.code],
        member=members[first_depot.members[0].number],
        keep=[members[p.number] for p in first_depot.members[1 : len(SIGN_IN_ROLES)]],
        rng=random.Random(plan.seed + 3),
    )
    # Governance: a tendency, the wage bands and an officer's pay within the cap, and an executive of
    # Congress with its decisions, one called in and reversed by Congress.
    governance = demo_governance_hold(
        congress=congress,
        secretary=members[first_depot.members[1].number],
        keep=[members[p.number] for p in first_depot.members[: len(SIGN_IN_ROLES)]],
        rng=random.Random(plan.seed + 4),
    )
    # Pledges: the district that adopted the strike motion launches a pledge campaign on it, met in two
    # of its depots and half-way in the other two (the demo member's among them).
    demo_pledges_hold(
        motion=motions.line[1],
        first_depot_code=first_depot.code,
        keep=[members[p.number] for p in first_depot.members[: len(SIGN_IN_ROLES)]],
        rng=random.Random(plan.seed + 5),
    )
    # Congress in session now: its chair, its speakers, and the vote the demo's delegate has yet to cast.
    demo_meeting_hold(
        sitting=governance.sitting,
        delegate=members[first_depot.members[2].number],
        rng=random.Random(plan.seed + 5),
    )
    # Structure: a newly organised depot added by the last district's council, its seats reapportioned.
    demo_structure_hold(district=districts[DISTRICTS[-1][0]], rng=random.Random(plan.seed + 6))
    # Collective action: Congress calls the strike the membership carried by referendum, three depots'
    # assemblies endorse it, and the first depot's secretary puts a picket with shifts on the calendar.
    demo_actions_hold(
        congress=congress,
        authority=motions.line[-1],
        depots=[depots[d.code] for d in plan.depots if d.district == first_depot.district],
        secretary=members[first_depot.members[1].number],
        keep=[members[p.number] for p in first_depot.members[: len(SIGN_IN_ROLES)]],
        rng=random.Random(plan.seed + 7),
    )
    # Dues: arrears brought forward from the depots' paper ledgers, a payroll file, a hardship exemption
    # and notices of lapsing for those furthest behind.
    demo_dues_hold(
        depots=[depots[d.code] for d in plan.depots],
        secretaries=secretaries,
        keep=[members[p.number] for p in first_depot.members[: len(SIGN_IN_ROLES)]],
        rng=random.Random(plan.seed + 5),
    )
    # Joining and moving: applications and a request to move waiting for the first depot's secretary.
    neighbour = next(d for d in plan.depots[1:] if d.district == first_depot.district)
    demo_membership_hold(depot=depots[first_depot.code], neighbour=depots[neighbour.code])
    return org
