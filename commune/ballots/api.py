"""What every paper desk of the API takes and answers, whichever vote owns the channel (a motion's secret
vote, a statutory ballot, a recall ballot, an election): the requests of the tellers and officers, a
paper as issued, the reconciliation and the dispute queue; and the steps each owner's endpoints share.
The owner's endpoints find the vote (with the owner's access) and call the owner's service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import ConfigDict, Field

from commune.ballots.models import BallotPaper, PaperChannel
from commune.ballots.selectors import paper_disputes, paper_reconciliation
from commune.errors import DomainError
from commune.federation.errors import NotFound
from commune.federation.models import Member, Organisation
from commune.web.downloads import download

__all__ = [
    "PaperDisputeIn",
    "PaperDisputeOut",
    "PaperEntryIn",
    "PaperOut",
    "PaperReplaceIn",
    "PapersIssueIn",
    "PapersOpenIn",
    "PapersOut",
    "ReconciliationOut",
    "paper_out",
    "papers_issued_out",
    "papers_out",
    "papers_print",
    "tellers_numbered",
]


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class PapersOpenIn(_Strict):
    tellers: list[str] = Field(min_length=3, max_length=50, description="Membership numbers, three or more.")


class PapersIssueIn(_Strict):
    members: list[str] | None = Field(
        None,
        max_length=100000,
        description="Membership numbers; none for every elector without a vote or a paper.",
    )


class PaperReplaceIn(_Strict):
    code: str = Field(max_length=40)
    spoiled: bool = Field(description="Returned spoiled (true) or reported lost (false).")


class PaperEntryIn(_Strict):
    code: str = Field(max_length=40)
    answers: list[Literal["yes", "no", "void"]] = Field(min_length=1, max_length=2)


class PaperDisputeIn(_Strict):
    code: str = Field(max_length=40)
    answers: list[Literal["yes", "no", "void"]] | None = Field(
        None, min_length=1, max_length=2, description="As read; none to reject the paper."
    )
    reason: Literal["mark_clear", "intention_clear", "unreadable", "identifying_mark", "not_genuine"] = Field(
        description="Why: the first two count the paper as read, the others reject it (fixed words, so that no "
        "reason can say what a paper said)."
    )


class PaperOut(Schema):
    code: str
    member: str = Field(description="The membership number it was issued to.")
    status: str
    reason: str
    replaces: str | None


class PaperDisputeOut(Schema):
    paper: str
    tellers: list[str]
    raised_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    resolution: str


class ReconciliationOut(Schema):
    issued: int
    returned: int
    unreturned: int
    out: int
    cancelled: int
    counted: int
    spoiled: int
    rejected: int
    late: int = Field(description="Returned after the vote closed: recorded, never counted.")
    lost: int = Field(description="Reported lost and replaced (cancelled, or rejected if it came back).")
    pending: int
    replacements: int
    reasons: dict[str, int]
    disputes_raised: int
    disputes_resolved: int
    balanced: bool


class PapersOut(Schema):
    channel: int
    closed: bool
    reconciliation: ReconciliationOut
    disputes: list[PaperDisputeOut]


def paper_out(paper: BallotPaper) -> PaperOut:
    return PaperOut(
        code=paper.code,
        member=paper.member.number,
        status=paper.status,
        reason=paper.reason,
        replaces=paper.replaces.code if paper.replaces_id and paper.replaces else None,
    )


def tellers_numbered(organisation: Organisation, numbers: Sequence[str]) -> list[Member]:
    """The members with these membership numbers, in that order, or a refusal naming the first unknown."""
    found = {
        m.number: m
        for m in Member.objects.filter(organisation=organisation, number__in=numbers).select_related("person")
    }
    missing = [n for n in numbers if n not in found]
    if missing:
        raise DomainError(_("no member numbered %(number)r") % {"number": missing[0]})
    return [found[n] for n in numbers]


def papers_out(channel: PaperChannel) -> PapersOut:
    return PapersOut(
        channel=channel.pk,
        closed=channel.closed_at is not None,
        reconciliation=ReconciliationOut(**paper_reconciliation(channel_id=channel.pk)),
        disputes=[
            PaperDisputeOut(
                paper=d.paper.code,
                tellers=[d.first_teller.person.name, d.second_teller.person.name],
                raised_at=d.raised_at,
                resolved_by=d.resolved_by.person.name if d.resolved_by else None,
                resolved_at=d.resolved_at,
                resolution=d.resolution,
            )
            for d in paper_disputes(channel_id=channel.pk)
        ],
    )


def papers_issued_out(
    organisation: Organisation, data: PapersIssueIn, issue: Callable[[list[int] | None], list[BallotPaper]]
) -> Status[list[PaperOut]]:
    """Issue papers with the owner's service (``issue``): to the members numbered in ``data``, or with
    ``None`` to every elector without a vote or a paper; the papers as issued."""
    ids = None if data.members is None else [m.pk for m in tellers_numbered(organisation, data.members)]
    return Status(201, [paper_out(p) for p in issue(ids)])


def papers_print(
    channel: PaperChannel, member: Member, document: Callable[[], bytes], *, filename: str
) -> HttpResponse:
    """The PDF of the papers still out, for the channel's tellers only: it names each member beside a code."""
    if not channel.tellers.filter(pk=member.pk).exists():
        raise NotFound(_("no papers to print here"))
    return download(document(), filename=filename)
