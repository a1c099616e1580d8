"""Pages of notifications: a person's own, newest first, and marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from commune.accounts.access import request_person
from commune.federation.access import NotFound
from commune.notifications.access import access_notification
from commune.notifications.selectors import notifications_of_person, notifications_unread_count
from commune.notifications.services import notification_mark_read, notifications_mark_all_read

PER_PAGE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The reader's notifications, newest first, unread ones marked; ``?unread=1`` for unread only."""
    person_id = request_person(request).pk
    unread_only = request.GET.get("unread") == "1"
    found = notifications_of_person(person_id=person_id, unread_only=unread_only)
    return render(
        request,
        "notifications/list.html",
        {
            "page": Paginator(found, PER_PAGE).get_page(request.GET.get("page")),
            "unread_only": unread_only,
            "unread_notifications": notifications_unread_count(person_id=person_id),
        },
    )


@login_required
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The unread count for the navigation's badge. Pages fetch it after they load (an HTMX
    enhancement), so no page pays a query for it; without script the notifications page still shows
    which are new."""
    return render(
        request,
        "notifications/_badge.html",
        {"unread": notifications_unread_count(person_id=request_person(request).pk)},
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        found = access_notification(request_person(request), notification_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    notification_mark_read(notification=found)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = notifications_mark_all_read(person=request_person(request))
    messages.success(
        request,
        ngettext("%(count)s notification marked read.", "%(count)s notifications marked read.", marked)
        % {"count": marked},
    )
    return redirect("notifications:list")
