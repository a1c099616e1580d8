"""The tellers' desk of an election's paper ballots, through its pages, without script: linked from the
ballot page for the tellers and the body's officers; every member reads the papers reconciled and the
disputes; a teller enters a paper's preferences, a number field per candidate in the order printed; a
refusal comes back on its field, with what was typed still in place; a third teller resolves a dispute;
only tellers print the papers. A member whose paper was rejected cannot then vote online."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commune.ballots.models import BallotPaper, PaperStatus
from commune.elections.models import Election
from tests.clock import Clock
from tests.elections.test_papers import Desk, desk  # noqa: F401

pytestmark = pytest.mark.django_db


def _browser(d: Desk, key: str, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(d.fed.members[key].person)
    return client


def test_the_election_paper_desk_works_without_script(
    desk: tuple[Desk, Election, list[int]],  # noqa: F811
    clock: Clock,
) -> None:
    d, election, _ids = desk
    opened = d.post("m2", "", {"tellers": [d.number(k) for k in ("m4", "m6", "m8")]}).json()
    ids = [c["id"] for c in opened["candidates"]]
    code = d.post("m4", "/issue", {"members": [d.number("m5")]}).json()[0]["code"]
    kwargs = {"slug": "ep", "election_id": election.pk}
    papers_url = reverse("elections:papers", kwargs=kwargs)
    ballot_url = reverse("ballots:ballot", kwargs=kwargs)
    # Linked from the ballot page for the officer who added them and the tellers, not for other members.
    for key in ("m2", "m4"):
        assert papers_url in _browser(d, key).get(ballot_url).content.decode()
    assert papers_url not in _browser(d, "m7").get(ballot_url).content.decode()
    page = _browser(d, "m7").get(papers_url).content.decode()
    assert "The papers reconcile" in page and "Tellers' desk" not in page
    desk_page = _browser(d, "m4").get(papers_url).content.decode()
    assert "Tellers' desk" in desk_page and f'name="entry-pref_{ids[0]}"' in desk_page

    enter_url = reverse("elections:papers_enter", kwargs=kwargs)
    fields = {f"entry-pref_{i}": "" for i in ids}
    # A bad number is refused on its field, the code kept as typed.
    wrong = _browser(d, "m4").post(enter_url, {"entry-code": code, **fields, f"entry-pref_{ids[1]}": "0"})
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert f'id="id_entry-pref_{ids[1]}_error"' in text and f'value="{code}"' in text
    # A code of no paper is refused on the code field.
    unknown = _browser(d, "m4").post(enter_url, {"entry-code": "AAAA-BBBB-CCCC", **fields})
    assert unknown.status_code == 400 and 'id="id_entry-code_error"' in unknown.content.decode()
    assert "No paper of this ballot has the code" in unknown.content.decode()
    # Not a teller: refused, nothing entered.
    outsider = _browser(d, "m7").post(
        enter_url, {"entry-code": code, **fields, f"entry-pref_{ids[0]}": "1"}, follow=True
    )
    assert "Only the tellers named" in outsider.content.decode()
    assert BallotPaper.objects.get(code=code).status == PaperStatus.OUT

    first = _browser(d, "m4").post(
        enter_url, {"entry-code": code, **fields, f"entry-pref_{ids[0]}": "1", f"entry-pref_{ids[1]}": "2"}
    )
    assert first.status_code == 302
    second = _browser(d, "m6").post(
        enter_url,
        {"entry-code": code, **fields, f"entry-pref_{ids[0]}": "2", f"entry-pref_{ids[1]}": "1"},
        follow=True,
    )
    assert f"Paper {code}: returned, the tellers&#x27; entries disagree." in second.content.decode()
    assert BallotPaper.objects.get(code=code).status == PaperStatus.DISPUTED

    resolve_url = reverse("elections:papers_resolve", kwargs=kwargs)
    blank = {f"resolve-pref_{i}": "" for i in ids}
    by_reader = _browser(d, "m6").post(
        resolve_url, {"resolve-code": code, **blank, "resolve-reason": "unreadable"}, follow=True
    )
    assert "by a third teller" in by_reader.content.decode()
    assert BallotPaper.objects.get(code=code).status == PaperStatus.DISPUTED
    no_reason = _browser(d, "m8").post(resolve_url, {"resolve-code": code, **blank})
    assert no_reason.status_code == 400 and 'id="id_resolve-reason_error"' in no_reason.content.decode()
    resolved = _browser(d, "m8").post(
        resolve_url, {"resolve-code": code, **blank, "resolve-reason": "unreadable"}, follow=True
    )
    assert f"Paper {code}: returned, not counted." in resolved.content.decode()
    assert BallotPaper.objects.get(code=code).status == PaperStatus.REJECTED

    # The member whose paper was rejected has voted: the ballot page refuses them.
    cast = _browser(d, "m5").post(ballot_url, {f"rank_{ids[0]}": "1"})
    assert "already voted" in cast.content.decode() and BallotPaper.objects.filter(code=code).exists()

    print_url = reverse("elections:papers_print", kwargs=kwargs)
    assert _browser(d, "m5").get(print_url).status_code == 404
    assert _browser(d, "m6").get(print_url).status_code == 200


def test_the_election_paper_desk_is_translated(desk: tuple[Desk, Election, list[int]]) -> None:  # noqa: F811
    d, election, _ids = desk
    d.post("m2", "", {"tellers": [d.number(k) for k in ("m4", "m6", "m8")]})
    url = reverse("elections:papers", kwargs={"slug": "ep", "election_id": election.pk})
    for language, words in (
        ("es", "Mesa de escrutadores"),
        ("fr", "Table des scrutateur·rices"),
        ("ar", "مكتب الفارزين"),
    ):
        page = _browser(d, "m4", language).get(url).content.decode()
        assert words in page, language
