"""The OpenAPI schema declares every status an endpoint can answer, so a client written from it handles
every answer. (Beyond these rules, every answer the API gives anywhere in the suite is checked against the
schema: ``tests/answers.py``.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from commune.api.answers import ERROR_DESCRIPTIONS

WRITES = {"POST", "PUT", "PATCH", "DELETE"}

Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture
def operations(db: None) -> list[Operation]:
    schema = Client().get("/api/openapi.json").json()
    return [
        (method.upper(), path, op) for path, item in schema["paths"].items() for method, op in item.items()
    ]


def _undeclared(
    operations: list[Operation], status: int, can_answer: Callable[[Operation], bool]
) -> list[str]:
    """The operations that can answer ``status`` but do not declare it."""
    return [
        f"{method} {path}"
        for method, path, op in operations
        if can_answer((method, path, op)) and str(status) not in op["responses"]
    ]


def _any(operation: Operation) -> bool:
    return True


def _names_something(operation: Operation) -> bool:
    return "{" in operation[1]


def _takes_input(operation: Operation) -> bool:
    return bool(operation[2].get("parameters")) or "requestBody" in operation[2]


def _has_a_body(operation: Operation) -> bool:
    return "requestBody" in operation[2]


def _writes(operation: Operation) -> bool:
    return operation[0] in WRITES


def _writes_in_an_organisation(operation: Operation) -> bool:
    return operation[0] in WRITES and operation[1].startswith("/api/orgs/{slug}/")


def test_every_operation_declares_401(operations: list[Operation]) -> None:
    """Every endpoint needs a signed-in caller, so every one can answer 401."""
    assert _undeclared(operations, 401, _any) == []


def test_every_operation_in_an_organisation_declares_404(operations: list[Operation]) -> None:
    """An organisation the caller is not a current member of is 'not found', so everything under
    /api/orgs/{slug} can answer 404; so can anything else whose path names a thing."""
    assert all(_names_something(op) for op in operations if op[1].startswith("/api/orgs/{slug}"))
    assert _undeclared(operations, 404, _names_something) == []


def test_every_operation_with_input_declares_422(operations: list[Operation]) -> None:
    """Whatever takes a body, a query or a typed path can be sent input it refuses as invalid, and a body
    that is not JSON at all is refused with 400."""
    assert _undeclared(operations, 422, _takes_input) == []
    assert _undeclared(operations, 400, _has_a_body) == []


def test_every_write_declares_403(operations: list[Operation]) -> None:
    """A browser session's write without its CSRF header is refused with 403, whatever the endpoint."""
    assert _undeclared(operations, 403, _writes) == []


def test_writes_that_ask_a_service_to_act_declare_its_refusals(operations: list[Operation]) -> None:
    """Every write in an organisation asks a service to act, and a service refuses a broken rule (400), a
    person not entitled (403) or the wrong stage (409)."""
    for status in (400, 403, 409):
        assert _undeclared(operations, status, _writes_in_an_organisation) == [], status


def test_every_error_answer_says_what_it_means(operations: list[Operation]) -> None:
    """Each declared error is described in the API's own words, with the `{"detail": ...}` body."""
    for method, path, op in operations:
        for status, answer in op["responses"].items():
            if int(status) >= 400:
                assert answer["description"] == ERROR_DESCRIPTIONS[int(status)], (method, path, status)
                schema = answer["content"]["application/json"]["schema"]
                assert schema["$ref"].endswith(("/ErrorOut", "/InvalidOut")), (method, path, status)
