"""Recall ballots are cast in the ballots app's yes/no box, the one box every secret yes/no vote shares:
the register and the papers of every recall ballot are carried over into a box of its own, and the
recall app's own copies (``RecallBallotRegister``, ``RecallBallotPaper``) go."""

import django.db.models.deletion
from django.db import migrations, models

from commune.ballots.migrations._yes_no_carry import carry_into_boxes, carry_out_of_boxes


MODELS = {
    "owner": "recall.RecallBallot",
    "register": "recall.RecallBallotRegister",
    "paper": "recall.RecallBallotPaper",
    "fk": "ballot",
}


def carry(apps, schema_editor):
    carry_into_boxes(apps, schema_editor, **MODELS, secret_only=False)


def carry_back(apps, schema_editor):
    carry_out_of_boxes(apps, schema_editor, **MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0002_yes_no_box"),
        ("recall", "0001_recall_from_mandates"),
    ]

    operations = [
        migrations.AddField(
            model_name="recallballot",
            name="box",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="recall_ballot",
                to="ballots.yesnobox",
            ),
        ),
        migrations.RunPython(carry, carry_back),
        migrations.DeleteModel(
            name="RecallBallotPaper",
        ),
        migrations.DeleteModel(
            name="RecallBallotRegister",
        ),
    ]
