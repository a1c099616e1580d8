"""The pay page, without script: the wage bands and the cap they give, moving new bands or an office's pay,
refusals shown in the form with the status the API gives, and settling once the body has decided."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from commune.federation.models import Member, Office
from commune.governance.models import OfficePay, WageBand, WageBandsProposal, WageBandsStatus
from tests.governance.conftest import Fed, adopt_in_council
from tests.records import recorded_update

pytestmark = pytest.mark.django_db


def _as(fed: Fed, n: int) -> Client:
    client = Client()
    client.force_login(fed.members[f"m{n}"].person)
    return client


def _text(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").replace("&amp;", "&")


def _url(fed: Fed) -> str:
    return reverse("governance:pay", kwargs={"slug": fed.slug})


def test_a_delegate_moves_wage_bands_and_they_go_in_force_once_adopted(fed: Fed) -> None:
    """m3 sits on Congress, which the constitution names: the bands are moved as its motion, adopted by
    its vote, settled from the page, and the cap then stands on the page."""
    page = _as(fed, 3).get(_url(fed))
    assert page.status_code == 200
    assert "No wage band has been set." in _text(page)
    moved = _as(fed, 3).post(_url(fed), {"action": "bands", "bands-bands": "A 500\nB, 700.50\n\n"})
    proposal = WageBandsProposal.objects.get()
    assert moved.status_code == 302 and moved["Location"].endswith(f"/motions/{proposal.motion_id}/")
    assert proposal.bands == {"A": "500.00", "B": "700.50"} and proposal.motion.body.code == "CONGRESS"
    assert not WageBand.objects.exists()

    adopt_in_council(fed, "CONGRESS", proposal.motion_id, (3, 11))
    listed = _text(_as(fed, 20).get(_url(fed)))
    assert "Wage bands: A at £500.00; B at £700.50" in listed and "Settle" in listed
    settled = _as(fed, 20).post(
        reverse(
            "governance:pay_settle",
            kwargs={"slug": fed.slug, "kind": "wage-bands", "proposal_id": proposal.pk},
        )
    )
    assert settled.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == WageBandsStatus.IN_FORCE
    assert dict(WageBand.objects.values_list("code", "weekly")) == {
        "A": Decimal("500.00"),
        "B": Decimal("700.50"),
    }

    recorded_update(Member.objects.filter(organisation=fed.org), wage_band="A")
    shown = _text(_as(fed, 20).get(_url(fed)))
    assert "Median weekly wage £500.00 over 20 members" in shown
    assert "no officer is paid more than £500.00 a week" in shown


def test_a_malformed_line_is_named_and_nothing_is_moved(fed: Fed) -> None:
    for bands, said in (
        ("A 500\nB 700 weekly", "line 2: write a band's code and its weekly wage, not 'B 700 weekly'"),
        ("A five-hundred", "line 1: 'five-hundred' is not an amount of money"),
        ("A NaN", "line 1: 'NaN' is not an amount of money"),
    ):
        refused = _as(fed, 3).post(_url(fed), {"action": "bands", "bands-bands": bands})
        assert refused.status_code == 400
        assert said in _text(refused)
        assert bands.splitlines()[0] in refused.content.decode()  # the reader's text is kept
    assert not WageBandsProposal.objects.exists()


def test_the_officer_is_refused_in_the_form_naming_their_office(fed: Fed) -> None:
    """The Secretary of Unit 0.0 (m2) cannot move the bands, nor the pay of their own office."""
    bands = _as(fed, 2).post(_url(fed), {"action": "bands", "bands-bands": "A 5000"})
    assert bands.status_code == 403
    assert "holds the office of Secretary of Unit 0.0, whose pay the cap bounds" in _text(bands)
    office = Office.objects.get(body__organisation=fed.org, title="Secretary")
    pay = _as(fed, 2).post(_url(fed), {"action": "pay", "pay-office": str(office.pk), "pay-weekly": "450"})
    assert pay.status_code == 403
    assert "nobody moves their own pay" in _text(pay)
    assert not WageBandsProposal.objects.exists() and not OfficePay.objects.exists()
