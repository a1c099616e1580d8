"""Structure fixtures: the motions suite's federation (a delegate for every constituency) and a change
moved and decided through the API."""

from __future__ import annotations

from typing import Any

from tests.governance.conftest import Fed, adopt_in_council, fed

__all__ = ["DELEGATES", "Fed", "adopt_in_council", "apply", "decided", "fed", "proposed"]

#: Delegates seated on each council of the small federation (tests/motions/conftest.py).
DELEGATES = {"D0": (3, 6), "D1": (11, 16), "CONGRESS": (3, 11)}


def proposed(fed: Fed, council: str, proposal: dict[str, Any], n: int | None = None) -> dict[str, Any]:
    """A delegate of ``council`` moves the change there; returns the change."""
    response = fed.api(n or DELEGATES[council][0]).post(
        f"/orgs/{fed.slug}/bodies/{council}/structure/changes", {"proposal": proposal}
    )
    assert response.status_code == 201, response.json()
    return dict(response.json())


def decided(fed: Fed, council: str, proposal: dict[str, Any], choice: str = "yes") -> dict[str, Any]:
    """The change moved in ``council`` and voted on by its delegates (every one ``choice``)."""
    change = proposed(fed, council, proposal)
    adopt_in_council(fed, council, change["motion"], DELEGATES[council], choice)
    return change


def apply(fed: Fed, change: dict[str, Any], n: int = 1) -> Any:
    return fed.api(n).post(f"/orgs/{fed.slug}/structure/changes/{change['id']}/apply")
