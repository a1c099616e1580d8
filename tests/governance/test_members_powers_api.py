"""The constitution, offices and tendencies belong to the members: amendments only by referendum, term
limits at nomination, pay within the cap, tendencies dissolved only by their own members, and seats
that no body can refuse."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from commune.accounts.models import User
from commune.audit.services import Actor
from commune.elections.models import ElectionKind
from commune.elections.services import election_call, elections_run_due
from commune.elections.services.calling import Timeline
from commune.federation.models import (
    ConstitutionVersion,
    Delegation,
    Member,
    Office,
    OfficeTerm,
    Organisation,
)
from commune.federation.services import FederationError, constitution_adopt
from commune.governance.services import median
from commune.motions.models import Referral
from tests.clock import current_term
from tests.governance.conftest import Fed, adopt_in_council
from tests.motions.conftest import all_vote, close, put
from tests.records import recorded_update
from tests.referendum import constitution_amend
from tests.wages import wage_bands_adopt

pytestmark = pytest.mark.django_db


def test_constitution_adopt_refuses_a_new_version_without_a_carried_referendum(fed: Fed) -> None:
    """The service refuses, and so does the database's constraint."""
    with pytest.raises(FederationError, match="only by a membership referendum"):
        constitution_adopt(organisation=fed.org, rules={}, adopted_by="the executive")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConstitutionVersion.objects.create(
            organisation=fed.org, number=2, adopted_at=fed.org.founded_at, rules={}
        )


def test_an_amendment_is_enacted_only_after_the_membership_carries_it(fed: Fed) -> None:
    """Proposed in a unit, adopted there, forwarded through District 0 to Congress, referred to a
    referendum of all twenty members and carried: then, and only then, it becomes version 2, with the
    referendum's figures and the changes shown in the history."""
    api = fed.api
    proposal = api(1).post(
        f"/orgs/{fed.slug}/bodies/D0-U0/constitution-proposals",
        {"changes": {"offices.max_consecutive_terms": 2}, "reason": "Rotate faster."},
    )
    assert proposal.status_code == 201, proposal.json()
    p = proposal.json()
    assert p["changes"] == [{"rule": "offices.max_consecutive_terms", "before": 3, "after": 2}]
    assert api(1).post(f"/orgs/{fed.slug}/constitution-proposals/{p['id']}/enact").status_code == 409
    assert api(2).post(f"/orgs/{fed.slug}/motions/{p['motion']}/support").status_code == 200
    vote = put(fed, 1, p["motion"])
    all_vote(fed, vote, {n: "yes" for n in range(1, 6)})
    close(fed, 1, vote)
    district = api(1).post(f"/orgs/{fed.slug}/motions/{p['motion']}/forward").json()
    adopt_in_council(fed, "D0", district["id"], (3, 6))
    congress = api(3).post(f"/orgs/{fed.slug}/motions/{district['id']}/forward").json()
    # A council can only refer: adopting it in Congress enacts nothing.
    from tests.motions.conftest import sitting

    session = sitting(fed, "CONGRESS", 3, 11)
    refer = api(3).post(
        f"/orgs/{fed.slug}/motions/{congress['id']}/refer",
        {"session": session, "to": "referendum", "referral_days": 7},
    )
    all_vote(fed, refer.json()["id"], {3: "yes", 11: "yes"})
    close(fed, 3, refer.json()["id"])
    assert api(1).post(f"/orgs/{fed.slug}/constitution-proposals/{p['id']}/enact").status_code == 409
    referral = api(1).get(f"/orgs/{fed.slug}/motions/{congress['id']}").json()["referrals"][0]
    ballot = api(1).get(f"/orgs/{fed.slug}/referrals/{referral}").json()["votes"][0]
    all_vote(fed, ballot["id"], {n: "yes" for n in range(1, 21)})
    close(fed, 1, ballot["id"])
    enacted = api(7).post(f"/orgs/{fed.slug}/constitution-proposals/{p['id']}/enact")
    assert enacted.status_code == 201, enacted.json()
    version = enacted.json()
    assert (version["number"], version["yes"], version["electorate"]) == (2, 20, 20)
    assert version["changes"] == [{"rule": "offices.max_consecutive_terms", "before": 3, "after": 2}]
    assert api(1).post(f"/orgs/{fed.slug}/constitution-proposals/{p['id']}/enact").status_code == 409
    history = api(20).get(f"/orgs/{fed.slug}/constitution/history").json()
    assert [(v["number"], v["vote"] is not None) for v in history] == [(2, True), (1, False)]


def test_an_executive_cannot_change_the_constitution(fed: Fed) -> None:
    """An executive holds no amending power, and a bare proposal enacts nothing."""
    charter = {"kind": "executive", "code": "EXEC", "name": "Executive", "powers": ["amend-constitution"]}
    assert fed.api(3).post(f"/orgs/{fed.slug}/bodies/D0/executives", charter).status_code == 403
    proposal = (
        fed.api(3)
        .post(
            f"/orgs/{fed.slug}/bodies/D0/constitution-proposals",
            {"changes": {"offices.pay_cap_multiple": "5"}},
        )
        .json()
    )
    assert (
        fed.api(3).post(f"/orgs/{fed.slug}/constitution-proposals/{proposal['id']}/enact").status_code == 409
    )
    assert ConstitutionVersion.objects.filter(organisation=fed.org).count() == 1


def test_an_invalid_amendment_is_refused_with_the_rule_named(fed: Fed) -> None:
    response = fed.api(1).post(
        f"/orgs/{fed.slug}/bodies/D0-U0/constitution-proposals",
        {"changes": {"offices.max_consecutive_terms": 0}},
    )
    assert response.status_code == 400 and "max_consecutive_terms" in response.json()["detail"]


def _earlier_term(back: int) -> dict[str, date]:
    """The year-long term that ended ``back - 1`` years before the present term began."""
    start = current_term()[0]
    return {
        "term_start": start - timedelta(days=365 * back),
        "term_end": start - timedelta(days=365 * (back - 1) + 1),
    }


def _officer_election(fed: Fed, office: Office) -> int:
    now = fed.org.founded_at.__class__.now(tz=fed.org.founded_at.tzinfo)
    start = (now + timedelta(days=3)).date()
    election = election_call(
        body=office.body,
        kind=ElectionKind.OFFICER,
        office=office,
        timeline=Timeline(now, now + timedelta(days=1), now + timedelta(days=1), now + timedelta(days=2)),
        term_start=start,
        actor=Actor(None, "test"),
    )
    elections_run_due()
    return election.pk


def test_a_fourth_consecutive_term_is_refused_at_nomination(fed: Fed) -> None:
    """m2 has been Secretary for the two terms before the present one too; with the limit at three they
    cannot stand again; m1 can."""
    office = Office.objects.get(body__code="D0-U0", title="Secretary")
    for back in (2, 1):
        OfficeTerm.objects.create(
            office=office,
            member=fed.members["m2"],
            **_earlier_term(back),
            source="test election",
            ended_at=fed.org.founded_at,
        )
    election = _officer_election(fed, office)
    refused = fed.api(2).post(f"/orgs/{fed.slug}/elections/{election}/nominations", {"statement": ""})
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Member 002 has held this seat for 3 consecutive terms; the constitution allows 3"
    )
    assert (
        fed.api(1).post(f"/orgs/{fed.slug}/elections/{election}/nominations", {"statement": ""}).status_code
        == 201
    )


def test_a_term_held_by_someone_else_breaks_the_run(fed: Fed) -> None:
    """Two terms ago m2, the last term m4, now m2: only one consecutive term, so m2 may stand."""
    office = Office.objects.get(body__code="D0-U0", title="Secretary")
    for back, n in ((2, 2), (1, 4)):
        OfficeTerm.objects.create(
            office=office,
            member=fed.members[f"m{n}"],
            **_earlier_term(back),
            source="test election",
            ended_at=fed.org.founded_at,
        )
    election = _officer_election(fed, office)
    assert (
        fed.api(2).post(f"/orgs/{fed.slug}/elections/{election}/nominations", {"statement": ""}).status_code
        == 201
    )


def test_a_delegate_seat_counts_its_consecutive_terms_too(fed: Fed) -> None:
    """m3 has sat for D0-U0 on District 0 for three terms; they cannot stand for a fourth."""
    for back in (2, 1):
        Delegation.objects.create(
            council=fed.small.districts[0],
            constituency=fed.small.units[0],
            member=fed.members["m3"],
            **_earlier_term(back),
            source="test election",
            ended_at=fed.org.founded_at,
        )
    now = fed.org.founded_at.__class__.now(tz=fed.org.founded_at.tzinfo)
    election = election_call(
        body=fed.small.units[0],
        kind=ElectionKind.DELEGATES,
        timeline=Timeline(now, now + timedelta(days=1), now + timedelta(days=1), now + timedelta(days=2)),
        actor=Actor(None, "test"),
    )
    elections_run_due()
    refused = fed.api(3).post(f"/orgs/{fed.slug}/elections/{election.pk}/nominations", {"statement": ""})
    assert refused.status_code == 403 and "3 consecutive terms" in refused.json()["detail"]


def test_the_median_wage_is_exact() -> None:
    assert median([Decimal("1"), Decimal("4"), Decimal("2"), Decimal("3")]) == Decimal("2.5")
    assert median([Decimal("500.00"), Decimal("700.00"), Decimal("650.00")]) == Decimal("650.00")


def test_pay_above_the_cap_is_refused_with_the_figures_and_within_it_goes_in_force(fed: Fed) -> None:
    """Ten members on band A (500) and ten on B (700): median 600, cap 1 × 600. 650 is refused; 600,
    adopted by the unit's assembly, is in force and shown in the register."""
    assert fed.api(1).post(f"/orgs/{fed.slug}/wage-bands", {"bands": {"A": "500"}}).status_code == 403
    assert fed.api(2).post(f"/orgs/{fed.slug}/wage-bands", {"bands": {"A": "500"}}).status_code == 403
    wage_bands_adopt(fed.org, {"A": "500", "B": "700"})
    for n in range(1, 21):
        recorded_update(Member.objects.filter(pk=fed.members[f"m{n}"].pk), wage_band="A" if n <= 10 else "B")
    wages = fed.api(1).get(f"/orgs/{fed.slug}/wage-bands").json()
    assert (Decimal(wages["median_weekly"]), Decimal(wages["pay_cap_weekly"])) == (Decimal(600), Decimal(600))
    assert wages["currency"] == "GBP"
    office = Office.objects.get(body__code="D0-U0", title="Secretary")
    refused = fed.api(1).post(f"/orgs/{fed.slug}/offices/{office.pk}/pay", {"weekly": "650.00"})
    assert refused.status_code == 400
    assert "650.00 a week is above the cap" in refused.json()["detail"]
    assert "1 × the members' median wage of £600.00 a week = £600.00" in refused.json()["detail"]
    proposed = fed.api(1).post(f"/orgs/{fed.slug}/offices/{office.pk}/pay", {"weekly": "600.00"})
    assert proposed.status_code == 201
    assert proposed.json()["currency"] == "GBP"
    assert fed.api(2).post(f"/orgs/{fed.slug}/motions/{proposed.json()['motion']}/support").status_code == 200
    vote = put(fed, 1, proposed.json()["motion"])
    all_vote(fed, vote, {n: "yes" for n in (1, 3, 4, 5)})  # not m2, the Secretary: their own pay
    close(fed, 1, vote)
    settled = fed.api(1).post(f"/orgs/{fed.slug}/office-pay/{proposed.json()['id']}/settle").json()
    assert settled["status"] == "in_force" and Decimal(settled["cap_when_set"]) == Decimal(600)
    register = fed.api(20).get(f"/orgs/{fed.slug}/offices").json()
    secretary = next(e for e in register if e["title"] == "Secretary")
    assert secretary["holder_number"] == fed.members["m2"].number
    assert Decimal(secretary["weekly_pay"]) == Decimal(600) and secretary["how_elected"] == "test election"
    assert secretary["currency"] == "GBP"


def test_pay_and_wages_are_stated_in_the_organisations_currency(fed: Fed) -> None:
    """An organisation that keeps its accounts in euros reads every wage, cap and pay in euros: in the API
    beside each figure, on the register of offices and in the motion that sets the pay."""
    Organisation.objects.filter(pk=fed.small.org.pk).update(currency="EUR")
    wage_bands_adopt(fed.org, {"A": "1234.5", "B": "1500"})
    recorded_update(Member.objects.filter(organisation=fed.small.org), wage_band="A")
    wages = fed.api(1).get(f"/orgs/{fed.slug}/wage-bands").json()
    assert wages["currency"] == "EUR" and Decimal(wages["pay_cap_weekly"]) == Decimal("1234.50")
    office = Office.objects.get(body__code="D0-U0", title="Secretary")
    refused = fed.api(1).post(f"/orgs/{fed.slug}/offices/{office.pk}/pay", {"weekly": "1300"})
    assert "1,300.00 EUR a week is above the cap" in refused.json()["detail"]
    proposed = fed.api(1).post(f"/orgs/{fed.slug}/offices/{office.pk}/pay", {"weekly": "1200"})
    assert proposed.status_code == 201 and proposed.json()["currency"] == "EUR"
    motion = fed.api(1).get(f"/orgs/{fed.slug}/motions/{proposed.json()['motion']}").json()
    assert motion["title"] == "Pay of the Secretary: 1,200.00 EUR a week"
    assert fed.api(2).post(f"/orgs/{fed.slug}/motions/{proposed.json()['motion']}/support").status_code == 200
    vote = put(fed, 1, proposed.json()["motion"])
    all_vote(fed, vote, {n: "yes" for n in (1, 3, 4, 5)})  # not m2, the Secretary: their own pay
    close(fed, 1, vote)
    assert fed.api(1).post(f"/orgs/{fed.slug}/office-pay/{proposed.json()['id']}/settle").status_code == 200
    register = fed.api(20).get(f"/orgs/{fed.slug}/offices").json()
    assert {(e["title"], e["weekly_pay"], e["currency"]) for e in register if e["weekly_pay"]} == {
        ("Secretary", "1200.00", "EUR")
    }
    reader = Client()
    reader.force_login(fed.members["m20"].person)
    page = reader.get(reverse("governance:register", kwargs={"slug": fed.slug})).content.decode()
    assert ">1,200.00 EUR</td>" in page
    assert "No officer may be paid more than <strong>1,234.50 EUR a week</strong>" in page
    assert "median weekly wage of 1,234.50 EUR" in page


def test_tendencies_are_joined_freely_and_dissolved_only_by_their_members(fed: Fed) -> None:
    """m1 founds, m2 joins; a delegate of Congress who is not in it cannot dissolve it; when both
    members vote to dissolve it, it is dissolved."""
    founded = fed.api(1).post(
        f"/orgs/{fed.slug}/tendencies", {"name": "Rank and File", "platform": "Power below."}
    )
    assert founded.status_code == 201
    slug = founded.json()["slug"]
    assert fed.api(2).post(f"/orgs/{fed.slug}/tendencies/{slug}/join").json()["members"] == 1
    assert fed.api(2).post(f"/orgs/{fed.slug}/tendencies/{slug}/join").status_code == 409
    admitted = fed.api(1).post(
        f"/orgs/{fed.slug}/tendencies/{slug}/applications/{fed.members['m2'].number}/admit"
    )
    assert admitted.json()["members"] == 2
    assert fed.api(2).post(f"/orgs/{fed.slug}/tendencies/{slug}/join").status_code == 409
    banned = fed.api(3).post(f"/orgs/{fed.slug}/tendencies/{slug}/dissolution-votes")
    assert banned.status_code == 403 and "only the members of Rank and File" in banned.json()["detail"]
    assert fed.api(3).post(f"/orgs/{fed.slug}/tendencies/{slug}/join").status_code == 200
    admit_m3 = f"/orgs/{fed.slug}/tendencies/{slug}/applications/{fed.members['m3'].number}/admit"
    assert fed.api(2).post(admit_m3).json()["members"] == 3
    assert fed.api(3).post(f"/orgs/{fed.slug}/tendencies/{slug}/leave").json()["members"] == 2
    assert (
        fed.api(1).post(f"/orgs/{fed.slug}/tendencies/{slug}/dissolution-votes").json()["dissolved_at"]
        is None
    )
    dissolved = fed.api(2).post(f"/orgs/{fed.slug}/tendencies/{slug}/dissolution-votes").json()
    assert dissolved["dissolved_at"] is not None
    assert fed.api(4).post(f"/orgs/{fed.slug}/tendencies/{slug}/join").status_code == 409
    assert fed.api(3).client.delete(
        f"/api/orgs/{fed.slug}/tendencies/{slug}", **fed.api(3).headers
    ).status_code in (
        404,
        405,
    )


def test_no_operator_can_change_or_delete_a_delegates_seat_in_the_admin(fed: Fed) -> None:
    """The seat is read-only in the admin: changing or deleting it is forbidden and it stays as elected."""
    operator = User.objects.create_superuser(email="op@example.org", password="x" * 12, name="Olga Operator")
    client = Client()
    client.force_login(operator)
    seat = Delegation.objects.filter(ended_at__isnull=True).first()
    assert seat is not None
    changed = client.post(
        f"/admin/federation/delegation/{seat.pk}/change/",
        {"term_start": "2026-01-01", "term_end": "2026-01-02", "source": "x", "end_reason": "refused"},
    )
    assert changed.status_code == 403
    assert client.post(f"/admin/federation/delegation/{seat.pk}/delete/", {"post": "yes"}).status_code == 403
    seat.refresh_from_db()
    assert (seat.ended_at, seat.term_end) == (None, current_term()[1])


def test_constitution_amend_helper_goes_through_a_real_referendum(fed: Fed) -> None:
    """The test helper other suites use enacts through the same referendum path."""
    rules = dict(ConstitutionVersion.objects.get(organisation=fed.org, number=1).rules)
    rules["offices"] = {**rules["offices"], "term_months": 6}
    version = constitution_amend(fed.org, rules)
    assert version.number == 2 and version.referendum_id is not None
    assert Referral.objects.get(pk=version.referendum_id).carried


def test_a_version_names_a_carried_referendum_checked_by_the_motions_app(fed: Fed) -> None:
    """The federation knows referendums only by id: the check the motions app installs refuses an id that
    is no referendum, and a referendum carries one version only (in the service and in the database)."""
    rules = dict(ConstitutionVersion.objects.get(organisation=fed.org, number=1).rules)
    with pytest.raises(FederationError, match="no such referendum"):
        constitution_adopt(
            organisation=fed.org, rules=rules, adopted_by="a made-up referendum", referendum_id=10**9
        )
    rules["offices"] = {**rules["offices"], "term_months": 6}
    version = constitution_amend(fed.org, rules)
    with pytest.raises(FederationError, match="already amended"):
        constitution_adopt(
            organisation=fed.org,
            rules=rules,
            adopted_by="the same one again",
            referendum_id=version.referendum_id,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ConstitutionVersion.objects.create(
            organisation=fed.org,
            number=3,
            adopted_at=fed.org.founded_at,
            rules={},
            referendum_id=version.referendum_id,
        )
