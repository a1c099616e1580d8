"""Endpoints: the employer's notice of a statutory ballot (TULRCA s.226A), given by the council's delegates
before a ballot that waits for it, and the ballot's opening once the notice's seven days have passed."""

# No postponed annotations here: ninja reads the views' parameter types at runtime.

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema, Status
from pydantic import Field

from commune.api.answers import REFUSED
from commune.federation.access import NotFound
from commune.motions.access import access_referral
from commune.motions.api.common import _actor, _caller, router
from commune.motions.api.schemas import _Strict
from commune.motions.models import BallotNotice
from commune.motions.selectors.employer_notices import ballot_notice_pdf, ballot_notice_text
from commune.motions.services.ballot_notice import ballot_notice_issue, statutory_ballot_start
from commune.web.downloads import download


class BallotNoticeIn(_Strict):
    explanation: str = Field(
        "", max_length=2000, description="What the union adds on how the figures were arrived at."
    )


class BallotNoticeOut(Schema):
    id: int
    referral: int
    employer: str
    opens_on: date
    figures: dict[str, Any] = Field(
        description="The employees concerned: total, by category (wage band) and workplace (unit), and the day."
    )
    explanation: str
    issued_by: str
    issued_at: datetime
    text: str


class OpenedOut(Schema):
    statutory_ballot: int
    votes: list[int]


def _out(notice: BallotNotice) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "referral": notice.referral_id,
        "employer": notice.employer,
        "opens_on": notice.opens_on,
        "figures": notice.figures,
        "explanation": notice.explanation,
        "issued_by": notice.issued_by.number,
        "issued_at": notice.issued_at,
        "text": ballot_notice_text(notice),
    }


def _notice(user: Any, org: Any, referral_id: int) -> BallotNotice:
    referral = access_referral(user, org, referral_id)
    notice = (
        BallotNotice.objects.select_related(
            "referral__council__organisation", "referral__motion", "issued_by"
        )
        .filter(referral=referral)
        .first()
    )
    if notice is None:
        raise NotFound(_("the employer has not been given notice of this ballot"))
    return notice


@router.post(
    "/orgs/{slug}/referrals/{referral_id}/ballot-notice",
    response={201: BallotNoticeOut, **REFUSED},
    summary="Give the employer notice of a statutory ballot (s.226A), at least seven days before it opens",
    operation_id="commune_motions_api_ballot_notice_issue",
)
def issue(request: HttpRequest, slug: str, referral_id: int, data: BallotNoticeIn) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    notice = ballot_notice_issue(
        referral=access_referral(user, org, referral_id),
        member=member,
        explanation=data.explanation,
        actor=_actor(member),
    )
    return Status(201, _out(notice))


@router.get(
    "/orgs/{slug}/referrals/{referral_id}/ballot-notice",
    response=BallotNoticeOut,
    summary="The employer's notice of a statutory ballot",
    operation_id="commune_motions_api_ballot_notice",
)
def notice(request: HttpRequest, slug: str, referral_id: int) -> dict[str, Any]:
    user, org, _member = _caller(request, slug)
    return _out(_notice(user, org, referral_id))


@router.get(
    "/orgs/{slug}/referrals/{referral_id}/ballot-notice.pdf",
    response={200: None},
    summary="The employer's notice of a statutory ballot as a PDF",
    operation_id="commune_motions_api_ballot_notice_pdf",
)
def notice_pdf(request: HttpRequest, slug: str, referral_id: int) -> HttpResponse:
    user, org, _member = _caller(request, slug)
    found = _notice(user, org, referral_id)
    return download(ballot_notice_pdf(found), filename=f"ballot-notice-{slug}-referral-{referral_id}.pdf")


@router.post(
    "/orgs/{slug}/referrals/{referral_id}/open-ballot",
    response={201: OpenedOut, **REFUSED},
    summary="Open a statutory ballot that waited for the employer's notice, once its seven days have passed",
    operation_id="commune_motions_api_statutory_ballot_start",
)
def open_ballot(request: HttpRequest, slug: str, referral_id: int) -> Status[dict[str, Any]]:
    user, org, member = _caller(request, slug)
    ballot = statutory_ballot_start(
        referral=access_referral(user, org, referral_id), member=member, actor=_actor(member)
    )
    votes = [v for v in (ballot.strike_vote_id, ballot.short_of_strike_vote_id) if v is not None]
    return Status(201, {"statutory_ballot": ballot.pk, "votes": votes})
