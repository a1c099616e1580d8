"""A notification sent to many members reaches each in the language they chose."""

from __future__ import annotations

from django.core import mail
from django.utils.translation import gettext_lazy

from commune.accounts.models import User
from commune.notifications.services import notification_send
from commune.translation import deferred


def test_each_person_reads_a_notification_in_their_own_language(
    db: None, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    reader_es = User.objects.create_user("es@example.org", name="Lucía", language="es")
    reader_fr = User.objects.create_user("fr@example.org", name="Jeanne", language="fr")
    reader_default = User.objects.create_user("en@example.org", name="Ann")
    # Django's own catalogues translate these two messages, so the test needs nothing of Commune's.
    subject = gettext_lazy("This field is required.")
    body = deferred(
        gettext_lazy("Ensure this value is less than or equal to %(limit_value)s."), limit_value=5
    )

    with django_capture_on_commit_callbacks(execute=True):
        sent = notification_send(
            people=[reader_es, reader_fr, reader_default], kind="test", subject=subject, body=body
        )

    by_person = {notification.person.email: notification for notification in sent}
    assert by_person["es@example.org"].subject == "Este campo es obligatorio."
    assert "5" in by_person["es@example.org"].body and by_person["es@example.org"].body.startswith(
        "Asegúrese"
    )
    assert by_person["fr@example.org"].subject == "Ce champ est obligatoire."
    assert by_person["en@example.org"].subject == "This field is required."
    assert by_person["en@example.org"].body == "Ensure this value is less than or equal to 5."
    assert {message.subject for message in mail.outbox} == {
        "Este campo es obligatorio.",
        "Ce champ est obligatoire.",
        "This field is required.",
    }
