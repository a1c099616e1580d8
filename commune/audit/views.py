"""The provenance log as pages: every entry, newest first, and a check of the whole chain."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from commune.audit.selectors import chain_verifications_recent, log_entries_newest_first
from commune.audit.services import chain_verification_record
from commune.audit.verification import ChainHeadSeen, chain_head, chain_verify
from commune.federation.models import Member, Organisation
from commune.federation.selectors import body_choices
from commune.web.edge import member_page, page_context

ENTRIES_PER_PAGE = 50


@member_page
def log_list(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Newest first, 50 to a page, optionally only the entries about one body (``?body=CODE``)."""
    bodies = body_choices(organisation=organisation)
    by_code = {b.code: b for b in bodies}
    wanted = request.GET.get("body", "").strip().upper()
    body = by_code.get(wanted)
    entries = log_entries_newest_first(organisation_id=organisation.pk, body_id=body.pk if body else None)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    by_id = {b.pk: b for b in bodies}
    return render(
        request,
        "audit/log.html",
        page_context(
            organisation,
            member,
            bodies=bodies,
            body=body,
            unknown_body=wanted if wanted and body is None else "",
            page=page,
            rows=[(entry, by_id.get(entry.body_id) if entry.body_id else None) for entry in page],
            head=chain_head(organisation_id=organisation.pk),
        ),
    )


@require_http_methods(["GET", "POST"])
@member_page
def log_verify(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Any member may re-check the whole chain, and that it still passes through a head they noted earlier;
    the check runs on POST, as it reads every entry."""
    report, extends_error = None, ""
    noted = request.POST.get("extends", "").strip() if request.method == "POST" else ""
    if request.method == "POST":
        try:
            extends = ChainHeadSeen.parse(noted) if noted else None
        except ValueError as exc:
            extends_error = str(exc)
        else:
            report = chain_verify(organisation_id=organisation.pk, extends=extends)
            if extends is None:  # a plain check is kept for the integrity page, as the scheduler's are
                chain_verification_record(organisation=organisation, requested_by=member.person.name)
    return render(
        request,
        "audit/verify.html",
        page_context(
            organisation,
            member,
            report=report,
            noted=noted,
            extends_error=extends_error,
            head=chain_head(organisation_id=organisation.pk),
        ),
    )


@member_page
def log_integrity(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The log's head, and every recent check of it with its result."""
    verifications = chain_verifications_recent(organisation_id=organisation.pk)
    return render(
        request,
        "audit/integrity.html",
        page_context(
            organisation,
            member,
            head=chain_head(organisation_id=organisation.pk),
            last=verifications[0] if verifications else None,
            verifications=verifications,
            interval=settings.LOG_VERIFY_MINUTES,
        ),
    )
