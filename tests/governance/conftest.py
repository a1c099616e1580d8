"""Governance fixtures: the motions suite's federation (a delegate for every constituency), its clock and
helpers, plus council decisions taken end to end through the API."""

from __future__ import annotations

from typing import Any

from tests.clock import Clock
from tests.motions.conftest import Fed, all_vote, close, fed, put, sitting

__all__ = ["Clock", "Fed", "adopt_in_council", "fed"]


def adopt_in_council(
    fed: Fed, code: str, motion_id: int, delegates: tuple[int, ...], choice: str = "yes"
) -> Any:
    """The council ``code`` sits with ``delegates``, supports the motion onto the agenda if it needs it,
    and votes on it: every delegate ``choice``. Returns the closed vote."""
    motion = fed.api(delegates[0]).get(f"/orgs/{fed.slug}/motions/{motion_id}").json()
    if motion["status"] == "proposed":
        for n in delegates:
            if fed.api(n).post(f"/orgs/{fed.slug}/motions/{motion_id}/support").status_code == 200:
                break
    session = sitting(fed, code, *delegates)
    vote = put(fed, delegates[0], motion_id, session=session)
    all_vote(fed, vote, dict.fromkeys(delegates, choice))
    closed = close(fed, delegates[0], vote)
    fed.api(delegates[0]).post(f"/orgs/{fed.slug}/sessions/{session}/close")
    return closed
