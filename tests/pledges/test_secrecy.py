"""Nobody can list who pledged — not an officer, not the operator through the admin, not a selector — and
counts never single out a member of a small unit. Each test makes the attempt."""

from __future__ import annotations

import json
import re

from django.contrib import admin
from django.test import Client

from commune.accounts.models import User
from commune.accounts.personal_data import personal_data_export
from commune.api.root import api
from commune.pledges.models import Pledge
from tests.pledges.conftest import Pledges, as_json, path

PLEDGERS = (4, 5, 6, 8, 9)


def _pledge(p: Pledges, campaign: object, *numbers: int) -> None:
    for n in numbers:
        as_json(p.api(n).post(path(p, campaign, "/pledge")))  # type: ignore[arg-type]


def test_no_endpoint_page_admin_or_table_lists_who_pledged(pledges: Pledges) -> None:
    """Five members pledge in D0-U0. Then: the unit's secretary (an officer) and the District's delegate
    read every pledge endpoint and page, and a superuser the admin; none of what they are served names a
    pledger, by number or by name. The API has no operation that could (its pledge operations are the
    seven below), the admin has no page of pledges, and a pledge row has no column for a member."""
    p = pledges
    campaign = p.launch(by=1)
    _pledge(p, campaign, *PLEDGERS)
    numbers = [p.fed.members[f"m{n}"].number for n in PLEDGERS]
    names = [p.fed.members[f"m{n}"].person.name for n in PLEDGERS]
    served = []
    for n in (2, 3):  # the unit's secretary, the district's delegate
        reader = p.api(n)
        for tail in ("", "/readiness", "/readiness?body=D0-U0"):
            served.append(as_json(reader.get(path(p, campaign, tail))))
        served.append(as_json(reader.get(f"/orgs/{p.slug}/pledges")))
        client = Client()
        client.force_login(p.fed.members[f"m{n}"].person)
        for page in ("", "readiness/", "readiness/?body=D0-U0"):
            served.append(client.get(f"/o/{p.slug}/pledges/{campaign.pk}/{page}").content.decode())
        served.append(client.get(f"/o/{p.slug}/pledges/").content.decode())
    operator = User.objects.create_superuser(email="op@example.org", password="x" * 12, name="Olga Operator")
    staff = Client()
    staff.force_login(operator)
    assert staff.get("/admin/pledges/pledge/").status_code == 404
    assert staff.get("/admin/pledges/").status_code == 404
    assert not [m for m in admin.site._registry if m._meta.app_label == "pledges"]
    text = " ".join(str(s) for s in served)
    assert not [x for x in numbers + names if re.search(rf"\b{re.escape(x)}\b", text)]

    operations = {
        (method, route)
        for route, item in api.get_openapi_schema()["paths"].items()
        if "/pledges" in route
        for method in item
    }
    assert operations == {
        ("post", "/api/orgs/{slug}/pledges"),
        ("get", "/api/orgs/{slug}/pledges"),
        ("get", "/api/orgs/{slug}/pledges/{campaign_id}"),
        ("post", "/api/orgs/{slug}/pledges/{campaign_id}/pledge"),
        ("delete", "/api/orgs/{slug}/pledges/{campaign_id}/pledge"),
        ("get", "/api/orgs/{slug}/pledges/{campaign_id}/readiness"),
    }
    assert {f.name for f in Pledge._meta.get_fields()} == {"id", "campaign", "unit", "pledger_key"}


def test_a_count_is_shown_only_between_the_threshold_and_all_but_the_threshold(pledges: Pledges) -> None:
    """In a unit of twelve, with the constitution's threshold of five: three pledges read "fewer than 5",
    five read "5", eight read "more than 7" (only four have not pledged); the campaign's total is the sum
    of those ranges, so it cannot be differenced against the units to recover a hidden count."""
    p = pledges
    campaign = p.launch(p.fed.districts[0], by=3, threshold=90)
    _pledge(p, campaign, 1, 2, 4, 13, 14, 15, 16, 17)

    def units() -> dict[str, str]:
        return {u["code"]: u["pledged"]["text"] for u in as_json(p.api(1).get(path(p, campaign)))["units"]}

    assert units() == {"D0-U0": "fewer than 5", "D0-U1": "5"}
    _pledge(p, campaign, 18, 19, 20)
    out = as_json(p.api(1).get(path(p, campaign)))
    assert {u["code"]: u["pledged"]["text"] for u in out["units"]} == {
        "D0-U0": "fewer than 5",
        "D0-U1": "more than 7",
    }
    assert out["pledged"] == {
        "text": "between 8 and 16",
        "low": 8,
        "high": 16,
        "members": 24,
        "share": "33.3–66.7 %",
    }


def test_a_unit_outside_the_campaign_sees_no_counts_where_the_constitution_shows_them_to_its_units(
    pledges: Pledges,
) -> None:
    """By default (``pledges.counts_visible_to: scope``) a member of D1 reads that D0-U0's campaign exists,
    and whether its condition is met, but no count."""
    p = pledges
    campaign = p.launch(by=1)
    _pledge(p, campaign, *PLEDGERS)
    inside = as_json(p.api(1).get(path(p, campaign)))
    outside = as_json(p.api(25).get(path(p, campaign)))
    assert inside["units"][0]["pledged"]["text"] == "5"
    assert outside["units"][0]["pledged"]["text"] == "not shown to you"
    assert outside["pledged"]["low"] == 0 and outside["pledged"]["high"] == 12
    readiness = as_json(p.api(25).get(path(p, campaign, "/readiness")))
    assert {d["pledged"]["text"] for r in readiness["rows"] for d in r["days"]} == {"not shown to you"}


def test_a_members_data_export_holds_nothing_of_their_pledge(pledges: Pledges) -> None:
    """m4 pledges; their export has no pledges section, and nothing in it but the notices every member of
    the unit was sent alike names the campaign: it reads the same as a member's who did not pledge."""
    p = pledges
    campaign = p.launch(by=1)
    _pledge(p, campaign, 4)
    pledged = personal_data_export(person=p.member(4).person)["sections"]
    not_pledged = personal_data_export(person=p.member(5).person)["sections"]
    assert "pledges" not in pledged
    beyond_notices = {k: v for k, v in pledged.items() if k != "notifications"}
    assert "strike on the first Monday" not in json.dumps(beyond_notices)
    assert [n["kind"] for n in pledged["notifications"]] == [n["kind"] for n in not_pledged["notifications"]]
