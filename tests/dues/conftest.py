"""Dues fixtures: an organisation whose founding constitution sets dues by wage band, makes voting need
good standing (no more than two months unpaid) and lapses a member four months behind after notice.

Congress has two units: U1 (members d1…d6, d2 its treasurer, who keeps its roll) and U2 (d7…d9, d7 its
treasurer). Everyone joins today; ``months_pass`` moves the clock on until exactly so many whole months
of dues have fallen due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from django.utils import timezone

from commune.accounts.models import User
from commune.accounts.services import user_create
from commune.dues.reckoning import month_next, month_start
from commune.federation.constitution import DEFAULT_RULES
from commune.federation.models import Body, Member, Organisation
from commune.federation.services import (
    body_create,
    council_apportion,
    member_admit,
    office_create,
    office_fill,
    organisation_found,
)
from tests.clock import Clock, current_term
from tests.recall.conftest import Api

DUES = {
    "basis": "wage-band",
    "flat_monthly": "10.00",
    "band_monthly": {"B1": "8.00", "B2": "12.00"},
    "percent_of_wage": "0",
    "good_standing_months": 2,
    "voting_requires_good_standing": True,
    "lapse_after_months": 4,
    "lapse_notice_days": 28,
}
RULES: dict[str, Any] = {**DEFAULT_RULES, "dues": DUES}


@dataclass
class Dues:
    org: Organisation
    congress: Body
    u1: Body
    u2: Body
    members: dict[str, Member]
    clock: Clock
    joined: datetime

    def m(self, key: str) -> Member:
        return Member.objects.select_related("person", "current_unit").get(pk=self.members[key].pk)

    def person(self, key: str) -> User:
        return self.members[key].person

    def api(self, key: str) -> Api:
        return Api(self.members[key].person)

    def months_pass(self, months: int) -> datetime:
        """Move the clock to the second day of the month by which exactly ``months`` whole months of
        dues have fallen due for everyone who joined today."""
        month = month_start(self.joined.date())
        if self.joined.day != 1:
            month = month_next(month)
        for _ in range(months):
            month = month_next(month)
        moment = datetime(month.year, month.month, 2, 12, tzinfo=UTC)
        assert moment >= self.clock.now
        self.clock.now = moment
        return moment


@pytest.fixture
def dues(clock: Clock, db: None) -> Dues:
    org = organisation_found(name="Dues Federation", slug="dues", rules=RULES)
    congress = body_create(organisation=org, kind="council", code="CONGRESS", name="Congress", seats_fixed=4)
    u1 = body_create(organisation=org, kind="unit", code="U1", name="Unit One", parent=congress)
    u2 = body_create(organisation=org, kind="unit", code="U2", name="Unit Two", parent=congress)
    members = {}
    for n in range(1, 10):
        person = user_create(email=f"d{n}@dues.example", name=f"Payer {n}", password="x" * 12)
        members[f"d{n}"] = member_admit(
            unit=u1 if n <= 6 else u2, person=person, number=f"D{n:04d}", wage_band="B1" if n % 2 else "B2"
        )
    council_apportion(council=congress, reason="founding")
    start, end = current_term()
    for unit, key in ((u1, "d2"), (u2, "d7")):
        office = office_create(body=unit, title="Treasurer", manages_roll=True)
        office_fill(
            office=office, member=members[key], term_start=start, term_end=end, source="test election"
        )
    return Dues(org, congress, u1, u2, members, clock, timezone.now())
