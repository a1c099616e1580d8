"""Meetings' chairs, tellers, counts of hands and minutes are held to the provenance log from now on: a
baseline entry per organisation records the rows as they stand (see commune.audit.baseline), so that an
existing meeting's chair can act on and a change made after this can be told from the log."""

from django.db import migrations

from commune.audit.baseline import baseline_record

MODELS = {"meetings.meeting", "meetings.teller", "meetings.handcount", "meetings.minutes"}


def baseline(apps, schema_editor):  # type: ignore[no-untyped-def]
    baseline_record(apps, schema_editor.connection.alias, labels=MODELS)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0003_hand_counts_and_minutes"),
        ("audit", "0007_erasable_text"),
    ]

    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
