"""Calling an election: its seats, method, timeline and electorate, fixed at the moment it is called."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.capture import power_rows_saved
from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.ballots.services import ranked_box_open
from commune.elections.errors import ElectionConflict, ElectionError
from commune.elections.models import (
    OPEN_STATUSES,
    ElectedSeat,
    Election,
    ElectionKind,
    Elector,
    ElectorateMode,
)
from commune.federation.constitution import Rules
from commune.federation.electorate import electorate_digest
from commune.federation.models import Body, BodyKind, Delegation, Member, Office
from commune.federation.selectors import constitution_adopted
from commune.federation.services import council_apportion
from commune.federation.standing import electors_in_standing
from commune.tally.methods import METHODS


@dataclass(frozen=True)
class Timeline:
    nominations_open_at: datetime
    nominations_close_at: datetime
    voting_open_at: datetime
    voting_close_at: datetime


def timeline_default(*, now: datetime) -> Timeline:
    """A week of nominations from now, then a week of voting."""
    week = timedelta(days=7)
    return Timeline(now, now + week, now + week, now + 2 * week)


def months_after(start: date, months: int) -> date:
    """The day before the same date ``months`` later: the last day of a term of that many months."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)


def electorate_mode_for(*, body: Body, rules: Rules) -> str:
    """Who votes in a body's elections: a unit's general assembly always; a council's members within it
    (direct) or the delegates seated on it (indirect), as the constitution says."""
    if body.kind == BodyKind.UNIT or rules.elections.electorate == "direct":
        return ElectorateMode.MEMBERS
    return ElectorateMode.DELEGATES


def members_within(body: Body) -> list[int]:
    """Ids of every current member of the body's own units (for a council: every unit below it)."""
    return list(
        Member.objects.filter(
            organisation_id=body.organisation_id, current_unit__path__startswith=body.path
        ).values_list("id", flat=True)
    )


def _shares(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` whole shares differing by at most one, larger shares first."""
    base, extra = divmod(total, parts)
    return [base + 1 if i < extra else base for i in range(parts)]


def _delegate_weights(body: Body) -> dict[int, int]:
    """The members each delegate seated on ``body`` represents: the figure recorded when they were elected,
    else their constituency's members shared among its delegates."""
    delegations = list(
        Delegation.objects.filter(council=body, ended_at__isnull=True)
        .select_related("constituency", "elected_by")
        .order_by("constituency_id", "member__number")
    )
    weights: dict[int, int] = {}
    by_constituency: dict[int, list[Delegation]] = {}
    for d in delegations:
        by_constituency.setdefault(d.constituency_id, []).append(d)
    for group in by_constituency.values():
        fallback = _shares(group[0].constituency.member_count, len(group))
        for delegation, share in zip(group, fallback, strict=True):
            seat = getattr(delegation, "elected_by", None)
            weights[delegation.member_id] = seat.represents_members if seat is not None else share
    return weights


def _electorate(body: Body, mode: str, weighted: bool, rules: Rules) -> dict[int, int]:
    if mode == ElectorateMode.MEMBERS:
        entitled = electors_in_standing(
            rules=rules, organisation_id=body.organisation_id, member_ids=members_within(body)
        )
        return dict.fromkeys(entitled, 1)
    weights = _delegate_weights(body)
    return weights if weighted else dict.fromkeys(weights, 1)


def _method(kind: str, seats: int, rules: Rules) -> str:
    if kind == ElectionKind.OFFICER:
        name = rules.elections.officer_method
    elif seats > 1:
        name = rules.elections.delegate_method
    else:
        name = rules.elections.single_seat_method
    if name not in METHODS:
        raise ElectionError(
            _("the constitution's counting method %(name)s is not available in this version")
            % {"name": repr(name)}
        )
    return name


def _check_timeline(timeline: Timeline, now: datetime) -> None:
    points = [
        timeline.nominations_open_at,
        timeline.nominations_close_at,
        timeline.voting_open_at,
        timeline.voting_close_at,
    ]
    if any(timezone.is_naive(p) for p in points):
        raise ElectionError(_("every time in the timeline needs a time zone"))
    if not points[0] <= points[1] <= points[2] < points[3]:
        raise ElectionError(
            _(
                "the timeline must run: nominations open, nominations close, voting opens, voting closes "
                "(voting must close after it opens)"
            )
        )
    if timeline.voting_close_at <= now:
        raise ElectionError(_("voting must close in the future"))


@transaction.atomic
def election_call(
    *,
    body: Body,
    kind: str,
    timeline: Timeline,
    office: Office | None = None,
    title: str = "",
    seats: int | None = None,
    term_start: date | None = None,
    remainder_ending: date | None = None,
    follows: Election | None = None,
    fills: Delegation | None = None,
    caller: Member | None = None,
    actor: Actor = SYSTEM,
) -> Election:
    """Call an election of ``body``; its seats, method, electorate and terms are fixed now.

    Delegates: ``body`` is the constituency, electing its seats on its parent council, which are
    apportioned afresh now. Officer: one seat, ``office`` of ``body``. Other: ``seats`` and ``title`` given.

    Terms come from the constitution, never from the caller: a term starts when voting closes (or on
    ``term_start``, no earlier and at most a year later: a successor's starts the day after its
    predecessor's ends) and lasts the constitution's ``offices.term_months``; a by-election fills the rest of
    the term it replaces, ending on ``remainder_ending``. ``caller``, the member calling it, may not hold the
    office it elects: nobody calls the election for their own office.

    A delegates' by-election (``fills``, a vacated seat of ``body`` on its council) elects one delegate for
    the rest of that seat's term: no seats are apportioned afresh, the constituency's other delegates keep
    theirs, and it is counted as the constitution counts single-seat elections
    (``elections.single_seat_method``).
    """
    now = timezone.now()
    _check_timeline(timeline, now)
    body = Body.objects.select_related("organisation").get(pk=body.pk)  # fresh member count
    rules, version = constitution_adopted(organisation_id=body.organisation_id)
    council: Body | None = None
    apportionment = None
    if kind == ElectionKind.DELEGATES:
        if body.parent_id is None:
            raise ElectionError(
                _("%(body)s is the top body; it sends no delegates anywhere") % {"body": body.name}
            )
        council = Body.objects.get(pk=body.parent_id)
        if fills is not None:
            if fills.constituency_id != body.pk or fills.council_id != council.pk or fills.ended_at is None:
                raise ElectionError(
                    _("a by-election fills a vacated seat of %(body)s on %(council)s")
                    % {"body": body.name, "council": council.name}
                )
            seats, remainder_ending = 1, fills.term_end
            title = title or f"By-election: a delegate of {body.name} to {council.name}"
        else:
            apportionment = council_apportion(
                council=council, reason=f"delegate election called in {body.name}"
            )
            seats = apportionment.shares.get(constituency=body).seats
        if seats < 1:
            raise ElectionError(
                _("%(body)s has no seats on %(council)s at its present membership")
                % {"body": body.name, "council": council.name}
            )
        title = title or f"Delegates of {body.name} to {council.name}"
    elif fills is not None:
        raise ElectionError(_("only a delegates' election fills a vacated delegate's seat"))
    elif kind == ElectionKind.OFFICER:
        if office is None or office.body_id != body.pk:
            raise ElectionError(_("name an office of %(body)s") % {"body": body.name})
        seats = 1
        title = title or f"{office.title} of {body.name}"
    elif kind == ElectionKind.OTHER:
        if seats is None or seats < 1:
            raise ElectionError(_("an election needs at least one seat"))
        if not title.strip():
            raise ElectionError(_("an election needs a title"))
    else:
        raise ElectionError(_("unknown kind of election %(kind)s") % {"kind": repr(kind)})
    assert seats is not None
    mode = electorate_mode_for(body=body, rules=rules)
    weighted = mode == ElectorateMode.DELEGATES and rules.elections.weighted_council_votes
    electorate = _electorate(body, mode, weighted, rules)
    if not electorate:
        if mode == ElectorateMode.MEMBERS:
            raise ElectionError(_("%(body)s has no members to form an electorate") % {"body": body.name})
        raise ElectionError(_("%(body)s has no delegates seated to form an electorate") % {"body": body.name})
    voting_closes = timeline.voting_close_at.date()
    term_start = term_start or voting_closes
    if not voting_closes <= term_start <= voting_closes + timedelta(days=366):
        raise ElectionError(_("a term starts when voting closes, or within a year of it"))
    term_end = remainder_ending or months_after(term_start, rules.offices.term_months)
    if term_start > term_end:
        raise ElectionError(_("the term must end after it starts"))
    if (
        caller is not None
        and office is not None
        and office.terms.filter(member=caller, ended_at__isnull=True).exists()
    ):
        raise ElectionError(
            _(
                "you hold the office of %(office)s: its election is called by another officer of "
                "%(body)s, or by the scheduler as your term ends, never by its holder"
            )
            % {"office": office.title, "body": body.name}
        )
    try:
        with transaction.atomic():
            election = Election.objects.create(
                box=ranked_box_open(),
                organisation_id=body.organisation_id,
                body=body,
                kind=kind,
                council=council,
                office=office if kind == ElectionKind.OFFICER else None,
                title=title.strip(),
                seats=seats,
                method=_method(kind, seats, rules),
                electorate_mode=mode,
                weighted=weighted,
                seconders_required=rules.elections.seconders_required,
                allow_revote=rules.elections.allow_revote,
                constitution_version=version,
                apportionment=apportionment,
                represented_members=_represented(body, fills),
                nominations_open_at=timeline.nominations_open_at,
                nominations_close_at=timeline.nominations_close_at,
                voting_open_at=timeline.voting_open_at,
                voting_close_at=timeline.voting_close_at,
                term_start=term_start,
                term_end=term_end,
                called_at=now,
                called_by=actor.label,
                electorate_size=len(electorate),
                follows=follows,
                fills=fills,
            )
    except IntegrityError as exc:
        raise ElectionConflict(
            _("an election for these seats is already under way in %(body)s") % {"body": body.name}
        ) from exc
    power_rows_saved(
        Elector.objects.bulk_create(
            [Elector(election=election, member_id=mid, weight=w) for mid, w in electorate.items()],
            batch_size=2000,
        )
    )
    log_entry_record(
        organisation=body.organisation,
        action="election.called",
        body_id=body.pk,
        actor=actor,
        summary=f"Election called: {election.title} ({seats} seat{'s' * (seats != 1)}, {election.method}, "
        f"{len(electorate)} electors)",
        payload={
            "election": election.pk,
            "kind": kind,
            "body": body.code,
            "council": council.code if council else None,
            "office": office.title if office else None,
            "seats": seats,
            "method": election.method,
            "electorate": mode,
            "weighted": weighted,
            "electors": len(electorate),
            "electorate_digest": electorate_digest(electorate),
            "constitution_version": version,
            "nominations_open_at": timeline.nominations_open_at.isoformat(),
            "nominations_close_at": timeline.nominations_close_at.isoformat(),
            "voting_open_at": timeline.voting_open_at.isoformat(),
            "voting_close_at": timeline.voting_close_at.isoformat(),
            "term_start": term_start.isoformat(),
            "term_end": term_end.isoformat(),
            **(
                {"fills": {"delegation": fills.pk, "member": fills.member.number, "ended": fills.end_reason}}
                if fills is not None
                else {}
            ),
        },
    )
    return election


def _represented(body: Body, fills: Delegation | None) -> int:
    """The members the elected stand for: the whole body's, or a by-election's the vacated seat's."""
    if fills is None:
        return body.member_count
    seat = getattr(fills, "elected_by", None)
    if seat is not None:
        return int(seat.represents_members)
    seats = Delegation.objects.filter(
        council_id=fills.council_id, constituency_id=fills.constituency_id, term_end=fills.term_end
    ).count()
    return body.member_count // max(seats, 1)


#: How long before a term ends the next election is called.
SUCCESSION_LEAD = timedelta(days=28)


def _already_called(*, since: datetime, **seat_filter: object) -> bool:
    return Election.objects.filter(called_at__gte=since, **seat_filter).exists() or (
        Election.objects.filter(status__in=OPEN_STATUSES, **seat_filter).exists()
    )


def _predecessor(seats: list[ElectedSeat]) -> Election | None:
    for seat in seats:
        if not Election.objects.filter(follows_id=seat.election_id).exists():
            return seat.election
    return None


def elections_call_successors(*, now: datetime) -> tuple[list[Election], list[str]]:
    """Call the next election for every set of seats whose terms end within ``SUCCESSION_LEAD``, unless
    one was already called for them since the lead began (a failed one included: the body then calls anew).
    Returns the elections called and, for seats whose election could not be called, why."""
    horizon = (now + SUCCESSION_LEAD).date()
    called: list[Election] = []
    problems: list[str] = []
    ending = (
        Delegation.objects.filter(ended_at__isnull=True, term_end__lte=horizon)
        .select_related("constituency", "elected_by__election")
        .order_by("council_id", "constituency_id")
    )
    groups: dict[tuple[int, int], list[Delegation]] = {}
    for d in ending:
        groups.setdefault((d.council_id, d.constituency_id), []).append(d)
    for (council_id, _kind), delegations in groups.items():
        term_end = min(d.term_end for d in delegations)
        since = datetime.combine(term_end, datetime.min.time(), tzinfo=now.tzinfo) - SUCCESSION_LEAD
        constituency = delegations[0].constituency
        if _already_called(
            since=since, kind=ElectionKind.DELEGATES, council_id=council_id, body=constituency
        ):
            continue
        seats = [s for d in delegations if (s := getattr(d, "elected_by", None)) is not None]
        try:
            called.append(
                _call_successor(
                    body=constituency,
                    kind=ElectionKind.DELEGATES,
                    term_end=term_end,
                    now=now,
                    follows=_predecessor(seats),
                )
            )
        except ElectionError as exc:
            problems.append(f"delegates of {constituency.name}: {exc}")
    from commune.federation.models import OfficeTerm

    for term in (
        OfficeTerm.objects.filter(ended_at__isnull=True, term_end__lte=horizon)
        .select_related("office__body", "elected_by__election")
        .order_by("office_id")
    ):
        since = datetime.combine(term.term_end, datetime.min.time(), tzinfo=now.tzinfo) - SUCCESSION_LEAD
        if _already_called(since=since, kind=ElectionKind.OFFICER, office=term.office):
            continue
        seat = getattr(term, "elected_by", None)
        try:
            called.append(
                _call_successor(
                    body=term.office.body,
                    kind=ElectionKind.OFFICER,
                    office=term.office,
                    term_end=term.term_end,
                    now=now,
                    follows=_predecessor([seat] if seat else []),
                )
            )
        except ElectionError as exc:
            problems.append(f"{term.office.title} of {term.office.body.name}: {exc}")
    return called, problems


def _call_successor(
    *,
    body: Body,
    kind: str,
    term_end: date,
    now: datetime,
    follows: Election | None,
    office: Office | None = None,
) -> Election:
    timeline = timeline_default(now=now)
    term_start = max(term_end + timedelta(days=1), timeline.voting_close_at.date())
    return election_call(
        body=body,
        kind=kind,
        office=office,
        timeline=timeline,
        term_start=term_start,
        follows=follows,
        actor=Actor(None, "Commune (automatic: a term is ending)"),
    )


def terms_expire(*, now: datetime) -> list[str]:
    """End every seat and office whose term is over and that no successor took: it falls vacant (after
    the constitution's ``offices.caretaker_days``, if any). Nobody stays on because an election failed."""
    from commune.federation.models import Organisation
    from commune.federation.services import terms_expired_end

    lines: list[str] = []
    actor = Actor(None, "Commune (automatic: a term ended)")
    for organisation in Organisation.objects.filter(constitution_versions__isnull=False).distinct():
        rules, _version = constitution_adopted(organisation_id=organisation.pk)
        seats, offices = terms_expired_end(
            organisation=organisation,
            before=now.date() - timedelta(days=rules.offices.caretaker_days),
            actor=actor,
            at=now,
        )
        lines += [f"seat on {d.council.name} for {d.constituency.name}: term over, vacant" for d in seats]
        lines += [f"{t.office.title} of {t.office.body.name}: term over, vacant" for t in offices]
    return lines
