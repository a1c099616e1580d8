"""Permission-checked fetches. Missing and forbidden raise the same ``NotFound``, so nothing leaks."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.errors import NotFound as NotFound  # raised here, and imported from here
from commune.federation.models import Body, Member, OfficeTerm, Organisation


def _member(user: User, organisation_id: int, electorate: QuerySet[Any] | None = None) -> Member | None:
    if not user.is_authenticated:
        return None
    admitted = Q(current_unit__isnull=False)
    if electorate is not None:
        admitted |= Q(pk__in=electorate)
    return (
        Member.objects.select_related("current_unit")
        .filter(admitted, person=user, organisation_id=organisation_id)
        .first()
    )


def access_organisation(
    user: User, slug: str, *, electorate: QuerySet[Any] | None = None
) -> tuple[Organisation, Member]:
    """An organisation the user is a current member of, with their membership.

    ``electorate`` (the member ids of a process's electorate, fixed when it opened: a vote's, a
    petition's, a call-in's) also admits an elector of that process whose membership has ended since: the
    right to take part was fixed with the electorate, and that process alone decides who takes part."""
    org = Organisation.objects.filter(slug=slug).first()
    member = _member(user, org.pk, electorate) if org else None
    if org is None or member is None:
        raise NotFound(_("no such organisation"))
    return org, member


def access_body(user: User, organisation: Organisation, code: str) -> Body:
    body = Body.objects.filter(organisation=organisation, code=code.upper()).select_related("parent").first()
    if body is None:
        raise NotFound(_("no such body"))
    return body


def can_manage_roll(user: User, unit: Body) -> bool:
    """Only an elected officer of the unit whose office manages the roll may import it."""
    if not user.is_authenticated or not unit.is_unit:
        return False
    return Member.objects.filter(
        Q(
            office_terms__office__body=unit,
            office_terms__office__manages_roll=True,
            office_terms__ended_at__isnull=True,
        ),
        person=user,
        organisation_id=unit.organisation_id,
        current_unit__isnull=False,
    ).exists()


def member_manages_roll(*, member: Member, unit: Body) -> bool:
    """The member is a current member holding an office of ``unit`` that manages its roll."""
    return (
        member.current_unit_id is not None
        and OfficeTerm.objects.filter(
            member=member, office__body=unit, office__manages_roll=True, ended_at__isnull=True
        ).exists()
    )


def access_unit_roll(user: User, organisation: Organisation, code: str) -> Body:
    body = access_body(user, organisation, code)
    if not can_manage_roll(user, body):
        raise NotFound(_("no such body"))
    return body
