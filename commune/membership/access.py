"""Permission-checked fetches for joining and moving. Missing and not the caller's raise the same ``NotFound``."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from commune.federation.models import Member, Organisation
from commune.membership.errors import NotFound
from commune.membership.models import Application, Transfer
from commune.membership.selectors import roll_units_of


def access_organisation_public(slug: str) -> Organisation:
    """Any organisation, by its slug: anyone may apply to join one."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise NotFound(_("no such organisation"))
    return organisation


def access_application_to_decide(
    member: Member, organisation: Organisation, application_id: int
) -> Application:
    """An application to a unit of the organisation whose roll the member keeps."""
    application = (
        Application.objects.select_related("unit", "organisation")
        .filter(pk=application_id, organisation=organisation, unit_id__in=roll_units_of(member=member))
        .first()
    )
    if application is None:
        raise NotFound(_("no such application"))
    return application


def access_transfer(member: Member, organisation: Organisation, transfer_id: int) -> Transfer:
    """A request to move that is the member's own, or that is into a unit whose roll they keep."""
    transfer = (
        Transfer.objects.select_related("organisation", "member__person", "from_unit", "to_unit")
        .filter(pk=transfer_id, organisation=organisation)
        .filter(Q(member=member) | Q(to_unit_id__in=roll_units_of(member=member)))
        .first()
    )
    if transfer is None:
        raise NotFound(_("no such request to move"))
    return transfer
