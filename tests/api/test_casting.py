"""A cast carrying a bearer token is answered before the page middlewares and django-ninja's operation
(``commune.api.casting``), with the same answers, statuses, language and headers; anything else it is
sent takes the full path and gets the answer it always got."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from ninja.operation import Operation

from commune.accounts.models import User
from commune.accounts.services import api_token_create
from commune.ballots.models import YesNoRegisterEntry
from commune.web.language import LanguageMiddleware
from tests.cast_queries import assembly_vote
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _cast(person: User, path: str, body: Any, **headers: Any) -> Any:
    _token, raw = api_token_create(user=person, name="cast")
    return Client().post(
        f"/api{path}", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}", **headers
    )


@pytest.fixture
def full_path(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths that reached django-ninja's operation (the full path), in order."""
    reached: list[str] = []
    run = Operation.run

    def recorded(self: Operation, request: Any, **kwargs: Any) -> Any:
        reached.append(request.path)
        return run(self, request, **kwargs)

    monkeypatch.setattr(Operation, "run", recorded)
    return reached


def test_a_cast_with_a_token_is_answered_without_the_page_middlewares_or_the_operation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The vote is recorded and answered 201 as the operation answers it; a second cast is refused (409)
    in the language of the Accept-Language header, which the answers say they vary with."""

    def unused(*args: Any) -> Any:
        raise AssertionError("the full path was taken")

    monkeypatch.setattr(Operation, "run", unused)
    monkeypatch.setattr(LanguageMiddleware, "__call__", unused)
    vote, members = assembly_vote(5, "lean")
    path = f"/orgs/lean/votes/{vote.pk}/ballots"
    person = members[1].person
    recorded = _cast(person, path, {"choice": "yes"})
    assert recorded.status_code == 201, recorded.content
    assert recorded.json() == {"vote": vote.pk, "choice": "yes", "secret": True, "departed": False}
    again = _cast(person, path, {"choice": "no"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert again.status_code == 409
    with translation.override("fr"):
        assert again.json() == {"detail": translation.gettext("you have already voted on this question")}
    assert again["Content-Language"] == "fr" and "Accept-Language" in again["Vary"]
    assert YesNoRegisterEntry.objects.filter(box_id=vote.box_id).count() == 1


def test_a_lean_answer_carries_the_headers_of_the_full_path(full_path: list[str]) -> None:
    """The same headers as an answer of the operation: the content type and length, the language, the
    content security policy, frame options, no sniffing, the referrer policy."""
    vote, members = assembly_vote(5, "leanh")
    path = f"/orgs/leanh/votes/{vote.pk}/ballots"
    lean = _cast(members[1].person, path, {"choice": "yes"})
    full = _cast(members[2].person, path, {"choice": "maybe"})
    assert full_path == [f"/api{path}"] and (lean.status_code, full.status_code) == (201, 422)
    assert set(lean.headers) == set(full.headers)
    for name in ("Content-Type", "Content-Language", "Vary", "Content-Security-Policy", "X-Frame-Options"):
        assert lean[name] == full[name], name
    assert int(lean["Content-Length"]) == len(lean.content)


def test_what_the_lean_path_does_not_take_gets_the_answer_it_always_got(full_path: list[str]) -> None:
    """A body that is not valid gets the operation's 422 and its errors; a NUL in the body 422 naming the
    field; a query string, and a browser session (which must send its CSRF token), the operation."""
    vote, members = assembly_vote(5, "leanf")
    path = f"/orgs/leanf/votes/{vote.pk}/ballots"
    invalid = _cast(members[1].person, path, {"choice": "maybe"})
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["loc"][-1] == "choice"
    nul = _cast(members[1].person, path, {"choice": "yes", "reason": "a\x00b"})
    assert nul.status_code == 422 and nul.json()["errors"][0]["loc"] == ["body", "reason"], nul.json()
    not_json = _cast(members[1].person, path, "choice=yes")
    assert not_json.status_code == 400, not_json.content
    queried = _cast(members[1].person, f"{path}?x=1", {"choice": "yes"})
    assert queried.status_code == 201
    browser = Client(enforce_csrf_checks=True)
    assert browser.login(email=members[2].person.email, password=PASSWORD)
    refused = browser.post(f"/api{path}", {"choice": "no"}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert full_path == [f"/api{path}"] * 4


def test_a_ballot_with_a_token_is_answered_on_the_lean_path(
    full_path: list[str], federation: Any, clock: Any
) -> None:
    """An election ballot too: its tracker, and a bad ranking refused by the service (400)."""
    from tests.elections.conftest import call, stand, to_voting

    election = call(clock, federation.units[0], seats=1, title="Chair")
    a, b = stand(election, federation.members["m1"], federation.members["m2"])
    election = to_voting(clock, election)
    path = f"/orgs/tf/elections/{election.pk}/ballots"
    cast = _cast(federation.members["m3"].person, path, {"ranking": [b, a]})
    assert cast.status_code == 201 and len(cast.json()["tracker"]) == 17, cast.content
    bad = _cast(federation.members["m4"].person, path, {"ranking": [a, a]})
    assert bad.status_code == 400 and "ranked more than once" in bad.json()["detail"]
    assert full_path == []


def test_a_cast_to_a_host_not_allowed_is_refused(full_path: list[str]) -> None:
    vote, members = assembly_vote(5, "leanx")
    refused = _cast(
        members[1].person, f"/orgs/leanx/votes/{vote.pk}/ballots", {"choice": "yes"}, HTTP_HOST="x.example"
    )
    assert refused.status_code == 400
    assert not YesNoRegisterEntry.objects.filter(box_id=vote.box_id).exists()
