"""A result as plain data: the JSON-ready form an application stores and a bulletin publishes.

This is the one description of a result outside Python: ``commune tally --format json`` prints it,
the apps store it with a declared election, and ``commune retally`` compares a re-count with it. It
is data, not presentation (tables and charts are in ``commune.tallyviz``, outside the counting core).

A count (``result_dict``)::

    {"file": "ward.blt", "title": "...", "method": "scottish-stv", "seats": 4,
     "valid_poll": "14207", "quota": "2842", "elected": ["...", ...],
     "stages": [{"stage": 1, "action": "first-preferences", "subject": [], "description": "...",
                 "totals": {"name": "99.00000", ...}, "non_transferable": "0.00000", "loss": "0.00000",
                 "elected": [...], "excluded": [...],
                 "transfers": [{"from": "...", "to": "..." or null, "votes": "..."}]}, ...],
     "tie_breaks": [{"stage": 3, "purpose": "exclusion", "tied": [...], "chosen": "...",
                     "rule": "lot", "seed": 0, "lot": [...]}],
     "ranking": [...], "extra": {...}}

Numbers are decimal strings, exact as counted. ``elected`` is in order of election. ``ranking`` is
the full order for methods that give one (Schulze); ``extra`` holds the seed and the typed figures
only the method has (the fields its result adds to ``Result``), under their field names. A tie
settled by lot lists the order the lot drew (``commune.tally.ties``).

A yes/no decision (``yes_no_dict``)::

    {"file": "...", "title": "...", "method": "yes-no", "rule": "simple majority", "passed": true,
     "yes": 120, "no": 45, "abstain": 3, "electorate": 400, "present": 168,
     "tests": [{"test": "majority", "passed": true, "actual": 120, "base": 165,
                "required": "1/2", "strict": true, "needed": 83, "explanation": "..."}]}

``tests`` are the rule's tests in the order they are reported (quorum, turnout, support, majority);
``required`` is the exact share, ``strict`` whether ``actual`` must be more than it (rather than at
least), ``needed`` the smallest ``actual`` that passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from decimal import Decimal
from fractions import Fraction

from commune.tally.types import RESULT_FIELDS, Result
from commune.tally.yes_no import YesNoResult

__all__ = ["result_dict", "yes_no_dict"]


def result_dict(result: Result, *, file: str = "", title: str = "") -> dict[str, object]:
    """The JSON-ready description of a count (see the module docstring)."""
    figures = {f.name: getattr(result, f.name) for f in fields(result) if f.name not in RESULT_FIELDS}
    return {
        "file": file,
        "title": title,
        "method": result.method,
        "seats": result.seats,
        "valid_poll": str(result.valid_poll),
        "quota": None if result.quota is None else str(result.quota),
        "elected": list(result.elected),
        "stages": [
            {
                "stage": stage.number,
                "action": stage.action,
                "subject": list(stage.subject),
                "description": stage.description,
                "totals": {name: str(value) for name, value in stage.totals.items()},
                "non_transferable": str(stage.non_transferable),
                "loss": str(stage.loss),
                "elected": list(stage.elected),
                "excluded": list(stage.excluded),
                "transfers": [
                    {"from": t.source, "to": t.target, "votes": str(t.votes)} for t in stage.transfers
                ],
            }
            for stage in result.stages
        ],
        "tie_breaks": [
            {
                "stage": t.stage,
                "purpose": t.purpose,
                "tied": list(t.tied),
                "chosen": t.chosen,
                "rule": t.rule,
                "seed": t.seed,
                "lot": list(t.lot),
            }
            for t in result.tie_breaks
        ],
        "ranking": list(result.ranking),
        "extra": _jsonable({"seed": result.seed} | figures),
    }


def yes_no_dict(result: YesNoResult, *, file: str = "", title: str = "") -> dict[str, object]:
    """The JSON-ready description of a yes/no decision (see the module docstring)."""
    return {
        "file": file,
        "title": title,
        "method": "yes-no",
        "rule": result.rule.name,
        "passed": result.passed,
        "yes": result.yes,
        "no": result.no,
        "abstain": result.abstain,
        "electorate": result.electorate,
        "present": result.present,
        "tests": [
            {
                "test": test.name,
                "passed": test.passed,
                "actual": test.actual,
                "base": test.base,
                "required": str(test.required),
                "strict": test.strict,
                "needed": test.needed,
                "explanation": test.explanation,
            }
            for test in result.tests
        ],
    }


def _jsonable(value: object) -> object:
    """Figures as JSON: numbers as exact decimal strings (a fraction as ``"7/3"``), containers as lists
    and objects."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal | Fraction):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)
