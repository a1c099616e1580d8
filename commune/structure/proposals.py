"""The structured proposal a structural motion carries, and what it does to the members (pure; no database).

A proposal is one of five shapes, each naming bodies by code and members by membership number:

* ``add``: a new unit under a council (``parent``), with its offices, and the members (if any) who
  transfer into it;
* ``merge``: ``units`` merged into the unit ``into``: their members transfer to it and they cease;
* ``split``: new units made from a unit, each taking the members it names; the rest stay;
* ``move``: a unit, with its members, moved under another council (``to``);
* ``dissolve``: a unit ceases; its members, if any, transfer to ``members_to``: nobody's membership ends by
  a structural decision.

``member_moves`` says where each member goes; ``members_after`` the membership of each unit afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from commune.structure.errors import StructureError

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _code(value: str) -> str:
    value = value.strip()
    if not CODE.match(value):
        raise ValueError(_("a code is letters, digits, '-' and '_' (at most 40)"))
    return value.upper()


class OfficeSpec(_Strict):
    title: str = Field(min_length=1, max_length=120)
    manages_roll: bool = False


class NewUnit(_Strict):
    code: str
    name: str = Field(min_length=1, max_length=200)
    unit_type: str = Field("", max_length=40)
    offices: list[OfficeSpec] = Field(default_factory=list, max_length=20)
    members: list[str] = Field(default_factory=list, description="Membership numbers who move into it.")

    _check_code = field_validator("code")(_code)


class AddUnit(NewUnit):
    kind: Literal["add"]
    parent: str

    _check_parent = field_validator("parent")(_code)


class MergeUnits(_Strict):
    kind: Literal["merge"]
    into: str
    units: list[str] = Field(min_length=1, max_length=50)
    name: str = Field("", max_length=200, description="A new name for the merged unit (blank: unchanged).")

    @field_validator("into")
    @classmethod
    def _into(cls, value: str) -> str:
        return _code(value)

    @field_validator("units")
    @classmethod
    def _units(cls, value: list[str]) -> list[str]:
        codes = [_code(v) for v in value]
        if len(set(codes)) != len(codes):
            raise ValueError(_("a unit is named twice"))
        return codes


class SplitUnit(_Strict):
    kind: Literal["split"]
    unit: str
    new_units: list[NewUnit] = Field(min_length=1, max_length=20)

    _check_unit = field_validator("unit")(_code)


class MoveUnit(_Strict):
    kind: Literal["move"]
    unit: str
    to: str

    _check_codes = field_validator("unit", "to")(_code)


class DissolveUnit(_Strict):
    kind: Literal["dissolve"]
    unit: str
    members_to: str = Field("", description="The unit its members transfer to (needed while it has any).")
    reason: str = Field("", max_length=300)

    @field_validator("unit")
    @classmethod
    def _unit(cls, value: str) -> str:
        return _code(value)

    @field_validator("members_to")
    @classmethod
    def _members_to(cls, value: str) -> str:
        return _code(value) if value.strip() else ""


Proposal = Annotated[AddUnit | MergeUnits | SplitUnit | MoveUnit | DissolveUnit, Field(discriminator="kind")]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Proposal)


def proposal_parse(data: Any) -> AddUnit | MergeUnits | SplitUnit | MoveUnit | DissolveUnit:
    """The proposal ``data`` describes, or ``StructureError`` naming every problem with its place."""
    try:
        parsed = _ADAPTER.validate_python(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'proposal'}: {err['msg']}" for err in exc.errors()
        )
        raise StructureError(_("the proposal is not valid: %(problems)s") % {"problems": problems}) from exc
    new_units = parsed.new_units if isinstance(parsed, SplitUnit) else []
    numbers = [n for u in new_units for n in u.members]
    if len(set(numbers)) != len(numbers):
        raise StructureError(_("the proposal is not valid: a member is named for two new units"))
    codes = [u.code for u in new_units]
    if len(set(codes)) != len(codes):
        raise StructureError(_("the proposal is not valid: two new units have the same code"))
    return parsed  # type: ignore[no-any-return]


def proposal_units(proposal: Any) -> list[str]:
    """The codes of the existing units the proposal touches (its reach must cover each)."""
    if isinstance(proposal, AddUnit):
        return []
    if isinstance(proposal, MergeUnits):
        return [proposal.into, *proposal.units]
    if isinstance(proposal, DissolveUnit):
        return [proposal.unit, *([proposal.members_to] if proposal.members_to else [])]
    return [proposal.unit]


def proposal_councils(proposal: Any) -> list[str]:
    """The codes of the councils the proposal puts a unit under."""
    if isinstance(proposal, AddUnit):
        return [proposal.parent]
    if isinstance(proposal, MoveUnit):
        return [proposal.to]
    return []


def member_moves(proposal: Any, members_by_unit: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, str]]:
    """Each member who changes unit: number → (from unit code, to unit code).

    ``members_by_unit`` holds each current unit's members (by code). A member the proposal names who is not
    in the unit it takes them from is an error, never silently skipped.
    """
    where = {number: code for code, numbers in members_by_unit.items() for number in numbers}
    moves: dict[str, tuple[str, str]] = {}
    if isinstance(proposal, AddUnit):
        for number in proposal.members:
            if number not in where:
                raise StructureError(_("no current member numbered %(number)s") % {"number": number})
            moves[number] = (where[number], proposal.code)
    elif isinstance(proposal, MergeUnits):
        for code in proposal.units:
            for number in members_by_unit.get(code, ()):
                moves[number] = (code, proposal.into)
    elif isinstance(proposal, SplitUnit):
        own = set(members_by_unit.get(proposal.unit, ()))
        for new in proposal.new_units:
            for number in new.members:
                if number not in own:
                    raise StructureError(
                        _("member %(number)s is not a current member of %(unit)s")
                        % {"number": number, "unit": proposal.unit}
                    )
                moves[number] = (proposal.unit, new.code)
    elif isinstance(proposal, DissolveUnit):
        staying = list(members_by_unit.get(proposal.unit, ()))
        if staying and not proposal.members_to:
            raise StructureError(
                ngettext(
                    "%(unit)s has %(count)d member: name the unit they move to (members_to); nobody's membership "
                    "ends by a structural decision",
                    "%(unit)s has %(count)d members: name the unit they move to (members_to); nobody's membership "
                    "ends by a structural decision",
                    len(staying),
                )
                % {"unit": proposal.unit, "count": len(staying)}
            )
        for number in staying:
            moves[number] = (proposal.unit, proposal.members_to)
    return moves


def members_after(
    members_by_unit: Mapping[str, Sequence[str]], moves: Mapping[str, tuple[str, str]]
) -> dict[str, set[str]]:
    """Each unit's members once ``moves`` are made (new units included)."""
    after = {code: set(numbers) for code, numbers in members_by_unit.items()}
    for number, (source, target) in moves.items():
        after[source].discard(number)
        after.setdefault(target, set()).add(number)
    return after


def proposal_words(proposal: Any, names: Mapping[str, str]) -> str:
    """The proposal in a sentence, for the motion's text; ``names`` maps codes to bodies' names."""

    def name(code: str) -> str:
        return f"{names.get(code, code)} ({code})"

    if isinstance(proposal, AddUnit):
        moving = f", into which members {', '.join(proposal.members)} transfer" if proposal.members else ""
        offices = (
            f", with the office{'s' * (len(proposal.offices) > 1)} of "
            + ", ".join(o.title for o in proposal.offices)
            if proposal.offices
            else ""
        )
        kind = f" {proposal.unit_type}" if proposal.unit_type else ""
        return f"A new unit{kind}, {proposal.name} ({proposal.code}), is added under {name(proposal.parent)}{offices}{moving}."
    if isinstance(proposal, MergeUnits):
        renamed = f", renamed {proposal.name}" if proposal.name else ""
        return (
            f"{', '.join(name(c) for c in proposal.units)} merge into {name(proposal.into)}{renamed}: "
            "their members transfer to it and they cease."
        )
    if isinstance(proposal, SplitUnit):
        parts = "; ".join(
            f"{u.name} ({u.code}) with members {', '.join(u.members) or 'none yet'}"
            for u in proposal.new_units
        )
        return f"{name(proposal.unit)} is split: new units {parts}; its other members stay."
    if isinstance(proposal, MoveUnit):
        return f"{name(proposal.unit)}, with its members, moves under {name(proposal.to)}."
    moving = f"; its members transfer to {name(proposal.members_to)}" if proposal.members_to else ""
    reason = f" ({proposal.reason})" if proposal.reason else ""
    return f"{name(proposal.unit)} is dissolved{reason}{moving}."
