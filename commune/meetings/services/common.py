"""What every act of a meeting needs: the meeting of a session (made at its first act), its chair, and
the record of the act in the organisation's log."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from commune.audit.selectors import rows_disagreeing
from commune.audit.services import Actor, log_entry_record
from commune.federation.models import Member
from commune.meetings.errors import MeetingConflict, NotChair
from commune.meetings.models import Meeting
from commune.meetings.selectors import session_caller
from commune.meetings.services.live import meeting_changed_publish
from commune.motions.models import CouncilSession, RollEntry


def who(member: Member) -> str:
    """A person as the log names them: by name and membership number, never by email."""
    return f"{member.person.name} (member {member.number})"


def meeting_lock(session: CouncilSession) -> Meeting:
    """The session's meeting, locked for this act; made at the first act, chaired by the session's caller."""
    session = CouncilSession.objects.select_related("council__organisation").get(pk=session.pk)
    meeting, made = Meeting.objects.get_or_create(
        session=session, defaults={"chair": session_caller(session)}
    )
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("session__council__organisation", "chair__person")
        .get(pk=meeting.pk)
    )
    # A meeting made by this act is recorded with it; one made earlier must be as the log recorded it.
    meeting.made_now = made  # type: ignore[attr-defined]
    if meeting.session.closed_at is not None:
        raise MeetingConflict(_("this session has closed"))
    return meeting


def power_held_to_the_log(row: Model, refusal: str, **values: object) -> None:
    """Refuse the act when the row that gives its power (the meeting's chair, a teller's naming) is not as
    the provenance log last recorded it: a chair or a teller written into the database behind the log's
    back acts for nobody, as an officer's seat changed that way would not. ``refusal`` is the message,
    translated, with ``%(wrong)s`` where what differs goes, and ``values`` its other placeholders."""
    if getattr(row, "made_now", False):
        return
    key = (row._meta.label_lower, int(row.pk))
    wrong = rows_disagreeing([key]).get(key)
    if wrong:
        raise MeetingConflict(refusal % {**values, "wrong": wrong})


def require_chair(meeting: Meeting, member: Member, refusal: str) -> None:
    """Refuse, with ``refusal`` (what only the chair may do, translated), anyone but the chair."""
    if meeting.chair_id != member.pk:
        raise NotChair(refusal)
    power_held_to_the_log(
        meeting,
        _(
            "the chair of this meeting is not as the provenance log records it (%(wrong)s): nothing is done "
            "on that power until the record is put right"
        ),
    )


def require_sitting(meeting: Meeting) -> None:
    if timezone.now() < meeting.session.starts_at:
        raise MeetingConflict(_("the session has not started: its roll opens when it does"))


def on_roll(meeting: Meeting, member: Member) -> RollEntry | None:
    return (
        RollEntry.objects.select_related("delegation")
        .filter(session_id=meeting.session_id, attended_by=member)
        .first()
    )


def seats_on_roll(session_id: int) -> Q:
    """Votes (for the chair, on a challenge) of the seats now on the roll: a council's delegations, or at a
    general assembly the members present, each their own seat."""
    roll = RollEntry.objects.filter(session_id=session_id)
    return Q(delegation_id__in=roll.filter(delegation__isnull=False).values("delegation_id")) | Q(
        delegation__isnull=True, cast_by_id__in=roll.values("attended_by_id")
    )


def seat_key(entry: RollEntry, member: Member) -> dict[str, Any]:
    """What names a seat's one vote: its delegation, or at a general assembly the member present."""
    if entry.delegation_id is not None:
        return {"delegation_id": entry.delegation_id}
    return {"delegation": None, "cast_by": member}


def record(meeting: Meeting, action: str, summary: str, actor: Actor, **payload: Any) -> None:
    """Record the act in the log and, once it commits, tell the meeting's pages."""
    session = meeting.session
    log_entry_record(
        organisation=session.council.organisation,
        action=f"meeting.{action}",
        body_id=session.council_id,
        actor=actor,
        summary=f"{session.title}: {summary}",
        payload={"session": session.pk, **payload},
    )
    meeting_changed_publish(session.pk, action)
