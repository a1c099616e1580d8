"""Democracy health: how much the membership takes part, where motions start, whether delegates follow
their mandates, how recall is used, how long people stay in office and how many seats one person holds —
for the whole organisation or one body and everything below it, per body and by calendar month.

Every figure is counted in the database, grouped by body and month, so the number of queries is the same
for a federation of ten members or ten thousand (see ``tests/health/test_queries.py``). The exceptions are
tenure and holdings, which read one row per seat or office term (medians and per-person counts are not
portable SQL aggregates); those rows grow with the number of offices, not with members or votes.

Each figure is attributed to the body it belongs to: an election to the body that held it, an assembly
vote to the assembly, a referendum's turnout to each voter's current unit, a motion to the body it was
first moved in, a mandated council vote to the constituency that gave the mandate, a recall petition to
the body whose election conferred the seat.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from commune.ballots.models import YesNoRegisterEntry
from commune.elections.models import Election, ElectionStatus
from commune.federation.models import Body, BodyKind, Delegation, OfficeTerm, Organisation
from commune.health.figures import (
    MAX_HOLDINGS_BEFORE_WARNING,
    BodyRow,
    Counts,
    Health,
    Holder,
    MonthRow,
    Tenure,
)
from commune.motions.models import (
    DelegateVote,
    Motion,
    ReferralKind,
    Vote,
    VoteElector,
    VoteMode,
)
from commune.recall.models import RecallPetition, RecallStatus

_Key = tuple[int, date]


class _Tally:
    """Counts per (body, month), filled by each reader in turn."""

    def __init__(self) -> None:
        self.cells: dict[_Key, Counts] = defaultdict(Counts)

    def add(self, rows: Iterable[Any], body: str, month: str, **columns: str) -> None:
        for row in rows:
            if row[body] is None or row[month] is None:
                continue
            cell = self.cells[(row[body], _month(row[month]))]
            for name, column in columns.items():
                setattr(cell, name, getattr(cell, name) + (row[column] or 0))


def _month(value: date | datetime) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _within(prefix: str, scope: Body | None) -> Q:
    """Rows whose ``prefix`` body is the scope or below it (all of the organisation when no scope)."""
    return Q(**{f"{prefix}path__startswith": scope.path}) if scope is not None else Q()


def _elections(tally: _Tally, organisation: Organisation, scope: Body | None) -> None:
    declared = Election.objects.filter(_within("body__", scope), organisation=organisation).filter(
        status=ElectionStatus.DECLARED
    )
    tally.add(
        declared.values("body_id", month=TruncMonth("voting_close_at")).annotate(
            n=Count("id", filter=Q(uncontested=False)),
            n_uncontested=Count("id", filter=Q(uncontested=True)),
            n_electors=Sum("electorate_size", filter=Q(uncontested=False)),
        ),
        "body_id",
        "month",
        elections="n",
        uncontested_elections="n_uncontested",
        election_electors="n_electors",
    )
    # The register says who voted and nothing of how: one row per voter, the turnout's numerator.
    tally.add(
        declared.filter(uncontested=False)
        .values("body_id", month=TruncMonth("voting_close_at"))
        .annotate(n_voted=Count("box__register")),
        "body_id",
        "month",
        election_voted="n_voted",
    )


def _assembly_votes(tally: _Tally, organisation: Organisation, scope: Body | None) -> None:
    """Votes of general assemblies, open or secret. Every member who votes is counted once, abstaining
    included, so yes + no + abstain is the number who took part."""
    tally.add(
        Vote.objects.filter(_within("body__", scope), organisation=organisation, closed_at__isnull=False)
        .filter(mode__in=[VoteMode.OPEN, VoteMode.SECRET], body__kind=BodyKind.UNIT)
        .values("body_id", month=TruncMonth("closed_at"))
        .annotate(
            n=Count("id"), n_cast=Sum(F("yes") + F("no") + F("abstain")), n_electorate=Sum("electorate")
        ),
        "body_id",
        "month",
        assembly_votes="n",
        assembly_cast="n_cast",
        assembly_electorate="n_electorate",
    )


def _referendums(tally: _Tally, organisation: Organisation, scope: Body | None) -> None:
    """A referendum's turnout in each unit: its electors and its register, by the voters' current unit."""

    def referendums(vote: str) -> Q:
        return Q(
            **{
                f"{vote}organisation": organisation,
                f"{vote}closed_at__isnull": False,
                f"{vote}referral__kind": ReferralKind.REFERENDUM,
            }
        ) & _within("member__current_unit__", scope)

    # A secret referendum's register is its ballot box's: who voted, never how.
    for model, vote, column in (
        (VoteElector, "vote__", "referendum_electors"),
        (YesNoRegisterEntry, "box__vote__", "referendum_voted"),
    ):
        rows: QuerySet[Any] = model.objects.filter(referendums(vote))
        tally.add(
            rows.values(unit=F("member__current_unit_id"), month=TruncMonth(f"{vote}closed_at")).annotate(
                n=Count("id")
            ),
            "unit",
            "month",
            **{column: "n"},
        )


def _motion_origins(tally: _Tally, organisation: Organisation, scope: Body | None) -> None:
    """Each line of motions once, however far it was forwarded, by the kind of body it was first moved in.
    A council's executive proposes through its council, so its motions count as the council's."""
    line = Coalesce("origin_id", "id")
    first_body = Coalesce("origin__body_id", "body_id")
    rows = list(
        Motion.objects.filter(organisation=organisation)
        .filter(
            Q(origin__isnull=False, **({"origin__body__path__startswith": scope.path} if scope else {}))
            | Q(origin__isnull=True, **({"body__path__startswith": scope.path} if scope else {}))
        )
        .values(first=first_body, month=TruncMonth(Coalesce("origin__moved_at", "moved_at")))
        .annotate(
            n_units=Count(line, distinct=True, filter=Q(origin__body__kind=BodyKind.UNIT)),
            n_councils=Count(line, distinct=True, filter=Q(origin__body__kind=BodyKind.COUNCIL)),
            n_unrecorded_units=Count("id", filter=Q(origin__isnull=True, body__kind=BodyKind.UNIT)),
            n_unrecorded_councils=Count("id", filter=Q(origin__isnull=True, body__kind=BodyKind.COUNCIL)),
        )
    )
    tally.add(
        rows,
        "first",
        "month",
        motions_from_units="n_units",
        motions_from_councils="n_councils",
    )
    tally.add(
        rows,
        "first",
        "month",
        motions_from_units="n_unrecorded_units",
        motions_from_councils="n_unrecorded_councils",
    )


def _mandated_votes(tally: _Tally, organisation: Organisation, scope: Body | None) -> None:
    """Council votes by the constituency that sent the seat: how many were cast under a mandate, and of
    those with an instruction (binding or instructed) how many followed it and how many departed."""
    instructed = Q(mandate_kind__in=["binding", "instructed"])
    tally.add(
        DelegateVote.objects.filter(
            _within("delegation__constituency__", scope), vote__organisation=organisation
        )
        .values(body=F("delegation__constituency_id"), month=TruncMonth("cast_at"))
        .annotate(
            n=Count("id"),
            n_free=Count("id", filter=Q(mandate_kind="free")),
            n_instructed=Count("id", filter=instructed),
            n_followed=Count("id", filter=instructed & Q(choice=F("mandate_instruction"))),
            n_departed=Count("id", filter=Q(departed=True)),
        ),
        "body",
        "month",
        council_votes="n",
        free_mandate_votes="n_free",
        instructed_votes="n_instructed",
        followed="n_followed",
        departures="n_departed",
    )


def _recalls(tally: _Tally, organisation: Organisation, scope: Body | None) -> None:
    tally.add(
        RecallPetition.objects.filter(_within("body__", scope), organisation=organisation)
        .values("body_id", month=TruncMonth("opened_at"))
        .annotate(
            n_opened=Count("id"),
            n_reached=Count("id", filter=Q(threshold_reached_at__isnull=False)),
            n_recalled=Count("id", filter=Q(status=RecallStatus.RECALLED)),
            n_retained=Count("id", filter=Q(status=RecallStatus.RETAINED)),
            n_lapsed=Count("id", filter=Q(status=RecallStatus.LAPSED)),
        ),
        "body_id",
        "month",
        petitions_opened="n_opened",
        petitions_reached_threshold="n_reached",
        recalled="n_recalled",
        retained="n_retained",
        lapsed="n_lapsed",
    )


def _median(values: list[int]) -> Decimal | None:
    """To the half day: the median of an even count falls between two whole days."""
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1")) if values else None


def _tenure(kind: str, terms: list[tuple[date, datetime | None]], today: date) -> Tenure:
    """Days from the start of each term to its end (ended terms) or to today (terms still held)."""
    current = [(today - start).days for start, ended in terms if ended is None]
    ended = [(timezone.localtime(end).date() - start).days for start, end in terms if end is not None]
    return Tenure(kind, len(current), _median(current), len(ended), _median(ended))


def _seats_and_offices(
    organisation: Organisation, scope: Body | None, today: date
) -> tuple[list[Tenure], dict[int, int], list[Holder]]:
    """Tenure of the seats and offices within the scope, and how many each of their holders holds now —
    counted across the whole organisation, since a warm corner is no smaller for lying partly elsewhere."""
    prefix = scope.path if scope is not None else "/"
    delegations = list(
        Delegation.objects.filter(council__organisation=organisation).values_list(
            "member_id",
            "member__number",
            "member__person__name",
            "constituency__path",
            "term_start",
            "ended_at",
        )
    )
    office_terms = list(
        OfficeTerm.objects.filter(office__body__organisation=organisation).values_list(
            "member_id",
            "member__number",
            "member__person__name",
            "office__body__path",
            "term_start",
            "ended_at",
        )
    )
    tenure = [
        _tenure("delegation", [(r[4], r[5]) for r in delegations if r[3].startswith(prefix)], today),
        _tenure("office", [(r[4], r[5]) for r in office_terms if r[3].startswith(prefix)], today),
    ]
    seats: dict[int, int] = defaultdict(int)
    offices: dict[int, int] = defaultdict(int)
    people: dict[int, tuple[str, str]] = {}
    in_scope: set[int] = set()
    for held, rows in ((seats, delegations), (offices, office_terms)):
        for member_id, number, name, path, _start, ended in rows:
            if ended is not None:
                continue
            held[member_id] += 1
            people[member_id] = (number, name)
            if path.startswith(prefix):
                in_scope.add(member_id)
    holders = [Holder(*people[m], seats=seats[m], offices=offices[m]) for m in sorted(in_scope)]
    distribution: dict[int, int] = defaultdict(int)
    for holder in holders:
        distribution[holder.holdings] += 1
    flagged = sorted(
        (h for h in holders if h.holdings > MAX_HOLDINGS_BEFORE_WARNING),
        key=lambda h: (-h.holdings, h.number),
    )
    return tenure, dict(sorted(distribution.items())), flagged


def organisation_health(*, organisation: Organisation, scope: Body | None = None) -> Health:
    """The health of ``organisation``, or of ``scope`` and every body below it. Eleven queries, however
    large the federation and however long its record."""
    bodies = list(
        Body.objects.filter(_within("", scope), organisation=organisation).only(
            "code", "name", "kind", "depth", "path"
        )
    )
    tally = _Tally()
    _elections(tally, organisation, scope)
    _assembly_votes(tally, organisation, scope)
    _referendums(tally, organisation, scope)
    _motion_origins(tally, organisation, scope)
    _mandated_votes(tally, organisation, scope)
    _recalls(tally, organisation, scope)

    by_body: dict[int, Counts] = defaultdict(Counts)
    by_month: dict[date, Counts] = defaultdict(Counts)
    totals = Counts()
    for (body_id, month), counts in tally.cells.items():
        by_body[body_id].add(counts)
        by_month[month].add(counts)
        totals.add(counts)
    today = timezone.localdate()
    tenure, holdings, flagged = _seats_and_offices(organisation, scope, today)
    return Health(
        scope_code=scope.code if scope is not None else "",
        scope_name=scope.name if scope is not None else organisation.name,
        totals=totals,
        months=[MonthRow(month, by_month[month]) for month in sorted(by_month)],
        bodies=[BodyRow(b.code, b.name, b.kind, b.depth, by_body[b.pk]) for b in bodies],
        tenure=tenure,
        holdings=holdings,
        flagged=flagged,
    )


def health_scopes(*, organisation: Organisation) -> list[tuple[str, str, int]]:
    """Every body whose health can be read, as (code, name, depth), in tree order. One query."""
    return list(organisation.bodies.order_by("path").values_list("code", "name", "depth"))
