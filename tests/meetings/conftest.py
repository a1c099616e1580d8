"""Meetings fixtures: the motions suite's federation (District 0's delegates are m3 and m6; m1 holds no
seat; m2 is a unit's officer), and a session of District 0 called by m3."""

from __future__ import annotations

from typing import Any

from tests.clock import wait_for_session
from tests.motions.conftest import Fed, fed

__all__ = ["Fed", "call", "fed", "meeting", "number"]


def number(fed: Fed, n: int) -> str:
    return str(fed.members[f"m{n}"].number)


def call(fed: Fed, caller: int = 3, code: str = "D0", wait: bool = True) -> int:
    """Member ``caller`` calls a session of ``code``; its notice passes unless ``wait`` is false."""
    response = fed.api(caller).post(f"/orgs/{fed.slug}/bodies/{code}/sessions", {"title": f"{code} meets"})
    assert response.status_code == 201, response.json()
    if wait:
        wait_for_session(response.json())
    return int(response.json()["id"])


def meeting(fed: Fed, n: int, session: int, act: str = "", data: dict[str, Any] | None = None) -> Any:
    """Member ``n`` reads the meeting (no ``act``) or does ``act`` through the API."""
    path = f"/orgs/{fed.slug}/sessions/{session}/meeting" + (f"/{act}" if act else "")
    return fed.api(n).post(path, data) if act else fed.api(n).get(path)
