"""What the dues services share: who may record a member's dues, and how amounts and months are read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.urls import reverse

from commune.audit.services import Actor
from commune.dues.errors import DuesInvalid, NotYourUnit
from commune.federation.access import member_manages_roll
from commune.federation.models import Body, Member

#: The largest single payment: a year's dues many times over, and far short of any typing slip's size.
AMOUNT_MAX = Decimal(100000)
REASON_MAX = 1000
REFERENCE_MAX = 80


def officer_check(*, officer: Member, unit: Body) -> None:
    """``officer`` keeps ``unit``'s roll (an office of the unit that manages it): only they record the
    unit's members' dues, exemptions and arrears."""
    if officer.organisation_id != unit.organisation_id or not member_manages_roll(member=officer, unit=unit):
        raise NotYourUnit(
            f"only an officer of {unit.name} who keeps its roll records the dues of its members"
        )


def member_of_unit(*, member: Member, unit: Body) -> None:
    if member.current_unit_id != unit.pk:
        raise NotYourUnit(
            f"member {member.number} is not a member of {unit.name}: an officer of their own unit records "
            "their dues"
        )


def officer_actor(officer: Member, unit: Body) -> Actor:
    return Actor.of(officer.person, role=f"member {officer.number}, roll officer of {unit.name}")


def amount_read(value: str | Decimal) -> Decimal:
    """A payment's amount: more than 0, at most two decimals, no currency sign or thousands separator
    needed (both are dropped)."""
    text = str(value).strip().replace(",", "").lstrip("£€$")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise DuesInvalid(f"{str(value).strip() or 'nothing'!r} is not an amount such as 12.50") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise DuesInvalid(f"{value} is not an amount with at most two decimals")
    if amount <= 0:
        raise DuesInvalid(f"a payment is more than 0 (found {amount})")
    if amount > AMOUNT_MAX:
        raise DuesInvalid(f"{amount} is more than any single payment of dues ({AMOUNT_MAX})")
    return amount.quantize(Decimal("0.01"))


def paid_on_check(paid_on: date, today: date) -> None:
    if paid_on > today:
        raise DuesInvalid(f"a payment cannot be dated in the future ({paid_on:%Y-%m-%d})")


def reason_read(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DuesInvalid(f"give the reason for {what}: it is shown to the member and kept on the log")
    if len(reason) > REASON_MAX:
        raise DuesInvalid(f"the reason may be at most {REASON_MAX} characters")
    return reason


def dues_link(member: Member) -> str:
    from commune.federation.models import Organisation

    slug = Organisation.objects.filter(pk=member.organisation_id).values_list("slug", flat=True).get()
    return reverse("dues:mine", kwargs={"slug": slug})
