"""The text of an entry (who acted, the summary) hashed through a salted commitment from now on, so that a
name in it can be erased without breaking the chain. Entries already written keep scheme 1 and verify as
they always did; taking it back leaves the entries written since unverifiable. The guard is installed again to let erasure through (and because SQLite drops the
triggers with the table it rebuilds to add a column)."""

from django.db import migrations, models

from commune.audit.guard import guard_install


def guard_erasable(apps, schema_editor):  # type: ignore[no-untyped-def]
    guard_install(schema_editor.connection)


def guard_strict(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Taking this migration back removes the columns that hold what entries of scheme 2 hash: those entries
    # then no longer verify. It is there for tests that migrate other apps back and forth; do not take a
    # live database back past it.
    guard_install(schema_editor.connection, erasable=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_checkpoints")]

    operations = [
        migrations.AddField(
            model_name="logentry",
            name="scheme",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="How the hash covers the text: 1, as it stands; 2, through a salted commitment (erasable).",
            ),
        ),
        migrations.AddField(
            model_name="logentry",
            name="text_commitment",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Scheme 2: SHA-256 of the salt and the text, as hashed.",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="logentry",
            name="text_salt",
            field=models.CharField(
                blank=True,
                default="",
                help_text="Scheme 2: the salt that opens the commitment (not hashed; replaced when a name is erased).",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(guard_erasable, guard_strict),
    ]
