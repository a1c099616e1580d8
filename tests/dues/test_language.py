"""Dues in the reader's language: the pages in the browser's language, refusals through the API in the
Accept-Language language, a dues notice in the language the member chose, and numbers a machine reads
left unlocalized."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commune.dues.services import dues_payment_record
from commune.notifications.models import Notification
from tests.dues.conftest import Dues

pytestmark = pytest.mark.django_db


def _page(dues: Dues, key: str, url: str, language: str) -> str:
    client = Client()
    client.force_login(dues.person(key))
    answer = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert answer.status_code == 200
    return answer.content.decode()


def test_a_members_dues_page_reads_in_spanish_and_arabic(dues: Dues) -> None:
    dues.months_pass(3)
    url = reverse("dues:mine", kwargs={"slug": "dues"})
    spanish = _page(dues, "d3", url, "es")
    assert "Mis cuotas" in spanish and "No está al corriente de pago" in spanish
    arabic = _page(dues, "d3", url, "ar")
    assert "اشتراكاتي" in arabic and "غير مسدد لاشتراكاته" in arabic


def test_a_units_dues_page_reads_in_spanish_with_amounts_written_the_spanish_way(dues: Dues) -> None:
    dues.months_pass(3)
    dues_payment_record(
        officer=dues.m("d2"), member=dues.m("d1"), amount="8.50", paid_on=timezone.localdate()
    )
    page = _page(dues, "d2", reverse("dues:unit", kwargs={"slug": "dues", "code": "U1"}), "es")
    assert "Registrar un pago" in page and "Importar un archivo de pagos" in page
    # Arrears are shown to a person: 15,50 in Spanish; the links keep the membership numbers as they are.
    assert '<td data-label="Atrasos" class="num">15,50</td>' in page
    assert 'href="/o/dues/dues/units/U1/members/D0001/"' in page


def test_a_refusal_through_the_api_is_in_the_accept_language_language(dues: Dues) -> None:
    api = dues.api("d2")
    answer = api.client.post(
        "/api/orgs/dues/dues/units/U1/payments",
        {"member": "D0001", "amount": "0", "paid_on": timezone.localdate().isoformat()},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
        **api.headers,
    )
    assert answer.status_code == 400
    assert "un pago debe ser mayor que 0" in answer.json()["detail"]


def test_a_dues_notice_reaches_a_member_in_the_language_they_chose(dues: Dues) -> None:
    payer = dues.person("d1")
    payer.language = "es"
    payer.save(update_fields=["language"])
    english = dues.person("d3")
    dues_payment_record(
        officer=dues.m("d2"), member=dues.m("d1"), amount="1234.50", paid_on=timezone.localdate()
    )
    dues_payment_record(
        officer=dues.m("d2"), member=dues.m("d3"), amount="8.00", paid_on=timezone.localdate()
    )
    spanish = Notification.objects.get(person=payer, kind="dues.payment")
    assert spanish.subject == "Tu pago de 1234,50 está registrado"
    assert spanish.body.startswith("Un cargo de Unit One registró tu pago de 1234,50")
    assert Notification.objects.get(person=english, kind="dues.payment").subject == (
        "Your payment of 8.00 is recorded"
    )


def test_a_lapse_notice_reaches_a_member_in_the_language_they_chose(dues: Dues) -> None:
    from commune.dues.services import dues_run_due

    payer = dues.person("d5")
    payer.language = "fr"
    payer.save(update_fields=["language"])
    dues.months_pass(4)
    dues_run_due(sweep=True)
    notice = Notification.objects.get(person=payer, kind="dues.lapse_notice")
    assert notice.subject.startswith("Préavis : votre adhésion à Dues Federation prend fin le ")
    assert "Vous devez 4 mois de cotisations" in notice.body
