"""Endpoints: the employer's notice of industrial action (TULRCA s.234A), given with a call of industrial
action on a statutory ballot, to read and as a PDF."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from commune.actions.access import access_call
from commune.actions.api.common import caller, router
from commune.actions.models import ActionNotice
from commune.actions.selectors import action_notice_pdf, action_notice_text
from commune.federation.access import NotFound
from commune.web.downloads import download


class ActionNoticeOut(Schema):
    id: int
    call: int
    statutory_ballot: int
    employer: str
    continuous: bool
    starts_on: date
    ends_on: date
    days: list[date] = Field(description="A discontinuous action's days; empty when continuous.")
    notice_days: int = Field(description="14, or 10 where the employer agreed to it.")
    employer_agreed: bool
    figures: dict[str, Any] = Field(
        description="The employees concerned: total, by category (wage band) and workplace (unit), and the day."
    )
    explanation: str
    issued_by: str
    issued_at: datetime
    text: str


def _notice(request: HttpRequest, slug: str, call_id: int) -> ActionNotice:
    user, org, _member = caller(request, slug)
    found = (
        ActionNotice.objects.select_related("call__organisation", "call__authority", "issued_by")
        .filter(call=access_call(user, org, call_id))
        .first()
    )
    if found is None:
        raise NotFound(_("this call has no notice of industrial action: it is not on a statutory ballot"))
    return found


@router.get(
    "/orgs/{slug}/action-calls/{call_id}/employer-notice",
    response=ActionNoticeOut,
    summary="The employer's notice of industrial action called on a statutory ballot (s.234A)",
    operation_id="commune_actions_api_employer_notice",
)
def employer_notice(request: HttpRequest, slug: str, call_id: int) -> dict[str, Any]:
    n = _notice(request, slug, call_id)
    return {
        "id": n.pk,
        "call": n.call_id,
        "statutory_ballot": n.statutory_ballot_id,
        "employer": n.employer,
        "continuous": n.continuous,
        "starts_on": n.call.starts_on,
        "ends_on": n.call.ends_on,
        "days": n.days,
        "notice_days": n.notice_days,
        "employer_agreed": n.employer_agreed,
        "figures": n.figures,
        "explanation": n.explanation,
        "issued_by": n.issued_by.number,
        "issued_at": n.issued_at,
        "text": action_notice_text(n),
    }


@router.get(
    "/orgs/{slug}/action-calls/{call_id}/employer-notice.pdf",
    response={200: None},
    summary="The employer's notice of industrial action as a PDF",
    operation_id="commune_actions_api_employer_notice_pdf",
)
def employer_notice_pdf(request: HttpRequest, slug: str, call_id: int) -> HttpResponse:
    n = _notice(request, slug, call_id)
    return download(action_notice_pdf(n), filename=f"action-notice-{slug}-call-{call_id}.pdf")
