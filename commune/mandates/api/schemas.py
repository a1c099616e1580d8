"""The API's request and response schemas for mandates and compliance records."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class MandateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    constituency: str = Field(description="The code of the body whose delegates the mandate instructs.")
    kind: Literal["binding", "instructed", "free"]
    instruction: Literal["yes", "no", "abstain", ""] = ""
    note: str = Field("", max_length=2000)
    minutes: int = Field(60 * 24, ge=1, le=60 * 24 * 60, description="How long the constituency votes.")
    session: int | None = Field(None, description="For a council constituency: the session it votes in.")


class MandateOut(Schema):
    id: int
    constituency: str
    council: str
    motion: int
    motion_title: str
    kind: str
    instruction: str
    note: str
    proposed_by: str
    proposed_at: datetime
    status: str
    vote: int = Field(description="The constituency's vote that decides it.")
    decided_at: datetime | None


class ComplianceRowOut(Schema):
    vote: int
    question: str
    motion: int
    motion_title: str
    council: str
    constituency: str
    session: int | None
    cast_at: datetime
    choice: str
    cast_by: str
    as_alternate: bool
    mandate_kind: str = Field(description="binding, instructed, free, or blank when none was given.")
    mandate_instruction: str
    compliance: Literal["complied", "departed", "free", "no mandate"]
    departure_reason: str


class ComplianceOut(Schema):
    member: str
    name: str
    votes: int
    departures: int
    record: list[ComplianceRowOut]
