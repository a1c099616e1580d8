"""Applying a structural change once its decision stands: once, in one transaction, every act on the log
naming the change.

What happens to what the change touches:

* members move with their workplace: a merged or dissolved unit's members transfer to the unit named, a
  split takes the members it names to each new unit, a moved unit takes its members with it; nobody's
  membership ends;
* a seat ends where its holder no longer belongs to the constituency (as on any transfer), where the
  constituency ceases, or where it moves away from the council; offices of a unit that ceases end;
* every council whose constituencies changed is apportioned again by the one apportionment there is
  (``council_apportion``), and an election of delegates is called for every constituency whose seats or
  members changed (recorded, with why, where one cannot be called: no members yet, or one already under
  way);
* a process that the change would cut short refuses the change until it ends: an election or a vote of a
  unit that would cease, or the election of a moving unit's delegates to the council it leaves. They all
  close on time without anyone acting; the change is then applied. A ceasing unit's motions that no vote
  is deciding are left undecided, each named in the change's record and its log entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.elections.errors import ElectionError
from commune.elections.models import OPEN_STATUSES, Election, ElectionKind
from commune.elections.services import election_call, timeline_default
from commune.federation.models import ApportionedSeats, Apportionment, Body, BodyKind, Member
from commune.federation.services import (
    body_create,
    council_apportion,
    member_transfer,
    office_create,
    unit_dissolve,
    unit_move,
)
from commune.motions.models import Motion, MotionStatus, Vote
from commune.notifications.services import notification_send
from commune.structure.errors import StructureConflict, StructureError
from commune.structure.models import ChangeKind, ChangeStatus, StructuralChange
from commune.structure.proposals import AddUnit, DissolveUnit, MergeUnits, MoveUnit, SplitUnit, proposal_parse
from commune.structure.services.deciding import change_decision
from commune.structure.services.proposing import Checked, proposal_check
from commune.translation import deferred


#: A change's kind in lower case ("merge units"), said in the language of whoever reads it.
def _kind_words(kind: str) -> str:
    return str(ChangeKind(kind).label).lower()


_kind_lower = cast(Callable[[str], str], lazy(_kind_words, str))


def _processes_cut_short(change: StructuralChange, checked: Checked) -> list[str]:
    proposal = checked.proposal
    ceasing: list[Body] = []
    if isinstance(proposal, MergeUnits):
        ceasing = [checked.bodies[c] for c in proposal.units]
    elif isinstance(proposal, DissolveUnit):
        ceasing = [checked.bodies[proposal.unit]]
    open_elections = Election.objects.none()
    if ceasing:
        open_elections = Election.objects.filter(body__in=ceasing, status__in=OPEN_STATUSES)
    if isinstance(proposal, MoveUnit):
        unit = checked.bodies[proposal.unit]
        open_elections = Election.objects.filter(
            body=unit, kind=ElectionKind.DELEGATES, council_id=unit.parent_id, status__in=OPEN_STATUSES
        )
    blocking = [
        _("election #%(number)s (%(title)s), %(status)s")
        % {"number": e.pk, "title": e.title, "status": e.get_status_display().lower()}
        for e in open_elections.order_by("pk")
    ]
    blocking += [
        _("vote #%(number)s in %(body)s (%(question)s), closing %(when)s UTC")
        % {
            "number": v.pk,
            "body": v.body.name,
            "question": v.question,
            "when": f"{v.closes_at:%Y-%m-%d %H:%M}",
        }
        for v in Vote.objects.filter(body__in=ceasing, closed_at__isnull=True)
        .select_related("body")
        .order_by("pk")
    ]
    return blocking


def _councils_around(checked: Checked) -> set[int]:
    """Every council whose constituencies the change can alter: all above each unit it touches, and each
    council it puts a unit under with all above it."""
    ids: set[int] = set()
    for body in checked.bodies.values():
        ids.update(body.ancestor_ids)
        if body.kind == BodyKind.COUNCIL:
            ids.add(body.pk)
    return ids


def _constituencies(council_ids: set[int]) -> dict[int, dict[int, int]]:
    """Each council's live constituencies and their members. One query."""
    found: dict[int, dict[int, int]] = {c: {} for c in council_ids}
    for parent_id, pk, count in Body.objects.filter(
        parent_id__in=council_ids, dissolved_at__isnull=True
    ).values_list("parent_id", "pk", "member_count"):
        found[parent_id][pk] = count
    return found


def _latest_seats(council_ids: set[int]) -> dict[int, dict[int, int]]:
    """Each council's seats per constituency as last apportioned. Two queries."""
    latest: dict[int, int] = {}
    for pk, council_id in (
        Apportionment.objects.filter(council_id__in=council_ids)
        .order_by("council_id", "-computed_at", "-id")
        .values_list("pk", "council_id")
    ):
        latest.setdefault(council_id, pk)
    seats: dict[int, dict[int, int]] = {c: {} for c in council_ids}
    by_apportionment = {pk: c for c, pk in latest.items()}
    for apportionment_id, constituency_id, n in ApportionedSeats.objects.filter(
        apportionment_id__in=list(latest.values())
    ).values_list("apportionment_id", "constituency_id", "seats"):
        seats[by_apportionment[apportionment_id]][constituency_id] = n
    return seats


def _transfer(numbers: list[str], to_unit: Body, organisation_id: int, actor: Actor) -> None:
    for member in Member.objects.filter(organisation_id=organisation_id, number__in=numbers).order_by(
        "number"
    ):
        member_transfer(member=member, to_unit=to_unit, actor=actor)


def _new_unit(change: StructuralChange, spec: Any, parent: Body, actor: Actor) -> Body:
    unit = body_create(
        organisation=change.organisation,
        kind=BodyKind.UNIT,
        code=spec.code,
        name=spec.name.strip(),
        parent=parent,
        unit_type=spec.unit_type.strip(),
        decision=change.pk,
        actor=actor,
    )
    for office in spec.offices:
        office_create(body=unit, title=office.title.strip(), manages_roll=office.manages_roll, actor=actor)
    _transfer(list(spec.members), unit, change.organisation_id, actor)
    return unit


def _make(change: StructuralChange, checked: Checked, actor: Actor, outcome: dict[str, Any]) -> None:
    proposal, bodies = checked.proposal, checked.bodies
    if isinstance(proposal, AddUnit):
        _new_unit(change, proposal, bodies[proposal.parent], actor)
        outcome["bodies_created"] = [proposal.code]
    elif isinstance(proposal, SplitUnit):
        origin = bodies[proposal.unit]
        assert origin.parent_id is not None  # a unit is always under a council
        parent = Body.objects.get(pk=origin.parent_id)
        for spec in proposal.new_units:
            _new_unit(change, spec, parent, actor)
        outcome["bodies_created"] = [u.code for u in proposal.new_units]
    elif isinstance(proposal, MergeUnits):
        into = bodies[proposal.into]
        if proposal.name.strip() and proposal.name.strip() != into.name:
            old = into.name
            into.name = proposal.name.strip()
            into.save(update_fields=["name"])
            log_entry_record(
                organisation=change.organisation,
                action="body.renamed",
                body_id=into.pk,
                actor=actor,
                summary=f"{old} ({into.code}) renamed {into.name} (structural change #{change.pk})",
                payload={"unit": into.code, "from": old, "to": into.name, "decision": change.pk},
            )
        for code in proposal.units:
            _transfer(checked.members_by_unit[code], into, change.organisation_id, actor)
            unit_dissolve(
                unit=bodies[code], decision=change.pk, reason=f"merged into {into.name}", actor=actor
            )
        outcome["bodies_dissolved"] = list(proposal.units)
    elif isinstance(proposal, MoveUnit):
        moving = bodies[proposal.unit]
        assert moving.parent_id is not None  # a unit is always under a council
        left = Body.objects.get(pk=moving.parent_id)
        unit_move(unit=moving, to_council=bodies[proposal.to], decision=change.pk, actor=actor)
        outcome["bodies_moved"] = [{"unit": moving.code, "from": left.code, "to": proposal.to}]
    else:
        assert isinstance(proposal, DissolveUnit)
        if proposal.members_to:
            _transfer(
                checked.members_by_unit[proposal.unit],
                bodies[proposal.members_to],
                change.organisation_id,
                actor,
            )
        unit_dissolve(
            unit=bodies[proposal.unit],
            decision=change.pk,
            reason=proposal.reason or f"dissolved by {change.council.name}'s decision",
            actor=actor,
        )
        outcome["bodies_dissolved"] = [proposal.unit]


def _reapportion_and_call(
    change: StructuralChange,
    councils: set[int],
    before: dict[int, dict[int, int]],
    seats_before: dict[int, dict[int, int]],
    actor: Actor,
    outcome: dict[str, Any],
) -> None:
    after = _constituencies(councils)
    changed_councils = [c for c in councils if after[c] != before.get(c)]
    council_rows = {
        b.pk: b for b in Body.objects.filter(pk__in=changed_councils).select_related("organisation")
    }
    reason = f"structural change #{change.pk}"
    to_elect: list[int] = []
    apportioned: dict[str, Any] = {}
    for council in sorted(council_rows.values(), key=lambda b: -b.depth):
        apportionment = council_apportion(council=council, reason=reason, actor=actor)
        shares = dict(apportionment.shares.values_list("constituency_id", "seats"))
        apportioned[council.code] = {
            "apportionment": apportionment.pk,
            "total_seats": apportionment.total_seats,
        }
        for constituency_id, members in after[council.pk].items():
            if before[council.pk].get(constituency_id) != members or seats_before[council.pk].get(
                constituency_id
            ) != shares.get(constituency_id):
                to_elect.append(constituency_id)
    outcome["apportionments"] = apportioned
    called, not_called = [], []
    timeline = timeline_default(now=timezone.now())
    for constituency in (
        Body.objects.filter(pk__in=to_elect).select_related("parent").order_by("-depth", "code")
    ):
        try:
            with transaction.atomic():
                election = election_call(
                    body=constituency, kind=ElectionKind.DELEGATES, timeline=timeline, actor=actor
                )
        except ElectionError as exc:
            not_called.append({"body": constituency.code, "why": str(exc)})
        else:
            called.append(
                {
                    "election": election.pk,
                    "body": constituency.code,
                    "council": election.council.code if election.council else "",
                }
            )
    outcome["elections_called"] = called
    outcome["elections_not_called"] = not_called


def _members_tell(change: StructuralChange, checked: Checked) -> None:
    """Tell every member of the units the change touched, as they now stand (in the app and by email,
    once it commits), what changed and where its record is."""
    codes = {*checked.bodies, *(m[1] for m in checked.moves.values())}
    people = [
        m.person
        for m in Member.objects.filter(
            organisation_id=change.organisation_id,
            current_unit__code__in=codes,
            current_unit__kind=BodyKind.UNIT,
        ).select_related("person")
    ]
    notification_send(
        people=people,
        kind="structure.applied",
        subject=deferred(
            gettext_lazy("Your unit: %(kind)s, by %(council)s's decision"),
            kind=_kind_lower(change.kind),
            council=change.council.name,
        ),
        body=deferred(
            gettext_lazy(
                "%(text)s\n\nThis is now made. Where delegates' seats changed, their elections are called; the "
                "change's page says what it did and the decision it rests on."
            ),
            text=change.motion_text,
        ),
        link=reverse("structure:change", kwargs={"slug": change.organisation.slug, "change_id": change.pk}),
    )


@transaction.atomic
def structural_change_apply(*, change: StructuralChange, actor: Actor = SYSTEM) -> StructuralChange:
    """Apply ``change`` once its decision stands; mark it not adopted where the decision went against it.

    Refused (and nothing changes) while the motion is undecided, once the change was applied or found not
    adopted, when the council adopted an amended text (another decision than the proposal), when the
    organisation no longer fits the proposal, and while a process it would cut short is under way.
    """
    change = (
        StructuralChange.objects.select_for_update(of=("self",))
        .select_related("organisation", "council", "motion")
        .get(pk=change.pk)
    )
    if change.status == ChangeStatus.APPLIED:
        assert change.applied_at is not None
        raise StructureConflict(
            _("structural change #%(number)s was already applied on %(when)s UTC")
            % {"number": change.pk, "when": f"{change.applied_at:%Y-%m-%d %H:%M}"}
        )
    if change.status == ChangeStatus.NOT_ADOPTED:
        raise StructureConflict(
            _("structural change #%(number)s was not adopted: nothing changes") % {"number": change.pk}
        )
    decision = change_decision(change)
    if not decision.carried:
        change.status = ChangeStatus.NOT_ADOPTED
        change.save(update_fields=["status"])
        log_entry_record(
            organisation=change.organisation,
            action="structure.not_adopted",
            body_id=change.council_id,
            actor=actor,
            summary=f"Structural change #{change.pk} not made: {decision.why}",
            payload={"change": change.pk, "motion": change.motion_id, "why": decision.why},
        )
        return change
    if change.motion.text != change.motion_text:
        raise StructureError(
            _(
                "%(council)s adopted motion %(motion)s as amended, and the amended text is not the proposal this "
                "change carries: move the change anew as it should be"
            )
            % {"council": change.council.name, "motion": change.motion_id}
        )
    checked = proposal_check(council=change.council, proposal=proposal_parse(change.proposal))
    blocking = _processes_cut_short(change, checked)
    if blocking:
        raise StructureConflict(
            _(
                "the change would cut short what is still under way; it can be applied once these close (each "
                "closes on time by itself): %(processes)s"
            )
            % {"processes": "; ".join(blocking)}
        )
    councils = _councils_around(checked)
    before, seats_before = _constituencies(councils), _latest_seats(councils)
    outcome: dict[str, Any] = {
        "decided": {"why": decision.why, "vote": decision.vote_id, "referral": decision.referral_id},
        "members_moved": {number: list(move) for number, move in sorted(checked.moves.items())},
    }
    ceasing = [
        checked.bodies[c]
        for c in (
            checked.proposal.units
            if isinstance(checked.proposal, MergeUnits)
            else [checked.proposal.unit]
            if isinstance(checked.proposal, DissolveUnit)
            else []
        )
    ]
    outcome["motions_left_undecided"] = [
        {"motion": m.pk, "title": m.title, "body": m.body.code}
        for m in Motion.objects.filter(
            body__in=ceasing, status__in=[MotionStatus.PROPOSED, MotionStatus.ON_AGENDA]
        )
        .select_related("body")
        .order_by("pk")
    ]
    _make(change, checked, actor, outcome)
    _reapportion_and_call(change, councils, before, seats_before, actor, outcome)
    change.status, change.applied_at, change.applied_by = ChangeStatus.APPLIED, timezone.now(), actor.label
    change.outcome = outcome
    change.save(update_fields=["status", "applied_at", "applied_by", "outcome"])
    _members_tell(change, checked)
    left = "; ".join(f"motion {m['motion']} of {m['body']}" for m in outcome["motions_left_undecided"])
    log_entry_record(
        organisation=change.organisation,
        action="structure.applied",
        body_id=change.council_id,
        actor=actor,
        summary=f"Structural change #{change.pk} applied ({decision.why}, motion {change.motion_id}): "
        f"{len(checked.moves)} members moved, {len(outcome['elections_called'])} elections called"
        + (f"; left undecided as their unit ceased: {left}" if left else ""),
        payload={"change": change.pk, "motion": change.motion_id, "kind": change.kind, **outcome},
    )
    return change
