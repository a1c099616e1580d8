"""The demo federation's pledge campaign, made through the real services.

What it leaves to explore, in the Transport Workers' Federation: the district council that adopted the
strike motion launches, on that very motion, a campaign over its four depots — "I will strike if at least
half of my depot pledges too". Over the days since, two depots have met the condition (their members were
told at once, all with the same notice) and two are half-way, the demo member's depot among them: the demo's
rank-and-file member has not pledged, and can, and can withdraw until their depot meets the condition.
Its readiness page shows where action is ready and where it is not, day by day.

Pledgers are sampled from a seeded ``random.Random``, so the same seed gives the same campaign. Nobody is
ever recorded as a pledger: the services keep only keyed digests.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commune.federation.models import Delegation, Member
from commune.mandates.demo import history_clock
from commune.motions.models import Motion, MotionStatus
from commune.pledges.models import PledgeCampaign, PledgeUnit
from commune.pledges.services import pledge_campaign_launch, pledge_make

ACTION = "strike against split shifts, on the days the district council names"
TEXT = (
    "The district council adopted the strike against split shifts. Before it names the days, it asks every "
    "member to pledge: I will strike if at least half of my depot pledges too. Nobody can see who pledged; "
    "when your depot reaches half, everyone in it is told at once."
)
THRESHOLD = Decimal(50)
DAYS_OPEN = 21
#: The shares of each depot's members who pledge: two depots past half, two half-way there.
SHARES = (0.25, 0.6, 0.57, 0.3)
#: The campaign's days so far, and the share of its pledges made on each.
DAY_SHARES = (0.5, 0.3, 0.2)


@transaction.atomic
def demo_pledges_hold(
    *, motion: Motion, first_depot_code: str, keep: list[Member], rng: random.Random
) -> PledgeCampaign:
    """Launch the campaign on ``motion`` (the strike motion as the district adopted it) and pledge in each
    depot as ``SHARES`` says, the depot ``first_depot_code`` (the demo member's) half-way. ``keep`` (the demo's
    sign-ins) never pledge."""
    motion = Motion.objects.select_related("body").get(pk=motion.pk)
    assert motion.status == MotionStatus.ADOPTED and motion.decided_at is not None, motion.status
    district = motion.body
    registrar = (
        Delegation.objects.filter(council=district, ended_at__isnull=True)
        .select_related("member__current_unit", "member__person")
        .order_by("member__number")
        .first()
    )
    assert registrar is not None, "the demo seated no delegate on the district"
    opened = motion.decided_at + timedelta(hours=1)
    end = timezone.now() - timedelta(minutes=10)
    kept = {m.pk for m in keep}
    with history_clock(opened) as clock:
        campaign = pledge_campaign_launch(
            body=district,
            member=registrar.member,
            action=ACTION,
            text=TEXT,
            condition="unit-percent",
            threshold=THRESHOLD,
            deadline=end + timedelta(days=DAYS_OPEN),
            motion=motion,
        )
        units = list(
            PledgeUnit.objects.filter(campaign=campaign).select_related("unit").order_by("unit__code")
        )
        ordered = sorted(units, key=lambda u: (u.unit.code != first_depot_code, u.unit.code))
        pledgers: list[list[Member]] = []
        for unit, share in zip(ordered, SHARES, strict=False):
            members = [
                m
                for m in Member.objects.filter(current_unit_id=unit.unit_id).order_by("number")
                if m.pk not in kept
            ]
            pledgers.append(rng.sample(members, round(len(members) * share)))
        step = (end - opened) / len(DAY_SHARES)
        done = [0] * len(pledgers)
        for day, day_share in enumerate(DAY_SHARES):
            clock.past(opened + step * day)
            for i, members in enumerate(pledgers):
                upto = (
                    len(members) if day == len(DAY_SHARES) - 1 else done[i] + round(len(members) * day_share)
                )
                for member in members[done[i] : upto]:
                    pledge_make(campaign=campaign, member=member)
                done[i] = upto
    campaign.refresh_from_db()
    return campaign
