"""Carrying the secret yes/no votes' own registers and papers into the ballots app's one yes/no box, and
back: shared by ``motions.0003_secret_votes_in_the_ballot_box`` and
``recall.0002_recall_ballots_in_the_ballot_box``. Frozen with them (the migration loader skips modules
whose names start with an underscore): it reads only the historical models it is handed."""

import secrets
import uuid


def carry_into_boxes(
    apps, schema_editor, *, owner: str, register: str, paper: str, fk: str, secret_only: bool
) -> None:
    """Every owner (a secret vote, a recall ballot) gets a yes/no box holding its register and its papers (shuffled, with fresh keys,
    as a count would leave them); a box whose vote has closed is sealed when it closed."""
    db = schema_editor.connection.alias
    if schema_editor.connection.vendor == "postgresql":
        # Foreign keys checked as rows are written, so the tables can be dropped in this transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Owner = apps.get_model(owner)
    Register = apps.get_model(register)
    Paper = apps.get_model(paper)
    Box = apps.get_model("ballots", "YesNoBox")
    Entry = apps.get_model("ballots", "YesNoRegisterEntry")
    YesNoPaper = apps.get_model("ballots", "YesNoPaper")
    for row in list(
        Owner.objects.using(db).filter(**({"mode": "secret"} if secret_only else {})).order_by("pk")
    ):
        box = Box.objects.using(db).create(sealed_at=row.closed_at)
        Owner.objects.using(db).filter(pk=row.pk).update(box=box)
        members = (
            Register.objects.using(db).filter(**{f"{fk}_id": row.pk}).values_list("member_id", flat=True)
        )
        Entry.objects.using(db).bulk_create((Entry(box=box, member_id=m) for m in members), batch_size=2000)
        choices = list(
            Paper.objects.using(db).filter(**{f"{fk}_id": row.pk}).values_list("choice", flat=True)
        )
        secrets.SystemRandom().shuffle(choices)
        YesNoPaper.objects.using(db).bulk_create(
            (YesNoPaper(id=uuid.uuid4(), box=box, choice=c) for c in choices), batch_size=2000
        )


def carry_out_of_boxes(apps, schema_editor, *, owner: str, register: str, paper: str, fk: str) -> None:
    db = schema_editor.connection.alias
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Owner = apps.get_model(owner)
    Register = apps.get_model(register)
    Paper = apps.get_model(paper)
    Box = apps.get_model("ballots", "YesNoBox")
    Entry = apps.get_model("ballots", "YesNoRegisterEntry")
    YesNoPaper = apps.get_model("ballots", "YesNoPaper")
    for row in list(Owner.objects.using(db).filter(box__isnull=False)):
        members = Entry.objects.using(db).filter(box_id=row.box_id).values_list("member_id", flat=True)
        Register.objects.using(db).bulk_create(
            (Register(**{f"{fk}_id": row.pk}, member_id=m) for m in members), batch_size=2000
        )
        choices = YesNoPaper.objects.using(db).filter(box_id=row.box_id).values_list("choice", flat=True)
        Paper.objects.using(db).bulk_create(
            (Paper(id=uuid.uuid4(), **{f"{fk}_id": row.pk}, choice=c) for c in choices), batch_size=2000
        )
        # The box goes with the field that pointed at it.
        Owner.objects.using(db).filter(pk=row.pk).update(box=None)
        YesNoPaper.objects.using(db).filter(box_id=row.box_id).delete()
        Entry.objects.using(db).filter(box_id=row.box_id).delete()
        Box.objects.using(db).filter(pk=row.box_id).delete()
