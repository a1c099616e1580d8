"""The membership section of a person's data export (``commune.accounts.personal_data``): in every
organisation, their membership number and wage band, every period in a unit, every council seat and office
held (current and past), their contact details, their applications to join and their requests to move. Eight queries, however many
organisations, periods, seats and requests."""

from __future__ import annotations

from typing import Any

from commune.accounts.models import User
from commune.accounts.personal_data import moment
from commune.federation.models import Delegation, Member, Membership, OfficeTerm
from commune.membership.models import Application, ContactDetails, Transfer


def membership_personal_data(person: User) -> dict[str, list[dict[str, Any]]]:
    members = list(
        Member.objects.filter(person=person).select_related("organisation", "current_unit").order_by("pk")
    )
    ids = [m.pk for m in members]
    periods = Membership.objects.filter(member_id__in=ids).select_related("unit").order_by("started_at", "id")
    seats = (
        Delegation.objects.filter(member_id__in=ids)
        .select_related("council", "constituency")
        .order_by("term_start", "id")
    )
    offices = (
        OfficeTerm.objects.filter(member_id__in=ids)
        .select_related("office__body")
        .order_by("term_start", "id")
    )
    transfers = (
        Transfer.objects.filter(member_id__in=ids)
        .select_related("from_unit", "to_unit")
        .order_by("requested_at", "id")
    )
    contacts = ContactDetails.objects.filter(member_id__in=ids)
    applications = (
        Application.objects.filter(email=person.email.lower())
        .select_related("organisation", "unit")
        .order_by("created_at", "id")
    )
    own: dict[int, dict[str, Any]] = {
        m.pk: {
            "organisation": m.organisation.slug,
            "organisation_name": m.organisation.name,
            "number": m.number,
            "wage_band": m.wage_band,
            "current_unit": m.current_unit.code if m.current_unit else None,
            "periods": [],
            "seats": [],
            "offices": [],
            "transfers": [],
            "contact": None,
        }
        for m in members
    }
    for c in contacts:
        own[c.member_id]["contact"] = {"phone": c.phone, "email": c.email, "visible_to": c.visible_to}
    for p in periods:
        own[p.member_id]["periods"].append(
            {
                "unit": p.unit.code,
                "unit_name": p.unit.name,
                "started_at": moment(p.started_at),
                "ended_at": moment(p.ended_at),
                "end_reason": p.end_reason,
            }
        )
    for s in seats:
        own[s.member_id]["seats"].append(
            {
                "council": s.council.code,
                "constituency": s.constituency.code,
                "term_start": moment(s.term_start),
                "term_end": moment(s.term_end),
                "source": s.source,
                "ended_at": moment(s.ended_at),
                "end_reason": s.end_reason,
            }
        )
    for t in offices:
        own[t.member_id]["offices"].append(
            {
                "office": t.office.title,
                "body": t.office.body.code,
                "term_start": moment(t.term_start),
                "term_end": moment(t.term_end),
                "source": t.source,
                "ended_at": moment(t.ended_at),
                "end_reason": t.end_reason,
            }
        )
    for r in transfers:
        own[r.member_id]["transfers"].append(
            {
                "from": r.from_unit.code,
                "to": r.to_unit.code,
                "statement": r.statement,
                "status": r.status,
                "requested_at": moment(r.requested_at),
                "decided_at": moment(r.decided_at),
                "reason": r.reason,
            }
        )
    return {
        "memberships": list(own.values()),
        "applications": [
            {
                "organisation": a.organisation.slug,
                "unit": a.unit.code,
                "name": a.name,
                "email": a.email,
                "wage_band": a.wage_band,
                "statement": a.statement,
                "status": a.status,
                "created_at": moment(a.created_at),
                "confirmed_at": moment(a.confirmed_at),
                "decided_at": moment(a.decided_at),
                "reason": a.reason,
                "appealed_at": moment(a.appealed_at),
                "appeal": a.appeal,
                "motion": a.motion_id,
            }
            for a in applications
        ],
    }
