"""Hardship exemptions and arrears brought forward: recorded by an officer of the member's unit, always
with a reason, on the log and told to the member, never silently."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from commune.audit.services import log_entry_record
from commune.dues.errors import DuesConflict, DuesInvalid
from commune.dues.models import ArrearsBroughtForward, DuesExemption
from commune.dues.reckoning import month_start, months_from
from commune.dues.services.common import dues_link, officer_actor, officer_check, reason_read
from commune.dues.services.lapsing import notices_settle
from commune.federation.models import Member
from commune.notifications.services import notification_send

#: The longest exemption at one time: a unit reviews hardship at least once a year.
EXEMPTION_MONTHS_MAX = 12
BROUGHT_FORWARD_MONTHS_MAX = 120


def _current(member: Member) -> Member:
    member = Member.objects.select_related("current_unit__organisation", "person").get(pk=member.pk)
    if member.current_unit is None:
        raise DuesInvalid(f"member {member.number} is not a current member")
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
    reason = reason_read(reason, "an exemption")
    first, last = month_start(first_month), month_start(last_month)
    if last < first:
        raise DuesInvalid("an exemption's last month cannot come before its first")
    months = len(months_from(first, last))
    if months > EXEMPTION_MONTHS_MAX:
        raise DuesInvalid(
            f"an exemption covers at most {EXEMPTION_MONTHS_MAX} months at a time ({months} asked): "
            "record another when the unit reviews it"
        )
    overlapping = DuesExemption.objects.filter(
        member=member, first_month__lte=last, last_month__gte=first
    ).first()
    if overlapping is not None:
        raise DuesConflict(
            f"member {member.number} is already exempt from {overlapping.first_month:%B %Y} to "
            f"{overlapping.last_month:%B %Y}"
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
        subject=f"You are exempted from dues for {span}",
        body=f"An officer of {unit.name} recorded a hardship exemption from your dues for {span}, for this "
        f"reason:\n\n{reason}",
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
    reason = reason_read(reason, "bringing arrears forward")
    if not 1 <= months <= BROUGHT_FORWARD_MONTHS_MAX:
        raise DuesInvalid(f"arrears brought forward are 1 to {BROUGHT_FORWARD_MONTHS_MAX} months")
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
        raise DuesConflict(f"member {member.number}'s arrears were already brought forward") from None
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
        subject=f"{months} months' dues you owed are brought forward",
        body=f"An officer of {unit.name} recorded that you owed {months} months' dues under the books kept "
        f"before, for this reason:\n\n{reason}",
        link=dues_link(member),
    )
    return brought
