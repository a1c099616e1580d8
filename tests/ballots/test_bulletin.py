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
from commune.ballots.services import ballot_cast
from commune.elections.models import Election, ElectionStatus
from commune.elections.selectors import bulletin_blt_text, bulletin_document, bulletin_find
from commune.tally.methods import METHODS
from commune.tally.readers import parse_blt
from commune.tally.render import result_dict
from tests.conftest import build_federation
from tests.elections.conftest import Clock, call, stand, to_declared, to_voting

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared(clock: Clock, db: None) -> tuple[Election, dict[str, str]]:
    """A three-seat STV election of twelve members, declared; with each voter's tracker."""
    fed = build_federation(units_per_district=1, members_per_unit=12, slug="bb")
    election = call(clock, fed.units[0], seats=3, title="Strike committee")
    m = fed.members
    a, b, c, d, e = stand(election, m["m1"], m["m2"], m["m3"], m["m4"], m["m5"])
    election = to_voting(clock, election)
    votes = [[a, b, c]] * 5 + [[b, a]] * 2 + [[c, d]] * 2 + [[d]] + [[e, d, c]] * 2
    trackers = {}
    for n, ranking in enumerate(votes, start=1):
        trackers[f"m{n}"] = ballot_cast(election_id=election.pk, member=m[f"m{n}"], ranking=ranking).tracker
    return to_declared(clock, election), trackers


def test_the_bulletin_lists_every_ballot_once_by_tracker(declared: tuple[Election, dict[str, str]]) -> None:
    election, trackers = declared
    document = bulletin_document(election=election)
    assert sorted(b["tracker"] for b in document["ballots"]) == sorted(trackers.values())
    assert [b["tracker"] for b in document["ballots"]] == sorted(trackers.values())
    assert not Ballot.objects.filter(election=election).exists()


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
    tampered["ballots"][0]["ranking"] = list(reversed(tampered["ballots"][0]["ranking"]))
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
    assert BulletinEntry.objects.filter(election=election).count() == len(trackers)
