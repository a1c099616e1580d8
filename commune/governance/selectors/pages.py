"""Reads for the governance pages: each page's material in a fixed number of queries, whatever the size
of the organisation or the length of an executive's record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from commune.federation.models import Body, BodyKind, Delegation, Member, Office, Organisation
from commune.governance.diff import rules_changes
from commune.governance.models import (
    CallIn,
    CallInStatus,
    ConstitutionProposal,
    Executive,
    ExecutiveDecision,
    ExecutiveSeat,
    OfficePay,
    Tendency,
    TendencyAdmission,
    TendencyApplication,
    TendencyDissolution,
    TendencyDissolutionBallot,
    TendencyMembership,
    WageBand,
    WageBandsProposal,
)
from commune.governance.selectors import VersionEntry, constitution_versions


def executives_listing(*, organisation: Organisation) -> QuerySet[Executive]:
    """Every executive with its council, how many sit on it and how many of its decisions stand or were
    reversed (one query)."""
    return (
        Executive.objects.filter(organisation=organisation)
        .select_related("council")
        .annotate(
            sitting=Count("seats", filter=Q(seats__ended_at__isnull=True), distinct=True),
            decided=Count("decisions", distinct=True),
            reversed=Count("decisions", filter=Q(decisions__status="reversed"), distinct=True),
        )
        .order_by("council__path", "code")
    )


@dataclass(frozen=True)
class ExecutivePage:
    executive: Executive
    seats: list[ExecutiveSeat]
    decisions: Sequence[ExecutiveDecision]
    reader_is_delegate: bool
    reader_signed: frozenset[int]  # call-ins the reader has signed


def executive_page(*, executive: Executive, member: Member) -> ExecutivePage:
    """An executive's charter, members and every decision with its call-ins and their signature counts
    (five queries)."""
    seats = list(
        ExecutiveSeat.objects.filter(executive=executive, ended_at__isnull=True)
        .select_related("member__person")
        .order_by("member__number")
    )
    call_ins = (
        CallIn.objects.select_related("motion").annotate(signed=Count("signatures")).order_by("-opened_at")
    )
    decisions = list(
        ExecutiveDecision.objects.filter(executive=executive)
        .select_related("decided_by__person", "reversed_by")
        .prefetch_related(Prefetch("call_ins", queryset=call_ins, to_attr="calls"))
        .order_by("-decided_at", "-id")
    )
    delegate = Delegation.objects.filter(
        council_id=executive.council_id, member=member, ended_at__isnull=True
    ).exists()
    signed = frozenset(
        CallIn.objects.filter(
            decision__executive=executive,
            status=CallInStatus.GATHERING,
            signatures__member=member,
        ).values_list("pk", flat=True)
    )
    return ExecutivePage(executive, seats, decisions, delegate, signed)


@dataclass(frozen=True)
class TendencyPage:
    tendency: Tendency
    members: list[TendencyMembership]
    dissolution_votes: int
    reader_in: bool
    reader_voted: bool
    applicants: list[TendencyApplication]
    dissolution_electorate: int
    reader_may_admit: bool


def tendency_page(*, tendency: Tendency, member: Member) -> TendencyPage:
    """A tendency's platform, its current members, those who applied to join, and the votes on its open (or
    last) dissolution (five queries)."""
    members = list(
        TendencyMembership.objects.filter(tendency=tendency, left_at__isnull=True)
        .select_related("member__person")
        .order_by("joined_at", "id")
    )
    dissolution = (
        TendencyDissolution.objects.filter(tendency=tendency).order_by("-proposed_at", "-id").first()
    )
    open_or_last = dissolution is not None and (dissolution.decided_at is None or tendency.dissolved_at)
    voters = (
        set(
            TendencyDissolutionBallot.objects.filter(dissolution=dissolution).values_list(
                "member_id", flat=True
            )
        )
        if open_or_last and dissolution is not None
        else set()
    )
    applicants = list(
        TendencyApplication.objects.filter(tendency=tendency, admitted_at__isnull=True)
        .select_related("member__person")
        .order_by("applied_at", "id")
    )
    mine = next((m for m in members if m.member_id == member.pk), None)
    return TendencyPage(
        tendency=tendency,
        members=members,
        dissolution_votes=len(voters),
        reader_in=mine is not None,
        reader_voted=member.pk in voters,
        applicants=applicants,
        dissolution_electorate=len(dissolution.electorate) if open_or_last and dissolution else len(members),
        reader_may_admit=mine is not None
        and (tendency.admission == TendencyAdmission.MEMBERS or mine.founder),
    )


def tendency_of_organisation(*, organisation: Organisation, slug: str) -> Tendency | None:
    return (
        Tendency.objects.select_related("founded_by__person")
        .filter(organisation=organisation, slug=slug)
        .first()
    )


@dataclass(frozen=True)
class AmendmentsPage:
    versions: list[VersionEntry]
    proposals: list[ConstitutionProposal]


def amendments_page(*, organisation: Organisation) -> AmendmentsPage:
    """Every version with the referendum behind it and what it changed, and every proposal (three
    queries)."""
    proposals = list(
        ConstitutionProposal.objects.filter(organisation=organisation)
        .select_related("base_version", "motion__body", "enacted_as")
        .order_by("-proposed_at", "-id")
    )
    return AmendmentsPage(versions=constitution_versions(organisation=organisation), proposals=proposals)


def bodies_member_sits_in(*, member: Member) -> list[Body]:
    """The member's unit, then each council they hold a seat on, from the top down (one query)."""
    if member.current_unit_id is None:
        return []
    return list(
        Body.objects.filter(
            Q(pk=member.current_unit_id)
            | Q(
                kind=BodyKind.COUNCIL,
                delegations__member=member,
                delegations__ended_at__isnull=True,
            )
        )
        .distinct()
        .order_by("depth", "code")
    )


def proposal_changes(proposal: ConstitutionProposal) -> list[tuple[str, Any, Any]]:
    """What a proposal would change in the version it amends (no query: both are loaded with it)."""
    return rules_changes(proposal.base_version.rules, proposal.rules)


@dataclass(frozen=True)
class PayPage:
    bands: list[WageBand]
    wage_proposals: list[WageBandsProposal]
    pay_proposals: list[OfficePay]
    offices: list[Office]


def pay_page(*, organisation: Organisation, recent: int = 20) -> PayPage:
    """The wage bands, the latest motions on them and on officers' pay, and the offices whose pay a motion
    may set (four queries)."""
    return PayPage(
        bands=list(WageBand.objects.filter(organisation=organisation).order_by("weekly", "code")),
        wage_proposals=list(
            WageBandsProposal.objects.filter(organisation=organisation)
            .select_related("motion__body")
            .order_by("-proposed_at", "-pk")[:recent]
        ),
        pay_proposals=list(
            OfficePay.objects.filter(office__body__organisation=organisation)
            .select_related("office__body", "motion")
            .order_by("-proposed_at", "-pk")[:recent]
        ),
        offices=list(
            Office.objects.filter(body__organisation=organisation)
            .select_related("body")
            .order_by("body__path", "title")
        ),
    )
