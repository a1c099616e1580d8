"""What every paper desk of the API answers, whichever vote owns the channel (a motion's secret vote, a
statutory ballot, a recall ballot, an election): a paper as issued, the reconciliation and the dispute
queue. The schemas are the motions API's, where the paper channel was first served."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commune.ballots.models import BallotPaper, PaperChannel
from commune.ballots.selectors import paper_disputes, paper_reconciliation
from commune.errors import DomainError
from commune.federation.models import Member, Organisation
from commune.motions.api.schemas import PaperDisputeOut, PaperOut, PapersOut, ReconciliationOut

__all__ = ["paper_out", "papers_out", "tellers_numbered"]


def paper_out(paper: BallotPaper) -> PaperOut:
    return PaperOut(
        code=paper.code,
        member=paper.member.number,
        status=paper.status,
        reason=paper.reason,
        replaces=paper.replaces.code if paper.replaces_id and paper.replaces else None,
    )


def tellers_numbered(organisation: Organisation, numbers: list[str]) -> list[Member]:
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
