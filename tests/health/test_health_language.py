"""The democracy health page in Spanish and Arabic: the words translated, the figures written with a
decimal comma where the reader writes one, and the charts' geometry left as the browser reads it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.clock import Clock
from tests.health.federation import build_health_federation

pytestmark = pytest.mark.django_db


def test_the_health_page_in_spanish_keeps_its_svg_numbers_plain(clock: Clock) -> None:
    fed = build_health_federation(clock)
    browser = Client()
    browser.force_login(fed.m(9).person)
    html = browser.get(f"/o/{fed.slug}/health/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Salud democrática" in html and "Participación en elecciones, por mes (%)" in html
    assert "marzo de 2026" in html or "Marzo 2026" in html or "marzo 2026" in html
    assert "60,0\N{NO-BREAK SPACE}%" in html or "60,0&nbsp;%" in html  # the turnout, as Spanish writes it
    # Every coordinate of every chart is a plain number a browser can read, never "12,5".
    for attribute in re.findall(r'\s(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', html):
        assert re.fullmatch(r"-?\d+(\.\d+)?", attribute), attribute
    assert re.search(r'viewBox="0 0 \d+ \d+"', html)


def test_the_health_page_in_arabic(clock: Clock) -> None:
    fed = build_health_federation(clock)
    browser = Client()
    browser.force_login(fed.m(9).person)
    html = browser.get(f"/o/{fed.slug}/health/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in html and "الصحة الديمقراطية" in html and "المدة في المنصب" in html
    # Each body's kind beside its code is a word of the reader's language, not the stored code.
    assert re.search(r'<span class="of">فرع [^<]+</span>', html) and re.search(
        r'<span class="of">مجلس [^<]+</span>', html
    )
    assert not re.search(r'<span class="of">(unit|council) ', html)
