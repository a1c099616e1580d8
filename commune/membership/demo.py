"""The demo's joining and moving: applications waiting for the first depot's branch secretary, and a member
of a neighbouring depot asking to move there, so the secretary signing in finds both to decide."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from commune.accounts.services import token_digest
from commune.federation.models import Body, Delegation, Member, OfficeTerm
from commune.membership.models import Application, ApplicationStatus, Transfer
from commune.membership.services import transfer_request

#: People applying to the first depot, their email addresses confirmed, waiting for a decision.
APPLICANTS = (
    ("Nadia Okafor", "Started on the night shift last month; my rep said to join."),
    ("Tomasz Wójcik", ""),
)


def demo_membership_hold(*, depot: Body, neighbour: Body) -> Transfer:
    """Two confirmed applications to ``depot`` and a request to move from ``neighbour`` into it, all
    pending. The applications are written as confirmed (their links would have been emailed to addresses
    nobody reads); the request to move goes through ``transfer_request``."""
    now = timezone.now()
    for n, (name, statement) in enumerate(APPLICANTS):
        Application.objects.create(
            organisation_id=depot.organisation_id,
            unit=depot,
            name=name,
            email=f"applicant{n + 1}@example.org",
            statement=statement,
            token_digest=token_digest(secrets.token_urlsafe(32)),
            status=ApplicationStatus.PENDING,
            created_at=now - timedelta(days=2 - n),
            confirmed_at=now - timedelta(days=2 - n, hours=-1),
        )
    # A member holding nothing, so that admitting the move in the demo ends no seat.
    holding = {
        *Delegation.objects.filter(ended_at__isnull=True).values_list("member_id", flat=True),
        *OfficeTerm.objects.filter(ended_at__isnull=True).values_list("member_id", flat=True),
    }
    mover = Member.objects.filter(current_unit=neighbour).exclude(pk__in=holding).order_by("-number").first()
    assert mover is not None, "the neighbouring depot has members holding nothing"
    return transfer_request(
        member=mover,
        to_unit_code=depot.code,
        statement=f"I have taken a job at {depot.name}; starting there next week.",
    )
