"""Every page of the web UI: what members see, and what everyone else is refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from commune.accounts.models import User
from commune.accounts.services import user_create
from commune.audit.services import SYSTEM
from commune.federation.services import (
    body_create,
    member_admit,
    organisation_found,
)
from tests.conftest import PASSWORD, SmallFederation, build_federation
from tests.referendum import constitution_amend
from tests.roll import let_one_officer_lapse_any_share, roll_import_confirmed

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(html: bytes) -> str:
    """The page's visible words, tags removed and spaces collapsed, to assert on what a reader sees."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _org_urls(fed: SmallFederation) -> list[str]:
    slug = fed.org.slug
    return [
        reverse("federation:home", kwargs={"slug": slug}),
        reverse("federation:tree", kwargs={"slug": slug}),
        reverse("federation:body", kwargs={"slug": slug, "code": fed.congress.code}),
        reverse("federation:body", kwargs={"slug": slug, "code": fed.units[0].code}),
        reverse("federation:constitution", kwargs={"slug": slug}),
        reverse("audit:log", kwargs={"slug": slug}),
        reverse("audit:verify", kwargs={"slug": slug}),
    ]


# --- the landing page and sign-in -------------------------------------------------------------------------


def test_the_landing_page_is_public_and_offers_sign_in(client: Client) -> None:
    """An anonymous visitor sees what Commune is and a way to sign in, and no organisation data."""
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("accounts:login") in response.content.decode()
    assert "Who represents you" not in response.content.decode()


def test_sign_in_by_email_and_password_leads_home(federation: SmallFederation, client: Client) -> None:
    """Signing in with email and password lands on the member's organisation."""
    response = client.post(
        reverse("accounts:login"), {"username": federation.member.email, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert federation.org.name in _text(response.content)
    assert "Who represents you, all the way up" in _text(response.content)


def test_sign_in_ignores_the_capitals_and_spaces_in_an_email_address(
    federation: SmallFederation, client: Client
) -> None:
    typed = f"  {federation.member.email.upper()} "
    response = client.post(reverse("accounts:login"), {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(federation.member.pk)


def test_a_wrong_password_is_refused_with_a_message(federation: SmallFederation, client: Client) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": federation.member.email, "password": "nope"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in response.content.decode()


def test_sign_out_ends_the_session(federation: SmallFederation) -> None:
    client = _client(federation.member)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(
    federation: SmallFederation, client: Client, mailoutbox: list
) -> None:
    """The reset email carries a working link; the new password signs in."""
    response = client.post(reverse("accounts:password_reset"), {"email": federation.member.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mailoutbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in _text(form_page.content)
    new = "a new and rather long passphrase"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert Client().login(username=federation.member.email, password=new)


def test_the_reset_page_is_public(client: Client) -> None:
    assert client.get(reverse("accounts:password_reset")).status_code == 200


# --- denials -----------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_from_every_page(
    federation: SmallFederation, client: Client
) -> None:
    """Every organisation page and the account page redirect an anonymous visitor to sign in, and back."""
    for url in [*_org_urls(federation), reverse("accounts:account")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('accounts:login')}?next={url}", url


def test_people_who_are_not_members_get_404_everywhere(federation: SmallFederation) -> None:
    """Someone signed in but not a current member of the organisation cannot tell its pages exist."""
    outsider = user_create(email="outsider@example.org", name="Outsider", password=PASSWORD)
    client = _client(outsider)
    for url in _org_urls(federation):
        response = client.get(url)
        assert response.status_code == 404, url
        assert federation.org.name not in response.content.decode(), url
    assert "There is nothing here for you" in _text(client.get(_org_urls(federation)[0]).content)
    assert client.post(reverse("audit:verify", kwargs={"slug": federation.org.slug})).status_code == 404


def test_members_of_another_organisation_get_404(federation: SmallFederation) -> None:
    other = build_federation(slug="other")
    client = _client(other.member)
    for url in _org_urls(federation):
        assert client.get(url).status_code == 404, url


def test_a_lapsed_member_gets_404(federation: SmallFederation) -> None:
    """Rights end with the membership: a lapsed member no longer sees the organisation."""
    # Lapsed the way a unit's officers lapse members: by importing a roll that no longer lists them.
    keep = [federation.members[f"m{n}"] for n in range(2, 6)]
    roll = "number,name,email\n" + "".join(f"{m.number},{m.person.name},{m.person.email}\n" for m in keep)
    let_one_officer_lapse_any_share(federation.org)
    report = roll_import_confirmed(federation.units[0], roll, actor=SYSTEM)
    assert report.ok and report.lapsed == 1
    client = _client(federation.member)
    for url in _org_urls(federation):
        assert client.get(url).status_code == 404, url
    home = client.get("/")
    assert "not a member of an organisation" in _text(home.content)


def test_a_missing_organisation_and_a_missing_body_are_404(federation: SmallFederation) -> None:
    client = _client(federation.member)
    assert client.get(reverse("federation:home", kwargs={"slug": "nope"})).status_code == 404
    missing = reverse("federation:body", kwargs={"slug": federation.org.slug, "code": "NOPE"})
    assert client.get(missing).status_code == 404


# --- home: who represents me -------------------------------------------------------------------------------


def test_home_shows_who_represents_me_at_every_level(federation: SmallFederation) -> None:
    """A member of unit D0-U0 sees District 0 (their unit's delegate) and Congress (their district's)."""
    response = _client(federation.member).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response.content)
    assert "member TF00001 of Unit 0.0" in text
    district = html[html.index('data-council="D0"') : html.index('data-council="CONGRESS"')]
    congress = html[html.index('data-council="CONGRESS"') :]
    assert "Member 003" in district and "Member 003" in congress.split("</li>")[0] + congress
    # Nearest council first, then up the chain.
    assert html.index('data-council="D0"') < html.index('data-council="CONGRESS"')
    assert "holds 2 seats" in text or "holds 1 seat" in text


def test_home_names_unfilled_seats(federation: SmallFederation) -> None:
    """A unit whose seats no delegate holds says so rather than showing an empty list."""
    response = _client(federation.members["m6"].person).get("/")  # D0-U1: no delegate seated
    assert "No delegate holds" in _text(response.content)


def test_home_lists_my_offices_and_seats(federation: SmallFederation) -> None:
    officer = _text(_client(federation.officer).get("/").content)
    assert "Secretary of Unit 0.0" in officer
    delegate = _text(_client(federation.delegate).get("/").content)
    assert "Delegate of Unit 0.0 on District 0" in delegate
    assert "Delegate of District 0 on Congress" in delegate
    plain = _text(_client(federation.member).get("/").content)
    assert "You hold no office or seat" in plain


def test_the_organisation_address_shows_the_same_home(federation: SmallFederation) -> None:
    response = _client(federation.member).get(
        reverse("federation:home", kwargs={"slug": federation.org.slug})
    )
    assert response.status_code == 200
    assert "Who represents you, all the way up" in _text(response.content)


def test_navigation_names_the_organisation_and_has_a_skip_link(federation: SmallFederation) -> None:
    html = _client(federation.member).get("/").content.decode()
    assert 'href="#main"' in html and 'id="main"' in html
    assert f">{federation.org.name}</a>" in html
    assert 'aria-current="page">My organisation' in html


def test_navigation_links_to_recall_and_marks_it_current_there(federation: SmallFederation) -> None:
    """Recall is one click from every page: the top navigation links to the recall list."""
    recalls = reverse("recall:list", kwargs={"slug": federation.org.slug})
    home = _client(federation.member).get("/").content.decode()
    assert f'<a href="{recalls}">Recall</a>' in home
    listing = _client(federation.member).get(recalls)
    assert listing.status_code == 200
    assert f'<a href="{recalls}" aria-current="page">Recall</a>' in listing.content.decode()


# --- the federation tree and body pages --------------------------------------------------------------------


def test_the_tree_lists_every_body_with_members_and_seats(federation: SmallFederation) -> None:
    response = _client(federation.member).get(
        reverse("federation:tree", kwargs={"slug": federation.org.slug})
    )
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response.content)
    for body in [federation.congress, *federation.districts, *federation.units]:
        assert f'/bodies/{body.code}/"' in html, body.code
    assert "3 councils and 4 units" in text
    assert "Congress CONGRESS council · 20 members · 8 seats" in text
    assert "Unit 0.0 D0-U0 unit (depot) · 5 members · 2 seats above" in text
    # Nested lists, balanced: every council opens a <details> that is closed again.
    assert html.count("<details") == html.count("</details>") == 3
    assert html.count("<ul") == html.count("</ul>")


def test_a_council_page_shows_its_apportionment_and_delegates(federation: SmallFederation) -> None:
    url = reverse("federation:body", kwargs={"slug": federation.org.slug, "code": "D0"})
    response = _client(federation.member).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response.content)
    assert "4 seats" in text and "founding" in text
    row = html[html.index('data-constituency="D0-U0"') :].split("</tr>")[0]
    assert "Unit 0.0" in row and ">5<" in row and ">2<" in row and "Member 003" in row
    assert "Congress" in text  # the council above
    assert "?body=D0" in html  # link to the body's log


def test_a_unit_page_shows_members_officers_and_councils_above(federation: SmallFederation) -> None:
    url = reverse("federation:body", kwargs={"slug": federation.org.slug, "code": "d0-u0"})
    response = _client(federation.member).get(url)
    assert response.status_code == 200
    text = _text(response.content)
    assert "all its 5 members" in text
    assert "Secretary Member 002" in text
    assert "District 0" in text and "Congress" in text
    assert "Import the member roll" not in text  # only for the officer who manages the roll


def test_the_tree_and_body_pages_handle_a_council_without_seats_yet(federation: SmallFederation) -> None:
    body_create(
        organisation=federation.org,
        kind="council",
        code="D9",
        name="District 9",
        parent=federation.congress,
        seats_fixed=3,
    )
    client = _client(federation.member)
    assert client.get(reverse("federation:tree", kwargs={"slug": federation.org.slug})).status_code == 200
    congress = _text(
        client.get(
            reverse("federation:body", kwargs={"slug": federation.org.slug, "code": "CONGRESS"})
        ).content
    )
    assert "Bodies below without seats yet" in congress and "District 9" in congress
    d9 = _text(
        client.get(reverse("federation:body", kwargs={"slug": federation.org.slug, "code": "D9"})).content
    )
    assert "have not been apportioned yet" in d9


# --- constitution ------------------------------------------------------------------------------------------


def test_the_constitution_is_shown_in_words_with_its_history(federation: SmallFederation) -> None:
    rules = federation.org.constitution_versions.get(number=1).rules
    changed = {
        **rules,
        "recall": {**rules["recall"], "petition_threshold_percent": "20", "replacement": "by-election"},
    }
    version = constitution_amend(federation.org, changed)
    response = _client(federation.member).get(
        reverse("federation:constitution", kwargs={"slug": federation.org.slug})
    )
    assert response.status_code == 200
    text = _text(response.content)
    for heading in ["Elections", "Decisions", "Recall", "Offices", "Ballots"]:
        assert f" {heading} " in text
    assert "Version 2" in text and version.adopted_by in text
    assert "a petition signed by 20% of them within 30 days" in text
    assert "replaced by a by-election" in text
    assert "Delegates are elected by the single transferable vote (Scottish rules)." in text
    assert "Recall petition threshold (per cent): 25 → 20" in text
    assert "The first version." in text
    assert "founding" in text


# --- provenance log ----------------------------------------------------------------------------------------


def test_the_log_is_newest_first_with_hashes_and_actors(federation: SmallFederation) -> None:
    from commune.audit.models import LogEntry

    newest = LogEntry.objects.filter(organisation=federation.org).order_by("-seq").first()
    assert newest is not None
    response = _client(federation.member).get(reverse("audit:log", kwargs={"slug": federation.org.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    first_entry = html[html.index('class="entry"') :].split("</li>")[0]
    assert f"#{newest.seq}" in first_entry
    assert newest.entry_hash[:12] in first_entry and newest.prev_hash[:12] in first_entry
    assert "Commune (automatic)" in first_entry
    assert newest.summary in first_entry
    # The act in words, its code kept only as the title for those who filter the log by it.
    assert '<span class="action" title="delegate.seated">Delegate seated</span>' in first_entry


def test_the_log_pages_50_at_a_time(federation: SmallFederation) -> None:
    from commune.audit.models import LogEntry
    from commune.audit.services import log_entry_record

    for n in range(30):
        log_entry_record(organisation=federation.org, action="test.note", summary=f"note {n}")
    total = LogEntry.objects.filter(organisation=federation.org).count()
    assert 50 < total < 100
    url = reverse("audit:log", kwargs={"slug": federation.org.slug})
    client = _client(federation.member)
    first = client.get(url).content.decode()
    assert first.count('class="entry"') == 50
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="entry"') == total - 50
    assert f'id="entry-{total - 50}"' in second and 'id="entry-1"' in second


def test_the_log_filters_by_body(federation: SmallFederation) -> None:
    """Filtering by a unit shows only entries about it (its creation, its admissions, its officer)."""
    url = reverse("audit:log", kwargs={"slug": federation.org.slug})
    response = _client(federation.member).get(url, {"body": "D0-U1"})
    html = response.content.decode()
    entries = html.count('class="entry"')
    assert entries == 1 + 5  # created, five admitted
    assert 'value="D0-U1" selected' in html
    assert "Unit 0.1" in _text(response.content)
    unknown = _client(federation.member).get(url, {"body": "NOPE"})
    assert "There is no body with the code NOPE" in _text(unknown.content)


def test_verifying_the_chain_reports_it_intact(federation: SmallFederation) -> None:
    from commune.audit.models import LogEntry

    url = reverse("audit:verify", kwargs={"slug": federation.org.slug})
    client = _client(federation.member)
    page = client.get(url)
    assert page.status_code == 200 and "Verify the chain now" in _text(page.content)
    assert "The chain is intact" not in _text(page.content)
    done = client.post(url)
    total = LogEntry.objects.filter(organisation=federation.org).count()
    assert f"The chain is intact. All {total} entries" in _text(done.content)


def test_verifying_a_tampered_chain_names_the_entry(federation: SmallFederation) -> None:
    from django.db import connection

    from commune.audit.guard import guard_remove
    from commune.audit.models import LogEntry

    guard_remove(connection)
    target = LogEntry.objects.filter(organisation=federation.org).order_by("seq")[4]
    LogEntry.objects.filter(pk=target.pk).update(summary="Nothing happened")
    done = _client(federation.member).post(reverse("audit:verify", kwargs={"slug": federation.org.slug}))
    text = _text(done.content)
    assert f"The chain is broken at entry #{target.seq}" in text
    assert "content was changed" in text


# --- account page and API tokens ---------------------------------------------------------------------------


def test_the_account_page_shows_the_person_and_membership(federation: SmallFederation) -> None:
    response = _client(federation.member).get(reverse("accounts:account"))
    assert response.status_code == 200
    text = _text(response.content)
    assert federation.member.email in text and "Member TF00001 of Unit 0.0" in text
    assert "You have no active tokens" in text


def test_a_new_token_is_shown_once_listed_and_works(federation: SmallFederation) -> None:
    from commune.accounts.services import api_token_authenticate

    client = _client(federation.member)
    created = client.post(reverse("accounts:token_create"), {"name": "branch spreadsheet"})
    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    raw = re.search(r'value="(cmn_[^"]+)"', created.content.decode())
    assert raw is not None
    assert api_token_authenticate(raw=raw.group(1)) == federation.member
    listed = client.get(reverse("accounts:account")).content.decode()
    assert "branch spreadsheet" in listed
    assert raw.group(1) not in listed  # shown once only
    assert raw.group(1)[:10] in listed  # its prefix tells it apart


def test_a_token_without_a_name_is_refused(federation: SmallFederation) -> None:
    response = _client(federation.member).post(reverse("accounts:token_create"), {"name": "  "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not federation.member.api_tokens.exists()


def test_revoking_a_token_stops_it_working(federation: SmallFederation) -> None:
    from commune.accounts.services import api_token_authenticate, api_token_create

    token, raw = api_token_create(user=federation.member, name="old script")
    client = _client(federation.member)
    response = client.post(reverse("accounts:token_revoke", kwargs={"token_id": token.pk}), follow=True)
    assert response.status_code == 200
    assert "is revoked" in _text(response.content)
    assert api_token_authenticate(raw=raw) is None
    assert "old script" not in _text(client.get(reverse("accounts:account")).content).split("is revoked")[-1]


def test_nobody_can_revoke_someone_elses_token(federation: SmallFederation) -> None:
    from commune.accounts.services import api_token_authenticate, api_token_create

    token, raw = api_token_create(user=federation.officer, name="officer's")
    response = _client(federation.member).post(
        reverse("accounts:token_revoke", kwargs={"token_id": token.pk})
    )
    assert response.status_code == 404
    assert api_token_authenticate(raw=raw) == federation.officer
    assert (
        _client(federation.member)
        .get(reverse("accounts:token_revoke", kwargs={"token_id": token.pk}))
        .status_code
        == 405
    )


def test_changing_the_password(federation: SmallFederation) -> None:
    client = _client(federation.member)
    new = "another long passphrase here"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert Client().login(username=federation.member.email, password=new)


def test_a_person_with_no_membership_is_told_so(db: None) -> None:
    person = user_create(email="new@example.org", name="Newcomer", password=PASSWORD)
    response = _client(person).get("/")
    assert response.status_code == 200
    assert "not a member of an organisation" in _text(response.content)


def test_a_member_of_two_organisations_can_switch(federation: SmallFederation) -> None:
    other = organisation_found(name="Second Union", slug="second")
    unit = body_create(organisation=other, kind="unit", code="ONLY", name="Only Unit")
    member_admit(unit=unit, person=federation.member, number="S1")
    text = _text(_client(federation.member).get("/").content)
    assert "You are also a member of: Second Union" in text
    second = _client(federation.member).get(reverse("federation:home", kwargs={"slug": "second"}))
    assert "Only Unit is the whole organisation" in _text(second.content)
