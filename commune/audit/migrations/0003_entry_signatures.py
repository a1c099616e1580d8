"""Every entry's hash signed with the instance's key: the entries already written are signed as they stand
when this migration runs, so that from here on a rewritten history shows."""

from django.db import migrations, models

from commune.audit.guard import guard_install, guard_remove


def sign_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    from commune.audit.signing import entry_sign

    LogEntry = apps.get_model("audit", "LogEntry")
    guard_remove(schema_editor.connection)
    for entry in LogEntry.objects.filter(signature="").iterator(2000):
        entry.signed_by, entry.signature = entry_sign(
            organisation_id=entry.organisation_id, seq=entry.seq, entry_hash=entry.entry_hash
        )
        entry.save(update_fields=["signed_by", "signature"])
    # Also re-creates the triggers that SQLite drops with a table it rebuilds to add a column.
    guard_install(schema_editor.connection, erasable=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="logentry",
            name="signed_by",
            field=models.CharField(blank=True, default="", help_text="The id of the key that signed it.", max_length=16),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="logentry",
            name="signature",
            field=models.CharField(blank=True, default="", help_text="Ed25519 signature of the hash, hex.", max_length=128),
            preserve_default=False,
        ),
        migrations.RunPython(sign_existing, migrations.RunPython.noop),
    ]
