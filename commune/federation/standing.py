"""Who of an electorate the constitution lets vote: the bar a higher app installs on members' votes.

Every members' vote fixes its electorate when it opens: an election's electors, a vote's or referendum's,
a recall petition's. Where the constitution says only members in good standing vote
(``dues.voting_requires_good_standing``), the dues app installs the check here when it starts, so that the
federation, and the apps that open votes, import nothing of dues. With none installed, every member is
entitled. Whoever is left out when the process opens stays out, and whoever is in stays in, whatever they
pay or fail to pay afterwards: the electorate is fixed once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from commune.federation.constitution import Rules

#: ``check(rules, organisation_id, member_ids)`` → the ids among them the rules bar from voting now.
StandingBar = Callable[[Rules, int, list[int]], set[int]]

_BARS: list[StandingBar] = []


def voting_standing_bar_register(bar: StandingBar) -> None:
    """Install a bar on members' votes (call from an ``AppConfig.ready``; installing twice is once)."""
    if bar not in _BARS:
        _BARS.append(bar)


def electors_in_standing(*, rules: Rules, organisation_id: int, member_ids: Iterable[int]) -> list[int]:
    """``member_ids`` without those the constitution in force (``rules``) bars from voting now, in their
    order. Call as a process opens, with the rules it fixes."""
    ids = list(member_ids)
    barred: set[int] = set()
    for bar in _BARS:
        barred |= bar(rules, organisation_id, ids)
    return [mid for mid in ids if mid not in barred] if barred else ids
