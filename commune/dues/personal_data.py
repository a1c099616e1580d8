"""The dues section of a person's data export (``commune.accounts.personal_data``): in every organisation
they belong to, their payments, the corrections and refunds of them, the changes of their wage band, their
exemptions, the arrears brought forward from the books kept before, the notices of lapsing they were given,
and their standing today. Seven queries for the records however many they have, and the standing's nine in
each organisation they belong to (however many payments)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from commune.accounts.models import User
from commune.accounts.personal_data import moment
from commune.dues.models import (
    ArrearsBroughtForward,
    DuesAdjustment,
    DuesExemption,
    DuesPayment,
    LapseNotice,
    WageBandChange,
)
from commune.dues.reckoning import Standing
from commune.dues.selectors import standings_of
from commune.federation.models import Member


def _money(value: Decimal | None) -> str | None:
    # A string keeps the pence exact: a JSON number would be read back as a float.
    return None if value is None else f"{value:.2f}"


def _standing(standing: Standing | None) -> dict[str, Any] | None:
    if standing is None:
        return None
    return {
        "good": standing.good,
        "owed": _money(standing.owed),
        "paid": _money(standing.paid),
        "exempted": _money(standing.exempted),
        "arrears": _money(standing.arrears),
        "credit": _money(standing.credit),
        "months_in_arrears": standing.months_in_arrears,
        "months_allowed": standing.allowed_months,
        "this_month": moment(standing.current_month),
        "this_months_dues": _money(standing.current_amount),
    }


def dues_personal_data(person: User) -> list[dict[str, Any]]:
    members = list(Member.objects.filter(person=person).select_related("organisation").order_by("pk"))
    ids = [m.pk for m in members]
    own: dict[int, dict[str, Any]] = {
        m.pk: {
            "organisation": m.organisation.slug,
            "number": m.number,
            "standing": None,
            "payments": [],
            "corrections_and_refunds": [],
            "wage_band_changes": [],
            "exemptions": [],
            "arrears_brought_forward": None,
            "lapse_notices": [],
        }
        for m in members
    }
    for p in DuesPayment.objects.filter(member_id__in=ids).order_by("paid_on", "id"):
        own[p.member_id]["payments"].append(
            {
                "amount": _money(p.amount),
                "paid_on": moment(p.paid_on),
                "reference": p.reference,
                "source": p.source,
                "recorded_at": moment(p.recorded_at),
            }
        )
    for a in DuesAdjustment.objects.filter(member_id__in=ids).order_by("recorded_at", "id"):
        own[a.member_id]["corrections_and_refunds"].append(
            {
                "kind": a.kind,
                "payment": a.payment_id,
                "corrected_amount": _money(a.corrected_amount),
                "change": _money(a.change),
                "made_on": moment(a.made_on),
                "reason": a.reason,
                "recorded_at": moment(a.recorded_at),
            }
        )
    for c in WageBandChange.objects.filter(member_id__in=ids).order_by("from_month", "id"):
        own[c.member_id]["wage_band_changes"].append(
            {
                "band_before": c.band_before,
                "band": c.band,
                "from_month": moment(c.from_month),
                "reason": c.reason,
                "recorded_at": moment(c.recorded_at),
            }
        )
    for e in (
        DuesExemption.objects.filter(member_id__in=ids).select_related("unit").order_by("first_month", "id")
    ):
        own[e.member_id]["exemptions"].append(
            {
                "unit": e.unit.code,
                "first_month": moment(e.first_month),
                "last_month": moment(e.last_month),
                "reason": e.reason,
                "recorded_at": moment(e.recorded_at),
            }
        )
    for b in ArrearsBroughtForward.objects.filter(member_id__in=ids):
        own[b.member_id]["arrears_brought_forward"] = {
            "months": b.months,
            "reason": b.reason,
            "recorded_at": moment(b.recorded_at),
        }
    for n in LapseNotice.objects.filter(member_id__in=ids).order_by("sent_at", "id"):
        own[n.member_id]["lapse_notices"].append(
            {
                "sent_at": moment(n.sent_at),
                "lapse_due_at": moment(n.lapse_due_at),
                "months_in_arrears": n.months_in_arrears,
                "arrears": _money(n.arrears),
                "status": n.status,
                "settled_at": moment(n.settled_at),
            }
        )
    # Standing is reckoned from the constitution's rates, never stored: reckoned here as the dues page does.
    for organisation_id in sorted({m.organisation_id for m in members}):
        mine = [m.pk for m in members if m.organisation_id == organisation_id]
        for member_id, standing in standings_of(organisation_id=organisation_id, member_ids=mine).items():
            own[member_id]["standing"] = _standing(standing)
    return [own[m.pk] for m in members]
