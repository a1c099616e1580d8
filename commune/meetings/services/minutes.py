"""Adopting the minutes of the council's last session: the next meeting does it, as an item of its agenda,
and from then the minutes are fixed."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor
from commune.federation.models import Member
from commune.meetings.errors import MeetingConflict
from commune.meetings.minutes import minutes_digest, minutes_record
from commune.meetings.models import ItemKind, Minutes
from commune.meetings.services.common import meeting_lock, record, require_chair, require_sitting, who
from commune.motions.models import CouncilSession
from commune.motions.services.sessions import seats_quorum


@transaction.atomic
def minutes_adopt(*, session: CouncilSession, member: Member, actor: Actor = SYSTEM) -> Minutes:
    """The chair, with the minutes of the last session on the floor and the meeting quorate, records that
    the meeting adopts them. The minutes are fixed as the record then stood, and the log entry of the
    adoption carries their digest, so any later change to them shows."""
    meeting = meeting_lock(session)
    require_chair(meeting, member, _("only the chair of the meeting may put the minutes to the meeting"))
    require_sitting(meeting)
    item = meeting.floor
    if item is None or item.kind != ItemKind.MINUTES or item.ref is None:
        raise MeetingConflict(_("the minutes of the last session are not on the floor"))
    previous = CouncilSession.objects.filter(
        pk=item.ref, council_id=meeting.session.council_id, closed_at__isnull=False
    ).first()
    if previous is None:
        raise MeetingConflict(_("those minutes are of no closed session of this council"))
    quorum = seats_quorum(session=meeting.session)
    if not quorum.met:
        raise MeetingConflict(
            _("the meeting is not quorate, so it adopts nothing: %(quorum)s") % {"quorum": quorum.words()}
        )
    written = minutes_record(session=previous)
    digest = minutes_digest(written)
    try:
        with transaction.atomic():
            minutes = Minutes.objects.create(
                session=previous,
                record=written,
                digest=digest,
                adopted_at=timezone.now(),
                adopted_in=meeting.session,
                adopted_by=member,
            )
    except IntegrityError as exc:
        raise MeetingConflict(_("these minutes are already adopted: they are fixed")) from exc
    record(
        meeting,
        "minutes_adopted",
        f"the minutes of {previous.title} adopted by the meeting, put by the chair {who(member)}",
        actor,
        minutes_of=previous.pk,
        digest=digest,
        by=member.number,
    )
    return minutes
