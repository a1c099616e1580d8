"""Founding an organisation from a JSON description."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from commune.audit.models import LogEntry
from commune.audit.verification import chain_verify
from commune.federation.founding import FoundingError, organisation_found_from_description
from commune.federation.models import Apportionment, Body, Office, Organisation
from commune.federation.selectors import constitution_version_in_force

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "federation.json"


def _example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text())


def _problems(description: Any) -> dict[str, str]:
    with pytest.raises(FoundingError) as caught:
        organisation_found_from_description(description=description)
    return {p.path: p.message for p in caught.value.problems}


@pytest.mark.django_db
def test_the_documented_example_founds_a_whole_federation() -> None:
    """The example in docs/ founds the organisation, its tree, its offices and a changed constitution,
    apportions every council, and logs every step on a chain that verifies."""
    report = organisation_found_from_description(description=_example())
    org = report.organisation
    assert org.slug == "harbour-logistics"
    assert [c.code for c in report.councils] == ["CONGRESS", "DOCKS", "LOGISTICS"]
    assert len(report.units) == 5
    docks = Body.objects.get(organisation=org, code="DOCKS")
    assert docks.parent is not None and docks.parent.code == "CONGRESS"
    assert Body.objects.get(organisation=org, code="QUAY-EAST").parent == docks
    assert Office.objects.filter(body__organisation=org, manages_roll=True).count() == 5
    assert report.offices == 11
    rules = constitution_version_in_force(organisation_id=org.pk).rules  # type: ignore[union-attr]
    assert rules["recall"]["petition_threshold_percent"] == "20"
    assert rules["offices"]["term_months"] == 24
    assert rules["decisions"]["ordinary_majority"] == "1/2"  # untouched defaults stay
    assert report.seats["DOCKS"] == 12
    assert Apportionment.objects.filter(council__organisation=org).count() == 3
    actions = list(LogEntry.objects.filter(organisation=org).values_list("action", flat=True))
    assert actions.count("body.created") == 8 and actions.count("seats.apportioned") == 3
    assert chain_verify(organisation_id=org.pk).ok


@pytest.mark.django_db
def test_every_problem_is_named_by_its_json_path_and_nothing_is_founded() -> None:
    """Problems anywhere in the tree are all reported at once, with JSON paths; nothing is created."""
    description = _example()
    docks = description["top"]["children"][0]
    docks["seats_fixed"] = 0
    docks["children"][1]["code"] = "quay-east"  # same as the first, case aside
    docks["children"][2]["members_per_seat"] = 10
    description["top"]["children"][1]["children"][0]["offices"][0]["colour"] = "red"
    description["constitution"]["recall"]["procedure"] = "whenever"
    problems = _problems(description)
    assert "top.children[0].seats_fixed" in problems
    assert (
        "QUAY-EAST is already the code of top.children[0].children[0]"
        in problems["top.children[0].children[1].code"]
    )
    assert "no seats" in problems["top.children[0].children[2].members_per_seat"]
    assert "top.children[1].children[0].offices[0].colour" in problems
    assert "constitution.recall.procedure" in problems
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_structural_mistakes_are_explained() -> None:
    """A council sized two ways or with nothing below it, a unit with children, a missing top: each
    gets a message saying what a valid description looks like."""
    bad: dict[str, Any] = {
        "organisation": {"name": "X"},
        "top": {
            "code": "TOP",
            "name": "Top",
            "kind": "council",
            "seats_fixed": 3,
            "members_per_seat": 5,
            "children": [
                {"code": "A", "name": "A", "kind": "council", "seats_fixed": 2},
                {"code": "B", "name": "B", "kind": "unit", "children": [{"code": "C", "name": "C"}]},
            ],
        },
    }
    problems = _problems(bad)
    assert "exactly one of seats_fixed" in problems["top"]
    assert "at least one body below it" in problems["top.children[0].children"]
    assert "only councils" in problems["top.children[1].children"]
    assert "top council" in _problems({"organisation": {"name": "X"}})["top"]
    assert "$" in _problems([1, 2])


@pytest.mark.django_db
def test_an_address_already_taken_is_refused() -> None:
    """Founding the same organisation twice fails on organisation.slug."""
    organisation_found_from_description(description=_example())
    again = copy.deepcopy(_example())
    assert "already exists" in _problems(again)["organisation.slug"]


@pytest.mark.django_db
def test_the_currency_is_named_at_founding_or_is_sterling() -> None:
    """An organisation keeps its pay and wages in the ISO 4217 currency its description names, sterling if
    it names none; a code that is no currency is refused on organisation.currency."""
    sterling = organisation_found_from_description(description=_example()).organisation
    assert sterling.currency == "GBP"
    euros = copy.deepcopy(_example())
    euros["organisation"] = {"name": "Hafenarbeiter", "slug": "hafen", "currency": "EUR"}
    founded = organisation_found_from_description(description=euros).organisation
    assert Organisation.objects.get(pk=founded.pk).currency == "EUR"
    assert (
        LogEntry.objects.get(organisation=founded, action="organisation.founded").payload["currency"] == "EUR"
    )
    for wrong in ("eur", "XYZ", "EURO", 978, ["EUR"]):
        bad = copy.deepcopy(_example())
        bad["organisation"] = {"name": "Elsewhere", "currency": wrong}
        assert "ISO 4217" in _problems(bad)["organisation.currency"]
