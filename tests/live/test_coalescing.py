"""A running count (a vote's turnout) is published coalesced on a server: a burst of changes reaches the
followers as a few events, the last of them with the state after the burst; nothing is published for a
change rolled back."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import transaction

from commune.live.bus import MemoryBus
from commune.live.services import live_bus_reset, live_publish_latest

#: Bounds a hang, never a speed.
PATIENCE = 30


class _Watched(MemoryBus):
    """A bus that lets the test wait until an event with the state it expects is published."""

    def __init__(self, until: dict[str, Any]) -> None:
        super().__init__()
        self.until = until
        self.reached = threading.Event()

    def publish(self, topic: str, kind: str, data: dict[str, Any]) -> str:
        event_id = super().publish(topic, kind, data)
        if data == self.until:
            self.reached.set()
        return event_id


@pytest.fixture
def watched(settings: Any, db: None) -> Any:
    settings.LIVE_COALESCE_SECONDS = 0.5
    bus = _Watched({"turnout": 100})
    live_bus_reset(bus)
    yield bus
    live_bus_reset(None)


def test_a_burst_of_changes_is_published_as_few_events_ending_with_the_last_state(
    watched: _Watched, django_capture_on_commit_callbacks: Any
) -> None:
    state = {"turnout": 0}
    for n in range(1, 101):
        with django_capture_on_commit_callbacks(execute=True):  # each cast commits on its own
            state["turnout"] = n
            live_publish_latest("vote:1", "turnout", lambda: dict(state))
    assert watched.reached.wait(PATIENCE)
    events = list(watched._topics["vote:1"])
    assert events[-1].data == {"turnout": 100}
    # A hundred changes within the interval are told a few times, not a hundred (the first may go alone,
    # if the interval passed between two changes on a very busy machine).
    assert len(events) <= 3, [e.data for e in events]
    assert [e.data["turnout"] for e in events] == sorted(e.data["turnout"] for e in events)


def test_a_change_rolled_back_is_not_published(
    watched: _Watched, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                live_publish_latest("vote:2", "turnout", lambda: {"turnout": 1})
                raise RuntimeError("the cast fails")
        except RuntimeError:
            pass
    assert callbacks == []
    assert "vote:2" not in watched._topics
