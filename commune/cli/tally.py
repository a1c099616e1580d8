"""``commune tally``: count ballot files without a database.

    commune tally FILE... [--method NAME] [--seats N] [--format table|json|jsonl|csv]
                          [--chart OUT.png|OUT.html|OUT.svg] [--seed N]
    commune tally FILE... --method yes-no [--electorate N] [--present N] [--rule PRESET]
                          [--majority SHARE [--more-than]] [--abstentions-count]
                          [--quorum SHARE [--quorum-of electorate|present]] [--turnout SHARE]
                          [--support SHARE] [--format ...] [--chart ...]

Files are BLT, PrefLib (``.soi``/``.toi``) or CSV (see ``commune.tally.readers``). The method is looked
up in ``commune.tally.methods.METHODS``. A file that states how it is counted (a bulletin's BLT carries
a ``# commune-count:`` line with the method, the tie seed and the method's options) is counted so unless
``--method`` or ``--seed`` says otherwise; any other file by Scottish STV with seed 0.

``yes-no`` decides a question from a file of yes, no and abstain papers (its "candidates" are the
answers: ``commune.tally.yes_no.count_answers``) under a rule built from the options, which mirror
``commune.tally.yes_no.YesNoRule``. A SHARE is a fraction (``2/3``), a percentage (``40%``) or a
decimal (``0.4``), always exact. This command never imports Django.

Exit status: 0 when every file was counted (whether or not a question was carried), 1 when a file could
not be read or counted (the reason, with file and line, goes to standard error), 2 for a usage error or a
method that is not available.
"""

from __future__ import annotations

import argparse
import gc
import sys
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path

from commune.console import gettext as _
from commune.tally.methods import METHODS, count
from commune.tally.readers import read_election, read_packed
from commune.tally.types import CountSpec, TallyError
from commune.tally.yes_no import PRESETS, YesNoRule, count_answers, yes_no
from commune.tallyviz import to_csv, to_html, to_json, to_jsonl, to_svg, to_table, write_png
from commune.tallyviz.text import Counted, Outcome

YES_NO = "yes-no"
DEFAULT_METHOD = "scottish-stv"

#: Every method the command knows of: the counts of ``METHODS`` and the yes/no decision.
KNOWN_METHODS = (*METHODS, YES_NO)

#: The options that shape a yes/no rule (``dest`` names), refused with any other method.
_RULE_OPTIONS = (
    "electorate",
    "present",
    "rule",
    "majority",
    "more_than",
    "abstentions_count",
    "quorum",
    "quorum_of",
    "turnout",
    "support",
)


class UsageError(Exception):
    """The options cannot be acted on (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commune tally",
        description=_(
            "Count ballot files (BLT, PrefLib .soi/.toi, CSV) and print the result stage by stage."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help=_("ballot files to count"))
    parser.add_argument(
        "--method",
        help=_("counting method: %(methods)s (default: the one the file states, else %(default)s)")
        % {"methods": ", ".join(KNOWN_METHODS), "default": DEFAULT_METHOD},
    )
    parser.add_argument("--seats", type=int, help=_("number of seats (default: as the file says, else 1)"))
    parser.add_argument("--format", choices=("table", "json", "jsonl", "csv"), default="table")
    parser.add_argument("--chart", metavar="OUT", help=_("also draw the count: OUT.png, OUT.html or OUT.svg"))
    parser.add_argument(
        "--seed", type=int, help=_("seed for ties settled by lot (default: the one the file states, else 0)")
    )
    decision = parser.add_argument_group(
        _("yes/no questions (--method yes-no)"),
        _(
            "The file's papers answer yes, no or abstain. SHARE: a fraction (2/3), a percentage (40%%) or a "
            "decimal (0.4)."
        )
        % {},
    )
    decision.add_argument(
        "--electorate",
        type=int,
        help=_(
            "everyone entitled to vote (needed for a quorum of the electorate, "
            "a turnout or a support threshold; default: those taking part)"
        ),
    )
    decision.add_argument(
        "--present", type=int, help=_("everyone at the meeting (default: those taking part)")
    )
    decision.add_argument(
        "--rule", choices=sorted(PRESETS), help=_("a preset rule to start from (default: simple)")
    )
    decision.add_argument(
        "--majority",
        metavar="SHARE",
        help=_(
            "yes must be at least SHARE of the votes cast (simple, two-thirds and three-quarters name the presets' majorities)"
        ),
    )
    decision.add_argument(
        "--more-than", action="store_true", help=_("yes must be more than the majority's SHARE")
    )
    decision.add_argument(
        "--abstentions-count", action="store_true", help=_("abstentions count among the votes cast")
    )
    decision.add_argument("--quorum", metavar="SHARE", help=_("the quorum, a share of --quorum-of"))
    decision.add_argument(
        "--quorum-of",
        choices=("electorate", "present"),
        help=_(
            "electorate: that share of the electorate present; present: that share of those present "
            "taking part (default: electorate)"
        ),
    )
    decision.add_argument(
        "--turnout", metavar="SHARE", help=_("those taking part, as a share of the electorate")
    )
    decision.add_argument("--support", metavar="SHARE", help=_("yes votes, as a share of the electorate"))
    return parser


def main(argv: list[str]) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)

    try:
        if args.method is not None and args.method not in KNOWN_METHODS:
            raise UsageError(
                _("unknown method %(method)s (available: %(methods)s)")
                % {"method": repr(args.method), "methods": ", ".join(KNOWN_METHODS)}
            )
        if args.seats is not None and args.seats < 1:
            raise UsageError(_("--seats must be at least 1"))
        chart = Path(args.chart) if args.chart else None
        if chart is not None and chart.suffix.lower() not in {".png", ".html", ".htm", ".svg"}:
            raise UsageError(_("--chart must end in .png, .html or .svg"))
        if args.method == YES_NO:
            rule = _rule(args)
            if args.seats is not None:
                raise UsageError(_("--seats does not apply to a yes/no question"))
        else:
            rule = None
            given = [f"--{name.replace('_', '-')}" for name in _RULE_OPTIONS if getattr(args, name)]
            if given:
                raise UsageError(
                    _("%(options)s shape a yes/no question: use them with --method yes-no")
                    % {"options": ", ".join(given)}
                )
    except UsageError as error:
        print(f"commune tally: {error}", file=sys.stderr)
        return 2

    counted: list[Counted] = []
    failed = False
    for file in args.files:
        # Reading and counting allocate many small objects and create no reference cycles, so the
        # cyclic collector only costs time here (about a fifth of it on a million papers).
        gc.disable()
        try:
            title, outcome = _count(file, args) if rule is None else _decide(file, args, rule)
        except TallyError as error:
            message = str(error)
            if not message.startswith(file):
                message = f"{file}: {message}"
            print(f"commune tally: {message}", file=sys.stderr)
            failed = True
            continue
        finally:
            gc.enable()
        counted.append((file, title, outcome))

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
        for file, title, outcome in counted:
            target = (
                chart
                if len(counted) == 1
                else chart.with_name(f"{chart.stem}-{Path(file).stem}{chart.suffix}")
            )
            try:
                _write_chart(target, outcome, file=file, title=title)
            except OSError as error:
                reason = error.strerror or error
                print(
                    "commune tally: "
                    + _("cannot write %(path)s: %(reason)s") % {"path": target, "reason": reason},
                    file=sys.stderr,
                )
                failed = True
    return 1 if failed else 0


def _count(file: str, args: argparse.Namespace) -> tuple[str, Outcome]:
    """Count one ballot file: by the method and seed asked for, else by those the file states, else by
    Scottish STV with seed 0. The file's options hold when its own method is used."""
    # Read packed: a method that counts packed rankings as they stand skips building a Ballot per
    # ranking; ``count`` unpacks them for the others.
    election = read_packed(file, seats=args.seats)
    stated = election.count
    method = args.method or (stated.method if stated else DEFAULT_METHOD)
    seed = args.seed if args.seed is not None else (stated.seed if stated else 0)
    options = stated.options if stated and stated.method == method else ()
    return election.title, count(election, CountSpec(method, seed, options))


def _decide(file: str, args: argparse.Namespace, rule: YesNoRule) -> tuple[str, Outcome]:
    """Decide the question of one file of yes/no papers under ``rule``."""
    election = read_election(file)
    yes, no, abstain = count_answers(election)
    taking_part = yes + no + abstain
    present = args.present
    electorate = args.electorate
    if electorate is None:
        electorate = taking_part if present is None else max(present, taking_part)
    return election.title, yes_no(
        yes=yes, no=no, abstain=abstain, electorate=electorate, present=present, rule=rule
    )


def _rule(args: argparse.Namespace) -> YesNoRule:
    """The yes/no rule the options describe: a preset, then each option in turn."""
    rule = PRESETS[args.rule or "simple"]
    changes: dict[str, object] = {}
    named: list[str] = []
    preset = None
    if args.majority is not None:
        preset = args.majority if args.majority in ("simple", "two-thirds", "three-quarters") else None
        if preset is not None:
            chosen = PRESETS[preset]
            changes.update(majority=chosen.majority, majority_strict=chosen.majority_strict)
        else:
            changes.update(majority=_share(args.majority, "--majority"), majority_strict=False)
    if args.more_than:
        changes["majority_strict"] = True
    if args.majority is not None and preset is not None and not args.more_than:
        named.append(PRESETS[preset].name)
    elif args.majority is not None:
        named.append(f"majority of {'more than' if args.more_than else 'at least'} {args.majority}")
    elif args.more_than:
        named.append(f"majority of more than {_fraction_text(rule.majority)}")
    if args.abstentions_count:
        changes["abstentions_count"] = True
        named.append("abstentions counted")
    for option in ("quorum", "turnout", "support"):
        text = getattr(args, option)
        if text is not None:
            changes[option] = _share(text, f"--{option}")
            named.append(f"{option} {text}")
    if args.quorum_of is not None:
        changes["quorum_of"] = args.quorum_of
        named.append(f"quorum of those {'present' if args.quorum_of == 'present' else 'entitled'}")
    if named:
        # The preset's name stays unless the options replaced the majority it is named for.
        keep = args.rule is not None or (args.majority is None and not args.more_than)
        changes["name"] = ", ".join([rule.name, *named] if keep else named)
    try:
        rule = replace(rule, **changes)  # type: ignore[arg-type]
    except TallyError as error:
        raise UsageError(str(error)) from None
    needs = [
        label
        for label, needed in (
            (_("a quorum of the electorate"), rule.quorum is not None and rule.quorum_of == "electorate"),
            (_("a turnout threshold"), rule.turnout is not None),
            (_("a support threshold"), rule.support is not None),
        )
        if needed
    ]
    if needs and args.electorate is None:
        raise UsageError(_("--electorate is needed for %(needs)s") % {"needs": _(" and ").join(needs)})
    for option in ("electorate", "present"):
        value = getattr(args, option)
        if value is not None and value < 0:
            raise UsageError(_("%(option)s cannot be negative") % {"option": f"--{option}"})
    return rule


def _fraction_text(share: Fraction) -> str:
    return f"{share.numerator}/{share.denominator}"


def _share(text: str, option: str) -> Fraction:
    """A share of a whole, exactly: ``2/3``, ``40%`` or ``0.4``."""
    cleaned = text.strip()
    try:
        if cleaned.endswith("%"):
            share = Fraction(Decimal(cleaned[:-1].strip())) / 100
        elif "/" in cleaned:
            numerator, denominator = cleaned.split("/", 1)
            share = Fraction(int(numerator), int(denominator))
        else:
            share = Fraction(Decimal(cleaned))
    except (ValueError, ZeroDivisionError, InvalidOperation):
        raise UsageError(
            _("%(option)s must be a share such as 2/3, 40%% or 0.4, not %(text)s")
            % {"option": option, "text": repr(text)}
        ) from None
    if not 0 <= share <= 1:
        raise UsageError(
            _("%(option)s must be a share between 0 and 1 (or 0%% and 100%%), not %(text)s")
            % {"option": option, "text": repr(text)}
        )
    return share


def _write_chart(target: Path, outcome: Outcome, *, file: str, title: str) -> None:
    suffix = target.suffix.lower()
    if suffix == ".svg":
        target.write_text(to_svg(outcome, title=title or file), encoding="utf-8")
    elif suffix in {".html", ".htm"}:
        target.write_text(to_html(outcome, title=title, file=file), encoding="utf-8")
    else:
        write_png(target, outcome, title=title or file)
