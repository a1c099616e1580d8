"""The one yes/no box every secret yes/no vote shares: the migration that carried the motions' and the
recall ballots' own boxes into it keeps every register entry and every paper, and sealing uses the
ranked box's shuffle-and-rewrite."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commune.ballots.models import YesNoBox, YesNoEncryptedPaper, YesNoPaper, YesNoRegisterEntry
from commune.motions.models import Vote
from tests.motions.conftest import Fed, all_vote, close, on_agenda, put

#: Where the motions' secret votes had their own register and box.
BEFORE = [("motions", "0002_referral_rule")]


def _migrate(targets: list[tuple[str, str]] | None = None) -> None:
    """To ``targets``, or (none given) forward to the latest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets if targets is not None else executor.loader.graph.leaf_nodes())


def _box(vote_id: int) -> tuple[int, list[str], bool]:
    box = YesNoBox.objects.get(vote__pk=vote_id)
    entries = YesNoRegisterEntry.objects.filter(box=box).count()
    # An open box's papers are encrypted under its key; a sealed box's are plain.
    choices = sorted(
        [*YesNoPaper.objects.filter(box=box).values_list("choice", flat=True)]
        + [paper.choice for paper in YesNoEncryptedPaper.objects.filter(box=box)]
    )
    return entries, choices, box.sealed_at is not None


def test_the_migration_carries_every_secret_votes_register_and_papers_into_its_box(
    transactional_db: None, fed: Fed
) -> None:
    """Back to the motions' own register and box and forward again: an open vote and a counted one each
    keep who voted and what was voted, and the counted one's box stays sealed."""
    still_open = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    all_vote(fed, still_open, {1: "yes", 2: "no"})
    counted = put(fed, 3, on_agenda(fed, 3, "D0-U0", supporter=4))
    all_vote(fed, counted, {1: "yes", 2: "yes", 3: "abstain", 4: "no", 5: "yes"})
    close(fed, 1, counted)
    assert _box(still_open) == (2, ["no", "yes"], False)
    assert _box(counted) == (5, ["abstain", "no", "yes", "yes", "yes"], True)
    papers_before = set(YesNoPaper.objects.values_list("id", flat=True))

    _migrate(BEFORE)
    _migrate()

    assert Vote.objects.get(pk=still_open).box is not None
    assert _box(still_open) == (2, ["no", "yes"], False)
    assert _box(counted) == (5, ["abstain", "no", "yes", "yes", "yes"], True)
    # Carried over shuffled with fresh keys, as a count leaves a box.
    assert papers_before.isdisjoint(YesNoPaper.objects.values_list("id", flat=True))
