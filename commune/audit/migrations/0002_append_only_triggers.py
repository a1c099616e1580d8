"""Refuse UPDATE and DELETE on the provenance log at the database level (see ``commune.audit.guard``)."""

from django.db import migrations

from commune.audit.guard import guard_install, guard_remove


def forwards(apps, schema_editor):
    guard_install(schema_editor.connection, erasable=False)


def backwards(apps, schema_editor):
    guard_remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
