"""A person's secret calendar address: made or reset by them, kept only as a digest."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from commune.accounts.models import User
from commune.actions.models import CalendarFeed


def feed_token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_reset(*, person: User) -> str:
    """Make the person a new calendar token, replacing any old one (whose address stops working at once).
    Returns the token: it is shown now and never again."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        person=person, defaults={"digest": feed_token_digest(token), "created_at": timezone.now()}
    )
    return token
