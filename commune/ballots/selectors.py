"""Reads of the yes/no box: who voted (never how), how many, and the sealed box's totals."""

from __future__ import annotations

from django.db.models import Count

from commune.ballots.models import YesNoBox, YesNoChoice, YesNoPaper, YesNoRegisterEntry
from commune.federation.models import Member


def yes_no_voted(*, box_id: int | None, member: Member) -> bool:
    """Whether ``member`` is on the box's register (never how they voted)."""
    return box_id is not None and YesNoRegisterEntry.objects.filter(box_id=box_id, member=member).exists()


def yes_no_turnout(*, box_id: int) -> int:
    """How many have voted in the box. One query."""
    return YesNoRegisterEntry.objects.filter(box_id=box_id).count()


def yes_no_bulletin(*, box: YesNoBox) -> dict[str, int]:
    """The sealed box's papers, by choice: what anyone may check the declared count against. One query.
    Precondition: the box is sealed (``access.access_sealed_yes_no_box``)."""
    totals = dict.fromkeys(YesNoChoice.values, 0)
    for row in YesNoPaper.objects.filter(box=box).values("choice").annotate(n=Count("id")):
        totals[row["choice"]] = row["n"]
    return totals
