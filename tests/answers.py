"""Every answer the API gives in any test is one its OpenAPI schema declares for that operation, so a
client written from the schema is never surprised (switched on for the whole suite in conftest.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from ninja.operation import Operation


@cache
def declared_answers() -> dict[str, frozenset[int]]:
    """Each operation's declared statuses, by operation id."""
    from commune.api.root import api

    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: frozenset(int(status) for status in operation["responses"])
        for item in schema["paths"].values()
        for operation in item.values()
    }


def _check(operation: Operation, request: Any, response: Any) -> None:
    operation_id = operation.operation_id or operation.api.get_openapi_operation_id(operation)
    declared = declared_answers().get(operation_id)
    if declared is not None and response.status_code not in declared:
        raise AssertionError(
            f"{request.method} {request.path} answered {response.status_code}, which the OpenAPI "
            f"schema does not declare for {operation_id} (declared: {sorted(declared)}): "
            f"{response.content[:300]!r}"
        )


def check_answers_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, an API answer with a status its operation does not declare fails the request, whether
    the operation gave it or the lean path of casting (``commune.api.casting``) gave it for the operation."""
    from commune.api import casting

    run = Operation.run
    respond = casting.cast_respond

    def checked_run(self: Operation, request: Any, **kwargs: Any) -> Any:
        response = run(self, request, **kwargs)
        _check(self, request, response)
        return response

    def checked_respond(request: Any, route: casting.CastRoute, *args: Any) -> Any:
        response = respond(request, route, *args)
        if response is not None:
            _check(route.operation, request, response)
        return response

    monkeypatch.setattr(Operation, "run", checked_run)
    monkeypatch.setattr(casting, "cast_respond", checked_respond)
