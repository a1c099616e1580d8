"""A decision's provenance read in the reader's language; the organisation's words stay as they were."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from tests.clock import Clock
from tests.provenance.federation import (
    CouncilDecision,
    ElectedFederation,
    build_elected_federation,
    decide_forwarded_motion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request activates its language for the rest of the thread: later tests expect the source's."""
    yield
    translation.activate("en")


@pytest.fixture
def decided(clock: Clock) -> tuple[ElectedFederation, CouncilDecision]:
    fed = build_elected_federation(clock)
    return fed, decide_forwarded_motion(fed)


def test_the_provenance_page_in_spanish_and_arabic(decided: Any) -> None:
    """The page's words follow the language; each log entry's position stays a plain number for links."""
    fed, decision = decided
    client = Client()
    client.force_login(fed.m(12).person)
    url = f"/o/{fed.slug}/decisions/vote/{decision.council_vote}/provenance/"
    spanish = re.sub(r"\s+", " ", client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode())
    assert "Procedencia:" in spanish and "Entrada del registro n.º" in spanish
    arabic = re.sub(r"\s+", " ", client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode())
    assert "مصدر القرار" in arabic


def test_a_refusal_through_the_api_is_in_the_requested_language(decided: Any) -> None:
    fed, decision = decided
    api = fed.api(1)
    unknown = api.client.get(
        f"/api/orgs/{fed.slug}/decisions/decree/{decision.council_vote}/provenance",
        HTTP_ACCEPT_LANGUAGE="es",
        **api.headers,
    )
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "no existe esa decisión"}
