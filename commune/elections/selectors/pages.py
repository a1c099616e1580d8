"""Reads for the HTML pages of elections and their bulletins, each in a fixed number of queries.

The general selectors (``commune.elections.selectors``) answer the API; these shape the same data for
people reading a page: the stage table of a count as rows and columns, a chart of it, a page of the
bulletin with candidates' names instead of ids.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from commune.ballots.models import BulletinEntry
from commune.elections.models import (
    Candidacy,
    CandidacyOutcome,
    CandidacyStatus,
    Election,
    ElectionStatus,
)
from commune.elections.selectors import (
    VoterStatus,
    bulletin_find,
    candidates_standing,
    election_detail,
    voter_status,
)
from commune.elections.services.nominations import member_within
from commune.federation.models import Member, Organisation

#: Statuses in which the bulletin exists: after close, once the sealed box was published.
_PUBLISHED = (ElectionStatus.DECLARED, ElectionStatus.FAILED)


def elections_of_organisation(*, organisation: Organisation) -> QuerySet[Election]:
    """Every election of the organisation, those under way first, then the most recently closed."""
    return Election.objects.filter(organisation=organisation).select_related("body", "council", "office")


@dataclass(frozen=True)
class ElectionPage:
    """An election as its page shows it to one member."""

    election: Election
    candidates: list[Candidacy]
    you: VoterStatus
    my_candidacy: Candidacy | None
    may_stand: bool

    @property
    def nominations_open(self) -> bool:
        return self.election.status == ElectionStatus.NOMINATIONS

    @property
    def voting_open(self) -> bool:
        return self.election.status == ElectionStatus.VOTING

    @property
    def published(self) -> bool:
        return self.election.status in _PUBLISHED and bool(self.election.merkle_root)


def election_page(*, election_id: int, member: Member) -> ElectionPage | None:
    """The election, its candidates (once nominations close, only those on the ballot), and where the
    member stands: elector or not, voted or not, standing or not. Five queries, whatever the electorate."""
    detail = election_detail(election_id=election_id)
    if detail is None:
        return None
    candidacies = list(detail.candidacies.all())
    mine = next((c for c in candidacies if c.member_id == member.pk), None)
    if detail.status not in (ElectionStatus.SCHEDULED, ElectionStatus.NOMINATIONS):
        candidacies = [c for c in candidacies if c.status == CandidacyStatus.STANDING]
    else:
        candidacies = [c for c in candidacies if c.status != CandidacyStatus.WITHDRAWN]
    return ElectionPage(
        election=detail,
        candidates=candidacies,
        you=voter_status(election=detail, member=member),
        my_candidacy=mine,
        may_stand=member_within(member, detail.body),
    )


def candidacy_of_member(*, election: Election, member: Member) -> Candidacy | None:
    """The member's own candidacy in the election, standing or withdrawn."""
    return Candidacy.objects.filter(election=election, member=member).select_related("member__person").first()


# --- The result -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageColumn:
    number: int
    description: str


#: A figure of the count as people read it: an exact decimal (shown in the reader's notation), or "" where
#: the count has none.
Figure = Decimal | str


@dataclass(frozen=True)
class StageCell:
    votes: Figure
    #: "elected" in the stage that elected the candidate, "excluded" in the one that excluded them.
    event: str


@dataclass(frozen=True)
class CandidateRow:
    label: str
    outcome: str
    outcome_label: str
    cells: list[StageCell]


@dataclass(frozen=True)
class ChartBar:
    x: float
    y: float
    height: float
    stage: int
    votes: Figure


@dataclass(frozen=True)
class ChartRow:
    label: str
    outcome: str
    label_y: int
    bars: list[ChartBar]
    quota_y: float | None


@dataclass(frozen=True)
class CountChart:
    """Geometry of an SVG chart of the count: one row per candidate, one bar per stage, the quota marked
    in each row. Drawn by the template, so the page needs no script and no image file."""

    width: int
    height: int
    label_width: int
    bar_width: int
    row_height: int
    rows: list[ChartRow]
    stage_labels: list[tuple[float, int]]
    axis_y: float


@dataclass(frozen=True)
class ResultPage:
    election: Election
    elected: list[Candidacy]
    alternates: list[Candidacy]
    stages: list[StageColumn]
    rows: list[CandidateRow]
    non_transferable: list[Figure]
    loss: list[Figure] | None
    quota: Decimal | None
    valid_poll: Decimal | None
    tie_breaks: list[Mapping[str, Any]]
    chart: CountChart | None


_ROW_HEIGHT = 30
_BAR_WIDTH = 22
_LABEL_WIDTH = 190


def _decimal(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _figure(value: object) -> Figure:
    """A recorded figure as a decimal, so the page shows it in the reader's notation (12.5, 12,5)."""
    if value is None or value == "":
        return ""
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return str(value)


def _chart(rows: Sequence[CandidateRow], stage_count: int, quota: Decimal | None) -> CountChart | None:
    if not rows or not stage_count:
        return None
    values = [_decimal(cell.votes) for row in rows for cell in row.cells]
    top = max([*values, quota or Decimal(0), Decimal(1)])
    bar_area = _ROW_HEIGHT - 10
    chart_rows: list[ChartRow] = []
    for index, row in enumerate(rows):
        y = index * _ROW_HEIGHT
        baseline = y + _ROW_HEIGHT - 4
        bars = []
        for stage, cell in enumerate(row.cells, start=1):
            height = float(_decimal(cell.votes) / top) * bar_area
            bars.append(
                ChartBar(
                    x=_LABEL_WIDTH + (stage - 1) * (_BAR_WIDTH + 2),
                    y=round(baseline - height, 2),
                    height=round(height, 2),
                    stage=stage,
                    votes=cell.votes,
                )
            )
        quota_y = round(baseline - float(quota / top) * bar_area, 2) if quota else None
        chart_rows.append(ChartRow(row.label, row.outcome, y + 20, bars, quota_y))
    axis_y = len(rows) * _ROW_HEIGHT
    return CountChart(
        width=_LABEL_WIDTH + stage_count * (_BAR_WIDTH + 2) + 8,
        height=axis_y + 20,
        label_width=_LABEL_WIDTH,
        bar_width=_BAR_WIDTH,
        row_height=_ROW_HEIGHT,
        rows=chart_rows,
        stage_labels=[
            (_LABEL_WIDTH + (n - 1) * (_BAR_WIDTH + 2) + _BAR_WIDTH / 2, n) for n in range(1, stage_count + 1)
        ],
        axis_y=axis_y + 14,
    )


def _outcome_order(c: Candidacy) -> tuple[int, int, str]:
    if c.outcome == CandidacyOutcome.ELECTED:
        return (0, c.elected_order or 0, c.ballot_label)
    if c.outcome == CandidacyOutcome.ALTERNATE:
        return (1, c.alternate_rank or 0, c.ballot_label)
    return (2, 0, c.ballot_label)


def result_page(*, election: Election) -> ResultPage:
    """The declared result: winners in order of election, alternates in countback order, and every stage
    of the count with every candidate's total exactly as counted. Two queries."""
    candidacies = sorted(
        Candidacy.objects.filter(election=election, status=CandidacyStatus.STANDING).select_related(
            "member__person"
        ),
        key=_outcome_order,
    )
    result: Mapping[str, Any] = election.result or {}
    stages_data: list[Mapping[str, Any]] = list(result.get("stages") or [])
    stages = [StageColumn(int(s["stage"]), str(s.get("description", ""))) for s in stages_data]
    elected_at = {name: s["stage"] for s in stages_data for name in s.get("elected", [])}
    excluded_at = {name: s["stage"] for s in stages_data for name in s.get("excluded", [])}
    rows = []
    for c in candidacies:
        label = c.ballot_label
        cells = [
            StageCell(
                votes=_figure(s.get("totals", {}).get(label)),
                event="elected"
                if elected_at.get(label) == s["stage"]
                else "excluded"
                if excluded_at.get(label) == s["stage"]
                else "",
            )
            for s in stages_data
        ]
        rows.append(CandidateRow(label, c.outcome, c.get_outcome_display(), cells))
    losses = [_figure(s.get("loss", "0")) for s in stages_data]
    quota = _figure(result.get("quota"))
    valid_poll = _figure(result.get("valid_poll"))
    return ResultPage(
        election=election,
        elected=[c for c in candidacies if c.outcome == CandidacyOutcome.ELECTED],
        alternates=[c for c in candidacies if c.outcome == CandidacyOutcome.ALTERNATE],
        stages=stages,
        rows=rows,
        non_transferable=[_figure(s.get("non_transferable")) for s in stages_data],
        loss=losses if any(_decimal(v) for v in losses) else None,
        quota=quota if isinstance(quota, Decimal) else None,
        valid_poll=valid_poll if isinstance(valid_poll, Decimal) else None,
        tie_breaks=list(result.get("tie_breaks") or []),
        chart=_chart(rows, len(stages), quota if isinstance(quota, Decimal) else None),
    )


# --- The bulletin ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedBallot:
    tracker: str
    choices: list[str]
    weight: int


@dataclass(frozen=True)
class BulletinPage:
    page: Page[BulletinEntry]
    ballots: list[PublishedBallot]
    found: PublishedBallot | None
    looked_for: str


def bulletin_is_published(election: Election) -> bool:
    return election.status in _PUBLISHED and bool(election.merkle_root)


def _published(entry: BulletinEntry, labels: Mapping[int, str]) -> PublishedBallot:
    return PublishedBallot(
        entry.tracker,
        [labels.get(int(cid), f"candidate {cid}") for cid in entry.ranking],
        entry.weight,
    )


def bulletin_page(
    *, election: Election, page_number: str | int | None, per_page: int, tracker: str = ""
) -> BulletinPage:
    """One page of the bulletin in tracker order, with names for candidate ids; and, if ``tracker`` is
    given, the ballot published under it. Four queries (five with a look-up), whatever its length."""
    labels = {c.pk: c.ballot_label for c in candidates_standing(election=election)}
    entries = BulletinEntry.objects.filter(box_id=election.box_id).order_by("tracker")
    page = Paginator(entries, per_page).get_page(page_number)
    found_entry = bulletin_find(election=election, tracker=tracker) if tracker.strip() else None
    return BulletinPage(
        page=page,
        ballots=[_published(e, labels) for e in page],
        found=_published(found_entry, labels) if found_entry else None,
        looked_for=tracker.strip().upper(),
    )


# --- The ballot -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotPage:
    election: Election
    candidates: list[Candidacy]
    you: VoterStatus

    @property
    def voting_open(self) -> bool:
        return self.election.status == ElectionStatus.VOTING

    @property
    def closed(self) -> bool:
        return self.election.status in (ElectionStatus.COUNTING, *_PUBLISHED)

    @property
    def may_vote(self) -> bool:
        """Whether the page offers a ballot: voting open, an elector, and not yet voted unless the
        constitution lets members change their vote."""
        return (
            self.voting_open
            and self.you.elector
            and (not self.you.voted or self.election.allow_revote)
            and bool(self.candidates)
        )


def ballot_page(*, election: Election, member: Member) -> BallotPage:
    """The candidates on the ballot, in ballot order, and whether the member may vote. Three queries."""
    return BallotPage(
        election=election,
        candidates=candidates_standing(election=election),
        you=voter_status(election=election, member=member),
    )
