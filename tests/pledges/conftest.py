"""Pledge fixtures: a federation whose units are large enough for counts to be shown (twelve members
each: Congress → D0, D1 → D0-U0, D0-U1, D1-U0, D1-U1; m1…m12 in D0-U0, m13…m24 in D0-U1, …), motions
adopted by a unit's assembly and by a council through the real services, and a campaign launched on one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from commune.federation.models import Body, Member
from commune.federation.services import delegation_seat
from commune.mandates.services import delegate_vote_cast
from commune.motions.models import Motion, MotionStatus, Vote, VoteElector
from commune.motions.services import (
    assembly_vote_cast,
    motion_move,
    motion_support,
    motion_vote_open,
    session_close,
    session_open,
    session_roll_sign,
    vote_close,
)
from commune.pledges.models import PledgeCampaign
from commune.pledges.services import pledge_campaign_launch
from tests.clock import let_time_pass_until, let_vote_run, wait_for_session
from tests.conftest import SmallFederation, build_federation
from tests.recall.conftest import Api

__all__ = ["Api", "Pledges", "adopted_in_assembly", "adopted_in_council", "pledges"]

MEMBERS_PER_UNIT = 12


def adopted_in_assembly(unit: Body, mover: Member, title: str = "Strike for the pay claim") -> Motion:
    """A motion of ``unit``'s assembly, supported onto the agenda and adopted by everyone voting yes."""
    motion = motion_move(body=unit, member=mover, title=title, text=f"{title}: pledge first.")
    for supporter in Member.objects.filter(current_unit=unit).exclude(pk=mover.pk).order_by("number"):
        if motion.status != MotionStatus.PROPOSED:
            break
        motion = motion_support(motion=motion, member=supporter)
    vote = motion_vote_open(motion=motion, member=mover, closes_at=timezone.now() + timedelta(hours=1))
    for elector in VoteElector.objects.filter(vote=vote).select_related("member"):
        assembly_vote_cast(vote=vote, member=elector.member, choice="yes")
    let_vote_run(vote)
    vote_close(vote=Vote.objects.get(pk=vote.pk))
    motion.refresh_from_db()
    assert motion.status == MotionStatus.ADOPTED
    return motion


def adopted_in_council(council: Body, mover: Member, title: str = "Pledge for the district strike") -> Motion:
    """A motion of ``council``, moved by a delegate seated on it, adopted in a quorate session."""
    motion = motion_move(body=council, member=mover, title=title, text=f"{title}: pledge first.")
    if motion.status == MotionStatus.PROPOSED:
        # The test federation seats one delegate per council; a second one seconds the motion.
        seconder = (
            Member.objects.filter(current_unit__path__startswith=council.path).exclude(pk=mover.pk).last()
        )
        assert seconder is not None and seconder.current_unit is not None
        delegation_seat(
            council=council,
            constituency=seconder.current_unit,
            member=seconder,
            term_start=timezone.localdate(),
            term_end=timezone.localdate() + timedelta(days=365),
            source="test election",
        )
        motion = motion_support(motion=motion, member=seconder)
    session = session_open(council=council, member=mover, title="Sitting")
    wait_for_session(session)
    session_roll_sign(session=session, member=mover)
    vote = motion_vote_open(
        motion=motion, member=mover, closes_at=timezone.now() + timedelta(hours=1), session=session
    )
    delegate_vote_cast(vote=vote, member=mover, choice="yes")
    let_time_pass_until(vote.closes_at)
    vote_close(vote=Vote.objects.get(pk=vote.pk))
    session_close(session=session, member=mover)
    motion.refresh_from_db()
    assert motion.status == MotionStatus.ADOPTED, motion.status
    return motion


@dataclass
class Pledges:
    fed: SmallFederation

    def member(self, n: int) -> Member:
        return Member.objects.select_related("current_unit", "person").get(pk=self.fed.members[f"m{n}"].pk)

    def api(self, n: int) -> Api:
        return Api(self.fed.members[f"m{n}"].person)

    @property
    def slug(self) -> str:
        return self.fed.org.slug

    def launch(
        self,
        body: Body | None = None,
        *,
        motion: Motion | None = None,
        condition: str = "unit-percent",
        threshold: Decimal | int = 50,
        deadline: datetime | None = None,
        by: int = 1,
    ) -> PledgeCampaign:
        """A campaign of ``body`` (by default the first unit) on its adopted motion, through the service."""
        body = body or self.fed.units[0]
        member = self.member(by)
        if motion is None:
            motion = adopted_in_assembly(body, member) if body.is_unit else adopted_in_council(body, member)
        return pledge_campaign_launch(
            body=body,
            member=member,
            action="strike on the first Monday of next month",
            condition=condition,
            threshold=Decimal(threshold),
            deadline=deadline or timezone.now() + timedelta(days=14),
            motion=motion,
        )


@pytest.fixture
def pledges(db: None) -> Pledges:
    return Pledges(build_federation(members_per_unit=MEMBERS_PER_UNIT, slug="pl"))


def path(p: Pledges, campaign: PledgeCampaign | int, tail: str = "") -> str:
    cid = campaign if isinstance(campaign, int) else campaign.pk
    return f"/orgs/{p.slug}/pledges/{cid}{tail}"


def as_json(response: Any) -> Any:
    assert response.status_code < 300, (response.status_code, response.content[:400])
    return response.json()
