"""Writes for the members' directory: a member sets their own contact details and who may see them (the
rules of who sees what are in ``commune.membership.selectors.directory_for``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from commune.federation.models import Member
from commune.membership.errors import ContactInvalid
from commune.membership.models import ContactDetails, ContactVisibility

PHONE_MAX = 40


@transaction.atomic
def contact_details_set(*, member: Member, phone: str, email: str, visible_to: str) -> ContactDetails:
    """Set the member's own contact details and who may see them. Blank both to be listed nowhere."""
    phone, email = phone.strip(), email.strip().lower()
    if visible_to not in ContactVisibility.values:
        raise ContactInvalid(f"choose who may see your details: one of {', '.join(ContactVisibility.values)}")
    if len(phone) > PHONE_MAX or any(c not in "0123456789+-() ." for c in phone):
        raise ContactInvalid(f"a phone number is digits, spaces and + - ( ) only, at most {PHONE_MAX}")
    if email and ("@" not in email or len(email) > 254):
        raise ContactInvalid("give an email address you can read, or none")
    details, _ = ContactDetails.objects.update_or_create(
        member=member,
        defaults={"phone": phone, "email": email, "visible_to": visible_to, "updated_at": timezone.now()},
    )
    return details
