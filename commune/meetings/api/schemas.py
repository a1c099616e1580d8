"""The meetings API's request and response schemas."""

# No postponed annotations here: ninja reads the endpoints' parameter types at runtime.

from datetime import datetime

from ninja import Field, Schema


class PersonOut(Schema):
    name: str
    number: str


class ItemOut(Schema):
    position: int | None = Field(description="Its place on the agenda once built; none in a draft.")
    kind: str = Field(description="motion, election, report or other (any other business).")
    title: str
    ref: int | None = Field(description="The motion's, election's or executive's id.")


class SpeechOut(Schema):
    person: PersonOut
    kind: str = Field(description="order, information, for or against.")
    started_at: datetime | None
    ends_at: datetime | None = Field(description="When the speaker's time (sessions.speech_minutes) is up.")


class RollOut(Schema):
    constituency: str
    person: PersonOut
    as_alternate: bool
    weight: int


class QuorumOut(Schema):
    present: int
    seats: int
    percent: str
    met: bool


class ChairOut(Schema):
    person: PersonOut | None
    elected: bool = Field(description="False while the delegate who called the session chairs.")
    votes: list[tuple[PersonOut, int]] = Field(description="This round's votes for the chair, by weight.")


class RulingOut(Schema):
    id: int
    text: str
    ruled_by: PersonOut
    challenged_by: PersonOut | None
    outcome: str = Field(
        description="Empty while it stands unchallenged or the meeting votes; upheld or overruled."
    )
    overrule: int = Field(description="Weight of the seats on the roll that voted to overrule it.")
    uphold: int = Field(description="Weight of the seats on the roll that voted to uphold it.")


class RollCallEntryOut(Schema):
    constituency: str
    person: PersonOut = Field(description="Who cast the seat's vote: its delegate or the alternate.")
    choice: str
    weight: int
    as_alternate: bool
    by_hand: bool = Field(description="Counted by the tellers (two agreeing counts), not cast on a device.")
    departed: bool = Field(description="Departed from the constituency's instructed mandate.")
    reason: str


class MeetingVoteOut(Schema):
    id: int
    question: str
    mode: str = Field(description="council (open, weighted, on the record) or secret (in the ballot box).")
    open: bool
    closes_at: datetime
    turnout: int = Field(description="How many have voted, while it is open (never how).")
    electorate: int
    rule: list[str] = Field(description="The thresholds fixed when it opened, one sentence each.")
    count_waiting_by: PersonOut | None = Field(
        description="The teller whose count of hands waits for a second teller's."
    )
    carried: bool | None
    yes: int
    no: int
    abstain: int
    present: int | None
    explanation: str
    roll_call: list[RollCallEntryOut] = Field(description="Each seat's vote, once the vote has closed.")


class MeetingOut(Schema):
    session: int
    title: str
    sitting: bool
    chair: ChairOut
    agenda_built: bool = Field(
        description="False while the agenda shown is the draft the business makes now."
    )
    agenda: list[ItemOut]
    floor: ItemOut | None
    speaking: SpeechOut | None
    queue: list[SpeechOut]
    roll: list[RollOut]
    quorum: QuorumOut
    tellers: list[PersonOut]
    rulings: list[RulingOut]
    vote: MeetingVoteOut | None = Field(description="The meeting's open vote, or else its last.")


class TextIn(Schema):
    text: str = Field(max_length=500, description="What the chair rules.")


class OverruleIn(Schema):
    overrule: bool = Field(description="True to overrule the chair's ruling, false to uphold it.")


class KindIn(Schema):
    kind: str = Field(description="for, against, order (a point of order) or information.")


class PositionIn(Schema):
    position: int = Field(description="The item's place on the agenda.")


class VoteMinutesIn(Schema):
    minutes: int | None = Field(
        None, description="How long the vote may stay open at most (30 unless given); the chair closes it."
    )


class MeetingCastIn(Schema):
    choice: str = Field(description="yes, no or abstain.")
    reason: str = Field("", max_length=2000, description="Why, when departing from an instructed mandate.")


class HandCountIn(Schema):
    yes: list[str] = Field(default_factory=list, description="Membership numbers of the hands for.")
    no: list[str] = Field(default_factory=list, description="Membership numbers of the hands against.")
    abstain: list[str] = Field(default_factory=list, description="Membership numbers of those abstaining.")


class MemberIn(Schema):
    member: str = Field(description="The person's membership number.")
