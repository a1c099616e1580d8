"""Reads for dues: each member's standing, reckoned from the constitution's rates, their memberships,
payments, exemptions and arrears brought forward, in a fixed number of queries however many members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from commune.dues.models import (
    ArrearsBroughtForward,
    DuesAdjustment,
    DuesExemption,
    DuesImport,
    DuesPayment,
    LapseNotice,
    NoticeStatus,
    WageBandChange,
)
from commune.dues.reckoning import Owing, RateSchedule, Standing, owing_reckon, standing_reckon
from commune.federation.constitution import rules_validate
from commune.federation.models import Body, ConstitutionVersion, Member, Membership
from commune.governance.models import WageBand

#: Above this many members, their rows are read for the whole organisation and picked out here: one
#: query either way, without a list of ids too long for the database's parameters.
_BY_ID_AT_MOST = 500


def rate_schedule(*, organisation_id: int) -> RateSchedule:
    """The dues rules of every version of the constitution, by the day each came into force."""
    versions = ConstitutionVersion.objects.filter(organisation_id=organisation_id).order_by("number")
    return RateSchedule(
        tuple(
            (v.adopted_at.date(), rules_validate(v.rules).dues)
            for v in versions.only("adopted_at", "rules", "number")
        )
    )


def _rows_of(queryset: QuerySet, field: str, member_ids: list[int] | None) -> QuerySet:  # type: ignore[type-arg]
    if member_ids is not None and len(member_ids) <= _BY_ID_AT_MOST:
        return queryset.filter(**{f"{field}__in": member_ids})
    return queryset


@dataclass(frozen=True)
class _Inputs:
    schedule: RateSchedule
    wages: dict[str, Decimal]
    bands: dict[int, str]
    periods: dict[int, list[tuple[date, date | None]]]
    paid: dict[int, Decimal]
    exempt: dict[int, list[tuple[date, date]]]
    brought: dict[int, int]
    #: Each member's changes of wage band: (first month, band before), in order.
    band_changes: dict[int, list[tuple[date, str]]]


def _inputs(organisation_id: int, ids: list[int] | None) -> _Inputs:
    """Everything a standing is reckoned from, for ``ids`` (or every member): nine queries."""
    members = _rows_of(Member.objects.filter(organisation_id=organisation_id), "pk", ids)
    periods: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for member_id, started, ended in _rows_of(
        Membership.objects.filter(member__organisation_id=organisation_id), "member_id", ids
    ).values_list("member_id", "started_at", "ended_at"):
        periods[member_id].append((started.date(), ended.date() if ended else None))
    exempt: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for member_id, first, last in _rows_of(
        DuesExemption.objects.filter(organisation_id=organisation_id), "member_id", ids
    ).values_list("member_id", "first_month", "last_month"):
        exempt[member_id].append((first, last))
    band_changes: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for member_id, since, before in (
        _rows_of(WageBandChange.objects.filter(organisation_id=organisation_id), "member_id", ids)
        .order_by("member_id", "from_month", "pk")
        .values_list("member_id", "from_month", "band_before")
    ):
        band_changes[member_id].append((since, before))
    paid: dict[int, Decimal] = dict(
        _rows_of(DuesPayment.objects.filter(organisation_id=organisation_id), "member_id", ids)
        .values("member_id")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "total")
    )
    # Corrections and refunds change what each member has paid in all.
    for member_id, change in (
        _rows_of(DuesAdjustment.objects.filter(organisation_id=organisation_id), "member_id", ids)
        .values("member_id")
        .annotate(total=Sum("change"))
        .values_list("member_id", "total")
    ):
        paid[member_id] = (paid.get(member_id, Decimal(0)) + change).quantize(Decimal("0.01"))
    return _Inputs(
        schedule=rate_schedule(organisation_id=organisation_id),
        wages=dict(WageBand.objects.filter(organisation_id=organisation_id).values_list("code", "weekly")),
        bands=dict(members.values_list("pk", "wage_band")),
        periods=periods,
        paid=paid,
        exempt=exempt,
        band_changes=band_changes,
        brought=dict(
            _rows_of(
                ArrearsBroughtForward.objects.filter(organisation_id=organisation_id), "member_id", ids
            ).values_list("member_id", "months")
        ),
    )


def standings_of(
    *, organisation_id: int, member_ids: Iterable[int] | None = None, today: date | None = None
) -> dict[int, Standing]:
    """The standing today of each of ``member_ids`` (default: every member of the organisation), month by
    month, by member id. Nine queries, whatever the number of members."""
    today = today or timezone.localdate()
    ids = None if member_ids is None else list(member_ids)
    wanted = None if ids is None else set(ids)
    given = _inputs(organisation_id, ids)
    rates: dict[tuple[date, str], Decimal] = {}
    standings: dict[int, Standing] = {}
    for member_id, band in given.bands.items():
        if wanted is not None and member_id not in wanted:
            continue
        standing = standing_reckon(
            schedule=given.schedule,
            periods=given.periods.get(member_id, []),
            band=band,
            band_weekly=given.wages.get(band),
            paid=given.paid.get(member_id) or Decimal(0),
            exempt_months=given.exempt.get(member_id, []),
            brought_forward=given.brought.get(member_id, 0),
            today=today,
            rates=rates,
            band_changes=given.band_changes.get(member_id, ()),
            wages=given.wages,
        )
        for month in standing.months:
            if month.month is not None:
                rates.setdefault((month.month, month.band), month.amount)
        standings[member_id] = standing
    return standings


def months_in_arrears_of(
    *, organisation_id: int, member_ids: Iterable[int] | None = None, today: date | None = None
) -> tuple[dict[int, int], int]:
    """How many months each of ``member_ids`` (default: every member) is in arrears today, and the months
    good standing allows: what deciding who votes, or who is due a notice, needs. Nine queries; members
    with the same band, months of membership, exemptions and arrears brought forward are reckoned once."""
    today = today or timezone.localdate()
    ids = None if member_ids is None else list(member_ids)
    wanted = None if ids is None else set(ids)
    given = _inputs(organisation_id, ids)
    rates: dict[tuple[date, str], Decimal] = {}
    owings: dict[tuple[object, ...], Owing] = {}
    months: dict[int, int] = {}
    for member_id, band in given.bands.items():
        if wanted is not None and member_id not in wanted:
            continue
        periods = given.periods.get(member_id, [])
        exempt = given.exempt.get(member_id, [])
        brought = given.brought.get(member_id, 0)
        changes = given.band_changes.get(member_id, [])
        key = (band, tuple(periods), tuple(exempt), brought, tuple(changes))
        owing = owings.get(key)
        if owing is None:
            owing = owings[key] = owing_reckon(
                schedule=given.schedule,
                periods=periods,
                band=band,
                band_weekly=given.wages.get(band),
                exempt_months=exempt,
                brought_forward=brought,
                today=today,
                rates=rates,
                band_changes=changes,
                wages=given.wages,
            )
        months[member_id] = owing.months_in_arrears(given.paid.get(member_id) or Decimal(0))
    return months, given.schedule.rules_on(today).good_standing_months


def member_standing(*, member: Member, today: date | None = None) -> Standing:
    return standings_of(organisation_id=member.organisation_id, member_ids=[member.pk], today=today)[
        member.pk
    ]


def members_out_of_standing(*, organisation_id: int, member_ids: list[int]) -> set[int]:
    """The ids among ``member_ids`` not in good standing today."""
    months, allowed = months_in_arrears_of(organisation_id=organisation_id, member_ids=member_ids)
    return {mid for mid, behind in months.items() if behind > allowed}


@dataclass(frozen=True)
class DuesRecord:
    """What a member (or an officer of their unit) sees of their dues."""

    member: Member
    standing: Standing
    payments: list[DuesPayment]
    #: Corrections and refunds, newest first.
    adjustments: list[DuesAdjustment]
    #: Changes of wage band, newest first.
    band_changes: list[WageBandChange]
    exemptions: list[DuesExemption]
    brought_forward: ArrearsBroughtForward | None
    notices: list[LapseNotice]
    notice_pending: LapseNotice | None


def dues_record(*, member: Member) -> DuesRecord:
    """A member's standing and history: every payment, exemption, arrears brought forward and notice."""
    notices = list(LapseNotice.objects.filter(member=member))
    return DuesRecord(
        member=member,
        standing=member_standing(member=member),
        payments=list(
            DuesPayment.objects.filter(member=member).select_related("recorded_by__person", "correction")
        ),
        adjustments=list(
            DuesAdjustment.objects.filter(member=member).select_related("recorded_by__person", "payment")
        ),
        exemptions=list(DuesExemption.objects.filter(member=member).select_related("recorded_by__person")),
        band_changes=list(WageBandChange.objects.filter(member=member).select_related("recorded_by__person")),
        brought_forward=ArrearsBroughtForward.objects.filter(member=member).first(),
        notices=notices,
        notice_pending=next((n for n in notices if n.status == NoticeStatus.PENDING), None),
    )


@dataclass(frozen=True)
class UnitMemberDues:
    member: Member
    standing: Standing
    exempt_now: bool
    notice_pending: LapseNotice | None


def unit_dues(*, unit: Body) -> list[UnitMemberDues]:
    """Every current member of ``unit`` with their standing, those furthest in arrears first. A fixed
    number of queries, however large the unit or the federation."""
    members = list(Member.objects.filter(current_unit=unit).select_related("person").order_by("number"))
    standings = standings_of(organisation_id=unit.organisation_id, member_ids=[m.pk for m in members])
    this_month = timezone.localdate().replace(day=1)
    exempt_now = set(
        DuesExemption.objects.filter(
            member__current_unit=unit, first_month__lte=this_month, last_month__gte=this_month
        ).values_list("member_id", flat=True)
    )
    notices = {
        n.member_id: n
        for n in LapseNotice.objects.filter(member__current_unit=unit, status=NoticeStatus.PENDING)
    }
    rows = [UnitMemberDues(m, standings[m.pk], m.pk in exempt_now, notices.get(m.pk)) for m in members]
    rows.sort(key=lambda r: (-r.standing.months_in_arrears, -r.standing.arrears, r.member.number))
    return rows


def payments_uncorrected(*, member: Member) -> QuerySet[DuesPayment]:
    """The member's payments that no correction has corrected yet, newest first."""
    return DuesPayment.objects.filter(member=member, correction__isnull=True)


def unit_imports(*, unit: Body) -> QuerySet[DuesImport]:
    return DuesImport.objects.filter(unit=unit).order_by("-imported_at", "-id")[:10]


def dues_units_of(*, member: Member) -> list[Body]:
    """The units whose dues ``member`` records: those whose roll they keep."""
    from commune.federation.models import BodyKind, OfficeTerm

    if member.current_unit_id is None:
        return []
    ids = OfficeTerm.objects.filter(
        member=member, office__manages_roll=True, office__body__kind=BodyKind.UNIT, ended_at__isnull=True
    ).values("office__body_id")
    return list(Body.objects.filter(pk__in=ids).order_by("path"))
