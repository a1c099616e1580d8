"""The router every endpoint of the governance API registers on, and what the endpoints share."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

from commune.accounts.access import request_person
from commune.audit.services import Actor
from commune.federation.access import access_organisation
from commune.federation.models import Member
from commune.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from commune.motions.errors import MotionConflict, MotionError
from commune.motions.errors import NotEntitled as MotionNotEntitled

router = Router(tags=["governance"])


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the domain's refusals into 4xx responses with its message as ``detail``."""
    try:
        yield
    except (NotEntitled, MotionNotEntitled) as exc:
        raise HttpError(403, str(exc)) from exc
    except (GovernanceConflict, MotionConflict) as exc:
        raise HttpError(409, str(exc)) from exc
    except (GovernanceError, MotionError) as exc:
        raise HttpError(400, str(exc)) from exc


def _caller(request: HttpRequest, slug: str) -> tuple[Any, Any, Member]:
    user = request_person(request)
    org, member = access_organisation(user, slug)
    return user, org, member


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")
