"""The demo federation as a member reads it: the pages the README sends them to, seeded once for this
module (seeding takes seconds) and rolled back after it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from html import unescape
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commune.accounts.models import User
from commune.elections.models import Election, ElectionStatus
from commune.federation.constitution_words import ELECTION_METHODS, INDUSTRIAL_ACTION_PRESETS, RULE_LABELS
from commune.federation.demo import EMAIL_DOMAIN
from commune.federation.models import Organisation
from commune.governance.demo import EXECUTIVE_POWERS
from commune.governance.models import OfficePay
from commune.motions.models import Referral
from commune.web.vocabulary import PROVENANCE_KINDS, TIE_RULES
from tests.conftest import seed_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Organisation]:
    """The demo, seeded once for the module inside a transaction that is rolled back after its last test;
    each test runs in its own savepoint within it, as under ``db``."""
    with django_db_blocker.unblock(), transaction.atomic():
        organisation = seed_demo()
        yield organisation
        transaction.set_rollback(True)


def _member(email: str = f"member@{EMAIL_DOMAIN}") -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _text(html: bytes) -> str:
    """The page's visible words, tags removed and spaces collapsed, to assert on what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return bytes(response.content)


def test_the_headline_strike_referendum_reads_back_with_every_link(demo: Organisation, db: None) -> None:
    """The strike referendum Congress referred to the membership, and the motion it decided, each show a
    provenance with every link present, back through the depot and the district that forwarded it."""
    client = _member()
    referral = Referral.objects.select_related("motion").get(council__organisation=demo)
    slug = demo.slug
    referral_page = _get(
        client, reverse("motions:referral", kwargs={"slug": slug, "referral_id": referral.pk})
    )
    provenance = reverse(
        "provenance:decision", kwargs={"slug": slug, "kind": "referral", "decision_id": referral.pk}
    )
    assert f'href="{provenance}"'.encode() in referral_page
    for kind, decision in (("referral", referral.pk), ("motion", referral.motion_id)):
        url = reverse("provenance:decision", kwargs={"slug": slug, "kind": kind, "decision_id": decision})
        page = _text(_get(client, url))
        assert "Every link is present" in page, url
        assert "Some links are missing" not in page and "no provenance log entry" not in page, url


_VOTING_WINDOW = re.compile(
    r"<strong>Voting</strong>:\s*<time datetime=\"([^\"]+)\">.*?</time> to\s*<time datetime=\"([^\"]+)\">",
    re.S,
)
_LISTED_VOTING = re.compile(
    r"<tr data-election=\"(\d+)\">.*?<td data-label=\"Voting\"><time datetime=\"[^\"]+\">.*?</time> – "
    r"<time datetime=\"([^\"]+)\">",
    re.S,
)


def _listed_voting_ends(client: Client, slug: str) -> dict[int, datetime]:
    """When each election's voting ends, as the list of elections shows it, over all its pages."""
    ends: dict[int, datetime] = {}
    url = reverse("elections:list", kwargs={"slug": slug})
    number = 1
    while True:
        page = _get(client, f"{url}?page={number}").decode()
        ends |= {int(pk): datetime.fromisoformat(end) for pk, end in _LISTED_VOTING.findall(page)}
        if 'rel="next"' not in page:
            return ends
        number += 1


def test_every_declared_election_was_voted_on_before_its_declaration(demo: Organisation, db: None) -> None:
    """Each election the demo declared ran its whole timeline before the result: nominations, then voting,
    then the declaration; its page and the list of elections show a voting window that had ended when it
    was declared. The election left open is open now, and for days to come."""
    declared = list(Election.objects.filter(organisation=demo, status=ElectionStatus.DECLARED))
    assert len(declared) == 12 + 3 + 1  # depots to districts, districts to Congress, the General Secretary
    client = _member()
    listed = _listed_voting_ends(client, demo.slug)
    for election in declared:
        assert election.declared_at is not None
        assert (
            election.nominations_open_at
            < election.nominations_close_at
            <= election.voting_open_at
            < election.voting_close_at
            <= election.declared_at
        ), election.title
        page = _get(
            client, reverse("elections:detail", kwargs={"slug": demo.slug, "election_id": election.pk})
        ).decode()
        [(opened, closed)] = _VOTING_WINDOW.findall(page)
        assert datetime.fromisoformat(opened) < datetime.fromisoformat(closed) <= election.declared_at
        assert listed[election.pk] <= election.declared_at, election.title
    still_open = Election.objects.get(organisation=demo, status=ElectionStatus.VOTING)
    now = timezone.now()
    assert still_open.voting_open_at <= now < still_open.voting_close_at - timedelta(days=6)


def test_the_demo_states_pay_in_pounds_sterling(demo: Organisation, db: None) -> None:
    """The demo federation keeps its accounts in sterling: the General Secretary's pay and the cap on it
    read in pounds on the register of offices, and the motion that set the pay says so too."""
    assert demo.currency == "GBP"
    pay = OfficePay.objects.select_related("motion").get(office__body__organisation=demo)
    pounds = f"£{pay.weekly:,.2f}"
    page = _text(_get(_member(), reverse("governance:register", kwargs={"slug": demo.slug})))
    assert "General Secretary Congress" in page and f" {pounds} elected by" in page
    assert f"No officer may be paid more than £{pay.cap_when_set:,.2f} a week" in page
    assert pay.motion.title.endswith(f": {pounds} a week")


# Plain words -------------------------------------------------------------------------------------------------


def _raw_codes() -> dict[str, re.Pattern[str]]:
    """The codes Commune keeps that a member must never read: counting methods, rule keys (and the names a
    page would make of a key it had no words for), industrial-action presets, the demo's powers, the kinds
    of provenance link, tie-break rules, and every status, kind or outcome written with _ or -."""
    codes = {code for code in ELECTION_METHODS if code not in ("approval", "plurality")}  # English words
    for key in RULE_LABELS:
        codes.add(key)
        name = key.rsplit(".", 1)[-1]
        if "_" in name:
            codes.add(name)
            guessed = name.replace("_", " ").capitalize()
            if guessed != RULE_LABELS[key]:
                codes.add(guessed)
    codes |= set(INDUSTRIAL_ACTION_PRESETS) - {"none"}
    codes |= set(EXECUTIVE_POWERS)
    codes |= {kind for kind in PROVENANCE_KINDS if "-" in kind and kind != "call-in"}
    codes |= {rule for rule in TIE_RULES if "-" in rule}
    for model in apps.get_models():
        if not model.__module__.startswith("commune."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "choices", None) or ():
                if isinstance(value, str) and ("_" in value or "-" in value) and value not in ENGLISH:
                    codes.add(value)
    return {code: re.compile(rf"(?<![\w.-]){re.escape(code)}(?![\w-])") for code in codes}


#: Hyphenated words that are English, not codes, though a status or kind is spelt the same.
ENGLISH = {"by-election", "call-in"}

#: Pages not walked: the log shows each entry as it was recorded and signed (its action and payload are
#: what the hash covers), the bulletin's files are data, a notice's and the papers' files are documents
#: (PDF and text), and signing out is an action.
_NOT_WALKED = re.compile(r"/log/|\.json$|\.blt$|\.pdf$|\.txt$|/logout/")


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _shape(path: str) -> str:
    """Pages of the same kind share a shape: at most a few of each are read."""
    path = re.sub(r"/(bodies|delegates|executives|tendencies)/[^/]+/", r"/\1/X/", path)
    return re.sub(r"\d+", "N", path)


def _walk(client: Client, start: list[str], per_shape: int = 2) -> dict[str, str]:
    """Every page reachable by links from ``start``, a few of each shape: URL → visible text."""
    seen: dict[str, str] = {}
    shapes: dict[str, int] = {}
    queue = list(start)
    while queue:
        url = queue.pop(0)
        shape = _shape(url)
        if url in seen or _NOT_WALKED.search(url) or shapes.get(shape, 0) >= per_shape:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        seen[url] = _visible_text(html.split('id="main"', 1)[-1])
        for href in re.findall(r'href="(/[^"#?]*)', html):
            if href.startswith(("/o/", "/notifications/")) and href not in seen:
                queue.append(href)
    return seen


def test_the_demos_pages_say_in_words_what_the_system_keeps_as_codes(demo: Organisation, db: None) -> None:
    """A member and a delegate walking the demo's pages (every kind of page the links lead to, from the
    top navigation down to each decision's provenance) never read an internal code: no counting method,
    rule key, power, status or kind as the system stores it; each is in words."""
    codes = _raw_codes()
    assert {"irv", "scottish-stv", "pay-strike-pay", "executives.call_in_percent", "Call in percent"} <= set(
        codes
    )
    slug = demo.slug
    start = [
        reverse(name, kwargs={"slug": slug})
        for name in (
            "federation:home",
            "federation:tree",
            "federation:constitution",
            "governance:amendments",
            "elections:list",
            "recall:list",
            "governance:register",
            "governance:executives",
            "governance:tendencies",
            "health:page",
        )
    ]
    referral = Referral.objects.get(council__organisation=demo)
    start.append(reverse("motions:referral", kwargs={"slug": slug, "referral_id": referral.pk}))
    read: dict[str, str] = {}
    for email in (f"member@{EMAIL_DOMAIN}", f"delegate@{EMAIL_DOMAIN}"):
        read |= _walk(_member(email), start)
    walked = {_shape(url) for url in read}
    for shape in (
        "/o/transport-workers/executives/X/",
        "/o/transport-workers/elections/N/result/",
        "/o/transport-workers/decisions/executive-decision/N/provenance/",
        "/o/transport-workers/decisions/referral/N/provenance/",
        "/o/transport-workers/constitution/",
        "/o/transport-workers/offices/",
    ):
        assert shape in walked, shape
    found = [
        f"{code!r} on {url}: …{text[max(m.start() - 60, 0) : m.end() + 30]}…"
        for url, text in read.items()
        for code, pattern in codes.items()
        for m in [pattern.search(text)]
        if m
    ]
    assert not found, "\n".join(found)


def test_no_log_entry_names_anyone_by_email(demo: Organisation, db: None) -> None:
    """Every member reads the whole log: it names people by name and membership number, never by address
    (neither in who acted, nor in the summary, nor in the payload)."""
    from commune.audit.models import LogEntry

    addresses = set(User.objects.values_list("email", flat=True))
    entries = list(
        LogEntry.objects.filter(organisation=demo).values_list("actor_label", "summary", "payload")
    )
    assert len(entries) > 100
    # Every address holds an "@": only an entry with one can name anybody, and each entry's text is
    # formed once (forming it per address took minutes).
    assert all("@" in a for a in addresses)
    texts = [f"{e[0]} {e[1]} {e[2]}" for e in entries]
    leaks = [
        e for e, text in zip(entries, texts, strict=True) if "@" in text and any(a in text for a in addresses)
    ]
    assert leaks == []
    by_members = [label for label, _, _ in entries if "member " in label]
    assert by_members, "some entries are acts of members, named with their number"


def test_the_strike_ballot_was_hybrid_and_its_scrutineer_reads_a_report_that_reconciles(
    demo: Organisation, db: None
) -> None:
    """The headline strike ballot is a statutory ballot held on paper and online: its page shows both
    questions' notice and the papers reconciled; its scrutineer, who is not a member, reads the report
    (every paper accounted for, the disputes settled) and no organisation page."""
    from commune.federation.demo import demo_scrutineer_sign_in
    from commune.motions.demo import demo_scrutiny_path
    from commune.motions.models import StatutoryBallot

    ballot = StatutoryBallot.objects.get(referral__council__organisation=demo)
    page = _text(
        _get(_member(), reverse("motions:statutory", kwargs={"slug": demo.slug, "ballot_id": ballot.pk}))
    )
    for words in ("Are you prepared to take part in a strike?", "short of a strike", "The papers reconcile"):
        assert words in page
    assert "Notice of the result" in page and ballot.notice_sent_at is not None
    scrutineer = Client()
    scrutineer.force_login(User.objects.get(email=demo_scrutineer_sign_in().email))
    path = demo_scrutiny_path(organisation_slug=demo.slug)
    assert path is not None
    report = _text(_get(scrutineer, path))
    assert "Every paper issued is accounted for" in report and "read again by a third teller" in report
    assert (
        scrutineer.get(
            reverse("motions:statutory", kwargs={"slug": demo.slug, "ballot_id": ballot.pk})
        ).status_code
        == 404
    )
