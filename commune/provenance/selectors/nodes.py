"""The nodes shared by every kind of decision: bodies, tallies, elections with their bulletins and
electorates, the apportionments of seats, and the line of bodies a motion came through."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commune.elections.models import Election, ElectionKind
from commune.federation.models import ApportionedSeats, Apportionment, Body
from commune.mandates.models import mandate_kind_words
from commune.motions.models import DelegateVote, Motion, Vote, choice_words
from commune.provenance.selectors.tree import LogRef, ProvenanceNode, page, provenance_page_url


def body_node(slug: str, body: Body, **facts: Any) -> ProvenanceNode:
    return ProvenanceNode(
        kind="body",
        id=body.pk,
        title=body.name,
        summary=_("%(kind)s %(code)s") % {"kind": body.get_kind_display(), "code": body.code},
        url=page("federation:body", slug=slug, code=body.code),
        facts={"code": body.code, "body_kind": body.kind, **facts},
    )


def tally(vote: Vote) -> dict[str, Any]:
    return {
        "mode": vote.mode,
        "purpose": vote.purpose,
        "question": vote.question,
        "yes": vote.yes,
        "no": vote.no,
        "abstain": vote.abstain,
        "electorate": vote.electorate,
        "present": vote.present,
        "carried": vote.carried,
        "closed_at": vote.closed_at.isoformat() if vote.closed_at else None,
        "rule": str(vote.rule.get("name", "")),
        "explanation": vote.explanation,
    }


def tally_summary(vote: Vote) -> str:
    if vote.closed_at is None:
        return _("Voting is still open.")
    counts = {"yes": vote.yes, "no": vote.no, "abstain": vote.abstain, "electorate": vote.electorate}
    if vote.carried:
        return _("Carried: %(yes)s yes, %(no)s no, %(abstain)s abstain of %(electorate)s entitled.") % counts
    return _("Not carried: %(yes)s yes, %(no)s no, %(abstain)s abstain of %(electorate)s entitled.") % counts


class Apportionments:
    """The apportionments behind a set of elections: each constituency's share and its log position."""

    def __init__(self, apportionment_ids: Iterable[int]) -> None:
        ids = sorted(set(apportionment_ids))
        self.shares: dict[tuple[int, int], ApportionedSeats] = {}
        self.position: dict[int, tuple[int, int]] = {}
        self.by_id: dict[int, Apportionment] = {}
        if not ids:
            return
        for share in ApportionedSeats.objects.filter(apportionment_id__in=ids).select_related(
            "apportionment__council"
        ):
            self.shares[(share.apportionment_id, share.constituency_id)] = share
            self.by_id[share.apportionment_id] = share.apportionment
        councils = {a.council_id for a in self.by_id.values()}
        counters: dict[int, int] = defaultdict(int)
        for pk, council_id in (
            Apportionment.objects.filter(council_id__in=councils)
            .order_by("pk")
            .values_list("pk", "council_id")
        ):
            self.position[pk] = (council_id, counters[council_id])
            counters[council_id] += 1

    def councils(self) -> set[int]:
        return {council for council, _ in self.position.values()}


def election_node(
    slug: str, election: Election, apportionments: Apportionments, log: dict[tuple[Any, ...], LogRef]
) -> ProvenanceNode:
    """An election ← its bulletin ← its electorate (the constituency) ← the apportionment of its seats."""
    result = election.result or {}
    elected = [
        str(c.get("ballot_label", "")) if isinstance(c, dict) else str(c) for c in result.get("elected", [])
    ]
    node = ProvenanceNode(
        kind="election",
        id=election.pk,
        title=election.title,
        summary=_election_summary(election, elected),
        url=page("elections:result", slug=slug, election_id=election.pk),
        provenance_url=provenance_page_url(slug, "election", election.pk),
        facts={
            "status": election.status,
            "election_kind": election.kind,
            "method": election.method,
            "seats": election.seats,
            "elected": elected,
            "ballots_counted": election.ballots_counted,
            "electorate_size": election.electorate_size,
            "uncontested": election.uncontested,
            "declared_at": election.declared_at.isoformat() if election.declared_at else None,
            "constitution_version": election.constitution_version,
        },
        log=log.get(("election.declared", election.pk)),
    )
    if not election.uncontested:
        node.children.append(
            ProvenanceNode(
                kind="bulletin",
                id=election.pk,
                title=_("Bulletin of %(election)s") % {"election": election.title},
                summary=ngettext(
                    "%(count)s ballot published; Merkle root %(root)s",
                    "%(count)s ballots published; Merkle root %(root)s",
                    election.ballots_counted,
                )
                % {"count": election.ballots_counted, "root": election.merkle_root},
                url=page("ballots:bulletin", slug=slug, election_id=election.pk),
                facts={"merkle_root": election.merkle_root, "ballots": election.ballots_counted},
                log=log.get(("election.bulletin_published", election.pk)),
                gap="" if election.merkle_root else _("no bulletin has been published"),
            )
        )
    electorate_of = (
        _("every member within the body")
        if election.electorate_mode == "members"
        else _("the delegates seated on it")
    )
    electorate = body_node(
        slug,
        election.body,
        electorate_mode=election.electorate_mode,
        electorate_size=election.electorate_size,
        represented_members=election.represented_members,
    )
    electorate.kind = "constituency"
    electorate.summary = _(
        "The electorate: %(who)s, %(electors)s electors standing for %(members)s members"
    ) % {
        "who": electorate_of,
        "electors": election.electorate_size,
        "members": election.represented_members,
    }
    electorate.log = log.get(("election.called", election.pk))
    node.children.append(electorate)
    if election.kind == ElectionKind.DELEGATES:
        electorate.children.append(apportionment_node(slug, election, apportionments, log))
    return node


def _election_summary(election: Election, elected: list[str]) -> str:
    values = {
        "status": election.get_status_display(),
        "names": ", ".join(elected),
        "count": election.ballots_counted,
    }
    if not elected:
        return _("%(status)s: no one elected yet") % values
    if election.uncontested:
        return _("%(status)s: %(names)s elected unopposed") % values
    return (
        ngettext(
            "%(status)s: %(names)s elected on %(count)s ballot",
            "%(status)s: %(names)s elected on %(count)s ballots",
            election.ballots_counted,
        )
        % values
    )


def apportionment_node(
    slug: str, election: Election, apportionments: Apportionments, log: dict[tuple[Any, ...], LogRef]
) -> ProvenanceNode:
    share = (
        apportionments.shares.get((election.apportionment_id, election.body_id))
        if election.apportionment_id
        else None
    )
    if share is None:
        return ProvenanceNode(
            kind="apportionment",
            id=None,
            title=_("Seats of %(body)s") % {"body": election.body.name},
            gap=_("no apportionment fixed this election's seats"),
        )
    apportionment = share.apportionment
    return ProvenanceNode(
        kind="apportionment",
        id=apportionment.pk,
        title=_("Seats of %(body)s") % {"body": apportionment.council.name},
        summary=_(
            "%(seats)s of %(total)s seats for %(body)s, for its %(members)s members (Sainte-Laguë; %(reason)s)"
        )
        % {
            "seats": share.seats,
            "total": apportionment.total_seats,
            "body": election.body.name,
            "members": share.members,
            "reason": apportionment.reason,
        },
        url=page("federation:body", slug=slug, code=apportionment.council.code),
        facts={
            "council": apportionment.council.code,
            "total_seats": apportionment.total_seats,
            "seats": share.seats,
            "members": share.members,
            "computed_at": apportionment.computed_at.isoformat(),
            "reason": apportionment.reason,
        },
        log=log.get(("seats.apportioned", "id", apportionment.pk))
        or log.get(("seats.apportioned", *apportionments.position.get(apportionment.pk, (None, None)))),
    )


def motion_node(
    slug: str, motion: Motion, line: list[Motion], log: dict[tuple[Any, ...], LogRef]
) -> ProvenanceNode:
    """The motion decided, and the bodies it came through before (each with the vote that adopted it)."""
    node = ProvenanceNode(
        kind="motion",
        id=motion.pk,
        title=motion.title,
        summary=_("Before %(body)s: %(status)s")
        % {"body": motion.body.name, "status": motion.get_status_display()},
        url=page("motions:detail", slug=slug, motion_id=motion.pk),
        facts={
            "status": motion.status,
            "body": motion.body.code,
            "origin": motion.origin_id,
            # A motion no member moved names the right that moved it (an applicant's appeal).
            **({"moved_on": motion.moved_on} if motion.moved_on else {}),
        },
        log=log.get(("motion.forwarded", motion.pk)) or log.get(("motion.moved", motion.pk)),
    )
    parent = node
    for earlier in line:
        if earlier.pk == motion.pk or earlier.body.depth <= motion.body.depth:
            continue
        step = ProvenanceNode(
            kind="motion",
            id=earlier.pk,
            title=earlier.title,
            summary=(
                _("Moved in %(body)s: %(status)s")
                if earlier.forwarded_from_id is None
                else _("Forwarded to %(body)s: %(status)s")
            )
            % {"body": earlier.body.name, "status": earlier.get_status_display()},
            url=page("motions:detail", slug=slug, motion_id=earlier.pk),
            facts={"status": earlier.status, "body": earlier.body.code},
            log=log.get(("motion.forwarded", earlier.pk)) or log.get(("motion.moved", earlier.pk)),
        )
        if earlier.adopted_by is not None:
            adopted = earlier.adopted_by
            step.children.append(
                ProvenanceNode(
                    kind="vote",
                    id=adopted.pk,
                    title=_("%(body)s adopted it") % {"body": earlier.body.name},
                    summary=tally_summary(adopted),
                    url=page("motions:vote", slug=slug, vote_id=adopted.pk),
                    provenance_url=provenance_page_url(slug, "vote", adopted.pk),
                    facts=tally(adopted),
                    log=log.get(("vote.closed", adopted.pk)),
                )
            )
        parent.children.append(step)
        parent = step
    return node


def seat_node(
    slug: str,
    cast: DelegateVote,
    apportionments: Apportionments,
    log: dict[tuple[Any, ...], LogRef],
) -> ProvenanceNode:
    delegation = cast.delegation
    delegate = delegation.member
    mandate = (
        _("%(kind)s mandate to vote %(instruction)s")
        % {
            "kind": mandate_kind_words(cast.mandate_kind),
            "instruction": choice_words(cast.mandate_instruction),
        }
        if cast.mandate_kind and cast.mandate_instruction
        else (
            _("%(kind)s mandate") % {"kind": mandate_kind_words(cast.mandate_kind)}
            if cast.mandate_kind
            else _("no mandate")
        )
    )
    parts = [
        _("Voted %(choice)s (weight %(weight)s)")
        % {"choice": cast.get_choice_display().lower(), "weight": cast.weight}
    ]
    if cast.as_alternate:
        parts[0] += _(", cast by alternate %(name)s") % {"name": cast.cast_by.person.name}
    parts.append(mandate)
    if cast.departed:
        parts.append(_("departed from it: %(reason)s") % {"reason": cast.departure_reason})
    node = ProvenanceNode(
        kind="seat",
        id=delegation.pk,
        title=_("%(delegate)s for %(constituency)s")
        % {"delegate": delegate.person.name, "constituency": delegation.constituency.name},
        summary="; ".join(parts),
        url=page("mandates:delegate", slug=slug, number=delegate.number),
        facts={
            "delegate": delegate.person.name,
            "member_number": delegate.number,
            "constituency": delegation.constituency.code,
            "choice": cast.choice,
            "weight": cast.weight,
            "as_alternate": cast.as_alternate,
            "cast_by": cast.cast_by.person.name,
            "mandate_kind": cast.mandate_kind,
            "mandate_instruction": cast.mandate_instruction,
            "departed": cast.departed,
            "term": f"{delegation.term_start.isoformat()} to {delegation.term_end.isoformat()}",
            "source": delegation.source,
        },
        log=log.get(("council.vote_cast", cast.vote_id, delegation.pk)),
    )
    seat = getattr(delegation, "elected_by", None)
    if seat is None:
        node.gap = _("no election conferred this seat (its record says only: %(source)s)") % {
            "source": delegation.source or _("nothing")
        }
    else:
        node.children.append(election_node(slug, seat.election, apportionments, log))
    return node
