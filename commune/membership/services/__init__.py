"""Writes for joining, moving and leaving (see each module)."""

from commune.membership.selectors import APPEAL_DAYS
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
from commune.membership.services.assembly import (
    APPEAL_VOTE_DAYS,
    GROUNDS_MAX,
    ApplicationsRunReport,
    application_appeal,
    application_put_to_assembly,
    application_settle,
    applications_run_due,
    assembly_vote,
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
    "APPEAL_DAYS",
    "APPEAL_VOTE_DAYS",
    "AUTOMATIC",
    "GROUNDS_MAX",
    "LINK_DAYS",
    "NAME_MAX",
    "REASON_MAX",
    "RECEIVED",
    "RESIGNED",
    "STATEMENT_MAX",
    "WAGE_BAND_MAX",
    "ApplicationsRunReport",
    "application_admit",
    "application_appeal",
    "application_confirm",
    "application_put_to_assembly",
    "application_refuse",
    "application_settle",
    "application_submit",
    "applications_run_due",
    "assembly_vote",
    "contact_details_set",
    "member_resign",
    "transfer_admit",
    "transfer_refuse",
    "transfer_request",
    "transfer_withdraw",
]
