"""Telling people: in-app notifications, each also emailed once the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation

from commune.accounts.models import User
from commune.notifications.models import Notification


@transaction.atomic
def notification_send(
    *, people: Iterable[User], kind: str, subject: str, body: str, link: str = ""
) -> list[Notification]:
    """Notify each person once (duplicates in ``people`` are dropped), in the app and by email.

    ``subject`` and ``body`` may be lazy (``gettext_lazy``, ``commune.translation.deferred``): each person
    then gets them in the language they chose. The emails go in ``transaction.on_commit``: if the act
    being announced is rolled back, nobody hears of it.
    """
    unique = list({person.pk: person for person in people}.values())
    room = Notification._meta.get_field("subject").max_length or 0
    texts: dict[str, tuple[str, str]] = {}
    for language in {person.language or settings.LANGUAGE_CODE for person in unique}:
        with translation.override(language):
            texts[language] = (_one_line(str(subject), room), str(body))
    now = timezone.now()
    notifications = []
    messages = []
    for person in unique:
        person_subject, person_body = texts[person.language or settings.LANGUAGE_CODE]
        notifications.append(
            Notification(
                person=person, kind=kind, subject=person_subject, body=person_body, link=link, created_at=now
            )
        )
        if person.email:
            text = f"{person_body}\n\n{link}" if link else person_body
            messages.append((person_subject, text, settings.DEFAULT_FROM_EMAIL, [person.email]))
    created = Notification.objects.bulk_create(notifications, batch_size=2000)
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return created


def _one_line(subject: str, room: int) -> str:
    """A subject is one line (a mail header cannot hold a newline), however the text it quotes was written,
    and fits its column: a long question is cut with an ellipsis, the whole of it being in the body."""
    subject = " ".join(subject.split())
    if room and len(subject) > room:
        subject = subject[: room - 1].rstrip() + "…"
    return subject


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one of a person's notifications read (idempotent: the first reading time is kept)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, person: User) -> int:
    """Mark every unread notification of the person read; returns how many were unread."""
    return Notification.objects.filter(person=person, read_at__isnull=True).update(read_at=timezone.now())
