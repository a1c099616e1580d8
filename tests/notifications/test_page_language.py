"""The notifications page in the reader's language; the pager's numbers stay plain in its links."""

from __future__ import annotations

import pytest
from django.test import Client

from commune.accounts.services import user_create
from commune.notifications.services import notification_send

pytestmark = pytest.mark.django_db


def test_the_notifications_page_in_spanish_and_french() -> None:
    person = user_create(email="rosa@example.org", name="Rosa")
    notification_send(people=[person] * 1, kind="test", subject="Hola", body="Texto")
    client = Client()
    client.force_login(person)
    spanish = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Marcar todos como leídos" in spanish and ">nuevo<" in spanish
    response = client.post("/notifications/read/", HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert "1 notification marquée comme lue." in response.content.decode()
