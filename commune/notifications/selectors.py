"""Reads of a person's notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from commune.notifications.models import Notification


def notifications_of_person(*, person_id: int, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's notifications, newest first."""
    qs = Notification.objects.filter(person_id=person_id)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notifications_unread_count(*, person_id: int) -> int:
    return Notification.objects.filter(person_id=person_id, read_at__isnull=True).count()
