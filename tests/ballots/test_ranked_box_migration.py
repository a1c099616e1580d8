"""The ranked box stands apart from elections: the migrations that gave every election its own box
(``ballots.0004``–``0005``, ``elections.0002``) carry every register entry, ballot and bulletin entry
across, both ways, and an open box's papers still open with their key."""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commune.ballots.models import Ballot, BulletinEntry, RankedBox, RegisterEntry
from commune.ballots.services import ranked_box_open
from commune.elections.models import Election
from commune.elections.services.casting import ballot_cast
from tests.clock import Clock
from tests.conftest import build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting

#: Where the box's tables were keyed to the election.
BEFORE = [("ballots", "0003_boxes_encrypted_under_box_keys"), ("elections", "0001_initial")]


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    """To ``targets``, or (none given) forward to the latest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets if targets is not None else executor.loader.graph.leaf_nodes())


def _box(election: Election) -> tuple[int, Counter[tuple[int, ...]], set[str], bool]:
    """Who voted (how many), what is in the box (decrypted with its key), the bulletin, sealed or not."""
    box_id = Election.objects.values_list("box_id", flat=True).get(pk=election.pk)
    return (
        RegisterEntry.objects.filter(box_id=box_id).count(),
        Counter(tuple(ballot.ranking) for ballot in Ballot.objects.filter(box_id=box_id)),
        set(BulletinEntry.objects.filter(box_id=box_id).values_list("tracker", flat=True)),
        RankedBox.objects.get(pk=box_id).sealed_at is not None,
    )


def test_the_migrations_carry_every_ranked_box_across_and_back(transactional_db: None, clock: Clock) -> None:
    """A declared election (its bulletin published) and an open one whose box's id is not its own (so
    that going back re-encrypts it under the election's key) keep their voters, their papers and their
    bulletin through the migrations backwards and forwards, and the open one takes ballots after."""
    fed = build_federation(units_per_district=1, members_per_unit=8, slug="rb")
    m = fed.members
    counted = call(clock, fed.units[0], seats=1, title="Counted")
    a, b = stand(counted, m["m1"], m["m2"])
    counted = to_voting(clock, counted)
    for n in range(1, 6):
        ballot_cast(election_id=counted.pk, member=m[f"m{n}"], ranking=[a, b] if n % 2 else [b])
    counted = to_declared(clock, counted)
    ranked_box_open()  # an unowned box, so that the next election's box id is not its own
    still_open = call(clock, fed.units[0], seats=1, title="Still open")
    while still_open.box_id == still_open.pk:
        # Tests committed before this one left the two tables' sequences where one box put them level.
        ranked_box_open()
        still_open = call(clock, fed.units[0], seats=1, title="Still open")
    c, d = stand(still_open, m["m3"], m["m4"])
    still_open = to_voting(clock, still_open)
    for n in range(1, 4):
        ballot_cast(election_id=still_open.pk, member=m[f"m{n}"], ranking=[c] if n == 1 else [d, c])
    before = (_box(counted), _box(still_open))
    assert before[0][0] == 5 and len(before[0][2]) == 5 and before[0][3]
    assert before[1][:2] == (3, Counter({(c,): 1, (d, c): 2})) and not before[1][3]

    _migrate(BEFORE)
    _migrate()

    assert (_box(counted), _box(still_open)) == before
    assert Election.objects.get(pk=still_open.pk).box_id == still_open.pk
    ballot_cast(election_id=still_open.pk, member=m["m4"], ranking=[c])
    assert _box(still_open)[:2] == (4, Counter({(c,): 2, (d, c): 2}))
