"""Paper ballots in a recall ballot, beside voting online, for members without a device.

The rules of the channel are the ballots app's (``commune.ballots.papers``, the same as for a motion's
secret vote); this module decides who may be issued a paper (the petition's electorate, fixed when it
opened), holds the petition's and the ballot's row locks around every write, in the order the count takes
them, so that a paper entered and a vote cast online are decided one after the other, and logs every act
but the reading of a paper (which, like a vote cast online, is secret).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.services import SYSTEM, Actor
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


def recall_channel(ballot: RecallBallot) -> PaperChannel:
    """The recall ballot's paper channel, or ``RecallConflict``."""
    channel = paper_channel_of_box(box_id=ballot.box_id)
    if channel is None:
        raise RecallConflict(_("this recall ballot has no paper ballots"))
    return channel


class _RecallOwner(PaperOwner):
    """A recall ballot, under its petition's and its own row locks."""

    prefix = "recall"
    error = RecallError
    not_entitled = RecallNotEntitled
    conflict = RecallConflict
    closed_message = gettext_lazy("this recall ballot has closed: no paper is issued now")
    officers_message = gettext_lazy("only an officer of %(body)s adds paper ballots to its recall ballot")
    outside_message = gettext_lazy("member id %(id)s is not on the electorate of this recall ballot")
    closing = "the recall ballot closed"

    def __init__(self, petition: RecallPetition) -> None:
        self.petition = petition

    def lock(self) -> None:
        self.petition, self.ballot = _locked(self.petition)
        self.organisation, self.body = self.petition.organisation, self.petition.body

    def channel(self) -> PaperChannel:
        return recall_channel(self.ballot)

    def closed(self) -> bool:
        return _closed(self.ballot)

    def channel_open(self, tellers: Sequence[Member]) -> PaperChannel:
        assert self.ballot.box_id is not None
        return paper_channel_open(box_ids=[self.ballot.box_id], tellers=tellers)

    def electorate(self) -> set[int]:
        return set(petition_electorate(petition=self.petition).values_list("pk", flat=True))

    def described(self) -> str:
        return f"the recall ballot on member {self.petition.holder.number}"

    def log_payload(self) -> dict[str, object]:
        return {"petition": self.petition.pk}


def recall_papers_open(
    *, petition: RecallPetition, member: Member, tellers: Sequence[Member], actor: Actor = SYSTEM
) -> PaperChannel:
    """Add paper ballots to a recall ballot still open, with its tellers (at least three current members
    of the organisation). Only an officer of the body the petition belongs to may."""
    return owner_papers_open(_RecallOwner(petition), member=member, tellers=tellers, actor=actor)


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
    return owner_papers_issue(_RecallOwner(petition), teller=teller, member_ids=member_ids, actor=actor)


def recall_paper_replace(
    *, petition: RecallPetition, teller: Member, code: str, spoiled: bool, actor: Actor = SYSTEM
) -> BallotPaper:
    """Replace a spoiled or lost paper with a new one under a new code; the old can never be counted."""
    return owner_paper_replace(_RecallOwner(petition), teller=teller, code=code, spoiled=spoiled, actor=actor)


def recall_paper_enter(
    *, petition: RecallPetition, teller: Member, code: str, answers: Sequence[str], actor: Actor = SYSTEM
) -> BallotPaper:
    """A teller's reading of a returned paper (``commune.ballots.paper_owners.owner_paper_enter``)."""
    return owner_paper_enter(_RecallOwner(petition), teller=teller, code=code, answers=answers, actor=actor)


def recall_paper_dispute_resolve(
    *,
    petition: RecallPetition,
    teller: Member,
    code: str,
    answers: Sequence[str] | None,
    reason: str,
    actor: Actor = SYSTEM,
) -> BallotPaper:
    """A third teller settles a dispute (``commune.ballots.paper_owners.owner_paper_dispute_resolve``)."""
    return owner_paper_dispute_resolve(
        _RecallOwner(petition), teller=teller, code=code, answers=answers, reason=reason, actor=actor
    )


def recall_papers_pdf(*, ballot: RecallBallot, title: str) -> bytes:
    """The PDF of the channel's papers still out, one page each."""
    channel = recall_channel(ballot)
    return papers_pdf(
        title=title,
        questions=[ballot.question],
        papers=owner_papers_printed(channel),
        instructions=RETURN_INSTRUCTIONS,
    )
