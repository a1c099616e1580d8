"""The counting methods by name, as the ``commune tally --method`` option and the apps choose them.

Each entry maps a method name to a callable ``(election, *, seats, seed) -> Result``. ``seats`` is the
number to fill (single-winner methods take 1); ``seed`` settles any tie the method leaves to lot.
"""

from __future__ import annotations

from typing import Protocol

from commune.tally.irv import irv
from commune.tally.meek import meek_stv
from commune.tally.schulze import schulze
from commune.tally.scottish import scottish_stv
from commune.tally.single_round import approval, plurality
from commune.tally.types import Election, PackedElection, Result
from commune.tally.wigm import wigm_stv

__all__ = ["METHODS", "PACKED_METHODS", "Method", "PackedMethod"]


class Method(Protocol):
    """A counting method: a pure function from an election to its result."""

    def __call__(self, election: Election, *, seats: int, seed: int) -> Result: ...


METHODS: dict[str, Method] = {
    "scottish-stv": scottish_stv,
    "meek-stv": meek_stv,
    "wigm-stv": wigm_stv,
    "irv": irv,
    "schulze": schulze,
    "approval": approval,
    "plurality": plurality,
}


class PackedMethod(Protocol):
    """A counting method that also takes a ``PackedElection`` and counts it without unpacking it."""

    def __call__(self, election: Election | PackedElection, *, seats: int, seed: int) -> Result: ...


#: The methods of ``METHODS`` that count a ``PackedElection`` as it stands (``readers.read_packed``).
PACKED_METHODS: dict[str, PackedMethod] = {"scottish-stv": scottish_stv}
