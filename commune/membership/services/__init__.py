"""Writes for joining, moving and leaving (see each module)."""

from commune.membership.services.applications import (
    AUTOMATIC,
    LINK_DAYS,
    NAME_MAX,
    REASON_MAX,
    RECEIVED,
    STATEMENT_MAX,
    WAGE_BAND_MAX,
    application_admit,
    application_confirm,
    application_refuse,
    application_submit,
)
from commune.membership.services.directory import contact_details_set
from commune.membership.services.transfers import (
    RESIGNED,
    member_resign,
    transfer_admit,
    transfer_refuse,
    transfer_request,
    transfer_withdraw,
)

__all__ = [
    "AUTOMATIC",
    "LINK_DAYS",
    "NAME_MAX",
    "REASON_MAX",
    "RECEIVED",
    "RESIGNED",
    "STATEMENT_MAX",
    "WAGE_BAND_MAX",
    "application_admit",
    "application_confirm",
    "application_refuse",
    "application_submit",
    "contact_details_set",
    "member_resign",
    "transfer_admit",
    "transfer_refuse",
    "transfer_request",
    "transfer_withdraw",
]
