"""The demo federation as a member reads it: the pages the README sends them to, seeded once for this
module (seeding takes seconds) and rolled back after it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from commune.accounts.models import User
from commune.federation.demo import EMAIL_DOMAIN, demo_seed
from commune.federation.models import Organisation
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
