"""Writes for the federation: founding an organisation and amending its constitution, and the error
every federation write raises."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.constitution import DEFAULT_RULES, rules_validate
from commune.federation.currency import CURRENCIES, DEFAULT_CURRENCY
from commune.federation.errors import FederationError as FederationError  # imported from here too
from commune.federation.models import ConstitutionVersion, Organisation

#: Why the referendum with this id cannot carry a new version of this organisation's constitution (it is
#: not a closed, carried referendum of the whole membership on a constitutional motion), or None.
ConstitutionReferendumCheck = Callable[[int, int], "str | None"]

_referendum_checks: list[ConstitutionReferendumCheck] = []


def constitution_referendum_check_register(check: ConstitutionReferendumCheck) -> None:
    """Install the check of a referendum's standing. Referendums belong to the motions app, which the
    federation does not import: it registers its check here when Django starts (its ``AppConfig.ready``).
    Idempotent: Django may call ``ready`` more than once in tests."""
    if check not in _referendum_checks:
        _referendum_checks.append(check)


@transaction.atomic
def organisation_found(
    *,
    name: str,
    slug: str = "",
    currency: str = DEFAULT_CURRENCY,
    rules: dict[str, Any] | None = None,
    actor: Actor = SYSTEM,
) -> Organisation:
    """Found an organisation, keeping its pay and wages in ``currency`` (an ISO 4217 code), and adopt the
    first version of its constitution."""
    checked = rules_validate(rules if rules is not None else DEFAULT_RULES)
    slug = slug or slugify(name)
    if Organisation.objects.filter(slug=slug).exists():
        raise FederationError(_("an organisation with the address %(slug)r already exists") % {"slug": slug})
    if currency not in CURRENCIES:
        raise FederationError(
            _("%(code)r is not the ISO 4217 code of a currency, such as GBP or EUR") % {"code": currency}
        )
    org = Organisation.objects.create(name=name, slug=slug, currency=currency, founded_at=timezone.now())
    log_entry_record(
        organisation=org,
        action="organisation.founded",
        summary=f"{name} founded",
        actor=actor,
        payload={"name": name, "slug": slug, "currency": currency},
    )
    constitution_adopt(
        organisation=org, rules=checked.model_dump(mode="json"), adopted_by="founding", actor=actor
    )
    return org


@transaction.atomic
def constitution_adopt(
    *,
    organisation: Organisation,
    rules: dict[str, Any],
    adopted_by: str,
    referendum_id: int | None = None,
    actor: Actor = SYSTEM,
) -> ConstitutionVersion:
    """Adopt a version of the rules. The first is the founding text; every later version needs
    ``referendum_id``: a closed, carried referendum of the whole membership (referred by the top council)
    on a constitutional motion, not already behind another version — as the check the motions app installs
    says (``constitution_referendum_check_register``; with none installed, nothing is amended). No council
    or executive enacts one."""
    checked = rules_validate(rules).model_dump(mode="json")
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    latest = organisation.constitution_versions.order_by("-number").first()
    number = 1 if latest is None else latest.number + 1
    if number > 1:
        _referendum_check(organisation, referendum_id)
    elif referendum_id is not None:
        raise FederationError(_("the founding constitution is adopted at founding, not by referendum"))
    version = ConstitutionVersion.objects.create(
        organisation=organisation,
        number=number,
        adopted_at=timezone.now(),
        adopted_by=adopted_by,
        rules=checked,
        referendum_id=referendum_id,
    )
    log_entry_record(
        organisation=organisation,
        action="constitution.adopted",
        summary=f"Constitution version {number} adopted ({adopted_by})",
        actor=actor,
        payload={
            "version": number,
            "adopted_by": adopted_by,
            "referendum": referendum_id,
            "rules": checked,
        },
    )
    return version


def _referendum_check(organisation: Organisation, referendum_id: int | None) -> None:
    if referendum_id is None:
        raise FederationError(
            _(
                "the constitution belongs to the members: a new version is adopted only by a membership "
                "referendum that carried"
            )
        )
    if not _referendum_checks:
        raise FederationError(_("no check of referendums is installed: the constitution cannot be amended"))
    for check in _referendum_checks:
        if reason := check(organisation.pk, referendum_id):
            raise FederationError(reason)
    if ConstitutionVersion.objects.filter(referendum_id=referendum_id).exists():
        raise FederationError(_("this referendum has already amended the constitution"))
