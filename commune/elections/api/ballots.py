"""API: casting a ballot, the receipt's tracker, the bulletin and tracker look-up.

The bulletin exists only after voting closes; until then these endpoints say so with a 409.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from commune.accounts.access import BearerToken, request_caller, request_person
from commune.accounts.models import User
from commune.api.answers import REFUSED, refusals
from commune.api.auth import CHECKED_BY_ENDPOINT
from commune.ballots.trackers import tracker_normalise
from commune.elections.access import access_election, access_voter
from commune.elections.errors import ElectionConflict
from commune.elections.models import Election, ElectionStatus
from commune.elections.selectors import bulletin_blt_text, bulletin_document, bulletin_find
from commune.elections.services.casting import CastReceipt, ballot_cast, ballot_cast_by_caller_on_loop
from commune.federation.access import NotFound, access_organisation
from commune.statements import LoopStatements
from commune.web.downloads import download

router = Router(tags=["ballots"])


class CastIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ranking: list[int] = Field(
        description="Candidate ids in order of preference, first preference first (one for a single choice).",
        max_length=500,
    )
    email_receipt: bool = Field(False, description="Also email the tracker to you.")


class ReceiptOut(Schema):
    election: int
    tracker: str = Field(description="Shown once. After close, find your ballot on the bulletin with it.")
    replaced_earlier_ballot: bool


class BulletinEntryOut(Schema):
    tracker: str
    ranking: list[int]
    weight: int


def cast_answer(
    request: HttpRequest, caller: User | BearerToken, slug: str, election_id: int, data: CastIn
) -> ReceiptOut:
    """A ballot, as the API answers it (also on the lean path, ``commune.api.casting``)."""
    member = access_voter(caller, slug, election_id)
    request.user = member.person
    receipt = ballot_cast(
        election_id=election_id, member=member, ranking=data.ranking, email_receipt=data.email_receipt
    )
    return _receipt_out(receipt)


def _receipt_out(receipt: CastReceipt) -> ReceiptOut:
    # Built from the service's own typed values without validating them again: every cast builds one.
    # (The operation's answer is still validated against its schema by django-ninja.)
    return ReceiptOut.model_construct(
        election=receipt.election_id,
        tracker=receipt.tracker,
        replaced_earlier_ballot=receipt.replaced_earlier_ballot,
    )


async def cast_answer_on_loop(
    statements: LoopStatements, caller: BearerToken, slug: str, election_id: int, data: CastIn
) -> ReceiptOut | None:
    """A member's first ballot cast on an event loop's own connections (``commune.api.casting.LoopCasts``):
    its answer, or ``None``, having written nothing, for ``cast_answer`` to give it."""
    receipt = await ballot_cast_by_caller_on_loop(
        statements=statements,
        caller=caller,
        slug=slug,
        election_id=election_id,
        ranking=data.ranking,
        email_receipt=data.email_receipt,
    )
    return None if receipt is None else _receipt_out(receipt)


@router.post(
    "/orgs/{slug}/elections/{election_id}/ballots",
    response={201: ReceiptOut, **REFUSED},
    summary="Cast your ballot (a ranking of candidate ids); returns your tracker",
    auth=CHECKED_BY_ENDPOINT,
)
def cast(request: HttpRequest, slug: str, election_id: int, data: CastIn) -> Status[ReceiptOut]:
    return Status(201, cast_answer(request, request_caller(request), slug, election_id, data))


def _published(request: HttpRequest, slug: str, election_id: int) -> Election:
    user = request_person(request)
    org, _person = access_organisation(user, slug)
    election = access_election(user, org, election_id)
    if election.status not in (ElectionStatus.DECLARED, ElectionStatus.FAILED) or not election.merkle_root:
        raise ElectionConflict(_("the bulletin is published when voting closes"))
    return election


@router.get(
    "/orgs/{slug}/elections/{election_id}/bulletin",
    response={200: None, **refusals(409)},
    summary="Download the bulletin (JSON): every ballot with its tracker, the Merkle root and the result",
)
def bulletin(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    election = _published(request, slug, election_id)
    return download(bulletin_document(election=election), filename=f"bulletin-{slug}-{election.pk}.json")


@router.get(
    "/orgs/{slug}/elections/{election_id}/bulletin.blt",
    response={200: None, **refusals(409)},
    summary="Download the bulletin's ballots in BLT format (for ranked elections)",
)
def bulletin_blt(request: HttpRequest, slug: str, election_id: int) -> HttpResponse:
    election = _published(request, slug, election_id)
    return download(bulletin_blt_text(election=election), filename=f"bulletin-{slug}-{election.pk}.blt")


@router.get(
    "/orgs/{slug}/elections/{election_id}/bulletin/{tracker}",
    response={200: BulletinEntryOut, **refusals(409)},
    summary="Find a ballot on the bulletin by its tracker",
)
def tracker_lookup(request: HttpRequest, slug: str, election_id: int, tracker: str) -> BulletinEntryOut:
    election = _published(request, slug, election_id)
    entry = bulletin_find(election=election, tracker=tracker_normalise(tracker))
    if entry is None:
        raise NotFound(_("no ballot with that tracker is on the bulletin"))
    return BulletinEntryOut(tracker=entry.tracker, ranking=entry.ranking, weight=entry.weight)
