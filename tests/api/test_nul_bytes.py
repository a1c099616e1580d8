"""A NUL character cannot be stored in PostgreSQL's text (psycopg refuses it with a ``DataError``), so no
text may carry one: every endpoint answers 422 naming the field, and every page refuses it in its path or
query naming the field (in a posted form, the form shows the error on the field), never a 500. Proved by walking the OpenAPI schema: each path parameter, query parameter and body field of
each operation in turn."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from commune.accounts.services import user_create
from commune.api.root import api
from tests.api.conftest import ApiClient
from tests.conftest import PASSWORD, SmallFederation

NUL_TEXT = "before\x00after"


def _body_fields(operation: dict[str, Any], components: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return []
    schema = content["schema"]
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return list(schema.get("properties", {}))


def _cases() -> Iterator[tuple[str, str, str, str]]:
    """(method, path template, where, field) for every field of every operation."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    for template, item in schema["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                yield method, template, parameter["in"], parameter["name"]
            for field in _body_fields(operation, components):
                yield method, template, "body", field


CASES = list(_cases())


def test_the_walk_covers_every_kind_of_input() -> None:
    """The walk reaches path and query parameters and body fields, across the whole API."""
    kinds = {where for _, _, where, _ in CASES}
    assert kinds == {"path", "query", "body"}
    assert len({(m, t) for m, t, _, _ in CASES}) > 60


@pytest.mark.parametrize(("method", "template", "where", "field"), CASES, ids=lambda v: str(v))
def test_a_nul_character_in_any_field_is_refused_with_422_naming_it(
    db: None, method: str, template: str, where: str, field: str
) -> None:
    """Whatever the field, a NUL in it gets 422 with the field named, not a server error. The caller is a
    person with a token and nothing else, in an empty database: the NUL is refused as the request arrives,
    before anything is looked up (without that refusal these requests would get a 401, 403 or 404, and
    fail here all the same), and 579 cases need not each put a federation back."""
    caller = ApiClient(user_create(email="caller@nul.example", name="Caller", password=PASSWORD))
    known = {"slug": "tf", "code": "D0-U0", "number": "TF00001"}

    def value(name: str) -> str:
        if where == "path" and name == field:
            return NUL_TEXT.replace("\x00", "%00")
        return str(known.get(name, 1))

    path = re.sub(r"\{(\w+)\}", lambda m: value(m.group(1)), template)
    query = {field: NUL_TEXT} if where == "query" else {}
    body = {field: NUL_TEXT} if where == "body" else {}
    client = Client(raise_request_exception=False)
    headers = {"Authorization": f"Bearer {caller.token}"}
    if method == "get":
        response = client.get(path, query, headers=headers)
    else:
        response = client.generic(
            method.upper(),
            path,
            json.dumps(body),
            content_type="application/json",
            headers=headers,
        )
    assert response.status_code == 422, (method, path, response.status_code, response.content[:300])
    detail = response.json()["detail"]
    assert f"{field}: must not contain a NUL character" in detail
    assert response.json()["errors"][0]["loc"] == [where, field]


def test_a_nul_character_in_a_nested_body_field_is_named_by_its_path(federation: SmallFederation) -> None:
    """Deep in a body, the field is named by its whole path."""
    caller = ApiClient(federation.officer)
    response = caller.post(
        f"/api/orgs/{federation.org.slug}/bodies/{federation.units[0].code}/motions",
        {"title": "Heating", "text": "Fix it.", "extra": [{"note": "a\x00b"}]},
    )
    assert response.status_code == 422
    assert "extra.0.note: must not contain a NUL character" in response.json()["detail"]


def test_a_nul_character_in_a_page_query_is_refused_naming_the_field(federation: SmallFederation) -> None:
    """A page's query string holding a NUL is answered 400 naming the parameter. (In a form posted to a
    page, the form shows the error on the field: ``tests/web/test_nul_in_forms.py``.)"""
    client = Client(raise_request_exception=False)
    assert client.login(username=federation.member.email, password=PASSWORD)
    response = client.get(f"/o/{federation.org.slug}/log/", {"action": "a\x00"})
    assert response.status_code == 400
    assert "“action”" in response.content.decode()
    assert "NUL" in response.content.decode()


def test_a_nul_character_posted_to_the_admin_is_refused_naming_the_field(federation: SmallFederation) -> None:
    """The admin's pages are Django's own: a NUL posted there is still refused at the edge, naming it."""
    client = Client(raise_request_exception=False)
    response = client.post("/admin/login/", {"username": "a\x00", "password": "x"})
    assert response.status_code == 400
    assert "“username”" in response.content.decode()


def test_a_json_body_is_read_here_only_when_it_can_hold_a_nul(
    federation: SmallFederation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body with no zero byte and no ``\\u0000`` cannot hold a NUL, so the check does not parse it a second
    time (the API parses it); a NUL written either way, in UTF-8 or in UTF-16, is still refused."""
    from commune.web import middleware

    parsed: list[bytes] = []
    loads = json.loads

    def counting_loads(body: bytes) -> Any:
        parsed.append(body)
        return loads(body)

    monkeypatch.setattr(middleware, "json", SimpleNamespace(loads=counting_loads))
    client = Client()
    client.force_login(federation.officer)
    path = f"/api/orgs/{federation.org.slug}/bodies/{federation.units[0].code}/motions"
    clean = client.post(
        path, json.dumps({"title": "Heating", "text": "Fix it."}), content_type="application/json"
    )
    assert clean.status_code != 422, clean.json()
    assert parsed == []
    for body in (
        json.dumps({"title": "Heating", "text": "a\x00b"}).encode(),
        json.dumps({"title": "Heating", "text": "a\x00b"}, ensure_ascii=False).encode("utf-16"),
    ):
        refused = client.post(path, body, content_type="application/json")
        assert refused.status_code == 422, refused.content
        assert "text: must not contain a NUL character" in refused.json()["detail"]
    assert len(parsed) == 2
