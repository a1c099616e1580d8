"""Moving a structural change as a motion of a council whose reach covers every unit it touches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, BodyKind, Member
from commune.motions.services import constitution_rules, motion_move
from commune.structure.errors import NotEntitled, StructureError
from commune.structure.models import StructuralChange
from commune.structure.proposals import (
    AddUnit,
    DissolveUnit,
    MergeUnits,
    MoveUnit,
    SplitUnit,
    member_moves,
    proposal_councils,
    proposal_parse,
    proposal_units,
    proposal_words,
)


@dataclass
class Checked:
    """A proposal checked against the organisation as it stands: its bodies by code, the members of the
    units it takes members from, and where each member goes."""

    proposal: Any
    bodies: dict[str, Body]
    members_by_unit: dict[str, list[str]]
    moves: dict[str, tuple[str, str]] = field(default_factory=dict)


def within_reach(council: Body, body: Body) -> bool:
    """Whether ``body`` is below ``council`` (or, for a council a unit goes under, is the council)."""
    return body.organisation_id == council.organisation_id and body.path.startswith(council.path)


def _new_codes(proposal: Any) -> list[str]:
    if isinstance(proposal, AddUnit):
        return [proposal.code]
    if isinstance(proposal, SplitUnit):
        return [u.code for u in proposal.new_units]
    return []


def proposal_check(*, council: Body, proposal: Any) -> Checked:
    """Check ``proposal`` (a parsed proposal) against the organisation now: every unit it names is a unit
    still in being within the council's reach, every council it puts a unit under is one too, every new
    code is free, every member it names is where it says. Four queries. Raises ``NotEntitled`` for a
    body or member beyond the council's reach, ``StructureError`` for anything else."""
    units, councils, new = proposal_units(proposal), proposal_councils(proposal), _new_codes(proposal)
    bodies = {
        b.code: b
        for b in Body.objects.filter(
            organisation_id=council.organisation_id, code__in=[*units, *councils, *new]
        )
    }
    taken = [code for code in new if code in bodies]
    if taken:
        raise StructureError(
            _("the code %(code)s is already used in this organisation") % {"code": ", ".join(taken)}
        )
    for code in units:
        body = bodies.get(code)
        if body is None or body.kind != BodyKind.UNIT or body.dissolved_at is not None:
            raise StructureError(_("there is no unit %(code)s in being") % {"code": code})
        if not within_reach(council, body) or body.pk == council.pk:
            raise NotEntitled(
                _(
                    "%(name)s (%(code)s) is not below %(council)s: a structural change is decided by a council "
                    "whose reach covers every unit it touches"
                )
                % {"name": body.name, "code": code, "council": council.name}
            )
    for code in councils:
        body = bodies.get(code)
        if body is None or body.kind != BodyKind.COUNCIL or body.dissolved_at is not None:
            raise StructureError(_("there is no council %(code)s in being") % {"code": code})
        if not within_reach(council, body):
            raise NotEntitled(
                _(
                    "%(name)s (%(code)s) is not %(council)s or below it: a council puts units only within its "
                    "own reach"
                )
                % {"name": body.name, "code": code, "council": council.name}
            )
    if isinstance(proposal, MergeUnits) and proposal.into in proposal.units:
        raise StructureError(_("%(unit)s cannot merge into itself") % {"unit": proposal.into})
    if isinstance(proposal, MoveUnit) and bodies[proposal.unit].parent_id == bodies[proposal.to].pk:
        raise StructureError(
            _("%(unit)s is already under %(council)s") % {"unit": proposal.unit, "council": proposal.to}
        )
    if isinstance(proposal, DissolveUnit) and proposal.members_to == proposal.unit:
        raise StructureError(_("a dissolved unit's members move to another unit"))
    members_by_unit: dict[str, list[str]] = {code: [] for code in units}
    members = Member.objects.filter(organisation_id=council.organisation_id, current_unit__isnull=False)
    if isinstance(proposal, AddUnit):
        named = list(members.filter(number__in=proposal.members).select_related("current_unit"))
        for member in named:
            unit = member.current_unit
            assert unit is not None
            if not within_reach(council, unit):
                raise NotEntitled(
                    _("member %(number)s belongs to %(unit)s, which is not below %(council)s")
                    % {"number": member.number, "unit": unit.name, "council": council.name}
                )
            members_by_unit.setdefault(unit.code, []).append(member.number)
    elif units:
        for code, number in members.filter(current_unit__code__in=units).values_list(
            "current_unit__code", "number"
        ):
            members_by_unit[code].append(number)
    moves = member_moves(proposal, members_by_unit)
    return Checked(proposal, bodies, members_by_unit, moves)


@transaction.atomic
def structural_change_propose(
    *,
    council: Body,
    member: Member,
    proposal: dict[str, Any],
    title: str = "",
    reason: str = "",
    actor: Actor = SYSTEM,
) -> StructuralChange:
    """Move, in ``council``, a motion carrying a structural change. Only a delegate seated on it moves one
    (``motion_move`` checks), and only for units within its reach. Nothing changes until the council
    adopts it (or the members carry it, where the constitution requires a referendum) and it is applied."""
    parsed = proposal_parse(proposal)
    council = Body.objects.select_related("organisation").get(pk=council.pk)
    if council.kind != BodyKind.COUNCIL or council.dissolved_at is not None:
        raise StructureError(
            _("%(name)s is not a council in being: a structural change is a council's")
            % {"name": council.name}
        )
    checked = proposal_check(council=council, proposal=parsed)
    names = {code: body.name for code, body in checked.bodies.items()}
    said = proposal_words(parsed, names)
    reason = reason.strip()
    referendum_required = constitution_rules(council.organisation_id).structure.referendum_required
    motion = motion_move(
        body=council,
        member=member,
        title=(title.strip() or f"Structural change: {parsed.kind} {_subject(parsed)}")[:200],
        text=f"{council.name} decides: {said}" + (f"\n\n{reason}" if reason else ""),
        actor=actor,
    )
    change = StructuralChange.objects.create(
        organisation_id=council.organisation_id,
        council=council,
        motion=motion,
        kind=parsed.kind,
        proposal=parsed.model_dump(mode="json"),
        motion_text=motion.text,
        proposed_at=timezone.now(),
        referendum_required=referendum_required,
    )
    log_entry_record(
        organisation=council.organisation,
        action="structure.proposed",
        body_id=council.pk,
        actor=actor,
        summary=f"Structural change #{change.pk} moved in {council.name} as motion {motion.pk}: {said}",
        payload={
            "change": change.pk,
            "motion": motion.pk,
            "council": council.code,
            "proposal": change.proposal,
            "referendum_required": referendum_required,
        },
    )
    return change


def _subject(proposal: Any) -> str:
    if isinstance(proposal, AddUnit):
        return proposal.code
    if isinstance(proposal, MergeUnits):
        return f"{', '.join(proposal.units)} into {proposal.into}"
    return str(proposal.unit)
