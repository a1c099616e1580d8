"""Reads for people and their tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from commune.accounts.models import ApiToken, User


def api_tokens_active(*, user: User) -> QuerySet[ApiToken]:
    """The person's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-id")
