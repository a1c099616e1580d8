"""What an endpoint can answer besides success, declared in the OpenAPI schema so that a client knows
every status it must handle.

Some answers come from the API root itself, so the root declares them wherever they can happen
(``declare_common_answers``): 401 on every endpoint (each needs a signed-in caller), 403 on every write (a
browser session's write without its CSRF header), 404 wherever the path names something (missing, or not
the caller's to see), 422 wherever there is input to validate, and 400 wherever a body must be JSON.
The refusals of an endpoint's own work are declared with the endpoint, ``response={201: MotionOut,
**REFUSED}`` for one that asks a service to act, ``response={200: ResultOut, **refusals(409)}`` for a
result that may not be out yet.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})

#: What each error status means, the same across the API (``docs/api.md``).
ERROR_DESCRIPTIONS = {
    400: "Refused: the request breaks a rule of procedure or of the constitution, or its body is not JSON "
    "(`detail` says which)",
    401: "Nobody is signed in, or the bearer token is unknown or revoked",
    403: "Not allowed: the caller may not do this here, or a browser session's write came without its CSRF "
    "header",
    404: "Missing, or not the caller's to see (deliberately the same)",
    409: "Not now: it is not at the stage this needs (already done, closed, not open yet…)",
    422: "Invalid input: `detail` names each field, `errors` lists them",
    429: "Too many tries from this address or for this email address: wait, then try again",
}


class ErrorOut(Schema):
    detail: str = Field(description="What went wrong, in words fit to show the person who asked.")


class InvalidOut(ErrorOut):
    errors: list[dict[str, Any]] = Field(description="Each problem: where (`loc`), what (`msg`), its `type`.")


def refusals(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The refusals an endpoint's own work can answer, to declare beside its success."""
    unknown = set(statuses) - set(ERROR_DESCRIPTIONS)
    assert not unknown, f"no meaning is given to {sorted(unknown)} in ERROR_DESCRIPTIONS"
    return dict.fromkeys(statuses, ErrorOut)


def _error(schema_name: str, status: int) -> dict[str, Any]:
    return {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}},
    }


def declare_common_answers(schema: dict[str, Any]) -> dict[str, Any]:
    """Add to each operation of ``schema`` the answers the API root can give it, and describe every error
    answer in the API's own words. Returns ``schema``, changed in place."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorOut"] = ErrorOut.model_json_schema()
    components["InvalidOut"] = InvalidOut.model_json_schema()
    for item in schema["paths"].values():
        for method, operation in item.items():
            answers = operation.setdefault("responses", {})
            parameters = operation.get("parameters", [])
            common = {401}
            if method in WRITE_METHODS:
                common.add(403)
            if any(p["in"] == "path" for p in parameters):
                common.add(404)
            for status in sorted(common):
                answers.setdefault(status, _error("ErrorOut", status))
            if "requestBody" in operation:
                answers.setdefault(400, _error("ErrorOut", 400))
            if parameters or "requestBody" in operation:
                answers[422] = _error("InvalidOut", 422)
            for status, answer in answers.items():
                if status in ERROR_DESCRIPTIONS:
                    answer["description"] = ERROR_DESCRIPTIONS[status]
            operation["responses"] = dict(sorted(answers.items()))
    return schema


#: What an endpoint that asks a service to act can be refused: a rule broken (400), a person not entitled
#: (403), or the wrong stage (409).
REFUSED = refusals(400, 403, 409)
