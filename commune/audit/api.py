"""API: the provenance log of an organisation, and its verification."""

# No postponed annotations here: ninja's @paginate reads the wrapped view's parameter types at runtime.

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from commune.accounts.access import request_person
from commune.api.answers import refusals
from commune.api.pagination import Pagination
from commune.audit.models import LogEntry
from commune.audit.selectors import chain_verifications_recent, log_entries_newest_first
from commune.audit.verification import ChainHeadSeen, chain_head, chain_verify
from commune.federation.access import NotFound, access_body, access_organisation

router = Router(tags=["provenance"])


class LogEntryOut(Schema):
    seq: int = Field(description="Position in the organisation's chain, from 1.")
    recorded_at: datetime
    action: str
    body_code: str | None = Field(description="The body the act concerns, if any.")
    actor_label: str = Field(description="Who acted, as recorded at the time.")
    summary: str
    scheme: int = Field(
        description="How the hash covers the text: 1, the text as it stands; 2, `text_commitment` (erasable)."
    )
    text_commitment: str = Field(
        description="Scheme 2: SHA-256 of the salt then the canonical JSON of `actor_label` and `summary`."
    )
    text_salt: str = Field(description="Scheme 2: the salt (hex) that opens the commitment.")
    payload: dict[str, Any]
    prev_hash: str
    entry_hash: str


class LogFilter(Schema):
    body: str | None = Field(None, description="Only entries concerning this body (its code).")
    action: str | None = Field(
        None,
        max_length=80,
        description="An action (`delegate.seated`), or a family ending in a dot (`member.`).",
    )


class ChainProblemOut(Schema):
    seq: int = Field(description="The first position that is not as it was written.")
    reason: str


class ChainHeadOut(Schema):
    seq: int = Field(description="The position of the newest entry.")
    entry_hash: str = Field(
        description="Its hash. Note `seq:entry_hash` to check later that the log extends it."
    )


class RowDiscrepancyOut(Schema):
    model: str = Field(description="The table, as app.model (`federation.delegation`).")
    title: str = Field(description="The table in words (`Delegation`).")
    pk: int = Field(description="The row's id.")
    kind: str = Field(
        description="`differs` (a field is not what the log says), `missing` (the log has the row, the table "
        "does not), `extra` (the table has a row no entry wrote), `batch` (the rows whose `field` is `pk`, "
        "held to the log as one digest, such as a payment file's payments, are not those it holds: `logged` "
        "and `found` count them) or `derived` (a field computed from those the log holds, such as a body's "
        "place in the tree, is not what they make it: `logged` is that value)."
    )
    field: str = Field(description="For `differs` and `derived`: the field.")
    logged: Any = Field(
        description="For `differs`: the value the log records; for `derived`, the value it makes."
    )
    found: Any = Field(description="For `differs` and `derived`: the value in the table.")
    text: str = Field(description="The same, in words.")


class ChainReportOut(Schema):
    ok: bool = Field(description="The chain is intact and every record of who holds power is as it says.")
    entries: int = Field(description="Entries checked (up to and including the first problem).")
    problem: ChainProblemOut | None
    head: ChainHeadOut | None = Field(description="The newest entry checked, when the whole chain verifies.")
    discrepancies: list[RowDiscrepancyOut] = Field(
        description="Records of who holds power (seats, offices, mandates, results, electorates, powers, "
        "pay…) that are not as the log says: rebuilt from the log alone and compared with the tables "
        "(the first 100; checked when the chain itself is intact)."
    )
    discrepancy_count: int = Field(description="How many there are in all.")
    checkpoint: int | None = Field(
        None,
        description="The signed checkpoint the check started from: the hashes were recomputed from the first "
        "entry and reached the one this position had when it was verified, and signatures were checked after "
        "it. None when every signature was checked.",
    )


class VerifyQuery(Schema):
    extends: str | None = Field(
        None,
        max_length=200,
        description="A head noted earlier, `SEQ:HASH`: also check that today's log still passes through it.",
    )


def _head_out(head: ChainHeadSeen | None) -> ChainHeadOut | None:
    return ChainHeadOut(seq=head.seq, entry_hash=head.entry_hash) if head else None


@router.get(
    "/orgs/{slug}/log",
    response=list[LogEntryOut],
    summary="The provenance log, newest first",
)
@paginate(Pagination)
def log(request: HttpRequest, slug: str, filters: Query[LogFilter]) -> QuerySet[LogEntry]:
    person = request_person(request)
    org, _ = access_organisation(person, slug)
    body_id = access_body(person, org, filters.body).pk if filters.body else None
    return log_entries_newest_first(organisation_id=org.pk, body_id=body_id, action=filters.action)


@router.get(
    "/orgs/{slug}/log/head",
    response=ChainHeadOut,
    summary="The log's current head: note it, and check later that the log still extends it",
)
def log_head(request: HttpRequest, slug: str) -> ChainHeadOut:
    org, _ = access_organisation(request_person(request), slug)
    head = _head_out(chain_head(organisation_id=org.pk))
    if head is None:
        raise NotFound(gettext("nothing is recorded in this log yet"))
    return head


@router.get(
    "/orgs/{slug}/log/verify",
    response={200: ChainReportOut, **refusals(400)},
    summary="Check the log's hashes and signatures, and every record of who holds power against it",
)
def log_verify(request: HttpRequest, slug: str, query: Query[VerifyQuery]) -> ChainReportOut:
    org, _ = access_organisation(request_person(request), slug)
    extends = ChainHeadSeen.parse(query.extends) if query.extends else None
    report = chain_verify(organisation_id=org.pk, extends=extends)
    problem = report.problem
    return ChainReportOut(
        ok=report.ok,
        entries=report.entries,
        checkpoint=report.checkpoint,
        problem=ChainProblemOut(seq=problem.seq, reason=problem.reason) if problem else None,
        head=_head_out(report.head) if report.ok else None,
        discrepancies=[
            RowDiscrepancyOut(
                model=d.model,
                title=d.title,
                pk=d.pk,
                kind=d.kind,
                field=d.field,
                logged=d.logged,
                found=d.found,
                text=str(d),
            )
            for d in report.discrepancies
        ],
        discrepancy_count=report.discrepancy_count,
    )


class VerificationOut(Schema):
    verified_at: datetime
    ok: bool
    entries: int
    head_seq: int | None = Field(description="The newest entry checked, when the chain was intact.")
    problem_seq: int | None = Field(
        description="The first entry not as it was written, when it was not (none when the chain is intact but "
        "records of who holds power differ from it)."
    )
    problem: str
    requested_by: str = Field(description="The scheduler, or the member who asked for the check.")


class IntegrityOut(Schema):
    head: ChainHeadOut | None
    verifications: list[VerificationOut] = Field(description="The latest checks, newest first.")


@router.get(
    "/orgs/{slug}/log/integrity",
    response=IntegrityOut,
    summary="The log's head and its latest checks, by the scheduler or by members",
)
def log_integrity(request: HttpRequest, slug: str) -> IntegrityOut:
    org, _ = access_organisation(request_person(request), slug)
    return IntegrityOut(
        head=_head_out(chain_head(organisation_id=org.pk)),
        verifications=[
            VerificationOut.model_validate(v, from_attributes=True)
            for v in chain_verifications_recent(organisation_id=org.pk)
        ],
    )
