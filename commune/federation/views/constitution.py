"""The constitution page: the current rules in plain words, and every version adopted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from commune.federation.constitution_words import (
    RULE_LABELS,
    band_dues_words,
    delegable_powers_words,
    fraction_words,
    method_words,
    number_words,
    rule_label,
    rule_value_words,
)
from commune.federation.models import Member, Organisation
from commune.federation.selectors import constitution_versions
from commune.web.edge import member_page, page_context


def _plural(n: Any, word: str) -> str:
    return f"{n} {word}" if str(n) == "1" else f"{n} {word}s"


Wording = Callable[[Mapping[str, Any]], str]


def _seconders(g: Mapping[str, Any]) -> str:
    n = g["seconders_required"]
    return (
        "Any member may stand without seconders." if not n else f"A candidate needs {_plural(n, 'seconder')}."
    )


def _electorate(g: Mapping[str, Any]) -> str:
    if g["electorate"] == "indirect":
        return "Delegates are elected by the delegates of the body below."
    return "Delegates are elected directly by all the members of their constituency."


def _quorum(g: Mapping[str, Any]) -> str:
    of = (
        "of those entitled to vote"
        if g.get("quorum_of", "electorate") == "electorate"
        else "of those present"
    )
    return f"A meeting or ballot is quorate when {number_words(g['quorum_percent'])}% {of} take part."


def _turnout(g: Mapping[str, Any]) -> str:
    percent = g["referendum_turnout_percent"]
    if not Decimal(str(percent)):
        return "A referendum needs no minimum turnout."
    return f"A referendum is valid only if at least {number_words(percent)}% of the members vote."


INDUSTRIAL_ACTION = {
    "none": "Ballots on industrial action follow the ordinary rules above.",
    "tua-2016": "Ballots on industrial action meet the Trade Union Act 2016: at least half of those entitled "
    "to vote must take part.",
    "tua-2016-important-public-services": "Ballots on industrial action meet the Trade Union Act 2016 for "
    "important public services: at least half of those entitled to vote must take part, and at least 40% of "
    "them must vote yes.",
}


def _recall_procedure(g: Mapping[str, Any]) -> str:
    if g["procedure"] == "immediate":
        return "A petition that reaches the threshold removes the delegate or officer at once."
    majority = fraction_words(g.get("recall_ballot_majority", "1/2"))
    return f"A petition that reaches the threshold calls a recall ballot, which removes them by a majority of {majority} of the votes cast."


def _replacement(g: Mapping[str, Any]) -> str:
    if g["replacement"] == "countback":
        return "A recalled delegate is replaced by countback: the original ballots are counted again without them."
    return "A recalled delegate is replaced by a by-election."


def _delegable_powers(g: Mapping[str, Any]) -> str:
    powers = g["delegable_powers"]
    listed = (
        f"A council may delegate to an executive only these powers: {delegable_powers_words(powers)}."
        if powers
        else "A council may delegate no powers to an executive."
    )
    return (
        f"{listed} No power to fill, suspend or remove a seat or office, set anyone's pay, create a body, "
        "overrule a council, admit or expel members, touch a tendency or change these rules can be delegated."
    )


def _dues_rate(g: Mapping[str, Any]) -> str:
    basis, flat = g.get("basis", "none"), g.get("flat_monthly", "0")
    if basis == "flat":
        return f"Every member pays dues of {flat} a month."
    if basis == "wage-band":
        bands = band_dues_words(g.get("band_monthly") or {}) or "no band has an amount yet"
        return f"Members pay monthly dues by wage band ({bands}); a member whose band has none pays {flat}."
    if basis == "percent":
        return (
            f"Members pay {number_words(g.get('percent_of_wage', 0))}% of the wage of their band, reckoned by "
            f"the month; a member whose band has no wage pays {flat} a month."
        )
    return "Members pay no dues."


def _dues_standing(g: Mapping[str, Any]) -> str:
    months = g.get("good_standing_months", 3)
    owed = f"{months} month's" if str(months) == "1" else f"{months} months'"
    standing = f"A member is in good standing while no more than {owed} dues are unpaid"
    if str(months) == "0":
        standing = "A member is in good standing while all their dues are paid"
    votes = (
        "only members in good standing when a ballot, election or recall petition opens are entitled to take "
        "part in it; paying later does not add them, and falling behind later does not remove them."
        if g.get("voting_requires_good_standing")
        else "every member votes, whatever they owe."
    )
    return f"{standing}; {votes}"


def _dues_lapse(g: Mapping[str, Any]) -> str:
    months = g.get("lapse_after_months", 0)
    if not months or str(months) == "0":
        return "Nobody lapses for unpaid dues."
    return (
        f"A member {_plural(months, 'month')} in arrears is sent notice, and lapses only if still so "
        f"{_plural(g.get('lapse_notice_days', 28), 'day')} later; each step is on the log."
    )


def _yes_no(key: str, yes: str, no: str) -> Wording:
    return lambda g: yes if g[key] else no


# Each group: its heading, then (the keys a sentence covers, the sentence).
GROUPS: list[tuple[str, str, list[tuple[tuple[str, ...], Wording]]]] = [
    (
        "elections",
        "Elections",
        [
            (
                ("delegate_method",),
                lambda g: f"Delegates are elected by {method_words(g['delegate_method'])}.",
            ),
            (
                ("single_seat_method",),
                lambda g: f"Single-seat elections use {method_words(g['single_seat_method'])}.",
            ),
            (("officer_method",), lambda g: f"Officers are elected by {method_words(g['officer_method'])}."),
            (("seconders_required",), _seconders),
            (
                ("allow_revote",),
                _yes_no(
                    "allow_revote",
                    "Members may change their vote until the ballot closes; the last vote counts.",
                    "A vote, once cast, is final.",
                ),
            ),
            (("electorate",), _electorate),
            (
                ("weighted_council_votes",),
                _yes_no(
                    "weighted_council_votes",
                    "In councils, each delegate's vote is weighted by the members they represent.",
                    "In councils, each delegate has one vote.",
                ),
            ),
        ],
    ),
    (
        "decisions",
        "Decisions",
        [
            (("quorum_percent", "quorum_of"), _quorum),
            (
                ("ordinary_majority",),
                lambda g: (
                    f"Ordinary decisions need a majority of {fraction_words(g['ordinary_majority'])} of the votes cast."
                ),
            ),
            (
                ("constitutional_majority",),
                lambda g: (
                    "Changes to the constitution need a majority of "
                    f"{fraction_words(g['constitutional_majority'])} of the votes cast, in a vote of the membership."
                ),
            ),
            (
                ("motion_supporters",),
                lambda g: (
                    "A motion reaches the agenda once "
                    f"{_plural(g.get('motion_supporters', 1), 'member')} besides its mover support it."
                ),
            ),
            (("referendum_turnout_percent",), _turnout),
            (
                ("industrial_action_preset",),
                lambda g: INDUSTRIAL_ACTION.get(
                    str(g["industrial_action_preset"]), str(g["industrial_action_preset"])
                ),
            ),
        ],
    ),
    (
        "recall",
        "Recall",
        [
            (
                ("petition_threshold_percent", "petition_window_days"),
                lambda g: (
                    "Constituents can recall their delegate or officer at any time: a petition signed by "
                    f"{number_words(g['petition_threshold_percent'])}% of them within "
                    f"{_plural(g['petition_window_days'], 'day')} starts the recall."
                ),
            ),
            (("procedure", "recall_ballot_majority"), _recall_procedure),
            (("replacement",), _replacement),
        ],
    ),
    (
        "offices",
        "Offices",
        [
            (("term_months",), lambda g: f"A term of office lasts {_plural(g['term_months'], 'month')}."),
            (
                ("caretaker_days",),
                lambda g: (
                    "When a term ends with no one elected to follow, the seat or office falls vacant at once "
                    "and its election is called again until it is filled."
                    if not g["caretaker_days"]
                    else f"When a term ends with no one elected to follow, the holder stays on as caretaker for at "
                    f"most {_plural(g['caretaker_days'], 'day')}; then the seat or office falls vacant, and its "
                    "election is called again until it is filled."
                ),
            ),
            (
                ("max_consecutive_terms",),
                lambda g: (
                    "No one may hold the same office for more than "
                    f"{_plural(g['max_consecutive_terms'], 'consecutive term')}."
                ),
            ),
            (
                ("pay_cap_multiple",),
                lambda g: (
                    f"An officer's pay is capped at {number_words(g['pay_cap_multiple'])} times the members' median wage."
                ),
            ),
            (
                ("wage_bands_body",),
                lambda g: (
                    "The wage bands the cap is computed from are set only by a motion adopted by "
                    + (
                        f"the body {g['wage_bands_body']}"
                        if g.get("wage_bands_body")
                        else "the highest council"
                    )
                    + ", never moved by anyone who holds an office."
                ),
            ),
        ],
    ),
    (
        "ballots",
        "Ballots",
        [
            (
                ("member_votes_secret",),
                _yes_no(
                    "member_votes_secret",
                    "Members' votes are secret: the register of who voted is kept apart from the ballot box.",
                    "Members' votes are open.",
                ),
            ),
            (
                ("council_votes_open",),
                _yes_no(
                    "council_votes_open",
                    "Delegates vote openly in councils, so their constituents can see every vote they cast.",
                    "Delegates vote secretly in councils.",
                ),
            ),
        ],
    ),
    (
        "roll",
        "Member rolls",
        [
            (
                ("second_officer_lapse_percent",),
                lambda g: (
                    "A roll import that lapses more than "
                    f"{number_words(g['second_officer_lapse_percent'])}% of a unit's members needs a second officer "
                    "of the unit to confirm it; no import lapses anyone unconfirmed, or the officer importing it."
                ),
            ),
        ],
    ),
    (
        "sessions",
        "Sittings and votes",
        [
            (
                ("notice_hours", "quorum_percent", "minimum_vote_minutes"),
                lambda g: (
                    f"A council session is called at least {number_words(g.get('notice_hours', 48))} hours before it "
                    "starts, and every delegate is told when it is called and when each vote opens. A vote "
                    f"opens and carries only with {number_words(g.get('quorum_percent', 50))}% of the council's seats "
                    "on the roll, and no vote closes sooner than "
                    f"{number_words(g.get('minimum_vote_minutes', 10))} minutes after it opened."
                ),
            ),
            (
                ("speech_minutes",),
                lambda g: (
                    f"In a council meeting each speaker has {number_words(g.get('speech_minutes', 3))} minutes "
                    "before the chair may call the next."
                ),
            ),
        ],
    ),
    (
        "executives",
        "Executives",
        [
            (
                ("call_in_percent",),
                lambda g: (
                    "Any executive's decision goes before its council for a vote once "
                    f"{number_words(g['call_in_percent'])}% of the council's seated delegates call it in."
                ),
            ),
            (("delegable_powers",), _delegable_powers),
        ],
    ),
    (
        "accounts",
        "Signing in",
        [
            (
                ("officers_two_factor",),
                _yes_no(
                    "officers_two_factor",
                    "Officers sign in with a second factor, a code from an authenticator app, as well as their "
                    "password; no organisation page opens to an officer who has not set one up.",
                    "Every member chooses whether to sign in with a second factor as well as their password.",
                ),
            ),
        ],
    ),
    (
        "membership",
        "Joining",
        [
            (
                ("admission",),
                lambda g: (
                    "Anyone may apply to join a unit. Once they confirm their email address, "
                    + (
                        "they are admitted at once, with the next membership number."
                        if g.get("admission") == "automatic"
                        else "an officer of the unit who keeps its roll admits them, or refuses them with a "
                        "reason the applicant is sent; nobody decides their own application."
                    )
                ),
            ),
        ],
    ),
    (
        "pledges",
        "Pledges",
        [
            (
                ("launched_by",),
                lambda g: (
                    "A pledge campaign is launched by a motion adopted by the council or unit assembly "
                    "it covers"
                    + (
                        ", or by an officer of that body."
                        if g.get("launched_by") == "decision-or-officers"
                        else "."
                    )
                ),
            ),
            (
                ("counts_visible_to", "disclosure_threshold"),
                lambda g: (
                    "Nobody can see who pledged. "
                    + {
                        "organisation": "Every member sees how many pledged in each unit",
                        "unit": "Each member sees how many pledged in their own unit, and of other units only "
                        "whether their condition was met",
                    }.get(
                        str(g.get("counts_visible_to")),
                        "The members of the units a campaign covers see how many pledged in each",
                    )
                    + f", but a count is shown only when at least {g.get('disclosure_threshold', 5)} have pledged "
                    f"and at least {g.get('disclosure_threshold', 5)} have not."
                ),
            ),
            (
                ("max_days",),
                lambda g: f"A campaign takes pledges for at most {_plural(g['max_days'], 'day')}.",
            ),
        ],
    ),
    (
        "structure",
        "The shape of the federation",
        [
            (
                ("referendum_required",),
                lambda g: (
                    "A unit is added, merged, split, moved to another council or dissolved only by a decision "
                    "of a council above every unit it touches, "
                    + (
                        "carried by the members within that council's reach in a referendum."
                        if g.get("referendum_required")
                        else "by its adopted motion."
                    )
                ),
            ),
        ],
    ),
    (
        "actions",
        "Collective action",
        [
            (
                ("federation_wide_body",),
                lambda g: (
                    "Action across the whole federation is called only by "
                    + (
                        f"the body {g['federation_wide_body']}"
                        if g.get("federation_wide_body")
                        else "the highest council"
                    )
                    + " (or its executive holding the power to call action); any other council calls action "
                    "only within its own reach, and every call cites the adopted motion or ballot that "
                    "authorises it."
                ),
            ),
        ],
    ),
    (
        "dues",
        "Dues and good standing",
        [
            (("basis", "flat_monthly", "band_monthly", "percent_of_wage"), _dues_rate),
            (("good_standing_months", "voting_requires_good_standing"), _dues_standing),
            (("lapse_after_months", "lapse_notice_days"), _dues_lapse),
        ],
    ),
]


@dataclass(frozen=True)
class RuleGroup:
    heading: str
    sentences: list[str]


def _plain(key: str, value: Any) -> str:
    return f"{rule_label(key)}: {rule_value_words(key, value)}."


def rules_in_words(rules: Mapping[str, Any]) -> list[RuleGroup]:
    """The rules as sentences under group headings. A rule this page has no wording for (from a newer
    release, say) is still shown, as its name and value, so nothing in force is ever hidden."""
    groups: list[RuleGroup] = []
    known_groups = set()
    for group_key, heading, wordings in GROUPS:
        known_groups.add(group_key)
        values = rules.get(group_key)
        if not isinstance(values, Mapping):
            continue
        sentences: list[str] = []
        covered: set[str] = set()
        for keys, wording in wordings:
            if keys[0] in values:
                sentences.append(wording(values))
                covered.update(keys)
        sentences += [_plain(f"{group_key}.{k}", v) for k, v in values.items() if k not in covered]
        groups.append(RuleGroup(heading, sentences))
    for key, value in rules.items():
        if key in known_groups or key == "preamble":
            continue
        if isinstance(value, Mapping):
            groups.append(
                RuleGroup(
                    key.replace("_", " ").capitalize(), [_plain(f"{key}.{k}", v) for k, v in value.items()]
                )
            )
        else:
            groups.append(RuleGroup(key.replace("_", " ").capitalize(), [_plain(key, value)]))
    return groups


def _flatten(rules: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in rules.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@dataclass(frozen=True)
class RuleChange:
    label: str
    before: Any
    after: Any


def rules_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[RuleChange]:
    """What a version changed from the one before it, rule by rule."""
    old, new = _flatten(before), _flatten(after)
    return [
        RuleChange(rule_label(key), rule_value_words(key, old.get(key)), rule_value_words(key, new.get(key)))
        for key in sorted(
            old.keys() | new.keys(), key=lambda k: list(RULE_LABELS).index(k) if k in RULE_LABELS else 999
        )
        if old.get(key) != new.get(key)
    ]


@member_page
def constitution(request: HttpRequest, organisation: Organisation, member: Member) -> HttpResponse:
    """The rules in force, readably, and the history of every version with what it changed."""
    versions = list(constitution_versions(organisation=organisation))
    history = [
        (version, rules_changes(older.rules, version.rules) if older else None)
        for version, older in zip(versions, [*versions[1:], None], strict=True)
    ]
    current = versions[0] if versions else None
    return render(
        request,
        "federation/constitution.html",
        page_context(
            organisation,
            member,
            current=current,
            preamble=current.rules.get("preamble", "") if current else "",
            groups=rules_in_words(current.rules) if current else [],
            history=history,
        ),
    )
