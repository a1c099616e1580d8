"""Writes for the members' directory: a member sets their own contact details and who may see them (the
rules of who sees what are in ``commune.membership.selectors.directory_for``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.federation.models import Member
from commune.membership.errors import ContactInvalid
from commune.membership.models import ContactDetails, ContactVisibility

PHONE_MAX = 40


@transaction.atomic
def contact_details_set(*, member: Member, phone: str, email: str, visible_to: str) -> ContactDetails:
    """Set the member's own contact details and who may see them. Blank both to be listed nowhere."""
    phone, email = phone.strip(), email.strip().lower()
    if visible_to not in ContactVisibility.values:
        raise ContactInvalid(
            _("choose who may see your details: one of %(choices)s")
            % {"choices": ", ".join(ContactVisibility.values)}
        )
    if len(phone) > PHONE_MAX or any(c not in "0123456789+-() ." for c in phone):
        raise ContactInvalid(
            _("a phone number is digits, spaces and + - ( ) only, at most %(max)s") % {"max": PHONE_MAX}
        )
    if email and ("@" not in email or len(email) > 254):
        raise ContactInvalid(_("give an email address you can read, or none"))
    details, _created = ContactDetails.objects.update_or_create(
        member=member,
        defaults={"phone": phone, "email": email, "visible_to": visible_to, "updated_at": timezone.now()},
    )
    return details
