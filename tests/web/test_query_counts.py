"""The hot pages issue the same number of queries however large the federation grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import SmallFederation, build_federation

pytestmark = pytest.mark.django_db


def _queries(fed: SmallFederation, url: str) -> int:
    client = Client()
    client.force_login(fed.delegate)  # holds seats at two levels and sees the most on every page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _pages(fed: SmallFederation) -> dict[str, str]:
    slug = fed.org.slug
    return {
        "home": "/",
        "tree": reverse("federation:tree", kwargs={"slug": slug}),
        "council": reverse("federation:body", kwargs={"slug": slug, "code": "D0"}),
        "top council": reverse("federation:body", kwargs={"slug": slug, "code": "CONGRESS"}),
        "unit": reverse("federation:body", kwargs={"slug": slug, "code": "D0-U0"}),
        "log": reverse("audit:log", kwargs={"slug": slug}),
        "constitution": reverse("federation:constitution", kwargs={"slug": slug}),
    }


def test_hot_pages_are_constant_in_queries_for_a_federation_ten_times_larger(db: None) -> None:
    small = build_federation(units_per_district=2, members_per_unit=3, slug="small")
    large = build_federation(units_per_district=20, members_per_unit=3, slug="large")
    small_counts = {name: _queries(small, url) for name, url in _pages(small).items()}
    large_counts = {name: _queries(large, url) for name, url in _pages(large).items()}
    assert large_counts == small_counts
    # And small in absolute terms: a page is a handful of queries, not one per body.
    assert max(small_counts.values()) <= 12, small_counts
