"""Properties of what a structural change does to the members (``commune.structure.proposals``): nobody is
lost or duplicated by a merge, a split or a dissolution, and a proposal naming a member who is not where it
says is refused, never silently skipped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commune.structure.errors import StructureError
from commune.structure.proposals import member_moves, members_after, proposal_parse

UNITS = ["U0", "U1", "U2", "U3"]


@st.composite
def rolls(draw: st.DrawFn) -> dict[str, list[str]]:
    """Each unit's members, every membership number once."""
    numbers = draw(st.lists(st.integers(0, 10_000), unique=True, max_size=20))
    units = draw(st.lists(st.sampled_from(UNITS), min_size=len(numbers), max_size=len(numbers)))
    roll: dict[str, list[str]] = {u: [] for u in UNITS}
    for number, unit in zip(numbers, units, strict=True):
        roll[unit].append(f"N{number}")
    return roll


def _everyone(after: dict[str, set[str]]) -> list[str]:
    return sorted(n for members in after.values() for n in members)


@given(rolls(), st.sets(st.sampled_from(UNITS[1:]), min_size=1))
def test_a_merge_keeps_every_member_and_empties_the_merged_units(
    roll: dict[str, list[str]], merged: set[str]
) -> None:
    proposal = proposal_parse({"kind": "merge", "into": "U0", "units": sorted(merged)})
    after = members_after(roll, member_moves(proposal, roll))
    assert _everyone(after) == sorted(n for m in roll.values() for n in m)
    assert all(not after[u] for u in merged)
    assert after["U0"] == set(roll["U0"]).union(*(roll[u] for u in merged))


@given(rolls(), st.data())
def test_a_split_keeps_every_member_and_moves_exactly_those_named(
    roll: dict[str, list[str]], data: st.DataObject
) -> None:
    own = roll["U0"]
    taken = data.draw(st.lists(st.sampled_from(own), unique=True) if own else st.just([]))
    cut = data.draw(st.integers(0, len(taken)))
    proposal = proposal_parse(
        {
            "kind": "split",
            "unit": "U0",
            "new_units": [
                {"code": "N1", "name": "One", "members": taken[:cut]},
                {"code": "N2", "name": "Two", "members": taken[cut:]},
            ],
        }
    )
    after = members_after(roll, member_moves(proposal, roll))
    assert _everyone(after) == sorted(n for m in roll.values() for n in m)
    assert after.get("N1", set()) == set(taken[:cut]) and after.get("N2", set()) == set(taken[cut:])
    assert after["U0"] == set(own) - set(taken)


@given(rolls())
def test_a_dissolution_moves_everyone_or_is_refused(roll: dict[str, list[str]]) -> None:
    if roll["U1"]:
        with pytest.raises(StructureError, match="nobody's membership ends"):
            member_moves(proposal_parse({"kind": "dissolve", "unit": "U1"}), roll)
    proposal = proposal_parse({"kind": "dissolve", "unit": "U1", "members_to": "U2"})
    after = members_after(roll, member_moves(proposal, roll))
    assert _everyone(after) == sorted(n for m in roll.values() for n in m)
    assert not after["U1"] and after["U2"] == set(roll["U2"]) | set(roll["U1"])


@given(rolls())
def test_a_split_naming_someone_of_another_unit_is_refused(roll: dict[str, list[str]]) -> None:
    outsider = next((n for n in roll["U1"]), None)
    if outsider is None:
        return
    proposal = proposal_parse(
        {"kind": "split", "unit": "U0", "new_units": [{"code": "N1", "name": "One", "members": [outsider]}]}
    )
    with pytest.raises(StructureError, match="not a current member"):
        member_moves(proposal, roll)


def test_a_malformed_proposal_names_each_problem() -> None:
    with pytest.raises(StructureError) as refused:
        proposal_parse({"kind": "merge", "into": "bad code!", "units": []})
    assert "into" in str(refused.value) and "units" in str(refused.value)
    with pytest.raises(StructureError, match="a member is named for two new units"):
        proposal_parse(
            {
                "kind": "split",
                "unit": "U0",
                "new_units": [
                    {"code": "A", "name": "A", "members": ["N1"]},
                    {"code": "B", "name": "B", "members": ["N1"]},
                ],
            }
        )
