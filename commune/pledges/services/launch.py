"""Launching a pledge campaign: only by the body it covers, as the constitution allows, with provenance.

A council or a unit launches a campaign over the units at or below it: on a motion its delegates (or its
assembly) adopted, which the campaign names and the log records with the vote that adopted it; or, where
the constitution's ``pledges.launched_by`` is ``decision-or-officers``, by one of its officers, whose
office term the campaign names. Whoever registers the launch must act for that body: a member of the
unit, a delegate seated on the council, or an officer of either. The constitution's pledge rules in force
are copied onto the campaign, so a later amendment does not change a campaign under way.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commune.audit.services import Actor, log_entry_record
from commune.federation.models import Body, BodyKind, Delegation, Member, OfficeTerm
from commune.federation.selectors import constitution_adopted
from commune.motions.models import Motion, MotionStatus
from commune.pledges.errors import PledgeConflict, PledgeInvalid, PledgeNotEntitled
from commune.pledges.models import PledgeCampaign, PledgeCondition, PledgeUnit

ACTION_MAX = PledgeCampaign._meta.get_field("action").max_length or 200


def _office_term_of(member: Member, body: Body) -> OfficeTerm | None:
    return (
        OfficeTerm.objects.filter(member=member, office__body=body, ended_at__isnull=True)
        .select_related("office")
        .order_by("id")
        .first()
    )


def _acts_for(member: Member, body: Body) -> bool:
    """A member of the unit, a delegate seated on the council, or an officer of either."""
    if member.current_unit_id is None:
        return False
    if body.kind == BodyKind.UNIT and member.current_unit_id == body.pk:
        return True
    if (
        body.kind == BodyKind.COUNCIL
        and Delegation.objects.filter(council=body, member=member, ended_at__isnull=True).exists()
    ):
        return True
    return _office_term_of(member, body) is not None


def _threshold(condition: str, threshold: Decimal, members: int) -> tuple[Decimal | None, int | None]:
    if condition == PledgeCondition.UNIT_PERCENT:
        if not Decimal(0) < threshold <= Decimal(100) or threshold != threshold.quantize(Decimal("0.01")):
            raise PledgeInvalid(_("the share of each unit must be more than 0 and at most 100 per cent"))
        return threshold, None
    if condition == PledgeCondition.MEMBERS_TOTAL:
        if threshold != threshold.to_integral_value() or threshold < 1:
            raise PledgeInvalid(_("the number of members must be a whole number, at least 1"))
        if threshold > members:
            raise PledgeInvalid(
                _("the campaign covers %(members)s members: it cannot ask for %(threshold)s")
                % {"members": members, "threshold": threshold}
            )
        return None, int(threshold)
    raise PledgeInvalid(
        _("unknown condition %(condition)r: use unit-percent or members-total") % {"condition": condition}
    )


@transaction.atomic
def pledge_campaign_launch(
    *,
    body: Body,
    member: Member,
    action: str,
    condition: str,
    threshold: Decimal,
    deadline: datetime,
    text: str = "",
    motion: Motion | None = None,
) -> PledgeCampaign:
    """Launch a campaign over ``body``'s units on ``motion`` (an adopted motion of ``body``), or, with no
    motion and where the constitution allows, as an officer of ``body``. ``threshold`` is a percentage of
    each unit's members (``unit-percent``) or a number of members across the campaign (``members-total``).
    """
    if not _acts_for(member, body):
        raise PledgeNotEntitled(
            _("only a member who acts for %(body)s may launch a campaign of it") % {"body": body.name}
        )
    action = " ".join(action.split())
    if not action:
        raise PledgeInvalid(_("say what those who pledge will do (the action)"))
    if len(action) > ACTION_MAX:
        raise PledgeInvalid(
            _("the action is at most %(max)s characters; put the rest in the text") % {"max": ACTION_MAX}
        )
    rules, version = constitution_adopted(organisation_id=body.organisation_id)
    now = timezone.now()
    if deadline <= now:
        raise PledgeInvalid(_("the deadline must be in the future"))
    if deadline > now + timedelta(days=rules.pledges.max_days):
        raise PledgeInvalid(
            ngettext(
                "a campaign takes pledges for at most %(days)s day",
                "a campaign takes pledges for at most %(days)s days",
                rules.pledges.max_days,
            )
            % {"days": rules.pledges.max_days}
        )
    office_term: OfficeTerm | None = None
    if motion is not None:
        if motion.body_id != body.pk or motion.organisation_id != body.organisation_id:
            raise PledgeNotEntitled(
                _("the motion launching a campaign of %(body)s must be %(body)s's own") % {"body": body.name}
            )
        if motion.status != MotionStatus.ADOPTED:
            raise PledgeConflict(
                _("%(body)s has not adopted motion %(motion)s") % {"body": body.name, "motion": motion.pk}
            )
    else:
        if rules.pledges.launched_by != "decision-or-officers":
            raise PledgeNotEntitled(
                _("under the constitution only a motion adopted by %(body)s launches a campaign: name it")
                % {"body": body.name}
            )
        office_term = _office_term_of(member, body)
        if office_term is None:
            raise PledgeNotEntitled(
                _("only an officer of %(body)s may launch a campaign without a motion") % {"body": body.name}
            )

    units = list(
        Body.objects.filter(
            organisation_id=body.organisation_id, kind=BodyKind.UNIT, path__startswith=body.path
        ).order_by("path")
    )
    counted = dict(
        Member.objects.filter(current_unit__in=units)
        .values_list("current_unit_id")
        .annotate(n=Count("id"))
        .values_list("current_unit_id", "n")
    )
    members = sum(counted.values())
    percent, total = _threshold(condition, Decimal(threshold), members)
    try:
        with transaction.atomic():
            campaign = PledgeCampaign.objects.create(
                organisation_id=body.organisation_id,
                body=body,
                action=action,
                text=text.strip(),
                condition=condition,
                threshold_percent=percent,
                threshold_members=total,
                pledges_required=total,
                opened_at=now,
                deadline=deadline,
                motion=motion,
                office_term=office_term,
                launched_by=member,
                constitution_version=version,
                counts_visible_to=rules.pledges.counts_visible_to,
                disclosure_threshold=rules.pledges.disclosure_threshold,
                members=members,
            )
    except IntegrityError as exc:
        raise PledgeConflict(
            _("motion %(motion)s has already launched a campaign") % {"motion": motion.pk if motion else ""}
        ) from exc
    PledgeUnit.objects.bulk_create(
        PledgeUnit(
            campaign=campaign,
            unit=unit,
            members=counted.get(unit.pk, 0),
            required=(
                max(1, math.ceil(Decimal(counted.get(unit.pk, 0)) * percent / 100))
                if percent is not None
                else None
            ),
        )
        for unit in units
    )
    condition_words = (
        f"at least {percent.normalize():f}% of the members of each unit"
        if percent is not None
        else f"at least {total} members across {body.name}"
    )
    if motion is not None:
        authority = f"on motion {motion.pk} adopted by {body.name}"
    else:
        assert office_term is not None
        authority = f"by {body.name}'s {office_term.office.title}"
    log_entry_record(
        organisation=body.organisation,
        action="pledges.campaign_launched",
        body_id=body.pk,
        actor=Actor.of(member.person, role=f"member {member.number}"),
        summary=f"Pledge campaign #{campaign.pk} launched {authority}: '{action}' if {condition_words} pledge "
        f"by {deadline:%Y-%m-%d %H:%M} UTC ({len(units)} units, {members} members)",
        payload={
            "campaign": campaign.pk,
            "action": action,
            "condition": condition,
            "threshold": str(percent if percent is not None else total),
            "deadline": deadline.isoformat(),
            "motion": motion.pk if motion else None,
            "adopted_by_vote": motion.adopted_by_id if motion else None,
            "office_term": office_term.pk if office_term else None,
            "units": [u.code for u in units],
            "members": members,
            "constitution_version": version,
        },
    )
    return campaign
