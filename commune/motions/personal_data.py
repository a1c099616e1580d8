"""The motions section of a person's data export (``commune.accounts.personal_data``): the motions they
moved, their choices in open assembly votes and their recorded votes as a delegate. Nothing of a secret
ballot: its box holds no member and its register no choice, and neither is read here. Three queries."""

from __future__ import annotations

from typing import Any

from commune.accounts.models import User
from commune.accounts.personal_data import moment
from commune.motions.models import DelegateVote, Motion, OpenChoice


def motions_personal_data(person: User) -> dict[str, list[dict[str, Any]]]:
    moved = Motion.objects.filter(moved_by__person=person).select_related("body").order_by("moved_at", "id")
    open_votes = (
        OpenChoice.objects.filter(member__person=person)
        .select_related("vote__body")
        .order_by("cast_at", "id")
    )
    recorded = (
        DelegateVote.objects.filter(cast_by__person=person)
        .select_related("vote__body", "delegation__constituency")
        .order_by("vote__opened_at", "id")
    )
    return {
        "motions_moved": [
            {"body": m.body.code, "title": m.title, "status": m.status, "moved_at": moment(m.moved_at)}
            for m in moved
        ],
        "open_votes": [
            {
                "body": c.vote.body.code,
                "question": c.vote.question,
                "choice": c.choice,
                "cast_at": moment(c.cast_at),
            }
            for c in open_votes
        ],
        "delegate_votes": [
            {
                "council": v.vote.body.code,
                "question": v.vote.question,
                "for_constituency": v.delegation.constituency.code,
                "choice": v.choice,
                "as_alternate": v.as_alternate,
                "weight": v.weight,
            }
            for v in recorded
        ],
    }
