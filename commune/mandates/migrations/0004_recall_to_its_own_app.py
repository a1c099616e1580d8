"""Recall leaves for its own app (``recall.0001_recall_from_mandates``), its tables unchanged: this only
removes the models from the mandates app's record."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mandates", "0003_recall"),
        ("recall", "0001_recall_from_mandates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="recallballot",
                    name="petition",
                ),
                migrations.RemoveField(
                    model_name="recallballotregister",
                    name="ballot",
                ),
                migrations.RemoveField(
                    model_name="recallballotregister",
                    name="member",
                ),
                migrations.RemoveField(
                    model_name="recallpetition",
                    name="body",
                ),
                migrations.RemoveField(
                    model_name="recallpetition",
                    name="by_election",
                ),
                migrations.RemoveField(
                    model_name="recallpetition",
                    name="holder",
                ),
                migrations.RemoveField(
                    model_name="recallpetition",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="recallpetition",
                    name="replaced_by",
                ),
                migrations.RemoveField(
                    model_name="recallpetition",
                    name="replacement_seat",
                ),
                migrations.RemoveField(
                    model_name="recallpetition",
                    name="seat",
                ),
                migrations.RemoveField(
                    model_name="recallsignature",
                    name="petition",
                ),
                migrations.DeleteModel(
                    name="RecallBallotPaper",
                ),
                migrations.DeleteModel(
                    name="RecallBallot",
                ),
                migrations.DeleteModel(
                    name="RecallBallotRegister",
                ),
                migrations.DeleteModel(
                    name="RecallPetition",
                ),
                migrations.DeleteModel(
                    name="RecallSignature",
                ),
            ],
        ),
    ]
