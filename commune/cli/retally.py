"""``commune retally``: check a downloaded bulletin and count it again, without a database.

    commune retally BULLETIN.json [--root HEX] [--quiet]

1. Recomputes the bulletin's Merkle root from its ballots and compares it with the root it states (and with
   ``--root``, the one you read in the organisation's provenance log, entry ``election.bulletin_published``).
2. Counts the ballots with the same method, seats and tie seed, and compares the result with the published
   one, stage by stage.

Exit status: 0 when both agree, 1 when the hash check or the re-count disagrees, 2 for a file that cannot be
read. Never imports Django.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from commune.ballots.bulletin import BulletinError, bulletin_count, bulletin_verify, published_result_matches
from commune.tally.export import result_dict
from commune.tallyviz import to_table


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune retally", description="Verify a Commune bulletin's hash and re-count its ballots."
    )
    parser.add_argument("bulletin", metavar="BULLETIN.json")
    parser.add_argument("--root", help="the Merkle root recorded in the provenance log, to compare too")
    parser.add_argument("--quiet", action="store_true", help="print only the verdict")
    return parser


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        bulletin = json.loads(Path(args.bulletin).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"commune retally: cannot read {args.bulletin}: {exc}", file=sys.stderr)
        return 2
    if not isinstance(bulletin, dict):
        print(f"commune retally: {args.bulletin} is not a bulletin", file=sys.stderr)
        return 2
    try:
        root = bulletin_verify(bulletin)
    except BulletinError as exc:
        print(f"commune retally: {exc}", file=sys.stderr)
        return 1
    if args.root and args.root.strip().lower() != root:
        print(
            f"commune retally: hash check failed: the ballots hash to {root}, not to the logged root {args.root}",
            file=sys.stderr,
        )
        return 1
    title = str(bulletin.get("title", ""))
    ballots = len(bulletin["ballots"])
    if bulletin.get("uncontested"):
        print(f"{title}: uncontested, no ballots to count; Merkle root {root} verified")
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
        print(
            f"commune retally: MISMATCH: the re-count elects {list(result.elected)}, the published result "
            f"{published}"
            + (" (same winners, different stages)" if published == list(result.elected) else ""),
            file=sys.stderr,
        )
        return 1
    assert result_dict(result, title=title)["elected"] == list(result.elected)
    print(
        f"OK: {ballots} ballots, Merkle root {root} verified; the re-count equals the published result "
        f"({', '.join(result.elected)} elected)"
    )
    return 0
