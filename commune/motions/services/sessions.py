"""Council sessions: calling and closing a sitting, and the roll of the seats present.

A unit's general assembly may sit too, under the same standing orders: any of its members calls the
sitting, every member is told, the roll opens at the start, and each member of the unit present signs it
for themselves (no delegation, weight one). Its quorum is the same share (``sessions.quorum_percent``) of
the unit's members. Outside a sitting an assembly still votes without one.

A session is called with the notice the constitution sets (``sessions.notice_hours``): it starts no sooner
than that after its call, and every delegate seated on the council is told when it is called. The roll opens
when it starts. A council's vote opens and carries only with a quorum of its seats on the roll
(``sessions.quorum_percent``, by weight where votes are weighted): see ``seats_quorum``.

A seat is present when its delegate signs the roll, or — the delegate being absent — one of the alternates
their election named. Nobody signs for anyone else, and no body can choose who stands in: the alternates
are exactly the runners-up of the constituency's own election, as declared.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.services import SYSTEM, Actor, log_entry_record
from commune.elections.models import Candidacy, CandidacyOutcome
from commune.federation.models import Body, BodyKind, Delegation, Member
from commune.motions.errors import MotionConflict, MotionError, NotEntitled
from commune.motions.models import CouncilSession, RollEntry
from commune.motions.services.motions import constitution_rules, member_sits_in
from commune.notifications.services import notification_send
from commune.translation import deferred


def _shares(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + 1 if i < extra else base for i in range(parts)]


def seat_weights(*, council: Body) -> dict[int, int]:
    """What each live seat's vote weighs, by delegation id: one each, or — where the constitution
    weights council votes — the members the delegate was elected to represent (their constituency's
    members shared among its delegates when the seat came from no recorded election). Two queries."""
    seats = list(
        Delegation.objects.filter(council=council, ended_at__isnull=True)
        .select_related("constituency", "elected_by")
        .order_by("constituency_id", "pk")
    )
    if not constitution_rules(council.organisation_id).elections.weighted_council_votes:
        return {seat.pk: 1 for seat in seats}
    by_constituency: dict[int, list[Delegation]] = {}
    for seat in seats:
        by_constituency.setdefault(seat.constituency_id, []).append(seat)
    weights: dict[int, int] = {}
    for group in by_constituency.values():
        fallback = _shares(group[0].constituency.member_count, len(group))
        for seat, share in zip(group, fallback, strict=True):
            elected = getattr(seat, "elected_by", None)
            weights[seat.pk] = max(elected.represents_members if elected is not None else share, 1)
    return weights


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d %b %Y %H:%M %Z")


def _when_in(moment: datetime, fmt: str) -> str:
    return date_format(timezone.localtime(moment), fmt)


_when_lazy = lazy(_when_in, str)


def when_read(moment: datetime, fmt: str = "d M Y H:i T") -> str:
    """``moment`` as a person reads it, its month named in the language active when the text is read."""
    return _when_lazy(moment, fmt)


def assembly_members(unit: Body) -> list[int]:
    """The ids of the unit's current members: its general assembly."""
    return list(
        Member.objects.filter(organisation_id=unit.organisation_id, current_unit_id=unit.pk).values_list(
            "id", flat=True
        )
    )


def delegates_notify(*, council: Body, kind: str, subject: str, body: str, link: str) -> None:
    """Tell every delegate seated on ``council`` (in the app and by email, once the act commits); a unit's
    every member, when its general assembly is called."""
    if council.kind == BodyKind.UNIT:
        members = Member.objects.filter(pk__in=assembly_members(council)).select_related("person")
        notification_send(
            people=[m.person for m in members], kind=kind, subject=subject, body=body, link=link
        )
        return
    people = [
        seat.member.person
        for seat in Delegation.objects.filter(council=council, ended_at__isnull=True).select_related(
            "member__person"
        )
    ]
    notification_send(people=people, kind=kind, subject=subject, body=body, link=link)


@transaction.atomic
def session_open(
    *,
    council: Body,
    member: Member,
    title: str,
    starts_at: datetime | None = None,
    actor: Actor = SYSTEM,
) -> CouncilSession:
    """Call a sitting of a council; any delegate seated on it may. It starts at ``starts_at`` — by default
    as soon as the constitution's notice allows — and never sooner; every delegate is told at once. A
    unit's general assembly is called the same way, by any of its members, and every member is told."""
    if not member_sits_in(member, council):
        if council.kind == BodyKind.UNIT:
            raise NotEntitled(
                _("only members of %(body)s may call its general assembly") % {"body": council.name}
            )
        raise NotEntitled(
            _("only delegates seated on %(body)s may open its session") % {"body": council.name}
        )
    notice_hours = constitution_rules(council.organisation_id).sessions.notice_hours
    now = timezone.now()
    earliest = now + timedelta(hours=notice_hours)
    if starts_at is None:
        starts_at = earliest
    elif starts_at < earliest:
        raise MotionError(
            _(
                "a session of %(body)s needs %(hours)s hours' notice under the constitution (sessions.notice_hours), "
                "so that every delegate can attend: it can start at %(earliest)s at the earliest"
            )
            % {"body": council.name, "hours": notice_hours, "earliest": when_read(earliest)}
        )
    title = title.strip() or f"Session of {council.name}"
    try:
        with transaction.atomic():
            session = CouncilSession.objects.create(
                council=council,
                title=title,
                opened_at=now,
                starts_at=starts_at,
                notice_hours=notice_hours,
                opened_by=actor.label,
            )
    except IntegrityError as exc:
        raise MotionConflict(
            _("%(body)s is already sitting: close that session first") % {"body": council.name}
        ) from exc
    log_entry_record(
        organisation=council.organisation,
        action="session.opened",
        body_id=council.pk,
        actor=actor,
        summary=f"{title} called, to start {_when(starts_at)}",
        payload={
            "session": session.pk,
            "council": council.code,
            "starts_at": starts_at.isoformat(),
            "notice_hours": notice_hours,
        },
    )
    delegates_notify(
        council=council,
        kind="session.called",
        subject=deferred(
            gettext_lazy("%(body)s sits %(when)s: %(title)s"),
            body=council.name,
            when=when_read(starts_at),
            title=title,
        ),
        body=deferred(
            gettext_lazy(
                "%(actor)s called a session of %(body)s, “%(title)s”, to start %(when)s. Sign its roll from then: "
                "its votes open and carry only with enough seats present."
            ),
            actor=actor.label,
            body=council.name,
            title=title,
            when=when_read(starts_at),
        ),
        link=reverse("motions:session", kwargs={"slug": council.organisation.slug, "session_id": session.pk}),
    )
    return session


@dataclass(frozen=True)
class SeatsQuorum:
    """The seats on a session's roll against the council's, by weight, and whether that is a quorum."""

    present: int
    seats: int
    percent: Decimal

    @property
    def met(self) -> bool:
        return self.seats > 0 and self.present * 100 >= self.percent * self.seats

    def words(self) -> str:
        return (
            f"{self.present} of the council's {self.seats} seats' votes are on the roll; the constitution's "
            f"quorum (sessions.quorum_percent) is {self.percent}%"
        )


def seats_quorum(*, session: CouncilSession, percent: Decimal | None = None) -> SeatsQuorum:
    """Whether the seats on the roll of ``session`` — live seats only, by today's weights — make the quorum
    (the constitution's in force, or ``percent``, the one fixed when a vote opened)."""
    council = session.council
    if percent is None:
        percent = constitution_rules(council.organisation_id).sessions.quorum_percent
    if council.kind == BodyKind.UNIT:
        # A general assembly: each current member of the unit is a seat of weight one.
        members = assembly_members(council)
        present = RollEntry.objects.filter(session=session, attended_by_id__in=members).count()
        return SeatsQuorum(present=present, seats=len(members), percent=Decimal(percent))
    weights = seat_weights(council=council)
    on_roll = RollEntry.objects.filter(session=session, delegation_id__in=list(weights)).values_list(
        "delegation_id", flat=True
    )
    return SeatsQuorum(
        present=sum(weights[seat] for seat in on_roll), seats=sum(weights.values()), percent=Decimal(percent)
    )


def _alternate_seat(session: CouncilSession, member: Member) -> tuple[Delegation, str] | None:
    """The absent delegate's seat this member may take as an alternate, with the election naming them.

    The member must be declared an alternate in the election that conferred a live seat on this council,
    still belong to that seat's constituency, and the seat's delegate must not be on the roll. Where the
    member is an alternate for several such seats, the first not yet taken.
    """
    alternate_of = Candidacy.objects.filter(member=member, outcome=CandidacyOutcome.ALTERNATE).values(
        "election_id"
    )
    seats = list(
        Delegation.objects.filter(
            council_id=session.council_id,
            ended_at__isnull=True,
            elected_by__election_id__in=alternate_of,
        )
        .exclude(pk__in=session.roll.values("delegation_id"))
        .select_related("constituency", "elected_by__election")
        .order_by("pk")
    )
    unit = member.current_unit
    for seat in seats:
        if unit is not None and unit.path.startswith(seat.constituency.path):
            return seat, seat.elected_by.election.source_label
    return None


@transaction.atomic
def session_roll_sign(*, session: CouncilSession, member: Member, actor: Actor = SYSTEM) -> RollEntry:
    """Sign the roll: a delegate for their own seat, or an alternate for an absent delegate's seat."""
    session = (
        CouncilSession.objects.select_for_update().select_related("council__organisation").get(pk=session.pk)
    )
    if session.closed_at is not None:
        raise MotionConflict(_("this session has closed"))
    if timezone.now() < session.starts_at:
        raise MotionConflict(
            _(
                "this session starts %(when)s: its roll opens then, so that the notice every delegate was given holds"
            )
            % {"when": when_read(session.starts_at)}
        )
    if session.council.kind == BodyKind.UNIT:
        return _assembly_roll_sign(session, member, actor)
    own = Delegation.objects.filter(
        council_id=session.council_id, member=member, ended_at__isnull=True
    ).first()
    alternate_source = ""
    if own is not None:
        seat = own
    else:
        found = _alternate_seat(session, member)
        if found is None:
            raise NotEntitled(
                _(
                    "only the delegates seated on %(body)s, or the alternate of an absent delegate, may sign its roll"
                )
                % {"body": session.council.name}
            )
        seat, alternate_source = found
    weight = seat_weights(council=session.council).get(seat.pk, 1)
    try:
        with transaction.atomic():
            entry = RollEntry.objects.create(
                session=session,
                delegation=seat,
                attended_by=member,
                as_alternate=own is None,
                alternate_source=alternate_source,
                weight=weight,
                signed_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise MotionConflict(_("this seat is already on the roll of the session")) from exc
    log_entry_record(
        organisation=session.council.organisation,
        action="session.roll_signed",
        body_id=session.council_id,
        actor=actor,
        summary=f"Member {member.number} present at {session.title}"
        + (f" as alternate for seat {seat.pk} ({alternate_source})" if own is None else ""),
        payload={
            "session": session.pk,
            "seat": seat.pk,
            "member": member.number,
            "as_alternate": own is None,
            "alternate_source": alternate_source,
            "weight": weight,
        },
    )
    return entry


def _assembly_roll_sign(session: CouncilSession, member: Member, actor: Actor) -> RollEntry:
    """A member of the unit signs its general assembly's roll, for themselves only."""
    unit = session.council
    if not member_sits_in(member, unit):
        raise NotEntitled(
            _("only members of %(body)s sign the roll of its general assembly") % {"body": unit.name}
        )
    try:
        with transaction.atomic():
            entry = RollEntry.objects.create(
                session=session, attended_by=member, weight=1, signed_at=timezone.now()
            )
    except IntegrityError as exc:
        raise MotionConflict(_("you are already on the roll of this sitting")) from exc
    log_entry_record(
        organisation=unit.organisation,
        action="session.roll_signed",
        body_id=unit.pk,
        actor=actor,
        summary=f"Member {member.number} present at {session.title}",
        payload={"session": session.pk, "seat": None, "member": member.number, "weight": 1},
    )
    return entry


@transaction.atomic
def session_close(*, session: CouncilSession, member: Member, actor: Actor = SYSTEM) -> CouncilSession:
    """Close a sitting once none of its votes is still open. Any delegate on the roll may."""
    session = (
        CouncilSession.objects.select_for_update().select_related("council__organisation").get(pk=session.pk)
    )
    if session.closed_at is not None:
        raise MotionConflict(_("this session has already closed"))
    if not session.roll.filter(attended_by=member).exists():
        raise NotEntitled(_("only someone on the roll may close the session"))
    if session.votes.filter(closed_at__isnull=True).exists():
        raise MotionConflict(_("a vote of this session is still open: close it first"))
    session.closed_at = timezone.now()
    session.save(update_fields=["closed_at"])
    log_entry_record(
        organisation=session.council.organisation,
        action="session.closed",
        body_id=session.council_id,
        actor=actor,
        summary=f"{session.title} closed",
        payload={"session": session.pk, "present": session.roll.count()},
    )
    return session
