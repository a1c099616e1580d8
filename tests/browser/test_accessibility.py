"""The demo's pages, signed out and signed in, pass axe-core with no serious or critical violation, never
scroll sideways on a 390-pixel phone, and run under the Content-Security-Policy without a single violation
(no inline script, no inline style, nothing from another host), as a real browser reports each refusal.

The walk starts from a few fixed entry points and follows the links it finds within the organisation, so a
page added tomorrow is audited as soon as the demo links to it. Each page is loaded once: axe runs on it at
desktop width, then the same document is narrowed to a phone's width and measured.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import Resolver404, resolve

from commune.elections.models import Election, ElectionStatus
from commune.federation.demo import DEMO_PASSWORD, EMAIL_DOMAIN
from commune.federation.models import Organisation
from commune.meetings.models import Meeting
from tests.browser.conftest import page_settled
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser

#: The size of the ``page`` fixture's window.
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: axe-core's own grading: these two are the ones that lock a reader out of a page.
BLOCKING_IMPACTS = {"serious", "critical"}
#: Room for every kind of page the demo links to, several times over; a bound on the walk's time all the
#: same (each kind of page is visited once, however many of it there are).
MOST_PAGES = 120
#: Routes that are not pages a person reads: the API itself (but for its docs), the admin, signing out.
NOT_PAGES = ("api/", "admin/", "accounts/logout/")
API_DOCS = "/api/docs"
#: Files offered for download, not pages.
NOT_PAGE_SUFFIXES = (".pdf", ".csv", ".json", ".svg", ".png", ".txt", ".ics", ".xml", ".zip")
#: axe-core's run, as its runner words it, reporting only violations (its runner's default).
AXE_RUN = "axe.run({resultTypes: ['violations']})"
#: How many elements a finding names before it says how many more there are.
TARGETS_SHOWN = 5


@dataclass
class Finding:
    url: str
    rule: str
    impact: str
    help: str
    why: str
    targets: list[str]

    def __str__(self) -> str:
        shown = self.targets[:TARGETS_SHOWN]
        more = len(self.targets) - len(shown)
        return "\n    ".join(
            [
                f"{self.url}: {self.rule} ({self.impact}): {self.help}",
                self.why,
                *shown,
                *([f"… and {more} more"] if more else []),
            ]
        )


@dataclass
class Walk:
    """What one pass over the pages saw."""

    visited: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    too_wide: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


@dataclass
class PolicyWatch:
    """What the browser reported of the Content-Security-Policy over the walks: each refusal, and the policy
    each document was served with."""

    violations: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)

    def follow(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.violations.append(f"{message.location.get('url', '')}: {message.text}")

    def _response(self, response: Any) -> None:
        if response.request.resource_type == "document":
            self.policies.append(response.headers.get("content-security-policy", ""))


def axe_on_every_document(page: Any) -> None:
    """Put axe-core into every document ``page`` loads from now on, before the document's own scripts run:
    given once, where axe's runner sent the half-megabyte script again for every page it checked (about a
    fifth of the walk's time)."""
    page.add_init_script(Axe().axe_script)


def _route(path: str) -> str | None:
    """The URL pattern a path resolves to (``o/<slug:slug>/elections/<int:election_id>/``), so the walk
    visits one page of each kind; ``None`` for what is not a page to read."""
    if (path != API_DOCS and path.lstrip("/").startswith(NOT_PAGES)) or path.endswith(NOT_PAGE_SUFFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _links(page: Any, base: str, slug: str) -> list[str]:
    """Every link on the page within the site's organisation or a person's own pages, in document order."""
    # A link marked ``download`` offers a file (a member's own data, a bulletin), not a page to read.
    hrefs = page.locator("a[href]:not([download])").evaluate_all("links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base:
            continue
        if parts.path.startswith((f"/o/{slug}/", "/accounts/", "/notifications/")) or parts.path == "/":
            found.append(f"{base}{parts.path}" + (f"?{parts.query}" if parts.query else ""))
    return found


def _audit(page: Any, url: str, walk: Walk) -> bool:
    """Load ``url`` once; run axe (put in by ``axe_on_every_document``) at desktop width, then narrow the
    same document to a phone's and measure it. False, and nothing checked, where the address is not an HTML
    page or led to a kind of page already checked (a page that sends a signed-out reader to sign in)."""
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return False
    assert response.status < 400, f"{url} answered {response.status}"
    landed = _route(urlsplit(page.url).path)
    if landed is None or (landed != _route(urlsplit(url).path) and landed in walk.seen):
        return False
    walk.seen.add(landed)
    page_settled(page)
    walk.visited.append(page.url)
    for violation in page.evaluate(AXE_RUN)["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            nodes = violation["nodes"]
            walk.findings.append(
                Finding(
                    url=page.url,
                    rule=violation["id"],
                    impact=violation["impact"],
                    help=violation["help"],
                    why=" ".join(nodes[0].get("failureSummary", "").split()),
                    targets=[" ".join(map(str, node["target"])) for node in nodes],
                )
            )
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > PHONE["width"]:
        walk.too_wide.append(f"{page.url}: {width} px wide on a {PHONE['width']} px screen")
    return True


def _walk(page: Any, base: str, slug: str, entries: Iterable[str]) -> Walk:
    """Breadth first from ``entries``, one page of each URL pattern, at most ``MOST_PAGES`` pages."""
    walk = Walk()
    queue = deque(entries)
    while queue and len(walk.visited) < MOST_PAGES:
        url = queue.popleft()
        route = _route(urlsplit(url).path)
        if route is None or route in walk.seen:
            continue
        walk.seen.add(route)
        if _audit(page, url, walk):
            queue.extend(_links(page, base, slug))
    return walk


def _entries(base: str, organisation: Organisation) -> list[str]:
    """Where the walk starts: pages a link might not reach first (the open election's ballot paper, the
    meeting in session on the projector) as well as the doors into the site."""
    slug = organisation.slug
    election = Election.objects.get(organisation=organisation, status=ElectionStatus.VOTING)
    entries = [
        f"{base}/",
        f"{base}/o/{slug}/",
        f"{base}/accounts/login/",
        f"{base}/o/{slug}/join/",
        f"{base}/o/{slug}/elections/{election.pk}/",
        f"{base}/o/{slug}/elections/{election.pk}/ballot/",
    ]
    for meeting in Meeting.objects.filter(session__council__organisation=organisation).order_by("pk")[:1]:
        session = meeting.session_id
        entries += [
            f"{base}/o/{slug}/sessions/{session}/meeting/",
            f"{base}/o/{slug}/sessions/{session}/meeting/projector/",
        ]
    return entries


def _report(walk: Walk) -> str:
    lines = [f"{len(walk.findings)} serious or critical axe-core violations:"]
    lines += [str(finding) for finding in walk.findings]
    if walk.too_wide:
        lines += ["Pages that scroll sideways:", *walk.too_wide]
    return "\n".join(lines)


def test_every_page_of_the_demo_passes_axe_fits_a_phone_and_keeps_its_policy_signed_out_and_in(
    live_server: Any, page: Any
) -> None:
    """Signed out, then signed in as the demo's member: every kind of page the walk reaches has no serious
    or critical axe-core violation, none is wider than a 390-pixel screen, and none raises a violation of the
    Content-Security-Policy it is served with."""
    organisation = seed_demo()
    base = live_server.url
    policy = PolicyWatch()
    policy.follow(page)
    axe_on_every_document(page)
    signed_out = _walk(page, base, organisation.slug, _entries(base, organisation))

    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(f"member@{EMAIL_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
    entries = [
        *_entries(base, organisation),
        f"{base}/accounts/",
        f"{base}/accounts/two-factor/",
        f"{base}{API_DOCS}",
    ]
    signed_in = _walk(page, base, organisation.slug, entries)

    # The walk really walks: the demo links to far more kinds of page than the entry points.
    assert len(signed_in.visited) >= 30, signed_in.visited
    failures = [w for w in (signed_out, signed_in) if w.findings or w.too_wide]
    assert not failures, "\n\n".join(_report(w) for w in failures)
    assert policy.violations == []
    assert policy.policies and all("script-src 'self'" in p for p in policy.policies)
