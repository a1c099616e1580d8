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

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.models import BallotPaper, PaperChannel, PaperStatus, RegisterEntry
from commune.ballots.paper_print import PrintedPaper, ranked_papers_pdf
from commune.ballots.papers import (
    RESOLUTIONS,
    paper_dispute_resolve,
    paper_enter,
    paper_replace,
    papers_issue,
    ranked_paper_channel_open,
)
from commune.ballots.selectors import paper_channel_of_box, papers_issued
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


def _still_open(election: Election) -> None:
    if _closed(election):
        raise ElectionConflict(_("voting in this election is not open: no paper is issued now"))


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


def _log(election: Election, action: str, summary: str, actor: Actor, **payload: object) -> None:
    log_entry_record(
        organisation=election.organisation,
        action=action,
        body_id=election.body_id,
        actor=actor,
        summary=summary,
        payload={"election": election.pk, **payload},
    )


@transaction.atomic
def election_papers_open(
    *, election: Election, member: Member, tellers: Sequence[Member], actor: Actor = SYSTEM
) -> PaperChannel:
    """Add paper ballots to an election while voting is open, with its tellers (at least three current
    members of the organisation). The papers list the standing candidates in the ballot's order. Only an
    officer of the body that holds the election may."""
    election = _locked(election)
    _still_open(election)
    if not body_officers(body=election.body).filter(member=member).exists():
        raise NotEligible(
            _("only an officer of %(body)s adds paper ballots to its election") % {"body": election.body.name}
        )
    if any(t.organisation_id != election.organisation_id or t.current_unit_id is None for t in tellers):
        raise ElectionError(_("tellers are current members of the organisation"))
    candidates = list(
        Candidacy.objects.filter(election=election, status=CandidacyStatus.STANDING).values_list(
            "pk", flat=True
        )
    )
    channel = ranked_paper_channel_open(box_id=election.box_id, candidates=candidates, tellers=tellers)
    _log(
        election,
        "election.papers_opened",
        f"Paper ballots added to {election.title}, with tellers "
        + ", ".join(f"{t.person.name} ({t.number})" for t in tellers),
        actor,
        channel=channel.pk,
        tellers=[t.pk for t in tellers],
    )
    return channel


@transaction.atomic
def election_papers_issue(
    *, election: Election, teller: Member, member_ids: Sequence[int] | None = None, actor: Actor = SYSTEM
) -> list[BallotPaper]:
    """Issue papers: to the electors ``member_ids`` (each must be on the electorate, not voted and without
    a live paper, or none is issued), or with ``None`` to every elector who has neither voted nor a paper
    yet; each paper carries its elector's weight."""
    election = _locked(election)
    _still_open(election)
    channel = election_channel(election)
    weights = dict(Elector.objects.filter(election=election).values_list("member_id", "weight"))
    if member_ids is None:
        holding = set(
            BallotPaper.objects.filter(channel=channel)
            .exclude(status__in=[PaperStatus.SPOILED, PaperStatus.CANCELLED, PaperStatus.REJECTED])
            .values_list("member_id", flat=True)
        )
        voted = set(RegisterEntry.objects.filter(box_id=election.box_id).values_list("member_id", flat=True))
        wanted = sorted(set(weights) - holding - voted)
    else:
        wanted = list(dict.fromkeys(member_ids))
        outside = [mid for mid in wanted if mid not in weights]
        if outside:
            raise NotEligible(
                _("member id %(id)s is not on the electorate of this election") % {"id": outside[0]}
            )
    members = list(Member.objects.filter(pk__in=wanted).select_related("person").order_by("number", "pk"))
    papers = papers_issue(channel_id=channel.pk, members=members, issued_by=teller, weights=weights)
    _log(
        election,
        "election.papers_issued",
        f"{teller.person.name} issued {len(papers)} ballot paper(s) for {election.title}",
        actor,
        channel=channel.pk,
        papers=len(papers),
        members=[m.number for m in members],
    )
    return papers


@transaction.atomic
def election_paper_replace(
    *, election: Election, teller: Member, code: str, spoiled: bool, actor: Actor = SYSTEM
) -> BallotPaper:
    """Replace a spoiled or lost paper with a new one under a new code; the old can never be counted."""
    election = _locked(election)
    _still_open(election)
    channel = election_channel(election)
    new = paper_replace(channel_id=channel.pk, code=code, spoiled=spoiled, issued_by=teller)
    assert new.replaces is not None
    _log(
        election,
        "election.paper_replaced",
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
def election_paper_enter(
    *, election: Election, teller: Member, code: str, preferences: Sequence[str], actor: Actor = SYSTEM
) -> BallotPaper:
    """A teller's reading of a returned paper: the number written against each candidate as printed, or
    ``""`` where none is (``commune.ballots.papers.paper_enter``). The reading is secret and not logged; a
    dispute raised, a paper rejected (with its reason) or a late paper recorded is. A paper returned
    after voting closed is recorded as late, not counted."""
    election = _locked(election)
    channel = election_channel(election)
    paper = paper_enter(
        channel_id=channel.pk, code=code, answers=preferences, teller=teller, closed=_closed(election)
    )
    summaries = {
        PaperStatus.DISPUTED: (
            "election.paper_disputed",
            f"Tellers' readings of paper {paper.code} differ: it awaits a third teller",
        ),
        PaperStatus.REJECTED: ("election.paper_rejected", f"Paper {paper.code} rejected: {paper.reason}"),
        PaperStatus.LATE: (
            "election.paper_late",
            f"Paper {paper.code} returned after voting closed: recorded as late, not counted",
        ),
    }
    if paper.status in summaries:
        action, summary = summaries[PaperStatus(paper.status)]
        _log(election, action, summary, actor, channel=channel.pk, paper=paper.code)
    return paper


@transaction.atomic
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
    election = _locked(election)
    channel = election_channel(election)
    paper = paper_dispute_resolve(
        channel_id=channel.pk, code=code, answers=preferences, teller=teller, reason=reason
    )
    outcome = "counted" if paper.status == PaperStatus.COUNTED else "rejected"
    _log(
        election,
        "election.paper_dispute_resolved",
        f"{teller.person.name} resolved the dispute on paper {paper.code}: {outcome} ({RESOLUTIONS[reason][1]})",
        actor,
        channel=channel.pk,
        paper=paper.code,
        outcome=outcome,
    )
    return paper


def election_papers_pdf(*, election: Election, title: str) -> bytes:
    """The PDF of the channel's papers still out, one page each, listing the candidates."""
    channel = election_channel(election)
    papers = [p for p in papers_issued(channel_id=channel.pk) if p.status == PaperStatus.OUT]
    return ranked_papers_pdf(
        title=title,
        candidates=[c.ballot_label or c.member.person.name for c in paper_candidates(channel)],
        papers=[PrintedPaper(p.code, p.member.person.name, p.member.number) for p in papers],
        instructions=RETURN_INSTRUCTIONS,
    )
