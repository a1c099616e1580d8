"""Permission-checked fetches for mandates and compliance records. Every current member of an
organisation may read them: delegates answer to their constituents in the open."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.access import NotFound
from commune.federation.models import Member, Organisation
from commune.mandates.models import Mandate


def access_mandate(user: User, organisation: Organisation, mandate_id: int) -> Mandate:
    mandate = (
        Mandate.objects.select_related("constituency", "council", "motion", "vote", "proposed_by__person")
        .filter(pk=mandate_id, organisation=organisation)
        .first()
    )
    if mandate is None:
        raise NotFound(_("no such mandate"))
    return mandate


def access_delegate(user: User, organisation: Organisation, number: str) -> Member:
    """A member of the organisation, by membership number, whose votes as a delegate anyone may read."""
    member = Member.objects.select_related("person").filter(organisation=organisation, number=number).first()
    if member is None:
        raise NotFound(_("no such member"))
    return member
