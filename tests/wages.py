"""Setting wage bands the only way there is: a motion of the body the constitution names, adopted by its
vote in a quorate session, then put in force.

``wage_bands_adopt`` drives the real services end to end. Where that body has fewer than two delegates who
hold no office (a mover and a supporter), it seats one more, as if elected, for a constituency it has."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commune.federation.models import Body, Delegation, Member, OfficeTerm, Organisation
from commune.federation.services import delegation_seat
from commune.governance.models import WageBandsProposal
from commune.governance.services import wage_bands_body, wage_bands_propose, wage_bands_settle
from commune.mandates.services import delegate_vote_cast
from commune.motions.models import MotionStatus
from commune.motions.services import (
    motion_support,
    motion_vote_open,
    session_close,
    session_open,
    session_roll_sign,
    vote_close,
)
from tests.clock import current_term, let_vote_run, wait_for_session


def _free_delegates(body: Body) -> list[Member]:
    officers = OfficeTerm.objects.filter(ended_at__isnull=True).values("member_id")
    return list(
        Member.objects.filter(delegations__council=body, delegations__ended_at__isnull=True)
        .exclude(pk__in=officers)
        .distinct()
        .order_by("number")
    )


def _seat_another(body: Body) -> None:
    taken = Delegation.objects.filter(council=body, ended_at__isnull=True).values("member_id")
    officers = OfficeTerm.objects.filter(ended_at__isnull=True).values("member_id")
    for constituency in Body.objects.filter(parent=body).order_by("-code"):
        member = (
            Member.objects.filter(current_unit__path__startswith=constituency.path)
            .exclude(pk__in=taken)
            .exclude(pk__in=officers)
            .order_by("-number")
            .first()
        )
        if member is not None:
            start, end = current_term()
            delegation_seat(
                council=body,
                constituency=constituency,
                member=member,
                term_start=start,
                term_end=end,
                source="test election",
            )
            return
    raise AssertionError(f"no member to seat on {body.name}")


def wage_bands_adopt(
    organisation: Organisation, bands: dict[str, str], members: dict[str, str] | None = None
) -> WageBandsProposal:
    """Carry ``bands`` (code → weekly figure) and ``members`` (number → band) through the named body."""
    body = wage_bands_body(organisation=organisation)
    while len(_free_delegates(body)) < 2:
        _seat_another(body)
    mover, supporter = _free_delegates(body)[:2]
    proposal = wage_bands_propose(
        organisation=organisation,
        member=mover,
        bands={code: Decimal(weekly) for code, weekly in bands.items()},
        members=members,
    )
    motion = proposal.motion
    if motion.status == MotionStatus.PROPOSED:
        motion = motion_support(motion=motion, member=supporter)
    session = session_open(council=body, member=mover, title="Wage bands")
    wait_for_session(session)
    seated = Member.objects.filter(delegations__council=body, delegations__ended_at__isnull=True).distinct()
    for delegate in seated.order_by("number"):
        session_roll_sign(session=session, member=delegate)
    vote = motion_vote_open(
        motion=motion, member=mover, closes_at=timezone.now() + timedelta(hours=1), session=session
    )
    for delegate in seated.order_by("number"):
        delegate_vote_cast(vote=vote, member=delegate, choice="yes")
    let_vote_run(vote)
    vote_close(vote=vote)
    session_close(session=session, member=mover)
    return wage_bands_settle(proposal=proposal)
