"""Writes for people and tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from commune.accounts.models import ApiToken, User

TOKEN_PREFIX = "cmn_"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def user_create(*, email: str, name: str, password: str | None = None) -> User:
    """Create a person. Without a password they cannot sign in until they reset one by email."""
    user = User.objects.create_user(email=email, name=name, password=password)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a token. Returns the stored row and the raw token, which is never stored and shown once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], digest=token_digest(raw))
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user a raw token belongs to, or ``None``."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute so a busy client does not write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
