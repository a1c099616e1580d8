"""The agenda: built by the chair from the council's business before the session starts (and at the
latest when the first item is put to the floor), then fixed for the sitting; the item on the floor."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.services import SYSTEM, Actor
from commune.federation.models import Member
from commune.meetings.errors import MeetingConflict, MeetingError
from commune.meetings.models import AgendaItem, Meeting
from commune.meetings.selectors import agenda_draft
from commune.meetings.services.common import meeting_lock, record, require_chair, require_sitting, who
from commune.motions.models import CouncilSession


def _build(meeting: Meeting) -> list[AgendaItem]:
    meeting.items.all().delete()
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, kind=i.kind, title=i.title, ref=i.ref)
        for n, i in enumerate(agenda_draft(session=meeting.session), start=1)
    )
    meeting.agenda_built_at = timezone.now()
    meeting.save(update_fields=["agenda_built_at"])
    return items


@transaction.atomic
def agenda_build(*, session: CouncilSession, member: Member, actor: Actor = SYSTEM) -> Meeting:
    """The chair builds the agenda from the council's business as it stands; again, if they wish, until the
    session starts, after which it is the sitting's."""
    meeting = meeting_lock(session)
    require_chair(meeting, member, _("only the chair of the meeting may build the agenda"))
    if meeting.agenda_built_at is not None and timezone.now() >= meeting.session.starts_at:
        raise MeetingConflict(_("the session has started: its agenda is the one it sat with"))
    items = _build(meeting)
    record(
        meeting,
        "agenda_built",
        f"agenda of {len(items)} items built by {who(member)}",
        actor,
        items=[i.title for i in items],
        by=member.number,
    )
    return meeting


@transaction.atomic
def floor_set(*, session: CouncilSession, member: Member, position: int, actor: Actor = SYSTEM) -> Meeting:
    """The chair puts an item of the agenda on the floor; whoever was speaking stops."""
    meeting = meeting_lock(session)
    require_chair(meeting, member, _("only the chair of the meeting may put an item on the floor"))
    require_sitting(meeting)
    if meeting.agenda_built_at is None:
        _build(meeting)
    item = meeting.items.filter(position=position).first()
    if item is None:
        raise MeetingError(_("the agenda has no item %(position)s") % {"position": position})
    meeting.speeches.filter(started_at__isnull=False, ended_at__isnull=True).update(ended_at=timezone.now())
    meeting.floor = item
    meeting.save(update_fields=["floor"])
    record(
        meeting,
        "floor",
        f"item {item.position}, {item.title}, on the floor",
        actor,
        item=item.position,
        by=member.number,
    )
    return meeting
