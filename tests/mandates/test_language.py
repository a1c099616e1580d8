"""Mandates in the reader's language: the pages, a refusal through the API, and the notice of a
departure, which each constituent reads in the language they chose."""

from __future__ import annotations

import pytest
from django.utils import translation

from commune.accounts.models import User
from commune.notifications.models import Notification
from tests.mandates.test_pages import as_member, council_vote, text_of, url
from tests.motions.conftest import Fed, cast, close, fed

__all__ = ["fed"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["Historial de cumplimiento", "1 desviación de un mandato", "Motivo dado:"]),
        ("ar", ["سجل الالتزام", "مخالفة للتفويض", "السبب المقدَّم:"]),
    ],
)
def test_the_compliance_record_speaks_the_readers_language(fed: Fed, language: str, words: list[str]) -> None:
    _, vote = council_vote(fed)
    assert cast(fed, 3, vote, "yes", reason="New facts.").status_code == 201
    number = fed.members["m3"].number
    page = as_member(fed, 1).get(url(fed, "mandates:delegate", number=number), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    text = text_of(page.content)
    for word in words:
        assert word in text
    assert "New facts." in text  # what the delegate wrote is never translated


def test_the_seat_vote_page_and_a_binding_refusal_are_in_the_callers_language(fed: Fed) -> None:
    """The seat's vote page reads in French; voting against a binding mandate through the API is refused
    in Spanish."""
    _, vote = council_vote(fed, kind="binding", instruction="no")
    page = as_member(fed, 3).get(url(fed, "mandates:seat_vote", vote_id=vote), HTTP_ACCEPT_LANGUAGE="fr")
    assert "Exprimer la voix du siège" in text_of(page.content)
    api = fed.api(3)
    response = api.client.post(
        f"/api/orgs/{fed.slug}/votes/{vote}/ballots",
        {"choice": "yes", "reason": ""},
        content_type="application/json",
        **api.headers,
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 403, response.json()
    assert "dio un mandato vinculante de votar no en este punto" in response.json()["detail"]


def test_a_departure_notice_reaches_each_constituent_in_their_own_language(fed: Fed) -> None:
    """The delegate departs in English; a constituent who chose Arabic, and one who chose Spanish, each
    get the notice in their language."""
    User.objects.filter(pk=fed.members["m1"].person.pk).update(language="ar")
    User.objects.filter(pk=fed.members["m2"].person.pk).update(language="es")
    _, vote = council_vote(fed)
    assert cast(fed, 3, vote, "yes", reason="New facts.").status_code == 201
    notices = {
        n.person_id: n for n in Notification.objects.filter(kind="mandate.departed").select_related("person")
    }
    arabic = notices[fed.members["m1"].person.pk]
    spanish = notices[fed.members["m2"].person.pk]
    english = notices[fed.members["m4"].person.pk]
    assert arabic.subject.startswith("خالف مندوبك تفويضكم") and "سببه: New facts." in arabic.body
    assert spanish.subject.startswith("Tu delegado/a se apartó") and "Su motivo: New facts." in spanish.body
    assert english.subject.startswith("Your delegate departed") and "Their reason: New facts." in english.body


@pytest.mark.parametrize(
    ("language", "words", "codes"),
    [
        ("es", ["con instrucciones", "votar no", "mandato con instrucciones de votar no"], ["instructed"]),
        ("ar", ["موجِّه", "تفويض موجِّه بالتصويت بـ لا"], ["instructed", "vote no"]),
    ],
)
def test_a_seats_mandate_is_said_in_the_readers_words_on_the_vote_and_its_provenance(
    fed: Fed, language: str, words: list[str], codes: list[str]
) -> None:
    """The kind of mandate and how it instructed a seat to vote are the reader's words, not the stored
    codes, on the closed vote's page and on its provenance."""
    _, vote = council_vote(fed)
    assert cast(fed, 3, vote, "yes", reason="New facts.").status_code == 201
    assert cast(fed, 6, vote, "yes").status_code == 201
    close(fed, 6, vote)
    client = as_member(fed, 1)
    try:
        shown = text_of(
            client.get(url(fed, "motions:vote", vote_id=vote), HTTP_ACCEPT_LANGUAGE=language).content
        )
        shown += text_of(
            client.get(
                f"/o/{fed.slug}/decisions/vote/{vote}/provenance/", HTTP_ACCEPT_LANGUAGE=language
            ).content
        )
    finally:
        translation.activate("en")
    for word in words:
        assert word in shown
    for code in codes:
        assert code not in shown
    assert "New facts." in shown
