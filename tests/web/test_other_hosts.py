"""No page loads anything from another host: Commune works on a network with no way out, and a member's
reading is never reported to a third party."""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from commune.accounts.models import User
from commune.federation.demo import EMAIL_DOMAIN
from tests.conftest import seed_demo

pytestmark = pytest.mark.django_db

HOST = "testserver"

#: Attributes through which a page loads or links to another address.
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "srcset", "hx-get", "hx-post"}

#: The walk reads this many pages of each kind (per URL pattern), enough to meet each template's variants.
PAGES_PER_KIND = 2


class _Addresses(HTMLParser):
    """Every address in a page: URL attributes, and ``url(...)`` in inline styles."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name == "srcset":
                self.addresses += [part.split()[0] for part in value.split(",") if part.strip()]
            elif name in URL_ATTRIBUTES:
                self.addresses.append(value.strip())
            elif name == "style":
                self.addresses += _css_urls(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.addresses += _css_urls(data)


def _css_urls(css: str) -> list[str]:
    return re.findall(r"""url\(\s*['"]?([^'")\s]+)""", css) + re.findall(r"""@import\s+['"]([^'"]+)""", css)


def _addresses(html: str) -> list[str]:
    parser = _Addresses()
    parser.feed(html)
    return parser.addresses


def _elsewhere(address: str) -> bool:
    """Whether ``address`` points at another host (``https://x/``, ``//x/``); ``mailto:`` and relative
    addresses do not."""
    parts = urlsplit(address)
    return bool(parts.netloc) and parts.hostname != HOST


def _kind(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _walk(client: Client, start: list[str]) -> dict[str, list[str]]:
    """Read every kind of page reachable by links from ``start`` (up to PAGES_PER_KIND of each), and
    return, per page read, the addresses on it that point at another host."""
    queue = deque(start)
    seen = set(start)
    per_kind: Counter[str] = Counter()
    found: dict[str, list[str]] = {}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        addresses = _addresses(html)
        found[path] = [a for a in addresses if _elsewhere(a)]
        for address in addresses:
            target = urlsplit(urljoin(f"http://{HOST}{path}", address))
            if target.hostname != HOST or target.path in seen or "logout" in target.path:
                continue
            seen.add(target.path)
            kind = _kind(target.path)
            if kind is None or kind.startswith(("admin:", "api-")) or per_kind[kind] >= PAGES_PER_KIND:
                continue
            per_kind[kind] += 1
            queue.append(target.path)
    return found


def test_no_page_points_at_another_host() -> None:
    """Walking the demo federation's pages by their links, as a member and as an officer, and the public
    pages and the API docs, finds no ``src``, ``href`` or form action (nor CSS ``url()``) on another host."""
    seed_demo()
    anonymous = Client()
    found = _walk(anonymous, ["/", "/accounts/login/", "/accounts/password-reset/", "/api/docs"])
    for alias in ("member", "secretary", "delegate"):
        client = Client()
        client.force_login(User.objects.get(email=f"{alias}@{EMAIL_DOMAIN}"))
        found |= _walk(client, ["/"])

    assert len(found) > 40  # the walk really went round the site
    assert {path: hosts for path, hosts in found.items() if hosts} == {}
