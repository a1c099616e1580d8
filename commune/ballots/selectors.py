"""Reads of the yes/no box: who voted (never how), how many, and the sealed box's totals."""

from __future__ import annotations

from typing import Any

from commune.ballots.bulletin import YES_NO_FORMAT
from commune.ballots.models import YesNoBox, YesNoChoice, YesNoPaper, YesNoRegisterEntry
from commune.federation.models import Member


def yes_no_voted(*, box_id: int | None, member: Member) -> bool:
    """Whether ``member`` is on the box's register (never how they voted)."""
    return box_id is not None and YesNoRegisterEntry.objects.filter(box_id=box_id, member=member).exists()


def yes_no_turnout(*, box_id: int) -> int:
    """How many have voted in the box. One query."""
    return YesNoRegisterEntry.objects.filter(box_id=box_id).count()


def yes_no_bulletin(*, box: YesNoBox) -> dict[str, Any]:
    """The sealed box's bulletin (format ``commune-yes-no-bulletin/1``, see ``commune.ballots.bulletin``):
    every paper as the seal rewrote it — a random id, the choice, its weight (one member, one vote) — in
    the order of those ids, and the totals by choice; nothing of who. The owner adds what was asked and
    what it declared. One query. Precondition: the box is sealed (``access.access_sealed_yes_no_box``)."""
    rows = list(YesNoPaper.objects.filter(box=box).order_by("id").values_list("id", "choice"))
    totals = dict.fromkeys(YesNoChoice.values, 0)
    for _, choice in rows:
        totals[choice] += 1
    papers = [{"id": str(pk), "choice": choice, "weight": 1} for pk, choice in rows]
    return {"format": YES_NO_FORMAT, "box": box.pk, "papers": papers, "totals": totals}
