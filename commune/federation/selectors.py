"""Reads for the federation. Each issues a fixed number of queries however large the federation grows."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from commune.federation.constitution import Rules, rules_validate
from commune.federation.errors import FederationError
from commune.federation.models import (
    ApportionedSeats,
    Apportionment,
    Body,
    BodyKind,
    ConstitutionVersion,
    Delegation,
    Member,
    OfficeTerm,
    Organisation,
    RollImportPending,
    RollImportStatus,
    body_path,
)


def organisations_of_person(*, person_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        members__person_id=person_id, members__current_unit__isnull=False
    ).distinct()


def member_current(*, person_id: int, organisation_id: int | None = None) -> Member | None:
    """The person's current membership (in the given organisation, or their first)."""
    qs = Member.objects.select_related("organisation", "current_unit", "person").filter(
        person_id=person_id, current_unit__isnull=False
    )
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("organisation_id").first()


@dataclass(frozen=True)
class RepresentationLevel:
    """One council above a member's unit, the constituency that represents the member there, and its delegates."""

    council: Body
    constituency: Body
    delegates: list[Delegation]


def representation_chain(*, unit: Body) -> list[RepresentationLevel]:
    """Who represents the members of ``unit``, all the way up: the nearest council first. Two queries."""
    path_ids = [*unit.ancestor_ids, unit.pk]
    bodies = {b.pk: b for b in Body.objects.filter(pk__in=path_ids)}
    delegations: dict[int, list[Delegation]] = {pk: [] for pk in path_ids}
    for d in (
        Delegation.objects.filter(constituency_id__in=path_ids[1:], ended_at__isnull=True)
        .select_related("member__person")
        .order_by("constituency_id", "member__person__name")
    ):
        delegations[d.constituency_id].append(d)
    levels = []
    for council_id, constituency_id in reversed(list(itertools.pairwise(path_ids))):
        levels.append(
            RepresentationLevel(bodies[council_id], bodies[constituency_id], delegations[constituency_id])
        )
    return levels


def body_tree(*, organisation: Organisation) -> list[Body]:
    """Every body of the organisation in tree order (depth-first), with its current seat counts attached
    as ``seat_count`` (councils: total seats; constituencies: seats they hold above). Three queries."""
    bodies = list(organisation.bodies.filter(dissolved_at__isnull=True).order_by("path"))
    # Plain values rather than model instances: at 2,000 bodies, building an instance per apportioned share
    # took as long as reading the bodies themselves.
    latest_ids: dict[int, int] = {}
    totals: dict[int, int] = {}
    for apportionment_id, council_id, total_seats in (
        Apportionment.objects.filter(council__organisation=organisation)
        .order_by("council_id", "-computed_at", "-id")
        .values_list("id", "council_id", "total_seats")
    ):
        if council_id not in latest_ids:
            latest_ids[council_id], totals[council_id] = apportionment_id, total_seats
    seats_above: dict[int, int] = dict(
        ApportionedSeats.objects.filter(apportionment_id__in=list(latest_ids.values())).values_list(
            "constituency_id", "seats"
        )
    )
    for body in bodies:
        body.seat_count = totals.get(body.pk)  # type: ignore[attr-defined]
        body.seats_above = seats_above.get(body.pk)  # type: ignore[attr-defined]
    return bodies


def _latest_apportionments(council_ids: list[int]) -> dict[int, Apportionment]:
    latest: dict[int, Apportionment] = {}
    qs = (
        Apportionment.objects.filter(council_id__in=council_ids)
        .order_by("council_id", "-computed_at", "-id")
        .prefetch_related(
            Prefetch("shares", queryset=ApportionedSeats.objects.order_by("constituency__code"))
        )
    )
    # Only the newest per council is kept; older ones are skipped in Python (few per council).
    for a in qs:
        latest.setdefault(a.council_id, a)
    return latest


@dataclass(frozen=True)
class CouncilSeat:
    constituency: Body
    seats: int
    members: int
    delegates: list[Delegation]


def council_seats(*, council: Body) -> tuple[Apportionment | None, list[CouncilSeat]]:
    """A council's current apportionment and, per constituency, who holds its seats."""
    apportionment = (
        Apportionment.objects.filter(council=council)
        .order_by("-computed_at", "-id")
        .prefetch_related(
            Prefetch("shares", queryset=ApportionedSeats.objects.select_related("constituency"))
        )
        .first()
    )
    by_constituency: dict[int, list[Delegation]] = {}
    for d in (
        Delegation.objects.filter(council=council, ended_at__isnull=True)
        .select_related("member__person")
        .order_by("member__person__name")
    ):
        by_constituency.setdefault(d.constituency_id, []).append(d)
    rows: list[CouncilSeat] = []
    if apportionment is not None:
        for share in sorted(apportionment.shares.all(), key=lambda s: s.constituency.code):
            rows.append(
                CouncilSeat(
                    share.constituency,
                    share.seats,
                    share.members,
                    by_constituency.get(share.constituency_id, []),
                )
            )
    return apportionment, rows


def body_children(*, body: Body) -> QuerySet[Body]:
    return body.children.filter(dissolved_at__isnull=True).order_by("code")


def body_ancestors(*, body: Body) -> list[Body]:
    ids = body.ancestor_ids
    found = {b.pk: b for b in Body.objects.filter(pk__in=ids)}
    return [found[i] for i in ids]


def body_officers(*, body: Body) -> QuerySet[OfficeTerm]:
    return (
        OfficeTerm.objects.filter(office__body=body, ended_at__isnull=True)
        .select_related("office", "member__person")
        .order_by("office__title")
    )


def constitution_version_in_force(*, organisation_id: int) -> ConstitutionVersion | None:
    """The version in force: the latest adopted. Every app looks the constitution up here."""
    return ConstitutionVersion.objects.filter(organisation_id=organisation_id).order_by("-number").first()


def constitution_version_numbered(*, organisation_id: int, number: int) -> ConstitutionVersion | None:
    """A version by its number, as a process fixed it when it opened."""
    return ConstitutionVersion.objects.filter(organisation_id=organisation_id, number=number).first()


def constitution_in_force(*, organisation_id: int) -> Rules:
    """The rules in force for the organisation (the defaults before it has adopted any)."""
    version = constitution_version_in_force(organisation_id=organisation_id)
    return rules_validate(version.rules if version is not None else {})


def constitution_adopted(*, organisation_id: int) -> tuple[Rules, int]:
    """The rules in force and their version's number, for a process that fixes them when it opens;
    refused before the organisation has adopted a constitution."""
    version = constitution_version_in_force(organisation_id=organisation_id)
    if version is None:
        raise FederationError(_("the organisation has no constitution"))
    return rules_validate(version.rules), version.number


def constitution_versions(*, organisation: Organisation) -> QuerySet[ConstitutionVersion]:
    return organisation.constitution_versions.order_by("-number")


def member_offices(*, member: Member) -> QuerySet[OfficeTerm]:
    return OfficeTerm.objects.filter(member=member, ended_at__isnull=True).select_related("office__body")


def member_delegations(*, member: Member) -> QuerySet[Delegation]:
    return Delegation.objects.filter(member=member, ended_at__isnull=True).select_related(
        "council", "constituency"
    )


def constituency_seats(*, constituency_ids: list[int]) -> dict[int, int]:
    """Seats each body holds on the council directly above it, by the council's latest apportionment.

    One query; bodies whose council has not apportioned its seats yet are left out.
    """
    seats: dict[int, int] = {}
    for constituency_id, held in (
        ApportionedSeats.objects.filter(constituency_id__in=constituency_ids)
        .order_by("constituency_id", "-apportionment__computed_at", "-apportionment_id")
        .values_list("constituency_id", "seats")
    ):
        seats.setdefault(constituency_id, held)
    return seats


def body_choices(*, organisation: Organisation) -> list[Body]:
    """Every body of the organisation, in tree order, with just what a picker or a label needs. One query."""
    return list(
        organisation.bodies.only("id", "organisation_id", "code", "name", "kind", "depth", "path").order_by(
            "path"
        )
    )


def memberships_of_person(*, person_id: int) -> list[Member]:
    """The person's current memberships, organisation by organisation, each with the offices
    (``offices_held``) and council seats (``seats_held``) they currently hold in it. Three queries."""
    return list(
        Member.objects.filter(person_id=person_id, current_unit__isnull=False)
        .select_related("organisation", "current_unit")
        .prefetch_related(
            Prefetch(
                "office_terms",
                queryset=OfficeTerm.objects.filter(ended_at__isnull=True)
                .select_related("office__body")
                .order_by("office__body__path", "office__title"),
                to_attr="offices_held",
            ),
            Prefetch(
                "delegations",
                queryset=Delegation.objects.filter(ended_at__isnull=True)
                .select_related("council", "constituency")
                .order_by("-council__depth", "council__code"),
                to_attr="seats_held",
            ),
        )
        .order_by("organisation__name", "organisation_id")
    )


@dataclass(frozen=True)
class OrganisationSummary:
    members: int
    units: int
    councils: int
    constitution: ConstitutionVersion | None


def organisation_summary(*, organisation: Organisation) -> OrganisationSummary:
    """How big the organisation is and which constitution is in force. Two queries."""
    counts = organisation.bodies.aggregate(
        units=Count("pk", filter=Q(kind=BodyKind.UNIT, dissolved_at__isnull=True)),
        councils=Count("pk", filter=Q(kind=BodyKind.COUNCIL)),
        members=Sum("member_count", filter=Q(kind=BodyKind.UNIT)),
    )
    return OrganisationSummary(
        members=counts["members"] or 0,
        units=counts["units"],
        councils=counts["councils"],
        constitution=constitution_version_in_force(organisation_id=organisation.pk),
    )


def body_tree_listing(*, organisation: Organisation, kind: str | None = None) -> list[Body]:
    """``body_tree`` with each body's ``parent_code`` attached, optionally only units or only councils.
    Two queries, however large the federation."""
    bodies = body_tree(organisation=organisation)
    codes = {b.pk: b.code for b in bodies}
    for body in bodies:
        body.parent_code = codes.get(body.parent_id) if body.parent_id else None  # type: ignore[attr-defined]
    if kind is not None:
        bodies = [b for b in bodies if b.kind == kind]
    return bodies


@dataclass(frozen=True)
class RepresentationSeats:
    """One level of ``representation_chain`` with the seats its constituency holds on the council."""

    council: Body
    constituency: Body
    seats: int | None
    delegates: list[Delegation]


def representation_with_seats(*, body: Body) -> list[RepresentationSeats]:
    """Who represents the members of ``body`` on each council above it, nearest first, and how many seats
    each constituency holds there by the council's latest apportionment. Four queries."""
    levels = representation_chain(unit=body)
    latest = _latest_apportionments([level.council.pk for level in levels])
    held = {
        (council_id, share.constituency_id): share.seats
        for council_id, apportionment in latest.items()
        for share in apportionment.shares.all()
    }
    return [
        RepresentationSeats(
            level.council,
            level.constituency,
            held.get((level.council.pk, level.constituency.pk)),
            level.delegates,
        )
        for level in levels
    ]


def roll_imports_awaiting(*, unit: Body) -> QuerySet[RollImportPending]:
    """The unit's roll import awaiting a second officer, if any, with who proposed it."""
    return RollImportPending.objects.filter(unit=unit, status=RollImportStatus.AWAITING).select_related(
        "proposed_by__person"
    )


def body_fields_differing(organisation_id: int) -> Iterator[tuple[int, str, object, object]]:
    """Each body whose ``path``, ``depth`` or ``member_count`` is not what the rows the log holds make it,
    as (pk, field, what they make it, what the table holds): a path and a depth follow from the parents,
    a count from the members' current units. Who votes for a council is read from the units' paths, and a
    council's seats are shared out by its constituencies' counts; the log holds parents and units, not
    paths or counts, so a path or a count rewritten in the database alone would move a unit's members into
    another council's electorate, or give a constituency more delegates, unseen. Two queries."""
    rows = {
        pk: (parent_id, path, depth, member_count)
        for pk, parent_id, path, depth, member_count in Body.objects.filter(
            organisation_id=organisation_id
        ).values_list("pk", "parent_id", "path", "depth", "member_count")
    }
    made: dict[int, tuple[str, int] | None] = {}

    def place(pk: int) -> tuple[str, int] | None:
        """The path and depth the parents make the body's: None where they do not lead to a top body (a
        parent in another organisation, or a loop), which the log's own check of the parents names."""
        chain: list[int] = []
        current = pk
        while current not in made:
            if current in chain or current not in rows:
                made.update(dict.fromkeys(chain))
                return None
            parent = rows[current][0]
            if parent is None:
                made[current] = (body_path(None, current), 0)
                break
            chain.append(current)
            current = parent
        for child in reversed(chain):
            above = made[rows[child][0]]
            made[child] = None if above is None else (body_path(above[0], child), above[1] + 1)
        return made[pk]

    for pk in rows:
        place(pk)
    counts = dict.fromkeys(rows, 0)
    for unit_id, members in (
        Member.objects.filter(organisation_id=organisation_id, current_unit__isnull=False)
        .values_list("current_unit_id")
        .annotate(members=Count("pk"))
        .order_by()
    ):
        unit_place = made.get(unit_id)
        if unit_place is not None:  # the unit and every body above it, from the path its parents make it
            for body_id in unit_place[0].strip("/").split("/"):
                counts[int(body_id)] += members
    for pk, (_parent, path, depth, member_count) in sorted(rows.items()):
        expected = made[pk]
        if expected is None:
            continue
        if path != expected[0]:
            yield pk, "path", expected[0], path
        if depth != expected[1]:
            yield pk, "depth", expected[1], depth
        if member_count != counts[pk]:
            yield pk, "member_count", counts[pk], member_count
