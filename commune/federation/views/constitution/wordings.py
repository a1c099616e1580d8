"""How each group of rules reads as a sentence or two: one function a wording, from the group's values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from commune.federation.constitution_words import (
    band_dues_words,
    delegable_powers_words,
    fraction_words,
    number_words,
)


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
