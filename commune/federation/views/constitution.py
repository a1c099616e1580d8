"""The constitution page: the current rules in plain words, and every version adopted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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


def _n(value: Any) -> int:
    """A rule's number as a whole number, to choose the plural form of the words around it."""
    try:
        return int(Decimal(str(value)))
    except (ArithmeticError, ValueError):
        return 0


StrOrLazy = str | Promise
Wording = Callable[[Mapping[str, Any]], str]


def _seconders(g: Mapping[str, Any]) -> str:
    n = g["seconders_required"]
    if not n:
        return _("Any member may stand without seconders.")
    return ngettext("A candidate needs %(n)s seconder.", "A candidate needs %(n)s seconders.", _n(n)) % {
        "n": n
    }


def _electorate(g: Mapping[str, Any]) -> str:
    if g["electorate"] == "indirect":
        return _("Delegates are elected by the delegates of the body below.")
    return _("Delegates are elected directly by all the members of their constituency.")


def _quorum(g: Mapping[str, Any]) -> str:
    percent = number_words(g["quorum_percent"])
    if g.get("quorum_of", "electorate") == "electorate":
        return _("A meeting or ballot is quorate when %(percent)s%% of those entitled to vote take part.") % {
            "percent": percent
        }
    return _("A meeting or ballot is quorate when %(percent)s%% of those present take part.") % {
        "percent": percent
    }


def _turnout(g: Mapping[str, Any]) -> str:
    percent = g["referendum_turnout_percent"]
    if not Decimal(str(percent)):
        return _("A referendum needs no minimum turnout.")
    return _("A referendum is valid only if at least %(percent)s%% of the members vote.") % {
        "percent": number_words(percent)
    }


INDUSTRIAL_ACTION = {
    "none": gettext_lazy("Ballots on industrial action follow the ordinary rules above."),
    "tua-2016": gettext_lazy(
        "Ballots on industrial action meet the Trade Union Act 2016: at least half of those entitled to vote "
        "must take part."
    ),
    "tua-2016-important-public-services": gettext_lazy(
        "Ballots on industrial action meet the Trade Union Act 2016 for important public services: at least "
        "half of those entitled to vote must take part, and at least 40%% of them must vote yes."
    ),
}


def _industrial_action(g: Mapping[str, Any]) -> str:
    preset = str(g["industrial_action_preset"])
    words = INDUSTRIAL_ACTION.get(preset)
    # The 40 %% above is written for the %-formatting every other sentence goes through.
    return str(words).replace("%%", "%") if words is not None else preset


def _recall_procedure(g: Mapping[str, Any]) -> str:
    if g["procedure"] == "immediate":
        return _("A petition that reaches the threshold removes the delegate or officer at once.")
    majority = fraction_words(g.get("recall_ballot_majority", "1/2"))
    return _(
        "A petition that reaches the threshold calls a recall ballot, which removes them by a majority of "
        "%(majority)s of the votes cast."
    ) % {"majority": majority}


def _replacement(g: Mapping[str, Any]) -> str:
    if g["replacement"] == "countback":
        return _(
            "A recalled delegate is replaced by countback: the original ballots are counted again without them."
        )
    return _("A recalled delegate is replaced by a by-election.")


def _delegable_powers(g: Mapping[str, Any]) -> str:
    powers = g["delegable_powers"]
    if powers:
        return _(
            "A council may delegate to an executive only these powers: %(powers)s. No power to fill, suspend or "
            "remove a seat or office, set anyone's pay, create a body, overrule a council, admit or expel "
            "members, touch a tendency or change these rules can be delegated."
        ) % {"powers": delegable_powers_words(powers)}
    return _(
        "A council may delegate no powers to an executive. No power to fill, suspend or remove a seat or "
        "office, set anyone's pay, create a body, overrule a council, admit or expel members, touch a tendency "
        "or change these rules can be delegated."
    )


def _dues_rate(g: Mapping[str, Any]) -> str:
    basis, flat = g.get("basis", "none"), g.get("flat_monthly", "0")
    if basis == "flat":
        return _("Every member pays dues of %(amount)s a month.") % {"amount": flat}
    if basis == "wage-band":
        bands = band_dues_words(g.get("band_monthly") or {}) or _("no band has an amount yet")
        return _(
            "Members pay monthly dues by wage band (%(bands)s); a member whose band has none pays %(amount)s."
        ) % {"bands": bands, "amount": flat}
    if basis == "percent":
        return _(
            "Members pay %(percent)s%% of the wage of their band, reckoned by the month; a member whose band has "
            "no wage pays %(amount)s a month."
        ) % {"percent": number_words(g.get("percent_of_wage", 0)), "amount": flat}
    return _("Members pay no dues.")


def _dues_standing(g: Mapping[str, Any]) -> str:
    months = g.get("good_standing_months", 3)
    if g.get("voting_requires_good_standing"):
        if str(months) == "0":
            return _(
                "A member is in good standing while all their dues are paid; only members in good standing "
                "when a ballot, election or recall petition opens are entitled to take part in it; paying later "
                "does not add them, and falling behind later does not remove them."
            )
        return ngettext(
            "A member is in good standing while no more than %(months)s month's dues are unpaid; only members "
            "in good standing when a ballot, election or recall petition opens are entitled to take part in "
            "it; paying later does not add them, and falling behind later does not remove them.",
            "A member is in good standing while no more than %(months)s months' dues are unpaid; only members "
            "in good standing when a ballot, election or recall petition opens are entitled to take part in "
            "it; paying later does not add them, and falling behind later does not remove them.",
            _n(months),
        ) % {"months": months}
    if str(months) == "0":
        return _(
            "A member is in good standing while all their dues are paid; every member votes, whatever they owe."
        )
    return ngettext(
        "A member is in good standing while no more than %(months)s month's dues are unpaid; every member "
        "votes, whatever they owe.",
        "A member is in good standing while no more than %(months)s months' dues are unpaid; every member "
        "votes, whatever they owe.",
        _n(months),
    ) % {"months": months}


def _dues_lapse(g: Mapping[str, Any]) -> str:
    months = g.get("lapse_after_months", 0)
    if not months or str(months) == "0":
        return _("Nobody lapses for unpaid dues.")
    days = g.get("lapse_notice_days", 28)
    in_arrears = ngettext(
        "A member %(months)s month in arrears is sent notice, and lapses only if still so %(later)s; each step "
        "is on the log.",
        "A member %(months)s months in arrears is sent notice, and lapses only if still so %(later)s; each "
        "step is on the log.",
        _n(months),
    )
    later = ngettext("%(days)s day later", "%(days)s days later", _n(days)) % {"days": days}
    return in_arrears % {"months": months, "later": later}


def _yes_no(key: str, yes: StrOrLazy, no: StrOrLazy) -> Wording:
    return lambda g: str(yes if g[key] else no)


def _pledge_counts(g: Mapping[str, Any]) -> str:
    threshold = g.get("disclosure_threshold", 5)
    visible = str(g.get("counts_visible_to"))
    if visible == "organisation":
        text = _(
            "Nobody can see who pledged. Every member sees how many pledged in each unit, but a count is shown "
            "only when at least %(n)s have pledged and at least %(n)s have not."
        )
    elif visible == "unit":
        text = _(
            "Nobody can see who pledged. Each member sees how many pledged in their own unit, and of other "
            "units only whether their condition was met, but a count is shown only when at least %(n)s have "
            "pledged and at least %(n)s have not."
        )
    else:
        text = _(
            "Nobody can see who pledged. The members of the units a campaign covers see how many pledged in "
            "each, but a count is shown only when at least %(n)s have pledged and at least %(n)s have not."
        )
    return text % {"n": threshold}


def _caretaker(g: Mapping[str, Any]) -> str:
    days = g["caretaker_days"]
    if not days:
        return _(
            "When a term ends with no one elected to follow, the seat or office falls vacant at once and its "
            "election is called again until it is filled."
        )
    return ngettext(
        "When a term ends with no one elected to follow, the holder stays on as caretaker for at most "
        "%(days)s day; then the seat or office falls vacant, and its election is called again until it is "
        "filled.",
        "When a term ends with no one elected to follow, the holder stays on as caretaker for at most "
        "%(days)s days; then the seat or office falls vacant, and its election is called again until it is "
        "filled.",
        _n(days),
    ) % {"days": days}


def _sessions(g: Mapping[str, Any]) -> str:
    return _(
        "A council session is called at least %(hours)s hours before it starts, and every delegate is told "
        "when it is called and when each vote opens. A vote opens and carries only with %(percent)s%% of the "
        "council's seats on the roll, and no vote closes sooner than %(minutes)s minutes after it opened."
    ) % {
        "hours": number_words(g.get("notice_hours", 48)),
        "percent": number_words(g.get("quorum_percent", 50)),
        "minutes": number_words(g.get("minimum_vote_minutes", 10)),
    }


def _recall_petition(g: Mapping[str, Any]) -> str:
    days = g["petition_window_days"]
    return ngettext(
        "Constituents can recall their delegate or officer at any time: a petition signed by %(percent)s%% of "
        "them within %(days)s day starts the recall.",
        "Constituents can recall their delegate or officer at any time: a petition signed by %(percent)s%% of "
        "them within %(days)s days starts the recall.",
        _n(days),
    ) % {"percent": number_words(g["petition_threshold_percent"]), "days": days}


def _wage_bands_body(g: Mapping[str, Any]) -> str:
    if g.get("wage_bands_body"):
        return _(
            "The wage bands the cap is computed from are set only by a motion adopted by the body %(body)s, "
            "never moved by anyone who holds an office."
        ) % {"body": g["wage_bands_body"]}
    return _(
        "The wage bands the cap is computed from are set only by a motion adopted by the highest council, "
        "never moved by anyone who holds an office."
    )


def _federation_wide(g: Mapping[str, Any]) -> str:
    if g.get("federation_wide_body"):
        return _(
            "Action across the whole federation is called only by the body %(body)s (or its executive holding "
            "the power to call action); any other council calls action only within its own reach, and every "
            "call cites the adopted motion or ballot that authorises it."
        ) % {"body": g["federation_wide_body"]}
    return _(
        "Action across the whole federation is called only by the highest council (or its executive holding "
        "the power to call action); any other council calls action only within its own reach, and every call "
        "cites the adopted motion or ballot that authorises it."
    )


# Each group: its heading, then (the keys a sentence covers, the sentence).
GROUPS: list[tuple[str, StrOrLazy, list[tuple[tuple[str, ...], Wording]]]] = [
    (
        "elections",
        gettext_lazy("Elections"),
        [
            (
                ("delegate_method",),
                lambda g: (
                    _("Delegates are elected by %(method)s.") % {"method": method_words(g["delegate_method"])}
                ),
            ),
            (
                ("single_seat_method",),
                lambda g: (
                    _("Single-seat elections use %(method)s.")
                    % {"method": method_words(g["single_seat_method"])}
                ),
            ),
            (
                ("officer_method",),
                lambda g: (
                    _("Officers are elected by %(method)s.") % {"method": method_words(g["officer_method"])}
                ),
            ),
            (("seconders_required",), _seconders),
            (
                ("allow_revote",),
                _yes_no(
                    "allow_revote",
                    gettext_lazy(
                        "Members may change their vote until the ballot closes; the last vote counts."
                    ),
                    gettext_lazy("A vote, once cast, is final."),
                ),
            ),
            (("electorate",), _electorate),
            (
                ("weighted_council_votes",),
                _yes_no(
                    "weighted_council_votes",
                    gettext_lazy(
                        "In councils, each delegate's vote is weighted by the members they represent."
                    ),
                    gettext_lazy("In councils, each delegate has one vote."),
                ),
            ),
        ],
    ),
    (
        "decisions",
        gettext_lazy("Decisions"),
        [
            (("quorum_percent", "quorum_of"), _quorum),
            (
                ("ordinary_majority",),
                lambda g: (
                    _("Ordinary decisions need a majority of %(fraction)s of the votes cast.")
                    % {"fraction": fraction_words(g["ordinary_majority"])}
                ),
            ),
            (
                ("constitutional_majority",),
                lambda g: (
                    _(
                        "Changes to the constitution need a majority of %(fraction)s of the votes cast, in a vote of "
                        "the membership."
                    )
                    % {"fraction": fraction_words(g["constitutional_majority"])}
                ),
            ),
            (
                ("motion_supporters",),
                lambda g: (
                    ngettext(
                        "A motion reaches the agenda once %(n)s member besides its mover support it.",
                        "A motion reaches the agenda once %(n)s members besides its mover support it.",
                        _n(g.get("motion_supporters", 1)),
                    )
                    % {"n": g.get("motion_supporters", 1)}
                ),
            ),
            (("referendum_turnout_percent",), _turnout),
            (("industrial_action_preset",), _industrial_action),
        ],
    ),
    (
        "recall",
        gettext_lazy("Recall"),
        [
            (("petition_threshold_percent", "petition_window_days"), _recall_petition),
            (("procedure", "recall_ballot_majority"), _recall_procedure),
            (("replacement",), _replacement),
        ],
    ),
    (
        "offices",
        gettext_lazy("Offices"),
        [
            (
                ("term_months",),
                lambda g: (
                    ngettext(
                        "A term of office lasts %(n)s month.",
                        "A term of office lasts %(n)s months.",
                        _n(g["term_months"]),
                    )
                    % {"n": g["term_months"]}
                ),
            ),
            (("caretaker_days",), _caretaker),
            (
                ("max_consecutive_terms",),
                lambda g: (
                    ngettext(
                        "No one may hold the same office for more than %(n)s consecutive term.",
                        "No one may hold the same office for more than %(n)s consecutive terms.",
                        _n(g["max_consecutive_terms"]),
                    )
                    % {"n": g["max_consecutive_terms"]}
                ),
            ),
            (
                ("pay_cap_multiple",),
                lambda g: (
                    _("An officer's pay is capped at %(n)s times the members' median wage.")
                    % {"n": number_words(g["pay_cap_multiple"])}
                ),
            ),
            (("wage_bands_body",), _wage_bands_body),
        ],
    ),
    (
        "ballots",
        gettext_lazy("Ballots"),
        [
            (
                ("member_votes_secret",),
                _yes_no(
                    "member_votes_secret",
                    gettext_lazy(
                        "Members' votes are secret: the register of who voted is kept apart from the ballot box."
                    ),
                    gettext_lazy("Members' votes are open."),
                ),
            ),
            (
                ("council_votes_open",),
                _yes_no(
                    "council_votes_open",
                    gettext_lazy(
                        "Delegates vote openly in councils, so their constituents can see every vote they cast."
                    ),
                    gettext_lazy("Delegates vote secretly in councils."),
                ),
            ),
        ],
    ),
    (
        "roll",
        gettext_lazy("Member rolls"),
        [
            (
                ("second_officer_lapse_percent",),
                lambda g: (
                    _(
                        "A roll import that lapses more than %(percent)s%% of a unit's members needs a second officer "
                        "of the unit to confirm it; no import lapses anyone unconfirmed, or the officer importing it."
                    )
                    % {"percent": number_words(g["second_officer_lapse_percent"])}
                ),
            ),
        ],
    ),
    (
        "sessions",
        gettext_lazy("Sittings and votes"),
        [
            (("notice_hours", "quorum_percent", "minimum_vote_minutes"), _sessions),
            (
                ("speech_minutes",),
                lambda g: (
                    _(
                        "In a council meeting each speaker has %(n)s minutes before the chair may call the next."
                    )
                    % {"n": number_words(g.get("speech_minutes", 3))}
                ),
            ),
        ],
    ),
    (
        "executives",
        gettext_lazy("Executives"),
        [
            (
                ("call_in_percent",),
                lambda g: (
                    _(
                        "Any executive's decision goes before its council for a vote once %(percent)s%% of the "
                        "council's seated delegates call it in."
                    )
                    % {"percent": number_words(g["call_in_percent"])}
                ),
            ),
            (("delegable_powers",), _delegable_powers),
        ],
    ),
    (
        "accounts",
        gettext_lazy("Signing in"),
        [
            (
                ("officers_two_factor",),
                _yes_no(
                    "officers_two_factor",
                    gettext_lazy(
                        "Officers sign in with a second factor, a code from an authenticator app, as well as their "
                        "password; no organisation page opens to an officer who has not set one up."
                    ),
                    gettext_lazy(
                        "Every member chooses whether to sign in with a second factor as well as their password."
                    ),
                ),
            ),
        ],
    ),
    (
        "membership",
        gettext_lazy("Joining"),
        [
            (
                ("admission",),
                lambda g: (
                    _(
                        "Anyone may apply to join a unit. Once they confirm their email address, they are admitted "
                        "at once, with the next membership number."
                    )
                    if g.get("admission") == "automatic"
                    else _(
                        "Anyone may apply to join a unit. Once they confirm their email address, an officer of the "
                        "unit who keeps its roll puts the application to the unit's general assembly as a motion to "
                        "admit; the assembly's vote admits or refuses them."
                    )
                    if g.get("admission") == "assembly"
                    else _(
                        "Anyone may apply to join a unit. Once they confirm their email address, an officer of the "
                        "unit who keeps its roll admits them, or refuses them with a reason the applicant is sent; "
                        "nobody decides their own application."
                    )
                ),
            ),
        ],
    ),
    (
        "pledges",
        gettext_lazy("Pledges"),
        [
            (
                ("launched_by",),
                lambda g: (
                    _(
                        "A pledge campaign is launched by a motion adopted by the council or unit assembly it "
                        "covers, or by an officer of that body."
                    )
                    if g.get("launched_by") == "decision-or-officers"
                    else _(
                        "A pledge campaign is launched by a motion adopted by the council or unit assembly it covers."
                    )
                ),
            ),
            (("counts_visible_to", "disclosure_threshold"), _pledge_counts),
            (
                ("max_days",),
                lambda g: (
                    ngettext(
                        "A campaign takes pledges for at most %(n)s day.",
                        "A campaign takes pledges for at most %(n)s days.",
                        _n(g["max_days"]),
                    )
                    % {"n": g["max_days"]}
                ),
            ),
        ],
    ),
    (
        "structure",
        gettext_lazy("The shape of the federation"),
        [
            (
                ("referendum_required",),
                lambda g: (
                    _(
                        "A unit is added, merged, split, moved to another council or dissolved only by a decision "
                        "of a council above every unit it touches, carried by the members within that council's "
                        "reach in a referendum."
                    )
                    if g.get("referendum_required")
                    else _(
                        "A unit is added, merged, split, moved to another council or dissolved only by a decision "
                        "of a council above every unit it touches, by its adopted motion."
                    )
                ),
            ),
        ],
    ),
    (
        "actions",
        gettext_lazy("Collective action"),
        [
            (("federation_wide_body",), _federation_wide),
        ],
    ),
    (
        "dues",
        gettext_lazy("Dues and good standing"),
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
        groups.append(RuleGroup(str(heading), sentences))
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
