"""Every member's language: the switcher on every page, the saved choice, the cookie, the browser's header,
right-to-left pages, and numbers and money written as the reader's language writes them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from commune.accounts.models import User
from commune.accounts.services import user_create
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _html_tag(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)  # type: ignore[union-attr]


def test_the_browser_decides_for_a_visitor_who_chose_nothing(client: Client) -> None:
    """With no cookie and nobody signed in, Accept-Language decides: Spanish words, lang="es", left to right."""
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert 'lang="es"' in _html_tag(response) and 'dir="ltr"' in _html_tag(response)
    assert "Iniciar sesión" in response.content.decode()
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]


def test_english_stays_the_default(client: Client) -> None:
    response = client.get("/")
    assert 'lang="en"' in _html_tag(response) and "Sign in" in response.content.decode()


def test_an_arabic_page_reads_right_to_left(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ar")
    assert 'lang="ar"' in _html_tag(response) and 'dir="rtl"' in _html_tag(response)
    assert "تسجيل الدخول" in response.content.decode()


def test_the_switcher_is_a_plain_form_naming_each_language_in_itself(client: Client) -> None:
    """Every language is a submit button in its own language and script, with its own lang attribute; the
    one in use is marked current; the form works without script."""
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    form = re.search(r'<form method="post" action="/language/" class="languages".*?</form>', html, re.S)
    assert form is not None
    for code, name in settings.LANGUAGES:
        assert re.search(rf'value="{code}" lang="{code}"[^>]*>{name}</button>', form.group(0)), code
    assert re.search(r'value="fr"[^>]*aria-current="true"', form.group(0))
    assert 'name="next" value="/"' in form.group(0)


def test_a_visitor_s_choice_is_kept_in_the_cookie_and_wins_over_the_browser(client: Client) -> None:
    response = client.post("/language/", {"language": "fr", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es")
    assert 'lang="fr"' in _html_tag(page) and "Se connecter" in page.content.decode()


def test_the_switcher_never_sends_anyone_to_another_site(client: Client) -> None:
    response = client.post("/language/", {"language": "es", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"


def test_a_language_commune_does_not_speak_changes_nothing(client: Client) -> None:
    response = client.post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 302 and settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_a_member_s_choice_is_saved_on_their_account_and_follows_them_to_a_new_browser() -> None:
    """Chosen in one browser while signed in, Arabic is what the member reads after signing in anywhere
    else, whatever that browser asks for."""
    person = user_create(email="amal@example.org", name="Amal", password=PASSWORD)
    first = Client()
    first.force_login(person)
    first.post("/language/", {"language": "ar", "next": "/"})
    person.refresh_from_db()
    assert person.language == "ar"

    elsewhere = Client()
    elsewhere.post("/accounts/login/", {"username": person.email, "password": PASSWORD})
    page = elsewhere.get("/accounts/", HTTP_ACCEPT_LANGUAGE="es")
    assert 'dir="rtl"' in _html_tag(page) and "حسابك" in page.content.decode()


def test_a_saved_choice_wins_over_the_cookie() -> None:
    person = user_create(email="jo@example.org", name="Jo", password=PASSWORD)
    person.language = "es"
    person.save()
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(person)
    assert 'lang="es"' in _html_tag(client.get("/accounts/"))


def test_the_account_page_chooses_the_language_or_gives_it_back_to_the_browser() -> None:
    person = user_create(email="li@example.org", name="Li", password=PASSWORD)
    client = Client()
    client.force_login(person)
    page = client.get("/accounts/").content.decode()
    assert '<select id="account-language" name="language"' in page
    client.post("/language/", {"language": "fr", "next": "/accounts/"})
    assert User.objects.get(pk=person.pk).language == "fr"
    response = client.post("/language/", {"language": "", "next": "/accounts/"})
    assert User.objects.get(pk=person.pk).language == ""
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""  # deleted
    assert 'lang="es"' in _html_tag(client.get("/accounts/", HTTP_ACCEPT_LANGUAGE="es"))


def test_the_error_page_declares_its_language(client: Client) -> None:
    with translation.override("ar"):
        html = Template("{% include '500.html' %}").render(Context({}))
    assert '<html lang="ar" dir="rtl">' in html and "حدث خطأ ما من جهتنا" in html


def test_the_api_docs_page_declares_its_language(client: Client) -> None:
    person = user_create(email="doc@example.org", name="Doc", password=PASSWORD)
    client.force_login(person)
    response = client.get("/api/docs", HTTP_ACCEPT_LANGUAGE="fr")
    assert '<html lang="fr" dir="ltr">' in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "£1,234.50"),
        ("es", "1\N{NO-BREAK SPACE}234,50\N{NO-BREAK SPACE}£"),
        ("fr", "1\N{NO-BREAK SPACE}234,50\N{NO-BREAK SPACE}£"),
    ],
)
def test_money_is_written_as_the_reader_s_language_writes_it(language: str, expected: str) -> None:
    with translation.override(language):
        written = Template("{% load plain %}{{ amount|money:'GBP' }}").render(
            Context({"amount": Decimal("1234.50")})
        )
    assert written == expected


def test_money_in_another_currency_keeps_its_code() -> None:
    with translation.override("es"):
        written = Template("{% load plain %}{{ amount|money:'EUR' }}").render(
            Context({"amount": Decimal("-12.5")})
        )
    assert written == "-12,50\N{NO-BREAK SPACE}EUR"


def test_dates_follow_the_language_and_english_keeps_day_before_month() -> None:
    from datetime import date

    template = Template('{{ day|date:"DATE_FORMAT" }}')
    with translation.override("en"):
        assert template.render(Context({"day": date(2026, 3, 5)})) == "5 Mar 2026"
    with translation.override("es"):
        assert template.render(Context({"day": date(2026, 3, 5)})) == "5 de marzo de 2026"
    with translation.override("fr"):
        assert template.render(Context({"day": date(2026, 3, 5)})) == "5 mars 2026"


def test_a_live_page_carries_the_words_its_script_writes_in_the_page_s_language() -> None:
    """live.js has no catalogue: the page gives it its words, placeholders left for the script to fill."""
    with translation.override("es"):
        html = Template("{% include 'live/_words.html' %}").render(Context({}))
    assert 'data-not-carried="No aprobada"' in html
    assert (
        'data-assembly="{yes} sí, {no} no, {abstain} abstenciones, de {electorate} con derecho a voto."'
        in html
    )
