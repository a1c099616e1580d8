"""The provenance of a decision, read as a tree: the decision ← the vote and its tally ← the body that voted
← the seats of those who voted ← the elections that filled them ← the constituencies that elected them
(their electorate and the apportionment that fixed their seats).

Every node names the page that shows it and the provenance log entry that recorded it (position and
hash), so a member can check each link against the tamper-evident log. A link that should exist but
does not — a seat no election conferred, an act the log never recorded — is kept in the tree as a *gap*,
never silently dropped: that is the point of reading provenance.

Each reader issues a fixed number of queries however many seats, voters or elections lie behind the
decision (see ``tests/provenance/test_queries.py``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from commune.audit.models import LogEntry
from commune.elections.models import Election, ElectionKind
from commune.federation.models import ApportionedSeats, Apportionment, Body, Organisation
from commune.motions.models import DelegateVote, Motion, Referral, Vote, VoteMode
from commune.motions.selectors import motion_provenance

#: The kinds of decision whose provenance can be read, as they appear in URLs.
DECISION_KINDS = ("vote", "motion", "referral", "election")


@dataclass(frozen=True)
class LogRef:
    """The provenance log entry that recorded a node's act."""

    seq: int
    hash: str
    action: str
    recorded_at: str


@dataclass
class ProvenanceNode:
    kind: str
    id: int | None
    title: str
    summary: str = ""
    url: str = ""
    provenance_url: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    log: LogRef | None = None
    #: Why a link the chain needs is missing (a seat no election conferred…); empty when it is whole.
    gap: str = ""
    children: list[ProvenanceNode] = field(default_factory=list)

    def walk(self) -> Iterator[ProvenanceNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Provenance:
    organisation: Organisation
    kind: str
    root: ProvenanceNode

    @property
    def gaps(self) -> list[str]:
        """Every missing link, in reading order: nodes marked as gaps and acts the log does not show."""
        found: list[str] = []
        for node in self.root.walk():
            if node.gap:
                found.append(f"{node.kind} {node.title}: {node.gap}")
            elif node.kind in LOGGED_KINDS and node.log is None:
                found.append(f"{node.kind} {node.title}: no provenance log entry records it")
        return found

    @property
    def complete(self) -> bool:
        return not self.gaps


#: Kinds of node whose act the log must record (an electorate or a body is a fact, not an act).
LOGGED_KINDS = frozenset({"vote", "seat", "election", "bulletin", "apportionment", "referral", "motion"})


def _page(name: str, **kwargs: Any) -> str:
    """The URL of a page, or "" where the page is not served (the node is still shown, unlinked)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def provenance_page_url(slug: str, kind: str, decision_id: int) -> str:
    return _page("provenance:decision", slug=slug, kind=kind, decision_id=decision_id)


# --- The log ------------------------------------------------------------------------------------------


@dataclass
class _LogWants:
    """What to look up in the log, gathered while the tree is built, then read in one query."""

    votes: set[int] = field(default_factory=set)
    seat_votes: set[int] = field(default_factory=set)
    motions: set[int] = field(default_factory=set)
    elections: set[int] = field(default_factory=set)
    referrals: set[int] = field(default_factory=set)
    apportionment_councils: set[int] = field(default_factory=set)


def _log_index(organisation_id: int, wants: _LogWants) -> dict[tuple[Any, ...], LogRef]:
    """One query: the entries recording the acts in ``wants``, keyed by (action, id[, seat])."""
    q = Q()
    if wants.votes:
        q |= Q(action="vote.closed", payload__vote__in=sorted(wants.votes))
    if wants.seat_votes:
        q |= Q(action="council.vote_cast", payload__vote__in=sorted(wants.seat_votes))
    if wants.motions:
        q |= Q(action__in=["motion.moved", "motion.forwarded"], payload__motion__in=sorted(wants.motions))
    if wants.elections:
        q |= Q(
            action__in=["election.declared", "election.bulletin_published", "election.called"],
            payload__election__in=sorted(wants.elections),
        )
    if wants.referrals:
        q |= Q(action="referral.decided", payload__referral__in=sorted(wants.referrals))
    if wants.apportionment_councils:
        q |= Q(action="seats.apportioned", body_id__in=sorted(wants.apportionment_councils))
    if not q:
        return {}
    index: dict[tuple[Any, ...], LogRef] = {}
    apportioned: dict[int, int] = defaultdict(int)
    entries = LogEntry.objects.filter(q, organisation_id=organisation_id).order_by("seq")
    for entry in entries.only("seq", "entry_hash", "action", "recorded_at", "payload", "body_id"):
        ref = LogRef(entry.seq, entry.entry_hash, entry.action, entry.recorded_at.isoformat())
        payload = entry.payload if isinstance(entry.payload, dict) else {}
        if entry.action == "council.vote_cast":
            index[(entry.action, payload.get("vote"), payload.get("seat"))] = ref
        elif entry.action == "seats.apportioned":
            # The log names no apportionment id; a council's apportionments and their entries are written
            # together, one for one, so the n-th entry of a council records its n-th apportionment.
            assert entry.body_id is not None
            index[(entry.action, entry.body_id, apportioned[entry.body_id])] = ref
            apportioned[entry.body_id] += 1
        else:
            key = next(
                (payload.get(k) for k in ("vote", "motion", "election", "referral") if k in payload), None
            )
            index.setdefault((entry.action, key), ref)
    return index


# --- Shared pieces -----------------------------------------------------------------------------------


def _body_node(slug: str, body: Body, **facts: Any) -> ProvenanceNode:
    return ProvenanceNode(
        kind="body",
        id=body.pk,
        title=body.name,
        summary=f"{body.get_kind_display()} {body.code}",
        url=_page("federation:body", slug=slug, code=body.code),
        facts={"code": body.code, "body_kind": body.kind, **facts},
    )


def _tally(vote: Vote) -> dict[str, Any]:
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


def _tally_summary(vote: Vote) -> str:
    if vote.closed_at is None:
        return "Voting is still open."
    verdict = "Carried" if vote.carried else "Not carried"
    return f"{verdict}: {vote.yes} yes, {vote.no} no, {vote.abstain} abstain of {vote.electorate} entitled."


class _Apportionments:
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


def _election_node(
    slug: str, election: Election, apportionments: _Apportionments, log: dict[tuple[Any, ...], LogRef]
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
        summary=(
            f"{election.get_status_display()}: "
            + (", ".join(elected) + " elected" if elected else "no one elected yet")
            + (" unopposed" if election.uncontested else f" on {election.ballots_counted} ballots")
        ),
        url=_page("elections:result", slug=slug, election_id=election.pk),
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
                title=f"Bulletin of {election.title}",
                summary=f"{election.ballots_counted} ballots published; Merkle root {election.merkle_root}",
                url=_page("ballots:bulletin", slug=slug, election_id=election.pk),
                facts={"merkle_root": election.merkle_root, "ballots": election.ballots_counted},
                log=log.get(("election.bulletin_published", election.pk)),
                gap="" if election.merkle_root else "no bulletin has been published",
            )
        )
    electorate_of = (
        "every member within the body"
        if election.electorate_mode == "members"
        else "the delegates seated on it"
    )
    electorate = _body_node(
        slug,
        election.body,
        electorate_mode=election.electorate_mode,
        electorate_size=election.electorate_size,
        represented_members=election.represented_members,
    )
    electorate.kind = "constituency"
    electorate.summary = (
        f"The electorate: {electorate_of}, {election.electorate_size} electors "
        f"standing for {election.represented_members} members"
    )
    electorate.log = log.get(("election.called", election.pk))
    node.children.append(electorate)
    if election.kind == ElectionKind.DELEGATES:
        electorate.children.append(_apportionment_node(slug, election, apportionments, log))
    return node


def _apportionment_node(
    slug: str, election: Election, apportionments: _Apportionments, log: dict[tuple[Any, ...], LogRef]
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
            title=f"Seats of {election.body.name}",
            gap="no apportionment fixed this election's seats",
        )
    apportionment = share.apportionment
    return ProvenanceNode(
        kind="apportionment",
        id=apportionment.pk,
        title=f"Seats of {apportionment.council.name}",
        summary=(
            f"{share.seats} of {apportionment.total_seats} seats for {election.body.name}, "
            f"for its {share.members} members (Sainte-Laguë; {apportionment.reason})"
        ),
        url=_page("federation:body", slug=slug, code=apportionment.council.code),
        facts={
            "council": apportionment.council.code,
            "total_seats": apportionment.total_seats,
            "seats": share.seats,
            "members": share.members,
            "computed_at": apportionment.computed_at.isoformat(),
            "reason": apportionment.reason,
        },
        log=log.get(("seats.apportioned", *apportionments.position.get(apportionment.pk, (None, None)))),
    )


def _motion_node(
    slug: str, motion: Motion, line: list[Motion], log: dict[tuple[Any, ...], LogRef]
) -> ProvenanceNode:
    """The motion decided, and the bodies it came through before (each with the vote that adopted it)."""
    node = ProvenanceNode(
        kind="motion",
        id=motion.pk,
        title=motion.title,
        summary=f"Before {motion.body.name}: {motion.get_status_display()}",
        url=_page("motions:detail", slug=slug, motion_id=motion.pk),
        facts={"status": motion.status, "body": motion.body.code, "origin": motion.origin_id},
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
                f"Moved in {earlier.body.name}"
                if earlier.forwarded_from_id is None
                else f"Forwarded to {earlier.body.name}"
            )
            + f": {earlier.get_status_display()}",
            url=_page("motions:detail", slug=slug, motion_id=earlier.pk),
            facts={"status": earlier.status, "body": earlier.body.code},
            log=log.get(("motion.forwarded", earlier.pk)) or log.get(("motion.moved", earlier.pk)),
        )
        if earlier.adopted_by is not None:
            adopted = earlier.adopted_by
            step.children.append(
                ProvenanceNode(
                    kind="vote",
                    id=adopted.pk,
                    title=f"{earlier.body.name} adopted it",
                    summary=_tally_summary(adopted),
                    url=_page("motions:vote", slug=slug, vote_id=adopted.pk),
                    provenance_url=provenance_page_url(slug, "vote", adopted.pk),
                    facts=_tally(adopted),
                    log=log.get(("vote.closed", adopted.pk)),
                )
            )
        parent.children.append(step)
        parent = step
    return node


# --- Decisions ----------------------------------------------------------------------------------------


def _seat_node(
    slug: str,
    cast: DelegateVote,
    apportionments: _Apportionments,
    log: dict[tuple[Any, ...], LogRef],
) -> ProvenanceNode:
    delegation = cast.delegation
    delegate = delegation.member
    mandate = (
        f"{cast.mandate_kind} mandate to vote {cast.mandate_instruction}"
        if cast.mandate_kind and cast.mandate_instruction
        else (f"{cast.mandate_kind} mandate" if cast.mandate_kind else "no mandate")
    )
    node = ProvenanceNode(
        kind="seat",
        id=delegation.pk,
        title=f"{delegate.person.name} for {delegation.constituency.name}",
        summary=(
            f"Voted {cast.choice} (weight {cast.weight})"
            + (f", cast by alternate {cast.cast_by.person.name}" if cast.as_alternate else "")
            + f"; {mandate}"
            + (f"; departed from it: {cast.departure_reason}" if cast.departed else "")
        ),
        url=_page("mandates:delegate", slug=slug, number=delegate.number),
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
        node.gap = f"no election conferred this seat (its record says only: {delegation.source or 'nothing'})"
    else:
        node.children.append(_election_node(slug, seat.election, apportionments, log))
    return node


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
    apportionments = _Apportionments(e.apportionment_id for e in elections if e.apportionment_id)
    line = motion_provenance(motion=vote.motion)
    wants = _LogWants(
        votes={vote.pk} | {m.adopted_by_id for m in line if m.adopted_by_id},
        seat_votes={vote.pk} if casts else set(),
        motions={m.pk for m in line},
        elections={e.pk for e in elections},
        apportionment_councils=apportionments.councils(),
    )
    if vote.referral is not None:
        wants.votes.add(vote.referral.decided_by_id)
    log = _log_index(vote.organisation_id, wants)
    return Provenance(vote.organisation, "vote", _vote_node(slug, vote, casts, line, apportionments, log))


def _vote_node(
    slug: str,
    vote: Vote,
    casts: list[DelegateVote],
    line: list[Motion],
    apportionments: _Apportionments,
    log: dict[tuple[Any, ...], LogRef],
) -> ProvenanceNode:
    root = ProvenanceNode(
        kind="vote",
        id=vote.pk,
        title=vote.question,
        summary=f"{vote.get_mode_display()}. {_tally_summary(vote)}",
        url=_page("motions:vote", slug=slug, vote_id=vote.pk),
        provenance_url=provenance_page_url(slug, "vote", vote.pk),
        facts=_tally(vote),
        log=log.get(("vote.closed", vote.pk)),
        gap="" if vote.closed_at else "the vote is still open: there is no decision yet",
    )
    root.children.append(_motion_node(slug, vote.motion, line, log))
    body = _body_node(slug, vote.body)
    root.children.append(body)
    if vote.mode == VoteMode.COUNCIL:
        assert vote.session is not None  # a database constraint: council votes are taken in session
        body.summary = (
            f"Council {vote.body.code}, in session “{vote.session.title}”: {len(casts)} seats voted"
        )
        body.facts["session"] = vote.session.pk
        body.facts["present"] = vote.present
        for cast in casts:
            body.children.append(_seat_node(slug, cast, apportionments, log))
    else:
        secret = vote.mode == VoteMode.SECRET
        body.children.append(
            ProvenanceNode(
                kind="electorate",
                id=vote.body_id,
                title=f"The members of {vote.body.name}",
                summary=(
                    f"{vote.electorate} entitled to vote; "
                    + (
                        "a secret ballot: the counts are published, never who voted how"
                        if secret
                        else "an open vote: each member's choice is on the vote's page"
                    )
                ),
                url=_page("motions:vote", slug=slug, vote_id=vote.pk),
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
                title=f"{vote.referral.council.name} referred the question down",
                summary=_tally_summary(referring),
                url=_page("motions:vote", slug=slug, vote_id=referring.pk),
                provenance_url=provenance_page_url(slug, "vote", referring.pk),
                facts=_tally(referring),
                log=log.get(("vote.closed", referring.pk)),
            )
        )
    return root


def motion_provenance_tree(*, motion: Motion) -> Provenance:
    """A motion's decision is the vote that adopted it, or else its latest closed vote on adoption; a motion
    not yet decided shows its line alone, marked as undecided."""
    deciding = (
        Vote.objects.filter(motion=motion, purpose="adopt", closed_at__isnull=False)
        .order_by("-closed_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if motion.adopted_by_id is not None:
        deciding = motion.adopted_by_id
    if deciding is not None:
        provenance = vote_provenance(vote=Vote(pk=deciding))
        return Provenance(provenance.organisation, "motion", provenance.root)
    motion = Motion.objects.select_related("organisation", "body").get(pk=motion.pk)
    line = motion_provenance(motion=motion)
    log = _log_index(motion.organisation_id, _LogWants(motions={m.pk for m in line}))
    root = _motion_node(motion.organisation.slug, motion, line, log)
    root.gap = "no vote has decided this motion yet"
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
    log = _log_index(
        organisation.pk,
        _LogWants(
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
        title=f"{referral.get_kind_display()}: {referral.motion.title}",
        summary=(
            ("Carried" if referral.carried else "Not carried")
            + f": {summary.get('yes', 0)} yes, {summary.get('no', 0)} no, {summary.get('abstain', 0)} abstain"
            if referral.closed_at
            else "Still open"
        ),
        url=_page("motions:referral", slug=slug, referral_id=referral.pk),
        provenance_url=provenance_page_url(slug, "referral", referral.pk),
        facts={
            "referral_kind": referral.kind,
            "carried": referral.carried,
            **{k: v for k, v in summary.items() if k in ("yes", "no", "abstain", "electorate", "votes_cast")},
        },
        log=log.get(("referral.decided", referral.pk)),
        gap="" if referral.closed_at else "the referral is still open: there is no decision yet",
    )
    root.children.append(_motion_node(slug, referral.motion, line, log))
    for vote in votes:
        node = ProvenanceNode(
            kind="vote",
            id=vote.pk,
            title=f"{vote.body.name}: {vote.question}",
            summary=f"{vote.get_mode_display()}. {_tally_summary(vote)}",
            url=_page("motions:vote", slug=slug, vote_id=vote.pk),
            provenance_url=provenance_page_url(slug, "vote", vote.pk),
            facts=_tally(vote),
            log=log.get(("vote.closed", vote.pk)),
        )
        node.children.append(
            ProvenanceNode(
                kind="electorate",
                id=vote.body_id,
                title=f"The members of {vote.body.name}",
                summary=f"{vote.electorate} entitled to vote; counts only, never who voted how"
                if vote.mode == VoteMode.SECRET
                else f"{vote.electorate} entitled to vote",
                url=_page("federation:body", slug=slug, code=vote.body.code),
                facts={"electorate": vote.electorate, "secret": vote.mode == VoteMode.SECRET},
            )
        )
        root.children.append(node)
    referring = referral.decided_by
    root.children.append(
        ProvenanceNode(
            kind="vote",
            id=referring.pk,
            title=f"{referral.council.name} referred the question down",
            summary=_tally_summary(referring),
            url=_page("motions:vote", slug=slug, vote_id=referring.pk),
            provenance_url=provenance_page_url(slug, "vote", referring.pk),
            facts=_tally(referring),
            log=log.get(("vote.closed", referring.pk)),
        )
    )
    return Provenance(organisation, "referral", root)


def election_provenance(*, election: Election) -> Provenance:
    """An election's result ← its bulletin (Merkle root) ← its electorate ← the apportionment that fixed its
    seats; with the seats it conferred. Five queries."""
    election = Election.objects.select_related("organisation", "body").get(pk=election.pk)
    slug = election.organisation.slug
    apportionments = _Apportionments([election.apportionment_id] if election.apportionment_id else [])
    log = _log_index(
        election.organisation_id,
        _LogWants(elections={election.pk}, apportionment_councils=apportionments.councils()),
    )
    root = _election_node(slug, election, apportionments, log)
    if election.status != "declared":
        root.gap = "no result has been declared"
    return Provenance(election.organisation, "election", root)


def decision_provenance(*, kind: str, decision: Any) -> Provenance:
    """The provenance of a decision fetched by ``access_decision`` for ``kind``."""
    if kind == "vote":
        return vote_provenance(vote=decision)
    if kind == "motion":
        return motion_provenance_tree(motion=decision)
    if kind == "referral":
        return referral_provenance(referral=decision)
    if kind == "election":
        return election_provenance(election=decision)
    raise ValueError(f"not a kind of decision: {kind}")
