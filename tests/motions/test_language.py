"""The motion pages, refusals and notices in each member's language; numbers a machine reads stay as they are."""

from __future__ import annotations

import pytest
from django.core import mail

from commune.motions.models import Vote
from commune.motions.selectors.statutory import statutory_notice_text
from commune.notifications.models import Notification
from tests.motions.conftest import Fed, cast, on_agenda, put
from tests.motions.test_pages import as_member, text_of, url

pytestmark = pytest.mark.django_db


def test_the_vote_page_reads_in_spanish_and_in_arabic(fed: Fed) -> None:
    """A member whose browser asks for Spanish or Arabic reads the ballot page in it, the question in the
    words it was put."""
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    path = url(fed, "motions:vote", vote_id=vote)
    spanish = text_of(as_member(fed, 3).get(path, HTTP_ACCEPT_LANGUAGE="es").content)
    assert "Emitir mi voto" in spanish and "Tu voto es secreto" in spanish
    assert "Quórum: debe participar al menos el 10%" in spanish
    arabic = as_member(fed, 3).get(path, HTTP_ACCEPT_LANGUAGE="ar")
    assert 'dir="rtl"' in arabic.content.decode() or arabic.headers["Content-Language"] == "ar"
    assert "أدلِ بصوتي" in text_of(arabic.content)
    english = text_of(as_member(fed, 3).get(path).content)
    assert "Cast my vote" in english


def test_the_body_and_motion_pages_read_in_french(fed: Fed) -> None:
    motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    body = text_of(
        as_member(fed, 1).get(url(fed, "motions:of_body", code="D0-U0"), HTTP_ACCEPT_LANGUAGE="fr").content
    )
    assert "Déposer une motion" in body and "À l'ordre du jour" in body
    detail = text_of(
        as_member(fed, 1).get(url(fed, "motions:detail", motion_id=motion), HTTP_ACCEPT_LANGUAGE="fr").content
    )
    assert "Proposer un amendement" in detail and "1 soutien en plus de l'auteur·e." in detail


def test_a_second_vote_is_refused_through_the_api_in_the_callers_language(fed: Fed) -> None:
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    assert cast(fed, 1, vote, "yes").status_code == 201
    api = fed.api(1)
    again = api.client.post(
        f"/api/orgs/{fed.slug}/votes/{vote}/ballots",
        {"choice": "no"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="es",
        **api.headers,
    )
    assert again.status_code == 409
    assert "ya has votado en esta cuestión" in again.json()["detail"]
    in_english = cast(fed, 1, vote, "no")
    assert "already voted" in in_english.json()["detail"]


def test_a_refusal_on_the_page_is_in_the_page_language(fed: Fed) -> None:
    vote = put(fed, 1, on_agenda(fed, 1, "D0-U0", supporter=2))
    outsider = as_member(fed, 6).post(
        url(fed, "motions:vote", vote_id=vote), {"choice": "no"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert outsider.status_code == 403
    assert "vous n'avez pas le droit de voter sur cette question" in text_of(outsider.content).lower()


def test_the_notice_that_a_vote_is_open_reaches_each_member_in_their_language(
    fed: Fed, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """Opening a vote tells every elector, each in the language they chose, whoever opened it and in
    whatever language their browser asked for."""
    french = fed.members["m4"].person
    french.language = "fr"
    french.save(update_fields=["language"])
    motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_member(fed, 1).post(
            url(fed, "motions:put", motion_id=motion), {"minutes": 60 * 24}, HTTP_ACCEPT_LANGUAGE="es"
        )
    assert response.status_code == 302
    question = Vote.objects.get(motion_id=motion).question
    to_french = Notification.objects.get(person=french, kind="vote.opened")
    assert "a soumis une question à l'assemblée générale de" in to_french.body
    assert "Votez à bulletin secret avant le" in to_french.body and question in to_french.body
    to_english = Notification.objects.get(person=fed.members["m5"].person, kind="vote.opened")
    assert "Cast your secret vote before" in to_english.body
    assert any(m.to == [french.email] and "a soumis une question" in m.body for m in mail.outbox)


def test_a_statutory_notice_in_another_language_carries_the_english_statement() -> None:
    """The notice a member reads in French is followed by the notice in English, the statute's language;
    in English it is the English notice alone."""
    from django.utils import translation

    notice = {
        "organisation": "Metro Union",
        "motion": "Strike for pay",
        "council": "Congress",
        "employer": "Metro Ltd",
        "scrutineer": "A. Scrutineer",
        "counted": True,
        "questions": [
            {
                "question": "Are you prepared to take part in a strike?",
                "entitled": 20,
                "votes_cast": 12,
                "yes": 10,
                "no": 2,
                "spoiled_or_invalid": 1,
                "voted": 13,
                "turnout": "65%",
                "turnout_threshold_met": True,
                "support_threshold_applies": False,
                "support_threshold_met": None,
                "carried": True,
            }
        ],
        "papers": {"issued": 5, "returned": 4, "counted": 3, "spoiled": 1, "rejected": 0, "unreturned": 1},
    }
    with translation.override("en"):
        english = statutory_notice_text(notice)
    assert "Entitled to vote:                 20" in english and "Inscrit" not in english
    with translation.override("fr"):
        french = statutory_notice_text(notice)
    assert french.startswith("Avis du résultat du scrutin des membres de Metro Union")
    assert french.endswith(english)
    assert "Au moins 50 % ont voté" in french
