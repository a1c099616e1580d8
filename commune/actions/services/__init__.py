"""Writes for collective action. A package because the whole is long; each module owns one part:
``calls`` (calls, endorsements, participation), ``events`` (events, shifts, attendance, reminders),
``strike_pay`` (claims, approvals, payments) and ``feeds`` (a person's calendar address)."""

from commune.actions.services.calls import (
    CALL_ACTION_POWER,
    action_call,
    endorsement_propose,
    endorsement_settle,
    federation_wide_body,
    participation_report,
    unit_officer,
    within,
)
from commune.actions.services.employer_notice import AGREED_NOTICE_DAYS, NOTICE_DAYS, NoticeTerms
from commune.actions.services.events import (
    REMINDER_BEFORE,
    ActionsRunReport,
    ShiftPlan,
    actions_run_due,
    attendance_record,
    event_cancel,
    event_create,
    may_organise,
    may_run,
    member_within,
    shift_sign_up,
    shift_withdraw,
)
from commune.actions.services.feeds import calendar_feed_reset, feed_token_digest
from commune.actions.services.strike_pay import strike_pay_claim, strike_pay_decide, strike_pay_pay

__all__ = [
    "AGREED_NOTICE_DAYS",
    "CALL_ACTION_POWER",
    "NOTICE_DAYS",
    "REMINDER_BEFORE",
    "ActionsRunReport",
    "NoticeTerms",
    "ShiftPlan",
    "action_call",
    "actions_run_due",
    "attendance_record",
    "calendar_feed_reset",
    "endorsement_propose",
    "endorsement_settle",
    "event_cancel",
    "event_create",
    "federation_wide_body",
    "feed_token_digest",
    "may_organise",
    "may_run",
    "member_within",
    "participation_report",
    "shift_sign_up",
    "shift_withdraw",
    "strike_pay_claim",
    "strike_pay_decide",
    "strike_pay_pay",
    "unit_officer",
    "within",
]
