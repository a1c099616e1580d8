"""The router every endpoint of the actions API registers on, and what the endpoints share."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import ConfigDict

from commune.accounts.access import request_person
from commune.actions.errors import ActionError
from commune.audit.services import Actor
from commune.federation.access import access_organisation
from commune.federation.models import Member, Organisation

router = Router(tags=["actions"])


def caller(request: HttpRequest, slug: str) -> tuple[Any, Organisation, Member]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    return user, org, member


def actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def members_numbered(org: Organisation, numbers: list[str]) -> list[Member]:
    """The organisation's members with these numbers, in that order; an unknown number is refused."""
    wanted = list(dict.fromkeys(n.strip() for n in numbers))
    found = {
        m.number: m
        for m in Member.objects.filter(organisation=org, number__in=wanted).select_related("person")
    }
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ActionError(f"no such member: {', '.join(missing)}")
    return [found[n] for n in wanted]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")
