"""The collective-action section of a person's data export (``commune.accounts.personal_data``): the
shifts they signed up for and whether they came, the days their unit's officers reported them taking part
in a call, their strike-pay claims and how each was decided, and whether they have a calendar address.
Never the calendar token: only its digest is kept, and the export does not carry even that. Four queries,
however many shifts, days and claims."""

from __future__ import annotations

from typing import Any

from commune.accounts.models import User
from commune.accounts.personal_data import moment
from commune.actions.models import CalendarFeed, Participation, SignUp, StrikePayClaim


def actions_personal_data(person: User) -> dict[str, Any]:
    signups = (
        SignUp.objects.filter(member__person=person)
        .select_related("shift__event__body", "member__organisation")
        .order_by("shift__starts_at", "id")
    )
    days = (
        Participation.objects.filter(member__person=person)
        .select_related("call__organisation", "unit")
        .order_by("day", "id")
    )
    claims = (
        StrikePayClaim.objects.filter(member__person=person)
        .select_related("call__organisation", "unit")
        .order_by("claimed_at", "id")
    )
    feed = CalendarFeed.objects.filter(person=person).values_list("created_at", flat=True).first()
    return {
        "shift_signups": [
            {
                "organisation": s.member.organisation.slug,
                "event": s.shift.event.title,
                "event_kind": s.shift.event.kind,
                "body": s.shift.event.body.code,
                "place": s.shift.event.place,
                "shift": s.shift.label,
                "starts_at": moment(s.shift.starts_at),
                "ends_at": moment(s.shift.ends_at),
                "event_cancelled_at": moment(s.shift.event.cancelled_at),
                "signed_at": moment(s.signed_at),
                "attended": s.attended,
                "reminded_at": moment(s.reminded_at),
            }
            for s in signups
        ],
        "participation": [
            {
                "organisation": p.call.organisation.slug,
                "call": p.call.title,
                "unit": p.unit.code,
                "day": moment(p.day),
                "reported_at": moment(p.reported_at),
            }
            for p in days
        ],
        "strike_pay_claims": [
            {
                "organisation": c.call.organisation.slug,
                "call": c.call.title,
                "unit": c.unit.code,
                "days": list(c.days),
                "claimed_at": moment(c.claimed_at),
                "status": c.status,
                # A string keeps the pence exact: a JSON number would be read back as a float.
                "amount": None if c.amount is None else f"{c.amount:.2f}",
                "refusal_reason": c.refusal_reason,
                "paid_at": moment(c.paid_at),
                "payment_reference": c.payment_reference,
            }
            for c in claims
        ],
        "calendar_feed": {"exists": feed is not None, "created_at": moment(feed)},
    }
