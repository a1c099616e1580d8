"""The constitution as validated data.

An organisation's rules are stored as JSON (``ConstitutionVersion.rules``) and always pass through
``Rules`` on the way in, so an invalid rule book can never be adopted. Fractions are strings such as
``"2/3"`` so they stay exact; percentages are whole or decimal numbers of per cent.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from commune.federation.errors import ConstitutionError as ConstitutionError  # imported from here too

ElectionMethod = Literal["scottish-stv", "meek-stv", "wigm-stv", "irv", "schulze", "approval", "plurality"]


def _fraction(value: str) -> str:
    try:
        parsed = Fraction(value)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(_("%(value)r is not a fraction such as '1/2' or '2/3'") % {"value": value}) from exc
    if not 0 < parsed <= 1:
        raise ValueError(_("%(value)r must be more than 0 and at most 1") % {"value": value})
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
    caretaker_days: int = Field(
        0,
        ge=0,
        le=180,
        description="How long a holder stays on after their term ends if no successor is elected.",
    )
    pay_cap_multiple: Decimal = Field(Decimal(1), ge=1, le=10, description="Of the members' median wage.")
    wage_bands_body: str = Field(
        "",
        max_length=40,
        pattern=r"^[A-Za-z0-9_.-]*$",
        description="The code of the body whose adopted motion sets the wage bands the pay cap is computed "
        "from; blank: the organisation's highest council.",
    )


#: How a power is named: lower-case words joined by hyphens ("book-venues").
POWER_NAME = re.compile(r"^[a-z][a-z0-9-]{1,59}$")
POWER_DESCRIPTION_MAX = 300

#: The powers a council may delegate when the constitution says nothing else: those a strike committee or
#: a campaign's executive needs, each with what it lets the executive do, in words members read.
DEFAULT_DELEGABLE_POWERS: dict[str, str] = {
    "book-venues": "book halls and rooms for meetings, rallies and events",
    "print-leaflets": "print and distribute leaflets, posters and newsletters",
    "publish-statements": "publish statements on questions the council has already decided",
    "organise-pickets": "organise picket lines and rotas for action the organisation has called",
    "pay-strike-pay": "pay strike pay from the strike fund to those taking part in action the organisation "
    "has called",
    "make-hardship-grants": "make grants from the hardship fund to those in hardship",
    "manage-fund-account": "keep the strike fund's bank account: take in donations and make the payments "
    "already decided",
    "call-action": "call the action its council or the membership has already voted for, with its dates and "
    "demands, citing that vote",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# What no council can delegate, whatever a power is called. The constitution is changed only by a
# referendum of the membership, so this is a second line of defence against a list that words such a power
# innocently: a power whose name or description says any of these is refused. Each entry is (why, verbs,
# objects): the power says one of the verbs together with one of the objects, or, when there are no objects,
# any of the verbs at all. A legitimate power this catches is reworded, never admitted.
UNDELEGABLE: tuple[tuple[str | Promise, frozenset[str], frozenset[str]], ...] = (
    (
        gettext_lazy(
            "every seat and office is filled, suspended and emptied only by its constituency's election and recall"
        ),
        _words(
            "appoint appoints appointed appointment appointments coopt unseat suspend suspends suspension "
            "dismiss dismissal depose impeach credential credentials candidate candidates candidacy"
        ),
        _words(""),
    ),
    (
        gettext_lazy(
            "every seat and office is filled, suspended and emptied only by its constituency's election and recall"
        ),
        _words(
            "fill fills remove removes removal replace replaces elect elects nominate nominates install sack "
            "fire discipline recall recalls vacate choose select designate impose strike abolish create"
        ),
        _words(
            "seat seats office offices officer officers delegate delegates delegation post posts position "
            "positions secretary chair treasurer president alternate alternates representative "
            "representatives"
        ),
    ),
    (
        gettext_lazy("pay is set only within the constitution's cap, by the body and vote it names"),
        _words(
            "set sets fix fixes raise raises increase increases cut cuts reduce reduces determine determines "
            "decide decides change changes adjust adjusts award awards vary varies review"
        ),
        _words(
            "pay salary salaries wage wages allowance allowances remuneration stipend stipends honorarium "
            "honoraria bonus bonuses"
        ),
    ),
    (
        gettext_lazy("pay is set only within the constitution's cap, by the body and vote it names"),
        _words("officer officers delegate delegates staff"),
        _words("pay salary salaries wage wages allowance allowances remuneration stipend"),
    ),
    (
        gettext_lazy("only a council creates or dissolves a body, by its own vote"),
        _words(
            "create creates establish establishes form forms found founds charter constitute set dissolve "
            "dissolves abolish abolishes merge merges"
        ),
        _words(
            "body bodies commission commissions committee committees subcommittee subcommittees executive "
            "executives council councils unit units branch branches"
        ),
    ),
    (
        gettext_lazy("nothing overrules a council but its own vote"),
        _words("overrule overrules override overrides overturn overturns veto vetoes countermand supersede"),
        _words(""),
    ),
    (
        gettext_lazy("nothing overrules a council but its own vote"),
        _words("reverse reverses annul annuls rescind rescinds quash quashes nullify bypass ignore"),
        _words("council councils congress assembly assemblies vote votes decision decisions"),
    ),
    (
        gettext_lazy("members are admitted and expelled only under the membership's own rules"),
        _words("expel expels expulsion expulsions admit admits admission admissions disaffiliate"),
        _words(""),
    ),
    (
        gettext_lazy("members are admitted and expelled only under the membership's own rules"),
        _words("lapse lapses remove removes exclude excludes enrol enrols enroll readmit discipline"),
        _words("member members membership memberships roll rolls"),
    ),
    (
        gettext_lazy("a tendency belongs to its members alone"),
        _words("tendency tendencies faction factions ban bans proscribe proscribes"),
        _words(""),
    ),
    (
        gettext_lazy("the rules change only by a referendum of the membership"),
        _words("amend amends amendment amendments constitution constitutional"),
        _words(""),
    ),
    (
        gettext_lazy("the rules change only by a referendum of the membership"),
        _words(
            "change changes alter alters rewrite rewrites set sets make waive waives interpret revise "
            "repeal adopt"
        ),
        _words("rule rules statute statutes bylaw bylaws"),
    ),
    (
        gettext_lazy("a council delegates stated powers, never power in general"),
        _words("all any every unlimited plenary full general emergency residual unrestricted absolute"),
        _words("power powers authority"),
    ),
)


def power_undelegable_reason(name: str, description: str = "") -> str | None:
    """Why no council could delegate a power so named or described, or ``None`` if its words say nothing
    that belongs to the members alone. A keyword check, and so a second line of defence only."""
    words = set(re.findall(r"[a-z]+", f"{name} {description}".lower()))
    for reason, verbs, objects in UNDELEGABLE:
        if words & verbs and (not objects or words & objects):
            return str(reason)
    return None


class ExecutiveRules(_Strict):
    delegable_powers: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_DELEGABLE_POWERS),
        description="The only powers a council may delegate to an executive, commission or officers' body, "
        "each with what it lets them do.",
    )
    call_in_percent: Decimal = Field(
        Decimal(25),
        gt=0,
        le=100,
        description="Share of a council's seated delegates whose call-in puts an executive decision to the "
        "council's vote.",
    )

    @field_validator("delegable_powers")
    @classmethod
    def _delegable(cls, powers: dict[str, str]) -> dict[str, str]:
        problems = []
        for name, description in powers.items():
            if not POWER_NAME.match(name):
                problems.append(
                    _("%(name)r is not a power name (lower-case words joined by hyphens)") % {"name": name}
                )
            elif not description.strip() or len(description) > POWER_DESCRIPTION_MAX:
                problems.append(
                    _("%(name)r needs a description of at most %(max)d characters")
                    % {"name": name, "max": POWER_DESCRIPTION_MAX}
                )
            elif (reason := power_undelegable_reason(name, description)) is not None:
                problems.append(
                    _("%(name)r cannot be delegated, whatever it is called: %(reason)s")
                    % {"name": name, "reason": reason}
                )
        if problems:
            raise ValueError("; ".join(problems))
        return {name: description.strip() for name, description in powers.items()}


class BallotRules(_Strict):
    member_votes_secret: bool = True
    council_votes_open: bool = True


class SessionRules(_Strict):
    """The standing orders of councils and assemblies: the notice a sitting needs, the seats that make it
    quorate, and how long a vote stays open at the least."""

    notice_hours: int = Field(
        48,
        ge=0,
        le=24 * 60,
        description="Hours between calling a council session and its start, at the least.",
    )
    quorum_percent: Decimal = Field(
        Decimal(50),
        gt=0,
        le=100,
        description="Share of a council's seats (by weight where votes are weighted) that must be on the roll "
        "when a vote opens and when it closes.",
    )
    minimum_vote_minutes: int = Field(
        10,
        ge=1,
        le=7 * 24 * 60,
        description="Minutes a vote stays open at the least, however fast it is cast.",
    )
    speech_minutes: int = Field(
        3,
        ge=1,
        le=60,
        description="Minutes a speaker has in a council meeting before the chair may call the next.",
    )


class RollRules(_Strict):
    second_officer_lapse_percent: Decimal = Field(
        Decimal(10),
        ge=0,
        le=100,
        description="A roll import lapsing more than this share of a unit's members needs a second officer.",
    )


class AccountRules(_Strict):
    officers_two_factor: bool = Field(
        False,
        description="Holders of an office must sign in with a second factor (a code from an authenticator "
        "app) before any organisation page opens to them.",
    )


class MembershipRules(_Strict):
    admission: Literal["officer", "assembly", "automatic"] = Field(
        "officer",
        description="officer: an officer of the unit who keeps its roll admits or refuses each application; "
        "assembly: the unit's general assembly decides each one by its vote on a motion to admit; "
        "automatic: an application is admitted as soon as the applicant confirms their email address.",
    )


class PledgeRules(_Strict):
    """Conditional pledges (``commune.pledges``): who launches a campaign, who sees its counts, and below
    what figure a count is never shown, so that no count singles out a member of a small unit."""

    launched_by: Literal["decision", "decision-or-officers"] = Field(
        "decision",
        description="decision: a campaign is launched only on a motion adopted by the council or the unit's "
        "assembly over which it runs; decision-or-officers: an officer of that body may launch one too.",
    )
    counts_visible_to: Literal["organisation", "scope", "unit"] = Field(
        "scope",
        description="organisation: every member sees each unit's count; scope: the members of the units a "
        "campaign covers do; unit: each member sees their own unit's count (and, for every unit, only "
        "whether its condition was met).",
    )
    disclosure_threshold: int = Field(
        5,
        ge=2,
        le=100,
        description="A unit's count is shown only when at least this many have pledged and at least this "
        "many have not; otherwise it reads 'fewer than N' (or 'all but fewer than N').",
    )
    max_days: int = Field(90, ge=1, le=365, description="The longest a campaign may take pledges.")


class StructureRules(_Strict):
    referendum_required: bool = Field(
        False,
        description="A structural change (a unit added, merged, split, moved or dissolved) is made only when "
        "the members within the deciding council's reach carry it by referendum, not by the council's vote "
        "alone.",
    )


class ActionRules(_Strict):
    federation_wide_body: str = Field(
        "",
        max_length=40,
        pattern=r"^[A-Za-z0-9_.-]*$",
        description="The code of the only body (or its executive holding the power to call action) that may "
        "call action across the whole federation; blank: the organisation's highest council.",
    )


DuesBasis = Literal["none", "flat", "wage-band", "percent"]


class DuesRules(_Strict):
    """Members' dues, what good standing means, whether voting needs it, and lapsing for arrears.

    A month's dues are reckoned at the rate of the version in force on its first day; they fall due on its
    last day. Amounts are per month, in the organisation's currency."""

    basis: DuesBasis = Field(
        "none",
        description="none: no dues; flat: one monthly amount; wage-band: an amount for each wage band; "
        "percent: a share of the weekly wage of the member's band, reckoned by the month.",
    )
    flat_monthly: Decimal = Field(
        Decimal(0),
        ge=0,
        le=100000,
        decimal_places=2,
        description="The monthly amount (flat), or what a member pays whose band has no amount of its own.",
    )
    band_monthly: dict[str, Decimal] = Field(
        default_factory=dict, description="Wage band code → monthly amount (wage-band)."
    )
    percent_of_wage: Decimal = Field(
        Decimal(0), ge=0, le=20, description="Per cent of the band's wage (percent)."
    )
    good_standing_months: int = Field(
        3,
        ge=0,
        le=36,
        description="A member is in good standing while no more than this many months' dues are unpaid.",
    )
    voting_requires_good_standing: bool = Field(
        False,
        description="Only members in good standing when a vote, election or petition opens are in its "
        "electorate.",
    )
    lapse_after_months: int = Field(
        0,
        ge=0,
        le=60,
        description="A member this many months in arrears is sent notice, and lapses if still so when the "
        "notice runs out; 0: nobody lapses for arrears.",
    )
    lapse_notice_days: int = Field(
        28, ge=7, le=365, description="Days between the notice of lapsing and the lapse."
    )

    @field_validator("band_monthly")
    @classmethod
    def _bands(cls, amounts: dict[str, Decimal]) -> dict[str, Decimal]:
        problems = [
            _("%(band)r: a band's code is 1 to 40 characters, without a full stop") % {"band": band}
            for band in amounts
            if not 0 < len(band.strip()) <= 40 or "." in band
        ] + [
            _("%(band)r: %(amount)s is not an amount of money of at least 0 with at most two decimals")
            % {"band": band, "amount": amount}
            for band, amount in amounts.items()
            if amount < 0 or amount > 100000 or amount != amount.quantize(Decimal("0.01"))
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return amounts

    @model_validator(mode="after")
    def _coherent(self) -> DuesRules:
        if self.lapse_after_months and self.lapse_after_months <= self.good_standing_months:
            raise ValueError(
                _(
                    "a member can lapse for arrears only after falling out of good standing: lapse_after_months "
                    "must be more than good_standing_months (or 0)"
                )
            )
        return self


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
    accounts: AccountRules = AccountRules()
    sessions: SessionRules = SessionRules()
    membership: MembershipRules = MembershipRules()
    pledges: PledgeRules = PledgeRules()
    structure: StructureRules = StructureRules()
    actions: ActionRules = ActionRules()
    dues: DuesRules = DuesRules()

    @model_validator(mode="after")
    def _coherent(self) -> Rules:
        if Fraction(self.decisions.constitutional_majority) < Fraction(self.decisions.ordinary_majority):
            raise ValueError(_("the constitutional majority cannot be lower than the ordinary majority"))
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
        raise ConstitutionError(_("invalid constitution: %(problems)s") % {"problems": problems}) from exc
