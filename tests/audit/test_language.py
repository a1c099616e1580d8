"""The log's pages and refusals in the reader's language; what the log records stays as it was written."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from commune.audit.models import LogEntry
from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request activates its language for the rest of the thread: later tests expect the source's."""
    yield
    translation.activate("en")


def _page(fed: SmallFederation, name: str, language: str, method: str = "get", **data: str) -> str:
    client = Client()
    client.force_login(fed.member)
    url = reverse(f"audit:{name}", kwargs={"slug": fed.org.slug})
    response = getattr(client, method)(url, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_log_in_spanish_with_its_entries_as_recorded(federation: SmallFederation) -> None:
    """The page's words are Spanish; each entry's summary is shown as the log recorded it."""
    page = _page(federation, "log", "es")
    assert "Registro de procedencia" in page and "Todos los órganos" in page
    entry = LogEntry.objects.filter(organisation=federation.org).order_by("-seq").first()
    assert entry is not None
    assert f'id="entry-{entry.seq}"' in page
    arabic = _page(federation, "log", "ar")
    assert "سجل مصدر القرار" in arabic


def test_the_check_of_the_chain_in_arabic_and_french(federation: SmallFederation) -> None:
    checked = _page(federation, "verify", "fr", method="post")
    assert "La chaîne est intacte." in checked
    assert "Intégrité du journal" in _page(federation, "integrity", "fr") or "journal" in checked
    arabic = _page(federation, "verify", "ar", method="post", extends="nonsense")
    assert "يُكتب الرأس بصيغة SEQ:HASH" in arabic


def test_a_refusal_through_the_api_is_in_the_requested_language(federation: SmallFederation) -> None:
    api = ApiClient(federation.member)
    refused = api.client.get(
        f"/api/orgs/{federation.org.slug}/log/verify",
        {"extends": "nonsense"},
        headers={**api._headers(), "Accept-Language": "es"},
    )
    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("una cabeza se escribe SEQ:HASH")
