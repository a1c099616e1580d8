"""A call-in's electorate (the delegates who may sign it) is fixed when it opens: a delegate seated
afterwards does not sign it, one whose seat or membership ends afterwards still does."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commune.audit.models import LogEntry
from commune.federation.electorate import electorate_digest
from commune.federation.services import delegation_seat, member_lapse
from commune.governance.errors import NotEntitled
from commune.governance.models import CallIn, CallInStatus
from commune.governance.services import call_in_sign
from commune.motions.models import MotionStatus
from tests.clock import current_term
from tests.governance.conftest import Fed
from tests.governance.test_executives_api import decide, establish

pytestmark = pytest.mark.django_db


def _open(fed: Fed) -> CallIn:
    """District 0's delegate m3 calls in a decision of the Strike Commission: 1 of the 2 signatures."""
    establish(fed)
    decision: dict[str, Any] = decide(fed, 1, "book-venues").json()
    opened = fed.api(3).post(
        f"/orgs/{fed.slug}/decisions/{decision['id']}/call-in", {"reason": "Too costly."}
    )
    assert opened.status_code == 201, opened.json()
    return CallIn.objects.get(pk=opened.json()["id"])


def test_a_delegate_who_lapses_after_the_call_in_opens_still_signs_and_it_counts(fed: Fed) -> None:
    """m6 lapses (their seat on District 0 ends with it) and still signs: the second signature puts the
    reversal on the council's agenda, moved by m3 with m6's support."""
    call_in = _open(fed)
    member_lapse(member=fed.members["m6"])
    call_in = call_in_sign(call_in=call_in, member=fed.members["m6"])
    call_in.refresh_from_db()
    assert call_in.status == CallInStatus.BEFORE_COUNCIL
    assert call_in.motion is not None and call_in.motion.status == MotionStatus.ON_AGENDA
    assert LogEntry.objects.get(action="executive_decision.called_in").payload["signers"] == [
        fed.members["m3"].number,
        fed.members["m6"].number,
    ]


def test_a_delegate_seated_after_the_call_in_opens_may_not_sign_it(fed: Fed) -> None:
    call_in = _open(fed)
    d0, u = fed.small.districts[0], fed.small.units
    delegation_seat(
        council=d0,
        constituency=u[1],
        member=fed.members["m7"],
        term_start=current_term()[0],
        term_end=current_term()[1],
        source="test election",
    )
    with pytest.raises(NotEntitled):
        call_in_sign(call_in=call_in, member=fed.members["m7"])
    call_in.refresh_from_db()
    assert (call_in.status, call_in.signatures.count()) == (CallInStatus.GATHERING, 1)


def test_the_call_in_opening_log_entry_carries_the_electorates_size_and_digest(fed: Fed) -> None:
    call_in = _open(fed)
    entry = LogEntry.objects.get(action="executive_decision.call_in_opened")
    delegates = [fed.members["m3"].pk, fed.members["m6"].pk]
    assert sorted(call_in.electors.values_list("member_id", flat=True)) == sorted(delegates)
    assert entry.payload["electorate"] == 2
    assert entry.payload["electorate_digest"] == electorate_digest(delegates)


def test_through_the_api_a_lapsed_delegate_signs_and_one_seated_since_may_not(fed: Fed) -> None:
    """The API admits exactly the call-in's electorate: m6 lapses after it opens and still signs, which
    puts it to the council; m7, seated on District 0 since, is refused. The lapsed delegate also reads it."""
    call_in = _open(fed)
    delegation_seat(
        council=fed.small.districts[0],
        constituency=fed.small.units[1],
        member=fed.members["m7"],
        term_start=current_term()[0],
        term_end=current_term()[1],
        source="test election",
    )
    signatures = f"/orgs/{fed.slug}/call-ins/{call_in.pk}/signatures"
    assert fed.api(7).post(signatures).status_code == 403
    member_lapse(member=fed.members["m6"])
    signed = fed.api(6).post(signatures)
    assert signed.status_code == 201, signed.json()
    assert signed.json()["status"] == CallInStatus.BEFORE_COUNCIL
    assert fed.api(6).get(f"/orgs/{fed.slug}/call-ins/{call_in.pk}").status_code == 200


def test_on_the_page_a_lapsed_delegate_signs_the_call_in(fed: Fed) -> None:
    call_in = _open(fed)
    member_lapse(member=fed.members["m6"])
    client = Client()
    client.force_login(fed.members["m6"].person)
    response = client.post(
        reverse("governance:call_in_sign", kwargs={"slug": fed.slug, "call_in_id": call_in.pk})
    )
    assert response.status_code == 302
    call_in.refresh_from_db()
    assert (call_in.status, call_in.signatures.count()) == (CallInStatus.BEFORE_COUNCIL, 2)
