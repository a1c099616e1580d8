"""Structural changes read in each member's language: the pages, the refusals, and the notice of a change."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from commune.notifications.models import Notification
from tests.structure.conftest import Fed, apply, decided, fed

__all__ = ["fed"]


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request activates its language for the rest of the thread: later tests expect the source's."""
    yield
    translation.activate("en")


def _page(fed: Fed, n: int, url: str, language: str) -> str:
    client = Client()
    client.force_login(fed.members[f"m{n}"].person)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_changes_and_a_change_in_spanish_and_arabic(fed: Fed) -> None:
    """The list and a change's page speak the reader's language; the motion's own words stay as moved."""
    change = decided(fed, "D0", {"kind": "add", "parent": "D0", "code": "D0-NEW", "name": "New Depot"})
    listing = _page(fed, 1, reverse("structure:changes", kwargs={"slug": fed.slug}), "es")
    assert "Cambios estructurales" in listing
    assert "Crear una sección" in listing
    page = _page(
        fed, 1, reverse("structure:change", kwargs={"slug": fed.slug, "change_id": change["id"]}), "ar"
    )
    assert "القرار" in page and "تطبيق القرار" in page
    assert "New Depot" in page


def test_a_refusal_through_the_api_is_in_the_requested_language(fed: Fed) -> None:
    change = decided(fed, "D0", {"kind": "add", "parent": "D0", "code": "D0-NEW", "name": "New Depot"})
    assert apply(fed, change).status_code == 200
    api = fed.api(1)
    again = api.client.post(
        f"/api/orgs/{fed.slug}/structure/changes/{change['id']}/apply",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
        **api.headers,
    )
    assert again.status_code == 409
    assert "ya se aplicó" in again.json()["detail"]


def test_the_notice_of_a_change_reaches_each_member_in_their_language(fed: Fed) -> None:
    """Whoever applies the change, each member of the units it touches reads its notice in their own
    language; the motion's text, the organisation's words, is quoted as it was moved."""
    spanish, arabic = fed.members["m1"].person, fed.members["m2"].person
    spanish.language, arabic.language = "es", "ar"
    spanish.save(update_fields=["language"])
    arabic.save(update_fields=["language"])
    change = decided(fed, "D0", {"kind": "merge", "into": "D0-U0", "units": ["D0-U1"]})
    apply(fed, change)
    to_spanish = Notification.objects.get(kind="structure.applied", person=spanish)
    assert to_spanish.subject.startswith("Tu sección: fusionar secciones")
    assert "Ya está hecho." in to_spanish.body
    to_arabic = Notification.objects.get(kind="structure.applied", person=arabic)
    assert to_arabic.subject.startswith("فرعك:")
    english = Notification.objects.get(kind="structure.applied", person=fed.members["m3"].person)
    assert english.subject.startswith("Your unit: merge units")
