"""Settings for Commune.

Everything an operator sets comes from the environment:

- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/commune``. Unset: SQLite in the data folder.
- ``COMMUNE_DATA_DIR``: where the SQLite database and the generated secret key live (default ``./data``).
- ``COMMUNE_SECRET_KEY``: the secret key (default: generated once into the data folder).
- ``COMMUNE_LOG_SIGNING_KEY``: the Ed25519 key that signs the provenance log, 32 bytes as hex (default:
  generated once into the data folder). Keep it out of the database's backups, like the secret key.
- ``COMMUNE_LOG_VERIFY_MINUTES``: how often the scheduler verifies every log (default 60; 0 never).
- ``COMMUNE_LOG_TRUSTED_KEYS``: comma-separated public keys (hex) of earlier signing keys whose signatures
  still verify, after the signing key was changed.
- ``COMMUNE_DEBUG``: ``1`` for development error pages.
- ``COMMUNE_BEHIND_TLS_PROXY``: ``1`` when a reverse proxy ends TLS in front of Commune and sets
  ``X-Forwarded-Proto`` and ``X-Forwarded-For``: cookies are then sent over HTTPS only, browsers are told to
  use HTTPS for a year (HSTS; ``COMMUNE_HSTS_SECONDS`` to change), plain HTTP is redirected, and sign-in
  throttling counts the address the proxy saw.
- ``COMMUNE_ALLOWED_HOSTS``: comma-separated host names (default ``localhost,127.0.0.1``).
- ``COMMUNE_BOX_KEYS_DIR``: where the keys of open ballot boxes live (default ``box_keys`` in the data
  folder). Never back it up (docs/operating.md).
- ``COMMUNE_REDIS_URL``: e.g. ``redis://127.0.0.1:6379/0``. Live pages' events go through Redis streams, so
  an event published by any process (any web worker, the scheduler) reaches followers on every worker.
  Unset: events stay in the process that published them (enough for one worker, as in the demo).
- ``COMMUNE_THREADS``: threads per web worker for pages and the API (default 10), each with at most one
  database connection; live streams hold none.
- ``COMMUNE_LOOP_CONNECTIONS``: PostgreSQL connections per web worker for the members' votes and ballots
  it casts on its event loop, without a thread (default 2; 0: every cast goes to the threads).
- ``COMMUNE_EMAIL_URL`` is not used; email goes to the console unless ``EMAIL_HOST`` is set (ballot
  receipts are printed there without their body).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("COMMUNE_DATA_DIR", Path.cwd() / "data")).resolve()


def _key(variable: str, file_name: str, generate: Callable[[], str]) -> str:
    """A key from the environment, or else from the data folder, generated there once (readable by the
    owner alone). Either way it is never in the database."""
    if key := os.environ.get(variable):
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / file_name
    if not key_file.exists():
        # Written whole under another name, then linked into place (which fails if it is there by then),
        # so processes starting together all read the one key that won, never a half-written file.
        draft = key_file.with_name(f".{file_name}.{os.getpid()}")
        draft.write_text(generate())
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _key("COMMUNE_SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50))
LOG_SIGNING_KEY = _key("COMMUNE_LOG_SIGNING_KEY", "log_signing_key", lambda: secrets.token_hex(32))
#: One key file per open ballot box, destroyed when the box is sealed (``commune/ballots/boxkeys.py``).
#: Never back this folder up: see docs/operating.md.
BOX_KEYS_DIR = Path(os.environ.get("COMMUNE_BOX_KEYS_DIR", DATA_DIR / "box_keys")).resolve()
#: Minutes between the scheduler's checks of every organisation's log (0: never; members can still check).
LOG_VERIFY_MINUTES = int(os.environ.get("COMMUNE_LOG_VERIFY_MINUTES", "60"))
#: Redis for live pages' events across processes ("" keeps them in memory, one process).
LIVE_REDIS_URL = os.environ.get("COMMUNE_REDIS_URL", "")
#: A running count on a live page (a vote's turnout) is published at most this often (seconds; 0: at every
#: change), however fast the changes come.
LIVE_COALESCE_SECONDS = float(os.environ.get("COMMUNE_LIVE_COALESCE_SECONDS", "0.2"))
#: PostgreSQL connections of each web worker's event loop, on which it casts members' votes and ballots
#: itself (``commune.api.casting.LoopCasts``; 0: none, every cast is handed to a thread).
LOOP_CONNECTIONS = int(os.environ.get("COMMUNE_LOOP_CONNECTIONS", "2"))
LOG_TRUSTED_PUBLIC_KEYS = [k for k in os.environ.get("COMMUNE_LOG_TRUSTED_KEYS", "").split(",") if k.strip()]
DEBUG = os.environ.get("COMMUNE_DEBUG", "") == "1"
#: Served through a reverse proxy that ends TLS and sets X-Forwarded-Proto and X-Forwarded-For.
BEHIND_TLS_PROXY = os.environ.get("COMMUNE_BEHIND_TLS_PROXY", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("COMMUNE_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("COMMUNE_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
if BEHIND_TLS_PROXY:
    # The proxy says the original request was HTTPS; only it can, as it replaces whatever the client sent.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("COMMUNE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False  # other hosts under the same domain are not Commune's to bind
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Only for its templates and static files: the API docs' Swagger UI is served from here, not a CDN.
    "ninja",
    # Two-factor sign-in: authenticator-app secrets and single-use recovery codes (commune.accounts uses them).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "commune.accounts",
    "commune.audit",
    "commune.federation",
    "commune.elections",
    "commune.ballots",
    "commune.motions",
    "commune.meetings",
    "commune.mandates",
    "commune.recall",
    "commune.notifications",
    "commune.governance",
    "commune.structure",
    "commune.provenance",
    "commune.health",
    "commune.membership",
    "commune.pledges",
    "commune.actions",
    "commune.dues",
    "commune.live",
    "commune.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "commune.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A cast carrying a bearer token is answered here, without the page middlewares below it or
    # django-ninja's generic machinery (``commune.api.casting``); everything else passes on.
    "commune.api.casting.CastingMiddleware",
    "commune.web.middleware.PageSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "commune.web.middleware.PageCsrfViewMiddleware",
    "commune.web.middleware.PageAuthenticationMiddleware",
    # After authentication (a member's saved choice wins over the cookie and the browser's Accept-Language;
    # the API follows the header only): chooses the request's language.
    "commune.web.language.LanguageMiddleware",
    "commune.web.middleware.PageMessageMiddleware",
    "commune.web.middleware.TwoFactorRequiredMiddleware",
    # Last, so that its refusal page knows who is signed in; before any view, so no NUL reaches a query.
    "commune.web.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'commune.sqlite3'}",
        conn_max_age=int(os.environ.get("COMMUNE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed beside a writer; the busy timeout makes writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    _prepare_threshold := os.environ.get("COMMUNE_PREPARE_THRESHOLD", "5")
):
    # PostgreSQL prepares the busiest statements (a cast's, ``commune.statements``) on each connection
    # once it has run them this many times. Empty: never (behind a pooler that cannot keep prepared
    # statements, such as PgBouncer's transaction pooling before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = int(_prepare_threshold)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
OTP_TOTP_ISSUER = "Commune"
# Wrong codes are slowed down and locked by Commune's own sign-in throttle (per person and per address), with
# the same answers as wrong passwords; django-otp's per-device throttle would be a second, different one.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Strings are written in English; a member reads them in the language they chose (saved on their account),
# otherwise in the one their browser asks for. Each app keeps its own catalogues (``commune messages``).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [BASE_DIR / "commune" / "locale"]
#: A visitor's choice of language outlives their session (``commune.web.language``).
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
#: English dates as a British reader writes them (Django's own "en" is American); the other languages use
#: Django's formats for them.
FORMAT_MODULE_PATH = ["commune.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served by WhiteNoise straight from the apps (finders), so no collectstatic step is needed.
# An operator who prefers collected files sets COMMUNE_STATIC_ROOT and runs `commune manage collectstatic`.
STATIC_ROOT = os.environ.get("COMMUNE_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the apps, so the demo and tests need no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
else:
    # The console is the server's log: secret messages (ballot receipts) are printed without their body.
    EMAIL_BACKEND = "commune.notifications.mail.ConsoleBackend"
DEFAULT_FROM_EMAIL = os.environ.get("COMMUNE_FROM_EMAIL", "commune@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("COMMUNE_LOG_LEVEL", "WARNING")},
}
