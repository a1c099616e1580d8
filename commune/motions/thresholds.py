"""The thresholds a vote must meet, read from the constitution and counted by ``commune.tally.yes_no``.

A vote's rule is fixed when it opens and stored with it as JSON, so a later change of the constitution
cannot change a vote already under way.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from commune.federation.constitution import DecisionRules
from commune.tally.yes_no import YesNoResult, YesNoRule, yes_no

_PRESET_LABEL = {
    "tua-2016": "Trade Union Act 2016 (50% turnout)",
    "tua-2016-important-public-services": "Trade Union Act 2016, important public services "
    "(50% turnout, 40% of the electorate yes)",
}


def _percent(value: Any) -> Fraction | None:
    share = Fraction(str(value)) / 100
    return share if share else None


def decision_rule(
    decisions: DecisionRules,
    *,
    constitutional: bool = False,
    referendum: bool = False,
    industrial_action: bool = False,
) -> YesNoRule:
    """The rule for one decision: the ordinary or constitutional majority (a half is "more than", any
    larger share "at least"), the quorum; for a referendum, the minimum turnout; for a referendum on
    industrial action, the constitution's preset on top (the stricter of each figure)."""
    majority = Fraction(decisions.constitutional_majority if constitutional else decisions.ordinary_majority)
    names = ["constitutional majority" if constitutional else "ordinary majority"]
    turnout = _percent(decisions.referendum_turnout_percent) if referendum else None
    support: Fraction | None = None
    preset = decisions.industrial_action_preset
    if referendum and industrial_action and preset != "none":
        turnout = max(turnout or Fraction(0), Fraction(1, 2))
        if preset == "tua-2016-important-public-services":
            support = Fraction(2, 5)
        names.append(_PRESET_LABEL[preset])
    return YesNoRule(
        name=", ".join(names),
        majority=majority,
        majority_strict=majority == Fraction(1, 2),
        quorum=_percent(decisions.quorum_percent),
        quorum_of=decisions.quorum_of,
        turnout=turnout,
        support=support,
    )


def _share(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def rule_to_json(rule: YesNoRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "majority": str(rule.majority),
        "majority_strict": rule.majority_strict,
        "abstentions_count": rule.abstentions_count,
        "quorum": _share(rule.quorum),
        "quorum_of": rule.quorum_of,
        "turnout": _share(rule.turnout),
        "support": _share(rule.support),
    }


def rule_from_json(data: dict[str, Any]) -> YesNoRule:
    def share(key: str) -> Fraction | None:
        return None if data.get(key) is None else Fraction(data[key])

    return YesNoRule(
        name=data["name"],
        majority=Fraction(data["majority"]),
        majority_strict=bool(data["majority_strict"]),
        abstentions_count=bool(data.get("abstentions_count", False)),
        quorum=share("quorum"),
        quorum_of=data.get("quorum_of", "electorate"),
        turnout=share("turnout"),
        support=share("support"),
    )


def decide(
    *, rule: dict[str, Any], yes: int, no: int, abstain: int, electorate: int, present: int | None
) -> YesNoResult:
    """Count a closed vote under its stored rule."""
    return yes_no(
        yes=yes, no=no, abstain=abstain, electorate=electorate, present=present, rule=rule_from_json(rule)
    )


def _share_in_words(value: str) -> str:
    """A stored fraction as people say it: "50%", or "2/3 (66.67%)" where the percentage is not exact."""
    share = Fraction(value)
    percent = share * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return f"{share} ({float(percent):.2f}%)"


def rule_explained(rule: dict[str, Any]) -> list[str]:
    """The thresholds of a stored rule, one plain sentence each, in the order they are tested: what a
    member reads beside a vote's or a referral's result."""
    sentences: list[str] = []
    if rule.get("quorum") is not None:
        share = {"share": _share_in_words(rule["quorum"])}
        if rule.get("quorum_of") == "present":
            sentences.append(
                _("Quorum: at least %(share)s of those present must take part (abstentions count).") % share
            )
        else:
            sentences.append(
                _(
                    "Quorum: at least %(share)s of everyone entitled to vote must take part (abstentions count)."
                )
                % share
            )
    if rule.get("turnout") is not None:
        sentences.append(
            _("Turnout: at least %(share)s of the electorate must vote (abstentions count).")
            % {"share": _share_in_words(rule["turnout"])}
        )
    majority = {"share": _share_in_words(str(Fraction(rule["majority"])))}
    if rule.get("majority_strict"):
        if rule.get("abstentions_count"):
            sentence = _("Majority: more than %(share)s of the votes cast (yes, no and abstain) must be yes.")
        else:
            sentence = _(
                "Majority: more than %(share)s of the votes cast (yes or no; abstentions do not count) must be yes."
            )
    elif rule.get("abstentions_count"):
        sentence = _("Majority: at least %(share)s of the votes cast (yes, no and abstain) must be yes.")
    else:
        sentence = _(
            "Majority: at least %(share)s of the votes cast (yes or no; abstentions do not count) must be yes."
        )
    sentences.append(sentence % majority)
    if rule.get("support") is not None:
        sentences.append(
            _("Support: at least %(share)s of the whole electorate must vote yes.")
            % {"share": _share_in_words(rule["support"])}
        )
    return sentences
