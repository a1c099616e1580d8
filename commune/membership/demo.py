"""The demo's joining and moving: applications waiting for the first depot's branch secretary, one of them
refused and appealed to the depot's general assembly, and a member of a neighbouring depot asking to move
there, so the secretary signing in finds them all to decide."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from commune.accounts.services import token_digest
from commune.federation.models import Body, Delegation, Member, OfficeTerm
from commune.membership.models import Application, ApplicationStatus, Transfer
from commune.membership.services import application_appeal, application_refuse, transfer_request

#: People applying to the first depot, their email addresses confirmed, waiting for a decision.
APPLICANTS = (
    ("Nadia Okafor", "Started on the night shift last month; my rep said to join."),
    ("Tomasz Wójcik", ""),
)

#: An applicant refused by the depot's secretary who appealed to the depot's general assembly.
APPELLANT = "Farid Benali"


def demo_membership_hold(*, depot: Body, neighbour: Body) -> Transfer:
    """Two confirmed applications to ``depot``, a refused one appealed to its general assembly, and a
    request to move from ``neighbour`` into it, all pending. The applications are written as confirmed (their links would have been emailed to addresses
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
    _refused_and_appealed(depot)
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


def _refused_and_appealed(depot: Body) -> Application:
    """An application the depot's secretary refused, which the applicant appealed to the depot's general
    assembly: it waits for an officer to put it there."""
    officer = (
        OfficeTerm.objects.filter(office__body=depot, office__manages_roll=True, ended_at__isnull=True)
        .select_related("member__person")
        .order_by("pk")
        .first()
    )
    assert officer is not None, "the depot has a roll officer"
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    application = Application.objects.create(
        organisation_id=depot.organisation_id,
        unit=depot,
        name=APPELLANT,
        email="applicant3@example.org",
        statement="I drove for the agency at this depot for two years before they took me on.",
        token_digest=token_digest(token),
        status=ApplicationStatus.PENDING,
        created_at=now - timedelta(days=5),
        confirmed_at=now - timedelta(days=5, hours=-1),
    )
    application_refuse(
        application=application,
        officer=officer.member,
        reason="The roll has no record of you working at the depot.",
    )
    return application_appeal(
        token=token,
        grounds="I was on the agency's payroll, not the depot's: my payslips show the depot as my workplace.",
    )
