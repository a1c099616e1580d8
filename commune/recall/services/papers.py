"""Paper ballots in a recall ballot, beside voting online, for members without a device.

The rules of the channel are the ballots app's (``commune.ballots.papers``, the same as for a motion's
secret vote); this module decides who may be issued a paper (the petition's electorate, fixed when it
opened), holds the petition's and the ballot's row locks around every write, in the order the count takes
them, so that a paper entered and a vote cast online are decided one after the other, and logs every act
but the reading of a paper (which, like a vote cast online, is secret).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.models import BallotPaper, PaperChannel, PaperStatus
from commune.ballots.paper_print import PrintedPaper, papers_pdf
from commune.ballots.papers import (
    RESOLUTIONS,
    paper_channel_open,
    paper_dispute_resolve,
    paper_enter,
    paper_replace,
    papers_issue,
)
from commune.ballots.selectors import paper_channel_of_box, papers_issued
from commune.federation.models import Member
from commune.federation.selectors import body_officers
from commune.recall.errors import RecallConflict, RecallError, RecallNotEntitled
from commune.recall.models import RecallBallot, RecallPetition
from commune.recall.services.common import petition_electorate, petition_lock

#: Printed on every recall paper, below the question.
RETURN_INSTRUCTIONS = (
    "Put one cross in one box. Fold the paper, put it in the envelope and return it to the tellers before "
    "the ballot closes. A paper returned after the ballot closes is not counted. If you vote online, this "
    "paper is cancelled."
)


def _locked(petition: RecallPetition) -> tuple[RecallPetition, RecallBallot]:
    locked = petition_lock(petition.pk)
    ballot = RecallBallot.objects.select_for_update().filter(petition=locked).first()
    if ballot is None or ballot.box_id is None:
        raise RecallConflict(_("this petition has no recall ballot"))
    return locked, ballot


def _closed(ballot: RecallBallot) -> bool:
    return ballot.closed_at is not None or timezone.now() >= ballot.closes_at


def _still_open(ballot: RecallBallot) -> None:
    if _closed(ballot):
        raise RecallConflict(_("this recall ballot has closed: no paper is issued now"))


def recall_channel(ballot: RecallBallot) -> PaperChannel:
    """The recall ballot's paper channel, or ``RecallConflict``."""
    channel = paper_channel_of_box(box_id=ballot.box_id)
    if channel is None:
        raise RecallConflict(_("this recall ballot has no paper ballots"))
    return channel


def _log(petition: RecallPetition, action: str, summary: str, actor: Actor, **payload: object) -> None:
    log_entry_record(
        organisation=petition.organisation,
        action=action,
        body_id=petition.body_id,
        actor=actor,
        summary=summary,
        payload={"petition": petition.pk, **payload},
    )


@transaction.atomic
def recall_papers_open(
    *, petition: RecallPetition, member: Member, tellers: Sequence[Member], actor: Actor = SYSTEM
) -> PaperChannel:
    """Add paper ballots to a recall ballot still open, with its tellers (at least three current members
    of the organisation). Only an officer of the body the petition belongs to may."""
    petition, ballot = _locked(petition)
    _still_open(ballot)
    if not body_officers(body=petition.body).filter(member=member).exists():
        raise RecallNotEntitled(
            _("only an officer of %(body)s adds paper ballots to its recall ballot")
            % {"body": petition.body.name}
        )
    if any(t.organisation_id != petition.organisation_id or t.current_unit_id is None for t in tellers):
        raise RecallError(_("tellers are current members of the organisation"))
    assert ballot.box_id is not None
    channel = paper_channel_open(box_ids=[ballot.box_id], tellers=tellers)
    _log(
        petition,
        "recall.papers_opened",
        f"Paper ballots added to the recall ballot on member {petition.holder.number}, with tellers "
        + ", ".join(f"{t.person.name} ({t.number})" for t in tellers),
        actor,
        channel=channel.pk,
        tellers=[t.pk for t in tellers],
    )
    return channel


@transaction.atomic
def recall_papers_issue(
    *,
    petition: RecallPetition,
    teller: Member,
    member_ids: Sequence[int] | None = None,
    actor: Actor = SYSTEM,
) -> list[BallotPaper]:
    """Issue papers: to the members ``member_ids`` (each must be on the petition's electorate, not voted
    and without a live paper, or none is issued), or with ``None`` to every elector who has neither voted
    nor a paper yet."""
    petition, ballot = _locked(petition)
    _still_open(ballot)
    channel = recall_channel(ballot)
    electors = set(petition_electorate(petition=petition).values_list("pk", flat=True))
    if member_ids is None:
        holding = set(
            BallotPaper.objects.filter(channel=channel)
            .exclude(status__in=[PaperStatus.SPOILED, PaperStatus.CANCELLED, PaperStatus.REJECTED])
            .values_list("member_id", flat=True)
        )
        assert ballot.box is not None
        voted = set(ballot.box.register.values_list("member_id", flat=True))
        wanted = sorted(electors - holding - voted)
    else:
        wanted = list(dict.fromkeys(member_ids))
        outside = [mid for mid in wanted if mid not in electors]
        if outside:
            raise RecallNotEntitled(
                _("member id %(id)s is not on the electorate of this recall ballot") % {"id": outside[0]}
            )
    members = list(Member.objects.filter(pk__in=wanted).select_related("person").order_by("number", "pk"))
    papers = papers_issue(channel_id=channel.pk, members=members, issued_by=teller)
    _log(
        petition,
        "recall.papers_issued",
        f"{teller.person.name} issued {len(papers)} ballot paper(s) for the recall ballot on member "
        f"{petition.holder.number}",
        actor,
        channel=channel.pk,
        papers=len(papers),
        members=[m.number for m in members],
    )
    return papers


@transaction.atomic
def recall_paper_replace(
    *, petition: RecallPetition, teller: Member, code: str, spoiled: bool, actor: Actor = SYSTEM
) -> BallotPaper:
    """Replace a spoiled or lost paper with a new one under a new code; the old can never be counted."""
    petition, ballot = _locked(petition)
    _still_open(ballot)
    channel = recall_channel(ballot)
    new = paper_replace(channel_id=channel.pk, code=code, spoiled=spoiled, issued_by=teller)
    assert new.replaces is not None
    _log(
        petition,
        "recall.paper_replaced",
        f"{teller.person.name} replaced paper {new.replaces.code} ({'spoiled' if spoiled else 'lost'}) of "
        f"member {new.member.number} with paper {new.code}",
        actor,
        channel=channel.pk,
        old=new.replaces.code,
        new=new.code,
        spoiled=spoiled,
    )
    return new


@transaction.atomic
def recall_paper_enter(
    *, petition: RecallPetition, teller: Member, code: str, answers: Sequence[str], actor: Actor = SYSTEM
) -> BallotPaper:
    """A teller's reading of a returned paper (``commune.ballots.papers.paper_enter``): secret, not logged;
    a dispute raised, a cancelled paper rejected or a late paper recorded is. A paper returned after the
    ballot closed is recorded as late, not counted."""
    petition, ballot = _locked(petition)
    channel = recall_channel(ballot)
    paper = paper_enter(
        channel_id=channel.pk, code=code, answers=answers, teller=teller, closed=_closed(ballot)
    )
    summaries = {
        PaperStatus.DISPUTED: (
            "recall.paper_disputed",
            f"Tellers' readings of paper {paper.code} differ: it awaits a third teller",
        ),
        PaperStatus.REJECTED: ("recall.paper_rejected", f"Paper {paper.code} rejected: {paper.reason}"),
        PaperStatus.LATE: (
            "recall.paper_late",
            f"Paper {paper.code} returned after the recall ballot closed: recorded as late, not counted",
        ),
    }
    if paper.status in summaries:
        action, summary = summaries[PaperStatus(paper.status)]
        _log(petition, action, summary, actor, channel=channel.pk, paper=paper.code)
    return paper


@transaction.atomic
def recall_paper_dispute_resolve(
    *,
    petition: RecallPetition,
    teller: Member,
    code: str,
    answers: Sequence[str] | None,
    reason: str,
    actor: Actor = SYSTEM,
) -> BallotPaper:
    """A third teller settles a dispute: counts the paper as read, or rejects it, for one of the fixed
    reasons (``commune.ballots.papers.RESOLUTIONS``), which goes on the log; what the paper says never
    does. Until the count, even after the ballot closed: a paper returned in time is counted."""
    petition, ballot = _locked(petition)
    channel = recall_channel(ballot)
    paper = paper_dispute_resolve(
        channel_id=channel.pk, code=code, answers=answers, teller=teller, reason=reason
    )
    outcome = "counted" if paper.status == PaperStatus.COUNTED else "rejected"
    _log(
        petition,
        "recall.paper_dispute_resolved",
        f"{teller.person.name} resolved the dispute on paper {paper.code}: {outcome} ({RESOLUTIONS[reason][1]})",
        actor,
        channel=channel.pk,
        paper=paper.code,
        outcome=outcome,
    )
    return paper


def recall_papers_pdf(*, ballot: RecallBallot, title: str) -> bytes:
    """The PDF of the channel's papers still out, one page each."""
    channel = recall_channel(ballot)
    papers = [p for p in papers_issued(channel_id=channel.pk) if p.status == PaperStatus.OUT]
    return papers_pdf(
        title=title,
        questions=[ballot.question],
        papers=[PrintedPaper(p.code, p.member.person.name, p.member.number) for p in papers],
        instructions=RETURN_INSTRUCTIONS,
    )
