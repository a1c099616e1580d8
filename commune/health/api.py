"""API: the democracy health of an organisation, or of one body and everything below it.

``GET /api/orgs/{slug}/health?body=CODE`` (``body`` omitted: the whole organisation). Every
share comes with the two counts it is read from; shares are percentages to one decimal place, ``null``
when there is nothing to share (no elections held, no mandated votes cast…).
"""

# No postponed annotations here: ninja reads the schemas at runtime.

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from commune.accounts.access import request_person
from commune.federation.access import access_organisation
from commune.health.access import access_health_scope
from commune.health.figures import Counts
from commune.health.selectors import organisation_health

router = Router(tags=["health"])


class CountsOut(Schema):
    elections: int = Field(description="Contested elections declared (uncontested ones are counted apart).")
    uncontested_elections: int
    election_voted: int = Field(description="Rows of the elections' registers: members who voted.")
    election_electors: int
    election_turnout: Decimal | None
    assembly_votes: int
    assembly_cast: int
    assembly_electorate: int
    assembly_turnout: Decimal | None
    referendum_voted: int
    referendum_electors: int
    referendum_turnout: Decimal | None
    motions_from_units: int = Field(description="Lines of motions first moved in a unit's assembly.")
    motions_from_councils: int = Field(description="Lines of motions first moved in a council.")
    from_units_share: Decimal | None
    council_votes: int = Field(description="Seats' votes cast in councils for the constituencies here.")
    free_mandate_votes: int
    instructed_votes: int = Field(description="Of those, cast under a binding or instructed mandate.")
    followed: int
    departures: int
    compliance: Decimal | None
    petitions_opened: int
    petitions_reached_threshold: int
    recalled: int
    retained: int
    lapsed: int


class BodyHealthOut(Schema):
    code: str
    name: str
    kind: str
    depth: int
    counts: CountsOut


class MonthOut(Schema):
    month: date
    counts: CountsOut


class TenureOut(Schema):
    kind: str
    current: int
    current_median_days: Decimal | None
    ended: int
    ended_median_days: Decimal | None


class HolderOut(Schema):
    number: str
    name: str
    seats: int
    offices: int
    holdings: int


class HoldingsOut(Schema):
    limit: int = Field(description="More seats and offices than this at once is flagged as a warning sign.")
    distribution: dict[int, int] = Field(
        description="Number of seats and offices held → people holding them."
    )
    flagged: list[HolderOut]


class HealthOut(Schema):
    body: str = Field(description="The body read, with everything below it; empty for the organisation.")
    name: str
    totals: CountsOut
    months: list[MonthOut]
    bodies: list[BodyHealthOut]
    tenure: list[TenureOut]
    holdings: HoldingsOut


_SHARES = ("election_turnout", "assembly_turnout", "referendum_turnout", "from_units_share", "compliance")


def _counts(counts: Counts) -> dict[str, Any]:
    return {**counts.__dict__, **{name: getattr(counts, name) for name in _SHARES}}


@router.get(
    "/orgs/{slug}/health",
    response=HealthOut,
    summary="Democracy health: participation, where motions start, mandate compliance, recall, time in "
    "office and seats held, per body and by month",
)
def health_read(request: HttpRequest, slug: str, body: str = "") -> dict[str, Any]:
    user = request_person(request)
    organisation, _ = access_organisation(user, slug)
    scope = access_health_scope(user, organisation, body)
    health = organisation_health(organisation=organisation, scope=scope)
    return {
        "body": health.scope_code,
        "name": health.scope_name,
        "totals": _counts(health.totals),
        "months": [{"month": m.month, "counts": _counts(m.counts)} for m in health.months],
        "bodies": [
            {"code": b.code, "name": b.name, "kind": b.kind, "depth": b.depth, "counts": _counts(b.counts)}
            for b in health.bodies
        ],
        "tenure": [t.__dict__ for t in health.tenure],
        "holdings": {
            "limit": health.holding_limit,
            "distribution": health.holdings,
            "flagged": [{**h.__dict__, "holdings": h.holdings} for h in health.flagged],
        },
    }
