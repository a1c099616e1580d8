"""A small federation whose council seats were all won in real elections, and a council decision on a
motion that started in a unit: the material every provenance, health and scenario test reads.

Congress → District 0, District 1 → two units each, five members a unit (m1–m5 in D0-U0, m6–m10 in
D0-U1, m11–m15 in D1-U0, m16–m20 in D1-U1). D0-U0 elects m4 and D0-U1 elects m7 to District 0 by secret
ballot; m1 moves a motion in D0-U0, its assembly adopts it by open vote, it is forwarded to District 0,
whose session votes on it with each delegate on the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.test import Client

from commune.accounts.models import User
from commune.accounts.services import api_token_create
from commune.audit.services import Actor
from commune.elections.models import Candidacy, Election, ElectionKind
from commune.elections.services import Timeline, candidacy_nominate, election_call, elections_run_due
from commune.elections.services.casting import ballot_cast
from commune.federation.models import Body, Member
from tests.clock import Clock, current_term, let_vote_run, wait_for_session
from tests.conftest import SmallFederation, federation_build, federation_keys, federation_load
from tests.snapshots import kept_or_built


class Api:
    """A client speaking as one person, with their bearer token."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api{path}", **self.headers)

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(f"/api{path}", data or {}, content_type="application/json", **self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api{path}", **self.headers)


@dataclass
class ElectedFederation:
    small: SmallFederation
    clock: Clock
    elections: dict[str, Election] = field(default_factory=dict)
    _apis: dict[int, Api] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.small.org.slug

    def m(self, n: int) -> Member:
        return self.small.members[f"m{n}"]

    def api(self, n: int) -> Api:
        if n not in self._apis:
            self._apis[n] = Api(self.m(n).person)
        return self._apis[n]

    def body(self, code: str) -> Body:
        return Body.objects.get(organisation=self.small.org, code=code)


def elect(
    fed: ElectedFederation, constituency: Body, candidates: list[int], ballots: dict[int, list[int]]
) -> Election:
    """Elect the constituency's delegates to its council through the real ballot box: ``ballots`` maps a
    voter to the candidates they rank (by member number), first preference first. Installed on declaring."""
    clock = fed.clock
    day = timedelta(days=1)
    start = clock.now
    election = election_call(
        body=constituency,
        kind=ElectionKind.DELEGATES,
        timeline=Timeline(start, start + day, start + day, start + 2 * day),
        term_start=(start + 2 * day).date(),
        actor=Actor(None, "test"),
    )
    elections_run_due()
    by_number: dict[int, int] = {}
    for n in candidates:
        candidacy: Candidacy = candidacy_nominate(
            election=election, member=fed.m(n), statement=f"I stand: m{n}", actor=Actor.of(fed.m(n).person)
        )
        by_number[n] = candidacy.pk
    clock.now = start + day + timedelta(seconds=1)
    elections_run_due()
    for voter, ranking in ballots.items():
        ballot_cast(election_id=election.pk, member=fed.m(voter), ranking=[by_number[n] for n in ranking])
    clock.now = start + 2 * day + timedelta(seconds=1)
    elections_run_due()
    election.refresh_from_db()
    return election


def build_elected_federation(clock: Clock, slug: str = "pv") -> ElectedFederation:
    """Built through the services once per run, like ``build_federation``; a later test gets its rows
    back (``tests/snapshots.py``) and its ``clock`` moved on as far as the elections moved it."""
    started = clock.now

    def build() -> ElectedFederation:
        # Built afresh, not put back: a snapshot's rows must all be written by its own build.
        fed = ElectedFederation(small=federation_build(2, 5, slug, current_term()), clock=clock)
        u00, u01 = fed.small.units[0], fed.small.units[1]
        fed.elections["D0-U0"] = elect(fed, u00, [4, 5, 1], {1: [4, 5], 2: [4], 3: [5, 4], 4: [4], 5: [1]})
        fed.elections["D0-U1"] = elect(fed, u01, [7, 8, 9], {6: [7], 7: [7, 8], 8: [8], 9: [7], 10: [9]})
        return fed

    def keys_of(fed: ElectedFederation) -> dict[str, Any]:
        return {
            "small": federation_keys(fed.small),
            "elections": {code: election.pk for code, election in fed.elections.items()},
            "moved": clock.now - started,
        }

    def load(keys: dict[str, Any]) -> ElectedFederation:
        clock.now += keys["moved"]
        elections = Election.objects.in_bulk(keys["elections"].values())
        return ElectedFederation(
            small=federation_load(keys["small"]),
            clock=clock,
            elections={code: elections[pk] for code, pk in keys["elections"].items()},
        )

    key = ("elected", slug, current_term(), settings.LOG_SIGNING_KEY)
    return kept_or_built(key, build, keys_of, load)


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.json()
    return dict(response.json())


@dataclass(frozen=True)
class CouncilDecision:
    unit_motion: int
    unit_vote: int
    council_motion: int
    session: int
    council_vote: int


def decide_forwarded_motion(fed: ElectedFederation) -> CouncilDecision:
    """m1 moves a motion in D0-U0 (m2 supports); the unit adopts it by secret ballot 3–1–1; m1 forwards it to
    District 0, whose elected delegates vote on the record: m4 and m7 yes, m5 no, m8 abstains."""
    api, slug = fed.api, fed.slug
    motion = _ok(
        api(1).post(
            f"/orgs/{slug}/bodies/D0-U0/motions",
            {"title": "Open a strike fund", "text": "The union shall open a strike fund."},
        ),
        201,
    )["id"]
    _ok(api(2).post(f"/orgs/{slug}/motions/{motion}/support"))
    unit_vote = _ok(api(1).post(f"/orgs/{slug}/motions/{motion}/votes", {"minutes": 60}), 201)["id"]
    for n, choice in {1: "yes", 2: "yes", 3: "yes", 4: "no", 5: "abstain"}.items():
        _ok(api(n).post(f"/orgs/{slug}/votes/{unit_vote}/ballots", {"choice": choice}), 201)
    let_vote_run(unit_vote)
    _ok(api(2).post(f"/orgs/{slug}/votes/{unit_vote}/close"))
    council_motion = _ok(api(1).post(f"/orgs/{slug}/motions/{motion}/forward"), 201)["id"]
    session = _ok(api(4).post(f"/orgs/{slug}/bodies/D0/sessions", {"title": "District 0 meets"}), 201)["id"]
    wait_for_session(session)
    for n in (4, 5, 7, 8):
        _ok(api(n).post(f"/orgs/{slug}/sessions/{session}/roll"), 201)
    council_vote = _ok(
        api(4).post(f"/orgs/{slug}/motions/{council_motion}/votes", {"minutes": 60, "session": session}), 201
    )["id"]
    for n, choice in {4: "yes", 5: "no", 7: "yes", 8: "abstain"}.items():
        _ok(api(n).post(f"/orgs/{slug}/votes/{council_vote}/ballots", {"choice": choice}), 201)
    let_vote_run(council_vote)
    _ok(api(4).post(f"/orgs/{slug}/votes/{council_vote}/close"))
    return CouncilDecision(motion, unit_vote, council_motion, session, council_vote)


@dataclass(frozen=True)
class ReferredQuestion:
    unit_motion: int
    council_motion: int
    refer_vote: int
    referral: int
    unit_votes: list[int]


def refer_forwarded_motion(fed: ElectedFederation) -> ReferredQuestion:
    """As ``decide_forwarded_motion`` up to District 0, whose session then refers the motion down to its
    units' assemblies instead of deciding it (m4, m7 yes; m5 no; m8 abstains). D0-U0 carries it 4–1,
    D0-U1 rejects it 1–3–1, and the referral closes once both assemblies' votes have closed."""
    api, slug = fed.api, fed.slug
    motion = _ok(
        api(1).post(
            f"/orgs/{slug}/bodies/D0-U0/motions",
            {"title": "Ballot on the overtime ban", "text": "The union shall ballot on an overtime ban."},
        ),
        201,
    )["id"]
    _ok(api(2).post(f"/orgs/{slug}/motions/{motion}/support"))
    unit_vote = _ok(api(1).post(f"/orgs/{slug}/motions/{motion}/votes", {"minutes": 60}), 201)["id"]
    for n in range(1, 6):
        _ok(api(n).post(f"/orgs/{slug}/votes/{unit_vote}/ballots", {"choice": "yes"}), 201)
    let_vote_run(unit_vote)
    _ok(api(2).post(f"/orgs/{slug}/votes/{unit_vote}/close"))
    council_motion = _ok(api(1).post(f"/orgs/{slug}/motions/{motion}/forward"), 201)["id"]
    session = _ok(api(4).post(f"/orgs/{slug}/bodies/D0/sessions", {"title": "District 0 meets"}), 201)["id"]
    wait_for_session(session)
    for n in (4, 5, 7, 8):
        _ok(api(n).post(f"/orgs/{slug}/sessions/{session}/roll"), 201)
    refer_vote = _ok(
        api(4).post(
            f"/orgs/{slug}/motions/{council_motion}/refer",
            {"session": session, "to": "assemblies", "minutes": 60, "referral_days": 7},
        ),
        201,
    )["id"]
    for n, choice in {4: "yes", 5: "no", 7: "yes", 8: "abstain"}.items():
        _ok(api(n).post(f"/orgs/{slug}/votes/{refer_vote}/ballots", {"choice": choice}), 201)
    let_vote_run(refer_vote)
    _ok(api(4).post(f"/orgs/{slug}/votes/{refer_vote}/close"))
    [referral] = _ok(api(1).get(f"/orgs/{slug}/motions/{council_motion}"))["referrals"]
    votes = {
        v["body"]["code"]: v["id"] for v in _ok(api(1).get(f"/orgs/{slug}/referrals/{referral}"))["votes"]
    }
    choices = {
        "D0-U0": {1: "yes", 2: "yes", 3: "yes", 4: "yes", 5: "no"},
        "D0-U1": {6: "yes", 7: "no", 8: "no", 9: "no", 10: "abstain"},
    }
    for code, ballots in choices.items():
        for n, choice in ballots.items():
            _ok(api(n).post(f"/orgs/{slug}/votes/{votes[code]}/ballots", {"choice": choice}), 201)
        let_vote_run(votes[code])
        _ok(api(next(iter(ballots))).post(f"/orgs/{slug}/votes/{votes[code]}/close"))
    return ReferredQuestion(motion, council_motion, refer_vote, referral, [votes["D0-U0"], votes["D0-U1"]])
