"""Yes/No/Abstain decisions: quorum, majority, turnout and support thresholds, exactly.

A decision passes when every test its rule asks for passes. The figures:

* ``yes``, ``no``, ``abstain``: papers or hands. An abstention (or a returned paper that is neither
  yes nor no, such as a spoilt one) counts as taking part, so it counts towards turnout and the
  participation quorum; by default it is **not** a vote cast on the question, so it is left out of
  the majority (``YesNoRule.abstentions_count``  puts it into the majority's denominator, which makes
  abstaining act like voting no).
* ``electorate``: everyone entitled to vote. ``present``: everyone at the meeting (defaults to
  ``yes + no + abstain``, as for a postal ballot).

The tests, in the order they are reported:

* **quorum** (``quorum``, with ``quorum_of``): ``"electorate"``: at least that share of the electorate
  is present; ``"present"``: at least that share of those present take part (yes + no + abstain).
* **turnout** (``turnout``): yes + no + abstain is at least that share of the electorate.
* **support** (``support``): yes is at least that share of the electorate.
* **majority** (``majority``, ``majority_strict``): yes is more than (strict) or at least (not strict)
  that share of the votes cast (yes + no, plus abstain if ``abstentions_count``). A simple majority
  is "more than 1/2"; two-thirds and three-quarters are "at least".

A file of papers (any ballot file the readers take, its "candidates" being the answers) is counted
by ``count_answers``: each paper gives one answer, ``yes``, ``no`` or ``abstain`` in any case (a blank
or spoilt paper returned is an abstention, so ``blank``, ``spoilt``, ``spoiled`` and ``abstention``
count as ``abstain``, as does a paper with no answer at all).

Every comparison is between integers and ``Fraction`` s: ``actual >= required * base`` is decided
as ``actual * denominator >= numerator * base``, never in floating point.

The Trade Union Act 2016 presets: section 2 inserts into the Trade Union and Labour Relations
(Consolidation) Act 1992 s.226(2)(a)(iia) the requirement that at least 50% of those entitled to vote
in an industrial-action ballot did so; section 3 inserts s.226(2A)-(2F), under which, where the
majority are engaged in important public services, at least 40% of those entitled to vote must vote
yes. The majority requirement (s.226(2)(a)(iii)) is that a majority of those voting answered yes; a
spoilt or blank returned paper is counted here as taking part but not as a yes or no answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil, floor

from commune.tally.exact import percent
from commune.tally.types import Election, TallyError

__all__ = [
    "ANSWERS",
    "PRESETS",
    "SIMPLE_MAJORITY",
    "THREE_QUARTERS",
    "TUA_2016_IMPORTANT_PUBLIC_SERVICES",
    "TUA_2016_INDUSTRIAL_ACTION",
    "TWO_THIRDS",
    "Threshold",
    "YesNoResult",
    "YesNoRule",
    "count_answers",
    "yes_no",
]

QUORUM_BASES = ("electorate", "present")


@dataclass(frozen=True, slots=True)
class YesNoRule:
    """What a Yes/No decision needs to pass. Shares are exact fractions in ``[0, 1]``."""

    name: str = "simple majority"
    majority: Fraction = Fraction(1, 2)
    majority_strict: bool = True
    abstentions_count: bool = False
    quorum: Fraction | None = None
    quorum_of: str = "electorate"
    turnout: Fraction | None = None
    support: Fraction | None = None

    def __post_init__(self) -> None:
        for label in ("majority", "quorum", "turnout", "support"):
            share = getattr(self, label)
            if share is not None and not (isinstance(share, Fraction) and 0 <= share <= 1):
                raise TallyError(f"{label} must be a Fraction between 0 and 1, not {share!r}")
        if self.quorum_of not in QUORUM_BASES:
            raise TallyError(f"quorum_of must be 'electorate' or 'present', not {self.quorum_of!r}")

    @classmethod
    def supermajority(cls, numerator: int, denominator: int, *, name: str = "") -> YesNoRule:
        """At least ``numerator/denominator`` of the votes cast (e.g. ``supermajority(3, 5)``)."""
        if denominator <= 0 or not 0 < numerator <= denominator:
            raise TallyError(f"a majority of {numerator}/{denominator} is not a share of the votes")
        share = Fraction(numerator, denominator)
        return cls(name or f"{numerator}/{denominator} majority", share, majority_strict=False)


SIMPLE_MAJORITY = YesNoRule()
TWO_THIRDS = YesNoRule("two-thirds majority", Fraction(2, 3), majority_strict=False)
THREE_QUARTERS = YesNoRule("three-quarters majority", Fraction(3, 4), majority_strict=False)
TUA_2016_INDUSTRIAL_ACTION = YesNoRule(
    "Trade Union Act 2016: industrial action (50% turnout)", turnout=Fraction(1, 2)
)
TUA_2016_IMPORTANT_PUBLIC_SERVICES = YesNoRule(
    "Trade Union Act 2016: important public services (50% turnout, 40% of electorate yes)",
    turnout=Fraction(1, 2),
    support=Fraction(2, 5),
)
PRESETS: dict[str, YesNoRule] = {
    "simple": SIMPLE_MAJORITY,
    "two-thirds": TWO_THIRDS,
    "three-quarters": THREE_QUARTERS,
    "tua-2016": TUA_2016_INDUSTRIAL_ACTION,
    "tua-2016-ips": TUA_2016_IMPORTANT_PUBLIC_SERVICES,
}


@dataclass(frozen=True, slots=True)
class Threshold:
    """One test: is ``actual`` more than (``strict``) or at least ``required`` of ``base``?

    With ``base`` zero (no votes cast, nobody entitled) a test fails unless it requires nothing.
    """

    name: str
    actual: int
    base: int
    required: Fraction
    strict: bool
    actual_label: str
    base_label: str

    @property
    def passed(self) -> bool:
        if self.base == 0:
            return self.required == 0 and not self.strict
        lhs = self.actual * self.required.denominator
        rhs = self.required.numerator * self.base
        return lhs > rhs if self.strict else lhs >= rhs

    @property
    def needed(self) -> int:
        """The smallest ``actual`` that passes, with ``base`` unchanged."""
        exact = self.required * self.base
        return floor(exact) + 1 if self.strict else ceil(exact)

    @property
    def explanation(self) -> str:
        share = percent(Fraction(self.actual, self.base)) if self.base else "no share"
        relation = "more than" if self.strict else "at least"
        verdict = "passed" if self.passed else "failed"
        return (
            f"{self.name} {verdict}: {self.actual} {self.actual_label} of {self.base} {self.base_label}"
            f" ({share}); needs {relation} {percent(self.required)}, i.e. at least {self.needed}"
        )


@dataclass(frozen=True, slots=True)
class YesNoResult:
    """The outcome: the figures, the rule, and every test with its exact numbers."""

    rule: YesNoRule
    yes: int
    no: int
    abstain: int
    electorate: int
    present: int
    tests: tuple[Threshold, ...]

    @property
    def passed(self) -> bool:
        return all(test.passed for test in self.tests)

    @property
    def failed_tests(self) -> tuple[Threshold, ...]:
        return tuple(test for test in self.tests if not test.passed)

    @property
    def explanation(self) -> str:
        lines = [f"{self.rule.name}: {'CARRIED' if self.passed else 'NOT CARRIED'}"]
        lines += [f"  {test.explanation}" for test in self.tests]
        return "\n".join(lines)


def yes_no(
    *,
    yes: int,
    no: int,
    abstain: int = 0,
    electorate: int,
    present: int | None = None,
    rule: YesNoRule = SIMPLE_MAJORITY,
) -> YesNoResult:
    """Decide a Yes/No question under ``rule``. Raises ``TallyError`` for impossible figures."""
    figures = {"yes": yes, "no": no, "abstain": abstain, "electorate": electorate}
    if present is not None:
        figures["present"] = present
    for label, value in figures.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TallyError(f"{label} must be a whole number of at least 0, not {value!r}")
    taking_part = yes + no + abstain
    present = taking_part if present is None else present
    if taking_part > present:
        raise TallyError(f"{taking_part} voted but only {present} were present")
    if present > electorate:
        raise TallyError(f"{present} were present but the electorate is only {electorate}")

    tests: list[Threshold] = []
    if rule.quorum is not None:
        if rule.quorum_of == "electorate":
            tests.append(Threshold("quorum", present, electorate, rule.quorum, False, "present", "entitled"))
        else:
            tests.append(Threshold("quorum", taking_part, present, rule.quorum, False, "voting", "present"))
    if rule.turnout is not None:
        tests.append(Threshold("turnout", taking_part, electorate, rule.turnout, False, "voting", "entitled"))
    if rule.support is not None:
        tests.append(Threshold("support", yes, electorate, rule.support, False, "yes", "entitled"))
    cast = yes + no + (abstain if rule.abstentions_count else 0)
    cast_label = "voting (abstentions included)" if rule.abstentions_count else "voting yes or no"
    tests.append(Threshold("majority", yes, cast, rule.majority, rule.majority_strict, "yes", cast_label))
    return YesNoResult(rule, yes, no, abstain, electorate, present, tuple(tests))


#: The answers a yes/no paper may give, as written on it (in any case), and what each counts as.
ANSWERS: dict[str, str] = {
    "yes": "yes",
    "no": "no",
    "abstain": "abstain",
    "abstention": "abstain",
    "blank": "abstain",
    "spoilt": "abstain",
    "spoiled": "abstain",
}


def count_answers(election: Election) -> tuple[int, int, int]:
    """The papers of ``election`` answering yes, no and abstain, each paper giving one answer.

    Its candidates are the answers (``ANSWERS``); a paper with no answer is a blank paper returned, an
    abstention. Raises ``TallyError`` for a candidate that is not an answer, or a paper that gives more
    than one (or ranks a second answer after its first).
    """
    meaning: dict[str, str] = {}
    for name in election.candidates:
        answer = ANSWERS.get(name.strip().lower())
        if answer is None:
            raise TallyError(f"{name!r} is not an answer: a yes/no paper answers yes, no or abstain")
        meaning[name] = answer
    figures = dict.fromkeys(("yes", "no", "abstain"), 0)
    for ballot in election.ballots:
        if ballot.count < 0:
            raise TallyError(f"a paper has a negative count ({ballot.count})")
        marked = [name for rank in ballot.ranking for name in rank]
        if len(marked) > 1:
            raise TallyError(f"a paper gives more than one answer ({', '.join(marked)})")
        figures[meaning[marked[0]] if marked else "abstain"] += ballot.count
    return figures["yes"], figures["no"], figures["abstain"]
