"""Tendencies: founded, joined, left and dissolved only by their own members, who admit applicants."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.federation.models import Member, Organisation
from commune.governance.access import (
    access_tendency,
)
from commune.governance.errors import GovernanceError
from commune.governance.forms import TendencyForm
from commune.governance.selectors import tendencies_of_organisation
from commune.governance.selectors.pages import (
    tendency_of_organisation,
    tendency_page,
)
from commune.governance.services import (
    tendency_admit,
    tendency_dissolution_vote,
    tendency_found,
    tendency_join,
    tendency_leave,
    tendency_refound,
)
from commune.governance.views.common import _actor
from commune.web.edge import member_page, page_context, refusal, refusal_status


@member_page
@require_http_methods(["GET", "POST"])
def tendencies_page(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The organisation's tendencies, and founding a new one."""
    form = TendencyForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tendency = tendency_found(
                    organisation=organisation, member=member, actor=_actor(member), **form.cleaned_data
                )
            except GovernanceError as exc:
                form.add_error(None, refusal(exc))
                status = refusal_status(exc)
            else:
                messages.success(
                    request,
                    _("You founded %(tendency)s; you are its first member.") % {"tendency": tendency.name},
                )
                return redirect("governance:tendency", slug=organisation.slug, tendency=tendency.slug)
        else:
            status = 400
    return render(
        request,
        "governance/tendencies.html",
        page_context(
            organisation, member, tendencies=tendencies_of_organisation(organisation=organisation), form=form
        ),
        status=status,
    )


@member_page
def tendency_detail_page(
    request: HttpRequest, organisation: Organisation, member: Member, tendency: str
) -> HttpResponse:
    """A tendency's platform and members, and joining, leaving or voting to dissolve it."""
    found = tendency_of_organisation(organisation=organisation, slug=tendency)
    if found is None:
        raise Http404(_("no such tendency"))
    return render(
        request,
        "governance/tendency.html",
        page_context(organisation, member, view=tendency_page(tendency=found, member=member)),
    )


TENDENCY_ACTIONS = {
    "join": (
        tendency_join,
        gettext_lazy("You applied to join %(name)s: you are a member once its members admit you."),
    ),
    "leave": (tendency_leave, gettext_lazy("You left %(name)s.")),
    "dissolve": (tendency_dissolution_vote, gettext_lazy("Your vote to dissolve %(name)s is recorded.")),
    "refound": (tendency_refound, gettext_lazy("You refounded %(name)s.")),
}


@member_page
@require_POST
def tendency_act_page(
    request: HttpRequest, organisation: Organisation, member: Member, tendency: str, action: str
) -> HttpResponse:
    """Join, leave, or (a member of it) vote to dissolve a tendency."""
    if action not in TENDENCY_ACTIONS:
        raise Http404(_("no such action"))
    found = access_tendency(request_person(request), organisation, tendency)
    service, done = TENDENCY_ACTIONS[action]
    try:
        after = service(tendency=found, member=member, actor=_actor(member))
    except GovernanceError as exc:
        messages.error(request, _("Not done: %(refusal)s") % {"refusal": refusal(exc)})
        return render(
            request,
            "governance/tendency.html",
            page_context(organisation, member, view=tendency_page(tendency=found, member=member)),
            status=refusal_status(exc),
        )
    dissolved = getattr(after, "dissolved_at", None) is not None
    messages.success(
        request,
        str(done) % {"name": found.name}
        + (" " + _("A majority of its members voted; it is dissolved.") if dissolved else ""),
    )
    return redirect("governance:tendency", slug=organisation.slug, tendency=found.slug)


@member_page
@require_POST
def tendency_admit_page(
    request: HttpRequest, organisation: Organisation, member: Member, tendency: str, number: str
) -> HttpResponse:
    """A member of the tendency (or a founder, as its rules say) admits someone who applied."""
    found = access_tendency(request_person(request), organisation, tendency)
    applicant = Member.objects.filter(organisation=organisation, number=number).first()
    if applicant is None:
        raise Http404(_("no such member"))
    try:
        tendency_admit(tendency=found, applicant=applicant, member=member, actor=_actor(member))
    except GovernanceError as exc:
        messages.error(request, _("Not done: %(refusal)s") % {"refusal": refusal(exc)})
        return render(
            request,
            "governance/tendency.html",
            page_context(organisation, member, view=tendency_page(tendency=found, member=member)),
            status=refusal_status(exc),
        )
    messages.success(
        request,
        _("%(name)s is now a member of %(tendency)s.")
        % {"name": applicant.person.name, "tendency": found.name},
    )
    return redirect("governance:tendency", slug=organisation.slug, tendency=found.slug)
