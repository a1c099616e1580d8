"""Pages: the employer's notice of industrial action (TULRCA s.234A) given with a call, and its PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from commune.accounts.access import request_person
from commune.actions.access import access_call
from commune.actions.models import ActionNotice
from commune.actions.selectors import action_notice_pdf, action_notice_text
from commune.federation.models import Member, Organisation
from commune.web.downloads import download
from commune.web.edge import member_page, page_context


def _notice(request: HttpRequest, organisation: Organisation, call_id: int) -> ActionNotice:
    call = access_call(request_person(request), organisation, call_id)
    found = (
        ActionNotice.objects.select_related("call__organisation", "call__authority").filter(call=call).first()
    )
    if found is None:
        raise Http404(_("this call has no notice of industrial action: it is not on a statutory ballot"))
    return found


@member_page
def notice_page(
    request: HttpRequest, organisation: Organisation, member: Member, call_id: int
) -> HttpResponse:
    """The notice as the employer was given it."""
    notice = _notice(request, organisation, call_id)
    return render(
        request,
        "actions/notice.html",
        page_context(organisation, member, call=notice.call, notice=notice, text=action_notice_text(notice)),
    )


@member_page
def notice_pdf(
    request: HttpRequest, organisation: Organisation, member: Member, call_id: int
) -> HttpResponse:
    notice = _notice(request, organisation, call_id)
    return download(
        action_notice_pdf(notice), filename=f"action-notice-{organisation.slug}-call-{call_id}.pdf"
    )
