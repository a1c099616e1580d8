"""Permission-checked fetches for dues. Missing and not the caller's raise the same ``NotFound``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commune.dues.errors import NotFound
from commune.dues.models import DuesPayment
from commune.federation.access import member_manages_roll
from commune.federation.models import Body, BodyKind, Member, Organisation


def access_dues_unit(member: Member, organisation: Organisation, code: str) -> Body:
    """A unit of the organisation whose roll ``member`` keeps: its officers record its members' dues."""
    unit = (
        Body.objects.filter(organisation=organisation, kind=BodyKind.UNIT, code=code.strip().upper())
        .select_related("organisation")
        .first()
    )
    if unit is None or not member_manages_roll(member=member, unit=unit):
        raise NotFound(_("no such unit"))
    return unit


def access_unit_member(unit: Body, number: str) -> Member:
    """A current member of ``unit`` by their membership number."""
    member = (
        Member.objects.filter(current_unit=unit, number=number.strip())
        .select_related("person", "current_unit")
        .first()
    )
    if member is None:
        raise NotFound(_("no member %(number)s in %(unit)s") % {"number": number.strip(), "unit": unit.name})
    return member


def access_member_payment(member: Member, payment_id: int) -> DuesPayment:
    """One of ``member``'s payments, by its id."""
    payment = DuesPayment.objects.filter(member=member, pk=payment_id).first()
    if payment is None:
        raise NotFound(
            _("member %(number)s has no payment %(id)s") % {"number": member.number, "id": payment_id}
        )
    return payment
