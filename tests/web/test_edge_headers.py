"""Headers that protect every answer: a Content-Security-Policy on pages, the API and its docs alike, and,
behind a TLS proxy (``COMMUNE_BEHIND_TLS_PROXY=1``), HTTPS-only cookies, HSTS and the proxy's word on the
scheme and the address."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory, override_settings

from commune.accounts.access import request_address
from tests.conftest import PASSWORD, SmallFederation


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/docs", "/api/openapi.json", "/o/tf/"])
def test_every_answer_carries_a_strict_content_security_policy(
    federation: SmallFederation, path: str
) -> None:
    """No inline script and nothing from another host, whatever the page."""
    client = Client()
    client.force_login(federation.member)
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_writes_a_script_or_style_into_the_page() -> None:
    """Scripts and styles come from static files: no template has an inline <script>, an on… handler,
    a style attribute or a <style> element (the policy would refuse them)."""
    import re
    from pathlib import Path

    import commune

    offending = []
    for template in Path(commune.__file__).parent.rglob("templates/**/*.html"):
        text = template.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*application/json)",
            r"\son[a-z]+=",
            r"\sstyle=",
            r"<style",
        ):
            if re.search(pattern, text):
                offending.append(f"{template.name}: {pattern}")
    assert offending == []


def _settings_with(**environment: str) -> dict[str, object]:
    code = (
        "import json, config.settings as s; print(json.dumps({k: getattr(s, k, None) for k in ["
        "'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_SSL_REDIRECT', 'BEHIND_TLS_PROXY']}))"
    )
    env = {**os.environ, **environment, "COMMUNE_SECRET_KEY": "x" * 50, "COMMUNE_LOG_SIGNING_KEY": "0" * 64}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_behind_a_tls_proxy_one_setting_turns_on_secure_cookies_hsts_and_the_proxy_header() -> None:
    """COMMUNE_BEHIND_TLS_PROXY=1 is the one switch; without it nothing assumes HTTPS."""
    on = _settings_with(COMMUNE_BEHIND_TLS_PROXY="1")
    assert on["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"] and on["SECURE_SSL_REDIRECT"]
    assert on["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    off = _settings_with(COMMUNE_BEHIND_TLS_PROXY="")
    assert not off["SESSION_COOKIE_SECURE"] and not off["SECURE_HSTS_SECONDS"]
    assert off["SECURE_PROXY_SSL_HEADER"] is None


@override_settings(
    BEHIND_TLS_PROXY=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_HSTS_SECONDS=31536000,
)
def test_behind_a_tls_proxy_signing_in_sets_secure_cookies_and_hsts(federation: SmallFederation) -> None:
    """Through the proxy: plain HTTP is sent to HTTPS; over HTTPS the answer has HSTS and the session and
    CSRF cookies are marked Secure."""
    client = Client()
    assert client.get("/accounts/login/", headers={"X-Forwarded-Proto": "http"}).status_code == 301
    page = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    assert page.cookies["csrftoken"]["secure"]
    response = client.post(
        "/accounts/login/",
        {"username": federation.member.email, "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"]


def test_the_address_behind_a_proxy_is_the_one_the_proxy_saw() -> None:
    """A client cannot dodge the sign-in throttle by sending its own X-Forwarded-For: the proxy's last entry
    counts, and without the proxy setting the header is ignored."""
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    with override_settings(BEHIND_TLS_PROXY=True):
        assert request_address(request) == "203.0.113.9"
    with override_settings(BEHIND_TLS_PROXY=False):
        assert request_address(request) == "10.0.0.1"
