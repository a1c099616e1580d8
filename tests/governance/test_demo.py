"""The demo's governance: a tendency, wage bands and an officer's pay within the cap, and an executive of
Congress created by its own adopted motion, with decisions under its powers and one reversed on call-in."""

from __future__ import annotations

import pytest

from commune.audit.verification import chain_verify
from commune.federation.demo import demo_sign_ins
from commune.federation.models import Member, OfficeTerm
from commune.governance.demo import EXECUTIVE_CODE, EXECUTIVE_POWERS, TENDENCY_NAME, WAGE_BAND_WEEKLY
from commune.governance.models import (
    CallIn,
    CallInStatus,
    DecisionStatus,
    Executive,
    ExecutiveStatus,
    OfficePay,
    PayStatus,
    Tendency,
    WageBand,
)
from commune.governance.services import pay_cap
from commune.motions.models import MotionStatus
from commune.provenance.selectors import decision_provenance
from tests.conftest import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_governance_through_the_services_and_its_log_verifies() -> None:
    """A tendency with members; every wage band with its weekly figure; Congress's General Secretary
    elected, paid within the cap by Congress's adopted motion; the Strike Fund Committee established by
    Congress's adopted charter motion, deciding under its powers, one decision reversed on call-in; each
    decision's provenance complete back to the elections."""
    org = seed_demo()
    sign_ins = set(
        Member.objects.filter(person__email__in=[s.email for s in demo_sign_ins()]).values_list(
            "pk", flat=True
        )
    )
    assert len(sign_ins) == 3

    tendency = Tendency.objects.get(organisation=org, name=TENDENCY_NAME)
    assert tendency.platform and tendency.dissolved_at is None
    joined = set(tendency.memberships.filter(left_at__isnull=True).values_list("member_id", flat=True))
    assert len(joined) >= 5 and not joined & sign_ins

    bands = dict(WageBand.objects.filter(organisation=org).values_list("code", "weekly"))
    assert bands == WAGE_BAND_WEEKLY
    cap = pay_cap(organisation=org)
    pay = OfficePay.objects.select_related("office__body", "motion").get(office__body__organisation=org)
    assert pay.status == PayStatus.IN_FORCE and pay.office.body.code == "CONGRESS"
    assert pay.weekly <= cap.cap_weekly == pay.cap_when_set
    assert pay.motion.status == MotionStatus.ADOPTED and pay.motion.body_id == pay.office.body_id
    term = OfficeTerm.objects.select_related("elected_by__election").get(office=pay.office)
    assert term.elected_by.election.status == "declared"

    executive = Executive.objects.select_related("council", "motion").get(
        organisation=org, code=EXECUTIVE_CODE
    )
    assert executive.status == ExecutiveStatus.ACTIVE and executive.council.code == "CONGRESS"
    assert executive.powers == list(EXECUTIVE_POWERS)
    assert executive.motion.status == MotionStatus.ADOPTED and executive.motion.adopted_by_id is not None
    assert executive.seats.filter(ended_at__isnull=True).count() == 3
    decisions = list(executive.decisions.order_by("decided_at", "id"))
    assert [d.power for d in decisions] == list(EXECUTIVE_POWERS)
    assert [d.status for d in decisions] == [DecisionStatus.STANDING] * 2 + [DecisionStatus.REVERSED]
    call_in = CallIn.objects.select_related("motion").get(decision=decisions[-1])
    assert call_in.status == CallInStatus.REVERSED and call_in.signatures.count() >= call_in.threshold
    assert decisions[-1].reversed_by_id == call_in.motion_id

    for decision in decisions:
        provenance = decision_provenance(kind="executive-decision", decision=decision)
        assert provenance.complete, provenance.gaps
    report = chain_verify(organisation_id=org.pk)
    assert report.ok, report.problem
