"""A sealed secret yes/no vote offers its bulletin — the papers as the seal shuffled and rewrote them, their
weights and the totals — on its page and through the API, as an election offers its bulletin: anyone can
re-count it to the declared result. Before the seal nothing of the box is served."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commune.api.root import api
from commune.ballots.bulletin import BulletinError, yes_no_bulletin_count, yes_no_bulletin_verify
from commune.recall.services import recall_ballot_cast, recalls_run_due
from tests.motions.conftest import Fed, all_vote, close, fed, on_agenda, put
from tests.recall.conftest import Recall, recall
from tests.recall.test_recall import _petition

__all__ = ["fed", "recall"]  # their fixtures

pytestmark = pytest.mark.django_db


def _page(person: Any, url: str) -> Any:
    client = Client()
    client.force_login(person)
    return client.get(url)


def _checked(document: dict[str, Any], declared: dict[str, int]) -> None:
    """The bulletin re-counts to the declared result and holds nothing of who voted."""
    assert yes_no_bulletin_verify(document) == declared
    assert all(set(paper) == {"id", "choice", "weight"} for paper in document["papers"])
    assert len({paper["id"] for paper in document["papers"]}) == len(document["papers"])


def test_a_secret_votes_bulletin_recounts_to_its_result_and_is_refused_before_the_count(fed: Fed) -> None:
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    all_vote(fed, vote, {1: "yes", 2: "yes", 3: "abstain", 4: "no", 5: "yes"})
    path = f"/orgs/{fed.slug}/votes/{vote}/bulletin"
    page = reverse("motions:vote_bulletin", kwargs={"slug": fed.slug, "vote_id": vote})
    refused = fed.api(2).get(path)
    assert refused.status_code == 409, refused.content
    assert "when the vote is counted" in refused.json()["detail"]
    assert _page(fed.members["m2"].person, page).status_code == 404

    counted = close(fed, 1, vote)
    declared = {"yes": counted["yes"], "no": counted["no"], "abstain": counted["abstain"]}
    assert declared == {"yes": 3, "no": 1, "abstain": 1}
    response = fed.api(2).get(path)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = response.json()
    assert (document["vote"], document["result"]["carried"]) == (vote, counted["carried"])
    _checked(document, declared)
    downloaded = _page(fed.members["m5"].person, page)
    assert downloaded.status_code == 200
    _checked(downloaded.json(), declared)
    vote_page = _page(
        fed.members["m5"].person, reverse("motions:vote", kwargs={"slug": fed.slug, "vote_id": vote})
    )
    assert page in vote_page.content.decode()

    # A bulletin whose papers were changed no longer re-counts to what it declares.
    document["papers"][0]["choice"] = "no" if document["papers"][0]["choice"] != "no" else "yes"
    with pytest.raises(BulletinError, match="count to"):
        yes_no_bulletin_verify(document)


def test_a_recall_ballots_bulletin_recounts_to_its_result_and_is_refused_before_the_count(
    recall: Recall,
) -> None:
    slug = recall.fed.org.slug
    petition = _petition(recall, "m1", "m8", "m9")
    for n, choice in enumerate(["yes"] * 5 + ["no"] * 2 + ["abstain"], start=2):
        recall_ballot_cast(petition=petition, member=recall.member(f"m{n}"), choice=choice)
    path = f"/orgs/{slug}/recalls/{petition.pk}/ballot/bulletin"
    page = reverse("recall:bulletin", kwargs={"slug": slug, "petition_id": petition.pk})
    assert recall.api("m2").get(path).status_code == 409
    assert _page(recall.member("m2").person, page).status_code == 404

    recall.clock.advance(days=7, seconds=1)
    recalls_run_due()
    response = recall.api("m2").get(path)
    assert response.status_code == 200
    _checked(response.json(), {"yes": 5, "no": 2, "abstain": 1})
    assert response.json()["result"]["carried"] is True
    _checked(_page(recall.member("m13").person, page).json(), {"yes": 5, "no": 2, "abstain": 1})
    result = _page(
        recall.member("m2").person,
        reverse("recall:result", kwargs={"slug": slug, "petition_id": petition.pk}),
    )
    assert page in result.content.decode()


def test_the_bulletin_endpoints_declare_every_status() -> None:
    schema = api.get_openapi_schema()
    for path in (
        "/api/orgs/{slug}/votes/{vote_id}/bulletin",
        "/api/orgs/{slug}/recalls/{petition_id}/ballot/bulletin",
    ):
        answers = schema["paths"][path]["get"]["responses"]
        assert {"200", "401", "404", "409"} <= set(map(str, answers)), (path, sorted(answers))


def test_a_malformed_yes_no_bulletin_is_refused() -> None:
    with pytest.raises(BulletinError, match="not a Commune yes/no bulletin"):
        yes_no_bulletin_count({"format": "commune-bulletin/1"})
    with pytest.raises(BulletinError, match="no yes/no choice"):
        yes_no_bulletin_count(
            {"format": "commune-yes-no-bulletin/1", "papers": [{"choice": "maybe", "weight": 1}]}
        )
