"""Secrecy at rest for pledges, as ``tests/ballots/test_secrecy_at_rest.py`` holds it for ballots: whoever
holds the database learns how many pledged, never who, beyond what a member needs to withdraw and to be
kept from pledging twice (a digest under the campaign's own key, outside the database, destroyed when the
campaign ends)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import salted_hmac

from commune.ballots.boxkeys import PLEDGE, box_key_exists, pledge_digest
from commune.pledges.models import Pledge
from commune.pledges.services import pledge_made, pledge_make, pledges_run_due
from tests.clock import let_time_pass
from tests.pledges.conftest import Pledges
from tests.wal import table_files, tables_written, wal_position

_WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def test_a_pledge_writes_only_a_keyed_digest_and_counts(
    pledges: Pledges, django_capture_on_commit_callbacks: Any
) -> None:
    """Pledging writes to the pledges tables alone — no log entry, no notification, no row of any other
    table that a pledge's transaction could be matched with — and the row it writes holds a digest that
    neither the member's id nor the server's secret key tests. Once the campaign ends its key is destroyed:
    from then on nobody, the pledger included, can be told who pledged. Any database."""
    p = pledges
    campaign = p.launch(threshold=100)
    members = [p.member(n) for n in range(1, 13)]
    for member in members[3:9]:
        with CaptureQueriesContext(connection) as queries:
            pledge_make(campaign=campaign, member=member)
        written = {m.group(2) for q in queries.captured_queries if (m := _WRITE.match(q["sql"]))}
        assert written and {t for t in written if not t.startswith("pledges_")} == set(), written
    digests = set(Pledge.objects.filter(campaign=campaign).values_list("pledger_key", flat=True))
    assert len(digests) == 6 and box_key_exists(PLEDGE, campaign.pk)
    for member in members:
        for value in (str(member.pk), f"{campaign.pk}:{member.pk}", member.number):
            assert (
                salted_hmac("pledge", value, secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()
                not in digests
            )
    assert [pledge_made(campaign=campaign, member=m) for m in members] == [False] * 3 + [True] * 6 + [
        False
    ] * 3

    let_time_pass(days=14, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        pledges_run_due()
    assert not box_key_exists(PLEDGE, campaign.pk)
    assert {pledge_digest(campaign.pk, m.pk, create=False) for m in members} == {None}
    assert not [m for m in members if pledge_made(campaign=campaign, member=m)]


def test_in_the_wal_no_pledge_shares_a_transaction_with_anything_that_names_a_member(
    transactional_db: None,
) -> None:
    """PostgreSQL. Reading the write-ahead log written while members pledged: every transaction that
    wrote a pledge wrote only the pledges tables, so no row naming a member (a session, a token, a log
    entry, a notification) was committed with it."""
    if connection.vendor != "postgresql":
        pytest.skip("the WAL is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect")
    from tests.conftest import build_federation

    p = Pledges(build_federation(members_per_unit=12, slug="plwal"))
    campaign = p.launch(threshold=100)
    start = wal_position()
    for n in range(1, 12):
        api = p.api(n)
        assert api.post(f"/orgs/{p.slug}/pledges/{campaign.pk}/pledge").status_code == 200
    touched = tables_written(start, wal_position(), table_files())
    pledging = [written for written in touched.values() if "pledges_pledge" in written]
    assert len(pledging) == 11
    for written in pledging:
        assert {t for t in written if not t.startswith("pledges_")} == set(), written


def test_a_campaign_whose_key_is_lost_takes_no_pledge_rather_than_let_anyone_pledge_twice(
    pledges: Pledges,
) -> None:
    """A fresh key would not know the digests made under the lost one: every earlier pledger could pledge
    again unseen. So once pledges stand, a missing key stops the campaign taking pledges, and says why."""
    from commune.ballots.boxkeys import pledge_key_destroy
    from commune.pledges.errors import PledgeConflict

    p = pledges
    campaign = p.launch(threshold=100)
    pledge_make(campaign=campaign, member=p.member(4))
    pledge_key_destroy(campaign.pk)
    for n in (4, 5):
        with pytest.raises(PledgeConflict, match="key is missing"):
            pledge_make(campaign=campaign, member=p.member(n))
    assert Pledge.objects.filter(campaign=campaign).count() == 1
