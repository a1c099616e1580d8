"""Reads of the yes/no box: who voted (never how), how many, and the sealed box's totals; and of its paper
channel: the reconciliation of its papers and the dispute queue."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from commune.ballots.bulletin import YES_NO_FORMAT
from commune.ballots.models import (
    PAPER_RETURNED,
    PAPER_UNRETURNED,
    BallotPaper,
    PaperChannel,
    PaperDispute,
    PaperStatus,
    YesNoBox,
    YesNoChoice,
    YesNoPaper,
    YesNoRegisterEntry,
)
from commune.federation.models import Member

#: Why a paper was cancelled when its member reported it lost (``papers.paper_replace``).
LOST = "reported lost, replaced"


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


# --- The paper channel ---------------------------------------------------------------------------------------


def paper_channel_of_box(*, box_id: int | None, ranked: bool = False) -> PaperChannel | None:
    """The paper channel a yes/no box's question is printed on, or a ``ranked`` box's, if any. One query."""
    if box_id is None:
        return None
    if ranked:
        return PaperChannel.objects.filter(ranked_box_id=box_id).first()
    return PaperChannel.objects.filter(questions__box_id=box_id).first()


def paper_reconciliation(*, channel_id: int) -> dict[str, Any]:
    """Every paper accounted for: issued, returned and not; of those returned, counted, spoiled, rejected,
    late (returned after the vote closed) and still waiting for a teller or a dispute; of those not
    returned, still out and cancelled; how many were reported lost (and replaced, whether or not they came
    back after); with the two sums that must hold (``balanced``):
    issued = returned + unreturned, and returned = counted + spoiled + rejected + late + pending. Also the
    replacements issued, the cancellations and rejections with their reasons, and the disputes raised
    and resolved. Three queries."""
    by_status = dict.fromkeys(PaperStatus.values, 0)
    for status, n in (
        BallotPaper.objects.filter(channel_id=channel_id).values_list("status").annotate(n=Count("id"))
    ):
        by_status[status] = n
    issued = sum(by_status.values())
    returned = sum(by_status[s] for s in PAPER_RETURNED)
    unreturned = sum(by_status[s] for s in PAPER_UNRETURNED)
    pending = by_status[PaperStatus.ENTERED] + by_status[PaperStatus.DISPUTED]
    reasons: dict[str, int] = {}
    replacements = lost = 0
    for status, reason, replaces in BallotPaper.objects.filter(channel_id=channel_id).values_list(
        "status", "reason", "replaces_id"
    ):
        replacements += replaces is not None
        lost += LOST in reason
        if status in (PaperStatus.CANCELLED, PaperStatus.REJECTED):
            key = f"{PaperStatus(status).label}: {reason}"
            reasons[key] = reasons.get(key, 0) + 1
    disputes = PaperDispute.objects.filter(paper__channel_id=channel_id).aggregate(
        raised=Count("id"), resolved=Count("id", filter=Q(resolved_at__isnull=False))
    )
    return {
        "issued": issued,
        "returned": returned,
        "unreturned": unreturned,
        "out": by_status[PaperStatus.OUT],
        "cancelled": by_status[PaperStatus.CANCELLED],
        "counted": by_status[PaperStatus.COUNTED],
        "spoiled": by_status[PaperStatus.SPOILED],
        "rejected": by_status[PaperStatus.REJECTED],
        "late": by_status[PaperStatus.LATE],
        "lost": lost,
        "pending": pending,
        "replacements": replacements,
        "reasons": dict(sorted(reasons.items())),
        "disputes_raised": disputes["raised"],
        "disputes_resolved": disputes["resolved"],
        "balanced": issued == returned + unreturned
        and returned
        == by_status[PaperStatus.COUNTED]
        + by_status[PaperStatus.SPOILED]
        + by_status[PaperStatus.REJECTED]
        + by_status[PaperStatus.LATE]
        + pending,
    }


def paper_disputes(*, channel_id: int) -> list[PaperDispute]:
    """The dispute queue, open and resolved, with who read and who resolved (never what they read)."""
    return list(
        PaperDispute.objects.filter(paper__channel_id=channel_id)
        .select_related("paper", "first_teller__person", "second_teller__person", "resolved_by__person")
        .order_by("resolved_at", "raised_at", "id")
    )


def papers_issued(*, channel_id: int, codes: list[str] | None = None) -> list[BallotPaper]:
    """The channel's papers with their members, in the order issued (for printing and the teller's list);
    only those with ``codes`` if given."""
    papers = BallotPaper.objects.filter(channel_id=channel_id).select_related("member__person")
    if codes is not None:
        papers = papers.filter(code__in=codes)
    return list(papers.order_by("id"))
