"""The API's ``detail`` is written in the language of the request's Accept-Language header, and only that:
neither a person's saved choice nor the language cookie changes what a program reads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

from commune.accounts.models import User
from commune.accounts.services import ERASURE_STATEMENT_MAX, user_create
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def _refused(api: ApiClient, language: str | None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {api.token}"}
    if language:
        headers["Accept-Language"] = language
    response = api.client.post(
        "/api/me/erasure-request",
        {"statement": "x" * (ERASURE_STATEMENT_MAX + 1)},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 400
    return response.json()


def test_a_refusal_of_accounts_answers_in_the_header_s_language(api_as: Callable[[User], ApiClient]) -> None:
    api = api_as(user_create(email="ana@example.org", name="Ana"))
    assert _refused(api, None) == {"detail": "Say it in at most 1000 characters."}
    assert _refused(api, "es") == {"detail": "Dilo en 1000 caracteres como máximo."}
    assert _refused(api, "fr-FR,fr;q=0.9") == {"detail": "Dites-le en 1000 caractères au plus."}
    assert _refused(api, "ar") == {"detail": "قل ذلك في 1000 حرفًا على الأكثر."}


def test_the_api_ignores_the_saved_choice_and_the_cookie(api_as: Callable[[User], ApiClient]) -> None:
    person = user_create(email="sam@example.org", name="Sam")
    person.language = "fr"
    person.save()
    api = api_as(person)
    api.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    assert _refused(api, None)["detail"] == "Say it in at most 1000 characters."
    assert _refused(api, "es")["detail"] == "Dilo en 1000 caracteres como máximo."


def test_a_session_caller_also_gets_the_header_s_language() -> None:
    person = user_create(email="noor@example.org", name="Noor")
    person.language = "ar"
    person.save()
    browser = Client()
    browser.force_login(person)
    response = browser.delete("/api/me/tokens/999999", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 404 and response.json() == {"detail": "no existe ese token"}
    anonymous = Client().get("/api/me", HTTP_ACCEPT_LANGUAGE="fr")
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"].startswith("authentification requise")
