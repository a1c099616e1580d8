"""Changes of a member's wage band from a month on, kept as a history: the dues of each month are reckoned
from the band the member was on that month, so a change recorded late does not reprice the months before it.
Recorded by an officer of the member's unit who keeps its roll, with the reason; on the log and told to the
member."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from commune.accounts.models import User
from commune.audit.capture import power_rows_saved
from commune.audit.services import Actor, log_entry_record
from commune.dues.errors import DuesConflict, DuesInvalid
from commune.dues.models import WageBandChange
from commune.dues.reckoning import month_start, monthly_rate
from commune.dues.services.common import date_words, dues_link, officer_actor, officer_check, reason_read
from commune.dues.services.lapsing import notices_settle
from commune.federation.bands import BandMove, BandSource
from commune.federation.currency import money
from commune.federation.models import Member, Organisation
from commune.federation.selectors import constitution_in_force
from commune.governance.models import WageBand
from commune.notifications.services import notification_send
from commune.translation import deferred

BAND_MAX = 40


@transaction.atomic
def wage_band_change_record(
    *, officer: Member, member: Member, band: str, from_month: date, reason: str
) -> WageBandChange:
    """Put ``member`` on ``band`` from ``from_month`` (any day of it; not a month to come, nor one before a
    change already recorded), for a reason. The months before it stay at the band they were on."""
    member = (
        Member.objects.select_for_update(of=("self",))
        .select_related("current_unit__organisation", "person")
        .get(pk=member.pk)
    )
    unit = member.current_unit
    if unit is None:
        raise DuesInvalid(_("member %(number)s is not a current member") % {"number": member.number})
    officer_check(officer=officer, unit=unit)
    reason = reason_read(
        reason,
        _("give the reason for the change of wage band: it is shown to the member and kept on the log"),
    )
    band = band.strip()
    if not band or len(band) > BAND_MAX:
        raise DuesInvalid(_("give the new wage band's code, at most %(max)s characters") % {"max": BAND_MAX})
    if band == member.wage_band:
        raise DuesInvalid(
            _("member %(number)s is already on the wage band %(band)s")
            % {"number": member.number, "band": band}
        )
    first = month_start(from_month)
    if first > month_start(timezone.localdate()):
        raise DuesInvalid(
            _("a change of wage band is recorded from this month or an earlier one, not a month to come")
        )
    latest = WageBandChange.objects.filter(member=member).order_by("-from_month", "-pk").first()
    if latest is not None and first <= latest.from_month:
        raise DuesConflict(
            _("member %(number)s's wage band already changed from %(month)s: a new change starts after it")
            % {"number": member.number, "month": f"{latest.from_month:%Y-%m}"}
        )
    change = WageBandChange.objects.create(
        organisation_id=member.organisation_id,
        member=member,
        band_before=member.wage_band,
        band=band,
        from_month=first,
        reason=reason,
        recorded_by=officer,
        recorded_at=timezone.now(),
    )
    before = member.wage_band
    member.wage_band = band
    member.save(update_fields=["wage_band"])
    actor = officer_actor(officer, unit)
    log_entry_record(
        organisation=unit.organisation,
        action="dues.wage_band_changed",
        body_id=unit.pk,
        actor=actor,
        summary=f"Member {member.number} put on wage band {band} (from {before or 'none'}) from {first:%B %Y} "
        f"by {unit.name}: {reason}",
        payload={
            "member": member.number,
            "band_before": before,
            "band": band,
            "from_month": first.isoformat(),
            "reason": reason,
            "recorded_by": officer.number,
        },
    )
    month = date_words(first, "YEAR_MONTH_FORMAT")
    notification_send(
        people=[member.person],
        kind="dues.wage_band",
        subject=deferred(gettext_lazy("Your wage band is %(band)s from %(month)s"), band=band, month=month),
        body=deferred(
            gettext_lazy(
                "An officer of %(unit)s put you on the wage band %(band)s from %(month)s; your dues before "
                "then stay at your earlier band. The reason given:\n\n%(reason)s"
            ),
            unit=unit.name,
            band=band,
            month=month,
            reason=reason,
        ),
        link=dues_link(member),
    )
    notices_settle(organisation=unit.organisation, member_ids=[member.pk], actor=actor)
    return change


def wage_bands_moved_record(
    organisation: Organisation,
    moves: list[BandMove],
    reason: str,
    actor: Actor,
    recorded_by: Member | None,
    source: BandSource | None = None,
) -> None:
    """Keep the changes of band made another way (a roll import, a motion setting the wage bands) in the
    members' band history from this month, and on the log: the months before keep the band they were on;
    and tell each member moved (``band_moves_notify``). Installed on ``commune.federation.bands`` when the
    app starts."""
    first = month_start(timezone.localdate())
    now = timezone.now()
    changes = WageBandChange.objects.bulk_create(
        [
            WageBandChange(
                organisation_id=organisation.pk,
                member_id=move.member.pk,
                band_before=move.before,
                band=move.band,
                from_month=first,
                reason=reason,
                recorded_by=recorded_by,
                recorded_at=now,
            )
            for move in moves
        ],
        batch_size=1000,
    )
    power_rows_saved(changes)
    log_entry_record(
        organisation=organisation,
        action="dues.wage_bands_changed",
        actor=actor,
        summary=f"{len(moves)} member(s) put on another wage band from {first:%B %Y}: {reason}",
        payload={
            "from_month": first.isoformat(),
            "reason": reason,
            "members": [
                {"member": move.member.number, "band_before": move.before, "band": move.band}
                for move in moves
            ],
        },
    )
    band_moves_notify(
        organisation=organisation, moves=moves, source=source or BandSource(reason), from_month=first
    )
    notices_settle(organisation=organisation, member_ids=[move.member.pk for move in moves], actor=actor)


#: The kind of notification a member gets when their wage band changes.
NOTICE_BAND = "dues.wage_band"


def _rate_words(organisation: Organisation, basis: str, before: Decimal, after: Decimal) -> str:
    """What the change does to the member's monthly dues, read in their language."""
    if basis == "none":
        return deferred(gettext_lazy("The constitution sets no dues, so what you pay does not change."))
    if before == after:
        return deferred(
            gettext_lazy("Your monthly dues stay at %(rate)s."), rate=money(after, organisation.currency)
        )
    return deferred(
        gettext_lazy(
            "Your monthly dues go from %(before)s to %(after)s from then; the months before stay at your "
            "earlier band's rate."
        ),
        before=money(before, organisation.currency),
        after=money(after, organisation.currency),
    )


def band_moves_notify(
    *, organisation: Organisation, moves: list[BandMove], source: BandSource, from_month: date
) -> None:
    """Tell each member whose band changed, once, in their own language: the old band and the new, what it
    does to their monthly dues, and what made the change. The members are told in batches of the same
    change (from one band to another), so a roll import of any size costs the same few queries: the rules,
    the bands' wages, the people, and one write per kind of change."""
    if not moves:
        return
    rules = constitution_in_force(organisation_id=organisation.pk).dues
    wages = dict(WageBand.objects.filter(organisation=organisation).values_list("code", "weekly"))
    people = User.objects.in_bulk([move.member.person_id for move in moves])
    alike: dict[tuple[str, str], list[User]] = defaultdict(list)
    for move in moves:
        alike[(move.before, move.band)].append(people[move.member.person_id])
    month = date_words(from_month, "YEAR_MONTH_FORMAT")
    link = source.link or reverse("dues:mine", kwargs={"slug": organisation.slug})
    for (before, band), told in alike.items():
        rate_before = monthly_rate(rules, before, wages.get(before))
        rate_after = monthly_rate(rules, band, wages.get(band))
        notification_send(
            people=told,
            kind=NOTICE_BAND,
            subject=deferred(gettext_lazy("Your wage band is now %(band)s"), band=band or "—"),
            body=deferred(
                gettext_lazy(
                    "Your wage band changed from %(before)s to %(band)s, from %(month)s, by %(source)s.\n\n%(rate)s"
                ),
                before=before or pgettext_lazy("wage band", "none"),
                band=band or pgettext_lazy("wage band", "none"),
                month=month,
                source=source.what,
                rate=_rate_words(organisation, rules.basis, rate_before, rate_after),
            ),
            link=link,
        )
