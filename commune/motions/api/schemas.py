"""The API's request and response schemas for motions, votes, referrals and council sessions."""

from datetime import date, datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from commune.ballots.api import (
    PaperDisputeOut,
    ReconciliationOut,
)
from commune.motions.models import Motion


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class BodyRefOut(Schema):
    code: str
    name: str
    kind: str


class _MotionFields(Schema):
    id: int
    title: str
    text: str
    status: str
    body: BodyRefOut
    moved_by: str | None = Field(
        description="The mover's name; none for a motion forwarded from below or moved by right."
    )
    moved_on: str = Field(
        description="What moved it by a right the rules give when no member did (an applicant's appeal); "
        "empty otherwise."
    )
    moved_at: datetime
    constitutional: bool
    industrial_action: bool
    supporters: int
    forwarded_from_body: str | None


class MotionOut(_MotionFields):
    @staticmethod
    def resolve_moved_by(motion: Motion) -> str | None:
        return motion.moved_by.person.name if motion.moved_by else None

    @staticmethod
    def resolve_supporters(motion: Motion) -> int:
        return getattr(motion, "supporter_count", 0)

    @staticmethod
    def resolve_forwarded_from_body(motion: Motion) -> str | None:
        return motion.forwarded_from.body.code if motion.forwarded_from else None


class ProvenanceStepOut(Schema):
    motion: int
    body: BodyRefOut
    status: str
    moved_by: str | None
    forwarded_at: datetime | None
    forwarded_by: str
    adopted_by_vote: int | None
    result: str | None = Field(description="The adopting vote's figures.")


class DiffLineOut(Schema):
    op: Literal[" ", "-", "+"]
    text: str


class AmendmentOut(Schema):
    id: int
    proposed_by: str
    proposed_at: datetime
    text: str
    reason: str
    status: str
    diff: list[DiffLineOut] = Field(description="Line by line against the text it amends.")
    word_diff: str = Field(description="Removed words in [-…-], added words in {+…+}.")


class VoteOut(Schema):
    id: int
    body: BodyRefOut
    motion: int
    purpose: str
    mode: str
    question: str
    rule: dict[str, Any] = Field(description="The thresholds it must meet, fixed when it opened.")
    rule_in_words: list[str] = Field(description="The rule's thresholds, one plain sentence each.")
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    session: int | None
    electorate: int
    present: int | None
    yes: int | None = Field(description="Shown once the vote has closed.")
    no: int | None
    abstain: int | None
    carried: bool | None
    explanation: str


class ReferralOut(Schema):
    id: int
    kind: str
    council: BodyRefOut
    motion: int
    decided_by_vote: int
    opened_at: datetime
    closes_at: datetime
    rule: dict[str, Any] = Field(
        description="The thresholds the membership's aggregate must meet, fixed when the referral opened."
    )
    rule_in_words: list[str] = Field(description="The rule's thresholds, one plain sentence each.")
    closed_at: datetime | None
    carried: bool | None
    votes: list[VoteOut]
    summary: dict[str, Any] | None = Field(description="Aggregated across the bodies, once closed.")
    statutory_ballot: int | None = Field(None, description="The statutory ballot it is held as, if any.")


class MotionDetailOut(_MotionFields):
    original_text: str
    adopted_by_vote: int | None
    provenance: list[ProvenanceStepOut] = Field(description="From the body it was first moved in, upward.")
    amendments: list[AmendmentOut]
    votes: list[VoteOut]
    referrals: list[int]


class MoveIn(_Strict):
    title: str = Field(max_length=200)
    text: str = Field(max_length=20000)
    constitutional: bool = False
    industrial_action: bool = False


class AmendIn(_Strict):
    text: str = Field(max_length=20000, description="The whole motion as amended.")
    reason: str = Field("", max_length=2000)


class PutIn(_Strict):
    minutes: int = Field(60 * 24, ge=1, le=60 * 24 * 60, description="How long voting stays open.")
    session: int | None = Field(None, description="For a council: the session it votes in.")


class StatutoryIn(_Strict):
    strike: bool = Field(True, description="Ask: are you prepared to take part in a strike?")
    short_of_strike: bool = Field(False, description="Ask: … in industrial action short of a strike?")
    employer: str = Field(max_length=200, description="Whom the notice of the result goes to.")
    employer_email: str = Field("", max_length=254)
    scrutineer_email: str = Field(max_length=254, description="The independent scrutineer's account.")
    tellers: list[str] = Field(min_length=3, max_length=50, description="Membership numbers, three or more.")
    return_instructions: str = Field("", max_length=600)
    opens_on: date | None = Field(
        None,
        description="The day the ballot opens: it then waits for the employer's notice of the ballot (s.226A) "
        "and opens on that day at the earliest, and on the seventh day after the notice. Leave out to open "
        "at once.",
    )


class ReferIn(_Strict):
    session: int = Field(description="The council's session that votes on referring it.")
    to: Literal["assemblies", "referendum"]
    minutes: int = Field(60, ge=1, le=60 * 24, description="How long the council's vote stays open.")
    referral_days: int = Field(14, ge=1, le=90, description="How long the membership has to decide.")
    statutory: StatutoryIn | None = Field(
        None, description="Hold the referendum as a statutory industrial-action ballot on these terms."
    )


class CastIn(_Strict):
    choice: Literal["yes", "no", "abstain"]
    reason: str = Field("", max_length=2000, description="Required to depart from an instructed mandate.")


class SeatVoteOut(Schema):
    constituency: str
    delegate: str
    cast_by: str
    as_alternate: bool
    choice: str
    weight: int
    mandate_kind: str
    mandate_instruction: str
    departed: bool
    departure_reason: str


class MemberChoiceOut(Schema):
    member: str
    choice: str


class VoteDetailOut(VoteOut):
    seats: list[SeatVoteOut] = Field(description="Councils: every seat's recorded vote.")
    members: list[MemberChoiceOut] = Field(description="Open assembly votes: every member's vote.")


class CastOut(Schema):
    vote: int
    choice: str
    secret: bool
    departed: bool = False


class SessionIn(_Strict):
    title: str = Field("", max_length=200)
    starts_at: datetime | None = Field(
        None,
        description="When the session sits (with a time zone). By default, and at the earliest, once the "
        "constitution's notice (sessions.notice_hours) has passed since it is called.",
    )

    @field_validator("starts_at")
    @classmethod
    def _zoned(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(_("give the time zone of the start, e.g. 2030-05-01T18:00:00+01:00"))
        return value


class SessionOut(Schema):
    id: int
    council: BodyRefOut
    title: str
    opened_at: datetime = Field(description="When it was called.")
    starts_at: datetime = Field(description="When it sits: the roll opens then.")
    notice_hours: int = Field(description="The notice the constitution required when it was called.")
    opened_by: str
    closed_at: datetime | None


class RollEntryOut(Schema):
    constituency: str
    delegate: str
    attended_by: str
    as_alternate: bool
    alternate_source: str
    weight: int


class SessionVoteOut(VoteOut):
    seats: list[SeatVoteOut]


class SessionDetailOut(SessionOut):
    roll: list[RollEntryOut]
    votes: list[SessionVoteOut]


class MotionsFilter(Schema):
    status: str | None = None


class StatutoryOut(Schema):
    id: int
    referral: int
    votes: list[int]
    employer: str
    scrutineer: str
    important_public_services: bool
    notice_sent_at: datetime | None
    notice: dict[str, Any]


class ScrutinyOut(Schema):
    ballot: int
    scrutineer: str
    reconciliation: ReconciliationOut
    disputes: list[PaperDisputeOut]
    notice: dict[str, Any]
    findings: list[str]
