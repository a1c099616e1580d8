"""The constitution as validated data.

An organisation's rules are stored as JSON (``ConstitutionVersion.rules``) and always pass through
``Rules`` on the way in, so an invalid rule book can never be adopted. Fractions are strings such as
``"2/3"`` so they stay exact; percentages are whole or decimal numbers of per cent.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ElectionMethod = Literal["scottish-stv", "meek-stv", "wigm-stv", "irv", "schulze", "approval", "plurality"]


class ConstitutionError(ValueError):
    """The proposed rules are not valid; the message lists every problem."""


def _fraction(value: str) -> str:
    try:
        parsed = Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"{value!r} is not a fraction such as '1/2' or '2/3'") from exc
    if not 0 < parsed <= 1:
        raise ValueError(f"{value!r} must be more than 0 and at most 1")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ElectionRules(_Strict):
    delegate_method: ElectionMethod = "scottish-stv"
    single_seat_method: ElectionMethod = "irv"
    officer_method: ElectionMethod = "irv"
    seconders_required: int = Field(0, ge=0, le=50)
    allow_revote: bool = True
    electorate: Literal["direct", "indirect"] = Field(
        "direct",
        description="direct: all members within a constituency elect its delegates; "
        "indirect: the delegates of the body below elect them.",
    )
    weighted_council_votes: bool = False


class DecisionRules(_Strict):
    quorum_percent: Decimal = Field(Decimal(10), ge=0, le=100)
    quorum_of: Literal["electorate", "present"] = "electorate"
    ordinary_majority: str = "1/2"
    constitutional_majority: str = "2/3"
    referendum_turnout_percent: Decimal = Field(Decimal(0), ge=0, le=100)
    industrial_action_preset: Literal["none", "tua-2016", "tua-2016-important-public-services"] = "tua-2016"
    motion_supporters: int = Field(
        1, ge=0, le=100, description="Members besides the mover who must support a motion to list it."
    )

    _check_fractions = field_validator("ordinary_majority", "constitutional_majority")(_fraction)


class RecallRules(_Strict):
    petition_threshold_percent: Decimal = Field(Decimal(25), gt=0, le=100)
    petition_window_days: int = Field(30, ge=1, le=365)
    procedure: Literal["immediate", "recall-ballot"] = "recall-ballot"
    recall_ballot_majority: str = "1/2"
    replacement: Literal["countback", "by-election"] = "countback"

    _check_fraction = field_validator("recall_ballot_majority")(_fraction)


class OfficeRules(_Strict):
    term_months: int = Field(12, ge=1, le=60)
    max_consecutive_terms: int = Field(3, ge=1, le=20)
    pay_cap_multiple: Decimal = Field(Decimal(1), ge=1, le=10, description="Of the members' median wage.")


class ExecutiveRules(_Strict):
    call_in_percent: Decimal = Field(
        Decimal(25),
        gt=0,
        le=100,
        description="Share of a council's seated delegates whose call-in puts an executive decision to the "
        "council's vote.",
    )


class BallotRules(_Strict):
    member_votes_secret: bool = True
    council_votes_open: bool = True


class RollRules(_Strict):
    second_officer_lapse_percent: Decimal = Field(
        Decimal(10),
        ge=0,
        le=100,
        description="A roll import lapsing more than this share of a unit's members needs a second officer.",
    )


class Rules(_Strict):
    """A whole constitution."""

    preamble: str = ""
    elections: ElectionRules = ElectionRules()
    decisions: DecisionRules = DecisionRules()
    recall: RecallRules = RecallRules()
    offices: OfficeRules = OfficeRules()
    ballots: BallotRules = BallotRules()
    executives: ExecutiveRules = ExecutiveRules()
    roll: RollRules = RollRules()

    @model_validator(mode="after")
    def _coherent(self) -> Rules:
        if Fraction(self.decisions.constitutional_majority) < Fraction(self.decisions.ordinary_majority):
            raise ValueError("the constitutional majority cannot be lower than the ordinary majority")
        return self


DEFAULT_RULES: dict[str, Any] = Rules().model_dump(mode="json")


def rules_validate(data: dict[str, Any]) -> Rules:
    """Parse and check rules, raising ``ConstitutionError`` naming every invalid field."""
    try:
        return Rules.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'constitution'}: {err['msg']}" for err in exc.errors()
        )
        raise ConstitutionError(f"invalid constitution: {problems}") from exc
