"""The federation's pages, refusals and constitution read in the member's language."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from commune.federation.constitution import DEFAULT_RULES
from commune.federation.constitution_words import rule_label, rule_value_words
from commune.federation.views.constitution import rules_in_words
from tests.api.conftest import ApiClient
from tests.conftest import SmallFederation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request activates its language for the rest of the thread: later tests expect the source's."""
    yield
    translation.activate("en")


def _page(fed: SmallFederation, name: str, language: str, **kwargs: str) -> str:
    client = Client()
    client.force_login(fed.member)
    response = client.get(
        reverse(f"federation:{name}", kwargs={"slug": fed.org.slug, **kwargs}), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_my_organisation_in_spanish_and_arabic(federation: SmallFederation) -> None:
    """The home page speaks the browser's language; the organisation's own names stay as they are."""
    spanish = _page(federation, "home", "es")
    assert "Quién te representa, hasta arriba del todo" in spanish
    assert "Who represents you" not in spanish
    arabic = _page(federation, "home", "ar")
    assert "من يمثّلك، في كل المستويات" in arabic
    assert federation.units[0].name in arabic


def test_the_federation_tree_counts_in_the_readers_language(federation: SmallFederation) -> None:
    """The outline's facts (members, seats) and its plural forms follow the language."""
    spanish = _page(federation, "tree", "es")
    assert "3 consejos y 4 secciones." in spanish
    assert "5 afiliados" in spanish
    french = _page(federation, "tree", "fr")
    assert "3 conseils et 4 sections." in french


def test_a_council_and_a_unit_in_spanish(federation: SmallFederation) -> None:
    council = _page(federation, "body", "es", code=federation.districts[0].code)
    assert "Circunscripciones y sus escaños" in council
    unit = _page(federation, "body", "ar", code=federation.units[0].code)
    assert "المجالس الأعلى" in unit


def test_the_constitution_page_says_each_rule_in_the_language(federation: SmallFederation) -> None:
    """The rules in force read as sentences in the reader's language; the stored keys are never shown."""
    spanish = _page(federation, "constitution", "es")
    assert "Los estatutos solo cambian por una votación de la afiliación." in spanish
    assert "Los delegados se eligen por el voto único transferible (reglas escocesas)." in spanish
    arabic = _page(federation, "constitution", "ar")
    assert "الانتخابات" in arabic


def test_rule_words_follow_the_active_language() -> None:
    """A rule's name and value are said in the active language; outside one they are the English source."""
    with translation.override("fr"):
        assert rule_label("decisions.ordinary_majority") == "Majorité ordinaire"
        assert rule_value_words("decisions.ordinary_majority", "2/3") == "les deux tiers"
        assert rule_value_words("ballots.member_votes_secret", True) == "oui"
        headings = [group.heading for group in rules_in_words(DEFAULT_RULES)]
        assert headings[0] == "Élections"
    with translation.override("en"):
        assert rule_label("decisions.ordinary_majority") == "Ordinary majority"
        assert rules_in_words(DEFAULT_RULES)[0].heading == "Elections"


def test_plural_rule_sentences_choose_the_form_by_number() -> None:
    with translation.override("es"):
        sentences = [s for group in rules_in_words(DEFAULT_RULES) for s in group.sentences]
    assert "Un mandato dura 12 meses." in sentences


def test_an_api_refusal_is_in_the_accept_language(federation: SmallFederation) -> None:
    """The API's ``detail`` is written in the language the request asks for; the status and codes are not."""
    member_api = ApiClient(federation.member)
    response = member_api.client.get(
        "/api/orgs/tf/bodies/NOPE", headers={**member_api._headers(), "Accept-Language": "es"}
    )
    assert response.status_code == 404
    assert response.json()["detail"] == "no existe ese órgano"
    english = member_api.get("/api/orgs/tf/bodies/NOPE")
    assert english.json()["detail"] == "no such body"
