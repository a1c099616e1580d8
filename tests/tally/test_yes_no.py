"""Yes/No/Abstain decisions: majorities, quorum, turnout, support and the TUA 2016 presets."""

from __future__ import annotations

from fractions import Fraction

import pytest

from commune.tally import Ballot, Election, count_answers
from commune.tally.types import TallyError
from commune.tally.yes_no import (
    PRESETS,
    SIMPLE_MAJORITY,
    THREE_QUARTERS,
    TUA_2016_IMPORTANT_PUBLIC_SERVICES,
    TUA_2016_INDUSTRIAL_ACTION,
    TWO_THIRDS,
    YesNoRule,
    yes_no,
)


def test_simple_majority_needs_more_yes_than_no() -> None:
    """A simple majority is strictly more than half of yes + no: a tie fails."""
    assert yes_no(yes=11, no=10, electorate=30).passed
    tied = yes_no(yes=10, no=10, electorate=30)
    assert not tied.passed
    (majority,) = tied.tests
    assert (majority.actual, majority.base, majority.needed) == (10, 20, 11)


def test_abstentions_are_left_out_of_the_majority_by_default() -> None:
    """Ten abstentions do not stop 3 yes against 2 no."""
    assert yes_no(yes=3, no=2, abstain=10, electorate=20).passed
    counted = YesNoRule("abstentions count", abstentions_count=True)
    result = yes_no(yes=3, no=2, abstain=10, electorate=20, rule=counted)
    assert not result.passed
    assert result.tests[-1].base == 15


def test_two_thirds_is_at_least_two_thirds() -> None:
    """Exactly two thirds carries a two-thirds majority; one vote fewer does not."""
    assert yes_no(yes=20, no=10, electorate=40, rule=TWO_THIRDS).passed
    assert not yes_no(yes=19, no=10, electorate=40, rule=TWO_THIRDS).passed


def test_three_quarters_and_any_fraction() -> None:
    """Three quarters and an arbitrary N/M are compared exactly."""
    assert yes_no(yes=30, no=10, electorate=40, rule=THREE_QUARTERS).passed
    assert not yes_no(yes=29, no=10, electorate=40, rule=THREE_QUARTERS).passed
    three_fifths = YesNoRule.supermajority(3, 5)
    assert yes_no(yes=3, no=2, electorate=5, rule=three_fifths).passed
    assert not yes_no(yes=599_999, no=400_001, electorate=10**6, rule=three_fifths).passed
    with pytest.raises(TallyError):
        YesNoRule.supermajority(4, 3)


def test_quorum_of_the_electorate_counts_those_present() -> None:
    """A quorum of a quarter of 100 members needs 25 present, whoever votes."""
    rule = YesNoRule("meeting", quorum=Fraction(1, 4))
    assert yes_no(yes=10, no=5, abstain=0, present=25, electorate=100, rule=rule).passed
    result = yes_no(yes=10, no=5, present=24, electorate=100, rule=rule)
    assert not result.passed
    assert [t.name for t in result.failed_tests] == ["quorum"]
    assert result.tests[0].needed == 25


def test_quorum_of_those_present_counts_those_taking_part() -> None:
    """Half of those present must take part (abstaining counts): 40 present need 20 voting or abstaining."""
    rule = YesNoRule("participation", quorum=Fraction(1, 2), quorum_of="present")
    assert yes_no(yes=8, no=2, abstain=10, present=40, electorate=100, rule=rule).passed
    assert not yes_no(yes=8, no=2, abstain=9, present=40, electorate=100, rule=rule).passed


def test_tua_2016_turnout_threshold() -> None:
    """TULRCA 1992 s.226(2)(a)(iia), inserted by TUA 2016 s.2: 50 of 100 entitled must vote."""
    carried = yes_no(yes=26, no=24, electorate=100, rule=TUA_2016_INDUSTRIAL_ACTION)
    assert carried.passed
    low = yes_no(yes=49, no=0, electorate=100, rule=TUA_2016_INDUSTRIAL_ACTION)
    assert not low.passed
    assert [t.name for t in low.failed_tests] == ["turnout"]
    turnout = low.tests[0]
    assert (turnout.actual, turnout.base, turnout.needed) == (49, 100, 50)


def test_tua_2016_spoilt_papers_count_towards_turnout_only() -> None:
    """Returned papers answering neither yes nor no help turnout but are not yes or no answers."""
    result = yes_no(yes=30, no=15, abstain=5, electorate=100, rule=TUA_2016_INDUSTRIAL_ACTION)
    assert result.passed
    assert result.tests[0].actual == 50
    assert result.tests[-1].base == 45


def test_tua_2016_important_public_services_needs_40_percent_of_all_entitled() -> None:
    """TUA 2016 s.3 (TULRCA s.226(2B)): 40% of those entitled must vote yes, besides 50% turnout.

    At exactly 50% turnout that means 80% of those voting: 400 yes of 500 voting, electorate 1,000.
    """
    rule = TUA_2016_IMPORTANT_PUBLIC_SERVICES
    assert yes_no(yes=400, no=100, electorate=1000, rule=rule).passed
    short = yes_no(yes=399, no=101, electorate=1000, rule=rule)
    assert not short.passed
    assert [t.name for t in short.failed_tests] == ["support"]
    support = next(t for t in short.tests if t.name == "support")
    assert (support.actual, support.base, support.needed) == (399, 1000, 400)
    # The same votes pass the ordinary industrial-action rule: only the 40% test differs.
    assert yes_no(yes=399, no=101, electorate=1000, rule=TUA_2016_INDUSTRIAL_ACTION).passed


def test_explanations_give_the_exact_figures() -> None:
    """Each test explains itself with the counts, the share and the number needed."""
    result = yes_no(yes=399, no=101, electorate=1000, rule=TUA_2016_IMPORTANT_PUBLIC_SERVICES)
    text = result.explanation
    assert "NOT CARRIED" in text
    assert "turnout passed: 500 voting of 1000 entitled (50%); needs at least 50%, i.e. at least 500" in text
    assert "support failed: 399 yes of 1000 entitled (39.9%); needs at least 40%, i.e. at least 400" in text
    assert "majority passed" in text


def test_no_votes_cast_carries_nothing() -> None:
    """With nobody voting yes or no, even a non-strict majority fails."""
    assert not yes_no(yes=0, no=0, abstain=3, electorate=10, rule=TWO_THIRDS).passed
    assert not yes_no(yes=0, no=0, electorate=0).passed


@pytest.mark.parametrize(
    "figures",
    [
        {"yes": -1, "no": 0, "electorate": 5},
        {"yes": 3, "no": 3, "electorate": 5},
        {"yes": 1, "no": 1, "present": 1, "electorate": 5},
        {"yes": 1, "no": 1, "present": 9, "electorate": 5},
        {"yes": True, "no": 0, "electorate": 5},
    ],
)
def test_impossible_figures_are_refused(figures: dict[str, int]) -> None:
    """Negative counts, more voters than present, more present than entitled: TallyError."""
    with pytest.raises(TallyError):
        yes_no(**figures)  # type: ignore[arg-type]


def test_rules_reject_shares_outside_zero_to_one() -> None:
    """A rule asking for more than everyone, or a float, is refused."""
    with pytest.raises(TallyError):
        YesNoRule("bad", turnout=Fraction(3, 2))
    with pytest.raises(TallyError):
        YesNoRule("bad", quorum_of="members")


def test_presets_are_named_for_the_command_line() -> None:
    """The preset names map to the rule objects."""
    assert PRESETS["simple"] is SIMPLE_MAJORITY
    assert PRESETS["tua-2016"] is TUA_2016_INDUSTRIAL_ACTION
    assert PRESETS["tua-2016-ips"].support == Fraction(2, 5)


def test_a_file_of_papers_is_counted_answer_by_answer() -> None:
    """Each paper gives one answer in any case; blank and spoilt papers returned are abstentions."""
    papers = Election(
        ("YES", "no", "Abstain", "spoilt", "Blank"),
        1,
        (
            Ballot.of("YES", count=7),
            Ballot.of("no", count=4),
            Ballot.of("Abstain"),
            Ballot.of("spoilt", count=2),
            Ballot.of("Blank"),
            Ballot((), 3),  # a paper returned with no answer at all
        ),
    )
    assert count_answers(papers) == (7, 4, 7)


@pytest.mark.parametrize(
    ("candidates", "ballot", "message"),
    [
        (("yes", "maybe"), ("maybe",), "'maybe' is not an answer"),
        (("yes", "no"), ("yes", "no"), "more than one answer"),
    ],
)
def test_a_paper_must_give_one_known_answer(
    candidates: tuple[str, ...], ballot: tuple[str, ...], message: str
) -> None:
    with pytest.raises(TallyError, match=message):
        count_answers(Election(candidates, 1, (Ballot.of(*ballot),)))
