"""What stands between a roll officer and the members they could lapse.

- **Nobody lapses unseen.** Every import that lapses anyone names each of them, and is applied only with a
  confirmation code that stands for exactly that set of members (``lapse_code``): a dry run gives it, the
  real import must repeat it. If the membership changed in between, the code no longer matches.
- **Never oneself.** A roll can never lapse the officer who imports it or confirms it.
- **Not alone for many.** An import lapsing more than the constitution's
  ``roll.second_officer_lapse_percent`` of the unit (a tenth by default) waits for a second officer of the
  unit whose office manages the roll.
- **Not in one's own cause.** An officer who is the subject of an open recall, or a candidate in an open
  election, cannot change the roll of the unit that process concerns: the roll decides who takes part.

Which processes concern an officer belongs to the apps that run them (elections, recall), which the
federation does not import: each registers a check here when Django starts (their ``AppConfig.ready``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal

from commune.federation.models import Body, Member

#: A check of whether ``member`` has a process open that ``unit``'s roll decides: a reason, or None.
RollConflictCheck = Callable[[Body, Member], "str | None"]

_conflict_checks: list[RollConflictCheck] = []


def roll_conflict_check_register(check: RollConflictCheck) -> None:
    """Register a check (idempotent: Django may call ``ready`` more than once in tests)."""
    if check not in _conflict_checks:
        _conflict_checks.append(check)


def roll_conflicts(*, unit: Body, officer: Member) -> list[str]:
    """Why ``officer`` may not change ``unit``'s roll now (empty when they may)."""
    return [reason for check in _conflict_checks if (reason := check(unit, officer))]


def lapse_code(*, unit_id: int, numbers: Iterable[str]) -> str:
    """A short code that stands for exactly these members lapsing from this unit."""
    text = f"{unit_id}:" + ",".join(sorted(numbers))
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def needs_second_officer(*, lapsing: int, unit_members: int, percent: Decimal) -> bool:
    """More than ``percent`` of the unit's current members would lapse."""
    return lapsing > 0 and Decimal(lapsing) * 100 > percent * unit_members
