"""Exact statutory counting: a pure library (stdlib and numpy only, no Django, no I/O in the counts).

A count is a function from an immutable ``Election`` to a typed, immutable result: each method returns
its own ``Result`` subclass (``ScottishResult``, ``MeekResult``, ...) with every stage, every tie and
how it was settled (``commune.tally.ties``), and every figure exact. Yes/no decisions are decided by
``yes_no``. The readers turn BLT, PrefLib and CSV files into an ``Election``; ``result_dict`` and
``yes_no_dict`` give an outcome's JSON-ready form.
"""

from commune.tally.countback import Countback, RecountResult, countback
from commune.tally.export import result_dict, yes_no_dict
from commune.tally.irv import IrvResult, irv
from commune.tally.meek import MeekResult, meek_stv
from commune.tally.methods import METHODS, OPTIONS, PACKED_METHODS, Method, PackedMethod, count, spec_complete
from commune.tally.readers import (
    count_comment,
    parse_blt,
    parse_csv,
    parse_preflib,
    read_election,
    read_packed,
)
from commune.tally.schulze import SchulzeResult, schulze
from commune.tally.scottish import ScottishResult, scottish_stv
from commune.tally.single_round import ApprovalResult, PluralityResult, approval, plurality
from commune.tally.ties import lot_order, settle
from commune.tally.types import (
    Ballot,
    CountSpec,
    Election,
    PackedElection,
    Result,
    Stage,
    TallyError,
    TieBreak,
    Transfer,
)
from commune.tally.wigm import WigmResult, wigm_stv
from commune.tally.yes_no import PRESETS, Threshold, YesNoResult, YesNoRule, count_answers, yes_no

__all__ = [
    "METHODS",
    "OPTIONS",
    "PACKED_METHODS",
    "PRESETS",
    "ApprovalResult",
    "Ballot",
    "CountSpec",
    "Countback",
    "Election",
    "IrvResult",
    "MeekResult",
    "Method",
    "PackedElection",
    "PackedMethod",
    "PluralityResult",
    "RecountResult",
    "Result",
    "SchulzeResult",
    "ScottishResult",
    "Stage",
    "TallyError",
    "Threshold",
    "TieBreak",
    "Transfer",
    "WigmResult",
    "YesNoResult",
    "YesNoRule",
    "approval",
    "count",
    "count_answers",
    "count_comment",
    "countback",
    "irv",
    "lot_order",
    "meek_stv",
    "parse_blt",
    "parse_csv",
    "parse_preflib",
    "plurality",
    "read_election",
    "read_packed",
    "result_dict",
    "schulze",
    "scottish_stv",
    "settle",
    "spec_complete",
    "wigm_stv",
    "yes_no",
    "yes_no_dict",
]
