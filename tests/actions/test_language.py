"""Collective action in the reader's language: the pages in the browser's language with the numbers and
times a machine reads left as they are, refusals through the API in the Accept-Language language, and a
call to action announced to each member in the language they chose."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from commune.notifications.models import Notification
from tests.actions.conftest import Fed, adopted, call
from tests.actions.test_events_api import _events_in, picket
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _page(n: int, url: str, language: str) -> str:
    client = Client()
    assert client.login(email=f"m{n}@tf.example", password=PASSWORD)
    answer = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200
    return answer.content.decode()


def test_an_event_page_reads_in_spanish_and_arabic_with_its_machine_values_unchanged(fed: Fed) -> None:
    made = picket(fed).json()
    url = f"/o/{fed.slug}/action/events/{made['id']}/"
    spanish = _page(1, url, "es")
    assert "Apuntarte a Early" in spanish and "Plazas libres" in spanish
    assert f'name="shift" value="{made["shifts"][0]["id"]}"' in spanish
    assert f'<time datetime="{made["starts_at"][:4]}-' in spanish
    arabic = _page(1, url, "ar")
    assert "التسجيل في Early" in arabic and "الأماكن المتبقية" in arabic


def test_the_calendar_reads_in_french(fed: Fed) -> None:
    assert "Appels à l'action" in _page(1, f"/o/{fed.slug}/action/", "fr")


def test_a_refusal_through_the_api_is_in_the_accept_language_language(fed: Fed) -> None:
    authority = adopted(fed, "D0", (3, 6))
    today = timezone.localdate()
    api = fed.api(3)
    answer = api.client.post(
        f"/api/orgs/{fed.slug}/bodies/D0/action-calls",
        {
            "authority": authority,
            "kind": "demonstration",
            "title": "End split shifts",
            "demands": "An end to split shifts.",
            "starts_on": today.isoformat(),
            "ends_on": today.replace(year=today.year - 1).isoformat(),
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
        **api.headers,
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("la acción no puede terminar antes de empezar")


def test_a_call_is_announced_to_each_member_in_the_language_they_chose(fed: Fed) -> None:
    spanish = fed.members["m1"].person
    spanish.language = "es"
    spanish.save(update_fields=["language"])
    assert call(fed, 3, "D0", adopted(fed, "D0", (3, 6))).status_code == 201
    told = Notification.objects.get(person=spanish, kind="action.called")
    assert "convoca (manifestación): End split shifts" in told.subject
    assert told.body.startswith("Del ") and "Reivindicaciones: An end to split shifts." in told.body
    english = Notification.objects.get(person=fed.members["m2"].person, kind="action.called")
    assert "calls demonstration: End split shifts" in english.subject


def test_each_calendar_feed_is_in_the_language_its_reader_saved(fed: Fed) -> None:
    """A calendar application sends no language: the feeds follow the reader's saved choice, whichever
    address they come by, and stay in English for a reader who saved none."""
    early = picket(fed).json()["shifts"][0]["id"]
    fed.api(1).post(f"/orgs/{fed.slug}/shifts/{early}/signups")
    url = fed.api(1).post("/me/calendar-feed").json()["url"]
    english = Client().get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert "My shift: Early (Picket at the depot gate)" in _events_in(english.content)
    spanish = fed.members["m1"].person
    spanish.language = "es"
    spanish.save(update_fields=["language"])
    mine = Client().get(url)
    assert "Mi turno: Early (Picket at the depot gate)" in _events_in(mine.content)
    assert "X-WR-CALNAME:Member 001: calendario de acción" in mine.content.decode()
    browser = Client()
    assert browser.login(email="m1@tf.example", password=PASSWORD)
    federation = browser.get(f"/o/{fed.slug}/action/calendar.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert "Turno Early" in federation.content.decode().replace("\r\n ", "")
