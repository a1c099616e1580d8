"""The provenance log entries behind a tree, gathered while it is built and then read in one query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from commune.audit.models import LogEntry
from commune.provenance.selectors.tree import LogRef


@dataclass
class LogWants:
    """What to look up in the log, gathered while the tree is built, then read in one query."""

    votes: set[int] = field(default_factory=set)
    seat_votes: set[int] = field(default_factory=set)
    motions: set[int] = field(default_factory=set)
    elections: set[int] = field(default_factory=set)
    referrals: set[int] = field(default_factory=set)
    apportionment_councils: set[int] = field(default_factory=set)
    #: Motions that established executives (their ``executive.established`` entries).
    executives_established: set[int] = field(default_factory=set)
    #: Executive decisions (their recording, call-ins, and the council's reversal or upholding).
    executive_decisions: set[int] = field(default_factory=set)


#: The entries of an executive decision's life, each naming the decision in its payload.
EXECUTIVE_DECISION_ACTIONS = (
    "executive.decided",
    "executive_decision.call_in_opened",
    "executive_decision.called_in",
    "executive_decision.reversed",
    "executive_decision.upheld",
)


#: The acts looked up by their subject: for each action, which of ``LogWants``' sets asks for it and the
#: payload field naming its subject. Payloads name other things besides (a referral's entry names its
#: motion, a forwarding names the motion it came from), so an entry is keyed by this field alone.
SUBJECTS: dict[str, tuple[str, str]] = {
    "vote.closed": ("votes", "vote"),
    "motion.moved": ("motions", "motion"),
    "motion.forwarded": ("motions", "motion"),
    "election.declared": ("elections", "election"),
    "election.bulletin_published": ("elections", "election"),
    "election.called": ("elections", "election"),
    "referral.decided": ("referrals", "referral"),
    "executive.established": ("executives_established", "motion"),
}


def log_index(organisation_id: int, wants: LogWants) -> dict[tuple[Any, ...], LogRef]:
    """One query: the entries recording the acts in ``wants``, keyed by (action, id[, seat])."""
    q = Q()
    wanted = {
        "votes": wants.votes,
        "motions": wants.motions,
        "elections": wants.elections,
        "referrals": wants.referrals,
        "executives_established": wants.executives_established,
    }
    for action, (want, field_name) in SUBJECTS.items():
        if wanted[want]:
            q |= Q(action=action, **{f"payload__{field_name}__in": sorted(wanted[want])})
    if wants.seat_votes:
        q |= Q(action="council.vote_cast", payload__vote__in=sorted(wants.seat_votes))
    if wants.apportionment_councils:
        q |= Q(action="seats.apportioned", body_id__in=sorted(wants.apportionment_councils))
    if wants.executive_decisions:
        q |= Q(action__in=EXECUTIVE_DECISION_ACTIONS, payload__decision__in=sorted(wants.executive_decisions))
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
        elif entry.action in EXECUTIVE_DECISION_ACTIONS:
            # A call-in's entries name its motion too; they are keyed by the decision and the call-in.
            index.setdefault((entry.action, payload.get("decision"), payload.get("call_in")), ref)
        elif entry.action == "seats.apportioned":
            # Entries name the apportionment they record. Older entries do not; but a council's
            # apportionments and their entries are written together, one for one, so the n-th entry of a
            # council records its n-th apportionment, and every entry keeps its place in that count.
            assert entry.body_id is not None
            if isinstance(payload.get("apportionment"), int):
                index[(entry.action, "id", payload["apportionment"])] = ref
            index[(entry.action, entry.body_id, apportioned[entry.body_id])] = ref
            apportioned[entry.body_id] += 1
        elif entry.action in SUBJECTS:
            index.setdefault((entry.action, payload.get(SUBJECTS[entry.action][1])), ref)
    return index
