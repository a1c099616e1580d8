"""Reads for the recall pages: a petition as one member sees it, the petitions they may sign, the seats
they may petition against, and a decided recall with its ballot and countback.

Counts, thresholds, deadlines and outcomes are public to every member of the organisation. The only
personal facts read here are the reader's own: whether *they* signed, may take part, or voted. No list
of signers exists to be read (``docs/recall.md``, "Who can see who signed: nobody").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from commune.elections.models import ElectedSeat
from commune.federation.models import Member
from commune.recall.models import (
    RECALL_LIVE_STATUSES,
    RecallPetition,
    RecallProcedure,
    RecallReplacement,
    RecallStatus,
)
from commune.recall.selectors import (
    recall_ballot_voted,
    recall_petitions_against,
    recall_petitions_of_electorate,
    recall_petitions_of_organisation,
    recallable_seats_of_member,
)
from commune.recall.services.petitions import recall_may_take_part, recall_signed


def seat_label(petition_or_seat: RecallPetition | ElectedSeat) -> str:
    """Which seat: "District 0 for Unit 0.0", or "Secretary of Unit 0.0"."""
    seat = petition_or_seat.seat if isinstance(petition_or_seat, RecallPetition) else petition_or_seat
    if seat.delegation is not None:
        return _("delegate of %(constituency)s on %(council)s") % {
            "constituency": seat.delegation.constituency.name,
            "council": seat.delegation.council.name,
        }
    if seat.office_term is not None:
        return _("%(office)s of %(body)s") % {
            "office": seat.office_term.office.title,
            "body": seat.office_term.office.body.name,
        }
    return _("a seat")


def _percent(numerator: int, denominator: int) -> int:
    return min(100, (100 * numerator) // denominator) if denominator else 0


def majority_in_words(majority: str) -> str:
    """The recall ballot's majority as the constitution means it: a half is "more than half", any larger
    share "at least" that share, of those voting yes or no."""
    share = Fraction(majority)
    if share == Fraction(1, 2):
        return _("more than half of those voting yes or no")
    return _("at least %(numerator)s in %(denominator)s of those voting yes or no") % {
        "numerator": share.numerator,
        "denominator": share.denominator,
    }


def at_threshold_in_words(petition: RecallPetition) -> str:
    """What the constitution (as copied onto the petition when it opened) says happens at the threshold."""
    words = {
        "required": petition.signatures_required,
        "name": petition.holder.person.name,
        "majority": majority_in_words(petition.ballot_majority),
    }
    countback = petition.replacement == RecallReplacement.COUNTBACK
    if petition.procedure == RecallProcedure.IMMEDIATE:
        if countback:
            text = _(
                "When %(required)s sign, %(name)s is removed from the seat at once. Once removed, the seat is "
                "filled by countback: the ballots of the election that conferred it are counted again without "
                "them, among its unsuccessful candidates (a by-election if that is impossible)."
            )
        else:
            text = _(
                "When %(required)s sign, %(name)s is removed from the seat at once. Once removed, the seat is "
                "filled by a by-election of the same constituency for the rest of the term."
            )
    elif countback:
        text = _(
            "When %(required)s sign, a secret recall ballot of the same electorate opens for a week; %(name)s is "
            "removed if %(majority)s vote yes. Once removed, the seat is filled by countback: the ballots of the "
            "election that conferred it are counted again without them, among its unsuccessful candidates (a "
            "by-election if that is impossible)."
        )
    else:
        text = _(
            "When %(required)s sign, a secret recall ballot of the same electorate opens for a week; %(name)s is "
            "removed if %(majority)s vote yes. Once removed, the seat is filled by a by-election of the same "
            "constituency for the rest of the term."
        )
    return text % words


@dataclass(frozen=True)
class PetitionRow:
    """A petition in a list, with its progress."""

    petition: RecallPetition
    seat: str
    percent: int

    @property
    def live(self) -> bool:
        return self.petition.status in RECALL_LIVE_STATUSES


def _rows(petitions: Sequence[RecallPetition]) -> list[PetitionRow]:
    return [PetitionRow(p, seat_label(p), _percent(p.signatures, p.signatures_required)) for p in petitions]


@dataclass(frozen=True)
class RecallListPage:
    mine: list[PetitionRow]
    others: list[PetitionRow]
    may_open: bool


def recall_list_page(*, member: Member) -> RecallListPage:
    """The petitions against holders the member helped elect, then every other petition of the
    organisation, and whether there is anyone they may petition against. Three queries."""
    mine = list(recall_petitions_of_electorate(member=member))
    ids = {p.pk for p in mine}
    others = [
        p for p in recall_petitions_of_organisation(organisation_id=member.organisation_id) if p.pk not in ids
    ]
    return RecallListPage(
        mine=_rows(mine), others=_rows(others), may_open=recallable_seats_of_member(member=member).exists()
    )


@dataclass(frozen=True)
class PetitionPage:
    """A petition as the reader sees it: public figures, and the reader's own standing alone."""

    petition: RecallPetition
    seat: str
    percent: int
    at_threshold: str
    may_take_part: bool
    you_signed: bool
    you_voted: bool
    is_holder: bool

    @property
    def gathering(self) -> bool:
        return self.petition.status == RecallStatus.GATHERING

    @property
    def balloting(self) -> bool:
        return self.petition.status == RecallStatus.BALLOTING

    @property
    def decided(self) -> bool:
        return self.petition.decided_at is not None

    @property
    def majority(self) -> str:
        return majority_in_words(self.petition.ballot_majority)

    @property
    def still_needed(self) -> int:
        return max(0, self.petition.signatures_required - self.petition.signatures)


def petition_page(*, petition: RecallPetition, member: Member) -> PetitionPage:
    """``petition`` as read by ``recall_petition_detail``; three more queries for the reader's own
    standing (never anyone else's)."""
    ballot = getattr(petition, "ballot", None)
    return PetitionPage(
        petition=petition,
        seat=seat_label(petition),
        percent=_percent(petition.signatures, petition.signatures_required),
        at_threshold=at_threshold_in_words(petition),
        may_take_part=recall_may_take_part(member=member, petition=petition),
        you_signed=recall_signed(petition=petition, member=member),
        you_voted=ballot is not None and recall_ballot_voted(petition=petition, member=member),
        is_holder=petition.holder_id == member.pk,
    )


@dataclass(frozen=True)
class RecallableSeat:
    """A seat the member may petition against, and the petition already running against it, if any
    (one runs at a time: a second would have to be signed there)."""

    seat: ElectedSeat
    label: str
    running: RecallPetition | None


def recallable_seats_page(*, member: Member, holder: Member | None = None) -> list[RecallableSeat]:
    """The seats and offices the member may petition against (of ``holder`` alone, if given), each with
    the petition running against it. Two queries."""
    seats = recallable_seats_of_member(member=member)
    if holder is not None:
        seats = seats.filter(member=holder)
    seat_list = list(seats)
    running = {
        p.seat_id: p
        for p in RecallPetition.objects.filter(
            seat_id__in=[s.pk for s in seat_list], status__in=RECALL_LIVE_STATUSES
        )
    }
    return [RecallableSeat(s, seat_label(s), running.get(s.pk)) for s in seat_list]


@dataclass(frozen=True)
class HolderRecallsPage:
    holder: Member
    petitions: list[PetitionRow]
    recallable: list[RecallableSeat]


def holder_recalls_page(*, holder: Member, member: Member) -> HolderRecallsPage:
    """Every petition against ``holder``, and the seats of theirs the reader may petition against.
    Three queries."""
    return HolderRecallsPage(
        holder=holder,
        petitions=_rows(list(recall_petitions_against(member=holder))),
        recallable=recallable_seats_page(member=member, holder=holder),
    )


def recallable_delegation_ids(*, member: Member) -> set[int]:
    """The council seats (``Delegation`` ids) whose holders the member may petition to recall. One
    query; for marking "recall" beside each delegate who represents them."""
    return set(
        recallable_seats_of_member(member=member)
        .filter(~Q(delegation=None))
        .values_list("delegation_id", flat=True)
    )


# --- The result -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountbackCell:
    votes: str
    event: str


@dataclass(frozen=True)
class CountbackRow:
    label: str
    filled: bool
    cells: list[CountbackCell]


@dataclass(frozen=True)
class Countback:
    """The countback's recount as the election result page shows a count: one column per stage, one
    row per candidate, each cell their votes at the end of that stage."""

    title: str
    quota: str | None
    valid_poll: str | None
    stages: list[tuple[int, str]]
    rows: list[CountbackRow]
    non_transferable: list[str]
    tie_breaks: list[Mapping[str, Any]]


def _countback(data: Mapping[str, Any] | None, filled_by: str) -> Countback | None:
    if not data:
        return None
    stages: list[Mapping[str, Any]] = list(data.get("stages") or [])
    labels: list[str] = []
    for stage in stages:
        for label in stage.get("totals", {}):
            if label not in labels:
                labels.append(label)
    elected_at = {name: s["stage"] for s in stages for name in s.get("elected", [])}
    excluded_at = {name: s["stage"] for s in stages for name in s.get("excluded", [])}
    rows = [
        CountbackRow(
            label=label,
            filled=label == filled_by,
            cells=[
                CountbackCell(
                    votes=str(s.get("totals", {}).get(label, "")),
                    event="elected"
                    if elected_at.get(label) == s["stage"]
                    else "excluded"
                    if excluded_at.get(label) == s["stage"]
                    else "",
                )
                for s in stages
            ],
        )
        for label in labels
    ]
    return Countback(
        title=str(data.get("title") or _("Countback")),
        quota=str(data["quota"]) if data.get("quota") is not None else None,
        valid_poll=str(data["valid_poll"]) if data.get("valid_poll") is not None else None,
        stages=[(int(s["stage"]), str(s.get("description", ""))) for s in stages],
        rows=rows,
        non_transferable=[str(s.get("non_transferable", "")) for s in stages],
        tie_breaks=list(data.get("tie_breaks") or []),
    )


@dataclass(frozen=True)
class ResultPage:
    petition: PetitionPage
    countback: Countback | None
    filled_by_label: str


def result_page(*, petition: RecallPetition, member: Member) -> ResultPage:
    """The outcome of a recall: the ballot's figures against its majority, and the countback's recount
    stage by stage with who filled the seat."""
    page = petition_page(petition=petition, member=member)
    filled_by = ""
    data = petition.countback
    if data:
        # The recount contests one seat among the unsuccessful: its first elected fills it.
        elected = list(data.get("elected") or [])
        filled_by = elected[0] if elected else ""
    return ResultPage(
        petition=page,
        countback=_countback(data, filled_by),
        filled_by_label=filled_by,
    )
