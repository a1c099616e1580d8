"""The counting methods by name, as the ``commune tally --method`` option and the apps choose them.

Each entry maps a method name to a callable ``(election, *, seats, seed) -> Result``. ``seats`` is the
number to fill (single-winner methods take 1); ``seed`` settles any tie the method leaves to lot.

``count`` counts by a ``CountSpec`` (a method, a seed and the method's options as a ballot file writes
them). ``OPTIONS`` lists the options each method takes, with their defaults as written: Meek's
``precision`` (decimal places) and ``omega``, WIGM's ``precision`` (decimal places, or ``exact``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import InvalidOperation
from types import MappingProxyType
from typing import Protocol

from commune.tally.exact import CONTEXT
from commune.tally.irv import irv
from commune.tally.meek import DEFAULT_OMEGA, DEFAULT_PRECISION, meek_stv
from commune.tally.schulze import schulze
from commune.tally.scottish import scottish_stv
from commune.tally.single_round import approval, plurality
from commune.tally.types import CountSpec, Election, PackedElection, Result, TallyError
from commune.tally.wigm import DEFAULT_WIGM_PRECISION, wigm_stv

__all__ = ["METHODS", "OPTIONS", "PACKED_METHODS", "Method", "PackedMethod", "count", "spec_complete"]


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

#: The options each method takes, with their defaults as a ballot file writes them.
OPTIONS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "meek-stv": MappingProxyType(
            {"precision": str(DEFAULT_PRECISION), "omega": format(DEFAULT_OMEGA, "f")}
        ),
        "wigm-stv": MappingProxyType(
            {"precision": "exact" if DEFAULT_WIGM_PRECISION is None else str(DEFAULT_WIGM_PRECISION)}
        ),
    }
)


def spec_complete(spec: CountSpec) -> CountSpec:
    """``spec`` with every option of its method written out (defaults where it gives none), so that a
    file written with it says exactly how it was counted whatever later versions take as default."""
    if spec.method not in METHODS:
        raise TallyError(f"unknown counting method {spec.method!r} (available: {', '.join(METHODS)})")
    options = dict(OPTIONS.get(spec.method, {})) | dict(spec.options)
    return CountSpec(spec.method, spec.seed, tuple(sorted(options.items())))


def count(election: Election | PackedElection, spec: CountSpec, *, seats: int | None = None) -> Result:
    """Count ``election`` by ``spec``: its method, seed and options. ``seats`` overrides the election's.

    A ``PackedElection`` is counted as it stands by a method that can, unpacked otherwise. Raises
    ``TallyError`` for an unknown method, or an option the method does not take or cannot read.
    """
    chosen = election.seats if seats is None else seats
    counter = _COUNTERS.get(spec.method)
    if counter is None:
        raise TallyError(f"unknown counting method {spec.method!r} (available: {', '.join(METHODS)})")
    options = dict(spec.options)
    unknown = sorted(set(options) - set(OPTIONS.get(spec.method, {})))
    if unknown:
        raise TallyError(f"{spec.method} takes no option {', '.join(unknown)}")
    packed = PACKED_METHODS.get(spec.method)
    if packed is not None and not options:
        return packed(election, seats=chosen, seed=spec.seed)
    unpacked = election.unpack() if isinstance(election, PackedElection) else election
    return counter(unpacked, chosen, spec.seed, options)


def _whole(options: Mapping[str, str], name: str) -> int:
    try:
        return int(options[name])
    except ValueError:
        raise TallyError(f"the option {name} must be a whole number, not {options[name]!r}") from None


def _meek(election: Election, seats: int, seed: int, options: Mapping[str, str]) -> Result:
    precision = _whole(options, "precision") if "precision" in options else DEFAULT_PRECISION
    omega = DEFAULT_OMEGA
    if "omega" in options:
        try:
            omega = CONTEXT.create_decimal(options["omega"])
        except InvalidOperation:
            raise TallyError(f"the option omega must be a decimal number, not {options['omega']!r}") from None
        if not omega.is_finite():
            raise TallyError(f"the option omega must be a decimal number, not {options['omega']!r}")
    return meek_stv(election, seats=seats, seed=seed, precision=precision, omega=omega)


def _wigm(election: Election, seats: int, seed: int, options: Mapping[str, str]) -> Result:
    precision = DEFAULT_WIGM_PRECISION
    if "precision" in options:
        precision = None if options["precision"] == "exact" else _whole(options, "precision")
    return wigm_stv(election, seats=seats, seed=seed, precision=precision)


def _plain(method: Method) -> Callable[[Election, int, int, Mapping[str, str]], Result]:
    return lambda election, seats, seed, _options: method(election, seats=seats, seed=seed)


_COUNTERS: dict[str, Callable[[Election, int, int, Mapping[str, str]], Result]] = {
    name: _plain(method) for name, method in METHODS.items()
} | {"meek-stv": _meek, "wigm-stv": _wigm}
