"""The bulletin: published after close, found by tracker, re-counted by anyone, and tamper-evident."""

from __future__ import annotations

import copy
import json

import pytest

from commune.audit.models import LogEntry
from commune.ballots.bulletin import (
    BulletinError,
    bulletin_count,
    bulletin_verify,
    merkle_root,
    published_result_matches,
)
from commune.ballots.models import Ballot, BulletinEntry
from commune.elections.models import Election, ElectionStatus
from commune.elections.selectors import bulletin_blt_text, bulletin_document, bulletin_find
from commune.tally.export import result_dict
from commune.tally.methods import METHODS
from commune.tally.readers import parse_blt

pytestmark = pytest.mark.django_db


def test_the_bulletin_lists_every_ballot_once_by_tracker(declared: tuple[Election, dict[str, str]]) -> None:
    election, trackers = declared
    document = bulletin_document(election=election)
    assert sorted(b["tracker"] for b in document["ballots"]) == sorted(trackers.values())
    assert [b["tracker"] for b in document["ballots"]] == sorted(trackers.values())
    assert not Ballot.objects.filter(box_id=election.box_id).exists()


def test_a_voter_finds_their_own_ballot_by_tracker(declared: tuple[Election, dict[str, str]]) -> None:
    election, trackers = declared
    entry = bulletin_find(election=election, tracker=trackers["m12"].lower())
    assert entry is not None and len(entry.ranking) == 3
    assert bulletin_find(election=election, tracker="AAAAA-AAAAA-AAAAA") is None


def test_a_retally_of_the_bulletin_gives_the_published_result(
    declared: tuple[Election, dict[str, str]],
) -> None:
    election, _ = declared
    document = json.loads(json.dumps(bulletin_document(election=election)))  # as downloaded
    assert bulletin_verify(document) == election.merkle_root
    recount = bulletin_count(document)
    assert published_result_matches(document, recount)
    assert len(recount.elected) == 3


def test_the_merkle_root_is_in_the_provenance_log(declared: tuple[Election, dict[str, str]]) -> None:
    election, _ = declared
    entry = LogEntry.objects.get(action="election.bulletin_published", payload__election=election.pk)
    assert entry.payload["merkle_root"] == election.merkle_root


def test_changing_one_ballot_fails_the_hash_check(declared: tuple[Election, dict[str, str]]) -> None:
    election, _ = declared
    document = bulletin_document(election=election)
    tampered = copy.deepcopy(document)
    # Every ballot ranks at most three of the five candidates, so ranking all five is a change.
    tampered["ballots"][0]["ranking"] = [c["id"] for c in tampered["candidates"]]
    with pytest.raises(BulletinError, match="hash check failed"):
        bulletin_verify(tampered)
    dropped = copy.deepcopy(document)
    dropped["ballots"].pop()
    with pytest.raises(BulletinError, match="hash check failed"):
        bulletin_verify(dropped)


def test_the_blt_download_counts_to_the_same_result(declared: tuple[Election, dict[str, str]]) -> None:
    election, _ = declared
    blt = parse_blt(bulletin_blt_text(election=election).encode())
    recount = METHODS[election.method](blt, seats=blt.seats, seed=election.tie_seed or 0)
    assert list(recount.elected) == election.result["elected"]  # type: ignore[index]
    assert result_dict(recount, title=election.title)["stages"] == election.result["stages"]  # type: ignore[index]


def test_merkle_root_follows_rfc_6962() -> None:
    """Known answers: the empty tree, one leaf, and three leaves split two and one."""
    import hashlib

    def h(data: bytes) -> bytes:
        return hashlib.sha256(data).digest()

    assert merkle_root([]) == hashlib.sha256(b"").hexdigest()
    assert merkle_root([b"a"]) == h(b"\x00a").hex()
    left = h(b"\x01" + h(b"\x00a") + h(b"\x00b"))
    assert merkle_root([b"a", b"b", b"c"]) == h(b"\x01" + left + h(b"\x00c")).hex()


def test_the_count_is_declared_once_the_bulletin_is_written(
    declared: tuple[Election, dict[str, str]],
) -> None:
    election, trackers = declared
    assert election.status == ElectionStatus.DECLARED
    assert BulletinEntry.objects.filter(box_id=election.box_id).count() == len(trackers)
