"""What the dues services share: who may record a member's dues, and how amounts and months are read."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils import formats
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from commune.audit.services import Actor
from commune.dues.errors import DuesInvalid, NotYourUnit
from commune.federation.access import member_manages_roll
from commune.federation.models import Body, Member

#: A date or an amount as the reader's language writes them, decided when the text is read: a notification
#: is composed once and read by each member in their own language.
date_words = lazy(formats.date_format, str)
amount_words = lazy(formats.number_format, str)

#: The largest single payment: a year's dues many times over, and far short of any typing slip's size.
AMOUNT_MAX = Decimal(100000)
REASON_MAX = 1000
REFERENCE_MAX = 80


def officer_check(*, officer: Member, unit: Body) -> None:
    """``officer`` keeps ``unit``'s roll (an office of the unit that manages it): only they record the
    unit's members' dues, exemptions and arrears."""
    if officer.organisation_id != unit.organisation_id or not member_manages_roll(member=officer, unit=unit):
        raise NotYourUnit(
            _("only an officer of %(unit)s who keeps its roll records the dues of its members")
            % {"unit": unit.name}
        )


def member_of_unit(*, member: Member, unit: Body) -> None:
    if member.current_unit_id != unit.pk:
        raise NotYourUnit(
            _(
                "member %(number)s is not a member of %(unit)s: an officer of their own unit records their dues"
            )
            % {"number": member.number, "unit": unit.name}
        )


def officer_actor(officer: Member, unit: Body) -> Actor:
    return Actor.of(officer.person, role=f"member {officer.number}, roll officer of {unit.name}")


def amount_read(value: str | Decimal) -> Decimal:
    """A payment's amount: more than 0, at most two decimals, no currency sign or thousands separator
    needed (both are dropped)."""
    given = str(value).strip()
    text = given.replace(",", "").lstrip("£€$")
    if not given:
        raise DuesInvalid(_("the amount is missing: give one such as 12.50"))
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise DuesInvalid(_("%(value)s is not an amount such as 12.50") % {"value": repr(given)}) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise DuesInvalid(_("%(value)s is not an amount with at most two decimals") % {"value": value})
    if amount <= 0:
        raise DuesInvalid(_("a payment is more than 0 (found %(amount)s)") % {"amount": amount})
    if amount > AMOUNT_MAX:
        raise DuesInvalid(
            _("%(amount)s is more than any single payment of dues (%(max)s)")
            % {"amount": amount, "max": AMOUNT_MAX}
        )
    return amount.quantize(Decimal("0.01"))


def paid_on_check(paid_on: date, today: date) -> None:
    if paid_on > today:
        raise DuesInvalid(
            _("a payment cannot be dated in the future (%(date)s)") % {"date": paid_on.isoformat()}
        )


def reason_read(reason: str, missing: str) -> str:
    """``reason`` stripped, or ``missing`` (the whole refusal, translated) raised when none is given."""
    reason = reason.strip()
    if not reason:
        raise DuesInvalid(missing)
    if len(reason) > REASON_MAX:
        raise DuesInvalid(_("the reason may be at most %(max)s characters") % {"max": REASON_MAX})
    return reason


def dues_link(member: Member) -> str:
    from commune.federation.models import Organisation

    slug = Organisation.objects.filter(pk=member.organisation_id).values_list("slug", flat=True).get()
    return reverse("dues:mine", kwargs={"slug": slug})
