"""API: my notifications, and marking them read."""

# No postponed annotations here: ninja's @paginate reads the wrapped view's parameter types at runtime.

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from commune.accounts.access import request_person
from commune.api.pagination import Pagination
from commune.notifications.access import access_notification
from commune.notifications.models import Notification
from commune.notifications.selectors import notifications_of_person
from commune.notifications.services import notification_mark_read, notifications_mark_all_read

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class NotificationsFilter(Schema):
    unread: bool = Field(False, description="Only notifications not yet read.")


class MarkedOut(Schema):
    marked: int


@router.get("/notifications", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(Pagination)
def notifications(request: HttpRequest, filters: Query[NotificationsFilter]) -> QuerySet[Notification]:
    return notifications_of_person(person_id=request_person(request).pk, unread_only=filters.unread)


@router.post("/notifications/{notification_id}/read", response=NotificationOut, summary="Mark one read")
def mark_read(request: HttpRequest, notification_id: int) -> Notification:
    found = access_notification(request_person(request), notification_id)
    return notification_mark_read(notification=found)


@router.post("/notifications/read", response=MarkedOut, summary="Mark all my notifications read")
def mark_all_read(request: HttpRequest) -> MarkedOut:
    return MarkedOut(marked=notifications_mark_all_read(person=request_person(request)))
