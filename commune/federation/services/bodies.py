"""Writes for the federation: creating bodies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.models import Body, BodyKind, Organisation, body_path
from commune.federation.services.organisation import FederationError


@transaction.atomic
def body_create(
    *,
    organisation: Organisation,
    kind: str,
    code: str,
    name: str,
    parent: Body | None = None,
    unit_type: str = "",
    seats_fixed: int | None = None,
    members_per_seat: int | None = None,
    decision: int | None = None,
    actor: Actor = SYSTEM,
) -> Body:
    """Create a unit or a council. A body's parent is always a council of the same organisation.

    At founding the description is the decision; after it, a unit is added by a structural decision
    (``decision``, checked by ``structural_decision_require`` and named in the log entry)."""
    if decision is not None:
        from commune.federation.services.restructuring import structural_decision_require

        structural_decision_require(organisation, decision)
    if parent is not None:
        if parent.organisation_id != organisation.pk:
            raise FederationError(_("a body's parent must belong to the same organisation"))
        if parent.kind != BodyKind.COUNCIL:
            raise FederationError(
                _("%(name)s is a unit; only councils have bodies below them") % {"name": parent.name}
            )
        if parent.dissolved_at is not None:
            raise FederationError(_("%(name)s was dissolved") % {"name": parent.name})
    elif organisation.bodies.filter(parent__isnull=True).exists():
        raise FederationError(_("the organisation already has a top council; new bodies need a parent"))
    if kind == BodyKind.COUNCIL and (seats_fixed is None) == (members_per_seat is None):
        raise FederationError(
            _("a council is sized by a fixed number of seats or by members per seat (one of them)")
        )
    if kind == BodyKind.UNIT and (seats_fixed is not None or members_per_seat is not None):
        raise FederationError(_("a unit is a general assembly of all its members; it has no seats"))
    code = code.strip().upper()
    if organisation.bodies.filter(code=code).exists():
        raise FederationError(_("the code %(code)s is already used in this organisation") % {"code": code})
    body = Body.objects.create(
        organisation=organisation,
        kind=kind,
        code=code,
        name=name,
        parent=parent,
        unit_type=unit_type,
        depth=(parent.depth + 1) if parent else 0,
        path="/",
        seats_fixed=seats_fixed,
        members_per_seat=members_per_seat,
    )
    body.path = body_path(parent.path if parent else None, body.pk)
    body.save(update_fields=["path"])
    log_entry_record(
        organisation=organisation,
        action="body.created",
        body_id=body.pk,
        actor=actor,
        summary=f"{body.get_kind_display()} {name} ({code}) created"
        + (f" under {parent.name}" if parent else "")
        + (f" (structural change #{decision})" if decision is not None else ""),
        payload={
            "code": code,
            "kind": kind,
            "parent": parent.code if parent else None,
            "seats_fixed": seats_fixed,
            "members_per_seat": members_per_seat,
            **({"decision": decision} if decision is not None else {}),
        },
    )
    return body


def bodies_create_tree(
    *, organisation: Organisation, specs: Iterable[dict[str, Any]], actor: Actor = SYSTEM
) -> list[Body]:
    """Create bodies from specs in order (each spec may name a ``parent`` code created earlier)."""
    created: dict[str, Body] = {}
    out = []
    for spec in specs:
        spec = dict(spec)
        parent_code = spec.pop("parent", None)
        parent = created.get(parent_code) if parent_code else None
        if parent_code and parent is None:
            parent = organisation.bodies.get(code=parent_code)
        body = body_create(organisation=organisation, parent=parent, actor=actor, **spec)
        created[body.code] = body
        out.append(body)
    return out
