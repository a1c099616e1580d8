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


def _titles_and_summaries(node: dict[str, Any]) -> list[str]:
    found = [node["title"], node["summary"]]
    for child in node["children"]:
        found += _titles_and_summaries(child)
    return found


def test_the_nodes_of_a_provenance_tree_are_in_the_requested_language(decided: Any) -> None:
    """Each node's title and summary is written in the reader's words around the organisation's own (its
    bodies' and people's names, the question), which stay as they were."""
    fed, decision = decided
    api = fed.api(1)
    path = f"/api/orgs/{fed.slug}/decisions/vote/{decision.council_vote}/provenance"
    english = _titles_and_summaries(api.client.get(path, **api.headers).json()["root"])
    spanish = _titles_and_summaries(
        api.client.get(path, HTTP_ACCEPT_LANGUAGE="es", **api.headers).json()["root"]
    )
    assert len(spanish) == len(english)
    assert "Council D0, in session “District 0 meets”: 4 seats voted" in english
    assert "Consejo D0, en la sesión «District 0 meets»: votaron 4 escaños" in spanish
    assert "Member 004 por Unit 0.0" in spanish and "Votó sí (peso 1); sin mandato" in spanish
    assert (
        "Escaños de District 0" in spanish
        and "Boletín público de Delegates of Unit 0.0 to District 0" in spanish
    )
    assert (
        "El electorado: todos los afiliados del órgano, 5 electores que representan a 5 afiliados" in spanish
    )
    # The question, the motion's title and the names of bodies are the organisation's words.
    assert spanish[0] == english[0] == "Adopt the motion “Open a strike fund”?"
    assert not [
        text for text in spanish if re.search(r"\b(Seats of|Bulletin of|Voted|entitled|ballots)\b", text)
    ]
