"""Changes of a member's wage band from a month on, kept as a history: the dues of each month are reckoned
from the band the member was on that month, so a change recorded late does not reprice the months before it.
Recorded by an officer of the member's unit who keeps its roll, with the reason; on the log and told to the
member."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commune.audit.capture import power_rows_saved
from commune.audit.services import Actor, log_entry_record
from commune.dues.errors import DuesConflict, DuesInvalid
from commune.dues.models import WageBandChange
from commune.dues.reckoning import month_start
from commune.dues.services.common import date_words, dues_link, officer_actor, officer_check, reason_read
from commune.dues.services.lapsing import notices_settle
from commune.federation.bands import BandMove
from commune.federation.models import Member, Organisation
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
) -> None:
    """Keep the changes of band made another way (a roll import, a motion setting the wage bands) in the
    members' band history from this month, and on the log: the months before keep the band they were on.
    Installed on ``commune.federation.bands`` when the app starts."""
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
    notices_settle(organisation=organisation, member_ids=[move.member.pk for move in moves], actor=actor)
