"""Paper ballots beside voting online, for any secret vote of an assembly or the membership, and for the
separate questions of a statutory ballot answered on one paper (``statutory``).

The rules of the channel are the ballots app's (``commune.ballots.papers``); this module decides who may
be issued a paper (the vote's electorate, less anyone an installed rule bars), holds the votes' row locks
around every write, so that a paper entered and a vote cast online are decided one after the other, and
logs every act but the reading of a paper (which, like a vote cast online, is secret).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.errors import PaperConflict, PaperRefused
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
from commune.motions.bars import vote_barred
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import Vote, VoteElector, VoteMode
from commune.motions.services.live import vote_cast_publish
from commune.motions.services.statutory_terms import DEFAULT_RETURN_INSTRUCTIONS


def channel_votes(vote: Vote, *, lock: bool = True) -> tuple[PaperChannel, list[Vote]]:
    """The paper channel ``vote`` is printed on and every vote on it, in the order of the questions, their
    rows locked (``lock``) in that order, as every writer of the channel takes them."""
    channel = paper_channel_of_box(box_id=vote.box_id)
    if channel is None:
        raise MotionConflict(_("this vote has no paper ballots"))
    box_ids = list(channel.questions.values_list("box_id", flat=True))
    votes = Vote.objects.select_related("body__organisation").filter(box_id__in=box_ids).order_by("pk")
    if lock:
        votes = votes.select_for_update(of=("self",))
    by_box = {v.box_id: v for v in votes}
    return channel, [by_box[box_id] for box_id in box_ids]


def _log(votes: list[Vote], action: str, summary: str, actor: Actor, **payload: object) -> None:
    first = votes[0]
    log_entry_record(
        organisation=first.body.organisation,
        action=action,
        body_id=first.body_id,
        actor=actor,
        summary=summary,
        payload={"votes": [v.pk for v in votes], **payload},
    )


def _turnout_publish(votes: list[Vote]) -> None:
    """A paper counted raises each question's turnout, as a vote cast online does (never what it says)."""
    for vote in votes:
        vote_cast_publish(vote)


def _closed(votes: list[Vote]) -> bool:
    now = timezone.now()
    return any(v.closed_at is not None or now >= v.closes_at for v in votes)


def _still_open(votes: list[Vote]) -> None:
    if _closed(votes):
        raise MotionConflict(_("this vote has closed: no paper is issued or entered now"))


@transaction.atomic
def vote_papers_open(
    *, vote: Vote, member: Member, tellers: Sequence[Member], actor: Actor = SYSTEM
) -> PaperChannel:
    """Add paper ballots to a secret vote still open, for members without a device, with its tellers (at
    least three members of the organisation). Only an officer of the body that votes may."""
    vote = Vote.objects.select_for_update(of=("self",)).select_related("body__organisation").get(pk=vote.pk)
    if vote.mode != VoteMode.SECRET or vote.box_id is None:
        raise MotionError(_("paper ballots are for a secret vote of an assembly or of the membership"))
    _still_open([vote])
    if not body_officers(body=vote.body).filter(member=member).exists():
        raise NotEntitled(
            _("only an officer of %(body)s adds paper ballots to its vote") % {"body": vote.body.name}
        )
    if any(t.organisation_id != vote.organisation_id or t.current_unit_id is None for t in tellers):
        raise MotionError(_("tellers are current members of the organisation"))
    channel = paper_channel_open(box_ids=[vote.box_id], tellers=tellers)
    _log(
        [vote],
        "vote.papers_opened",
        f"Paper ballots added to “{vote.question}”, with tellers "
        + ", ".join(f"{t.person.name} ({t.number})" for t in tellers),
        actor,
        channel=channel.pk,
        tellers=[t.pk for t in tellers],
    )
    return channel


@transaction.atomic
def vote_papers_issue(
    *, vote: Vote, teller: Member, member_ids: Sequence[int] | None = None, actor: Actor = SYSTEM
) -> list[BallotPaper]:
    """Issue papers: to the members ``member_ids`` (each must be on the electorate, not barred, not voted
    and without a live paper, or none is issued), or with ``None`` to every elector who has neither voted
    nor a paper yet."""
    channel, votes = channel_votes(vote)
    _still_open(votes)
    electors = set(VoteElector.objects.filter(vote=votes[0]).values_list("member_id", flat=True))
    barred = set(vote_barred(votes[0]))
    if member_ids is None:
        holding = set(
            BallotPaper.objects.filter(channel=channel)
            .exclude(status__in=[PaperStatus.SPOILED, PaperStatus.CANCELLED, PaperStatus.REJECTED])
            .values_list("member_id", flat=True)
        )
        voted = set()
        for v in votes:
            voted |= set(v.box.register.values_list("member_id", flat=True)) if v.box else set()
        wanted = sorted(electors - barred - holding - voted)
    else:
        wanted = list(dict.fromkeys(member_ids))
        outside = [mid for mid in wanted if mid not in electors or mid in barred]
        if outside:
            raise NotEntitled(
                _("member id %(id)s is not entitled to vote on this question") % {"id": outside[0]}
            )
    members = list(Member.objects.filter(pk__in=wanted).select_related("person").order_by("number", "pk"))
    papers = papers_issue(channel_id=channel.pk, members=members, issued_by=teller)
    _log(
        votes,
        "vote.papers_issued",
        f"{teller.person.name} issued {len(papers)} ballot paper(s) for “{votes[0].question}”",
        actor,
        channel=channel.pk,
        papers=len(papers),
        members=[m.number for m in members],
    )
    return papers


@transaction.atomic
def vote_paper_replace(
    *, vote: Vote, teller: Member, code: str, spoiled: bool, actor: Actor = SYSTEM
) -> BallotPaper:
    """Replace a spoiled or lost paper with a new one under a new code; the old can never be counted."""
    channel, votes = channel_votes(vote)
    _still_open(votes)
    new = paper_replace(channel_id=channel.pk, code=code, spoiled=spoiled, issued_by=teller)
    assert new.replaces is not None
    _log(
        votes,
        "vote.paper_replaced",
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
def vote_paper_enter(
    *, vote: Vote, teller: Member, code: str, answers: Sequence[str], actor: Actor = SYSTEM
) -> BallotPaper:
    """A teller's reading of a returned paper (see ``commune.ballots.papers.paper_enter``). The reading is
    secret and not logged; a dispute raised, or a cancelled paper rejected on its return, is. A paper
    returned after the vote closed is recorded as late, not counted; one returned before may still be
    read by its second teller until the count."""
    channel, votes = channel_votes(vote)
    paper = paper_enter(
        channel_id=channel.pk, code=code, answers=answers, teller=teller, closed=_closed(votes)
    )
    if paper.status == PaperStatus.COUNTED:
        _turnout_publish(votes)
    elif paper.status == PaperStatus.DISPUTED:
        _log(
            votes,
            "vote.paper_disputed",
            f"Tellers' readings of paper {paper.code} differ: it awaits a third teller",
            actor,
            channel=channel.pk,
            paper=paper.code,
        )
    elif paper.status == PaperStatus.LATE:
        _log(
            votes,
            "vote.paper_late",
            f"Paper {paper.code} returned after the vote closed: recorded as late, not counted",
            actor,
            channel=channel.pk,
            paper=paper.code,
        )
    elif paper.status == PaperStatus.REJECTED:
        _log(
            votes,
            "vote.paper_rejected",
            f"Paper {paper.code} rejected: {paper.reason}",
            actor,
            channel=channel.pk,
            paper=paper.code,
        )
    return paper


@transaction.atomic
def vote_paper_dispute_resolve(
    *,
    vote: Vote,
    teller: Member,
    code: str,
    answers: Sequence[str] | None,
    reason: str,
    actor: Actor = SYSTEM,
) -> BallotPaper:
    """A third teller settles a dispute: counts the paper as they read it, or rejects it, for one of the
    fixed reasons (``commune.ballots.papers.RESOLUTIONS``), which goes on the log; what the paper says
    never does. Until the count, even after the vote closed: a paper returned in time is counted."""
    channel, votes = channel_votes(vote)
    paper = paper_dispute_resolve(
        channel_id=channel.pk, code=code, answers=answers, teller=teller, reason=reason
    )
    outcome = "counted" if paper.status == PaperStatus.COUNTED else "rejected"
    if paper.status == PaperStatus.COUNTED:
        _turnout_publish(votes)
    _log(
        votes,
        "vote.paper_dispute_resolved",
        f"{teller.person.name} resolved the dispute on paper {paper.code}: {outcome} ({RESOLUTIONS[reason][1]})",
        actor,
        channel=channel.pk,
        paper=paper.code,
        outcome=outcome,
    )
    return paper


def vote_papers_pdf(
    *, vote: Vote, title: str, instructions: str = DEFAULT_RETURN_INSTRUCTIONS, codes: list[str] | None = None
) -> bytes:
    """The PDF of the channel's papers still out (or of ``codes``), one page each."""
    channel, votes = channel_votes(vote, lock=False)
    papers = [
        p
        for p in papers_issued(channel_id=channel.pk, codes=codes)
        if codes is not None or p.status == PaperStatus.OUT
    ]
    return papers_pdf(
        title=title,
        questions=[v.question for v in votes],
        papers=[PrintedPaper(p.code, p.member.person.name, p.member.number) for p in papers],
        instructions=instructions,
    )


__all__ = [
    "DEFAULT_RETURN_INSTRUCTIONS",
    "PaperConflict",
    "PaperRefused",
    "channel_votes",
    "vote_paper_dispute_resolve",
    "vote_paper_enter",
    "vote_paper_replace",
    "vote_papers_issue",
    "vote_papers_open",
    "vote_papers_pdf",
]
