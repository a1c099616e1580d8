"""Reads for people and their tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from commune.accounts.models import ApiToken, User
from commune.federation.models import OfficeTerm
from commune.federation.selectors import constitution_in_force


def api_tokens_active(*, user: User) -> QuerySet[ApiToken]:
    """The person's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at", "-id")


def two_factor_enabled(*, user: User) -> bool:
    """Whether the person signs in with a code from an authenticator app as well as their password."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(*, user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def two_factor_required(*, person_id: int) -> bool:
    """Whether the person holds an office in an organisation whose constitution requires officers to sign in
    with a second factor (``accounts.officers_two_factor``)."""
    organisation_ids = set(
        OfficeTerm.objects.filter(
            member__person_id=person_id, member__current_unit__isnull=False, ended_at__isnull=True
        ).values_list("office__body__organisation_id", flat=True)
    )
    return any(
        constitution_in_force(organisation_id=o).accounts.officers_two_factor for o in organisation_ids
    )
