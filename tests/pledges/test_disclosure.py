"""What a pledge count may say, as properties that hold for every count, membership and threshold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from commune.pledges.disclosure import figure_disclose, figures_sum


@given(members=st.integers(0, 400), pledged=st.integers(0, 400), k=st.integers(2, 100))
def test_a_figure_is_true_and_exact_only_when_k_pledged_and_k_did_not(
    members: int, pledged: int, k: int
) -> None:
    """The count lies in the range shown; it is shown exactly only when at least k pledged and at least k
    did not; a unit of fewer than 2k members shows no figure at all."""
    figure = figure_disclose(pledged, members, k)
    assert figure.low <= pledged <= figure.high
    if max(members, pledged) == 0:  # a unit with no members has nothing to hide
        return
    if figure.exact:
        assert pledged >= k and max(members, pledged) - pledged >= k
    else:  # a range at least k wide, or the whole of a small unit
        assert figure.high - figure.low >= min(k - 1, figure.members)
    if max(members, pledged) < 2 * k:
        assert figure.text.startswith("not shown")


@given(
    units=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), min_size=1, max_size=8),
    k=st.integers(2, 10),
)
def test_a_total_says_no_more_than_its_units(units: list[tuple[int, int]], k: int) -> None:
    """A total is the sum of its units' ranges: exact only when every unit is, so subtracting the shown
    units from it leaves the hidden ones no narrower than they were shown."""
    figures = [figure_disclose(p, m, k) for p, m in units]
    total = figures_sum(figures)
    assert total.low == sum(f.low for f in figures) and total.high == sum(f.high for f in figures)
    assert total.exact == all(f.exact for f in figures)
    shown = sum(f.low for f in figures if f.exact)
    hidden = [f for f in figures if not f.exact]
    assert (total.high - shown) - (total.low - shown) == sum(f.high - f.low for f in hidden)


def test_known_figures() -> None:
    assert figure_disclose(3, 12, 5).text == "fewer than 5"
    assert figure_disclose(5, 12, 5).text == "5"
    assert figure_disclose(8, 12, 5).text == "more than 7"
    assert figure_disclose(4, 9, 5).text == "not shown (fewer than 10 members)"
    assert figure_disclose(5, 12, 5).share_text == "41.7 %"
    assert figure_disclose(3, 12, 5).share_text == "0.0–33.3 %"
