"""Writes for people and tokens."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from commune.accounts.access import BearerToken
from commune.accounts.errors import AccountInvalid, TokenRefused
from commune.accounts.models import ApiToken, ErasureRequest, SignInThrottle, User
from commune.rows import row_columns, row_instance
from commune.statements import database_operations

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


def user_language_set(*, user: User, language: str) -> User:
    """Save the language the person reads Commune in: one of settings' ``LANGUAGES``, or empty to follow
    their browser. It is also the language of what is sent to them (notifications, email)."""
    if language and language not in {code for code, _ in settings.LANGUAGES}:
        raise AccountInvalid(_("Commune is not translated into that language."))
    user.language = language
    user.save(update_fields=["language"])
    return user


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def password_changed(*, user: User) -> int:
    """After a new password (changed, or set from a reset link): every API token of the person is revoked,
    and a lock on signing in to the account is lifted (the new password is what should open it). Returns how
    many tokens were revoked. Their other sessions end by themselves: each session carries a digest of the
    password it was opened with, which no longer matches."""
    sign_in_succeeded(keys=sign_in_keys(account=user.email))
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


#: A token's last use is written at most this often, so a busy client does not write on every request.
TOKEN_TOUCH_EVERY = timedelta(seconds=60)


def api_token_stale_before() -> Any:
    """The parameter a query compares ``last_used_at`` with to tell whether the token is due a touch."""
    return database_operations().adapt_datetimefield_value(timezone.now() - TOKEN_TOUCH_EVERY)


def api_token_touch_sql(*, token_id: int) -> tuple[str, dict[str, Any]]:
    """The statement noting that a token was used now, and its values (``api_token_touch``; also run by
    the event loop's casts on their own connection)."""
    return (
        f"UPDATE {ApiToken._meta.db_table} SET last_used_at = %(now)s WHERE id = %(token)s",
        {"now": database_operations().adapt_datetimefield_value(timezone.now()), "token": token_id},
    )


def api_token_touch(*, token_id: int) -> None:
    """Note that a token was used now (call when its query said it was due, ``api_token_stale_before``)."""
    with connection.cursor() as cursor:
        cursor.execute(*api_token_touch_sql(token_id=token_id))


def api_token_authenticate(*, raw: str) -> User | None:
    """The active user a raw token belongs to, or ``None``. Nothing is remembered between calls: a token
    revoked, or a person deactivated, is refused from the next request on.

    One query on the token's unique digest, written out rather than built by the ORM: every API request
    starts here, and compiling the ORM query cost more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {row_columns(User, 'u')}, t.id, "
            "(t.last_used_at IS NULL OR t.last_used_at < %s) "
            f"FROM {User._meta.db_table} u JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id "
            "WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active",
            [api_token_stale_before(), token_digest(raw)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    *_, token_id, stale = row
    if stale:
        api_token_touch(token_id=token_id)
    return row_instance(User, row)


@dataclass(frozen=True)
class CallerSql:
    """The parts of a query that find its caller, for a person column ``person`` of the query: the columns
    to add to the select list (``caller_found`` reads them), the joins, the condition and its parameters
    (named, ``%(caller_…)s``)."""

    columns: str
    joins: str
    where: str
    params: dict[str, Any]


def caller_sql(caller: User | BearerToken, person: str) -> CallerSql:
    """For a person: ``person`` is theirs. For a bearer token: ``person`` holds the active person whose
    token it is, unrevoked (what ``api_token_authenticate`` asks, here joined to the query's own)."""
    if isinstance(caller, User):
        return CallerSql("", "", f"{person} = %(caller)s", {"caller": caller.pk})
    columns, joins, where = _token_caller_sql(person)
    params = {"caller_digest": token_digest(caller.raw), "caller_stale_before": api_token_stale_before()}
    return CallerSql(columns, joins, where, params)


@functools.cache
def _token_caller_sql(person: str) -> tuple[str, str, str]:
    """``caller_sql``'s columns, joins and condition for a bearer token, written once for each person
    column: every cast asks."""
    return (
        f", {row_columns(User, 'caller')}, caller_token.id, "
        "(caller_token.last_used_at IS NULL OR caller_token.last_used_at < %(caller_stale_before)s)",
        f" JOIN {ApiToken._meta.db_table} caller_token ON caller_token.user_id = {person}"
        f" JOIN {User._meta.db_table} caller ON caller.id = {person}",
        "caller_token.digest = %(caller_digest)s AND caller_token.revoked_at IS NULL AND caller.is_active",
    )


def caller_found(caller: User | BearerToken, row: Sequence[Any], start: int) -> User:
    """The caller of a query built with ``caller_sql`` that found a row, whose caller columns begin at
    ``row[start]`` (a token's last use noted, at most once a minute, as ``api_token_authenticate`` does)."""
    if isinstance(caller, User):
        return caller
    user = row_instance(User, row, start)
    token_id = caller_token_due(caller, row, start)
    if token_id is not None:
        api_token_touch(token_id=token_id)
    return user


def caller_token_due(caller: User | BearerToken, row: Sequence[Any], start: int) -> int | None:
    """The id of the bearer token of a query built with ``caller_sql`` that found a row (its caller
    columns from ``row[start]``) if its last use is due to be noted (``api_token_stale_before``), else
    ``None`` (a person, or a token noted within the minute)."""
    if isinstance(caller, User):
        return None
    token_id, stale = row[start + len(User._meta.concrete_fields) :][:2]
    return token_id if stale else None


def caller_not_found(caller: User | BearerToken) -> User:
    """The caller of a query built with ``caller_sql`` that found nothing, as a person to ask again with
    and say what is missing; ``TokenRefused`` if it was a token that is not valid."""
    if isinstance(caller, User):
        return caller
    user = api_token_authenticate(raw=caller.raw)
    if user is None:
        raise TokenRefused("the API token is not valid: it is unknown or was revoked")
    return user


@dataclass(frozen=True)
class SignInLimit:
    """How many wrong passwords are let through at once (``free``), after which each further try waits
    twice as long as the last (2, 4, 8… seconds), and at how many signing in is locked for ``lock``. A count
    is forgotten once ``lock`` has passed since its last wrong password."""

    free: int
    lock_at: int
    lock: timedelta


#: Per account tried, and per address (higher: a workplace may share one address). The same counts, under
#: kinds of their own, slow down applications to join (``commune.membership``): every application counts,
#: per email address applied with and per address it came from.
SIGN_IN_LIMITS = {
    "account": SignInLimit(free=3, lock_at=10, lock=timedelta(minutes=30)),
    "address": SignInLimit(free=20, lock_at=100, lock=timedelta(minutes=30)),
    "code": SignInLimit(free=3, lock_at=10, lock=timedelta(minutes=30)),
    "application_email": SignInLimit(free=3, lock_at=6, lock=timedelta(days=1)),
    "application_address": SignInLimit(free=5, lock_at=20, lock=timedelta(hours=1)),
}


@dataclass(frozen=True)
class SignInWait:
    seconds: int
    locked: bool


def sign_in_keys(**named: str) -> list[tuple[str, str]]:
    """The throttle keys of a sign-in, e.g. ``sign_in_keys(account=email, address=ip)``: each a kind and a
    keyed digest of its value, so the table holds no address or account name."""
    keys = []
    for kind, value in named.items():
        digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
        keys.append((kind, digest.hexdigest()))
    return keys


def _wait(limit: SignInLimit, failures: int, since: timedelta) -> SignInWait | None:
    if failures >= limit.lock_at:
        left = limit.lock - since
        return SignInWait(int(left.total_seconds()) + 1, True) if left > timedelta(0) else None
    if failures >= limit.free:
        left = timedelta(seconds=2 ** (failures - limit.free + 1)) - since
        return SignInWait(int(left.total_seconds()) + 1, False) if left > timedelta(0) else None
    return None


def sign_in_wait(*, keys: Sequence[tuple[str, str]]) -> SignInWait | None:
    """How long before this sign-in may be tried, or ``None`` if it may be tried now."""
    now = timezone.now()
    waits = []
    for row in SignInThrottle.objects.filter(key__in=[key for _kind, key in keys]):
        kind = next(kind for kind, key in keys if key == row.key)
        wait = _wait(SIGN_IN_LIMITS[kind], row.failures, now - row.last_failure_at)
        if wait is not None:
            waits.append(wait)
    return max(waits, key=lambda w: (w.locked, w.seconds)) if waits else None


@transaction.atomic
def sign_in_failed(*, keys: Sequence[tuple[str, str]]) -> None:
    """Count a wrong password (or code) against each key; a count older than its lock starts again."""
    now = timezone.now()
    for kind, key in keys:
        row, created = SignInThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"failures": 1, "last_failure_at": now}
        )
        if created:
            continue
        if now - row.last_failure_at > SIGN_IN_LIMITS[kind].lock:
            SignInThrottle.objects.filter(pk=row.pk).update(failures=1, last_failure_at=now)
        else:
            SignInThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1, last_failure_at=now)


def sign_in_succeeded(*, keys: Sequence[tuple[str, str]]) -> None:
    """A right password (or code) clears the count of the account, not of the address it came from."""
    SignInThrottle.objects.filter(key__in=[key for kind, key in keys if kind != "address"]).delete()


#: How many single-use recovery codes a person is given when they turn on two-factor sign-in.
RECOVERY_CODES = 10


def _code(raw: str) -> str:
    return "".join(raw.split()).lower()


@transaction.atomic
def two_factor_begin(*, user: User) -> TOTPDevice:
    """Start setting up an authenticator app: a new secret, not yet in use until a code from it is confirmed
    (``two_factor_confirm``). Any earlier unfinished set-up is dropped."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


@transaction.atomic
def two_factor_confirm(*, user: User, code: str) -> list[str] | None:
    """Turn two-factor sign-in on once a code from the new secret matches. Returns the recovery codes, shown
    once (they replace any earlier ones), or ``None`` if the code did not match."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
    if device is None or not device.verify_token(_code(code)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
    return codes


@transaction.atomic
def two_factor_check(*, user: User, code: str) -> bool:
    """Whether ``code`` is the authenticator app's current code or one of the unused recovery codes (which
    it then uses up). A code from the app is accepted once only."""
    code = _code(code)
    devices = [
        *TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True),
        *StaticDevice.objects.select_for_update().filter(user=user, confirmed=True),
    ]
    return any(device.verify_token(code) for device in devices)


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """Turn two-factor sign-in off: the secret and every recovery code are deleted."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


#: What an erased person's name becomes, on their account and in the log's text.
NAME_ERASED = "[name erased]"


@transaction.atomic
def account_erase(*, user: User) -> User:
    """Erase what identifies a person from their account, as a right to erasure requires: their name and
    address are replaced, their password, API tokens and two-factor devices removed, and the account closed.
    The row itself stays, so that what it is linked to (their membership, the votes they cast, the rows of
    power rebuilt from the log) still holds. Their sessions end with the password."""
    user.name = NAME_ERASED
    user.email = f"erased-{user.pk}@erased.invalid"
    user.is_active = False
    user.is_staff = False
    user.set_unusable_password()
    user.save(update_fields=["name", "email", "is_active", "is_staff", "password"])
    ApiToken.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    ErasureRequest.objects.filter(person=user, carried_out_at__isnull=True).update(
        carried_out_at=timezone.now()
    )
    return user


ERASURE_STATEMENT_MAX = 1000


def erasure_request(*, person: User, statement: str = "") -> ErasureRequest:
    """Record the person's request to have their personal data erased, for the operator to check and carry
    out (``commune audit erase-person``). Asking again while one is open returns the open one."""
    statement = statement.strip()
    if len(statement) > ERASURE_STATEMENT_MAX:
        raise AccountInvalid(_("Say it in at most %(limit)s characters.") % {"limit": ERASURE_STATEMENT_MAX})
    with transaction.atomic():
        open_request = ErasureRequest.objects.select_for_update().filter(
            person=person, carried_out_at__isnull=True
        )
        existing = open_request.first()
        if existing is not None:
            return existing
        return ErasureRequest.objects.create(person=person, requested_at=timezone.now(), statement=statement)
