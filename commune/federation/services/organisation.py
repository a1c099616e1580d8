"""Writes for the federation: founding an organisation and amending its constitution, and the error
every federation write raises."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.constitution import DEFAULT_RULES, rules_validate
from commune.federation.currency import CURRENCIES, DEFAULT_CURRENCY
from commune.federation.errors import FederationError as FederationError  # imported from here too
from commune.federation.models import ConstitutionVersion, Organisation

if TYPE_CHECKING:
    from commune.motions.models import Referral


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
        raise FederationError(f"an organisation with the address {slug!r} already exists")
    if currency not in CURRENCIES:
        raise FederationError(f"{currency!r} is not the ISO 4217 code of a currency, such as GBP or EUR")
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
    referendum: Referral | None = None,
    actor: Actor = SYSTEM,
) -> ConstitutionVersion:
    """Adopt a version of the rules. The first is the founding text; every later version needs
    ``referendum``: a closed, carried referendum of the whole membership (referred by the top council) on
    a constitutional motion, not already behind another version. No council or executive enacts one."""
    checked = rules_validate(rules).model_dump(mode="json")
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    latest = organisation.constitution_versions.order_by("-number").first()
    number = 1 if latest is None else latest.number + 1
    if number > 1:
        _referendum_check(organisation, referendum)
    elif referendum is not None:
        raise FederationError("the founding constitution is adopted at founding, not by referendum")
    version = ConstitutionVersion.objects.create(
        organisation=organisation,
        number=number,
        adopted_at=timezone.now(),
        adopted_by=adopted_by,
        rules=checked,
        referendum=referendum,
    )
    log_entry_record(
        organisation=organisation,
        action="constitution.adopted",
        summary=f"Constitution version {number} adopted ({adopted_by})",
        actor=actor,
        payload={
            "version": number,
            "adopted_by": adopted_by,
            "referendum": referendum.pk if referendum else None,
            "rules": checked,
        },
    )
    return version


def _referendum_check(organisation: Organisation, referendum: Referral | None) -> None:
    if referendum is None:
        raise FederationError(
            "the constitution belongs to the members: a new version is adopted only by a membership "
            "referendum that carried"
        )
    council = referendum.council
    if council.organisation_id != organisation.pk or council.parent_id is not None:
        raise FederationError("only a referendum of the whole membership can amend the constitution")
    if referendum.kind != "referendum":
        raise FederationError("the constitution is amended by a referendum, not by the assemblies' votes")
    if not referendum.motion.constitutional:
        raise FederationError("the referendum was not on a constitutional motion")
    if referendum.closed_at is None or not referendum.carried:
        raise FederationError("the referendum has not carried")
    if ConstitutionVersion.objects.filter(referendum=referendum).exists():
        raise FederationError("this referendum has already amended the constitution")
