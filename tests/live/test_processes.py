"""Fan-out across processes: two ``commune serve`` processes share one database and one Redis; a vote cast
through one reaches an event stream held open on the other, a stream that reconnects with the last event
id it saw is sent what it missed, and nobody outside the organisation may open the stream."""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from typing import Any

from tests.live.servers import Servers

#: Bounds a hang, never a speed.
PATIENCE = 60


def _connection(url: str) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=PATIENCE)


def _get(url: str, path: str, session: str = "", headers: dict[str, str] | None = None) -> Any:
    connection = _connection(url)
    connection.request(
        "GET", path, headers={**({"Cookie": f"sessionid={session}"} if session else {}), **(headers or {})}
    )
    return connection.getresponse()


def _next_event(response: Any) -> dict[str, Any]:
    """Read the stream up to the end of the next event (comments and the retry line are skipped)."""
    event: dict[str, Any] = {}
    while True:
        line = response.fp.readline().decode().rstrip("\n")
        if not line:
            if "event" in event:
                return event
            continue
        field, _, value = line.partition(": ")
        if field in ("id", "event"):
            event[field] = value
        elif field == "data":
            event["data"] = json.loads(value)


def _live_src(servers: Servers, server: int, member: str) -> str:
    page = _get(servers.urls[server], servers.vote_path("u0"), servers.seed["sessions"][member])
    assert page.status == 200
    found = re.search(r'data-live-src="([^"]+)"', page.read().decode())
    assert found, "the open vote's page follows its events"
    return found[1].replace("&amp;", "&")


def test_a_vote_cast_through_one_process_reaches_a_stream_open_on_the_other_and_a_reconnection_catches_up(
    live_servers: Servers,
) -> None:
    stream = _get(live_servers.urls[1], _live_src(live_servers, 1, "m1"), live_servers.seed["sessions"]["m1"])
    assert stream.status == 200
    assert stream.getheader("Content-Type").startswith("text/event-stream")

    live_servers.api(0, "m3", f"/votes/{live_servers.seed['votes']['u0']}/ballots", {"choice": "yes"})
    event = _next_event(stream)
    assert event["event"] == "turnout"
    assert event["data"] == {"vote": live_servers.seed["votes"]["u0"], "turnout": 1, "electorate": 5}
    stream.close()

    # Away from the page, another vote is cast through the first process; on reconnecting to the second
    # with the last id it saw, the page is sent it.
    live_servers.api(0, "m4", f"/votes/{live_servers.seed['votes']['u0']}/ballots", {"choice": "no"})
    back = _get(
        live_servers.urls[1],
        f"/live/vote/{live_servers.seed['votes']['u0']}/",
        live_servers.seed["sessions"]["m1"],
        {"Last-Event-ID": event["id"]},
    )
    missed = _next_event(back)
    back.close()
    assert missed["event"] == "turnout" and missed["data"]["turnout"] == 2
    assert missed["id"] > event["id"]


def test_only_members_of_the_organisation_may_open_a_votes_stream(live_servers: Servers) -> None:
    path = f"/live/vote/{live_servers.seed['votes']['u0']}/"
    for url in live_servers.urls:
        assert _get(url, path, live_servers.seed["sessions"]["outsider"]).status == 404
        assert _get(url, path).status == 404
        assert _get(url, f"/live/vote/{10**9}/", live_servers.seed["sessions"]["m1"]).status == 404
