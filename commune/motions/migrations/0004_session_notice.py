"""Council sessions are called with notice: each has the time it starts, after its call.

Sessions held before this change started when they were called."""

from django.db import migrations, models
from django.db.models import F, Q


def started_when_called(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("motions", "CouncilSession").objects.update(starts_at=F("opened_at"))


class Migration(migrations.Migration):
    dependencies = [("motions", "0003_secret_votes_in_the_ballot_box")]

    operations = [
        migrations.AddField(
            model_name="councilsession",
            name="starts_at",
            field=models.DateTimeField(null=True, help_text="When it sits: the roll opens then."),
        ),
        migrations.RunPython(started_when_called, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="councilsession",
            name="starts_at",
            field=models.DateTimeField(help_text="When it sits: the roll opens then."),
        ),
        migrations.AlterField(
            model_name="councilsession",
            name="opened_at",
            field=models.DateTimeField(help_text="When the session was called."),
        ),
        migrations.AddField(
            model_name="councilsession",
            name="notice_hours",
            field=models.PositiveIntegerField(default=0, help_text="The notice the constitution required."),
        ),
        migrations.AddConstraint(
            model_name="councilsession",
            constraint=models.CheckConstraint(
                condition=Q(starts_at__gte=F("opened_at")), name="session_starts_after_its_call"
            ),
        ),
    ]
