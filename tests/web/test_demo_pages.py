"""The demo federation as a member reads it: the pages the README sends them to, seeded once for this
module (seeding takes seconds) and rolled back after it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commune.accounts.models import User
from commune.elections.models import Election, ElectionStatus
from commune.federation.demo import EMAIL_DOMAIN, demo_seed
from commune.federation.models import Organisation
from commune.governance.models import OfficePay
from commune.motions.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Organisation]:
    """The demo, seeded once for the module inside a transaction that is rolled back after its last test;
    each test runs in its own savepoint within it, as under ``db``."""
    with django_db_blocker.unblock(), transaction.atomic():
        organisation = demo_seed()
        yield organisation
        transaction.set_rollback(True)


def _member(email: str = f"member@{EMAIL_DOMAIN}") -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _text(html: bytes) -> str:
    """The page's visible words, tags removed and spaces collapsed, to assert on what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return bytes(response.content)


def test_the_headline_strike_referendum_reads_back_with_every_link(demo: Organisation, db: None) -> None:
    """The strike referendum Congress referred to the membership, and the motion it decided, each show a
    provenance with every link present, back through the depot and the district that forwarded it."""
    client = _member()
    referral = Referral.objects.select_related("motion").get(council__organisation=demo)
    slug = demo.slug
    referral_page = _get(
        client, reverse("motions:referral", kwargs={"slug": slug, "referral_id": referral.pk})
    )
    provenance = reverse(
        "provenance:decision", kwargs={"slug": slug, "kind": "referral", "decision_id": referral.pk}
    )
    assert f'href="{provenance}"'.encode() in referral_page
    for kind, decision in (("referral", referral.pk), ("motion", referral.motion_id)):
        url = reverse("provenance:decision", kwargs={"slug": slug, "kind": kind, "decision_id": decision})
        page = _text(_get(client, url))
        assert "Every link is present" in page, url
        assert "Some links are missing" not in page and "no provenance log entry" not in page, url


_VOTING_WINDOW = re.compile(
    r"<strong>Voting</strong>:\s*<time datetime=\"([^\"]+)\">.*?</time> to\s*<time datetime=\"([^\"]+)\">",
    re.S,
)
_LISTED_VOTING = re.compile(
    r"<tr data-election=\"(\d+)\">.*?<td data-label=\"Voting\"><time datetime=\"[^\"]+\">.*?</time> – "
    r"<time datetime=\"([^\"]+)\">",
    re.S,
)


def _listed_voting_ends(client: Client, slug: str) -> dict[int, datetime]:
    """When each election's voting ends, as the list of elections shows it, over all its pages."""
    ends: dict[int, datetime] = {}
    url = reverse("elections:list", kwargs={"slug": slug})
    number = 1
    while True:
        page = _get(client, f"{url}?page={number}").decode()
        ends |= {int(pk): datetime.fromisoformat(end) for pk, end in _LISTED_VOTING.findall(page)}
        if 'rel="next"' not in page:
            return ends
        number += 1


def test_every_declared_election_was_voted_on_before_its_declaration(demo: Organisation, db: None) -> None:
    """Each election the demo declared ran its whole timeline before the result: nominations, then voting,
    then the declaration; its page and the list of elections show a voting window that had ended when it
    was declared. The election left open is open now, and for days to come."""
    declared = list(Election.objects.filter(organisation=demo, status=ElectionStatus.DECLARED))
    assert len(declared) == 12 + 3 + 1  # depots to districts, districts to Congress, the General Secretary
    client = _member()
    listed = _listed_voting_ends(client, demo.slug)
    for election in declared:
        assert election.declared_at is not None
        assert (
            election.nominations_open_at
            < election.nominations_close_at
            <= election.voting_open_at
            < election.voting_close_at
            <= election.declared_at
        ), election.title
        page = _get(
            client, reverse("elections:detail", kwargs={"slug": demo.slug, "election_id": election.pk})
        ).decode()
        [(opened, closed)] = _VOTING_WINDOW.findall(page)
        assert datetime.fromisoformat(opened) < datetime.fromisoformat(closed) <= election.declared_at
        assert listed[election.pk] <= election.declared_at, election.title
    still_open = Election.objects.get(organisation=demo, status=ElectionStatus.VOTING)
    now = timezone.now()
    assert still_open.voting_open_at <= now < still_open.voting_close_at - timedelta(days=6)


def test_the_demo_states_pay_in_pounds_sterling(demo: Organisation, db: None) -> None:
    """The demo federation keeps its accounts in sterling: the General Secretary's pay and the cap on it
    read in pounds on the register of offices, and the motion that set the pay says so too."""
    assert demo.currency == "GBP"
    pay = OfficePay.objects.select_related("motion").get(office__body__organisation=demo)
    pounds = f"£{pay.weekly:,.2f}"
    page = _text(_get(_member(), reverse("governance:register", kwargs={"slug": demo.slug})))
    assert "General Secretary Congress" in page and f" {pounds} elected by" in page
    assert f"No officer may be paid more than £{pay.cap_when_set:,.2f} a week" in page
    assert pay.motion.title.endswith(f": {pounds} a week")
