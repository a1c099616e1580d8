"""Joining, moving and leaving in the reader's language: the pages in the browser's language, refusals
through the API in the Accept-Language language, the confirmation email in the applicant's language and a
transfer's notification in the language the member chose."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from commune.accounts.services import api_token_create
from commune.membership.services import transfer_admit, transfer_request
from commune.notifications.models import Notification
from tests.conftest import SmallFederation, build_federation

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed() -> SmallFederation:
    return build_federation()


def _page(fed: SmallFederation, n: int, name: str, language: str) -> str:
    client = Client()
    client.force_login(fed.members[f"m{n}"].person)
    answer = client.get(reverse(f"membership:{name}", kwargs={"slug": "tf"}), HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_moving_and_directory_pages_read_in_spanish_and_arabic(fed: SmallFederation) -> None:
    spanish = _page(fed, 6, "transfers", "es")
    assert "Trasladarse a otra sección" in spanish and "Pedir el traslado" in spanish
    assert "Directorio de afiliados" in _page(fed, 6, "directory", "es")
    arabic = _page(fed, 6, "transfers", "ar")
    assert "الانتقال إلى فرع آخر" in arabic and "اطلب الانتقال" in arabic


def test_the_application_page_and_its_email_are_in_the_applicants_language(
    fed: SmallFederation, django_capture_on_commit_callbacks: Any
) -> None:
    page = Client().get(reverse("membership:apply", kwargs={"slug": "tf"}), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Demander à adhérer" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = Client().post(
            "/api/orgs/tf/join",
            {"unit": "D0-U0", "name": "Louise Michel", "email": "louise@example.org"},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    assert answer.status_code == 202 and answer.json()["detail"].startswith("Merci.")
    assert mail.outbox[-1].subject.startswith("Confirmez votre demande d'adhésion à ")


def test_a_refusal_through_the_api_is_in_the_accept_language_language(fed: SmallFederation) -> None:
    _, token = api_token_create(user=fed.members["m6"].person, name="t")
    answer = Client().post(
        "/api/orgs/tf/transfers",
        {"to": "NOWHERE"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("elige una de las secciones de la organización")


def test_a_transfer_notice_reaches_the_member_in_the_language_they_chose(fed: SmallFederation) -> None:
    person = fed.members["m6"].person
    person.language = "es"
    person.save(update_fields=["language"])
    asked = transfer_request(member=fed.members["m6"], to_unit_code="D0-U0", statement="Nuevo trabajo")
    transfer_admit(transfer=asked, officer=fed.members["m2"])
    notice = Notification.objects.filter(person=person).latest("pk")
    assert notice.subject.startswith("Ya eres afiliado de ")
    officers = Notification.objects.exclude(person=person).filter(subject__contains="asks to move")
    assert officers.exists()
