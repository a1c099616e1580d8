"""Rotation: the constitution's ``offices.max_consecutive_terms``, checked when a member stands.

A *seat* is what the election fills: an office, or a constituency's seats on a council. A member's
consecutive terms are counted back from the latest term of that seat, stopping at the first term they did
not hold; a term someone else held in between resets the count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext as _

from commune.elections.errors import NotEligible
from commune.elections.models import Election, ElectionKind
from commune.federation.constitution import rules_validate
from commune.federation.models import Delegation, Member, OfficeTerm
from commune.federation.selectors import constitution_version_numbered


def consecutive_terms_held(*, election: Election, member: Member) -> int:
    """How many of the seat's latest terms in a row the member held."""
    rows: Iterable[tuple[date, int]]
    if election.kind == ElectionKind.OFFICER and election.office_id is not None:
        rows = OfficeTerm.objects.filter(office_id=election.office_id).values_list("term_start", "member_id")
    elif election.kind == ElectionKind.DELEGATES:
        rows = Delegation.objects.filter(
            council_id=election.council_id, constituency_id=election.body_id
        ).values_list("term_start", "member_id")
    else:
        return 0
    holders: dict[date, set[int]] = {}
    for term_start, member_id in rows:
        holders.setdefault(term_start, set()).add(member_id)
    held = 0
    for term_start in sorted(holders, reverse=True):
        if member.pk not in holders[term_start]:
            break
        held += 1
    return held


def term_limit_check(*, election: Election, member: Member) -> None:
    """Refuse a nomination that would exceed the constitution's maximum of consecutive terms (the version
    fixed when the election was called)."""
    if election.kind == ElectionKind.OTHER:
        return
    version = constitution_version_numbered(
        organisation_id=election.organisation_id, number=election.constitution_version
    )
    if version is None:
        return
    limit = rules_validate(version.rules).offices.max_consecutive_terms
    held = consecutive_terms_held(election=election, member=member)
    if held >= limit:
        raise NotEligible(
            _("%(name)s has held this seat for %(held)s consecutive terms; the constitution allows %(limit)s")
            % {"name": member.person.name, "held": held, "limit": limit}
        )
