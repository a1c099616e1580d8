"""Governance in the reader's language: the register, tendencies and executives pages in the browser's
language, and refusals through the API in the Accept-Language language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.governance.conftest import Fed

pytestmark = pytest.mark.django_db


def _page(fed: Fed, n: int, name: str, language: str, **kwargs: str) -> str:
    client = Client()
    client.force_login(fed.members[f"m{n}"].person)
    answer = client.get(
        reverse(f"governance:{name}", kwargs={"slug": fed.slug, **kwargs}), HTTP_ACCEPT_LANGUAGE=language
    )
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_tendencies_page_reads_in_spanish_and_arabic(fed: Fed) -> None:
    spanish = _page(fed, 1, "tendencies", "es")
    assert "Corrientes" in spanish and "Fundar una corriente" in spanish
    arabic = _page(fed, 1, "tendencies", "ar")
    assert "التيارات" in arabic and "أسّس تيارًا" in arabic


def test_the_register_and_executives_pages_read_in_french(fed: Fed) -> None:
    assert "Registre des fonctions" in _page(fed, 1, "register", "fr")
    assert "Bureaux exécutifs, commissions et organes des responsables" in _page(fed, 1, "executives", "fr")
    assert "Rémunération et tranches de salaire" in _page(fed, 1, "pay", "fr")


def test_a_refusal_through_the_api_is_in_the_accept_language_language(fed: Fed) -> None:
    api = fed.api(1)
    answer = api.client.post(
        f"/api/orgs/{fed.slug}/tendencies",
        {"name": "", "platform": ""},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
        **api.headers,
    )
    assert answer.status_code == 400
    assert "una corriente necesita un nombre y una plataforma" in answer.json()["detail"]


def test_an_amendment_proposed_in_spanish_is_stored_and_signed_in_english(fed: Fed) -> None:
    """The motion's title and text are the record every member and the log read: they do not take the
    proposer's language (its rule names are translated on the pages that show them)."""
    api = fed.api(1)
    answer = api.client.post(
        f"/api/orgs/{fed.slug}/bodies/D0-U0/constitution-proposals",
        {"changes": {"offices.max_consecutive_terms": 2}, "reason": "Rotar más."},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
        **api.headers,
    )
    assert answer.status_code == 201, answer.json()
    motion = api.get(f"/orgs/{fed.slug}/motions/{answer.json()['motion']}").json()
    assert motion["title"].startswith("Amend the constitution (version 1): ")
    assert motion["text"].startswith("This organisation amends its constitution as follows:\n- ")
    assert "consecutive" in motion["title"].lower()
