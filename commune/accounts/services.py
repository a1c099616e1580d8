"""Writes for people and tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import connection, transaction
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


def password_changed(*, user: User) -> int:
    """After a new password (changed, or set from a reset link): every API token of the person is revoked.
    Returns how many were. Their other sessions end by themselves: each session carries a digest of the
    password it was opened with, which no longer matches."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user a raw token belongs to, or ``None``.

    One query on the token's unique digest, written out rather than built by the ORM: every API request
    starts here, and compiling the ORM query cost more than running it."""
    # Touch at most once a minute so a busy client does not write on every request.
    stale_before = timezone.now() - timedelta(seconds=60)
    users = User.objects.raw(
        "SELECT u.*, t.id AS api_token_id, "
        "(t.last_used_at IS NULL OR t.last_used_at < %s) AS api_token_stale "
        f"FROM {User._meta.db_table} u JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id "
        "WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active",
        [connection.ops.adapt_datetimefield_value(stale_before), token_digest(raw)],
    )
    user = next(iter(users), None)
    if user is None:
        return None
    if user.api_token_stale:  # type: ignore[attr-defined]
        ApiToken.objects.filter(pk=user.api_token_id).update(last_used_at=timezone.now())  # type: ignore[attr-defined]
    return user
