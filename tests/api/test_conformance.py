"""Every GET endpoint answers as its OpenAPI schema says, checked by Schemathesis: generated requests
against a small federation with an election, a motion and a recall petition in it, and every answer's
status, content type and body held against the schema."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from commune.accounts.services import api_token_create
from commune.motions.services import motion_move
from tests.clock import Clock
from tests.conftest import SmallFederation
from tests.elections.conftest import call, stand

pytestmark = pytest.mark.django_db(transaction=False)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


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
    """The small federation with something of each kind to read, a member's token, and what names each
    thing in a path."""
    unit = federation.units[0]
    election = call(clock, unit, title="Unit secretary")
    stand(election, federation.members["m1"], federation.members["m4"])
    motion = motion_move(body=unit, member=federation.members["m1"], title="Heating", text="Fix the heating.")
    _, token = api_token_create(user=federation.member, name="conformance")
    return {
        "token": token,
        "known": {
            "slug": federation.org.slug,
            "code": unit.code,
            "election_id": election.pk,
            "motion_id": motion.pk,
            "number": federation.members["m3"].number,
            "kind": "motion",
        },
    }


def _known(name: str, value: Any, known: dict[str, Any]) -> Any:
    if name in known:
        return known[name]
    return 1 if isinstance(value, int) else value


def _aimed(case: Any, known: dict[str, Any]) -> None:
    """Point most generated requests at things that exist, so that their answers' bodies are checked too,
    while the rest keep the generated values and meet the refusals."""
    parameters = case.path_parameters or {}
    for name, value in parameters.items():
        if zlib.crc32(repr((name, value)).encode()) % 4:  # three in four
            parameters[name] = _known(name, value, known)


def test_get_endpoints_answer_as_their_schema_says(
    small_federation: dict[str, Any], wsgi_app_in_the_test_transaction: Any
) -> None:
    """No GET answers a server error, a status it does not declare, or a body that breaks its schema:
    neither a request for what exists, nor generated ones."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app_in_the_test_transaction)
    headers = {"Authorization": f"Bearer {small_federation['token']}"}
    known = small_federation["known"]
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) > 30

    for operation in operations:
        names = [p.name for p in operation.path_parameters]
        existing = operation.Case(path_parameters={name: _known(name, 0, known) for name in names})
        existing.call_and_validate(headers=headers, checks=CHECKS)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=10,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_declared(case: Any) -> None:
            _aimed(case, known)
            case.call_and_validate(headers=headers, checks=CHECKS)

        answers_as_declared()
