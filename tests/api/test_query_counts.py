"""The API's reads issue the same number of queries for a federation ten times larger."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from commune.federation.services import delegation_seat
from tests.api.conftest import ApiClient
from tests.clock import current_term
from tests.conftest import SmallFederation, build_federation


def _seat_a_delegate_for_every_unit(fed: SmallFederation) -> None:
    """Fill one seat per unit, so the larger federation also has ten times the delegates to show."""
    for unit in fed.units[1:]:
        first_member = unit.current_members.order_by("number").first()
        assert first_member is not None
        delegation_seat(
            council=unit.parent,  # type: ignore[arg-type]
            constituency=unit,
            member=first_member,
            term_start=current_term()[0],
            term_end=current_term()[1],
            source="test election",
        )


def _query_counts(fed: SmallFederation) -> dict[str, int]:
    client = ApiClient(fed.member)
    slug = fed.org.slug
    urls = [
        "/api/me",
        f"/api/orgs/{slug}",
        f"/api/orgs/{slug}/bodies?limit=500",
        f"/api/orgs/{slug}/bodies?kind=unit",
        f"/api/orgs/{slug}/bodies/D0",
        f"/api/orgs/{slug}/bodies/CONGRESS",
        f"/api/orgs/{slug}/bodies/D0-U0",
        f"/api/orgs/{slug}/representatives",
        f"/api/orgs/{slug}/log",
        f"/api/orgs/{slug}/log?body=D0",
        f"/api/orgs/{slug}/log?action=member.&limit=500",
    ]
    assert client.get("/api/me").status_code == 200  # the token's first use writes its last-used time
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.client.get(url, headers=client._headers())
        assert response.status_code == 200, (url, response.content)
        counts[url.replace(f"/{slug}", "/SLUG")] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_the_federation(db: None) -> None:
    """Bodies, a council's seats, representatives and the log cost the same whether a federation has 4 units
    and 20 members or 40 units and 400 members."""
    small = build_federation(units_per_district=2, members_per_unit=5, slug="small")
    large = build_federation(units_per_district=20, members_per_unit=10, slug="large")
    for fed in (small, large):
        _seat_a_delegate_for_every_unit(fed)
    small_counts = _query_counts(small)
    large_counts = _query_counts(large)
    assert len(large.units) == 10 * len(small.units)
    assert large.org.members.count() == 20 * small.org.members.count()
    assert large_counts == small_counts
    # And stay modest: authentication, the membership check and a handful of reads.
    assert max(small_counts.values()) <= 10, small_counts
