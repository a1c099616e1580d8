"""Paper ballots in an election, beside voting online, for members without a device: each paper lists
the standing candidates, to be numbered in order of preference.

The rules of the channel are the ballots app's (``commune.ballots.papers``, the same as for any secret
vote), with the ranked box's reading (``commune.ballots.paper_boxes.RankedBoxes``): the tellers enter
the number written against each candidate; two readings agree when they give the same ranking; a paper
with no first preference, or the figure 1 against two candidates, is rejected with that reason; a paper
counted goes into the box with the ballots cast online, under a tracker of its own, so it is on the
bulletin and in the count. This module decides who may be issued a paper (the electorate, with each
elector's weight), holds the election's row lock exclusively around every write (a cast holds it
shared, so a paper and an online ballot are decided one after the other), and logs every act but the
reading of a paper.
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
from commune.ballots.paper_print import ranked_papers_pdf
from commune.ballots.papers import ranked_paper_channel_open
from commune.ballots.selectors import paper_channel_of_box
from commune.elections.errors import ElectionConflict, ElectionError, NotEligible
from commune.elections.models import Candidacy, CandidacyStatus, Election, ElectionStatus, Elector
from commune.federation.models import Member
from commune.federation.selectors import body_officers

#: Printed on every election paper, below the candidates.
RETURN_INSTRUCTIONS = (
    "Write 1 against the candidate of your first choice, and you may write 2 against your second, 3 against "
    "your third, and so on. Write each number once. Return the paper to the tellers before voting closes: "
    "a paper returned later is not counted. If you vote online, this paper is cancelled."
)


def _locked(election: Election) -> Election:
    return (
        Election.objects.select_for_update(of=("self",))
        .select_related("organisation", "body")
        .get(pk=election.pk)
    )


def _closed(election: Election) -> bool:
    return election.status != ElectionStatus.VOTING or timezone.now() >= election.voting_close_at


def election_channel(election: Election) -> PaperChannel:
    """The election's paper channel, or ``ElectionConflict``."""
    channel = paper_channel_of_box(box_id=election.box_id, ranked=True)
    if channel is None:
        raise ElectionConflict(_("this election has no paper ballots"))
    return channel


def election_papers_desk(*, election: Election, member: Member) -> bool:
    """Whether the election has paper ballots and ``member`` is one of its tellers or an officer of the
    body that holds it (to whom its ballot page links the papers' page)."""
    channel = paper_channel_of_box(box_id=election.box_id, ranked=True)
    if channel is None:
        return False
    return (
        channel.tellers.filter(pk=member.pk).exists()
        or body_officers(body=election.body).filter(member=member).exists()
    )


def paper_candidates(channel: PaperChannel) -> list[Candidacy]:
    """The candidates as printed on the channel's papers, in order."""
    by_id = {
        c.pk: c for c in Candidacy.objects.filter(pk__in=channel.candidates).select_related("member__person")
    }
    return [by_id[pk] for pk in channel.candidates]


class _ElectionOwner(PaperOwner):
    """An election, under its row lock held exclusively (a cast holds it shared)."""

    prefix = "election"
    error = ElectionError
    not_entitled = NotEligible
    conflict = ElectionConflict
    closed_message = gettext_lazy("voting in this election is not open: no paper is issued now")
    officers_message = gettext_lazy("only an officer of %(body)s adds paper ballots to its election")
    outside_message = gettext_lazy("member id %(id)s is not on the electorate of this election")
    closing = "voting closed"

    def __init__(self, election: Election) -> None:
        self.election = election

    def lock(self) -> None:
        self.election = _locked(self.election)
        self.organisation, self.body = self.election.organisation, self.election.body

    def channel(self) -> PaperChannel:
        return election_channel(self.election)

    def closed(self) -> bool:
        return _closed(self.election)

    def channel_open(self, tellers: Sequence[Member]) -> PaperChannel:
        # The papers list the standing candidates in the ballot's order.
        candidates = list(
            Candidacy.objects.filter(election=self.election, status=CandidacyStatus.STANDING).values_list(
                "pk", flat=True
            )
        )
        return ranked_paper_channel_open(box_id=self.election.box_id, candidates=candidates, tellers=tellers)

    def electorate(self) -> set[int]:
        return set(self.weights())

    def weights(self) -> dict[int, int]:
        if not hasattr(self, "_weights"):
            self._weights = dict(
                Elector.objects.filter(election=self.election).values_list("member_id", "weight")
            )
        return self._weights

    def described(self) -> str:
        return self.election.title

    def log_payload(self) -> dict[str, object]:
        return {"election": self.election.pk}


def election_papers_open(
    *, election: Election, member: Member, tellers: Sequence[Member], actor: Actor = SYSTEM
) -> PaperChannel:
    """Add paper ballots to an election while voting is open, with its tellers (at least three current
    members of the organisation). The papers list the standing candidates in the ballot's order. Only an
    officer of the body that holds the election may."""
    return owner_papers_open(_ElectionOwner(election), member=member, tellers=tellers, actor=actor)


def election_papers_issue(
    *, election: Election, teller: Member, member_ids: Sequence[int] | None = None, actor: Actor = SYSTEM
) -> list[BallotPaper]:
    """Issue papers: to the electors ``member_ids`` (each must be on the electorate, not voted and without
    a live paper, or none is issued), or with ``None`` to every elector who has neither voted nor a paper
    yet; each paper carries its elector's weight."""
    return owner_papers_issue(_ElectionOwner(election), teller=teller, member_ids=member_ids, actor=actor)


def election_paper_replace(
    *, election: Election, teller: Member, code: str, spoiled: bool, actor: Actor = SYSTEM
) -> BallotPaper:
    """Replace a spoiled or lost paper with a new one under a new code; the old can never be counted."""
    return owner_paper_replace(
        _ElectionOwner(election), teller=teller, code=code, spoiled=spoiled, actor=actor
    )


def election_paper_enter(
    *, election: Election, teller: Member, code: str, preferences: Sequence[str], actor: Actor = SYSTEM
) -> BallotPaper:
    """A teller's reading of a returned paper: the number written against each candidate as printed, or
    ``""`` where none is (``commune.ballots.paper_owners.owner_paper_enter``)."""
    return owner_paper_enter(
        _ElectionOwner(election), teller=teller, code=code, answers=preferences, actor=actor
    )


def election_paper_dispute_resolve(
    *,
    election: Election,
    teller: Member,
    code: str,
    preferences: Sequence[str] | None,
    reason: str,
    actor: Actor = SYSTEM,
) -> BallotPaper:
    """A third teller settles a dispute: counts the paper as they read it (rejected still if it has no
    valid first preference), or rejects it, for one of the fixed reasons; until the bulletin is
    published, even after voting closed."""
    return owner_paper_dispute_resolve(
        _ElectionOwner(election), teller=teller, code=code, answers=preferences, reason=reason, actor=actor
    )


def election_papers_pdf(*, election: Election, title: str) -> bytes:
    """The PDF of the channel's papers still out, one page each, listing the candidates."""
    channel = election_channel(election)
    return ranked_papers_pdf(
        title=title,
        candidates=[c.ballot_label or c.member.person.name for c in paper_candidates(channel)],
        papers=owner_papers_printed(channel),
        instructions=RETURN_INSTRUCTIONS,
    )
