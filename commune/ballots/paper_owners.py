"""The paper channel as the vote that owns it serves it: a motion's secret vote or statutory ballot, a
recall ballot, an election. Each act takes the same steps whoever owns the boxes — lock the owner's rows,
check the vote is still open, find its channel, call the channel's rule (``commune.ballots.papers``) and
write the log entry — and only a few things differ, which the owner says through a ``PaperOwner``: which
rows it locks, when it closed, who may open the channel and be issued a paper, and how its log entries
read.

Every act is one transaction; the reading of a paper, secret like a vote cast online, is never logged
(a dispute raised, a paper rejected or returned late is).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from commune.audit.services import Actor, log_entry_record
from commune.ballots.models import BallotPaper, PaperChannel, PaperStatus
from commune.ballots.paper_boxes import channel_boxes
from commune.ballots.paper_print import PrintedPaper
from commune.ballots.papers import (
    RESOLUTIONS,
    paper_dispute_resolve,
    paper_enter,
    paper_replace,
    papers_issue,
)
from commune.ballots.selectors import papers_issued
from commune.errors import DomainError
from commune.federation.models import Body, Member, Organisation
from commune.federation.selectors import body_officers

__all__ = [
    "PaperOwner",
    "owner_paper_dispute_resolve",
    "owner_paper_enter",
    "owner_paper_replace",
    "owner_papers_issue",
    "owner_papers_open",
    "owner_papers_printed",
]

#: The papers that still stand for their member: issued and neither spoiled, cancelled nor rejected.
_DEAD = [PaperStatus.SPOILED, PaperStatus.CANCELLED, PaperStatus.REJECTED]


class PaperOwner:
    """What one vote's paper channel needs of the vote that owns it. A subclass wraps one owner (a vote, a
    petition, an election) and answers for it; its errors are the owner app's own."""

    #: The first word of the owner's log actions: ``<prefix>.papers_issued``.
    prefix: str
    #: The owner app's errors: for bad input, for someone not entitled, for a vote at the wrong stage.
    error: type[DomainError]
    not_entitled: type[DomainError]
    conflict: type[DomainError]
    #: The owner's words (lazily translated) for refusing a paper once voting closed, a member who is not
    #: an officer of ``body`` adding paper ballots (``%(body)s``), and a paper for a member outside the
    #: electorate (``%(id)s``).
    closed_message: StrOrPromise
    officers_message: StrOrPromise
    outside_message: StrOrPromise
    #: What happened when voting closed, as the log says a paper was returned "after" it.
    closing: str
    #: Set by ``lock``: the organisation whose log records the acts, and the body that holds the vote
    #: (its officers add paper ballots).
    organisation: Organisation
    body: Body

    def lock(self) -> None:
        """Take the owner's row locks, in the order every writer of the channel takes them, and read the
        owner again under them."""
        raise NotImplementedError

    def lock_to_open(self) -> None:
        """The row locks taken to open the channel (the channel does not exist yet)."""
        self.lock()

    def channel(self) -> PaperChannel:
        """The owner's paper channel, or the owner's refusal that it has none."""
        raise NotImplementedError

    def closed(self) -> bool:
        """Whether voting has closed: a paper returned now is late."""
        raise NotImplementedError

    def channel_open(self, tellers: Sequence[Member]) -> PaperChannel:
        """Open the channel for the owner's box(es), with these tellers (``commune.ballots.papers``)."""
        raise NotImplementedError

    def electorate(self) -> set[int]:
        """The member ids who may be issued a paper (whether they voted or not)."""
        raise NotImplementedError

    def weights(self) -> Mapping[int, int] | None:
        """Each elector's weight, where papers carry one."""
        return None

    def described(self) -> str:
        """The vote, as the log names it after "for" and "added to"."""
        raise NotImplementedError

    def log_payload(self) -> dict[str, object]:
        """What every log entry of the owner's channel names the owner by."""
        raise NotImplementedError

    def counted(self) -> None:
        """A paper was counted (the owner may announce the turnout it raised)."""

    # --- What is the same for every owner ----------------------------------------------------------

    def still_open(self) -> None:
        if self.closed():
            raise self.conflict(str(self.closed_message))

    def log(self, action: str, summary: str, actor: Actor, **payload: object) -> None:
        log_entry_record(
            organisation=self.organisation,
            action=f"{self.prefix}.{action}",
            body_id=self.body.pk,
            actor=actor,
            summary=summary,
            payload={**self.log_payload(), **payload},
        )


@transaction.atomic
def owner_papers_open(
    owner: PaperOwner, *, member: Member, tellers: Sequence[Member], actor: Actor
) -> PaperChannel:
    """Add paper ballots to the owner's vote while it is open, with its tellers (at least three current
    members of the organisation). Only an officer of the owner's body may."""
    owner.lock_to_open()
    owner.still_open()
    if not body_officers(body=owner.body).filter(member=member).exists():
        raise owner.not_entitled(owner.officers_message % {"body": owner.body.name})
    organisation_id = owner.organisation.pk
    if any(t.organisation_id != organisation_id or t.current_unit_id is None for t in tellers):
        raise owner.error(_("tellers are current members of the organisation"))
    channel = owner.channel_open(tellers)
    owner.log(
        "papers_opened",
        f"Paper ballots added to {owner.described()}, with tellers "
        + ", ".join(f"{t.person.name} ({t.number})" for t in tellers),
        actor,
        channel=channel.pk,
        tellers=[t.pk for t in tellers],
    )
    return channel


@transaction.atomic
def owner_papers_issue(
    owner: PaperOwner, *, teller: Member, member_ids: Sequence[int] | None, actor: Actor
) -> list[BallotPaper]:
    """Issue papers: to the members ``member_ids`` (each must be on the owner's electorate, not voted and
    without a live paper, or none is issued), or with ``None`` to every elector who has neither voted
    nor a paper yet."""
    owner.lock()
    owner.still_open()
    channel = owner.channel()
    electors = owner.electorate()
    if member_ids is None:
        holding = set(
            BallotPaper.objects.filter(channel=channel)
            .exclude(status__in=_DEAD)
            .values_list("member_id", flat=True)
        )
        wanted = sorted(electors - holding - channel_boxes(channel).voters())
    else:
        wanted = list(dict.fromkeys(member_ids))
        outside = [mid for mid in wanted if mid not in electors]
        if outside:
            raise owner.not_entitled(owner.outside_message % {"id": outside[0]})
    members = list(Member.objects.filter(pk__in=wanted).select_related("person").order_by("number", "pk"))
    papers = papers_issue(channel_id=channel.pk, members=members, issued_by=teller, weights=owner.weights())
    owner.log(
        "papers_issued",
        f"{teller.person.name} issued {len(papers)} ballot paper(s) for {owner.described()}",
        actor,
        channel=channel.pk,
        papers=len(papers),
        members=[m.number for m in members],
    )
    return papers


@transaction.atomic
def owner_paper_replace(
    owner: PaperOwner, *, teller: Member, code: str, spoiled: bool, actor: Actor
) -> BallotPaper:
    """Replace a spoiled or lost paper with a new one under a new code; the old can never be counted."""
    owner.lock()
    owner.still_open()
    channel = owner.channel()
    new = paper_replace(channel_id=channel.pk, code=code, spoiled=spoiled, issued_by=teller)
    assert new.replaces is not None
    owner.log(
        "paper_replaced",
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
def owner_paper_enter(
    owner: PaperOwner, *, teller: Member, code: str, answers: Sequence[str], actor: Actor
) -> BallotPaper:
    """A teller's reading of a returned paper (``commune.ballots.papers.paper_enter``): secret, not logged;
    a dispute raised, a paper rejected or a late paper recorded is. A paper returned after voting closed
    is recorded as late, not counted; one returned before may still be read by its second teller until
    the count."""
    owner.lock()
    channel = owner.channel()
    paper = paper_enter(
        channel_id=channel.pk, code=code, answers=answers, teller=teller, closed=owner.closed()
    )
    summaries = {
        PaperStatus.DISPUTED: (
            "paper_disputed",
            f"Tellers' readings of paper {paper.code} differ: it awaits a third teller",
        ),
        PaperStatus.REJECTED: ("paper_rejected", f"Paper {paper.code} rejected: {paper.reason}"),
        PaperStatus.LATE: (
            "paper_late",
            f"Paper {paper.code} returned after {owner.closing}: recorded as late, not counted",
        ),
    }
    if paper.status == PaperStatus.COUNTED:
        owner.counted()
    elif paper.status in summaries:
        action, summary = summaries[PaperStatus(paper.status)]
        owner.log(action, summary, actor, channel=channel.pk, paper=paper.code)
    return paper


@transaction.atomic
def owner_paper_dispute_resolve(
    owner: PaperOwner,
    *,
    teller: Member,
    code: str,
    answers: Sequence[str] | None,
    reason: str,
    actor: Actor,
) -> BallotPaper:
    """A third teller settles a dispute: counts the paper as they read it, or rejects it, for one of the
    fixed reasons (``commune.ballots.papers.RESOLUTIONS``), which goes on the log; what the paper says
    never does. Until the count, even after voting closed: a paper returned in time is counted."""
    owner.lock()
    channel = owner.channel()
    paper = paper_dispute_resolve(
        channel_id=channel.pk, code=code, answers=answers, teller=teller, reason=reason
    )
    outcome = "counted" if paper.status == PaperStatus.COUNTED else "rejected"
    if paper.status == PaperStatus.COUNTED:
        owner.counted()
    owner.log(
        "paper_dispute_resolved",
        f"{teller.person.name} resolved the dispute on paper {paper.code}: {outcome} ({RESOLUTIONS[reason][1]})",
        actor,
        channel=channel.pk,
        paper=paper.code,
        outcome=outcome,
    )
    return paper


def owner_papers_printed(channel: PaperChannel, *, codes: list[str] | None = None) -> list[PrintedPaper]:
    """The channel's papers still out (or those of ``codes``), as printed, one a page."""
    return [
        PrintedPaper(p.code, p.member.person.name, p.member.number)
        for p in papers_issued(channel_id=channel.pk, codes=codes)
        if codes is not None or p.status == PaperStatus.OUT
    ]
