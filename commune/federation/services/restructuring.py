"""Writes for the federation: changing its shape after founding — moving a unit to another council,
dissolving a unit, ending the seats a constituency holds on a council it no longer sends delegates to.

Nothing here happens without a decision. Structural decisions belong to the structure app (a council's
adopted motion, or the referendum the constitution requires), which the federation does not import: it
registers its check of a decision's standing here when Django starts (``structural_decision_check_register``);
with none installed, nothing structural happens. Every write names the decision in its log entry, and a
dissolved body keeps the decision's id in ``Body.dissolved_by`` (the database refuses a dissolution without
one).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, BodyKind, Delegation, Member, OfficeTerm, Organisation, body_path
from commune.federation.services.membership import _power_end, member_counts_refresh
from commune.federation.services.organisation import FederationError

#: ``check(organisation_id, decision_id)`` returns why the decision does not stand, or None when it does.
StructuralDecisionCheck = Callable[[int, int], "str | None"]

_decision_checks: list[StructuralDecisionCheck] = []


def structural_decision_check_register(check: StructuralDecisionCheck) -> None:
    """Install the check of a structural decision's standing (the structure app's ``AppConfig.ready``).
    Idempotent: Django may call ``ready`` more than once in tests."""
    if check not in _decision_checks:
        _decision_checks.append(check)


def structural_decision_require(organisation: Organisation | int, decision: int | None) -> None:
    """Refuse unless ``decision`` is a structural decision in force for the organisation, by every
    installed check; with none installed, or no decision named, nothing structural happens."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    if decision is None:
        raise FederationError(
            _("a structural change needs the decision that made it: a council's adopted motion")
        )
    if not _decision_checks:
        raise FederationError(
            _("no structural decision can be checked here, so nothing structural is changed")
        )
    for check in _decision_checks:
        refusal = check(organisation_id, decision)
        if refusal:
            raise FederationError(refusal)


def _live_unit(unit: Body) -> Body:
    unit = Body.objects.select_for_update().select_related("organisation").get(pk=unit.pk)
    if unit.kind != BodyKind.UNIT:
        raise FederationError(
            _("%(name)s is a council; only units are moved or dissolved") % {"name": unit.name}
        )
    if unit.dissolved_at is not None:
        raise FederationError(_("%(name)s (%(code)s) was dissolved") % {"name": unit.name, "code": unit.code})
    return unit


@transaction.atomic
def unit_move(*, unit: Body, to_council: Body, decision: int, actor: Actor = SYSTEM) -> Body:
    """Move a unit, with its members, under another council: it sends its delegates there from now on.

    The seats it held on the council it leaves end (``constituency_seats_end``), and its members' seats
    and offices in the councils above the old one that are not above the new one end too, as they would
    on a transfer: a delegate represents the constituency they belong to. Members' counts follow.
    """
    unit = _live_unit(unit)
    structural_decision_require(unit.organisation, decision)
    to_council = Body.objects.get(pk=to_council.pk)
    if to_council.organisation_id != unit.organisation_id or to_council.kind != BodyKind.COUNCIL:
        raise FederationError(_("a unit moves only under a council of the same organisation"))
    if to_council.dissolved_at is not None:
        raise FederationError(_("%(name)s was dissolved") % {"name": to_council.name})
    if to_council.pk == unit.parent_id:
        raise FederationError(
            _("%(name)s is already under %(council)s") % {"name": unit.name, "council": to_council.name}
        )
    assert unit.parent_id is not None  # a unit is always under a council
    old_council = Body.objects.get(pk=unit.parent_id)
    left = set(unit.ancestor_ids) - {*to_council.ancestor_ids, to_council.pk}
    now = timezone.now()
    constituency_seats_end(
        council=old_council,
        constituency=unit,
        end_reason=f"{unit.name} moved to {to_council.name}",
        decision=decision,
        actor=actor,
        at=now,
    )
    member_ids = list(Member.objects.filter(current_unit=unit).values_list("pk", flat=True))
    seats = Delegation.objects.filter(
        member_id__in=member_ids, ended_at__isnull=True, constituency_id__in=left
    )
    offices = OfficeTerm.objects.filter(
        member_id__in=member_ids, ended_at__isnull=True, office__body_id__in=left
    )
    _power_end(
        unit.organisation,
        seats,
        offices,
        end_reason=f"{unit.name} moved out of the body",
        actor=actor,
        at=now,
    )
    unit.parent, unit.depth = to_council, to_council.depth + 1
    unit.path = body_path(to_council.path, unit.pk)
    unit.save(update_fields=["parent", "depth", "path"])
    member_counts_refresh(organisation=unit.organisation)
    log_entry_record(
        organisation=unit.organisation,
        action="body.moved",
        body_id=unit.pk,
        actor=actor,
        summary=f"{unit.name} ({unit.code}) moved from {old_council.name} to {to_council.name} "
        f"(structural change #{decision})",
        payload={
            "unit": unit.code,
            "from": old_council.code,
            "to": to_council.code,
            "members": len(member_ids),
            "decision": decision,
        },
    )
    return unit


@transaction.atomic
def constituency_seats_end(
    *,
    council: Body,
    constituency: Body,
    end_reason: str,
    decision: int,
    actor: Actor = SYSTEM,
    at: datetime | None = None,
) -> list[Delegation]:
    """End every seat ``constituency`` holds on ``council``, each recorded in the log: it no longer sends
    delegates there (it moved, or ceased)."""
    structural_decision_require(council.organisation_id, decision)
    seats = Delegation.objects.filter(council=council, constituency=constituency, ended_at__isnull=True)
    ended, _ = _power_end(
        council.organisation,
        seats,
        OfficeTerm.objects.none(),
        end_reason=end_reason,
        actor=actor,
        at=at or timezone.now(),
    )
    return ended


@transaction.atomic
def unit_dissolve(*, unit: Body, decision: int, reason: str, actor: Actor = SYSTEM) -> Body:
    """Dissolve a unit that has no current members left (they were transferred first: nobody's
    membership ends by a structural decision). Its seats on its council and its offices end; its history
    stays; it is no longer a constituency and nobody joins it."""
    unit = _live_unit(unit)
    structural_decision_require(unit.organisation, decision)
    if Member.objects.filter(current_unit=unit).exists():
        raise FederationError(
            _("%(name)s still has members: they move to another unit before it is dissolved")
            % {"name": unit.name}
        )
    now = timezone.now()
    assert unit.parent_id is not None  # a unit is always under a council
    _power_end(
        unit.organisation,
        Delegation.objects.filter(constituency=unit, ended_at__isnull=True),
        OfficeTerm.objects.filter(office__body=unit, ended_at__isnull=True),
        end_reason=reason,
        actor=actor,
        at=now,
    )
    unit.dissolved_at, unit.dissolved_by = now, decision
    unit.save(update_fields=["dissolved_at", "dissolved_by"])
    log_entry_record(
        organisation=unit.organisation,
        action="body.dissolved",
        body_id=unit.pk,
        actor=actor,
        summary=f"{unit.name} ({unit.code}) dissolved: {reason} (structural change #{decision})",
        payload={"unit": unit.code, "reason": reason, "decision": decision},
    )
    return unit
