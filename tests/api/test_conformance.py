"""Every endpoint answers as its OpenAPI schema says, checked by Schemathesis: every operation (reads and
writes alike), called as an ordinary member and as an officer, with generated requests against a small
federation that has an election, a motion, a recall petition and a session in it. No answer may be a server
error, and every answer's status, content type and body must be what the schema declares.

What was exercised (operations, examples, by role) and what was found is printed in the run's summary
(``tests/conftest.py::pytest_terminal_summary``)."""

from __future__ import annotations

import os
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup, ServerError
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commune.accounts.models import ApiToken
from commune.accounts.services import api_token_create
from commune.actions.models import ActionCall, CallEndorsement, Event, Shift, StrikePayClaim
from commune.governance.models import (
    CallIn,
    ConstitutionProposal,
    ExecutiveDecision,
    OfficePay,
    Tendency,
    WageBandsProposal,
)
from commune.governance.services.tendencies import tendency_found
from commune.mandates.models import Mandate
from commune.motions.models import Amendment, CouncilSession, Referral, Vote
from commune.motions.services import amendment_propose, motion_move, motion_support, motion_vote_open
from commune.motions.services.sessions import session_open
from commune.notifications.models import Notification
from commune.pledges.models import PledgeCampaign
from commune.recall.models import RecallPetition
from tests.clock import Clock
from tests.conftest import FIGURES_KEY, SmallFederation
from tests.elections.conftest import call, stand

pytestmark = pytest.mark.django_db(transaction=False)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

#: Generated requests per operation and role, besides the one aimed wholly at things that exist. Bounded so
#: that the whole run (95 operations, two roles) stays near a minute on a small machine; set
#: COMMUNE_FUZZ_EXAMPLES to search longer (30 finds nothing more today).
EXAMPLES = int(os.environ.get("COMMUNE_FUZZ_EXAMPLES", "4"))


@pytest.fixture
def wsgi_app_in_the_test_transaction() -> Iterator[Any]:
    """Django's WSGI application, called directly: like the test client, it must not close the database
    connection after each request (on PostgreSQL that would lose the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def small_federation(federation: SmallFederation, clock: Clock) -> dict[str, Any]:
    """The small federation with something of each kind to act on (an election with candidates, a motion
    on the agenda with an amendment, another put to the vote, a council's session, a tendency), a member's
    and an officer's token, and what names each thing in a path."""
    unit = federation.units[0]
    election = call(clock, unit, title="Unit secretary")
    candidacy_ids = stand(election, federation.members["m1"], federation.members["m4"])
    m = federation.members
    motion = motion_move(body=unit, member=m["m1"], title="Heating", text="Fix the heating.")
    motion_support(motion=motion, member=m["m4"])
    amendment_propose(motion=motion, member=m["m5"], text="Fix the heating this winter.")
    put = motion_move(body=unit, member=m["m2"], title="Lockers", text="Mend the lockers.")
    motion_vote_open(
        motion=motion_support(motion=put, member=m["m4"]),
        member=m["m2"],
        closes_at=clock.now + timedelta(days=1),
    )
    _, member_token = api_token_create(user=federation.member, name="conformance")
    _, officer_token = api_token_create(user=federation.officer, name="conformance")
    api_token_create(user=federation.member, name="to revoke")
    session_open(council=federation.districts[0], member=federation.members["m3"], title="Sitting")
    tendency_found(
        organisation=federation.org, member=federation.members["m1"], name="Left", platform="Shorter hours."
    )
    return {
        "roles": {
            "member": (member_token, federation.member.pk),
            "officer": (officer_token, federation.officer.pk),
        },
        "known": {
            "slug": federation.org.slug,
            "code": unit.code,
            "election_id": election.pk,
            "candidacy_id": candidacy_ids[1],
            "motion_id": motion.pk,
            "number": federation.members["m3"].number,
            "kind": "motion",
        },
    }


#: What names each kind of thing in a path, for those the fuzzer finds in the database: seeded, or made by
#: its own earlier writes (a session it called, a vote it opened). The first one made is the one aimed at.
ROWS: dict[str, Any] = {
    "amendment_id": Amendment.objects.values_list("pk", flat=True),
    "call_id": ActionCall.objects.values_list("pk", flat=True),
    "claim_id": StrikePayClaim.objects.values_list("pk", flat=True),
    "endorsement_id": CallEndorsement.objects.values_list("pk", flat=True),
    "event_id": Event.objects.values_list("pk", flat=True),
    "shift_id": Shift.objects.values_list("pk", flat=True),
    "call_in_id": CallIn.objects.values_list("pk", flat=True),
    "decision_id": ExecutiveDecision.objects.values_list("pk", flat=True),
    "mandate_id": Mandate.objects.values_list("pk", flat=True),
    "pay_id": OfficePay.objects.values_list("pk", flat=True),
    "campaign_id": PledgeCampaign.objects.values_list("pk", flat=True),
    "petition_id": RecallPetition.objects.values_list("pk", flat=True),
    "proposal_id": ConstitutionProposal.objects.values_list("pk", flat=True),
    "referral_id": Referral.objects.values_list("pk", flat=True),
    "session_id": CouncilSession.objects.values_list("pk", flat=True),
    "tendency": Tendency.objects.values_list("slug", flat=True),
    "token_id": ApiToken.objects.filter(name="to revoke").values_list("pk", flat=True),
    "vote_id": Vote.objects.values_list("pk", flat=True),
    "wage_proposal_id": WageBandsProposal.objects.values_list("pk", flat=True),
}


def _found(known: dict[str, Any], person_id: int) -> dict[str, Any]:
    """``known``, with the first row of each kind the database holds now (of notifications, the caller's)."""
    rows = {
        **ROWS,
        "notification_id": Notification.objects.filter(person_id=person_id).values_list("pk", flat=True),
    }
    found = {name: kind.order_by("pk").first() for name, kind in rows.items()}
    return {**{name: value for name, value in found.items() if value is not None}, **known}


def _known(name: str, value: Any, known: dict[str, Any], path: str = "") -> Any:
    if name == "proposal_id" and "wage-bands" in path:
        name = "wage_proposal_id"
    if name in known:
        return known[name]
    return 1 if isinstance(value, int) else value


def _aimed(case: Any, known: dict[str, Any]) -> None:
    """Point most generated requests at things that exist, so that their answers' bodies are checked too,
    while the rest keep the generated values and meet the refusals. A token id is always the spare one:
    the fuzzer must not revoke the tokens it calls with."""
    parameters = case.path_parameters or {}
    for name, value in parameters.items():
        if name == "token_id" or zlib.crc32(repr((name, value)).encode()) % 4:  # three in four
            parameters[name] = _known(name, value, known, case.operation.path)


class Tally:
    """What the fuzzer did and found, for the assertion and the run's summary."""

    def __init__(self) -> None:
        self.operations: set[str] = set()
        self.reached: set[str] = set()
        self.examples: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.server_errors: list[str] = []
        self.violations: list[str] = []

    def call(self, role: str, case: Any, headers: dict[str, str]) -> None:
        label = f"{case.operation.label} as {role}"
        self.operations.add(case.operation.label)
        self.examples[role] += 1
        response = case.call(headers=headers)
        self.statuses[response.status_code] += 1
        if response.status_code != 404:
            self.reached.add(case.operation.label)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Failure, FailureGroup) as raised:
            failures = raised.exceptions if isinstance(raised, FailureGroup) else [raised]
            for failure in failures:
                where = self.server_errors if isinstance(failure, ServerError) else self.violations
                where.append(f"{label}: {failure.title}: {failure.message[:300]}\n  {case.as_curl_command()}")

    def figures(self) -> dict[str, Any]:
        return {
            "operations": len(self.operations),
            # Those that answered something other than 404 at least once: the rest never found what they
            # name (nothing of that kind exists in the small federation).
            "operations_reached": len(self.reached),
            "operations_never_reached": sorted(self.operations - self.reached),
            "examples": dict(self.examples),
            "statuses": dict(sorted(self.statuses.items())),
            "server_errors": len(self.server_errors),
            "violations": len(self.violations),
        }


def _generated(
    operation: Any, role: str, headers: dict[str, str], known: dict[str, Any], tally: Tally
) -> None:
    """``EXAMPLES`` generated requests to ``operation``, valid and invalid ones alike, each checked."""

    @given(
        case=operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(GenerationMode.NEGATIVE)
    )
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_declared(case: Any) -> None:
        _aimed(case, known)
        tally.call(role, case, headers)

    answers_as_declared()


def test_every_endpoint_answers_as_its_schema_says(
    small_federation: dict[str, Any], wsgi_app_in_the_test_transaction: Any, request: pytest.FixtureRequest
) -> None:
    """No operation, read or write, answers a member or an officer with a server error, a status it does
    not declare, or a body that breaks its schema: neither a request aimed at what exists, nor generated
    ones."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app_in_the_test_transaction)
    operations = [result.ok() for result in schema.get_all_operations()]
    methods = {operation.method.upper() for operation in operations}
    assert len(operations) > 90
    assert {"GET", "POST", "DELETE"} <= methods
    tally = Tally()

    for role, (token, person_id) in small_federation["roles"].items():
        headers = {"Authorization": f"Bearer {token}"}
        for operation in operations:
            known = _found(small_federation["known"], person_id)
            names = [p.name for p in operation.path_parameters]
            existing = operation.Case(
                path_parameters={name: _known(name, 0, known, operation.path) for name in names}
            )
            tally.call(role, existing, headers)
            _generated(operation, role, headers, known, tally)

    figures = tally.figures()
    request.node.user_properties.append((FIGURES_KEY, figures))
    problems = tally.server_errors + tally.violations
    assert not problems, f"{len(problems)} answers break the schema:\n" + "\n".join(problems)
