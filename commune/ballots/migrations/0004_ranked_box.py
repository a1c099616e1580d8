"""The ranked box becomes a box of its own (``RankedBox``), which its owner points at, instead of its
register, papers and bulletin being keyed to ``elections.Election``.

This step adds the box and its rows' new key beside the old one; ``elections.0002_election_box`` gives
each election a box and carries every row into it, and ``0005_ranked_box_apart_from_elections`` drops the
old key.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0003_boxes_encrypted_under_box_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="RankedBox",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "sealed_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When its papers were shuffled and rewritten as the public bulletin, no more cast.",
                        null=True,
                    ),
                ),
            ],
            options={"verbose_name_plural": "ranked boxes"},
        ),
        migrations.AddField(
            model_name="registerentry",
            name="box",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="register",
                to="ballots.rankedbox",
            ),
        ),
        migrations.AddField(
            model_name="ballot",
            name="box",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="ballots.rankedbox",
            ),
        ),
        migrations.AddField(
            model_name="bulletinentry",
            name="box",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bulletin",
                to="ballots.rankedbox",
            ),
        ),
        migrations.AlterField(
            model_name="registerentry",
            name="election",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="register",
                to="elections.election",
            ),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="election",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="elections.election",
            ),
        ),
        migrations.AlterField(
            model_name="bulletinentry",
            name="election",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="bulletin",
                to="elections.election",
            ),
        ),
    ]
