"""``commune retally``: check a downloaded bulletin and count it again, without a database.

    commune retally BULLETIN.json [--root HEX] [--quiet]
    commune retally BULLETIN.blt [--quiet]

For the JSON bulletin:

1. Recomputes the bulletin's Merkle root from its ballots and compares it with the root it states (and with
   ``--root``, the one you read in the organisation's provenance log, entry ``election.bulletin_published``).
2. Counts the ballots with the same method, seats and tie seed, and compares the result with the published
   one, stage by stage.

The BLT download holds the ballots without their trackers, with a comment line saying how they were
counted (method, tie seed, options): it is counted again exactly so, and the outcome printed to compare
with the declared result (there is nothing in it to hash).

Exit status: 0 when both agree (for a BLT file: when it was counted), 1 when the hash check or the re-count
disagrees or the ballots cannot be counted, 2 for a file that cannot be read. Never imports Django.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from commune.ballots.bulletin import BulletinError, bulletin_count, bulletin_verify, published_result_matches
from commune.console import gettext as _
from commune.tally.export import result_dict
from commune.tally.methods import count
from commune.tally.readers import COUNT_COMMENT, read_election
from commune.tally.types import TallyError
from commune.tallyviz import to_table


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune retally", description=_("Verify a Commune bulletin's hash and re-count its ballots.")
    )
    parser.add_argument("bulletin", metavar="BULLETIN.json|BULLETIN.blt")
    parser.add_argument("--root", help=_("the Merkle root recorded in the provenance log, to compare too"))
    parser.add_argument("--quiet", action="store_true", help=_("print only the verdict"))
    return parser


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if Path(args.bulletin).suffix.lower() == ".blt":
        return _retally_blt(args)
    try:
        bulletin = json.loads(Path(args.bulletin).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(
            "commune retally: "
            + _("cannot read %(path)s: %(reason)s") % {"path": args.bulletin, "reason": exc},
            file=sys.stderr,
        )
        return 2
    if not isinstance(bulletin, dict):
        print(
            "commune retally: " + _("%(path)s is not a bulletin") % {"path": args.bulletin}, file=sys.stderr
        )
        return 2
    try:
        root = bulletin_verify(bulletin)
    except BulletinError as exc:
        print(f"commune retally: {exc}", file=sys.stderr)
        return 1
    if args.root and args.root.strip().lower() != root:
        print(
            "commune retally: "
            + _("hash check failed: the ballots hash to %(root)s, not to the logged root %(logged)s")
            % {"root": root, "logged": args.root},
            file=sys.stderr,
        )
        return 1
    title = str(bulletin.get("title", ""))
    ballots = len(bulletin["ballots"])
    if bulletin.get("uncontested"):
        print(
            _("%(title)s: uncontested, no ballots to count; Merkle root %(root)s verified")
            % {"title": title, "root": root}
        )
        return 0
    try:
        result = bulletin_count(bulletin)
    except BulletinError as exc:
        print(f"commune retally: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(to_table(result, title=title))
    if not published_result_matches(bulletin, result):
        published = (bulletin.get("result") or {}).get("elected")
        mismatch = (
            _(
                "MISMATCH: the re-count elects %(recounted)s, the published result %(published)s (same winners, different stages)"
            )
            if published == list(result.elected)
            else _("MISMATCH: the re-count elects %(recounted)s, the published result %(published)s")
        )
        print(
            "commune retally: " + mismatch % {"recounted": list(result.elected), "published": published},
            file=sys.stderr,
        )
        return 1
    assert result_dict(result, title=title)["elected"] == list(result.elected)
    print(
        _(
            "OK: %(ballots)s ballots, Merkle root %(root)s verified; the re-count equals the published result "
            "(%(elected)s elected)"
        )
        % {"ballots": ballots, "root": root, "elected": ", ".join(result.elected)}
    )
    return 0


def _retally_blt(args: argparse.Namespace) -> int:
    """Count a BLT download again by the method, seed and options its comment line states."""
    if args.root:
        print(
            "commune retally: "
            + _("a BLT file holds no trackers to hash; check the root with the JSON bulletin"),
            file=sys.stderr,
        )
        return 2
    try:
        election = read_election(args.bulletin)
    except TallyError as exc:
        print(f"commune retally: {exc}", file=sys.stderr)
        return 2
    spec = election.count
    if spec is None:
        print(
            "commune retally: "
            + _(
                "%(path)s does not say how it was counted (no %(comment)s line); "
                "count it with commune tally --method and --seed"
            )
            % {"path": args.bulletin, "comment": repr(COUNT_COMMENT)},
            file=sys.stderr,
        )
        return 2
    try:
        result = count(election, spec)
    except TallyError as exc:
        print(
            "commune retally: "
            + _("%(path)s: the ballots could not be counted: %(reason)s")
            % {"path": args.bulletin, "reason": exc},
            file=sys.stderr,
        )
        return 1
    if not args.quiet:
        print(to_table(result, file=args.bulletin, title=election.title))
    options = "".join(f", {key} {value}" for key, value in spec.options)
    papers = sum(ballot.count for ballot in election.ballots)
    print(
        _(
            "%(title)s: %(papers)s papers re-counted by %(method)s, tie seed %(seed)s: %(elected)s elected. "
            "A BLT file holds neither trackers nor the published result: compare this with the declared result, "
            "and re-tally the JSON bulletin to check its Merkle root."
        )
        % {
            "title": election.title or args.bulletin,
            "papers": papers,
            "method": f"{spec.method}{options}",
            "seed": spec.seed,
            "elected": ", ".join(result.elected),
        }
    )
    return 0
