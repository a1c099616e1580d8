"""The constitution in plain words: each rule's name and its values as members read them, and the counting
methods it names. The constitution page, the amendment pages and the motions that propose amendments all
say a rule this way; the API and the stored rules keep the keys and codes.

Each lookup falls back to something readable rather than failing, so a rule or value from a newer release is
still shown; ``tests/federation/test_constitution_words.py`` checks that every rule and code the
constitution knows today has its words.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, cast

from django.utils.translation import gettext, gettext_lazy


def _(message: str) -> str:
    """``message`` marked for translation and said in the language active wherever it is read (a lazy
    string, typed as the ``str`` it behaves as, so the tables below keep their types for every reader)."""
    return cast(str, gettext_lazy(message))


#: Counting methods (``Election.method``, the constitution's ``*_method`` rules).
ELECTION_METHODS: dict[str, str] = {
    "scottish-stv": _("the single transferable vote (Scottish rules)"),
    "meek-stv": _("the single transferable vote (Meek's method)"),
    "wigm-stv": _("the single transferable vote (weighted inclusive Gregory method)"),
    "irv": _("the instant-runoff vote"),
    "schulze": _("the Schulze method"),
    "approval": _("approval voting"),
    "plurality": _("plurality (first past the post)"),
}

#: The powers a constitution lists when it says nothing else (``DEFAULT_DELEGABLE_POWERS``), as they follow
#: "the power to" in the reader's language. A power a constitution names otherwise is read from its name.
POWER_WORDS: dict[str, str] = {
    "book-venues": _("book venues"),
    "print-leaflets": _("print leaflets"),
    "publish-statements": _("publish statements"),
    "organise-pickets": _("organise pickets"),
    "pay-strike-pay": _("pay strike pay"),
    "make-hardship-grants": _("make hardship grants"),
    "manage-fund-account": _("manage fund account"),
    "call-action": _("call action"),
}

#: Each rule of the constitution, by its key, as a short name (a table's row, a form's choice).
RULE_LABELS: dict[str, str] = {
    "preamble": _("Preamble"),
    "elections.delegate_method": _("Method for electing delegates"),
    "elections.single_seat_method": _("Method for single-seat elections"),
    "elections.officer_method": _("Method for electing officers"),
    "elections.seconders_required": _("Seconders a candidate needs"),
    "elections.allow_revote": _("Members may change their vote"),
    "elections.electorate": _("Who elects delegates"),
    "elections.weighted_council_votes": _("Council votes weighted by membership"),
    "decisions.quorum_percent": _("Quorum (per cent)"),
    "decisions.quorum_of": _("Quorum counted of"),
    "decisions.ordinary_majority": _("Ordinary majority"),
    "decisions.constitutional_majority": _("Constitutional majority"),
    "decisions.referendum_turnout_percent": _("Minimum referendum turnout (per cent)"),
    "decisions.industrial_action_preset": _("Industrial action ballot thresholds"),
    "decisions.motion_supporters": _("Supporters a motion needs to reach the agenda"),
    "recall.petition_threshold_percent": _("Recall petition threshold (per cent)"),
    "recall.petition_window_days": _("Days to gather a recall petition"),
    "recall.procedure": _("Recall procedure"),
    "recall.recall_ballot_majority": _("Majority in a recall ballot"),
    "recall.replacement": _("Replacing a recalled delegate"),
    "offices.term_months": _("Term of office (months)"),
    "offices.max_consecutive_terms": _("Most consecutive terms"),
    "offices.caretaker_days": _("Days a holder may stay on as caretaker after their term"),
    "offices.pay_cap_multiple": _("Officers' pay cap (× median wage)"),
    "offices.wage_bands_body": _("Body whose vote sets the wage bands the pay cap is computed from"),
    "ballots.member_votes_secret": _("Members' votes are secret"),
    "ballots.council_votes_open": _("Delegates' council votes are open"),
    "roll.second_officer_lapse_percent": _("Share of a unit one roll officer may lapse alone (per cent)"),
    "sessions.notice_hours": _("Notice of a council session (hours)"),
    "sessions.quorum_percent": _("Seats on the roll for a council vote to open and to carry (per cent)"),
    "sessions.minimum_vote_minutes": _("Shortest time a vote stays open (minutes)"),
    "sessions.speech_minutes": _("Time each speaker has in a council meeting (minutes)"),
    "executives.call_in_percent": _(
        "Delegates who can call in an executive's decision (per cent of the council)"
    ),
    "executives.delegable_powers": _("Powers a council may delegate to an executive"),
    "accounts.officers_two_factor": _("Officers must sign in with a second factor (a code from an app)"),
    "membership.admission": _("Who admits a new member"),
    "pledges.launched_by": _("Who may launch a pledge campaign"),
    "pledges.counts_visible_to": _("Who sees each unit's pledge count"),
    "pledges.disclosure_threshold": _(
        "Smallest pledge count shown (and smallest count of those who have not)"
    ),
    "pledges.max_days": _("Longest a pledge campaign may run (days)"),
    "structure.referendum_required": _("Units added, merged, split, moved or dissolved only by referendum"),
    "actions.federation_wide_body": _("Body that may call action across the whole federation"),
    "dues.basis": _("How dues are set"),
    "dues.flat_monthly": _("Monthly dues (flat, or for a band with no amount of its own)"),
    "dues.band_monthly": _("Monthly dues by wage band"),
    "dues.percent_of_wage": _("Dues as a share of the band's wage (per cent)"),
    "dues.good_standing_months": _("Months of unpaid dues a member in good standing may have"),
    "dues.voting_requires_good_standing": _("Only members in good standing vote"),
    "dues.lapse_after_months": _(
        "Months in arrears after which a member is given notice of lapsing (0: never)"
    ),
    "dues.lapse_notice_days": _("Days of notice before a member lapses for arrears"),
}

#: The rule whose value is a list of powers, each a name with its description; a change to one power reads
#: as a change to a rule of its own ("Power a council may delegate: to book venues").
DELEGABLE_POWERS = "executives.delegable_powers"
#: The rule whose value is a monthly amount for each wage band; a change to one band reads as its own rule.
BAND_DUES = "dues.band_monthly"

FRACTION_WORDS = {
    Fraction(1, 2): _("one half"),
    Fraction(2, 3): _("two thirds"),
    Fraction(3, 4): _("three quarters"),
    Fraction(3, 5): _("three fifths"),
    Fraction(1, 3): _("one third"),
    Fraction(1, 4): _("one quarter"),
    Fraction(1, 1): _("all"),
}

INDUSTRIAL_ACTION_PRESETS = {
    "none": _("the ordinary rules"),
    "tua-2016": _("the Trade Union Act 2016"),
    "tua-2016-important-public-services": _("the Trade Union Act 2016 for important public services"),
}

#: The value of a rule that is one of a few codes, by the rule's key.
RULE_CHOICES: dict[str, Mapping[str, str]] = {
    "elections.delegate_method": ELECTION_METHODS,
    "elections.single_seat_method": ELECTION_METHODS,
    "elections.officer_method": ELECTION_METHODS,
    "elections.electorate": {
        "direct": _("all the members of the constituency"),
        "indirect": _("the delegates of the body below"),
    },
    "decisions.quorum_of": {"electorate": _("those entitled to vote"), "present": _("those present")},
    "decisions.industrial_action_preset": INDUSTRIAL_ACTION_PRESETS,
    "recall.procedure": {"immediate": _("removal at the threshold"), "recall-ballot": _("a recall ballot")},
    "recall.replacement": {
        "countback": _("countback of the original ballots"),
        "by-election": _("a by-election"),
    },
    "membership.admission": {
        "officer": _("an officer of the unit who keeps its roll"),
        "assembly": _("the unit's general assembly, by its vote"),
        "automatic": _("nobody: an applicant is admitted on confirming their email address"),
    },
    "pledges.launched_by": {
        "decision": _("the council or unit assembly it covers, by an adopted motion"),
        "decision-or-officers": _(
            "the council or unit assembly it covers, by an adopted motion, or an officer of that body"
        ),
    },
    "pledges.counts_visible_to": {
        "organisation": _("every member"),
        "scope": _("the members of the units the campaign covers"),
        "unit": _("each unit's own members"),
    },
    "dues.basis": {
        "none": _("no dues"),
        "flat": _("one monthly amount for every member"),
        "wage-band": _("a monthly amount for each wage band"),
        "percent": _("a share of the wage of the member's band"),
    },
}
FRACTION_RULES = {
    "decisions.ordinary_majority",
    "decisions.constitutional_majority",
    "recall.recall_ballot_majority",
}


def method_words(method: str) -> str:
    return str(ELECTION_METHODS.get(method, method))


def power_label(power: str) -> str:
    """A power as members read it after "the power to", in their language: ``pay-strike-pay`` is "pay strike
    pay" ("pagar la paga de huelga"); a power this release does not know is read from its name."""
    return str(POWER_WORDS.get(power) or power.replace("-", " "))


def powers_label(powers: list[str]) -> str:
    """A charter's powers in one phrase in the reader's language: "to pay strike pay, to make hardship grants
    and to manage fund account"."""
    said = [gettext("to %(power)s") % {"power": power_label(p)} for p in powers]
    if len(said) < 2:
        return "".join(said)
    return gettext("%(first)s and %(last)s") % {"first": ", ".join(said[:-1]), "last": said[-1]}


def rule_label(key: str) -> str:
    """A rule's short name; a rule this release does not know is named from its key."""
    if key.startswith(f"{DELEGABLE_POWERS}."):
        return gettext("Power a council may delegate: to %(power)s") % {
            "power": power_label(key.removeprefix(f"{DELEGABLE_POWERS}."))
        }
    if key.startswith(f"{BAND_DUES}."):
        return gettext("Monthly dues for wage band %(band)s") % {"band": key.removeprefix(f"{BAND_DUES}.")}
    return str(RULE_LABELS.get(key) or key.rsplit(".", 1)[-1].replace("_", " ").capitalize())


def delegable_powers_words(powers: Mapping[str, Any]) -> str:
    """The listed powers as one phrase: "to book venues (book halls and rooms …); to print leaflets (…)"."""
    return "; ".join(
        gettext("to %(power)s (%(description)s)") % {"power": power_label(name), "description": description}
        for name, description in powers.items()
    )


def band_dues_words(amounts: Mapping[str, Any]) -> str:
    """Each band's monthly dues as one phrase: "Band 1: 8.00; Band 2: 10.50"."""
    return "; ".join(f"{band}: {amount}" for band, amount in amounts.items())


def fraction_words(value: Any) -> str:
    try:
        return str(FRACTION_WORDS.get(Fraction(str(value)), str(value)))
    except (ValueError, ZeroDivisionError):
        return str(value)


def number_words(value: Any) -> str:
    """Whole numbers without decimals (``25``), others as written (``12.5``)."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return (
        str(number.quantize(Decimal(1))) if number == number.to_integral_value() else str(number.normalize())
    )


def rule_value_words(key: str, value: Any) -> str:
    """A rule's value as a reader says it, beside its label: "two thirds", "the instant-runoff vote", "yes",
    "25" (the label says what it counts)."""
    if value is None:
        return "—"
    if key == DELEGABLE_POWERS and isinstance(value, Mapping):
        return delegable_powers_words(value) or gettext("none")
    if key == BAND_DUES and isinstance(value, Mapping):
        return band_dues_words(value) or gettext("none")
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if key in RULE_CHOICES:
        return str(RULE_CHOICES[key].get(str(value), str(value)))
    if key in FRACTION_RULES:
        return fraction_words(value)
    if isinstance(value, int | float | Decimal) or key.endswith(("_percent", "_multiple")):
        return number_words(value)
    return str(value)
