"""Pledges read in each member's language: the pages, a refusal, the notices, and machine numbers left as
machines read them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from commune.notifications.models import Notification
from commune.pledges.disclosure import figure_disclose
from commune.pledges.templatetags.pledge_words import said
from tests.pledges.conftest import Pledges, as_json, path


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request activates its language for the rest of the thread: later tests expect the source's."""
    yield
    translation.activate("en")


def _page(p: Pledges, n: int, url: str, language: str) -> str:
    client = Client()
    client.force_login(p.fed.members[f"m{n}"].person)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_pledge_pages_in_spanish_and_arabic(pledges: Pledges) -> None:
    """The list, a campaign and its readiness speak the reader's language; the action, the organisation's
    own words, is quoted as launched."""
    p = pledges
    campaign = p.launch()
    listing = _page(p, 1, f"/o/{p.slug}/pledges/", "es")
    assert "Lanzar una campaña" in listing
    detail = _page(p, 1, f"/o/{p.slug}/pledges/{campaign.pk}/", "ar")
    assert "تعهدك" in detail and "strike on the first Monday of next month" in detail
    readiness = _page(p, 1, f"/o/{p.slug}/pledges/{campaign.pk}/readiness/", "es")
    assert "Participación en elecciones" in readiness


def test_the_readiness_chart_keeps_its_coordinates_for_the_browser_in_spanish(pledges: Pledges) -> None:
    """Spanish writes 12,5 where English writes 12.5: the chart's coordinates are for the browser, so they
    keep the point; the figures a reader reads are in the page's language."""
    p = pledges
    campaign = p.launch(p.fed.districts[0], by=3)
    for n in range(1, 4):
        as_json(p.api(n).post(path(p, campaign, "/pledge")))
    page = _page(p, 3, f"/o/{p.slug}/pledges/{campaign.pk}/readiness/", "es")
    numbers = re.findall(r' (?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', page)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers), numbers
    assert "," not in "".join(numbers)


def test_a_pledge_count_is_said_in_the_readers_language_and_kept_in_the_source_for_the_log() -> None:
    figure = figure_disclose(2, 40, 5)
    assert figure.text == "fewer than 5"
    with translation.override("fr"):
        assert said(figure) == "moins de 5"
    assert figure.text == "fewer than 5"


def test_a_refusal_through_the_api_is_in_the_requested_language(pledges: Pledges) -> None:
    p = pledges
    campaign = p.launch()
    api = p.api(1)
    as_json(api.post(path(p, campaign, "/pledge")))
    twice = api.client.post(
        f"/api{path(p, campaign, '/pledge')}",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
        **api.headers,
    )
    assert twice.status_code == 409
    assert twice.json()["detail"] == "vous vous êtes déjà engagé·e dans cette campagne"


def test_the_condition_met_notice_reaches_each_member_in_their_language(
    pledges: Pledges, django_capture_on_commit_callbacks: Any
) -> None:
    """One notice, the same for every member of the unit in each language, so it still says nothing of who
    pledged; each reads it in the language they chose."""
    p = pledges
    spanish = p.fed.members["m7"].person
    spanish.language = "es"
    spanish.save(update_fields=["language"])
    campaign = p.launch(p.fed.districts[0], by=3)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(1, 7):
            as_json(p.api(n).post(path(p, campaign, "/pledge")))
    to_spanish = Notification.objects.get(kind="pledges.unit_met", person=spanish)
    assert to_spanish.subject.startswith("Suficientes afiliados de")
    assert "strike on the first Monday of next month" in to_spanish.body
    english = Notification.objects.filter(kind="pledges.unit_met").exclude(person=spanish)
    assert english.exists() and all(n.subject.startswith("Enough of") for n in english)
