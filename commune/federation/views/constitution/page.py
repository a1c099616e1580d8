"""The constitution page: the current rules in plain words, and every version adopted."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commune.federation.models import Member, Organisation
from commune.federation.selectors import constitution_versions
from commune.federation.views.constitution.rules import (
    rules_changes,
    rules_in_words,
)
from commune.web.edge import member_page, page_context


@member_page
def constitution(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The rules in force, readably, and the history of every version with what it changed."""
    versions = list(constitution_versions(organisation=organisation))
    history = [
        (version, rules_changes(older.rules, version.rules) if older else None)
        for version, older in zip(versions, [*versions[1:], None], strict=True)
    ]
    current = versions[0] if versions else None
    return render(
        request,
        "federation/constitution.html",
        page_context(
            organisation,
            member,
            current=current,
            preamble=current.rules.get("preamble", "") if current else "",
            groups=rules_in_words(current.rules) if current else [],
            history=history,
        ),
    )
