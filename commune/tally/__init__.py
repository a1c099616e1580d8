"""Exact statutory counting: a pure library (stdlib and numpy only, no Django, no I/O in the counts)."""

from commune.tally.methods import METHODS
from commune.tally.readers import parse_blt, parse_csv, parse_preflib, read_election
from commune.tally.scottish import scottish_stv
from commune.tally.types import Ballot, Election, Result, Stage, TallyError, TieBreak, Transfer

__all__ = [
    "METHODS",
    "Ballot",
    "Election",
    "Result",
    "Stage",
    "TallyError",
    "TieBreak",
    "Transfer",
    "parse_blt",
    "parse_csv",
    "parse_preflib",
    "read_election",
    "scottish_stv",
]
