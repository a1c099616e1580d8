"""The old table of open votes to dissolve a tendency goes. Since 0005 a dissolution is a proposal decided
by the tendency's members when it was proposed (TendencyDissolution and its ballots); nothing has read the
old rows since then, so dropping them changes no decision."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0005_tendencies_belong_to_their_members'),
    ]

    operations = [
        migrations.DeleteModel(
            name='TendencyDissolutionVote',
        ),
    ]
