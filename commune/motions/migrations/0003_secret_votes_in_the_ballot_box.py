"""Secret votes are cast in the ballots app's yes/no box, the one box every secret yes/no vote shares:
the register and the papers of every secret vote are carried over into a box of its own, and the
motions app's own copies (``VoteRegister``, ``SecretBallot``) go."""

import django.db.models.deletion
from django.db import migrations, models

from commune.ballots.migrations._yes_no_carry import carry_into_boxes, carry_out_of_boxes


MODELS = {
    "owner": "motions.Vote",
    "register": "motions.VoteRegister",
    "paper": "motions.SecretBallot",
    "fk": "vote",
}


def carry(apps, schema_editor):
    carry_into_boxes(apps, schema_editor, **MODELS, secret_only=True)


def carry_back(apps, schema_editor):
    carry_out_of_boxes(apps, schema_editor, **MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0002_yes_no_box"),
        ("motions", "0002_referral_rule"),
    ]

    operations = [
        migrations.AddField(
            model_name="vote",
            name="box",
            field=models.OneToOneField(
                blank=True,
                help_text="A secret vote's ballot box; none for an open or a council vote.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="vote",
                to="ballots.yesnobox",
            ),
        ),
        migrations.RunPython(carry, carry_back),
        migrations.DeleteModel(
            name="SecretBallot",
        ),
        migrations.DeleteModel(
            name="VoteRegister",
        ),
    ]
