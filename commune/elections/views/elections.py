"""Pages of elections: the elections of an organisation and of a body, an election and its candidates,
standing and withdrawing, and the declared result with every stage of the count. (The ballot and the
bulletin: ``commune.elections.views.ballots``.)

Every current member may read every election of their organisation. A member stands and withdraws only as
themselves; there is no page by which anyone adds, strikes or reorders another member's candidacy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.elections.access import access_election
from commune.elections.errors import ElectionError
from commune.elections.forms import NominationForm
from commune.elections.models import Election
from commune.elections.selectors import elections_of_body, elections_open_to_member
from commune.elections.selectors.pages import (
    StageColumn,
    candidacy_of_member,
    election_page,
    elections_of_organisation,
    result_page,
)
from commune.elections.services import candidacy_nominate, candidacy_withdraw
from commune.federation.access import access_body
from commune.federation.constitution_words import method_words
from commune.federation.models import Member, Organisation
from commune.web.edge import member_page, page_context

ELECTIONS_PER_PAGE = 50


def method_name(election: Election) -> str:
    if election.uncontested:
        return _("none needed: no more candidates than seats, so all were elected unopposed")
    return method_words(election.method)


def stage_words(stage: Mapping[str, Any]) -> str:
    """What a stage of a stored count did, in the reader's language, from its action and the candidates it
    concerned; the stored result keeps its English ``description``, shown for an action not known here."""
    names = ", ".join(str(name) for name in stage.get("subject") or ())
    action = stage.get("action")
    if action == "first-preferences":
        return _("First preferences")
    if action == "surplus":
        return _("Surplus of %(names)s") % {"names": names}
    if action == "exclusion":
        return _("Exclusion of %(names)s") % {"names": names}
    if action == "last-vacancies":
        return _("Last vacancies filled")
    if action == "count":
        return _("The count")
    return str(stage.get("description", ""))


def _stages_in_words(election: Election, stages: list[StageColumn]) -> list[StageColumn]:
    stored = {s.get("stage"): s for s in (election.result or {}).get("stages") or ()}
    return [StageColumn(s.number, stage_words(stored[s.number])) if s.number in stored else s for s in stages]


def _election(request: HttpRequest, organisation: Organisation, election_id: int) -> Election:
    return access_election(request_person(request), organisation, election_id)


@member_page
def election_list(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """Elections under way in which the member may vote, then every election of the organisation."""
    everything = elections_of_organisation(organisation=organisation).order_by("-called_at", "-id")
    return render(
        request,
        "elections/list.html",
        page_context(
            organisation,
            member,
            mine=list(elections_open_to_member(member=member)),
            page=Paginator(everything, ELECTIONS_PER_PAGE).get_page(request.GET.get("page")),
        ),
    )


@member_page
def body_elections(
    request: HttpRequest, organisation: Organisation, member: Member, code: str
) -> HttpResponse:
    """Every election a body holds, newest first, with its status and timeline."""
    body = access_body(request_person(request), organisation, code)
    return render(
        request,
        "elections/body_elections.html",
        page_context(organisation, member, body=body, elections=list(elections_of_body(body=body))),
    )


@member_page
def election_detail(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """An election: its timeline, seats, method and electorate, and its candidates with their statements,
    tendencies and any endorsements."""
    election = _election(request, organisation, election_id)
    page = election_page(election_id=election.pk, member=member)
    if page is None:
        raise Http404("no such election")
    return render(
        request,
        "elections/detail.html",
        page_context(
            organisation, member, election=page.election, view=page, method=method_name(page.election)
        ),
    )


@member_page
@require_http_methods(["GET", "POST"])
def election_stand(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """Stand for election: any member of the constituency, for themselves, while nominations are open."""
    election = _election(request, organisation, election_id)
    form = NominationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                candidacy_nominate(
                    election=election,
                    member=member,
                    statement=form.cleaned_data["statement"],
                    tendency=form.cleaned_data["tendency"],
                    actor=Actor.of(member.person, role=f"member {member.number}"),
                )
            except ElectionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("You are standing in %(title)s.") % {"title": election.title})
                return redirect("elections:detail", slug=organisation.slug, election_id=election.pk)
        status = 400
    return render(
        request,
        "elections/stand.html",
        page_context(organisation, member, election=election, form=form),
        status=status,
    )


@member_page
@require_POST
def election_withdraw(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """Withdraw one's own nomination while nominations are open."""
    election = _election(request, organisation, election_id)
    candidacy = candidacy_of_member(election=election, member=member)
    if candidacy is None:
        raise Http404("you have not stood in this election")
    try:
        candidacy_withdraw(
            candidacy=candidacy, member=member, actor=Actor.of(member.person, role=f"member {member.number}")
        )
    except ElectionError as exc:
        messages.error(request, _("Your nomination was not withdrawn: %(reason)s.") % {"reason": exc})
    else:
        messages.success(request, _("You have withdrawn from %(title)s.") % {"title": election.title})
    return redirect("elections:detail", slug=organisation.slug, election_id=election.pk)


@member_page
def election_result(
    request: HttpRequest, organisation: Organisation, member: Member, election_id: int
) -> HttpResponse:
    """The declared result: who was elected in what order, the alternates, every stage of the count as
    exact figures, the ties settled, and a chart of the count."""
    election = _election(request, organisation, election_id)
    result = result_page(election=election)
    return render(
        request,
        "elections/result.html",
        page_context(
            organisation,
            member,
            election=election,
            result=dataclasses.replace(result, stages=_stages_in_words(election, result.stages)),
            method=method_name(election),
        ),
    )
