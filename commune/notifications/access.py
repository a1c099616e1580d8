"""Permission-checked fetches: a person sees only their own notifications."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.access import NotFound
from commune.notifications.models import Notification


def access_notification(user: User, notification_id: int) -> Notification:
    """One of the person's own notifications; anyone else's answers as a missing one does."""
    found = Notification.objects.filter(pk=notification_id, person=user).first()
    if found is None:
        raise NotFound(_("no such notification"))
    return found
