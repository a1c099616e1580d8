"""Every change of a member's wage band goes through here (``member_bands_move``), whatever makes it: a roll
import, a re-admission, a motion setting the wage bands. The dues app, which the federation does not import,
registers a recorder here when Django starts (its ``AppConfig.ready``): it keeps each change in the member's
band history, from the month it is made, and on the log, so that no way of changing a band reprices the
months before it. With none installed, the bands are only set.

The recorder also tells each member whose band changed, once, in their own language: the old band and the
new, what it does to their dues, and what made the change (``told``: the decision or the import, as a lazy
text each member reads in their language).

A change an officer records from an earlier month goes through the dues app's own service, which keeps the
month it names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

from commune.audit.capture import power_rows_saved
from commune.audit.services import SYSTEM, Actor
from commune.federation.models import Member, Organisation


@dataclass(frozen=True)
class BandMove:
    """``member`` moved from ``before`` to ``band``."""

    member: Member
    before: str
    band: str


@dataclass(frozen=True)
class BandSource:
    """What made a change of band, as the members it moved are told: ``what`` (lazy, read in each member's
    language: "the roll of Depot 4 imported on 6 December 2026 by …", "motion 12 of the District Council")
    and a page about it, if any."""

    what: str | Promise
    link: str = ""


#: ``recorder(organisation, moves, reason, actor, recorded_by, source)``: keeps the moves and tells the
#: members (called inside the transaction that sets the bands, after they are saved).
BandRecorder = Callable[
    [Organisation, list[BandMove], str, Actor, "Member | None", "BandSource | None"], None
]

_recorders: list[BandRecorder] = []


def wage_band_recorder_register(recorder: BandRecorder) -> None:
    """Register a recorder (idempotent: Django may call ``ready`` more than once in tests)."""
    if recorder not in _recorders:
        _recorders.append(recorder)


def member_bands_move(
    *,
    organisation: Organisation,
    moves: Iterable[tuple[Member, str]],
    reason: str,
    actor: Actor = SYSTEM,
    recorded_by: Member | None = None,
    source: BandSource | None = None,
    batch_size: int = 1000,
) -> list[BandMove]:
    """Put each member on its band (members already on it are left alone), save the bands and hand the
    changes to the recorders; the changes made. ``source`` is what the members moved are told made the
    change (``reason`` if none). Call inside the transaction that makes them."""
    changed = [BandMove(m, m.wage_band, band) for m, band in moves if m.wage_band != band]
    if not changed:
        return []
    for move in changed:
        move.member.wage_band = move.band
    members = [move.member for move in changed]
    Member.objects.bulk_update(members, ["wage_band"], batch_size=batch_size)
    power_rows_saved(members)
    for recorder in _recorders:
        recorder(organisation, changed, reason, actor, recorded_by, source)
    return changed
