"""API: the provenance log of an organisation, and its verification."""

# No postponed annotations here: ninja's @paginate reads the wrapped view's parameter types at runtime.

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from commune.accounts.access import request_person
from commune.api.pagination import Pagination
from commune.audit.models import LogEntry
from commune.audit.selectors import log_entries_newest_first
from commune.audit.services import chain_verify
from commune.federation.access import access_body, access_organisation

router = Router(tags=["provenance"])


class LogEntryOut(Schema):
    seq: int = Field(description="Position in the organisation's chain, from 1.")
    recorded_at: datetime
    action: str
    body_code: str | None = Field(description="The body the act concerns, if any.")
    actor_label: str = Field(description="Who acted, as recorded at the time.")
    summary: str
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


class ChainReportOut(Schema):
    ok: bool
    entries: int = Field(description="Entries checked (up to and including the first problem).")
    problem: ChainProblemOut | None


@router.get(
    "/organisations/{slug}/log",
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
    "/organisations/{slug}/log/verify",
    response=ChainReportOut,
    summary="Check the log's hash chain and name the first entry that was tampered with",
)
def log_verify(request: HttpRequest, slug: str) -> ChainReportOut:
    org, _ = access_organisation(request_person(request), slug)
    report = chain_verify(organisation_id=org.pk)
    problem = report.problem
    return ChainReportOut(
        ok=report.ok,
        entries=report.entries,
        problem=ChainProblemOut(seq=problem.seq, reason=problem.reason) if problem else None,
    )
