"""Filling seats and offices left vacant before their term is out, and after it.

A seat vacated in mid-term — its holder moved out of the body, resigned or lapsed — is filled by a
**by-election** for that one seat, for the rest of its term: one seat, counted as the constitution counts
single-seat elections (``elections.single_seat_method``, the alternative vote by default), while the
constituency's other delegates keep their seats. It is called in the same act as the vacancy (see
``membership.services.transfers.vacancies_fill``) and again by the scheduler after one fails, until the
seat is filled — unless an election for that constituency is already under way, which the next pass then
waits for (the database allows one at a time for the same seats). A seat whose term ran out, or has too
little of it left for a by-election to finish in time, calls the election of all the constituency's
delegates, as at the end of any term. A recalled seat is no vacancy here: the recall fills it, by
countback of the original ballots or by its own by-election, as the constitution says (``recall``).

An office is one seat already: its election fills it, for the rest of the term when the holder left in
mid-term, else for a full term.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q

from commune.audit.services import Actor
from commune.elections.errors import ElectionError
from commune.elections.models import OPEN_STATUSES, Election, ElectionKind, ElectionStatus
from commune.elections.services.calling import election_call, timeline_default
from commune.federation.models import Body, Delegation, Office, OfficeTerm


def _being_filled(**seat_filter: object) -> bool:
    return Election.objects.filter(
        Q(status__in=OPEN_STATUSES) | Q(status=ElectionStatus.DECLARED, installed_at__isnull=True),
        **seat_filter,
    ).exists()


def _vacancy_addressed(vacated_at: datetime, **seat_filter: object) -> bool:
    """Whether an election fills a seat or office vacated at ``vacated_at``: one under way, one called
    since that has not failed, or one whose winners took their seats since."""
    return _being_filled(**seat_filter) or (
        Election.objects.filter(
            (Q(called_at__gte=vacated_at) & ~Q(status=ElectionStatus.FAILED))
            | Q(installed_at__gte=vacated_at),
            **seat_filter,
        ).exists()
    )


def _remainder(term_end: date, now: datetime) -> bool:
    """Whether a term ending on ``term_end`` leaves time for a by-election called now to finish in it."""
    return term_end >= timeline_default(now=now).voting_close_at.date()


def _offices_fill(
    now: datetime, actor: Actor, in_scope: dict[str, int], vacating: tuple[str, ...], expired: str
) -> tuple[list[Election], list[str]]:
    called: list[Election] = []
    problems: list[str] = []
    offices = (
        Office.objects.filter(terms__end_reason__in=vacating, body__dissolved_at__isnull=True, **in_scope)
        .distinct()
        .select_related("body")
    )
    for office in offices:
        terms = OfficeTerm.objects.filter(office=office)
        latest = terms.order_by("-pk").first()
        if latest is None or latest.ended_at is None or latest.end_reason not in vacating:
            continue
        if terms.filter(ended_at__isnull=True).exists():
            continue
        if _vacancy_addressed(latest.ended_at, kind=ElectionKind.OFFICER, office=office):
            continue
        mid_term = latest.end_reason != expired and _remainder(latest.term_end, now)
        try:
            called.append(
                election_call(
                    body=office.body,
                    kind=ElectionKind.OFFICER,
                    office=office,
                    title=f"By-election: {office.title} of {office.body.name}" if mid_term else "",
                    timeline=timeline_default(now=now),
                    remainder_ending=latest.term_end if mid_term else None,
                    actor=actor,
                )
            )
        except ElectionError as exc:
            problems.append(f"{office.title} of {office.body.name}: {exc}")
    return called, problems


def _unfilled(delegation: Delegation) -> bool:
    """Whether nothing fills this vacated seat yet: no by-election for it that has not failed, and no
    election of all the constituency's seats called or seated since it fell vacant."""
    assert delegation.ended_at is not None
    if Election.objects.filter(fills=delegation).exclude(status=ElectionStatus.FAILED).exists():
        return False
    return not Election.objects.filter(
        (Q(called_at__gte=delegation.ended_at) & ~Q(status=ElectionStatus.FAILED))
        | Q(installed_at__gte=delegation.ended_at),
        kind=ElectionKind.DELEGATES,
        council_id=delegation.council_id,
        body_id=delegation.constituency_id,
        fills__isnull=True,
    ).exists()


def _constituency_fill(
    constituency: Body, council_id: int, now: datetime, actor: Actor, vacating: tuple[str, ...], expired: str
) -> Election | None:
    """Call what fills the constituency's vacated seats on the council: nothing while an election of it
    is under way; the election of all its delegates if a seat's term ran out (or has too little left);
    else a by-election for the seat vacated first."""
    if _being_filled(kind=ElectionKind.DELEGATES, council_id=council_id, body=constituency):
        return None
    vacated = [
        d
        for d in Delegation.objects.filter(
            council_id=council_id, constituency=constituency, end_reason__in=vacating
        )
        .select_related("member", "elected_by")
        .order_by("ended_at", "pk")
        if _unfilled(d)
    ]
    if not vacated:
        return None
    timeline = timeline_default(now=now)
    if any(d.end_reason == expired or not _remainder(d.term_end, now) for d in vacated):
        return election_call(body=constituency, kind=ElectionKind.DELEGATES, timeline=timeline, actor=actor)
    return election_call(
        body=constituency, kind=ElectionKind.DELEGATES, timeline=timeline, fills=vacated[0], actor=actor
    )


def elections_call_for_vacancies(
    *, now: datetime, organisation_id: int | None = None, member_id: int | None = None
) -> tuple[list[Election], list[str]]:
    """Call an election for every seat and office left vacant — by a term that ran out, or by its holder
    transferring out of the body, lapsing or resigning — whenever none has been called since and none is
    under way: again after one fails, until it is filled (see the module's docstring). A constituency that
    no longer sends delegates to that council (moved, dissolved) is left to the change that moved it.
    ``organisation_id`` limits the sweep to one organisation, and ``member_id`` to the seats and offices
    that member held (at once, after their move or resignation)."""
    from commune.federation.services import END_EXPIRED, END_LAPSED, END_TRANSFERRED

    vacating = (END_EXPIRED, END_LAPSED, END_TRANSFERRED)
    actor = Actor(None, "Commune (automatic: a seat or office is vacant)")
    in_scope: dict[str, int] = {} if organisation_id is None else {"body__organisation_id": organisation_id}
    if member_id is not None:
        in_scope["terms__member_id"] = member_id
    called, problems = _offices_fill(now, actor, in_scope, vacating, END_EXPIRED)
    scope: dict[str, int] = {} if organisation_id is None else {"council__organisation_id": organisation_id}
    if member_id is not None:
        scope["member_id"] = member_id
    pairs = (
        Delegation.objects.filter(end_reason__in=vacating, **scope)
        .values_list("council_id", "constituency_id")
        .distinct()
    )
    for council_id, constituency_id in pairs:
        constituency = Body.objects.get(pk=constituency_id)
        if constituency.dissolved_at is not None or constituency.parent_id != council_id:
            continue
        try:
            election = _constituency_fill(constituency, council_id, now, actor, vacating, END_EXPIRED)
        except ElectionError as exc:
            problems.append(f"delegates of {constituency.name}: {exc}")
            continue
        if election is not None:
            called.append(election)
    return called, problems
