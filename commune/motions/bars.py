"""Rules that keep members from voting on a question they have an interest in, installed by the apps that
know the interest (governance: nobody votes on a figure that bounds their own pay), and checked by every
way of casting a vote.

A rule may also say, as an SQL condition on the motion, when it can bar anyone at all (a motion on pay).
The cast's first query then asks that condition beside the caller and the vote (``access_vote_caster``),
so that the rule's own query is made only for a motion it can apply to; a vote read any other way is
checked by the rule itself, as before."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from commune.federation.models import Member
from commune.motions.errors import NotEntitled
from commune.motions.models import Vote

VoteBar = Callable[[Vote], Mapping[int, str]]
#: For a motion id column of a query, an SQL condition true when the rule may bar someone from its vote.
BarAppliesSql = Callable[[str], str]

_vote_bars: list[VoteBar] = []
_applies: dict[VoteBar, BarAppliesSql | None] = {}

#: Set on a vote read together with ``vote_bars_may_apply_sql``'s answer, when that answer was no.
BARS_CLEAR = "bars_clear"


def vote_bar_register(bar: VoteBar, *, applies_sql: BarAppliesSql | None = None) -> None:
    """Install a rule that keeps members from voting on a question they have an interest in. ``bar``
    answers, for a vote, the members it keeps out (member id → the reason); ``applies_sql``, if given,
    answers for a motion id column an SQL condition that is false only where ``bar`` keeps nobody out."""
    if bar not in _vote_bars:
        _vote_bars.append(bar)
    _applies[bar] = applies_sql


def vote_bars_may_apply_sql(motion: str) -> str:
    """An SQL condition on the motion id column ``motion``: false only when no installed rule can bar
    anyone from the motion's vote (``TRUE`` if a rule does not say when it applies)."""
    conditions = []
    for bar in _vote_bars:
        applies = _applies.get(bar)
        if applies is None:
            return "TRUE"
        conditions.append(f"({applies(motion)})")
    return " OR ".join(conditions) or "FALSE"


def vote_barred(vote: Vote) -> dict[int, str]:
    """Every member kept from voting on ``vote`` by an installed rule, with the reason."""
    barred: dict[int, str] = {}
    for bar in _vote_bars:
        barred.update(bar(vote))
    return barred


def vote_bars_check(*, vote: Vote, member: Member) -> None:
    """Refuse the member's vote, with the reason, if any installed rule bars it; every way of casting calls
    this before it records anything. A vote read with its rules' conditions found false
    (``BARS_CLEAR``) is let through without asking the rules again."""
    if getattr(vote, BARS_CLEAR, False):
        return
    reason = vote_barred(vote).get(member.pk)
    if reason:
        raise NotEntitled(reason)
