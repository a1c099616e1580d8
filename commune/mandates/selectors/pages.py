"""Reads for the HTML pages of mandates: a delegate's compliance record, the mandates on an item, and
what a delegate sees when casting their seat's vote. Each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from commune.federation.models import Body, BodyKind, Delegation, Member
from commune.federation.selectors import member_delegations
from commune.mandates.models import Mandate
from commune.mandates.selectors import compliance_record, mandate_in_force
from commune.motions.models import DelegateVote, Motion, RollEntry, Vote

COMPLIED, DEPARTED, FREE, NO_MANDATE = "complied", "departed", "free", "no mandate"


def compliance_of(vote: DelegateVote) -> str:
    """How a recorded vote stands beside the mandate in force when it was cast."""
    if not vote.mandate_kind:
        return NO_MANDATE
    if vote.mandate_kind == "free":
        return FREE
    return DEPARTED if vote.departed else COMPLIED


@dataclass(frozen=True)
class ComplianceRow:
    vote: DelegateVote
    compliance: str


@dataclass(frozen=True)
class DelegatePage:
    """A member as a delegate: the seats they hold, and every vote cast for their seats beside the
    mandate in force, newest first."""

    delegate: Member
    seats: list[Delegation]
    rows: list[ComplianceRow]

    def _count(self, compliance: str) -> int:
        return sum(1 for r in self.rows if r.compliance == compliance)

    @property
    def complied(self) -> int:
        return self._count(COMPLIED)

    @property
    def departed(self) -> int:
        return self._count(DEPARTED)

    @property
    def free(self) -> int:
        return self._count(FREE)

    @property
    def unmandated(self) -> int:
        return self._count(NO_MANDATE)

    @property
    def departures(self) -> list[ComplianceRow]:
        return [r for r in self.rows if r.compliance == DEPARTED]


def delegate_page(*, delegate: Member) -> DelegatePage:
    """Two queries, however long the record."""
    return DelegatePage(
        delegate=delegate,
        seats=list(member_delegations(member=delegate).order_by("council__depth", "council__name")),
        rows=[ComplianceRow(d, compliance_of(d)) for d in compliance_record(member=delegate)],
    )


def constituencies_of_member(*, member: Member, motion: Motion) -> list[Body]:
    """The bodies below the motion's council in which the member sits and may propose a mandate: their
    own unit, or a council on which they hold a seat. One query."""
    seated_on = Delegation.objects.filter(member=member, ended_at__isnull=True).values("council_id")
    return list(
        Body.objects.filter(parent_id=motion.body_id)
        .filter(Q(pk=member.current_unit_id) | Q(kind=BodyKind.COUNCIL, pk__in=seated_on))
        .order_by("code")
    )


@dataclass(frozen=True)
class SeatVotePage:
    """What a delegate on the roll needs to cast their seat's vote: the seat, and its mandate."""

    vote: Vote
    on_roll: RollEntry | None
    mandate: Mandate | None
    voted: DelegateVote | None


def seat_vote_page(*, vote: Vote, member: Member) -> SeatVotePage:
    """Three queries."""
    on_roll = (
        RollEntry.objects.select_related("delegation__constituency", "delegation__member__person")
        .filter(session_id=vote.session_id, attended_by=member)
        .first()
        if vote.session_id
        else None
    )
    mandate = voted = None
    if on_roll is not None and on_roll.delegation is not None:  # a council's seat, not an assembly's member
        mandate = mandate_in_force(
            constituency_id=on_roll.delegation.constituency_id, motion_id=vote.motion_id
        )
        voted = DelegateVote.objects.filter(vote=vote, delegation_id=on_roll.delegation.pk).first()
    return SeatVotePage(vote=vote, on_roll=on_roll, mandate=mandate, voted=voted)
