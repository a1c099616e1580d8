"""The election pages in the reader's language: words translated, figures of the count in the reader's
notation, and every number a machine reads (attributes, SVG coordinates) left as it is."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from commune.accounts.models import User
from commune.accounts.services import api_token_create
from commune.elections.models import Election
from commune.elections.services.casting import ballot_cast
from tests.clock import Clock
from tests.conftest import SmallFederation
from tests.elections.conftest import call, stand, to_declared, to_voting

pytestmark = pytest.mark.django_db


def _get(user: User, url: str, language: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _url(name: str, fed: SmallFederation, election: Election) -> str:
    return reverse(name, kwargs={"slug": fed.org.slug, "election_id": election.pk})


@pytest.fixture
def voting(clock: Clock, federation: SmallFederation) -> Election:
    election = call(clock, federation.units[0], seats=2, title="Depot committee")
    stand(election, federation.members["m1"], federation.members["m2"], federation.members["m4"])
    return to_voting(clock, election)


@pytest.fixture
def declared(clock: Clock, federation: SmallFederation, voting: Election) -> Election:
    a, b, c = voting.candidacies.order_by("pk").values_list("pk", flat=True)
    for voter, ranking in (("m1", [a, b]), ("m2", [b, a]), ("m3", [a, c]), ("m4", [c, b]), ("m5", [c])):
        ballot_cast(election_id=voting.pk, member=federation.members[voter], ranking=ranking)
    return to_declared(clock, voting)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["Tus preferencias", "Emitir mi voto", "2 escaños por cubrir."]),
        ("ar", ["تفضيلاتك", "أدلِ بصوتي", "رقّم المرشحين حسب ترتيب تفضيلك"]),
    ],
)
def test_the_ranked_ballot_speaks_the_readers_language(
    federation: SmallFederation, voting: Election, language: str, words: list[str]
) -> None:
    """The ballot's words, and the words its script shows, are in the browser's language; the names on
    it are the organisation's own and stay as they are."""
    html = _get(federation.member, _url("ballots:ballot", federation, voting), language)
    for word in words:
        assert word in html
    clash = re.search(r'data-repeat="([^"]+)"', html)
    assert clash is not None and "%(number)s" in clash.group(1) and "Give each number" not in clash.group(1)
    assert "Member 002" in html  # a name on the ballot is never translated


def test_the_result_shows_figures_in_the_readers_notation_and_draws_with_plain_numbers(
    federation: SmallFederation, declared: Election
) -> None:
    """In Spanish the quota reads with a decimal comma; the chart's coordinates keep the point a browser
    needs, and the candidates' ids in data-* attributes stay plain."""
    result = declared.result
    assert result is not None
    totals = [Decimal(str(v)) for stage in result["stages"] for v in stage["totals"].values()]
    fractional = next(v for v in totals if "." in str(v))  # counted to five places: 1.00000
    html = _get(federation.member, _url("elections:result", federation, declared), "es")
    assert "El escrutinio, fase a fase" in html and "Cociente" in html
    assert str(fractional).replace(".", ",") in html
    assert str(fractional) not in html
    coordinates = re.findall(r"<(?:rect|line|text|svg)\b[^>]*>", html)
    assert coordinates
    for tag in coordinates:
        for value in re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height|viewBox)="([^"]*)"', tag):
            assert "," not in value, tag
    assert any(re.search(r'y="\d+\.\d+"', tag) for tag in coordinates)  # fractions kept with a point
    detail = _get(federation.member, _url("elections:detail", federation, declared), "es")
    assert re.search(r'data-candidate="\d+"', detail)
    assert "Candidaturas" in detail


def test_a_refused_ballot_through_the_api_is_explained_in_the_callers_language(
    federation: SmallFederation, voting: Election
) -> None:
    """A member outside the electorate is refused in the language their client asked for."""
    outsider = federation.members["m9"].person
    token = api_token_create(user=outsider, name="t")[1]
    candidate = voting.candidacies.order_by("pk").values_list("pk", flat=True)[0]
    path = f"/api/orgs/{federation.org.slug}/elections/{voting.pk}/ballots"
    for language, words in (
        ("es", "no formas parte del electorado de esta elección"),
        ("ar", "لست ضمن الهيئة الناخبة لهذا الانتخاب"),
        ("en", "you are not on the electorate of this election"),
    ):
        response = Client().post(
            path,
            {"ranking": [candidate]},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 403
        assert response.json()["detail"] == words


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "es",
            {
                "first-preferences": "Primeras preferencias",
                "exclusion": "Exclusión de ",
                "surplus": "Excedente de ",
            },
        ),
        ("ar", {"first-preferences": "التفضيلات الأولى", "exclusion": "استبعاد ", "surplus": "فائض "}),
    ],
)
def test_each_stage_of_the_count_is_said_in_the_readers_language(
    clock: Clock, federation: SmallFederation, voting: Election, language: str, words: dict[str, str]
) -> None:
    """What each stage did (first preferences, then the surplus of the first elected) is said from the
    stored count's actions in the reader's words; the stored result keeps its English descriptions, and the
    candidates' names stay as they are."""
    a, b, c = voting.candidacies.order_by("pk").values_list("pk", flat=True)
    for voter, ranking in (("m1", [a, b]), ("m2", [a, b]), ("m3", [a, c]), ("m4", [c, b]), ("m5", [b, c])):
        ballot_cast(election_id=voting.pk, member=federation.members[voter], ranking=ranking)
    declared = to_declared(clock, voting)
    result = declared.result
    assert result is not None
    stages = result["stages"]
    assert stages[0]["action"] == "first-preferences" and stages[0]["description"] == "First preferences"
    assert [stage["action"] for stage in stages][:2] == ["first-preferences", "surplus"]
    html = " ".join(_get(federation.member, _url("elections:result", federation, declared), language).split())
    for stage in stages:
        if stage["action"] in words:
            said = words[stage["action"]] + ", ".join(stage["subject"])
            assert f'<span class="stage-what">{said.strip()}</span>' in html
        assert f'<span class="stage-what">{stage["description"]}</span>' not in html
