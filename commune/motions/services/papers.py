"""Paper ballots beside voting online, for any secret vote of an assembly or the membership, and for the
separate questions of a statutory ballot answered on one paper (``statutory``).

The rules of the channel are the ballots app's (``commune.ballots.papers``); this module decides who may
be issued a paper (the vote's electorate, less anyone an installed rule bars), holds the votes' row locks
around every write, so that a paper entered and a vote cast online are decided one after the other, and
logs every act but the reading of a paper (which, like a vote cast online, is secret).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.services import SYSTEM, Actor
from commune.ballots.errors import PaperConflict, PaperRefused
from commune.ballots.models import BallotPaper, PaperChannel
from commune.ballots.paper_owners import (
    PaperOwner,
    owner_paper_dispute_resolve,
    owner_paper_enter,
    owner_paper_replace,
    owner_papers_issue,
    owner_papers_open,
    owner_papers_printed,
)
from commune.ballots.paper_print import papers_pdf
from commune.ballots.papers import paper_channel_open
from commune.ballots.selectors import paper_channel_of_box
from commune.federation.models import Member
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


class _VoteOwner(PaperOwner):
    """A motion's secret vote, or the votes of a statutory ballot's questions printed on one paper."""

    prefix = "vote"
    error = MotionError
    not_entitled = NotEntitled
    conflict = MotionConflict
    closed_message = gettext_lazy("this vote has closed: no paper is issued or entered now")
    officers_message = gettext_lazy("only an officer of %(body)s adds paper ballots to its vote")
    outside_message = gettext_lazy("member id %(id)s is not entitled to vote on this question")
    closing = "the vote closed"

    def __init__(self, vote: Vote) -> None:
        self.vote = vote
        self.votes = [vote]
        self._channel: PaperChannel | None = None

    def lock(self) -> None:
        self._channel, self.votes = channel_votes(self.vote)
        self._held()

    def _held(self) -> None:
        self.body = self.votes[0].body
        self.organisation = self.body.organisation

    def lock_to_open(self) -> None:
        self.vote = (
            Vote.objects.select_for_update(of=("self",))
            .select_related("body__organisation")
            .get(pk=self.vote.pk)
        )
        self.votes = [self.vote]
        self._held()
        if self.vote.mode != VoteMode.SECRET or self.vote.box_id is None:
            raise MotionError(_("paper ballots are for a secret vote of an assembly or of the membership"))

    def channel(self) -> PaperChannel:
        assert self._channel is not None
        return self._channel

    def closed(self) -> bool:
        now = timezone.now()
        return any(v.closed_at is not None or now >= v.closes_at for v in self.votes)

    def channel_open(self, tellers: Sequence[Member]) -> PaperChannel:
        assert self.vote.box_id is not None
        return paper_channel_open(box_ids=[self.vote.box_id], tellers=tellers)

    def electorate(self) -> set[int]:
        first = self.votes[0]
        return set(VoteElector.objects.filter(vote=first).values_list("member_id", flat=True)) - set(
            vote_barred(first)
        )

    def described(self) -> str:
        return f"“{self.votes[0].question}”"

    def log_payload(self) -> dict[str, object]:
        return {"votes": [v.pk for v in self.votes]}

    def counted(self) -> None:
        # A paper counted raises each question's turnout, as a vote cast online does (never what it says).
        for vote in self.votes:
            vote_cast_publish(vote.pk)


def vote_papers_open(
    *, vote: Vote, member: Member, tellers: Sequence[Member], actor: Actor = SYSTEM
) -> PaperChannel:
    """Add paper ballots to a secret vote still open, for members without a device, with its tellers (at
    least three members of the organisation). Only an officer of the body that votes may."""
    return owner_papers_open(_VoteOwner(vote), member=member, tellers=tellers, actor=actor)


def vote_papers_issue(
    *, vote: Vote, teller: Member, member_ids: Sequence[int] | None = None, actor: Actor = SYSTEM
) -> list[BallotPaper]:
    """Issue papers: to the members ``member_ids`` (each must be on the electorate, not barred, not voted
    and without a live paper, or none is issued), or with ``None`` to every elector who has neither voted
    nor a paper yet."""
    return owner_papers_issue(_VoteOwner(vote), teller=teller, member_ids=member_ids, actor=actor)


def vote_paper_replace(
    *, vote: Vote, teller: Member, code: str, spoiled: bool, actor: Actor = SYSTEM
) -> BallotPaper:
    """Replace a spoiled or lost paper with a new one under a new code; the old can never be counted."""
    return owner_paper_replace(_VoteOwner(vote), teller=teller, code=code, spoiled=spoiled, actor=actor)


def vote_paper_enter(
    *, vote: Vote, teller: Member, code: str, answers: Sequence[str], actor: Actor = SYSTEM
) -> BallotPaper:
    """A teller's reading of a returned paper (see ``commune.ballots.paper_owners.owner_paper_enter``);
    a paper counted raises each question's turnout."""
    return owner_paper_enter(_VoteOwner(vote), teller=teller, code=code, answers=answers, actor=actor)


def vote_paper_dispute_resolve(
    *,
    vote: Vote,
    teller: Member,
    code: str,
    answers: Sequence[str] | None,
    reason: str,
    actor: Actor = SYSTEM,
) -> BallotPaper:
    """A third teller settles a dispute (``commune.ballots.paper_owners.owner_paper_dispute_resolve``)."""
    return owner_paper_dispute_resolve(
        _VoteOwner(vote), teller=teller, code=code, answers=answers, reason=reason, actor=actor
    )


def vote_papers_pdf(
    *, vote: Vote, title: str, instructions: str = DEFAULT_RETURN_INSTRUCTIONS, codes: list[str] | None = None
) -> bytes:
    """The PDF of the channel's papers still out (or of ``codes``), one page each."""
    channel, votes = channel_votes(vote, lock=False)
    return papers_pdf(
        title=title,
        questions=[v.question for v in votes],
        papers=owner_papers_printed(channel, codes=codes),
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
