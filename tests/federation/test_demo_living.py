"""What the demo shows of a living federation: applications waiting (one refused and appealed to the
depot's general assembly), members in arrears, a transfer in progress, a depot added by its district
council's motion with the seats apportioned again, a payment corrected and a refund, and a change of wage
band — each made through the real services and on the log."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commune.audit.models import LogEntry
from commune.audit.services import chain_verify
from commune.dues.demo import DEMO_BAND_MONTHLY
from commune.dues.models import AdjustmentKind, DuesAdjustment, WageBandChange
from commune.dues.selectors import member_standing, months_in_arrears_of
from commune.federation.demo import demo_sign_ins
from commune.federation.models import Member
from commune.membership.models import Application, ApplicationStatus, Transfer, TransferStatus
from commune.structure.models import StructuralChange
from tests.conftest import seed_demo

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_living_federation() -> None:
    org = seed_demo()
    secretary = Member.objects.get(person__email=demo_sign_ins()[1].email)
    depot = secretary.current_unit_id

    waiting = Application.objects.filter(organisation=org, unit_id=depot)
    assert waiting.filter(status=ApplicationStatus.PENDING).count() == 2
    # The appeal put itself before the depot's assembly, whose vote on admitting the applicant is open.
    appealed = waiting.get(status=ApplicationStatus.ASSEMBLY)
    assert appealed.decided_by_id == secretary.pk and appealed.appeal and appealed.reason
    assert appealed.motion is not None and appealed.motion.moved_on
    assert appealed.motion.votes.filter(closed_at__isnull=True).count() == 1
    assert LogEntry.objects.filter(organisation=org, action="application.appealed").count() == 1

    behind, allowed = months_in_arrears_of(organisation_id=org.pk)
    assert sum(1 for months in behind.values() if months > allowed) >= 1

    transfer = Transfer.objects.get(organisation=org)
    assert transfer.status == TransferStatus.PENDING and transfer.to_unit_id == depot

    change = StructuralChange.objects.get(organisation=org)
    assert change.status == "applied" and change.motion.status == "adopted"
    assert change.motion.body.code in change.outcome["apportionments"]

    adjustments = DuesAdjustment.objects.filter(organisation=org)
    correction = adjustments.get(kind=AdjustmentKind.CORRECTION)
    assert correction.change < 0 and correction.payment is not None
    refund = adjustments.get(kind=AdjustmentKind.REFUND)
    assert refund.change < 0 and refund.member.current_unit_id == depot

    promoted = WageBandChange.objects.filter(organisation=org, recorded_by=secretary).get()
    assert promoted.member.wage_band == promoted.band != promoted.band_before
    # Their dues this month are the new band's.
    assert member_standing(member=promoted.member).current_amount == Decimal(DEMO_BAND_MONTHLY[promoted.band])
    assert LogEntry.objects.filter(organisation=org, action="dues.wage_band_changed").count() == 1

    report = chain_verify(organisation_id=org.pk)
    assert report.ok, report.problem
