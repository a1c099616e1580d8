"""No count depends on the ambient decimal context: a caller's settings never change a result.

``decimal.getcontext()`` belongs to whoever calls the library; an application may well set a short
precision or another rounding for its own money sums. Every figure a count, a yes/no decision or a
rendering computes uses an explicit context of its own, so here a hostile one changes nothing.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from commune.tally import (
    Countback,
    Result,
    YesNoRule,
    approval,
    countback,
    irv,
    meek_stv,
    plurality,
    read_election,
    schulze,
    scottish_stv,
    wigm_stv,
    yes_no,
)
from commune.tally.export import result_dict
from commune.tallyviz import to_table

DATA = Path(__file__).parent.parent / "data"
WARD = read_election(DATA / "scotland-2017" / "edinburgh_2017_ward1.blt")
GPUS = read_election(DATA / "gpus-2005" / "gpus-steering-committee-2005.blt")

COUNTS: dict[str, Callable[[], object]] = {
    "scottish-stv": lambda: scottish_stv(WARD),
    "meek-stv": lambda: meek_stv(GPUS, seats=GPUS.seats),
    "meek-stv 12 places": lambda: meek_stv(WARD, seats=WARD.seats, precision=12),
    "wigm-stv": lambda: wigm_stv(WARD, seats=WARD.seats),
    "wigm-stv exact": lambda: wigm_stv(WARD, seats=WARD.seats, precision=None),
    "irv": lambda: irv(WARD),
    "schulze": lambda: schulze(WARD, seats=WARD.seats),
    "approval": lambda: approval(WARD, seats=WARD.seats),
    "plurality": lambda: plurality(WARD, seats=WARD.seats),
    "countback": lambda: countback(WARD, departed=scottish_stv(WARD).elected[0]),
    "yes-no": lambda: (
        yes_no(yes=2013, no=1000, abstain=7, electorate=6047, rule=YesNoRule.supermajority(2, 3)).explanation
    ),
    "yes-no presets": lambda: (
        yes_no(
            yes=1,
            no=2,
            abstain=0,
            electorate=7,
            rule=YesNoRule(turnout=Fraction(1, 3), support=Fraction(1, 7)),
        ).explanation
    ),
}


def _hostile() -> decimal.Context:
    """Three significant digits, rounding up, and an error for any result that is rounded at all."""
    return decimal.Context(
        prec=3,
        rounding=decimal.ROUND_CEILING,
        Emax=6,
        Emin=-6,
        traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow],
    )


def _everything(count: Callable[[], object]) -> str:
    outcome = count()
    shown = repr(outcome)
    results = [outcome.original, outcome.recount] if isinstance(outcome, Countback) else [outcome]
    for result in results:
        if isinstance(result, Result):
            shown += repr(result_dict(result)) + to_table(result)
    return shown


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_a_hostile_ambient_decimal_context_changes_nothing(name: str) -> None:
    """The same count, its JSON and its table, under the default context and under a hostile one."""
    expected = _everything(COUNTS[name])
    with decimal.localcontext(_hostile()):
        assert _everything(COUNTS[name]) == expected
