"""The account pages in the reader's language: the words, the forms' errors, and the reset email."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from commune.accounts.services import api_token_create, user_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_account_page_in_spanish_and_arabic() -> None:
    person = user_create(email="eva@example.org", name="Eva", password=PASSWORD)
    api_token_create(user=person, name="hoja")
    client = Client()
    client.force_login(person)
    spanish = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Tu cuenta" in spanish and "Tokens de la API" in spanish and 'data-label="Empieza por"' in spanish
    assert "Pido que se supriman mis datos personales" in spanish  # a form's label
    arabic = client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in arabic and "رموز الواجهة البرمجية" in arabic


def test_a_wrong_password_is_refused_in_french() -> None:
    user_create(email="luc@example.org", name="Luc", password=PASSWORD)
    page = Client().post(
        "/accounts/login/", {"username": "luc@example.org", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    html = page.content.decode()
    assert "Mot de passe oublié ?" in html and "Se connecter" in html
    assert "et un mot de passe valides" in html  # Django's own words, in French


def test_the_reset_email_is_written_in_the_reader_s_language() -> None:
    user_create(email="ines@example.org", name="Inés", password=PASSWORD)
    Client().post("/accounts/password-reset/", {"email": "ines@example.org"}, HTTP_ACCEPT_LANGUAGE="es")
    assert len(mail.outbox) == 1
    assert (
        "Alguien ha pedido restablecer la contraseña de ines@example.org en Commune." in mail.outbox[0].body
    )
    assert "&" not in mail.outbox[0].body.split("\n")[0]


def test_two_factor_pages_in_arabic() -> None:
    person = user_create(email="omar@example.org", name="Omar", password=PASSWORD)
    client = Client()
    client.force_login(person)
    html = client.get("/accounts/two-factor/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "إعداد تسجيل الدخول بخطوتين" in html
