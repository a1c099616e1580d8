"""Exact statutory counting: a pure library (stdlib and numpy only, no Django, no I/O in the counts)."""

from commune.tally.countback import Countback, countback
from commune.tally.irv import irv
from commune.tally.meek import meek_stv
from commune.tally.methods import METHODS, PACKED_METHODS
from commune.tally.readers import parse_blt, parse_csv, parse_preflib, read_election, read_packed
from commune.tally.schulze import schulze
from commune.tally.scottish import scottish_stv
from commune.tally.single_round import approval, plurality
from commune.tally.types import (
    Ballot,
    Election,
    PackedElection,
    Result,
    Stage,
    TallyError,
    TieBreak,
    Transfer,
)
from commune.tally.wigm import wigm_stv
from commune.tally.yes_no import YesNoResult, YesNoRule, yes_no

__all__ = [
    "METHODS",
    "PACKED_METHODS",
    "Ballot",
    "Countback",
    "Election",
    "PackedElection",
    "Result",
    "Stage",
    "TallyError",
    "TieBreak",
    "Transfer",
    "YesNoResult",
    "YesNoRule",
    "approval",
    "countback",
    "irv",
    "meek_stv",
    "parse_blt",
    "parse_csv",
    "parse_preflib",
    "plurality",
    "read_election",
    "read_packed",
    "schulze",
    "scottish_stv",
    "wigm_stv",
    "yes_no",
]
