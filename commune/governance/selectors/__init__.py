"""Reads for governance: the public register of offices, executives, proposals, versions, tendencies.

Each selector reads in a fixed number of queries, whatever the size of the organisation.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.models import ConstitutionVersion, Member, OfficeTerm, Organisation
from commune.governance.diff import rules_changes
from commune.governance.models import (
    CallIn,
    Executive,
    ExecutiveDecision,
    ExecutiveSeat,
    ExecutiveStatus,
    OfficePay,
    PayStatus,
    Tendency,
)
from commune.motions.models import Referral


@dataclass(frozen=True)
class RegisterEntry:
    """One office held now: who, where, for how long, for what pay, and how they came to hold it."""

    kind: str  # "office" or "executive"
    title: str
    body_code: str
    body_name: str
    holder_name: str
    holder_number: str
    term_start: date | None
    term_end: date | None
    since: datetime | date
    weekly_pay: Decimal | None
    how_elected: str
    election_id: int | None
    #: The counting method of the election, as its code (pages say it in words).
    election_method: str | None
    motion_id: int | None


def offices_register(*, organisation: Organisation) -> list[RegisterEntry]:
    """Every office held now and every seat on an established executive (three queries)."""
    in_force = OfficePay.objects.filter(status=PayStatus.IN_FORCE)
    terms = (
        OfficeTerm.objects.filter(office__body__organisation=organisation, ended_at__isnull=True)
        .select_related("office__body", "member__person", "elected_by__election")
        .prefetch_related(Prefetch("office__pay", queryset=in_force, to_attr="pay_in_force"))
        .order_by("office__body__path", "office__title")
    )
    entries: list[RegisterEntry] = []
    for term in terms:
        seat = getattr(term, "elected_by", None)
        election = seat.election if seat is not None else None
        pay = term.office.pay_in_force[0].weekly if term.office.pay_in_force else None  # type: ignore[attr-defined]
        entries.append(
            RegisterEntry(
                kind="office",
                title=term.office.title,
                body_code=term.office.body.code,
                body_name=term.office.body.name,
                holder_name=term.member.person.name,
                holder_number=term.member.number,
                term_start=term.term_start,
                term_end=term.term_end,
                since=term.term_start,
                weekly_pay=pay,
                how_elected=(
                    _("elected by %(electorate)s of %(body)s in election #%(election)s")
                    % {
                        "electorate": election.get_electorate_mode_display().lower(),
                        "body": term.office.body.name,
                        "election": election.pk,
                    }
                    if election is not None
                    else term.source
                ),
                election_id=election.pk if election is not None else None,
                election_method=election.method if election is not None else None,
                motion_id=None,
            )
        )
    seats = (
        ExecutiveSeat.objects.filter(
            executive__organisation=organisation,
            executive__status=ExecutiveStatus.ACTIVE,
            ended_at__isnull=True,
        )
        .select_related("executive__council", "member__person")
        .order_by("executive__council__path", "executive__code", "member__number")
    )
    for seat in seats:
        executive = seat.executive
        entries.append(
            RegisterEntry(
                kind="executive",
                title=_("Member of %(executive)s") % {"executive": executive.name},
                body_code=executive.code,
                body_name=_("%(executive)s (%(kind)s of %(council)s)")
                % {
                    "executive": executive.name,
                    "kind": executive.get_kind_display().lower(),
                    "council": executive.council.name,
                },
                holder_name=seat.member.person.name,
                holder_number=seat.member.number,
                term_start=None,
                term_end=None,
                since=seat.started_at,
                weekly_pay=None,
                how_elected=_("named in %(council)s's adopted motion %(motion)s")
                % {"council": executive.council.name, "motion": executive.motion_id},
                election_id=None,
                election_method=None,
                motion_id=executive.motion_id,
            )
        )
    return entries


def executives_of_organisation(*, organisation: Organisation) -> QuerySet[Executive]:
    return (
        Executive.objects.filter(organisation=organisation)
        .select_related("council", "motion")
        .annotate(sitting=Count("seats", filter=Q(seats__ended_at__isnull=True)))
        .order_by("council__path", "code")
    )


def executive_detail(*, executive: Executive) -> dict[str, Any]:
    seats = list(
        ExecutiveSeat.objects.filter(executive=executive, ended_at__isnull=True)
        .select_related("member__person")
        .order_by("member__number")
    )
    decisions = list(
        ExecutiveDecision.objects.filter(executive=executive)
        .select_related("decided_by__person")
        .order_by("-decided_at", "-id")
    )
    return {"executive": executive, "seats": seats, "decisions": decisions}


def call_in_detail(*, call_in: CallIn) -> dict[str, Any]:
    signers = [
        s.member.number for s in call_in.signatures.select_related("member").order_by("signed_at", "id")
    ]
    return {"call_in": call_in, "signers": signers}


def tendencies_of_organisation(*, organisation: Organisation) -> QuerySet[Tendency]:
    return (
        Tendency.objects.filter(organisation=organisation)
        .select_related("founded_by__person")
        .annotate(members=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
        .order_by("dissolved_at", "name")
    )


@dataclass(frozen=True)
class VersionEntry:
    number: int
    adopted_at: datetime
    adopted_by: str
    referendum_id: int | None
    motion_id: int | None
    vote_id: int | None
    yes: int | None
    no: int | None
    abstain: int | None
    electorate: int | None
    changes: list[tuple[str, Any, Any]]


def constitution_versions(*, organisation: Organisation) -> list[VersionEntry]:
    """Every version, newest first, with the referendum and vote behind it and what it changed from the
    version before (three queries)."""
    versions = list(ConstitutionVersion.objects.filter(organisation=organisation).order_by("number"))
    referendums = Referral.objects.prefetch_related("votes").in_bulk(
        [v.referendum_id for v in versions if v.referendum_id is not None]
    )
    entries: list[VersionEntry] = []
    previous: dict[str, Any] = {}
    for version in versions:
        referendum = referendums.get(version.referendum_id) if version.referendum_id is not None else None
        ballot = next(iter(referendum.votes.all()), None) if referendum is not None else None
        entries.append(
            VersionEntry(
                number=version.number,
                adopted_at=version.adopted_at,
                adopted_by=version.adopted_by,
                referendum_id=referendum.pk if referendum is not None else None,
                motion_id=referendum.motion_id if referendum is not None else None,
                vote_id=ballot.pk if ballot is not None else None,
                yes=ballot.yes if ballot is not None else None,
                no=ballot.no if ballot is not None else None,
                abstain=ballot.abstain if ballot is not None else None,
                electorate=ballot.electorate if ballot is not None else None,
                changes=rules_changes(previous, version.rules) if previous else [],
            )
        )
        previous = version.rules
    return list(reversed(entries))


def executives_holding(
    *,
    powers: Collection[str],
    member: Member | None = None,
    person: User | None = None,
    organisation: Organisation | None = None,
) -> list[Executive]:
    """The established executives in which ``member`` sits now (or ``person``, as a current member of
    ``organisation``) that hold any of ``powers``, each with its council (whose units are its reach).
    One query."""
    if member is not None:
        holder = Q(member=member)
    else:
        holder = Q(
            member__person=person, member__organisation=organisation, member__current_unit__isnull=False
        )
    seats = ExecutiveSeat.objects.filter(
        holder, ended_at__isnull=True, executive__status=ExecutiveStatus.ACTIVE
    ).select_related("executive__council")
    return [seat.executive for seat in seats if any(p in seat.executive.powers for p in powers)]
