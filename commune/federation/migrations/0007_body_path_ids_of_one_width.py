"""Every body's path written with its ids of one width (``/1/4/17/`` becomes
``/0000000001/0000000004/0000000017/``): ordered as text, the paths then follow the tree, where ``/10/``
came before ``/2/`` (and a collation that skips separators mixed subtrees)."""

from django.db import migrations

#: As ``commune.federation.models.PATH_ID_DIGITS`` is now: a migration keeps the width it wrote.
DIGITS = 10
BATCH = 1000


def _rewritten(apps, schema_editor, segment) -> None:  # type: ignore[no-untyped-def]
    Body = apps.get_model("federation", "Body")
    bodies = list(Body.objects.only("id", "path").order_by("id"))
    for body in bodies:
        body.path = "/" + "".join(f"{segment(int(p))}/" for p in body.path.strip("/").split("/") if p)
    Body.objects.bulk_update(bodies, ["path"], batch_size=BATCH)


def ids_of_one_width(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _rewritten(apps, schema_editor, lambda body_id: f"{body_id:0{DIGITS}d}")


def ids_as_written(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    _rewritten(apps, schema_editor, str)


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0006_body_dissolved_only_by_a_decision"),
    ]

    operations = [migrations.RunPython(ids_of_one_width, ids_as_written)]
