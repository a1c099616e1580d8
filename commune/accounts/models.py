"""People who sign in, and their API tokens.

A person's rights in an organisation come only from their memberships and the positions they were elected
to (see ``commune.federation``). ``is_staff``/``is_superuser`` mean *instance operator* (Django admin for
maintenance) and confer nothing inside any organisation.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("an email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Instance operator: may use the admin site.")
    date_joined = models.DateTimeField(default=timezone.now)
    #: The language the person reads Commune in; blank follows their browser. Also the language of what
    #: is sent to them (notifications and email), which no browser is there to ask.
    language = models.CharField(max_length=8, blank=True, default="")

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        # Not the address: a person's label can reach pages and the log that every member reads.
        return self.name

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInThrottle(models.Model):
    """Wrong passwords counted for one thing a sign-in names: the account tried (as typed, whether it exists
    or not) or the address it came from. Only a keyed digest of that is stored, never the address itself."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key[:8]}…: {self.failures}"


class ErasureRequest(models.Model):
    """A person's request that their personal data be erased, where the law gives them that right.

    Recorded here and listed to the operator (``commune audit erasure-requests``), who checks who is asking
    and carries it out with ``commune audit erase-person``: there is one erasure, the operator's. Carrying it
    out closes the request."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="erasure_requests")
    requested_at = models.DateTimeField()
    statement = models.TextField(max_length=1000, blank=True, help_text="What the person said, if anything.")
    carried_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(carried_out_at__isnull=True),
                name="one_open_erasure_request",
            )
        ]

    def __str__(self) -> str:
        return f"erasure asked by {self.person_id} on {self.requested_at:%Y-%m-%d}"
