"""``commune recall`` and ``commune notifications`` against a live server, as members of the electorate."""

from __future__ import annotations

from typing import Any

import pytest

from tests.cli.client_helpers import Member, as_member_factory
from tests.recall.conftest import Recall, recall

__all__ = ["recall"]


def test_signing_shows_the_count_and_the_threshold_tells_the_electorate(
    recall: Recall, live_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """A petition opened and signed from the command line shows its count against the threshold each
    time; a signer can take their signature back; at the threshold the recall ballot opens, and the
    electorate's notifications say so until they are marked read."""
    as_member = as_member_factory(live_server.url, capsys)
    m: dict[str, Member] = {k: as_member(recall.member(k).person) for k in ("m7", "m8", "m9", "m12")}

    opened = m["m7"].ok("recall", "open", "--holder", "RC00001", "--council", "D0", "--grounds", "Pay vote")
    assert "opened with your signature: 1 of 3" in opened.out
    petition = int(opened.out.split("#")[1].split()[0])

    signed = m["m8"].ok("recall", "sign", petition)
    assert f"Signed recall #{petition}: 2 of 3 signatures" in signed.out
    assert "2 of 3" in m["m8"].ok("recall", "list").out
    back = m["m8"].ok("recall", "withdraw", petition)
    assert "1 of 3 signatures" in back.out
    again = m["m8"]("recall", "withdraw", petition)
    assert again.code == 1 and again.err.strip()

    m["m8"].ok("recall", "sign", petition)
    done = m["m9"].ok("recall", "sign", petition, "--json").json()
    assert done["signatures"] == 3 and done["status"] == "balloting"
    assert "Recall ballot (" in m["m12"].ok("recall", "show", petition).out
    assert "you voted" not in m["m12"].ok("recall", "show", petition).out
    assert "cast" in m["m12"].ok("recall", "ballot", petition, "yes").out
    assert "; you voted" in m["m12"].ok("recall", "show", petition).out

    unread = m["m12"].ok("notifications", "--unread", "--mark-read")
    assert "recall.threshold_reached" in unread.out and "marked read" in unread.out
    assert m["m12"].ok("notifications", "--unread", "--json").json()["count"] == 0
    assert m["m12"].ok("notifications", "--json").json()["count"] >= 1

    outsider = as_member(recall.member("m13").person)("recall", "sign", petition)
    assert outsider.code == 1 and "\ncommune recall: " in "\n" + outsider.err
