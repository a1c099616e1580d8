"""Motions fixtures: the small federation with a delegate seated for every constituency, a clock, and a
client speaking as any member."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from commune.accounts.models import User
from commune.accounts.services import api_token_create
from commune.federation.constitution import DEFAULT_RULES
from commune.federation.services import delegation_seat
from tests.clock import current_term, let_vote_run, wait_for_session
from tests.conftest import SmallFederation, build_federation
from tests.referendum import constitution_amend


class Api:
    """A client speaking as one person, with their bearer token."""

    def __init__(self, user: User) -> None:
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='t')[1]}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api{path}", **self.headers)

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(f"/api{path}", data or {}, content_type="application/json", **self.headers)


class Fed:
    """The small federation (Congress → D0, D1 → two units each, five members a unit: m1–m5 in D0-U0,
    m6–m10 in D0-U1, m11–m15 in D1-U0, m16–m20 in D1-U1) with one delegate per constituency: m3 (D0-U0)
    and m6 (D0-U1) on District 0; m11 (D1-U0) and m16 (D1-U1) on District 1; m3 (D0) and m11 (D1) on
    Congress."""

    def __init__(self, small: SmallFederation) -> None:
        self.small = small
        self.org = small.org
        self.slug = small.org.slug
        self.members = small.members
        self._apis: dict[int, Api] = {}
        d0, d1 = small.districts
        u = small.units
        for council, constituency, n in [
            (d0, u[1], 6),
            (d1, u[2], 11),
            (d1, u[3], 16),
            (small.congress, d1, 11),
        ]:
            delegation_seat(
                council=council,
                constituency=constituency,
                member=self.members[f"m{n}"],
                term_start=current_term()[0],
                term_end=current_term()[1],
                source="test election",
            )

    def api(self, n: int) -> Api:
        if n not in self._apis:
            self._apis[n] = Api(self.members[f"m{n}"].person)
        return self._apis[n]

    def rules(self, **decisions: Any) -> None:
        """Adopt a new constitution version changing the given rules (``section__field=value``)."""
        rules = {k: dict(v) if isinstance(v, dict) else v for k, v in DEFAULT_RULES.items()}
        for key, value in decisions.items():
            section, field = key.split("__")
            rules[section][field] = value
        constitution_amend(self.org, rules)


@pytest.fixture
def fed(db: None) -> Fed:
    return Fed(build_federation())


def move(fed: Fed, n: int, code: str, **extra: Any) -> dict[str, Any]:
    """Member ``n`` moves a motion in body ``code``; returns its detail."""
    response = fed.api(n).post(
        f"/orgs/{fed.slug}/bodies/{code}/motions",
        {
            "title": f"Motion in {code}",
            "text": "The union shall open a strike fund.\nIt shall be audited.",
            **extra,
        },
    )
    assert response.status_code == 201, response.json()
    return response.json()


def on_agenda(fed: Fed, n: int, code: str, supporter: int, **extra: Any) -> int:
    """A motion moved by ``n`` and supported by ``supporter``, so on the agenda. Returns its id."""
    motion = move(fed, n, code, **extra)
    response = fed.api(supporter).post(f"/orgs/{fed.slug}/motions/{motion['id']}/support")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "on_agenda"
    return int(motion["id"])


def put(fed: Fed, n: int, motion_id: int, session: int | None = None, minutes: int = 60) -> int:
    """Member ``n`` puts the motion to its body's vote; returns the vote id."""
    response = fed.api(n).post(
        f"/orgs/{fed.slug}/motions/{motion_id}/votes", {"minutes": minutes, "session": session}
    )
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


def cast(fed: Fed, n: int, vote_id: int, choice: str, reason: str = "") -> Any:
    return fed.api(n).post(f"/orgs/{fed.slug}/votes/{vote_id}/ballots", {"choice": choice, "reason": reason})


def all_vote(fed: Fed, vote_id: int, choices: dict[int, str]) -> None:
    for n, choice in choices.items():
        response = cast(fed, n, vote_id, choice)
        assert response.status_code == 201, response.json()


def close(fed: Fed, n: int, vote_id: int) -> dict[str, Any]:
    """Member ``n`` closes the vote, once it has stayed open its minimum time."""
    let_vote_run(fed.api(n).get(f"/orgs/{fed.slug}/votes/{vote_id}").json())
    response = fed.api(n).post(f"/orgs/{fed.slug}/votes/{vote_id}/close")
    assert response.status_code == 200, response.json()
    return dict(response.json())


def sitting(fed: Fed, code: str, *present: int) -> int:
    """A session of council ``code`` called by the first of ``present``; once its notice has passed, each
    of them signs the roll."""
    response = fed.api(present[0]).post(
        f"/orgs/{fed.slug}/bodies/{code}/sessions", {"title": f"{code} meets"}
    )
    assert response.status_code == 201, response.json()
    session = int(response.json()["id"])
    wait_for_session(response.json())
    for n in present:
        signed = fed.api(n).post(f"/orgs/{fed.slug}/sessions/{session}/roll")
        assert signed.status_code == 201, signed.json()
    return session
