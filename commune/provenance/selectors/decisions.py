"""The provenance of each kind of decision: a vote, a motion, a referral, an election (and, through
``executives``, an executive's decision)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commune.audit.selectors import rows_disagreeing
from commune.elections.models import Election
from commune.motions.models import DelegateVote, Motion, Referral, Vote, VoteMode, VotePurpose
from commune.motions.selectors import motion_provenance
from commune.provenance.selectors.log import LogWants, log_index
from commune.provenance.selectors.nodes import (
    Apportionments,
    body_node,
    election_node,
    motion_node,
    seat_node,
    tally,
    tally_summary,
)
from commune.provenance.selectors.tree import LogRef, Provenance, ProvenanceNode, page, provenance_page_url

_SEAT_VOTES = DelegateVote.objects.select_related(
    "delegation__constituency",
    "delegation__member__person",
    "cast_by__person",
    "delegation__elected_by__election__body",
).order_by("delegation__constituency__code", "delegation_id")


def vote_provenance(*, vote: Vote) -> Provenance:
    """A vote ← its tally ← its body ← (a council:) each seat's recorded choice ← the election that filled
    the seat ← its electorate ← the apportionment; (an assembly or referendum:) the electorate, with counts
    only for a secret ballot. Seven queries, however many seats."""
    vote = Vote.objects.select_related(
        "organisation", "body", "motion__body", "session", "referral__council", "referral__decided_by"
    ).get(pk=vote.pk)
    slug = vote.organisation.slug
    casts = list(_SEAT_VOTES.filter(vote=vote)) if vote.mode == VoteMode.COUNCIL else []
    elections = [
        c.delegation.elected_by.election
        for c in casts
        if getattr(c.delegation, "elected_by", None) is not None
    ]
    apportionments = Apportionments(e.apportionment_id for e in elections if e.apportionment_id)
    line = motion_provenance(motion=vote.motion)
    wants = LogWants(
        votes={vote.pk} | {m.adopted_by_id for m in line if m.adopted_by_id},
        seat_votes={vote.pk} if casts else set(),
        motions={m.pk for m in line},
        elections={e.pk for e in elections},
        apportionment_councils=apportionments.councils(),
    )
    if vote.referral is not None:
        wants.votes.add(vote.referral.decided_by_id)
    log = log_index(vote.organisation_id, wants)
    return Provenance(vote.organisation, "vote", _vote_node(slug, vote, casts, line, apportionments, log))


def _vote_summary(vote: Vote) -> str:
    return _("%(mode)s. %(tally)s") % {"mode": vote.get_mode_display(), "tally": tally_summary(vote)}


def _vote_node(
    slug: str,
    vote: Vote,
    casts: list[DelegateVote],
    line: list[Motion],
    apportionments: Apportionments,
    log: dict[tuple[Any, ...], LogRef],
) -> ProvenanceNode:
    root = ProvenanceNode(
        kind="vote",
        id=vote.pk,
        title=vote.question,
        summary=_vote_summary(vote),
        url=page("motions:vote", slug=slug, vote_id=vote.pk),
        provenance_url=provenance_page_url(slug, "vote", vote.pk),
        facts=tally(vote),
        log=log.get(("vote.closed", vote.pk)),
        gap="" if vote.closed_at else _("the vote is still open: there is no decision yet"),
    )
    root.children.append(motion_node(slug, vote.motion, line, log))
    body = body_node(slug, vote.body)
    root.children.append(body)
    if vote.mode == VoteMode.COUNCIL:
        assert vote.session is not None  # a database constraint: council votes are taken in session
        body.summary = ngettext(
            "Council %(code)s, in session “%(session)s”: %(count)s seat voted",
            "Council %(code)s, in session “%(session)s”: %(count)s seats voted",
            len(casts),
        ) % {"code": vote.body.code, "session": vote.session.title, "count": len(casts)}
        body.facts["session"] = vote.session.pk
        body.facts["present"] = vote.present
        for cast in casts:
            body.children.append(seat_node(slug, cast, apportionments, log))
    else:
        secret = vote.mode == VoteMode.SECRET
        body.children.append(
            ProvenanceNode(
                kind="electorate",
                id=vote.body_id,
                title=_("The members of %(body)s") % {"body": vote.body.name},
                summary=(
                    _(
                        "%(count)s entitled to vote; a secret ballot: the counts are published, never who voted how"
                    )
                    if secret
                    else _(
                        "%(count)s entitled to vote; an open vote: each member's choice is on the vote's page"
                    )
                )
                % {"count": vote.electorate},
                url=page("motions:vote", slug=slug, vote_id=vote.pk),
                facts={
                    "electorate": vote.electorate,
                    "secret": secret,
                    "voted": vote.yes + vote.no + vote.abstain,
                },
            )
        )
    if vote.referral is not None:
        referring = vote.referral.decided_by
        root.children.append(
            ProvenanceNode(
                kind="vote",
                id=referring.pk,
                title=_("%(council)s referred the question down") % {"council": vote.referral.council.name},
                summary=tally_summary(referring),
                url=page("motions:vote", slug=slug, vote_id=referring.pk),
                provenance_url=provenance_page_url(slug, "vote", referring.pk),
                facts=tally(referring),
                log=log.get(("vote.closed", referring.pk)),
            )
        )
    return root


def motion_provenance_tree(*, motion: Motion) -> Provenance:
    """A motion's decision is the vote that adopted it; else, for a motion its council referred down, the
    referral (the membership decides it, not the council's vote to refer); else its latest closed vote on
    adoption. A motion not yet decided shows its line alone, marked as undecided."""
    if motion.adopted_by_id is None:
        referral = Referral.objects.filter(motion=motion).order_by("-opened_at", "-id").first()
        if referral is not None:
            provenance = referral_provenance(referral=referral)
            return Provenance(provenance.organisation, "motion", provenance.root)
    deciding = motion.adopted_by_id or (
        Vote.objects.filter(motion=motion, purpose=VotePurpose.ADOPT, closed_at__isnull=False)
        .order_by("-closed_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if deciding is not None:
        provenance = vote_provenance(vote=Vote(pk=deciding))
        return Provenance(provenance.organisation, "motion", provenance.root)
    motion = Motion.objects.select_related("organisation", "body").get(pk=motion.pk)
    line = motion_provenance(motion=motion)
    log = log_index(
        motion.organisation_id,
        LogWants(
            votes={m.adopted_by_id for m in line if m.adopted_by_id},
            motions={m.pk for m in line},
        ),
    )
    root = motion_node(motion.organisation.slug, motion, line, log)
    root.gap = _("no vote has decided this motion yet")
    return Provenance(motion.organisation, "motion", root)


def referral_provenance(*, referral: Referral) -> Provenance:
    """A referral's result ← each body's (or the membership's) vote and electorate ← the council vote that
    referred it. Five queries."""
    referral = Referral.objects.select_related("council__organisation", "motion__body", "decided_by").get(
        pk=referral.pk
    )
    organisation = referral.council.organisation
    slug = organisation.slug
    votes = list(referral.votes.select_related("body").order_by("body__path"))
    line = motion_provenance(motion=referral.motion)
    log = log_index(
        organisation.pk,
        LogWants(
            votes={v.pk for v in votes}
            | {referral.decided_by_id}
            | {m.adopted_by_id for m in line if m.adopted_by_id},
            motions={m.pk for m in line},
            referrals={referral.pk},
        ),
    )
    summary = referral.summary or {}
    root = ProvenanceNode(
        kind="referral",
        id=referral.pk,
        title=_("%(kind)s: %(motion)s")
        % {"kind": referral.get_kind_display(), "motion": referral.motion.title},
        summary=(
            (
                _("Carried: %(yes)s yes, %(no)s no, %(abstain)s abstain")
                if referral.carried
                else _("Not carried: %(yes)s yes, %(no)s no, %(abstain)s abstain")
            )
            % {key: summary.get(key, 0) for key in ("yes", "no", "abstain")}
            if referral.closed_at
            else _("Still open")
        ),
        url=page("motions:referral", slug=slug, referral_id=referral.pk),
        provenance_url=provenance_page_url(slug, "referral", referral.pk),
        facts={
            "referral_kind": referral.kind,
            "carried": referral.carried,
            **{k: v for k, v in summary.items() if k in ("yes", "no", "abstain", "electorate", "votes_cast")},
        },
        log=log.get(("referral.decided", referral.pk)),
        gap="" if referral.closed_at else _("the referral is still open: there is no decision yet"),
    )
    root.children.append(motion_node(slug, referral.motion, line, log))
    for vote in votes:
        node = ProvenanceNode(
            kind="vote",
            id=vote.pk,
            title=_("%(body)s: %(question)s") % {"body": vote.body.name, "question": vote.question},
            summary=_vote_summary(vote),
            url=page("motions:vote", slug=slug, vote_id=vote.pk),
            provenance_url=provenance_page_url(slug, "vote", vote.pk),
            facts=tally(vote),
            log=log.get(("vote.closed", vote.pk)),
        )
        node.children.append(
            ProvenanceNode(
                kind="electorate",
                id=vote.body_id,
                title=_("The members of %(body)s") % {"body": vote.body.name},
                summary=(
                    _("%(count)s entitled to vote; counts only, never who voted how")
                    if vote.mode == VoteMode.SECRET
                    else _("%(count)s entitled to vote")
                )
                % {"count": vote.electorate},
                url=page("federation:body", slug=slug, code=vote.body.code),
                facts={"electorate": vote.electorate, "secret": vote.mode == VoteMode.SECRET},
            )
        )
        root.children.append(node)
    referring = referral.decided_by
    root.children.append(
        ProvenanceNode(
            kind="vote",
            id=referring.pk,
            title=_("%(council)s referred the question down") % {"council": referral.council.name},
            summary=tally_summary(referring),
            url=page("motions:vote", slug=slug, vote_id=referring.pk),
            provenance_url=provenance_page_url(slug, "vote", referring.pk),
            facts=tally(referring),
            log=log.get(("vote.closed", referring.pk)),
        )
    )
    return Provenance(organisation, "referral", root)


def election_provenance(*, election: Election) -> Provenance:
    """An election's result ← its bulletin (Merkle root) ← its electorate ← the apportionment that fixed its
    seats; with the seats it conferred. Five queries."""
    election = Election.objects.select_related("organisation", "body").get(pk=election.pk)
    slug = election.organisation.slug
    apportionments = Apportionments([election.apportionment_id] if election.apportionment_id else [])
    log = log_index(
        election.organisation_id,
        LogWants(elections={election.pk}, apportionment_councils=apportionments.councils()),
    )
    root = election_node(slug, election, apportionments, log)
    if election.status != "declared":
        root.gap = _("no result has been declared")
    return Provenance(election.organisation, "election", root)


def decision_provenance(*, kind: str, decision: Any) -> Provenance:
    """The provenance of a decision fetched by ``access_decision`` for ``kind``, each link whose row is not
    as the log last recorded it marked as a gap."""
    if kind == "vote":
        provenance = vote_provenance(vote=decision)
    elif kind == "motion":
        provenance = motion_provenance_tree(motion=decision)
    elif kind == "referral":
        provenance = referral_provenance(referral=decision)
    elif kind == "election":
        provenance = election_provenance(election=decision)
    elif kind == "executive-decision":
        # Imported here: that reader builds on this module's council-vote nodes.
        from commune.provenance.selectors.executives import executive_decision_provenance

        provenance = executive_decision_provenance(decision=decision)
    elif kind == "structural-change":
        from commune.provenance.selectors.structure import structural_change_provenance

        provenance = structural_change_provenance(change=decision)
    else:
        raise ValueError(f"not a kind of decision: {kind}")
    return provenance_held_to_the_log(provenance)


#: The rows behind each kind of node that confers power, held to the log (``commune.audit.state``).
NODE_ROWS = {
    "seat": "federation.delegation",
    "election": "elections.election",
    "apportionment": "federation.apportionment",
    "executive": "governance.executive",
    "executive-decision": "governance.executivedecision",
    "call-in": "governance.callin",
    "structural-change": "structure.structuralchange",
}


def provenance_held_to_the_log(provenance: Provenance) -> Provenance:
    """Mark each link whose row (a seat, an election and its result, an executive's charter…) is not as
    the provenance log last recorded it: a link changed in the database behind the log is broken, not
    complete. A fixed number of queries: one per kind of row, and two for the log."""
    nodes = [n for n in provenance.root.walk() if n.kind in NODE_ROWS and n.id is not None]
    wrong = rows_disagreeing((NODE_ROWS[n.kind], n.id) for n in nodes if n.id is not None)
    for node in nodes:
        reason = wrong.get((NODE_ROWS[node.kind], node.id)) if node.id is not None else None
        if reason and not node.gap:
            node.gap = _("not as the provenance log records it (%(reason)s)") % {"reason": reason}
    return provenance
