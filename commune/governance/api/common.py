"""The router every endpoint of the governance API registers on, and what the endpoints share."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.access import access_organisation
from commune.federation.models import Member

router = Router(tags=["governance"])


def _caller(
    request: HttpRequest, slug: str, *, electorate: QuerySet[Any] | None = None
) -> tuple[Any, Any, Member]:
    """The caller, the organisation and their membership: a current one, or (with ``electorate``, the
    member ids of a process's electorate fixed when it opened) one that has ended since on that roll."""
    user = request_person(request)
    org, member = access_organisation(user, slug, electorate=electorate)
    return user, org, member


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")
