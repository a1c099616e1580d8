"""The API's request and response schemas for recall."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class RecallOpenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    holder: str = Field(description="The membership number of the delegate or officer to recall.")
    council: str | None = Field(None, description="For a delegate: the code of the council they sit on.")
    body: str | None = Field(None, description="For an officer: the code of the body whose office it is.")
    office: str | None = Field(None, description="For an officer: the office's title.")
    grounds: str = Field("", max_length=4000, description="Why, in the petitioners' words.")


class RecallBallotIn(Schema):
    model_config = ConfigDict(extra="forbid")

    choice: Literal["yes", "no", "abstain"] = Field(description="yes: recall them; no: keep them.")


class RecallSeatOut(Schema):
    kind: Literal["delegate", "officer"]
    council: str | None
    constituency: str | None
    office: str | None
    body: str
    election: int = Field(description="The election whose electorate may recall the holder.")
    term_end: date


class RecallBallotOut(Schema):
    question: str
    opened_at: datetime
    closes_at: datetime
    closed: bool
    electorate: int
    majority: str
    yes: int | None = Field(description="Once counted; none while the ballot is open.")
    no: int | None
    abstain: int | None
    carried: bool | None
    explanation: str
    you_voted: bool


class RecallReplacementOut(Schema):
    method: str = Field(description="countback, by-election, by-election-seated, vacant, or blank.")
    member: str | None
    name: str | None
    by_election: int | None
    note: str
    countback: dict[str, Any] | None = Field(description="The countback's recount, stage by stage.")


class RecallPetitionOut(Schema):
    id: int
    holder: str
    holder_name: str
    seat: RecallSeatOut
    grounds: str
    status: str
    status_label: str
    opened_at: datetime
    deadline: datetime
    electorate: int
    threshold_percent: str
    signatures_required: int
    signatures: int
    procedure: str
    replacement_rule: str
    threshold_reached_at: datetime | None
    decided_at: datetime | None
    you_may_take_part: bool = Field(description="Whether you are in the electorate that may sign and vote.")
    you_signed: bool = Field(description="Whether you signed (only ever your own signature).")
    ballot: RecallBallotOut | None
    replacement: RecallReplacementOut | None


class RecallSummaryOut(Schema):
    id: int
    holder: str
    holder_name: str
    seat: RecallSeatOut
    status: str
    signatures: int
    signatures_required: int
    deadline: datetime


class RecallPaperEntryIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=40)
    answers: list[Literal["yes", "no", "void"]] = Field(
        min_length=1, max_length=1, description="What the teller read: yes, no, or void (unmarked, or both)."
    )
