"""Collective-action fixtures: the governance suite's federation (Congress → D0, D1 → two units each, a
delegate for every constituency, m2 the Secretary of D0-U0) and the decisions calls cite, taken end to end
through the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.governance.conftest import Fed, adopt_in_council, fed
from tests.motions.conftest import all_vote, close, sitting

__all__ = ["Fed", "adopted", "balloted", "call", "establish", "fed"]


def adopted(fed: Fed, code: str, delegates: tuple[int, ...], *, industrial: bool = False) -> int:
    """Council ``code`` adopts a motion (moved by the first of ``delegates``); returns its id."""
    moved = fed.api(delegates[0]).post(
        f"/orgs/{fed.slug}/bodies/{code}/motions",
        {
            "title": "Take action over split shifts",
            "text": "This council resolves to take action until split shifts end.",
            "industrial_action": industrial,
        },
    )
    assert moved.status_code == 201, moved.json()
    assert adopt_in_council(fed, code, moved.json()["id"], delegates)["carried"] is True
    return int(moved.json()["id"])


def balloted(fed: Fed) -> int:
    """District 0 refers a motion calling industrial action to a referendum of its ten members, who carry
    it; returns the motion's id."""
    moved = (
        fed.api(3)
        .post(
            f"/orgs/{fed.slug}/bodies/D0/motions",
            {
                "title": "Strike over split shifts",
                "text": "Strike until split shifts end.",
                "industrial_action": True,
            },
        )
        .json()
    )
    assert fed.api(6).post(f"/orgs/{fed.slug}/motions/{moved['id']}/support").status_code == 200
    session = sitting(fed, "D0", 3, 6)
    refer = fed.api(3).post(
        f"/orgs/{fed.slug}/motions/{moved['id']}/refer",
        {"session": session, "to": "referendum", "referral_days": 7},
    )
    assert refer.status_code == 201, refer.json()
    all_vote(fed, refer.json()["id"], {3: "yes", 6: "yes"})
    close(fed, 3, refer.json()["id"])
    referral = fed.api(1).get(f"/orgs/{fed.slug}/motions/{moved['id']}").json()["referrals"][0]
    ballot = fed.api(1).get(f"/orgs/{fed.slug}/referrals/{referral}").json()["votes"][0]
    all_vote(fed, ballot["id"], {n: "yes" for n in range(1, 11)})
    close(fed, 1, ballot["id"])
    return int(moved["id"])


def call(fed: Fed, n: int, code: str, authority: int, **extra: Any) -> Any:
    """Member ``n`` calls action for council ``code`` on ``authority``; a demonstration from today for
    three days unless told otherwise."""
    today = timezone.localdate()
    data = {
        "authority": authority,
        "kind": "demonstration",
        "title": "End split shifts",
        "demands": "An end to split shifts.\nNo loss of pay.",
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=2)).isoformat(),
        **extra,
    }
    return fed.api(n).post(f"/orgs/{fed.slug}/bodies/{code}/action-calls", data)


def establish(
    fed: Fed,
    code: str,
    powers: list[str],
    members: tuple[int, ...] = (1, 7),
    council: str = "D0",
    delegates: tuple[int, int] = (3, 6),
) -> dict[str, Any]:
    """A council (District 0, delegates m3 and m6, unless told otherwise) establishes an executive ``code``
    with ``powers`` and ``members``."""
    charter = {
        "kind": "commission",
        "code": code,
        "name": f"{code.title()} Commission",
        "powers": powers,
        "members": [fed.members[f"m{n}"].number for n in members],
    }
    proposed = fed.api(delegates[0]).post(f"/orgs/{fed.slug}/bodies/{council}/executives", charter)
    assert proposed.status_code == 201, proposed.json()
    assert adopt_in_council(fed, council, proposed.json()["motion"], delegates)["carried"] is True
    settled = fed.api(delegates[1]).post(f"/orgs/{fed.slug}/executives/{code}/settle")
    assert settled.status_code == 200, settled.json()
    return dict(settled.json())
