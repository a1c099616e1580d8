"""Nothing links a voter to their ballot once voting has closed.

The register (who voted) and the box (what was voted) are written in the same transaction, so the
database itself would link them: PostgreSQL stamps both rows with the same ``xmin``, and ids, timestamps
and physical order follow the order of casting. These tests prove that none of that survives into the
published bulletin.
"""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection

from commune.ballots.models import Ballot, BulletinEntry, RegisterEntry
from commune.elections.models import Election
from commune.elections.services.casting import ballot_cast
from tests.clock import Clock
from tests.conftest import build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting

#: The box holds its papers encrypted under the box key while voting is open; the bulletin in plain.
ALLOWED_COLUMNS = {
    Ballot._meta.db_table: {"id", "box_id", "encrypted", "weight"},
    BulletinEntry._meta.db_table: {"id", "box_id", "tracker", "ranking", "weight"},
}
SECRET_TABLES = list(ALLOWED_COLUMNS)
LINKING_WORDS = ("member", "person", "user", "voter", "time", "date", "_at", "seq", "order", "created", "ip")


def spearman(a: list[int], b: list[int]) -> float:
    """Spearman's rank correlation of two orderings without ties."""
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


@pytest.mark.django_db
def test_ballot_tables_have_no_member_time_or_sequence_column() -> None:
    with connection.cursor() as cursor:
        for table in SECRET_TABLES:
            columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            assert columns == ALLOWED_COLUMNS[table], table
            assert not [c for c in columns if any(word in c for word in LINKING_WORDS)]
            assert not connection.introspection.get_relations(cursor, table).keys() - {"box_id"}
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT column_default FROM information_schema.columns WHERE table_name = %s AND column_name = 'id'",
                    [table],
                )
                assert cursor.fetchone() == (None,), "the key must not come from a sequence"
    for model in (Ballot, BulletinEntry):
        assert model._meta.pk.get_internal_type() == "UUIDField"  # type: ignore[union-attr]


VOTERS = 300
#: With 300 ballots, Spearman's rho between independent orders has standard deviation 1/sqrt(299) ≈ 0.058;
#: |rho| > 0.25 by chance has probability about 2e-5. An order that followed casting would give rho = 1.
RHO_BOUND = 0.25


def _physical_order(table: str, election: Election) -> list[str]:
    """The trackers in the table's physical order (the box's decrypted with its key)."""
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE box_id = %s ORDER BY {position}",
            [election.box_id],
        )
        ids = [row[0] for row in cursor.fetchall()]
    model = Ballot if table == Ballot._meta.db_table else BulletinEntry
    trackers = {
        str(row.pk).replace("-", ""): row.tracker for row in model.objects.filter(box_id=election.box_id)
    }
    return [trackers[str(pk).replace("-", "")] for pk in ids]


@pytest.mark.slow
def test_no_link_survives_close(transactional_db: None, clock: Clock) -> None:
    """Ballots cast one by one, each in its own committed transaction: after close the bulletin's order is
    uncorrelated with the order of casting, and (PostgreSQL) no bulletin row shares a transaction id with
    any register row."""
    fed = build_federation(units_per_district=1, members_per_unit=VOTERS // 2, slug="sec")
    election = call(clock, fed.congress, seats=2, title="Secrecy")
    candidates = stand(election, *(fed.members[f"m{n}"] for n in range(1, 6)))
    election = to_voting(clock, election)
    cast_order: list[str] = []
    for n in range(1, VOTERS + 1):
        ranking = [candidates[(n + k) % 5] for k in range(1 + n % 4)]
        cast_order.append(
            ballot_cast(election_id=election.pk, member=fed.members[f"m{n}"], ranking=ranking).tracker
        )

    # Before close the box is in casting order: the measure below would see it.
    box_order = _physical_order(Ballot._meta.db_table, election)
    position = {t: i for i, t in enumerate(cast_order)}
    assert spearman(list(range(VOTERS)), [position[t] for t in box_order]) > 0.99

    election = to_declared(clock, election)
    published = _physical_order(BulletinEntry._meta.db_table, election)
    assert sorted(published) == sorted(cast_order)
    rho = spearman(list(range(VOTERS)), [position[t] for t in published])
    assert abs(rho) < RHO_BOUND, f"bulletin order correlates with casting order (rho = {rho:.3f})"
    assert not Ballot.objects.filter(box_id=election.box_id).exists()
    assert not RegisterEntry.objects.filter(
        box_id=election.box_id, current_ballot_encrypted__isnull=False
    ).exists()

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {RegisterEntry._meta.db_table} r JOIN {BulletinEntry._meta.db_table} b "
                "ON r.xmin = b.xmin WHERE r.box_id = %s AND b.box_id = %s",
                [election.box_id, election.box_id],
            )
            assert cursor.fetchone() == (0,)
            # The register itself does carry the casting transactions' ids (it is who voted, not how).
            cursor.execute(
                f"SELECT count(DISTINCT xmin::text) FROM {RegisterEntry._meta.db_table} WHERE box_id = %s",
                [election.box_id],
            )
            assert cursor.fetchone()[0] >= 1
