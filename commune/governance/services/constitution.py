"""Amending the constitution: any body's members propose; only the membership, by referendum, enacts.

A proposal is a constitutional motion (so every vote on it needs the constitutional majority) whose text
states each change and the whole proposed rule book. It travels as any motion does: adopted and forwarded
up to the top council, which refers it to a referendum of the whole membership. ``constitution_amendment_enact``
then adopts it through ``constitution_adopt``, handing over the carried referendum, which that service
checks again. An amendment to the motion's text on the way would change what the members vote on, so a
proposal whose text changed is not enacted: propose it afresh.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.constitution import rules_validate
from commune.federation.constitution_words import rule_label, rule_value_words
from commune.federation.models import Body, ConstitutionVersion, Member
from commune.federation.selectors import constitution_version_in_force
from commune.federation.services import FederationError, constitution_adopt
from commune.governance.diff import rules_changes
from commune.governance.errors import GovernanceConflict, GovernanceError
from commune.governance.models import ConstitutionProposal, ProposalStatus
from commune.motions.models import Motion, Referral, ReferralKind
from commune.motions.services import motion_move


def rules_with_changes(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The rules with ``changes`` (``"section.field": value``) applied, validated. A rule that is itself a
    list of named entries (the delegable powers) also takes ``"section.field.name": value`` for one entry,
    ``None`` taking it off the list, as the diff of two rule books names it."""
    proposed = json.loads(json.dumps(current))
    for key, value in changes.items():
        section, _sep, field = key.partition(".")
        if not field or section not in proposed or not isinstance(proposed[section], dict):
            if key == "preamble":
                proposed["preamble"] = value
                continue
            raise GovernanceError(
                _("%(key)s names no rule; write 'section.field', e.g. 'offices.term_months'")
                % {"key": repr(key)}
            )
        field, _sep, entry = field.partition(".")
        if not entry:
            proposed[section][field] = value
            continue
        entries = proposed[section].get(field)
        if not isinstance(entries, dict):
            raise GovernanceError(
                _("%(section)s.%(field)s is not a list of named entries; write %(section)s.%(field)s")
                % {"section": section, "field": field}
            )
        if value is None:
            entries.pop(entry, None)
        else:
            entries[entry] = value
    return rules_validate(proposed).model_dump(mode="json")


def _proposal_text(changes: list[tuple[str, Any, Any]], rules: dict[str, Any], reason: str) -> str:
    lines = [
        f"- {rule_label(key)}: {rule_value_words(key, before)} → {rule_value_words(key, after)}"
        for key, before, after in changes
    ]
    return (
        "This organisation amends its constitution as follows:\n"
        + "\n".join(lines)
        + (f"\nReason: {reason}" if reason else "")
        + "\nThe constitution as amended:\n"
        + json.dumps(rules, sort_keys=True)
    )


@transaction.atomic
def constitution_amendment_propose(
    *, body: Body, member: Member, changes: dict[str, Any], reason: str = "", actor: Actor = SYSTEM
) -> ConstitutionProposal:
    """Move a constitutional motion in a body the member sits in, stating the changes to the rules in
    force. Proposing changes nothing: only a carried referendum of the membership enacts it."""
    latest = constitution_version_in_force(organisation_id=body.organisation_id)
    if latest is None:
        raise GovernanceError(_("the organisation has no constitution to amend"))
    if not changes:
        raise GovernanceError(_("state at least one change"))
    proposed = rules_with_changes(latest.rules, changes)
    diff = rules_changes(latest.rules, proposed)
    if not diff:
        raise GovernanceError(_("the proposal changes nothing in the constitution in force"))
    reason = reason.strip()
    # The motion's words are stored and signed: they are written in the strings' own language, whatever
    # language the proposer reads Commune in.
    with translation.override(settings.LANGUAGE_CODE):
        title = f"Amend the constitution (version {latest.number}): {'; '.join(rule_label(k) for k, _, _ in diff)}"
        text = _proposal_text(diff, proposed, reason)
    motion = motion_move(
        body=body,
        member=member,
        title=title[:200],
        text=text,
        constitutional=True,
        actor=actor,
    )
    proposal = ConstitutionProposal.objects.create(
        organisation_id=body.organisation_id,
        base_version=latest,
        rules=proposed,
        reason=reason,
        motion=motion,
        proposed_at=timezone.now(),
    )
    log_entry_record(
        organisation=body.organisation,
        action="constitution.amendment_proposed",
        body_id=body.pk,
        actor=actor,
        summary=f"Constitutional amendment proposed in {body.name} (motion {motion.pk})",
        payload={
            "proposal": proposal.pk,
            "motion": motion.pk,
            "base_version": latest.number,
            "changes": [{"rule": k, "from": a, "to": b} for k, a, b in diff],
        },
    )
    return proposal


def proposal_referendum(proposal: ConstitutionProposal) -> Referral | None:
    """The carried referendum of the whole membership on this proposal's motion line, if there is one."""
    return (
        Referral.objects.select_related("council", "motion")
        .filter(
            motion__origin_id=proposal.motion_id,
            kind=ReferralKind.REFERENDUM,
            council__parent__isnull=True,
            council__organisation_id=proposal.organisation_id,
            carried=True,
        )
        .order_by("-closed_at")
        .first()
    )


@transaction.atomic
def constitution_amendment_enact(
    *, proposal: ConstitutionProposal, actor: Actor = SYSTEM
) -> ConstitutionVersion:
    """Adopt the proposal as the next version, on the strength of the referendum the membership carried
    on it. Refused before the referendum carries, if the text voted on differs from the proposal, or if
    another version was adopted since the proposal was drafted."""
    proposal = (
        ConstitutionProposal.objects.select_for_update(of=("self",))
        .select_related("organisation", "base_version", "motion")
        .get(pk=proposal.pk)
    )
    if proposal.status == ProposalStatus.ENACTED:
        raise GovernanceConflict(_("this proposal has already been enacted"))
    referendum = proposal_referendum(proposal)
    if referendum is None:
        raise GovernanceConflict(
            _(
                "the constitution belongs to the members: this proposal is enacted only once a referendum of the whole membership has carried it"
            )
        )
    voted: Motion = referendum.motion
    if voted.text != proposal.motion.text:
        raise GovernanceConflict(
            _(
                "the text the members voted on differs from the proposal (it was amended on the way); propose the amended rules afresh"
            )
        )
    latest = constitution_version_in_force(organisation_id=proposal.organisation_id)
    if latest is None or latest.pk != proposal.base_version_id:
        raise GovernanceConflict(
            _(
                "the constitution has changed since this proposal amended version %(proposal)s; propose it afresh against the version in force"
            )
            % {"proposal": proposal.base_version.number}
        )
    try:
        version = constitution_adopt(
            organisation=proposal.organisation,
            rules=proposal.rules,
            adopted_by=f"referendum #{referendum.pk} on motion {voted.pk}",
            referendum_id=referendum.pk,
            actor=actor,
        )
    except FederationError as exc:
        raise GovernanceConflict(str(exc)) from exc
    proposal.status, proposal.enacted_as = ProposalStatus.ENACTED, version
    proposal.save(update_fields=["status", "enacted_as"])
    return version
