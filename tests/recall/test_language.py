"""The recall pages, refusals and notices in each member's language; numbers a machine reads stay as they are."""

from __future__ import annotations

from decimal import Decimal

from commune.notifications.models import Notification
from tests.recall.conftest import Recall
from tests.recall.test_recall_pages import as_member, petition_against, text, url


def test_the_petition_page_reads_in_spanish_with_the_progress_bar_unlocalized(recall: Recall) -> None:
    """In Spanish the threshold reads "12,50%" in the words, while the progress bar's attributes,
    read by the browser, keep plain digits."""
    recall.rules(petition_threshold_percent=Decimal("12.5"))
    petition = petition_against(recall, "m1")
    response = as_member(recall, "m9").get(url("detail", petition_id=petition.pk), HTTP_ACCEPT_LANGUAGE="es")
    body, page = response.content.decode(), text(response)
    assert f'<progress id="progress-{petition.pk}" max="2" value="1"' in body
    assert "(12,50% de un electorado de 12)" in page
    assert "Firmar la petición" in page and "Quién puede ver quién firmó: nadie" in page


def test_the_petition_page_reads_in_arabic(recall: Recall) -> None:
    petition = petition_against(recall, "m1")
    page = text(
        as_member(recall, "m9").get(url("detail", petition_id=petition.pk), HTTP_ACCEPT_LANGUAGE="ar")
    )
    assert "وقّع العريضة" in page and "من يستطيع رؤية من وقّع: لا أحد" in page


def test_signing_twice_is_refused_through_the_api_in_the_callers_language(recall: Recall) -> None:
    petition = petition_against(recall, "m1")
    opener = recall.api("m7")
    again = opener.client.post(
        f"/api/orgs/rc/recalls/{petition.pk}/signature", HTTP_ACCEPT_LANGUAGE="fr", **opener.headers
    )
    assert again.status_code == 409
    assert "vous avez déjà signé cette pétition" in again.json()["detail"]


def test_the_threshold_notice_reaches_each_elector_in_their_language(recall: Recall) -> None:
    """The electorate hears the petition reached its threshold, each member in the language they chose;
    the recalled delegate's own notice too."""
    recall.rules(procedure="immediate")
    french = recall.member("m12").person
    french.language = "fr"
    french.save(update_fields=["language"])
    holder = recall.member("m1").person
    holder.language = "es"
    holder.save(update_fields=["language"])
    petition = petition_against(recall, "m1", "m8", "m9")
    name = holder.name
    to_french = Notification.objects.get(person=french, kind="recall.threshold_reached")
    assert (
        to_french.subject == f"Une pétition de révocation contre votre délégué·e {name} a atteint son seuil"
    )
    assert "Selon les statuts, le·la titulaire est retiré·e aussitôt." in to_french.body
    to_english = Notification.objects.get(person=recall.member("m10").person, kind="recall.threshold_reached")
    assert to_english.subject.startswith("A recall petition against your delegate")
    recalled = Notification.objects.get(person=holder, kind="recall.recalled")
    assert recalled.subject.startswith("Has sido revocado/a de tu escaño en ")
    assert f"petición de revocación n.º {petition.pk}" in recalled.body
