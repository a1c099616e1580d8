"""``commune tally``: count ballot files without a database.

    commune tally FILE... [--method NAME] [--seats N] [--format table|json|jsonl|csv]
                          [--chart OUT.png|OUT.html] [--seed N]

Files are BLT, PrefLib (``.soi``/``.toi``) or CSV (see ``commune.tally.readers``). The method is looked
up in ``commune.tally.methods.METHODS``. This command never imports Django.

Exit status: 0 when every file was counted, 1 when a file could not be read or counted (the reason,
with file and line, goes to standard error), 2 for a usage error or a method that is not available.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from commune.tally.methods import METHODS, PACKED_METHODS
from commune.tally.readers import read_election, read_packed
from commune.tally.types import Election, PackedElection, Result, TallyError
from commune.tallyviz import to_csv, to_html, to_json, to_jsonl, to_svg, to_table, write_png

#: Every method the command knows of; those not yet in ``METHODS`` are reported as unavailable.
KNOWN_METHODS = ("scottish-stv", "meek-stv", "wigm-stv", "irv", "schulze", "approval", "plurality", "yes-no")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune tally",
        description="Count ballot files (BLT, PrefLib .soi/.toi, CSV) and print the result stage by stage.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="ballot files to count")
    parser.add_argument("--method", default="scottish-stv", help="counting method (default: scottish-stv)")
    parser.add_argument("--seats", type=int, help="number of seats (default: as the file says, else 1)")
    parser.add_argument("--format", choices=("table", "json", "jsonl", "csv"), default="table")
    parser.add_argument("--chart", metavar="OUT", help="also draw the count: OUT.png or OUT.html")
    parser.add_argument("--seed", type=int, default=0, help="seed for ties settled by lot (default: 0)")
    return parser


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)

    method = METHODS.get(args.method)
    if method is None:
        available = ", ".join(sorted(METHODS))
        if args.method in KNOWN_METHODS:
            print(
                f"commune tally: method {args.method!r} is not available yet (available: {available})",
                file=sys.stderr,
            )
        else:
            print(f"commune tally: unknown method {args.method!r} (available: {available})", file=sys.stderr)
        return 2
    if args.seats is not None and args.seats < 1:
        print("commune tally: --seats must be at least 1", file=sys.stderr)
        return 2
    chart = Path(args.chart) if args.chart else None
    if chart is not None and chart.suffix.lower() not in {".png", ".html", ".htm", ".svg"}:
        print("commune tally: --chart must end in .png, .html or .svg", file=sys.stderr)
        return 2

    # A method that counts packed rankings as they stand skips building a Ballot per ranking.
    packed_method = PACKED_METHODS.get(args.method)
    counted: list[tuple[str, str, Result]] = []
    failed = False
    for file in args.files:
        # Reading and counting allocate many small objects and create no reference cycles, so the
        # cyclic collector only costs time here (about a fifth of it on a million papers).
        gc.disable()
        try:
            if packed_method is not None:
                election: Election | PackedElection = read_packed(file, seats=args.seats)
                result = packed_method(election, seats=election.seats, seed=args.seed)
            else:
                election = read_election(file, seats=args.seats)
                result = method(election, seats=election.seats, seed=args.seed)
        except TallyError as error:
            message = str(error)
            if not message.startswith(file):
                message = f"{file}: {message}"
            print(f"commune tally: {message}", file=sys.stderr)
            failed = True
            continue
        finally:
            gc.enable()
        counted.append((file, election.title, result))

    out = sys.stdout
    if args.format == "table":
        out.write("\n".join(to_table(r, file=f, title=t) for f, t, r in counted))
    elif args.format == "json" and counted:
        out.write(to_json(counted))
    elif args.format == "jsonl":
        out.write(to_jsonl(counted))
    elif args.format == "csv":
        out.write(to_csv(counted))
    out.flush()

    if chart is not None:
        for file, title, result in counted:
            target = (
                chart
                if len(counted) == 1
                else chart.with_name(f"{chart.stem}-{Path(file).stem}{chart.suffix}")
            )
            try:
                _write_chart(target, result, file=file, title=title)
            except OSError as error:
                print(f"commune tally: cannot write {target}: {error.strerror or error}", file=sys.stderr)
                failed = True
    return 1 if failed else 0


def _write_chart(target: Path, result: Result, *, file: str, title: str) -> None:
    suffix = target.suffix.lower()
    if suffix == ".svg":
        target.write_text(to_svg(result, title=title or file), encoding="utf-8")
    elif suffix in {".html", ".htm"}:
        target.write_text(to_html(result, title=title, file=file), encoding="utf-8")
    else:
        write_png(target, result, title=title or file)
