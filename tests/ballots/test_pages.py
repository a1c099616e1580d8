"""The ballot pages: ranking without JavaScript, the receipt's tracker, and the bulletin with its look-up."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from commune.accounts.models import User
from commune.accounts.services import user_create
from commune.ballots.bulletin import bulletin_verify
from commune.ballots.models import Ballot, BulletinEntry, RegisterEntry
from commune.elections.models import Candidacy, Election
from commune.elections.services.casting import ballot_cast
from commune.elections.views import ballots as ballot_views
from commune.federation.constitution import DEFAULT_RULES
from tests.clock import Clock
from tests.conftest import PASSWORD, SmallFederation, build_federation
from tests.elections.conftest import call, stand, to_declared, to_voting
from tests.referendum import constitution_amend

pytestmark = pytest.mark.django_db

TRACKER = re.compile(r'<code id="tracker">([A-Z0-9-]+)</code>')


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def _url(name: str, fed: SmallFederation, election: Election) -> str:
    return reverse(name, kwargs={"slug": fed.org.slug, "election_id": election.pk})


def _voting(clock: Clock, fed: SmallFederation) -> tuple[Election, list[int]]:
    election = call(clock, fed.units[0], seats=1, title="Depot chair")
    ids = stand(election, fed.members["m2"], fed.members["m4"], fed.members["m5"])
    return to_voting(clock, election), ids


@pytest.fixture
def voting(clock: Clock, federation: SmallFederation) -> tuple[Election, list[int]]:
    """Three candidates (m2, m4, m5) for one seat, elected by the five members of Unit 0.0; voting open."""
    return _voting(clock, federation)


def _box(election: Election) -> tuple[int, int]:
    return (
        RegisterEntry.objects.filter(box_id=election.box_id).count(),
        Ballot.objects.filter(box_id=election.box_id).count(),
    )


def test_the_ballot_offers_a_numbered_choice_beside_every_candidate(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    """Without any script: one labelled select per candidate, numbered 1 to 3, blank by default."""
    election, ids = voting
    response = _client(federation.member).get(_url("ballots:ballot", federation, election))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    for cid in ids:
        label = Candidacy.objects.get(pk=cid).ballot_label
        assert (
            f'<label for="id_rank_{cid}" class="rank-name"><span class="visually-hidden">Preference for </span>{label}'
            in html
        )
        select = re.search(rf'<select name="rank_{cid}".*?</select>', html, re.S)
        assert select is not None
        assert re.findall(r'<option value="(\d*)"', select.group(0)) == ["", "1", "2", "3"]


def test_casting_records_the_ranking_in_order_and_shows_the_tracker_once(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    """The numbers become the ranking; the receipt shows the tracker of the ballot in the box, with a
    "keep this" message, and is not to be cached."""
    election, (a, b, c) = voting
    response = _client(federation.member).post(
        _url("ballots:ballot", federation, election), {f"rank_{a}": "2", f"rank_{b}": "", f"rank_{c}": "1"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    text = _text(response.content)
    assert "Your ballot is cast" in text
    assert "Keep this tracker" in text and "shown only this once" in text
    found = TRACKER.search(response.content.decode())
    assert found is not None
    ballot = Ballot.objects.get(box_id=election.box_id)
    assert (ballot.tracker, ballot.ranking) == (found.group(1), [c, a])
    assert _box(election) == (1, 1)


def test_the_tracker_is_emailed_when_asked(
    federation: SmallFederation,
    voting: tuple[Election, list[int]],
    django_capture_on_commit_callbacks: object,
) -> None:
    election, (a, _, _) = voting
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = _client(federation.member).post(
            _url("ballots:ballot", federation, election), {f"rank_{a}": "1", "email_receipt": "on"}
        )
    tracker = TRACKER.search(response.content.decode())
    assert tracker is not None
    assert f"A copy is on its way to {federation.member.email}" in _text(response.content)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [federation.member.email] and tracker.group(1) in mail.outbox[0].body


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ((None, None, None), "Number at least one candidate"),
        (("1", "1", None), "You gave the number 1 to"),
        (("1", "3", None), "Your numbers skip 2"),
        (("2", None, None), "Your numbers skip 1"),
        (("1", "9", None), "Select a valid choice"),
    ],
)
def test_a_ranking_with_a_repeat_a_gap_or_nothing_is_refused_and_changes_nothing(
    federation: SmallFederation,
    voting: tuple[Election, list[int]],
    numbers: tuple[str | None, ...],
    message: str,
) -> None:
    election, ids = voting
    data = {f"rank_{cid}": n for cid, n in zip(ids, numbers, strict=True) if n is not None}
    response = _client(federation.member).post(_url("ballots:ballot", federation, election), data)
    assert response.status_code == 400
    assert message in _text(response.content)
    page = response.content.decode()
    # The reason is marked invalid on the numbers and describes them, so a screen reader reads it there.
    described = re.findall(r'<select name="rank_\d+"[^>]*aria-describedby="([^"]+)"[^>]*>', page)
    assert described and all(
        'aria-invalid="true"' in s for s in re.findall(r"<select[^>]*aria-describedby[^>]*>", page)
    )
    for reasons in described:
        for reason in reasons.split():
            assert re.search(rf'<[^>]* role="alert" id="{reason}">', page), reason
    # What the voter entered is kept, so they fix it rather than start again.
    for cid, n in zip(ids, numbers, strict=True):
        if n in {"1", "2", "3"}:
            assert re.search(
                rf'name="rank_{cid}".*?<option value="{n}" selected>', response.content.decode(), re.S
            )
    assert _box(election) == (0, 0)


def test_a_member_who_is_not_an_elector_is_told_so_and_cannot_vote(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    """A member of another unit sees why they have no ballot; posting one anyway is refused."""
    election, (a, _, _) = voting
    client = _client(federation.members["m6"].person)
    page = client.get(_url("ballots:ballot", federation, election))
    assert page.status_code == 200
    assert "You are not on the electorate of this election, so you cannot vote in it" in _text(page.content)
    assert b"<select" not in page.content
    response = client.post(_url("ballots:ballot", federation, election), {f"rank_{a}": "1"})
    assert response.status_code == 400
    assert "You are not on the electorate of this election." in _text(response.content)
    assert _box(election) == (0, 0)


def test_voting_again_replaces_the_earlier_ballot_where_the_constitution_allows(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    election, (a, b, _) = voting
    client = _client(federation.member)
    client.post(_url("ballots:ballot", federation, election), {f"rank_{a}": "1"})
    page = client.get(_url("ballots:ballot", federation, election))
    assert "You have already voted. If you vote again, your new ballot replaces the earlier one" in _text(
        page.content
    )
    response = client.post(_url("ballots:ballot", federation, election), {f"rank_{b}": "1"})
    assert "it replaces your earlier one, which no longer counts" in _text(response.content)
    assert _box(election) == (1, 1)
    assert Ballot.objects.get(box_id=election.box_id).ranking == [b]


def test_voting_twice_is_refused_where_the_constitution_makes_a_vote_final(clock: Clock, db: None) -> None:
    fed = build_federation(slug="final")
    constitution_amend(
        fed.org, {**DEFAULT_RULES, "elections": {**DEFAULT_RULES["elections"], "allow_revote": False}}
    )
    election, (a, b, _) = _voting(clock, fed)
    client = _client(fed.member)
    assert client.post(_url("ballots:ballot", fed, election), {f"rank_{a}": "1"}).status_code == 200
    page = client.get(_url("ballots:ballot", fed, election))
    assert "You have already voted in this election, and your vote is final" in _text(page.content)
    assert b"<select" not in page.content
    response = client.post(_url("ballots:ballot", fed, election), {f"rank_{b}": "1"})
    assert response.status_code == 400
    assert "You have already voted in this election." in _text(response.content)
    assert Ballot.objects.get(box_id=election.box_id).ranking == [a]


def test_a_closed_election_refuses_ballots(
    clock: Clock, federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    election, (a, _, _) = voting
    ballot_cast(election_id=election.pk, member=federation.members["m2"], ranking=[a])
    election = to_declared(clock, election)
    client = _client(federation.member)
    page = client.get(_url("ballots:ballot", federation, election))
    assert "Voting in this election has closed" in _text(page.content)
    assert b"<select" not in page.content
    response = client.post(_url("ballots:ballot", federation, election), {f"rank_{a}": "1"})
    assert response.status_code == 400
    assert "Voting in this election has closed." in _text(response.content)
    assert RegisterEntry.objects.filter(box_id=election.box_id).count() == 1
    assert BulletinEntry.objects.filter(box_id=election.box_id).count() == 1


def test_a_ballot_before_voting_opens_is_refused(clock: Clock, federation: SmallFederation) -> None:
    election = call(clock, federation.units[0], seats=1, title="Early")
    (a,) = stand(election, federation.members["m2"])
    page = _client(federation.member).get(_url("ballots:ballot", federation, election))
    assert "Voting in this election is not open" in _text(page.content)
    response = _client(federation.member).post(
        _url("ballots:ballot", federation, election), {f"rank_{a}": "1"}
    )
    assert response.status_code == 400
    assert RegisterEntry.objects.filter(box_id=election.box_id).count() == 0


@pytest.fixture
def published(
    clock: Clock, federation: SmallFederation, voting: tuple[Election, list[int]]
) -> tuple[Election, str]:
    """Every member of the unit votes; the member's tracker is kept; the bulletin is published."""
    election, (a, b, c) = voting
    m = federation.members
    response = _client(federation.member).post(
        _url("ballots:ballot", federation, election), {f"rank_{b}": "1", f"rank_{a}": "2"}
    )
    tracker = TRACKER.search(response.content.decode())
    assert tracker is not None
    for voter, ranking in (("m2", [a]), ("m3", [c, a]), ("m4", [b]), ("m5", [c])):
        ballot_cast(election_id=election.pk, member=m[voter], ranking=ranking)
    return to_declared(clock, election), tracker.group(1)


def test_the_bulletin_lists_every_ballot_under_its_tracker_with_the_merkle_root(
    federation: SmallFederation, published: tuple[Election, str]
) -> None:
    election, _ = published
    response = _client(federation.member).get(_url("ballots:bulletin", federation, election))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<code class="hash" id="merkle-root">{election.merkle_root}</code>' in html
    trackers = re.findall(r'<td data-label="Tracker"><code>([A-Z0-9-]+)</code>', html)
    assert trackers == list(
        BulletinEntry.objects.filter(box_id=election.box_id)
        .order_by("tracker")
        .values_list("tracker", flat=True)
    )
    assert len(trackers) == 5
    assert _url("ballots:bulletin_json", federation, election) in html
    assert _url("ballots:bulletin_blt", federation, election) in html


def test_a_voter_finds_their_ballot_by_its_tracker(
    federation: SmallFederation, published: tuple[Election, str]
) -> None:
    """The look-up shows the ballot as counted, with names, whatever the case or spacing typed."""
    election, tracker = published
    (a_label, b_label) = (
        Candidacy.objects.get(election=election, member=federation.members["m2"]).ballot_label,
        Candidacy.objects.get(election=election, member=federation.members["m4"]).ballot_label,
    )
    response = _client(federation.member).get(
        _url("ballots:bulletin", federation, election), {"tracker": f"  {tracker.lower()} "}
    )
    text = _text(response.content)
    assert f"Found. The ballot published under {tracker} was counted as: {b_label} {a_label}" in text
    missing = _client(federation.member).get(
        _url("ballots:bulletin", federation, election), {"tracker": "AAAAA-AAAAA-AAAAA"}
    )
    assert "No ballot on this bulletin has the tracker AAAAA-AAAAA-AAAAA" in _text(missing.content)


def test_a_tracker_typed_in_lower_case_without_hyphens_is_found(
    federation: SmallFederation, published: tuple[Election, str]
) -> None:
    """A correct tracker typed without its hyphens, or in small letters, is never reported missing."""
    election, tracker = published
    for typed in (
        tracker.replace("-", ""),
        tracker.lower().replace("-", ""),
        tracker.lower().replace("-", " "),
    ):
        response = _client(federation.member).get(
            _url("ballots:bulletin", federation, election), {"tracker": typed}
        )
        text = _text(response.content)
        assert f"Found. The ballot published under {tracker} was counted as" in text, typed
        assert "your ballot is missing" not in text
        assert f'value="{tracker}"' in response.content.decode()


def test_the_bulletin_pages_through_the_ballots(
    federation: SmallFederation, published: tuple[Election, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    election, _ = published
    monkeypatch.setattr(ballot_views, "BALLOTS_PER_PAGE", 2)
    client = _client(federation.member)
    seen = []
    for page in (1, 2, 3):
        html = client.get(_url("ballots:bulletin", federation, election), {"page": page}).content.decode()
        seen += re.findall(r'<td data-label="Tracker"><code>([A-Z0-9-]+)</code>', html)
        assert f"Page {page} of 3" in html
    assert seen == sorted(
        BulletinEntry.objects.filter(box_id=election.box_id).values_list("tracker", flat=True)
    )


def test_the_bulletin_downloads_verify_and_count(
    federation: SmallFederation, published: tuple[Election, str]
) -> None:
    """The JSON download passes the hash check against the published root; the BLT holds every ballot."""
    election, tracker = published
    client = _client(federation.member)
    response = client.get(_url("ballots:bulletin_json", federation, election))
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    assert bulletin_verify(document) == election.merkle_root
    assert tracker in {b["tracker"] for b in document["ballots"]}
    assert document["result"] == election.result
    blt = client.get(_url("ballots:bulletin_blt", federation, election)).content.decode().splitlines()
    assert blt[0] == "3 1"
    assert len([line for line in blt[1:] if line.endswith(" 0")]) == 5


def test_before_close_there_is_no_bulletin_to_see_or_download(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    election, _ = voting
    client = _client(federation.member)
    page = client.get(_url("ballots:bulletin", federation, election))
    assert "The bulletin is published when voting closes" in _text(page.content)
    assert client.get(_url("ballots:bulletin_json", federation, election)).status_code == 404
    assert client.get(_url("ballots:bulletin_blt", federation, election)).status_code == 404


def _pages(fed: SmallFederation, election: Election) -> list[str]:
    return [
        _url(name, fed, election)
        for name in ("ballots:ballot", "ballots:bulletin", "ballots:bulletin_json", "ballots:bulletin_blt")
    ]


def test_anonymous_visitors_are_sent_to_sign_in(
    federation: SmallFederation, published: tuple[Election, str]
) -> None:
    election, _ = published
    for url in _pages(federation, election):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_people_who_are_not_members_get_404_and_cast_nothing(
    federation: SmallFederation, voting: tuple[Election, list[int]]
) -> None:
    election, (a, _, _) = voting
    stranger = user_create(email="stranger@example.org", name="Stranger", password=PASSWORD)
    other = build_federation(slug="other").member
    for person in (stranger, other):
        client = _client(person)
        for url in _pages(federation, election):
            assert client.get(url).status_code == 404, url
        assert (
            client.post(_url("ballots:ballot", federation, election), {f"rank_{a}": "1"}).status_code == 404
        )
    assert _box(election) == (0, 0)
