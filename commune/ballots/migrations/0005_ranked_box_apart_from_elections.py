"""The ranked box's rows are keyed to their box alone: the old key to ``elections.Election`` goes, once
``elections.0002_election_box`` has carried every row into its election's box. The double-vote guard and
the bulletin's unique trackers hold per box."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0004_ranked_box"),
        ("elections", "0002_election_box"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="registerentry", name="one_vote_per_member"),
        migrations.RemoveConstraint(model_name="bulletinentry", name="bulletin_tracker_unique"),
        migrations.RemoveField(model_name="registerentry", name="election"),
        migrations.RemoveField(model_name="ballot", name="election"),
        migrations.RemoveField(model_name="bulletinentry", name="election"),
        migrations.AlterField(
            model_name="registerentry",
            name="box",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="register", to="ballots.rankedbox"
            ),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="box",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="ballots.rankedbox"
            ),
        ),
        migrations.AlterField(
            model_name="bulletinentry",
            name="box",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="bulletin", to="ballots.rankedbox"
            ),
        ),
        migrations.AddConstraint(
            model_name="registerentry",
            constraint=models.UniqueConstraint(fields=("box", "member"), name="one_vote_per_member"),
        ),
        migrations.AddConstraint(
            model_name="bulletinentry",
            constraint=models.UniqueConstraint(fields=("box", "tracker"), name="bulletin_tracker_unique"),
        ),
    ]
