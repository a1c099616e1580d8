"""The notifications section of a person's data export (``commune.accounts.personal_data``): every
notification they were sent. One query."""

from __future__ import annotations

from typing import Any

from commune.accounts.models import User
from commune.accounts.personal_data import moment
from commune.notifications.models import Notification


def notifications_personal_data(person: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": n.kind,
            "subject": n.subject,
            "body": n.body,
            "link": n.link,
            "created_at": moment(n.created_at),
            "read_at": moment(n.read_at),
        }
        for n in Notification.objects.filter(person=person).order_by("created_at", "id")
    ]
