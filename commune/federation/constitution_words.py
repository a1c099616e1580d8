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
from typing import Any

#: Counting methods (``Election.method``, the constitution's ``*_method`` rules).
ELECTION_METHODS = {
    "scottish-stv": "the single transferable vote (Scottish rules)",
    "meek-stv": "the single transferable vote (Meek's method)",
    "wigm-stv": "the single transferable vote (weighted inclusive Gregory method)",
    "irv": "the instant-runoff vote",
    "schulze": "the Schulze method",
    "approval": "approval voting",
    "plurality": "plurality (first past the post)",
}

#: Each rule of the constitution, by its key, as a short name (a table's row, a form's choice).
RULE_LABELS = {
    "preamble": "Preamble",
    "elections.delegate_method": "Method for electing delegates",
    "elections.single_seat_method": "Method for single-seat elections",
    "elections.officer_method": "Method for electing officers",
    "elections.seconders_required": "Seconders a candidate needs",
    "elections.allow_revote": "Members may change their vote",
    "elections.electorate": "Who elects delegates",
    "elections.weighted_council_votes": "Council votes weighted by membership",
    "decisions.quorum_percent": "Quorum (per cent)",
    "decisions.quorum_of": "Quorum counted of",
    "decisions.ordinary_majority": "Ordinary majority",
    "decisions.constitutional_majority": "Constitutional majority",
    "decisions.referendum_turnout_percent": "Minimum referendum turnout (per cent)",
    "decisions.industrial_action_preset": "Industrial action ballot thresholds",
    "decisions.motion_supporters": "Supporters a motion needs to reach the agenda",
    "recall.petition_threshold_percent": "Recall petition threshold (per cent)",
    "recall.petition_window_days": "Days to gather a recall petition",
    "recall.procedure": "Recall procedure",
    "recall.recall_ballot_majority": "Majority in a recall ballot",
    "recall.replacement": "Replacing a recalled delegate",
    "offices.term_months": "Term of office (months)",
    "offices.max_consecutive_terms": "Most consecutive terms",
    "offices.caretaker_days": "Days a holder may stay on as caretaker after their term",
    "offices.pay_cap_multiple": "Officers' pay cap (× median wage)",
    "offices.wage_bands_body": "Body whose vote sets the wage bands the pay cap is computed from",
    "ballots.member_votes_secret": "Members' votes are secret",
    "ballots.council_votes_open": "Delegates' council votes are open",
    "roll.second_officer_lapse_percent": "Share of a unit one roll officer may lapse alone (per cent)",
    "sessions.notice_hours": "Notice of a council session (hours)",
    "sessions.quorum_percent": "Seats on the roll for a council vote to open and to carry (per cent)",
    "sessions.minimum_vote_minutes": "Shortest time a vote stays open (minutes)",
    "sessions.speech_minutes": "Time each speaker has in a council meeting (minutes)",
    "executives.call_in_percent": "Delegates who can call in an executive's decision (per cent of the council)",
    "executives.delegable_powers": "Powers a council may delegate to an executive",
    "accounts.officers_two_factor": "Officers must sign in with a second factor (a code from an app)",
    "membership.admission": "Who admits a new member",
    "pledges.launched_by": "Who may launch a pledge campaign",
    "pledges.counts_visible_to": "Who sees each unit's pledge count",
    "pledges.disclosure_threshold": "Smallest pledge count shown (and smallest count of those who have not)",
    "pledges.max_days": "Longest a pledge campaign may run (days)",
    "structure.referendum_required": "Units added, merged, split, moved or dissolved only by referendum",
    "actions.federation_wide_body": "Body that may call action across the whole federation",
    "dues.basis": "How dues are set",
    "dues.flat_monthly": "Monthly dues (flat, or for a band with no amount of its own)",
    "dues.band_monthly": "Monthly dues by wage band",
    "dues.percent_of_wage": "Dues as a share of the band's wage (per cent)",
    "dues.good_standing_months": "Months of unpaid dues a member in good standing may have",
    "dues.voting_requires_good_standing": "Only members in good standing vote",
    "dues.lapse_after_months": "Months in arrears after which a member is given notice of lapsing (0: never)",
    "dues.lapse_notice_days": "Days of notice before a member lapses for arrears",
}

#: The rule whose value is a list of powers, each a name with its description; a change to one power reads
#: as a change to a rule of its own ("Power a council may delegate: to book venues").
DELEGABLE_POWERS = "executives.delegable_powers"
#: The rule whose value is a monthly amount for each wage band; a change to one band reads as its own rule.
BAND_DUES = "dues.band_monthly"

FRACTION_WORDS = {
    Fraction(1, 2): "one half",
    Fraction(2, 3): "two thirds",
    Fraction(3, 4): "three quarters",
    Fraction(3, 5): "three fifths",
    Fraction(1, 3): "one third",
    Fraction(1, 4): "one quarter",
    Fraction(1, 1): "all",
}

INDUSTRIAL_ACTION_PRESETS = {
    "none": "the ordinary rules",
    "tua-2016": "the Trade Union Act 2016",
    "tua-2016-important-public-services": "the Trade Union Act 2016 for important public services",
}

#: The value of a rule that is one of a few codes, by the rule's key.
RULE_CHOICES: dict[str, Mapping[str, str]] = {
    "elections.delegate_method": ELECTION_METHODS,
    "elections.single_seat_method": ELECTION_METHODS,
    "elections.officer_method": ELECTION_METHODS,
    "elections.electorate": {
        "direct": "all the members of the constituency",
        "indirect": "the delegates of the body below",
    },
    "decisions.quorum_of": {"electorate": "those entitled to vote", "present": "those present"},
    "decisions.industrial_action_preset": INDUSTRIAL_ACTION_PRESETS,
    "recall.procedure": {"immediate": "removal at the threshold", "recall-ballot": "a recall ballot"},
    "recall.replacement": {"countback": "countback of the original ballots", "by-election": "a by-election"},
    "membership.admission": {
        "officer": "an officer of the unit who keeps its roll",
        "automatic": "nobody: an applicant is admitted on confirming their email address",
    },
    "pledges.launched_by": {
        "decision": "the council or unit assembly it covers, by an adopted motion",
        "decision-or-officers": "the council or unit assembly it covers, by an adopted motion, or an officer "
        "of that body",
    },
    "pledges.counts_visible_to": {
        "organisation": "every member",
        "scope": "the members of the units the campaign covers",
        "unit": "each unit's own members",
    },
    "dues.basis": {
        "none": "no dues",
        "flat": "one monthly amount for every member",
        "wage-band": "a monthly amount for each wage band",
        "percent": "a share of the wage of the member's band",
    },
}
FRACTION_RULES = {
    "decisions.ordinary_majority",
    "decisions.constitutional_majority",
    "recall.recall_ballot_majority",
}


def method_words(method: str) -> str:
    return ELECTION_METHODS.get(method, method)


def rule_label(key: str) -> str:
    """A rule's short name; a rule this release does not know is named from its key."""
    if key.startswith(f"{DELEGABLE_POWERS}."):
        return (
            f"Power a council may delegate: to {key.removeprefix(f'{DELEGABLE_POWERS}.').replace('-', ' ')}"
        )
    if key.startswith(f"{BAND_DUES}."):
        return f"Monthly dues for wage band {key.removeprefix(f'{BAND_DUES}.')}"
    return RULE_LABELS.get(key) or key.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def delegable_powers_words(powers: Mapping[str, Any]) -> str:
    """The listed powers as one phrase: "to book venues (book halls and rooms …); to print leaflets (…)"."""
    return "; ".join(f"to {name.replace('-', ' ')} ({description})" for name, description in powers.items())


def band_dues_words(amounts: Mapping[str, Any]) -> str:
    """Each band's monthly dues as one phrase: "Band 1: 8.00; Band 2: 10.50"."""
    return "; ".join(f"{band}: {amount}" for band, amount in amounts.items())


def fraction_words(value: Any) -> str:
    try:
        return FRACTION_WORDS.get(Fraction(str(value)), str(value))
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
        return delegable_powers_words(value) or "none"
    if key == BAND_DUES and isinstance(value, Mapping):
        return band_dues_words(value) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in RULE_CHOICES:
        return RULE_CHOICES[key].get(str(value), str(value))
    if key in FRACTION_RULES:
        return fraction_words(value)
    if isinstance(value, int | float | Decimal) or key.endswith(("_percent", "_multiple")):
        return number_words(value)
    return str(value)
