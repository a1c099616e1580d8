"""A vote's page is told of each vote cast and of the result, once each is committed: a secret vote's
events carry its turnout and never a choice; a council's carry each seat's vote, on the record as on the
page. Only those who may open the vote's page may follow its events."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from commune.live.asgi import follow_allowed
from commune.live.bus import Event, MemoryBus
from commune.live.services import live_bus_reset, live_publish
from commune.motions.models import Vote
from commune.motions.services.live import vote_topic
from tests.conftest import build_federation
from tests.motions.conftest import Fed, all_vote, cast, close, on_agenda, put, sitting
from tests.motions.test_pages import as_member, text_of, url


@pytest.fixture
def bus() -> Iterator[MemoryBus]:
    memory = MemoryBus()
    live_bus_reset(memory)
    yield memory
    live_bus_reset(None)


def published(bus: MemoryBus, vote_id: int) -> list[Event]:
    return list(bus._topics.get(vote_topic(vote_id), ()))


def test_a_secret_vote_publishes_its_turnout_as_votes_are_cast_and_never_a_choice(
    fed: Fed, bus: MemoryBus, django_capture_on_commit_callbacks: Any
) -> None:
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    for n, choice in {1: "yes", 2: "no", 3: "yes", 4: "yes", 5: "abstain"}.items():
        with django_capture_on_commit_callbacks(execute=True):  # each cast commits on its own
            assert cast(fed, n, vote, choice).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        assert cast(fed, 1, vote, "no").status_code == 409  # refused: nothing to tell
    assert [(e.kind, e.data) for e in published(bus, vote)] == [
        ("turnout", {"vote": vote, "turnout": n, "electorate": 5}) for n in (1, 2, 3, 4, 5)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        close(fed, 4, vote)
    last = published(bus, vote)[-1]
    assert last.kind == "closed"
    assert {k: last.data[k] for k in ("carried", "yes", "no", "abstain", "electorate")} == {
        "carried": True,
        "yes": 3,
        "no": 1,
        "abstain": 1,
        "electorate": 5,
    }


def test_nothing_is_published_for_a_change_that_is_rolled_back(
    bus: MemoryBus, django_capture_on_commit_callbacks: Any, db: None
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            live_publish("vote:1", "turnout", {"turnout": 1})
            raise RuntimeError("rolled back")
        live_publish("vote:1", "turnout", {"turnout": 2})
    assert [e.data for e in bus._topics["vote:1"]] == [{"turnout": 2}]


def test_a_council_vote_publishes_each_seats_vote_on_the_record(
    fed: Fed, bus: MemoryBus, django_capture_on_commit_callbacks: Any
) -> None:
    session = sitting(fed, "D0", 3, 6)
    vote = put(fed, 3, on_agenda(fed, 3, "D0", supporter=6), session=session)
    with django_capture_on_commit_callbacks(execute=True):
        assert cast(fed, 6, vote, "no").status_code == 201
    (event,) = published(bus, vote)
    assert event.kind == "turnout"
    assert event.data["turnout"] == 1
    assert event.data["seat"] == {
        "constituency": fed.small.units[1].name,
        "delegate": fed.members["m6"].person.name,
        "choice": "No",
        "weight": event.data["seat"]["weight"],
    }


def _session_of(client: Client) -> str:
    return client.session.session_key or ""


def test_only_those_who_may_open_the_vote_may_follow_it(fed: Fed) -> None:
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    outsider = build_federation(slug="other")
    assert follow_allowed(_session_of(as_member(fed, 20)), "vote", vote) == f"vote:{vote}"
    stranger = Client()
    stranger.force_login(outsider.member)
    assert follow_allowed(_session_of(stranger), "vote", vote) is None
    assert follow_allowed("", "vote", vote) is None  # nobody signed in
    assert follow_allowed(_session_of(as_member(fed, 20)), "vote", vote + 1000) is None
    assert follow_allowed(_session_of(as_member(fed, 20)), "election", vote) is None  # no such kind


def test_following_a_vote_is_checked_in_five_queries(fed: Fed, django_assert_num_queries: Any) -> None:
    """The session, the person, the vote's organisation, the organisation, the membership: each of ten
    thousand delegates opening a meeting's vote pays them once."""
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    session = _session_of(as_member(fed, 20))
    with django_assert_num_queries(5):
        assert follow_allowed(session, "vote", vote) == f"vote:{vote}"


def test_the_open_vote_page_shows_its_turnout_and_follows_its_events_and_the_closed_one_does_not(
    fed: Fed, bus: MemoryBus, django_capture_on_commit_callbacks: Any
) -> None:
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    with django_capture_on_commit_callbacks(execute=True):
        all_vote(fed, vote, {1: "yes", 2: "no"})
    response = as_member(fed, 3).get(url(fed, "motions:vote", vote_id=vote))
    page = response.content.decode()
    assert "Voted so far: 2 of 5." in text_of(response.content)
    since = published(bus, vote)[-1].id
    assert f'data-live-src="/live/vote/{vote}/?since={since}"' in page
    assert "live/live.js" in page
    all_vote(fed, vote, {3: "yes", 4: "yes", 5: "yes"})
    close(fed, 4, vote)
    closed = as_member(fed, 3).get(url(fed, "motions:vote", vote_id=vote)).content.decode()
    assert "data-live-src" not in closed and "live/live.js" not in closed
    assert Vote.objects.get(pk=vote).closed_at is not None
