"""Each election points at its own ranked box (``ballots.RankedBox``) instead of the box's tables being
keyed to the election.

Every election gets a box with the election's own id, and every register entry, ballot and bulletin entry
is carried into its election's box. Keeping the id keeps the box keys: each key file and each ciphertext
of an open box is bound to the box's id (``commune/ballots/boxkeys.py``), which was the election's. A box
whose bulletin is published is marked sealed. Backwards, every row is keyed to its box's election again
(and an open box opened since, whose id is not its election's, is re-encrypted under the election's).
"""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery

from commune.ballots.boxkeys import (
    ranked_box_key_destroy,
    ranked_paper_open,
    ranked_paper_seal,
    register_pointer_open,
    register_pointer_seal,
)

_ROWS = ("RegisterEntry", "Ballot", "BulletinEntry")


def carry_into_boxes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Election = apps.get_model("elections", "Election")
    RankedBox = apps.get_model("ballots", "RankedBox")
    RankedBox.objects.bulk_create(
        [
            RankedBox(pk=pk, sealed_at=(declared_at or closes) if root else None)
            for pk, root, declared_at, closes in Election.objects.values_list(
                "pk", "merkle_root", "declared_at", "voting_close_at"
            )
        ],
        batch_size=2000,
    )
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [RankedBox]):
            cursor.execute(statement)
    Election.objects.update(box_id=F("pk"))
    for name in _ROWS:
        apps.get_model("ballots", name).objects.update(box_id=F("election_id"))


def carry_out_of_boxes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Election = apps.get_model("elections", "Election")
    Ballot = apps.get_model("ballots", "Ballot")
    RegisterEntry = apps.get_model("ballots", "RegisterEntry")
    owner = Subquery(Election.objects.filter(box_id=OuterRef("box_id")).values("pk")[:1])
    for name in _ROWS:
        apps.get_model("ballots", name).objects.update(election_id=owner)
    # An open box whose id is not its election's (one opened after this migration) is encrypted under the
    # box's key: its papers and pointers are re-encrypted under a key for the election's id. First every
    # such box is read and its key destroyed, then each is written afresh, so that no key is overwritten
    # while another box still needs it.
    moved = []
    for election_id, box_id in Election.objects.exclude(box_id=F("pk")).values_list("pk", "box_id"):
        ballots = [(b, ranked_paper_open(box_id, b.encrypted)) for b in Ballot.objects.filter(box_id=box_id)]
        entries = [
            (e, register_pointer_open(box_id, e.member_id, e.current_ballot_encrypted))
            for e in RegisterEntry.objects.filter(box_id=box_id, current_ballot_encrypted__isnull=False)
        ]
        if ballots or entries:
            moved.append((election_id, ballots, entries))
            ranked_box_key_destroy(box_id)
    for election_id, ballots, entries in moved:
        for ballot, paper in ballots:
            ballot.encrypted = ranked_paper_seal(election_id, paper)
            ballot.save(update_fields=["encrypted"])
        for entry, pointer in entries:
            entry.current_ballot_encrypted = register_pointer_seal(election_id, entry.member_id, pointer)
            entry.save(update_fields=["current_ballot_encrypted"])


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_initial"),
        ("ballots", "0004_ranked_box"),
    ]

    operations = [
        migrations.AddField(
            model_name="election",
            name="box",
            field=models.OneToOneField(
                help_text="The secret ballot box its ballots are cast into: its register, its papers, its bulletin.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ballots.rankedbox",
            ),
        ),
        migrations.RunPython(carry_into_boxes, carry_out_of_boxes),
        migrations.AlterField(
            model_name="election",
            name="box",
            field=models.OneToOneField(
                help_text="The secret ballot box its ballots are cast into: its register, its papers, its bulletin.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ballots.rankedbox",
            ),
        ),
    ]
