"""Open boxes are encrypted under their own keys, kept outside the database (``commune/ballots/boxkeys.py``).

Carries what is in the boxes open at the time: each ranked ballot's tracker and ranking, each register
entry's pointer to its voter's current ballot, and each paper of an unsealed yes/no box are encrypted
under their box's new key; backwards, decrypted again. (What the database wrote before this migration —
its WAL, its backups — holds those boxes in plain: see docs/operating.md.)
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models

from commune.ballots.boxkeys import (
    RankedPaper,
    ranked_paper_open,
    ranked_paper_seal,
    register_pointer_open,
    register_pointer_seal,
    yes_no_paper_open,
    yes_no_paper_seal,
)


def encrypt_open_boxes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Ballot = apps.get_model("ballots", "Ballot")
    RegisterEntry = apps.get_model("ballots", "RegisterEntry")
    YesNoPaper = apps.get_model("ballots", "YesNoPaper")
    YesNoEncryptedPaper = apps.get_model("ballots", "YesNoEncryptedPaper")
    for ballot in Ballot.objects.filter(encrypted__isnull=True):
        ballot.encrypted = ranked_paper_seal(ballot.election_id, RankedPaper(ballot.tracker, list(ballot.ranking)))
        ballot.save(update_fields=["encrypted"])
    for entry in RegisterEntry.objects.filter(current_ballot__isnull=False):
        entry.current_ballot_encrypted = register_pointer_seal(entry.election_id, entry.member_id, entry.current_ballot)
        entry.save(update_fields=["current_ballot_encrypted"])
    for paper in YesNoPaper.objects.filter(box__sealed_at__isnull=True):
        YesNoEncryptedPaper.objects.create(
            id=uuid.uuid4(), box_id=paper.box_id, encrypted=yes_no_paper_seal(paper.box_id, paper.choice)
        )
        paper.delete()


def decrypt_open_boxes(apps, schema_editor):  # type: ignore[no-untyped-def]
    Ballot = apps.get_model("ballots", "Ballot")
    RegisterEntry = apps.get_model("ballots", "RegisterEntry")
    YesNoPaper = apps.get_model("ballots", "YesNoPaper")
    YesNoEncryptedPaper = apps.get_model("ballots", "YesNoEncryptedPaper")
    for ballot in Ballot.objects.all():
        paper = ranked_paper_open(ballot.election_id, ballot.encrypted)
        ballot.tracker, ballot.ranking = paper.tracker, paper.ranking
        ballot.save(update_fields=["tracker", "ranking"])
    for entry in RegisterEntry.objects.filter(current_ballot_encrypted__isnull=False):
        entry.current_ballot = register_pointer_open(entry.election_id, entry.member_id, entry.current_ballot_encrypted)
        entry.save(update_fields=["current_ballot"])
    for sealed in YesNoEncryptedPaper.objects.all():
        YesNoPaper.objects.create(
            id=uuid.uuid4(), box_id=sealed.box_id, choice=yes_no_paper_open(sealed.box_id, sealed.encrypted)
        )
        sealed.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ballots", "0002_yes_no_box"),
        # Their carrying of the secret votes into the yes/no box writes plain papers, encrypted here.
        ("motions", "0003_secret_votes_in_the_ballot_box"),
        ("recall", "0002_recall_ballots_in_the_ballot_box"),
    ]

    operations = [
        migrations.AddField(
            model_name="ballot",
            name="encrypted",
            field=models.BinaryField(null=True),
        ),
        migrations.AddField(
            model_name="registerentry",
            name="current_ballot_encrypted",
            field=models.BinaryField(
                blank=True,
                help_text="The id of the voter's current ballot encrypted under the box key: only while voting "
                "is open and re-voting is allowed; wiped at close, and the key destroyed.",
                null=True,
            ),
        ),
        migrations.CreateModel(
            name="YesNoEncryptedPaper",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("encrypted", models.BinaryField()),
                (
                    "box",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="ballots.yesnobox"
                    ),
                ),
            ],
        ),
        migrations.RemoveConstraint(model_name="ballot", name="ballot_tracker_unique"),
        migrations.AlterField(model_name="ballot", name="tracker", field=models.CharField(max_length=24, null=True)),
        migrations.AlterField(model_name="ballot", name="ranking", field=models.JSONField(null=True)),
        migrations.RunPython(encrypt_open_boxes, decrypt_open_boxes),
        migrations.RemoveField(model_name="ballot", name="tracker"),
        migrations.RemoveField(model_name="ballot", name="ranking"),
        migrations.RemoveField(model_name="registerentry", name="current_ballot"),
        migrations.AlterField(model_name="ballot", name="encrypted", field=models.BinaryField()),
        migrations.AlterField(
            model_name="ballot",
            name="weight",
            field=models.PositiveIntegerField(default=1, help_text="The elector's weight, as public as the electorate."),
        ),
    ]
