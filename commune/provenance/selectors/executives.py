"""The provenance of an executive's decision: the decision ← the power it used ← the executive's charter ←
the council vote that adopted the charter motion (and that vote's seats ← their elections ← the
constituencies, as for any council vote); with each call-in of the decision and the council vote on it,
which reversed the decision or let it stand.

An executive has no power of its own: every power it uses was stated in a motion its council adopted, so a
decision under a power the charter does not name, or a charter no vote adopted, is shown as a gap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commune.governance.models import CallIn, DecisionStatus, ExecutiveDecision
from commune.governance.powers import power_label, powers_label
from commune.motions.models import DelegateVote, Motion, Vote, VotePurpose
from commune.provenance.selectors.decisions import _SEAT_VOTES, _vote_node
from commune.provenance.selectors.log import LogWants, log_index
from commune.provenance.selectors.nodes import Apportionments, motion_node
from commune.provenance.selectors.tree import LogRef, Provenance, ProvenanceNode, page, provenance_page_url

KIND = "executive-decision"


def executive_decision_provenance(*, decision: ExecutiveDecision) -> Provenance:
    """Seven queries, however many seats voted on the charter and on any call-in: the decision, its
    call-ins, the council votes, their seats with their elections, the apportionments' shares and
    positions, and the log."""
    decision = ExecutiveDecision.objects.select_related(
        "executive__organisation",
        "executive__council",
        "executive__motion__body",
        "decided_by__person",
        "reversed_by",
    ).get(pk=decision.pk)
    executive = decision.executive
    call_ins = list(
        CallIn.objects.filter(decision=decision)
        .select_related("motion__body", "opened_by__person")
        .annotate(signed=Count("signatures"))
        .order_by("opened_at", "id")
    )
    call_in_motions = [c.motion for c in call_ins if c.motion is not None]
    # The charter's adopting vote, and each call-in motion's closed votes (adopting or rejecting it).
    votes = {
        v.pk: v
        for v in Vote.objects.filter(
            Q(pk=executive.motion.adopted_by_id)
            | Q(
                motion_id__in=[m.pk for m in call_in_motions],
                purpose=VotePurpose.ADOPT,
                closed_at__isnull=False,
            )
        ).select_related(
            "organisation", "body", "motion__body", "session", "referral__council", "referral__decided_by"
        )
    }
    vote_ids = sorted(votes)
    casts: dict[int, list[DelegateVote]] = {pk: [] for pk in vote_ids}
    for cast in _SEAT_VOTES.filter(vote_id__in=vote_ids):
        casts[cast.vote_id].append(cast)
    elections = [
        c.delegation.elected_by.election
        for cs in casts.values()
        for c in cs
        if getattr(c.delegation, "elected_by", None) is not None
    ]
    apportionments = Apportionments(e.apportionment_id for e in elections if e.apportionment_id)
    motions = [executive.motion, *(c.motion for c in call_ins if c.motion is not None)]
    log = log_index(
        executive.organisation_id,
        LogWants(
            votes=set(vote_ids),
            seat_votes={pk for pk, cs in casts.items() if cs},
            motions={m.pk for m in motions},
            elections={e.pk for e in elections},
            apportionment_councils=apportionments.councils(),
            executives_established={executive.motion_id},
            executive_decisions={decision.pk},
        ),
    )
    slug = executive.organisation.slug

    def vote_tree(motion: Motion) -> ProvenanceNode:
        """The vote that decided ``motion`` (the one adopting it, else its latest closed vote), with its
        seats back to their elections; the motion alone, marked undecided, if none has."""
        decided = votes.get(motion.adopted_by_id) if motion.adopted_by_id else None
        if decided is None:
            closed = [v for v in votes.values() if v.motion_id == motion.pk]
            decided = max(closed, key=lambda v: (v.closed_at, v.pk)) if closed else None
        if decided is None:
            node = motion_node(slug, motion, [motion], log)
            node.gap = _("no vote of %(body)s has decided this motion yet") % {"body": motion.body.name}
            return node
        return _vote_node(slug, decided, casts[decided.pk], [decided.motion], apportionments, log)

    root = _decision_node(slug, decision, log)
    power = _power_node(decision)
    root.children.append(power)
    charter = ProvenanceNode(
        kind="executive",
        id=executive.pk,
        title=_("The charter of %(executive)s") % {"executive": executive.name},
        summary=_(
            "%(kind)s of %(council)s, established by its adopted motion “%(motion)s”, with the powers %(powers)s"
        )
        % {
            "kind": executive.get_kind_display(),
            "council": executive.council.name,
            "motion": executive.motion.title,
            "powers": powers_label(executive.powers),
        },
        url=page("governance:executive", slug=slug, code=executive.code),
        facts={
            "code": executive.code,
            "executive_kind": executive.kind,
            "status": executive.status,
            "council": executive.council.code,
            "powers": list(executive.powers),
            "remit": executive.remit,
            "established_at": executive.established_at.isoformat() if executive.established_at else None,
            "motion": executive.motion_id,
        },
        log=log.get(("executive.established", executive.motion_id)),
    )
    if executive.established_at is None:
        charter.gap = _("%(council)s never established it") % {"council": executive.council.name}
    power.children.append(charter)
    adopted = vote_tree(executive.motion)
    if executive.motion.adopted_by_id is None:
        adopted.gap = _("no vote of %(council)s adopted the charter") % {"council": executive.council.name}
    charter.children.append(adopted)
    for call_in in call_ins:
        root.children.append(_call_in_node(slug, decision, call_in, log, vote_tree))
    return Provenance(executive.organisation, KIND, root)


def _decision_node(
    slug: str, decision: ExecutiveDecision, log: dict[tuple[Any, ...], LogRef]
) -> ProvenanceNode:
    executive = decision.executive
    status = decision.get_status_display()
    if decision.status == DecisionStatus.REVERSED and decision.reversed_by is not None:
        status = _("%(status)s by the motion “%(motion)s”") % {
            "status": status,
            "motion": decision.reversed_by.title,
        }
    url = page("governance:executive", slug=slug, code=executive.code)
    return ProvenanceNode(
        kind=KIND,
        id=decision.pk,
        title=decision.title,
        summary=_("Decided for %(executive)s by %(name)s under its power to %(power)s, %(day)s. %(status)s.")
        % {
            "executive": executive.name,
            "name": decision.decided_by.person.name,
            "power": power_label(decision.power),
            "day": date_format(decision.decided_at, "DATE_FORMAT"),
            "status": status,
        },
        url=f"{url}#decision-{decision.pk}" if url else "",
        provenance_url=provenance_page_url(slug, KIND, decision.pk),
        facts={
            "executive": executive.code,
            "power": decision.power,
            "text": decision.text,
            "decided_by": decision.decided_by.person.name,
            "member_number": decision.decided_by.number,
            "decided_at": decision.decided_at.isoformat(),
            "status": decision.status,
            "reversed_by_motion": decision.reversed_by_id,
            "reversed_at": decision.reversed_at.isoformat() if decision.reversed_at else None,
        },
        log=log.get(("executive.decided", decision.pk, None)),
    )


def _power_node(decision: ExecutiveDecision) -> ProvenanceNode:
    executive = decision.executive
    delegated = decision.power in executive.powers
    return ProvenanceNode(
        kind="power",
        id=None,
        title=_("The power to %(power)s") % {"power": power_label(decision.power)},
        summary=(
            _("Delegated to %(executive)s by %(council)s's charter")
            if delegated
            else _("Not among the powers %(council)s delegated")
        )
        % {"executive": executive.name, "council": executive.council.name},
        facts={"power": decision.power, "delegated": delegated, "powers": list(executive.powers)},
        gap=""
        if delegated
        else _("%(council)s's charter does not delegate this power") % {"council": executive.council.name},
    )


def _call_in_node(
    slug: str,
    decision: ExecutiveDecision,
    call_in: CallIn,
    log: dict[tuple[Any, ...], LogRef],
    vote_tree: Callable[[Motion], ProvenanceNode],
) -> ProvenanceNode:
    signed = getattr(call_in, "signed", 0)
    node = ProvenanceNode(
        kind="call-in",
        id=call_in.pk,
        title=_("Called in by delegates of %(council)s") % {"council": decision.executive.council.name},
        summary=_(
            "%(status)s: %(signed)s of the %(threshold)s delegates' signatures needed, opened by %(name)s. "
            "Reason: %(reason)s"
        )
        % {
            "status": call_in.get_status_display(),
            "signed": signed,
            "threshold": call_in.threshold,
            "name": call_in.opened_by.person.name,
            "reason": call_in.reason,
        },
        url=page("governance:executive", slug=slug, code=decision.executive.code),
        facts={
            "status": call_in.status,
            "threshold": call_in.threshold,
            "signed": signed,
            "opened_by": call_in.opened_by.number,
            "opened_at": call_in.opened_at.isoformat(),
            "settled_at": call_in.settled_at.isoformat() if call_in.settled_at else None,
            "motion": call_in.motion_id,
        },
        log=log.get(("executive_decision.called_in", decision.pk, call_in.pk))
        or log.get(("executive_decision.call_in_opened", decision.pk, call_in.pk)),
    )
    settled = log.get(("executive_decision.reversed", decision.pk, call_in.pk)) or log.get(
        ("executive_decision.upheld", decision.pk, call_in.pk)
    )
    if settled is not None:
        node.log = settled
    if call_in.motion is not None:
        node.children.append(vote_tree(call_in.motion))
    return node
