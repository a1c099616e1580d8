"""The published bulletin as a file anyone can check: its format, its Merkle root, BLT and re-tally.

This module is pure (no Django, no database) so that ``commune retally`` can use it on a downloaded file.

Format (``commune-bulletin/1``), one JSON object::

    {"format": "commune-bulletin/1",
     "organisation": "slug", "election": 12, "title": "...", "method": "scottish-stv", "seats": 3,
     "seed": 1234567, "uncontested": false,
     "candidates": [{"id": 40, "label": "Jane Doe"}, ...],      # every standing candidate, by id
     "ballots": [{"tracker": "K7Q2-...", "ranking": [40, 41], "weight": 1}, ...],   # sorted by tracker
     "merkle_root": "<64 hex>",
     "result": {...}}                                           # commune.tally.export.result_dict

Merkle root (the construction of RFC 6962 §2.1, with SHA-256):

* a leaf is the canonical JSON of one ballot object ``{"ranking": [...], "tracker": "...", "weight": n}``
  (keys sorted, no whitespace, UTF-8), hashed as ``SHA-256(0x00 || leaf)``;
* leaves are taken in bulletin order (sorted by tracker);
* an inner node over ``n > 1`` leaves splits them at ``k``, the largest power of two below ``n``, and is
  ``SHA-256(0x01 || root(first k) || root(rest))``; the root of no leaves is ``SHA-256("")``.

The root is recorded in the organisation's provenance log when the bulletin is published, so a bulletin
whose ballots were changed, added, removed or reordered after publication no longer matches it.

A sealed yes/no box (a motion's secret vote or referendum, a recall ballot) has its own, simpler bulletin
(``commune-yes-no-bulletin/1``)::

    {"format": "commune-yes-no-bulletin/1", "box": 7,
     "papers": [{"id": "<uuid>", "choice": "yes", "weight": 1}, ...],   # shuffled at the seal, by random id
     "totals": {"yes": 12, "no": 5, "abstain": 1},
     ...}                                    # the owner's own: what was asked, the declared ``result``

``yes_no_bulletin_count`` re-counts its papers; ``yes_no_bulletin_verify`` checks the count against the
totals and the declared result it states.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from commune.errors import DomainError
from commune.tally.export import result_dict
from commune.tally.methods import METHODS, spec_complete
from commune.tally.readers import count_comment
from commune.tally.types import Ballot, CountSpec, Election, Result, TallyError

__all__ = [
    "FORMAT",
    "BulletinError",
    "ballot_leaf",
    "bulletin_blt",
    "bulletin_count",
    "bulletin_election",
    "bulletin_spec",
    "bulletin_verify",
    "merkle_root",
    "yes_no_bulletin_count",
    "yes_no_bulletin_verify",
]

FORMAT = "commune-bulletin/1"
YES_NO_FORMAT = "commune-yes-no-bulletin/1"
YES_NO_CHOICES = ("yes", "no", "abstain")


class BulletinError(DomainError, ValueError):
    """A bulletin file is malformed, or does not match its hash or its published result."""


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def ballot_leaf(*, tracker: str, ranking: Sequence[int], weight: int) -> bytes:
    """The canonical bytes of one published ballot."""
    return _canonical({"ranking": list(ranking), "tracker": tracker, "weight": weight})


def _leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def _root(hashes: list[bytes]) -> bytes:
    if len(hashes) == 1:
        return hashes[0]
    split = 1 << ((len(hashes) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + _root(hashes[:split]) + _root(hashes[split:])).digest()


def merkle_root(leaves: Iterable[bytes]) -> str:
    """The hex Merkle root of the leaves, in the order given."""
    hashes = [_leaf_hash(leaf) for leaf in leaves]
    if not hashes:
        return hashlib.sha256(b"").hexdigest()
    return _root(hashes).hex()


def _ballots(bulletin: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    ballots = bulletin.get("ballots")
    if not isinstance(ballots, list):
        raise BulletinError("the bulletin has no list of ballots")
    return ballots


def bulletin_verify(bulletin: Mapping[str, Any]) -> str:
    """Recompute the Merkle root from the ballots; raise ``BulletinError`` unless it is the one stated."""
    if bulletin.get("format") != FORMAT:
        raise BulletinError(f"not a Commune bulletin (expected format {FORMAT!r})")
    try:
        root = merkle_root(
            ballot_leaf(tracker=b["tracker"], ranking=b["ranking"], weight=b["weight"])
            for b in _ballots(bulletin)
        )
    except (KeyError, TypeError) as exc:
        raise BulletinError(f"a ballot in the bulletin is malformed: {exc}") from exc
    if root != bulletin.get("merkle_root"):
        raise BulletinError(
            f"hash check failed: the ballots hash to {root}, but the bulletin states {bulletin.get('merkle_root')}"
        )
    return root


def bulletin_election(bulletin: Mapping[str, Any]) -> Election:
    """The bulletin's ballots as a ``commune.tally`` election (candidates named by their ballot labels)."""
    labels = {int(c["id"]): str(c["label"]) for c in bulletin["candidates"]}
    grouped: dict[tuple[str, ...], int] = {}
    for entry in _ballots(bulletin):
        try:
            ranking = tuple(labels[int(cid)] for cid in entry["ranking"])
        except KeyError as exc:
            raise BulletinError(f"ballot {entry.get('tracker')} ranks an unknown candidate {exc}") from exc
        grouped[ranking] = grouped.get(ranking, 0) + int(entry["weight"])
    return Election(
        candidates=tuple(labels.values()),
        seats=int(bulletin["seats"]),
        ballots=tuple(Ballot.of(*ranking, count=count) for ranking, count in sorted(grouped.items())),
        title=str(bulletin.get("title", "")),
    )


def bulletin_count(bulletin: Mapping[str, Any]) -> Result:
    """Count the bulletin's ballots by its method, seats and seed."""
    method = METHODS.get(str(bulletin["method"]))
    if method is None:
        raise BulletinError(f"the counting method {bulletin['method']!r} is not available in this version")
    election = bulletin_election(bulletin)
    try:
        return method(election, seats=election.seats, seed=int(bulletin["seed"]))
    except TallyError as exc:
        raise BulletinError(f"the ballots could not be counted: {exc}") from exc


def published_result_matches(bulletin: Mapping[str, Any], result: Result) -> bool:
    """Whether a re-count gives exactly the published result, stage by stage."""
    return result_dict(result, title=str(bulletin.get("title", ""))) == bulletin.get("result")


def bulletin_spec(bulletin: Mapping[str, Any]) -> CountSpec:
    """How the bulletin's ballots were counted: its method and tie seed, every option written out."""
    seed = bulletin.get("seed")
    try:
        return spec_complete(CountSpec(str(bulletin["method"]), 0 if seed is None else int(seed)))
    except TallyError as exc:
        raise BulletinError(f"the bulletin's count cannot be repeated: {exc}") from exc


def bulletin_blt(bulletin: Mapping[str, Any]) -> str:
    """The bulletin in BLT format (for OpenSTV, Droop, ``commune tally``), weights as ballot counts.

    After the title, a comment line says how the ballots were counted (method, tie seed, options), so
    that ``commune tally`` and ``commune retally`` given the file alone reproduce the declared result
    (``commune.tally.readers``); the tools that read BLT stop at the title.
    """
    ids = [int(c["id"]) for c in bulletin["candidates"]]
    number = {cid: i + 1 for i, cid in enumerate(ids)}
    lines = [f"{len(ids)} {int(bulletin['seats'])}"]
    for entry in _ballots(bulletin):
        prefs = " ".join(str(number[int(cid)]) for cid in entry["ranking"])
        lines.append(f"{int(entry['weight'])} {prefs} 0")
    lines.append("0")
    lines += ['"' + str(c["label"]).replace('"', "'") + '"' for c in bulletin["candidates"]]
    lines.append('"' + str(bulletin.get("title", "")).replace('"', "'") + '"')
    lines.append(count_comment(bulletin_spec(bulletin)))
    return "\n".join(lines) + "\n"


def yes_no_bulletin_count(bulletin: Mapping[str, Any]) -> dict[str, int]:
    """Re-count a yes/no bulletin's papers: the total weight of each choice."""
    if bulletin.get("format") != YES_NO_FORMAT:
        raise BulletinError(f"not a Commune yes/no bulletin (expected format {YES_NO_FORMAT!r})")
    papers = bulletin.get("papers")
    if not isinstance(papers, list):
        raise BulletinError("the bulletin has no list of papers")
    totals = dict.fromkeys(YES_NO_CHOICES, 0)
    for paper in papers:
        try:
            choice, weight = paper["choice"], int(paper["weight"])
        except (KeyError, TypeError, ValueError) as exc:
            raise BulletinError(f"a paper in the bulletin is malformed: {exc}") from exc
        if choice not in totals:
            raise BulletinError(f"a paper in the bulletin has no yes/no choice: {choice!r}")
        totals[choice] += weight
    return totals


def yes_no_bulletin_verify(bulletin: Mapping[str, Any]) -> dict[str, int]:
    """Re-count the papers and check the count against the totals and the declared result the bulletin
    states; returns the count, or raises ``BulletinError`` naming what differs."""
    counted = yes_no_bulletin_count(bulletin)
    stated = {"totals": bulletin.get("totals"), "result": bulletin.get("result")}
    for name, figures in stated.items():
        if not isinstance(figures, Mapping):
            raise BulletinError(f"the bulletin states no {name}")
        declared = {choice: figures.get(choice) for choice in YES_NO_CHOICES}
        if declared != counted:
            raise BulletinError(f"the papers count to {counted}, but the bulletin's {name} say {declared}")
    return counted
