"""Pledging, withdrawing, the condition met, and the deadline.

A pledge is stored as a keyed digest of (campaign, member) under the campaign's own key, kept outside the
database (``commune.ballots.boxkeys.pledge_digest``): the unique digest is the one-pledge-per-member rule
and lets the member alone ask "have I pledged?" and withdraw. No row, log entry or notification names a
pledger, and single pledges are not logged (their times could identify pledgers). When the campaign stops
taking pledges (its condition met across it, or its deadline passed) the key is destroyed, after which
nobody — not whoever holds the database, its backups and the server's secret key — can test whether a
given member pledged.

When a condition is met, *everyone it concerns* is told at once with one and the same notice: the members
of the unit (or of every unit the campaign covers). A notice sent to the pledgers alone would itself be
the list of who pledged, kept in the notifications table and in every mailbox; the same notice to all
tells each pledger that their pledge now stands without telling anyone who the pledgers are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.accounts.models import User
from commune.audit.services import SYSTEM, log_entry_record
from commune.ballots.boxkeys import pledge_digest, pledge_key_destroy
from commune.federation.models import Member
from commune.notifications.services import notification_send
from commune.pledges.disclosure import figure_disclose, figures_sum
from commune.pledges.errors import PledgeConflict, PledgeNotEntitled
from commune.pledges.models import (
    CampaignStatus,
    Pledge,
    PledgeCampaign,
    PledgeCondition,
    PledgeDay,
    PledgeUnit,
)
from commune.translation import deferred

#: The notification kinds of this app.
NOTICE_UNIT_MET = "pledges.unit_met"
NOTICE_MET = "pledges.campaign_met"
NOTICE_CLOSED = "pledges.campaign_closed"


def campaign_link(campaign: PledgeCampaign) -> str:
    return f"/o/{campaign.organisation.slug}/pledges/{campaign.pk}/"


def _lock(campaign_id: int) -> PledgeCampaign:
    return (
        PledgeCampaign.objects.select_for_update(of=("self",))
        .select_related("organisation", "body")
        .get(pk=campaign_id)
    )


def _gathering(campaign: PledgeCampaign, now: datetime) -> None:
    if campaign.status != CampaignStatus.GATHERING:
        raise PledgeConflict(
            _("this campaign no longer takes pledges (%(status)s)")
            % {"status": campaign.get_status_display().lower()}
        )
    if now >= campaign.deadline:
        raise PledgeConflict(_("this campaign's deadline has passed"))


def _pledge_of(campaign: PledgeCampaign, member: Member) -> Pledge | None:
    digest = pledge_digest(campaign.pk, member.pk, create=False)
    if digest is None:
        return None
    return Pledge.objects.filter(campaign_id=campaign.pk, pledger_key=digest).select_related("unit").first()


def pledge_made(*, campaign: PledgeCampaign, member: Member) -> bool:
    """Whether ``member`` has pledged, while the campaign takes pledges: for the member themself only
    (never ask it of anyone else). Once the campaign's key is destroyed nobody can be told, not even them."""
    return _pledge_of(campaign, member) is not None


def _day_count(unit: PledgeUnit, now: datetime) -> None:
    PledgeDay.objects.update_or_create(unit=unit, day=now.date(), defaults={"pledges": unit.pledges})


def _people(units: list[PledgeUnit]) -> list[User]:
    return [
        m.person
        for m in Member.objects.filter(current_unit__in=[u.unit_id for u in units]).select_related("person")
    ]


def _figures_text(campaign: PledgeCampaign, units: list[PledgeUnit]) -> str:
    """The campaign's count as every member may read it (the log is read by every member)."""
    return figures_sum(
        figure_disclose(u.pledges, u.members, campaign.disclosure_threshold) for u in units
    ).text


@transaction.atomic
def pledge_make(*, campaign: PledgeCampaign, member: Member) -> PledgeCampaign:
    """Pledge ``member``: once each, only a current member of a unit the campaign covers, only while it takes
    pledges. In a unit whose condition is already met the pledge stands at once."""
    campaign = _lock(campaign.pk)
    now = timezone.now()
    _gathering(campaign, now)
    unit = (
        PledgeUnit.objects.select_related("unit")
        .filter(campaign=campaign, unit_id=member.current_unit_id)
        .first()
        if member.current_unit_id is not None
        else None
    )
    if unit is None:
        raise PledgeNotEntitled(
            _(
                "only the members of the units this campaign covers (%(body)s and the units below it, as they "
                "were when it was launched) may pledge"
            )
            % {"body": campaign.body.name}
        )
    # The key is made with the first pledge. Once pledges stand under it, a missing key must not be made
    # afresh: every earlier pledger could then pledge again unseen.
    digest = pledge_digest(campaign.pk, member.pk, create=campaign.pledges == 0)
    if digest is None:
        raise PledgeConflict(
            _(
                "this campaign's key is missing from the box keys folder, so no pledge can be taken until the "
                "operator restores it"
            )
        )
    if Pledge.objects.filter(campaign=campaign, pledger_key=digest).exists():
        raise PledgeConflict(_("you have already pledged in this campaign"))
    try:
        with transaction.atomic():
            Pledge.objects.create(campaign=campaign, unit=unit, pledger_key=digest)
    except IntegrityError as exc:
        raise PledgeConflict(_("you have already pledged in this campaign")) from exc
    unit.pledges += 1
    unit.save(update_fields=["pledges"])
    campaign.pledges += 1
    campaign.save(update_fields=["pledges"])
    _day_count(unit, now)
    if campaign.condition == PledgeCondition.UNIT_PERCENT:
        assert unit.required is not None
        if unit.met_at is None and unit.pledges >= unit.required:
            _unit_meet(campaign, unit, now)
    elif campaign.pledges_required is not None and campaign.pledges >= campaign.pledges_required:
        _campaign_meet(campaign, now)
    return campaign


@transaction.atomic
def pledge_withdraw(*, campaign: PledgeCampaign, member: Member) -> PledgeCampaign:
    """Take back one's own pledge, until the condition it was made under is met."""
    campaign = _lock(campaign.pk)
    _gathering(campaign, timezone.now())
    pledge = _pledge_of(campaign, member)
    if pledge is None:
        raise PledgeConflict(_("you have not pledged in this campaign"))
    unit = PledgeUnit.objects.select_for_update().get(pk=pledge.unit_id)
    if unit.met_at is not None:
        raise PledgeConflict(
            _("the condition was met where you pledged: your pledge stands and cannot be withdrawn")
        )
    pledge.delete()
    unit.pledges -= 1
    unit.save(update_fields=["pledges"])
    campaign.pledges -= 1
    campaign.save(update_fields=["pledges"])
    _day_count(unit, timezone.now())
    return campaign


def _unit_meet(campaign: PledgeCampaign, unit: PledgeUnit, now: datetime) -> None:
    unit.met_at = now
    unit.save(update_fields=["met_at"])
    log_entry_record(
        organisation=campaign.organisation,
        action="pledges.unit_met",
        body_id=unit.unit_id,
        actor=SYSTEM,
        summary=f"Pledge campaign #{campaign.pk}: the condition is met in {unit.unit.name} "
        f"({campaign.threshold_text}% of its "
        f"{unit.members} members). Its pledges now stand.",
        payload={
            "campaign": campaign.pk,
            "unit": unit.unit.code,
            "required": unit.required,
            "members": unit.members,
        },
    )
    notification_send(
        people=_people([unit]),
        kind=NOTICE_UNIT_MET,
        subject=deferred(
            gettext_lazy("Enough of %(unit)s have pledged: %(action)s"),
            unit=unit.unit.name,
            action=campaign.action,
        ),
        body=deferred(
            gettext_lazy(
                "The condition of the pledge campaign '%(action)s' is met in %(unit)s: at least %(required)s of "
                "its %(members)s members have pledged. Everyone in %(unit)s is sent this same notice, so it says "
                "nothing of who pledged. If you pledged, your pledge now stands: you have pledged to %(action)s."
            ),
            action=campaign.action,
            unit=unit.unit.name,
            required=unit.required,
            members=unit.members,
        ),
        link=campaign_link(campaign),
    )
    if not PledgeUnit.objects.filter(campaign=campaign, met_at__isnull=True).exists():
        _campaign_meet(campaign, now)


def _campaign_meet(campaign: PledgeCampaign, now: datetime) -> None:
    campaign.status, campaign.met_at = CampaignStatus.MET, now
    campaign.save(update_fields=["status", "met_at"])
    campaign_id = campaign.pk
    transaction.on_commit(lambda: pledge_key_destroy(campaign_id))
    units = list(PledgeUnit.objects.filter(campaign=campaign).select_related("unit"))
    log_entry_record(
        organisation=campaign.organisation,
        action="pledges.campaign_met",
        body_id=campaign.body_id,
        actor=SYSTEM,
        summary=f"Pledge campaign #{campaign.pk} of {campaign.body.name} met its condition: "
        f"{_figures_text(campaign, units)} of {campaign.members} members pledged to '{campaign.action}'.",
        payload={"campaign": campaign.pk, "pledged": _figures_text(campaign, units)},
    )
    if campaign.condition == PledgeCondition.MEMBERS_TOTAL:
        notification_send(
            people=_people(units),
            kind=NOTICE_MET,
            subject=deferred(gettext_lazy("Enough have pledged: %(action)s"), action=campaign.action),
            body=deferred(
                gettext_lazy(
                    "The pledge campaign '%(action)s' of %(body)s met its condition: at least %(required)s members "
                    "have pledged. Every member it covers is sent this same notice, so it says nothing of who "
                    "pledged. If you pledged, your pledge now stands: you have pledged to %(action)s."
                ),
                action=campaign.action,
                body=campaign.body.name,
                required=campaign.pledges_required,
            ),
            link=campaign_link(campaign),
        )


# --- The scheduler --------------------------------------------------------------------------------------


@dataclass
class PledgeRunReport:
    """What one scheduler pass did to pledge campaigns."""

    done: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@transaction.atomic
def _close(campaign_id: int, now: datetime) -> bool:
    campaign = (
        PledgeCampaign.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("organisation", "body")
        .filter(pk=campaign_id, status=CampaignStatus.GATHERING, deadline__lte=now)
        .first()
    )
    if campaign is None:
        return False
    campaign.status, campaign.closed_at = CampaignStatus.CLOSED, now
    campaign.save(update_fields=["status", "closed_at"])
    transaction.on_commit(lambda: pledge_key_destroy(campaign_id))
    units = list(PledgeUnit.objects.filter(campaign=campaign).select_related("unit"))
    met = [u for u in units if u.met_at is not None]
    unmet = [u for u in units if u.met_at is None]
    log_entry_record(
        organisation=campaign.organisation,
        action="pledges.campaign_closed",
        body_id=campaign.body_id,
        actor=SYSTEM,
        summary=f"Pledge campaign #{campaign.pk} of {campaign.body.name} closed at its deadline: "
        f"{_figures_text(campaign, units)} of {campaign.members} members pledged; the condition was met in "
        f"{len(met)} of {len(units)} units.",
        payload={
            "campaign": campaign.pk,
            "pledged": _figures_text(campaign, units),
            "units_met": [u.unit.code for u in met],
        },
    )
    if unmet:
        notification_send(
            people=_people(unmet),
            kind=NOTICE_CLOSED,
            subject=deferred(
                gettext_lazy("The pledge campaign closed without its condition met: %(action)s"),
                action=campaign.action,
            ),
            body=deferred(
                gettext_lazy(
                    "The pledge campaign '%(action)s' of %(body)s reached its deadline without its condition met "
                    "where you are. Every member there is sent this same notice. Any pledge made there has "
                    "lapsed: it binds nobody."
                ),
                action=campaign.action,
                body=campaign.body.name,
            ),
            link=campaign_link(campaign),
        )
    return True


def pledges_run_due(*, now: datetime | None = None) -> PledgeRunReport:
    """Close every campaign past its deadline (for ``commune election worker``)."""
    moment = now or timezone.now()
    report = PledgeRunReport()
    for campaign_id in list(
        PledgeCampaign.objects.filter(status=CampaignStatus.GATHERING, deadline__lte=moment).values_list(
            "id", flat=True
        )
    ):
        if _close(campaign_id, moment):
            report.done.append(f"pledge campaign #{campaign_id}: closed at its deadline")
    return report
