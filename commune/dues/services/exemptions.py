"""Hardship exemptions and arrears brought forward: recorded by an officer of the member's unit, always
with a reason, on the log and told to the member, never silently."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from commune.audit.services import log_entry_record
from commune.dues.errors import DuesConflict, DuesInvalid
from commune.dues.models import ArrearsBroughtForward, DuesExemption
from commune.dues.reckoning import month_start, months_from
from commune.dues.services.common import date_words, dues_link, officer_actor, officer_check, reason_read
from commune.dues.services.lapsing import notices_settle
from commune.federation.models import Member
from commune.notifications.services import notification_send
from commune.translation import deferred

#: The longest exemption at one time: a unit reviews hardship at least once a year.
EXEMPTION_MONTHS_MAX = 12
BROUGHT_FORWARD_MONTHS_MAX = 120


def _current(member: Member) -> Member:
    member = Member.objects.select_related("current_unit__organisation", "person").get(pk=member.pk)
    if member.current_unit is None:
        raise DuesInvalid(_("member %(number)s is not a current member") % {"number": member.number})
    return member


@transaction.atomic
def dues_exemption_record(
    *, officer: Member, member: Member, first_month: date, last_month: date, reason: str
) -> DuesExemption:
    """Exempt ``member`` from the dues of ``first_month`` to ``last_month`` (any day of each; both
    included), in hardship, for a reason the member is shown and the log keeps."""
    member = _current(member)
    unit = member.current_unit
    assert unit is not None
    officer_check(officer=officer, unit=unit)
    reason = reason_read(
        reason, _("give the reason for an exemption: it is shown to the member and kept on the log")
    )
    first, last = month_start(first_month), month_start(last_month)
    if last < first:
        raise DuesInvalid(_("an exemption's last month cannot come before its first"))
    months = len(months_from(first, last))
    if months > EXEMPTION_MONTHS_MAX:
        raise DuesInvalid(
            _(
                "an exemption covers at most %(max)s months at a time (%(months)s asked): record another when "
                "the unit reviews it"
            )
            % {"max": EXEMPTION_MONTHS_MAX, "months": months}
        )
    overlapping = DuesExemption.objects.filter(
        member=member, first_month__lte=last, last_month__gte=first
    ).first()
    if overlapping is not None:
        raise DuesConflict(
            _("member %(number)s is already exempt from %(first)s to %(last)s")
            % {
                "number": member.number,
                "first": formats.date_format(overlapping.first_month, "YEAR_MONTH_FORMAT"),
                "last": formats.date_format(overlapping.last_month, "YEAR_MONTH_FORMAT"),
            }
        )
    exemption = DuesExemption.objects.create(
        organisation_id=member.organisation_id,
        member=member,
        unit=unit,
        first_month=first,
        last_month=last,
        reason=reason,
        recorded_by=officer,
        recorded_at=timezone.now(),
    )
    span = f"{first:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}"
    months_words = (
        date_words(first, "YEAR_MONTH_FORMAT")
        if first == last
        else deferred(
            gettext_lazy("%(first)s to %(last)s"),
            first=date_words(first, "YEAR_MONTH_FORMAT"),
            last=date_words(last, "YEAR_MONTH_FORMAT"),
        )
    )
    actor = officer_actor(officer, unit)
    log_entry_record(
        organisation=unit.organisation,
        action="dues.exemption_recorded",
        body_id=unit.pk,
        actor=actor,
        summary=f"Member {member.number} exempted from dues for {span} by {unit.name}: {reason}",
        payload={
            "member": member.number,
            "first_month": first.isoformat(),
            "last_month": last.isoformat(),
            "reason": reason,
            "recorded_by": officer.number,
        },
    )
    notification_send(
        people=[member.person],
        kind="dues.exemption",
        subject=deferred(gettext_lazy("You are exempted from dues for %(months)s"), months=months_words),
        body=deferred(
            gettext_lazy(
                "An officer of %(unit)s recorded a hardship exemption from your dues for %(months)s, for this "
                "reason:\n\n%(reason)s"
            ),
            unit=unit.name,
            months=months_words,
            reason=reason,
        ),
        link=dues_link(member),
    )
    notices_settle(organisation=unit.organisation, member_ids=[member.pk], actor=actor)
    return exemption


@transaction.atomic
def arrears_brought_forward_record(
    *, officer: Member, member: Member, months: int, reason: str
) -> ArrearsBroughtForward:
    """Record the months a member already owed under the books the unit kept before (once per member),
    for a reason the member is shown and the log keeps."""
    member = _current(member)
    unit = member.current_unit
    assert unit is not None
    officer_check(officer=officer, unit=unit)
    reason = reason_read(
        reason,
        _("give the reason for bringing arrears forward: it is shown to the member and kept on the log"),
    )
    if not 1 <= months <= BROUGHT_FORWARD_MONTHS_MAX:
        raise DuesInvalid(
            _("arrears brought forward are 1 to %(max)s months") % {"max": BROUGHT_FORWARD_MONTHS_MAX}
        )
    try:
        with transaction.atomic():
            brought = ArrearsBroughtForward.objects.create(
                organisation_id=member.organisation_id,
                member=member,
                months=months,
                reason=reason,
                recorded_by=officer,
                recorded_at=timezone.now(),
            )
    except IntegrityError:
        raise DuesConflict(
            _("member %(number)s's arrears were already brought forward") % {"number": member.number}
        ) from None
    log_entry_record(
        organisation=unit.organisation,
        action="dues.arrears_brought_forward",
        body_id=unit.pk,
        actor=officer_actor(officer, unit),
        summary=f"{months} months' dues owed by member {member.number} brought forward by {unit.name}: {reason}",
        payload={"member": member.number, "months": months, "reason": reason, "recorded_by": officer.number},
    )
    notification_send(
        people=[member.person],
        kind="dues.brought_forward",
        subject=deferred(
            ngettext_lazy(
                "%(months)s month's dues you owed is brought forward",
                "%(months)s months' dues you owed are brought forward",
                months,
            ),
            months=months,
        ),
        body=deferred(
            ngettext_lazy(
                "An officer of %(unit)s recorded that you owed %(months)s month's dues under the books kept "
                "before, for this reason:\n\n%(reason)s",
                "An officer of %(unit)s recorded that you owed %(months)s months' dues under the books kept "
                "before, for this reason:\n\n%(reason)s",
                months,
            ),
            unit=unit.name,
            months=months,
            reason=reason,
        ),
        link=dues_link(member),
    )
    return brought
