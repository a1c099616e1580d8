"""``commune motion`` and ``commune mandate`` against a live server, each member with their own token:
the path from a unit's motion to a recorded council vote, and a binding mandate's refusal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.cli.client_helpers import Member, as_member_factory
from tests.clock import let_vote_run, wait_for_session
from tests.conftest import build_federation
from tests.motions.conftest import Fed


@pytest.fixture
def fed(live_server: Any) -> Fed:
    return Fed(build_federation())


@pytest.fixture
def as_member(live_server: Any, capsys: pytest.CaptureFixture[str]) -> Callable[..., Member]:
    return as_member_factory(live_server.url, capsys)


def test_a_motion_goes_from_a_unit_to_a_recorded_council_vote_through_the_cli(
    fed: Fed, as_member: Callable[..., Member], tmp_path: Path
) -> None:
    """Moved in D0-U0 (the mover's own unit by default), supported, adopted by the unit's secret vote,
    forwarded to District 0, and decided there in session with each seat's vote on the record."""
    m = {n: as_member(fed.members[f"m{n}"].person, org="tf") for n in (1, 2, 3, 4, 5, 6)}
    text = tmp_path / "motion.txt"
    text.write_text("The union shall open a strike fund.\n")

    moved = m[1].ok("motion", "move", "--title", "Strike fund", "--text-file", text, "--json").json()
    assert moved["body"]["code"] == "D0-U0" and moved["status"] == "proposed"
    motion = moved["id"]
    supported = m[4].ok("motion", "support", motion)
    assert f"You support motion #{motion}: 1 supporter(s), on_agenda" in supported.out

    listed = m[2].ok("motion", "list", "--body", "D0-U0")
    assert "Strike fund" in listed.out and "on_agenda" in listed.out

    vote = m[1].ok("motion", "put", motion, "--minutes", "30", "--json").json()["id"]
    for n, choice in {1: "yes", 2: "yes", 3: "yes", 4: "no", 5: "abstain"}.items():
        cast = m[n].ok("motion", "vote", vote, choice)
        assert "secretly" in cast.out
    let_vote_run(vote)
    counted = m[2].ok("motion", "close", vote)
    assert "3 yes, 1 no, 1 abstain: carried" in counted.out

    forwarded = m[1].ok("motion", "forward", motion)
    assert "is now before D0 (on_agenda)" in forwarded.out
    upper = int(forwarded.out.split("#")[1].split()[0])
    shown = m[6].ok("motion", "show", upper)
    assert "forwarded from D0-U0" in shown.out and "3 yes, 1 no, 1 abstain" in shown.out

    session = m[3].ok("motion", "session", "open", "--council", "D0", "--title", "D0 meets", "--json").json()
    wait_for_session(session)
    for n in (3, 6):
        m[n].ok("motion", "session", "attend", session["id"])
    council_vote = m[3].ok("motion", "put", upper, "--session", session["id"], "--json").json()["id"]
    assert "on the record" in m[3].ok("motion", "session", "vote", council_vote, "yes").out
    m[6].ok("motion", "session", "vote", council_vote, "no")
    let_vote_run(council_vote)
    decided = m[6].ok("motion", "close", council_vote, "--json").json()
    assert decided["carried"] is False

    record = m[2].ok("motion", "session", "show", session["id"])
    assert "Member 003" in record.out and "Member 006" in record.out
    rows = [line.split() for line in record.out.splitlines()]
    assert ["D0-U0", "Member", "003", "Member", "003", "yes", "1", "none"] in rows
    assert ["D0-U1", "Member", "006", "Member", "006", "no", "1", "none"] in rows
    assert m[2].ok("motion", "show", upper, "--json").json()["status"] == "rejected"


def test_a_vote_against_a_binding_mandate_is_refused_with_the_apis_reason(
    fed: Fed, as_member: Callable[..., Member], tmp_path: Path
) -> None:
    """D0-U0 binds its delegate to vote no, by its own vote through the CLI; the delegate's yes is refused
    (exit 1, the API's message on stderr), their no is recorded, and the compliance record shows it."""
    m = {n: as_member(fed.members[f"m{n}"].person, org="tf") for n in (1, 2, 3, 4, 5, 6)}
    text = tmp_path / "motion.txt"
    text.write_text("Councils shall meet monthly.\n")
    motion = m[3].ok("motion", "move", "--body", "D0", "--title", "Monthly", "--text-file", text, "--json")
    motion_id = motion.json()["id"]
    m[6].ok("motion", "support", motion_id)

    proposed = m[1].ok(
        "mandate", "propose", "--motion", motion_id, "--kind", "binding", "--instruction", "no"
    )
    assert "D0-U0 (delegates to D0)" in proposed.out
    mandate = m[1].ok("mandate", "list", "--motion", motion_id, "--json").json()[0]
    for n in range(1, 6):
        m[n].ok("motion", "vote", mandate["vote"], "no" if n == 5 else "yes")
    let_vote_run(mandate["vote"])
    decided = m[2].ok("mandate", "decide", mandate["id"])
    assert "adopted" in decided.out

    session = m[3].ok("motion", "session", "open", "--council", "D0", "--json").json()["id"]
    wait_for_session(session)
    m[3].ok("motion", "session", "attend", session)
    vote = m[3].ok("motion", "put", motion_id, "--session", session, "--json").json()["id"]
    refused = m[3]("motion", "session", "vote", vote, "yes")
    assert refused.code == 1 and refused.out == ""
    assert "commune motion: Unit 0.0 gave a binding mandate to vote no on this item" in refused.err
    m[3].ok("motion", "session", "vote", vote, "no")

    number = fed.members["m3"].number
    record = m[2].ok("mandate", "compliance", number)
    assert "1 vote(s), 0 departure(s)" in record.out
    assert "binding no" in record.out and "complied" in record.out
    data = m[2].ok("mandate", "compliance", number, "--json").json()
    assert data["record"][0]["compliance"] == "complied"
