"""Officers' pay: a workman's wage. Wage bands of the roll, their median, and pay within the cap.

Each wage band is a weekly figure (``WageBand``); ``Member.wage_band`` holds the band's code. The median
is taken over current members whose band has a figure, exactly in ``Decimal``. An office's pay is set by
its own body's motion (``office_pay_propose`` moves it; ``office_pay_settle`` puts it in force once
adopted), and is refused, both when proposed and when put in force, above the constitution's
``offices.pay_cap_multiple`` of that median.

The figures the cap is computed from — each band's weekly wage, and which band a member is on once it is
recorded — change only by a motion of the body the constitution names (``offices.wage_bands_body``, by
default the highest council), adopted by its vote: ``wage_bands_propose`` moves it, ``wage_bands_settle``
puts it in force. Nobody who holds an office, whose pay the cap bounds, may move it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.capture import power_rows_note
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.federation.bands import BandSource, member_bands_move
from commune.federation.currency import money
from commune.federation.models import Body, BodyKind, Member, Office, OfficeTerm, Organisation
from commune.governance.errors import GovernanceConflict, GovernanceError, NotEntitled
from commune.governance.models import OfficePay, PayStatus, WageBand, WageBandsProposal, WageBandsStatus
from commune.motions.models import MotionStatus, Vote
from commune.motions.services import constitution_rules, motion_move
from commune.translation import deferred

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class PayCap:
    median_weekly: Decimal
    multiple: Decimal
    members_counted: int

    @property
    def cap_weekly(self) -> Decimal:
        return (self.median_weekly * self.multiple).quantize(PENNY)


def median(values: list[Decimal]) -> Decimal:
    """The exact median: the middle value, or the mean of the two middle values."""
    if not values:
        raise GovernanceError(_("there is no wage to take a median of"))
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def pay_cap(*, organisation: Organisation) -> PayCap:
    """The members' median weekly wage and the cap the constitution sets on officers' pay from it."""
    weekly = dict(WageBand.objects.filter(organisation=organisation).values_list("code", "weekly"))
    bands = Member.objects.filter(
        organisation=organisation, current_unit__isnull=False, wage_band__in=list(weekly)
    ).values_list("wage_band", flat=True)
    wages = [weekly[code] for code in bands]
    if not wages:
        raise GovernanceError(
            _(
                "no current member has a wage band with a weekly figure, so there is no median wage to cap pay by"
            )
        )
    multiple = constitution_rules(organisation.pk).offices.pay_cap_multiple
    return PayCap(median_weekly=median(wages), multiple=multiple, members_counted=len(wages))


def wage_bands_body(*, organisation: Organisation) -> Body:
    """The body whose vote sets the wage bands: the one the constitution names, else the highest council."""
    code = constitution_rules(organisation.pk).offices.wage_bands_body
    bodies = Body.objects.filter(organisation=organisation)
    body = (
        bodies.filter(code=code).first()
        if code
        else bodies.filter(parent__isnull=True, kind=BodyKind.COUNCIL).order_by("pk").first()
    )
    if body is None:
        raise GovernanceError(
            f"the constitution names {code!r} to set the wage bands (offices.wage_bands_body), and there is no "
            "such body"
            if code
            else "the organisation has no highest council to set its wage bands"
        )
    return body


def _office_whose_pay_is_capped(member: Member) -> OfficeTerm | None:
    return (
        OfficeTerm.objects.filter(
            member=member, ended_at__isnull=True, office__body__organisation_id=member.organisation_id
        )
        .select_related("office__body")
        .first()
    )


def pay_interest_applies_sql(motion: str) -> str:
    """The SQL condition, on a motion id column, under which ``pay_interest_bar`` can keep anyone from the
    motion's vote: the motion sets wage bands or an office's pay. Asked in the cast's first query."""
    return (
        f"EXISTS (SELECT 1 FROM {WageBandsProposal._meta.db_table} WHERE motion_id = {motion}) "
        f"OR EXISTS (SELECT 1 FROM {OfficePay._meta.db_table} WHERE motion_id = {motion})"
    )


def pay_interest_bar(vote: Vote) -> dict[int, str]:
    """Who may not vote on ``vote`` because it is a motion on a figure that bounds their own pay: every
    office holder, on the wage bands the cap on each office's pay is computed from; the office's holder, on
    that office's pay. Installed as a bar on every way of casting a vote (``GovernanceConfig.ready``)."""
    # Whether the motion sets wage bands or an office's pay (a motion does at most one of each), asked in
    # one query: every cast asks it, and most motions do neither.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {WageBandsProposal._meta.db_table} WHERE motion_id = %s), "
            f"(SELECT office_id FROM {OfficePay._meta.db_table} WHERE motion_id = %s)",
            [vote.motion_id, vote.motion_id],
        )
        bands, pay_office_id = cursor.fetchone()
    if not bands and pay_office_id is None:
        return {}
    terms = OfficeTerm.objects.filter(
        ended_at__isnull=True, office__body__organisation_id=vote.organisation_id
    ).select_related("member__person", "office__body")
    if bands:
        why = ", whose pay the cap bounds: nobody votes on the figures the cap on their own pay is computed from"
    else:
        terms, why = terms.filter(office_id=pay_office_id), ": nobody votes on their own pay"
    barred: dict[int, str] = {}
    for term in terms.order_by("term_start", "pk"):
        barred.setdefault(
            term.member_id,
            f"{term.member.person.name} ({term.member.number}) holds the office of {term.office.title} of "
            f"{term.office.body.name}{why}",
        )
    return barred


def _figures(bands: dict[str, Decimal]) -> dict[str, str]:
    figures = {}
    for code, weekly in bands.items():
        code = code.strip()
        if not code or len(code) > 40:
            raise GovernanceError(_("each wage band needs a code of at most 40 characters"))
        if weekly < 0:
            raise GovernanceError(_("band %(code)s: a weekly wage cannot be negative") % {"code": code})
        figures[code] = str(Decimal(weekly).quantize(PENNY))
    return figures


@transaction.atomic
def wage_bands_propose(
    *,
    organisation: Organisation,
    member: Member,
    bands: dict[str, Decimal],
    members: dict[str, str] | None = None,
    actor: Actor = SYSTEM,
) -> WageBandsProposal:
    """Move a motion, in the body the constitution names, setting the weekly figure of each of ``bands``
    (and the band of each member numbered in ``members``). Refused to anyone holding an office: the cap on
    their own pay is computed from these figures."""
    held = _office_whose_pay_is_capped(member)
    if held is not None:
        raise NotEntitled(
            _(
                "%(member)s (%(number)s) holds the office of %(held)s of %(held2)s, whose pay the cap bounds: nobody moves the figures the cap on their own pay is computed from"
            )
            % {
                "member": member.person.name,
                "number": member.number,
                "held": held.office.title,
                "held2": held.office.body.name,
            }
        )
    members = {number.strip(): band.strip() for number, band in (members or {}).items()}
    if not bands and not members:
        raise GovernanceError(_("name at least one wage band, or one member's band"))
    figures = _figures(bands)
    known = set(figures) | set(
        WageBand.objects.filter(organisation=organisation).values_list("code", flat=True)
    )
    unknown_bands = sorted(set(members.values()) - known)
    if unknown_bands:
        raise GovernanceError(
            _("no wage band %(unknown_bands)s: give its weekly figure too")
            % {"unknown_bands": ", ".join(unknown_bands)}
        )
    found = set(
        Member.objects.filter(organisation=organisation, number__in=list(members)).values_list(
            "number", flat=True
        )
    )
    missing = sorted(set(members) - found)
    if missing:
        raise GovernanceError(_("no member numbered %(missing)s") % {"missing": ", ".join(missing)})
    body = wage_bands_body(organisation=organisation)
    currency = organisation.currency
    said = "; ".join(
        f"band {code} at {money(Decimal(weekly), currency)} a week" for code, weekly in figures.items()
    )
    placed = "; ".join(f"member {number} on band {band}" for number, band in sorted(members.items()))
    motion = motion_move(
        body=body,
        member=member,
        title=f"Wage bands: {said or placed}"[:200],
        text=f"{body.name} sets the wage bands the officers' pay cap is computed from: "
        + "; ".join(part for part in (said, placed) if part)
        + ".",
        actor=actor,
    )
    proposal = WageBandsProposal.objects.create(
        organisation=organisation, bands=figures, members=members, motion=motion, proposed_at=timezone.now()
    )
    log_entry_record(
        organisation=organisation,
        action="wage_bands.proposed",
        body_id=body.pk,
        actor=actor,
        summary=f"Motion {motion.pk} before {body.name}: {said or placed}",
        payload={
            "proposal": proposal.pk,
            "motion": motion.pk,
            "bands": figures,
            "members": members,
            "currency": currency,
        },
    )
    return proposal


@transaction.atomic
def wage_bands_settle(*, proposal: WageBandsProposal, actor: Actor = SYSTEM) -> WageBandsProposal:
    """Put the wage bands in force once the named body adopted the motion; or mark them not adopted."""
    proposal = (
        WageBandsProposal.objects.select_for_update(of=("self",))
        .select_related("organisation", "motion__body")
        .get(pk=proposal.pk)
    )
    if proposal.status != WageBandsStatus.PROPOSED:
        return proposal
    if proposal.motion.status == MotionStatus.REJECTED:
        proposal.status = WageBandsStatus.NOT_ADOPTED
        proposal.save(update_fields=["status"])
        return proposal
    if proposal.motion.status != MotionStatus.ADOPTED:
        raise GovernanceConflict(
            _("%(proposal)s has not yet decided motion %(proposal2)s")
            % {"proposal": proposal.motion.body.name, "proposal2": proposal.motion_id}
        )
    organisation = proposal.organisation
    for code, weekly in proposal.bands.items():
        WageBand.objects.update_or_create(
            organisation=organisation, code=code, defaults={"weekly": Decimal(weekly)}
        )
    placed = Member.objects.filter(organisation=organisation, number__in=list(proposal.members))
    member_bands_move(
        organisation=organisation,
        moves=[(m, proposal.members[m.number]) for m in placed.order_by("pk")],
        reason=_("wage bands set by %(body)s's motion %(motion)s")
        % {"body": proposal.motion.body.name, "motion": proposal.motion_id},
        actor=actor,
        source=BandSource(
            deferred(
                gettext_lazy("motion %(motion)s “%(title)s” of %(body)s, adopted on %(date)s"),
                motion=proposal.motion_id,
                title=proposal.motion.title,
                body=proposal.motion.body.name,
                date=f"{proposal.motion.decided_at or timezone.now():%Y-%m-%d}",
            ),
            link=reverse(
                "motions:detail", kwargs={"slug": organisation.slug, "motion_id": proposal.motion_id}
            ),
        ),
    )
    proposal.status, proposal.in_force_from = WageBandsStatus.IN_FORCE, timezone.now()
    proposal.save(update_fields=["status", "in_force_from"])
    log_entry_record(
        organisation=organisation,
        action="wage_band.set",
        body_id=proposal.motion.body_id,
        actor=actor,
        summary=f"Wage bands set by {proposal.motion.body.name}'s motion {proposal.motion_id}: "
        + "; ".join(
            [
                f"band {c} at {money(Decimal(w), organisation.currency)} a week"
                for c, w in proposal.bands.items()
            ]
            + [f"member {n} on band {b}" for n, b in sorted(proposal.members.items())]
        ),
        payload={
            "proposal": proposal.pk,
            "bands": proposal.bands,
            "members": proposal.members,
            "currency": organisation.currency,
            "motion": proposal.motion_id,
            "adopted_by_vote": proposal.motion.adopted_by_id,
        },
    )
    return proposal


def _within_cap(office: Office, weekly: Decimal) -> PayCap:
    organisation = office.body.organisation
    cap = pay_cap(organisation=organisation)
    if weekly > cap.cap_weekly:

        def amount(figure: Decimal) -> str:
            return money(figure, organisation.currency)

        raise GovernanceError(
            _(
                "%(amount)s a week is above the cap for the pay of %(office)s of %(office2)s: the constitution allows at most %(cap)s × the members' median wage of %(amount2)s a week = %(amount3)s (median of %(cap2)s members' wage bands)"
            )
            % {
                "amount": amount(weekly),
                "office": office.title,
                "office2": office.body.name,
                "cap": cap.multiple,
                "amount2": amount(cap.median_weekly),
                "amount3": amount(cap.cap_weekly),
                "cap2": cap.members_counted,
            }
        )
    return cap


@transaction.atomic
def office_pay_propose(
    *, office: Office, member: Member, weekly: Decimal, actor: Actor = SYSTEM
) -> OfficePay:
    """Move a motion in the office's own body setting its weekly pay; refused above the cap."""
    office = Office.objects.select_related("body__organisation").get(pk=office.pk)
    if OfficeTerm.objects.filter(office=office, member=member, ended_at__isnull=True).exists():
        raise NotEntitled(
            _(
                "%(member)s (%(number)s) holds the office of %(office)s of %(office2)s: nobody moves their own pay"
            )
            % {
                "member": member.person.name,
                "number": member.number,
                "office": office.title,
                "office2": office.body.name,
            }
        )
    if weekly < 0:
        raise GovernanceError(_("pay cannot be negative"))
    weekly = weekly.quantize(PENNY)
    _within_cap(office, weekly)
    currency = office.body.organisation.currency
    motion = motion_move(
        body=office.body,
        member=member,
        title=f"Pay of the {office.title}: {money(weekly, currency)} a week"[:200],
        text=f"{office.body.name} sets the pay of its office of {office.title} at {money(weekly, currency)} "
        "a week.",
        actor=actor,
    )
    pay = OfficePay.objects.create(office=office, weekly=weekly, motion=motion, proposed_at=timezone.now())
    log_entry_record(
        organisation=office.body.organisation,
        action="office_pay.proposed",
        body_id=office.body_id,
        actor=actor,
        summary=f"Motion {motion.pk}: pay of {office.title} of {office.body.name} at "
        f"{money(weekly, currency)} a week",
        payload={"office": office.pk, "weekly": str(weekly), "currency": currency, "motion": motion.pk},
    )
    return pay


@transaction.atomic
def office_pay_settle(*, pay: OfficePay, actor: Actor = SYSTEM) -> OfficePay:
    """Put the pay in force once its body adopted the motion (checking the cap again, as the median may
    have moved), superseding the previous figure; or mark it not adopted."""
    pay = (
        OfficePay.objects.select_for_update(of=("self",))
        .select_related("office__body__organisation", "motion")
        .get(pk=pay.pk)
    )
    if pay.status != PayStatus.PROPOSED:
        return pay
    if pay.motion.status == MotionStatus.REJECTED:
        pay.status = PayStatus.NOT_ADOPTED
        pay.save(update_fields=["status"])
        return pay
    if pay.motion.status != MotionStatus.ADOPTED:
        raise GovernanceConflict(
            _("%(pay)s has not yet decided motion %(pay2)s")
            % {"pay": pay.office.body.name, "pay2": pay.motion_id}
        )
    cap = _within_cap(pay.office, pay.weekly)
    currency = pay.office.body.organisation.currency
    in_force = OfficePay.objects.filter(office=pay.office, status=PayStatus.IN_FORCE)
    power_rows_note(in_force)
    in_force.update(status=PayStatus.SUPERSEDED)
    pay.status, pay.in_force_from, pay.cap_when_set = PayStatus.IN_FORCE, timezone.now(), cap.cap_weekly
    pay.save(update_fields=["status", "in_force_from", "cap_when_set"])
    log_entry_record(
        organisation=pay.office.body.organisation,
        action="office_pay.in_force",
        body_id=pay.office.body_id,
        actor=actor,
        summary=f"Pay of {pay.office.title} of {pay.office.body.name} set at {money(pay.weekly, currency)} "
        f"a week (cap {money(cap.cap_weekly, currency)}) by motion {pay.motion_id}",
        payload={
            "office": pay.office_id,
            "weekly": str(pay.weekly),
            "currency": currency,
            "cap": str(cap.cap_weekly),
            "median": str(cap.median_weekly),
            "motion": pay.motion_id,
            "adopted_by_vote": pay.motion.adopted_by_id,
        },
    )
    return pay
