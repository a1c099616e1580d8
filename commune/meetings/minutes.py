"""Minutes written from the record: who attended, who chaired, each item of the agenda with its mover,
its speakers, every vote (thresholds, result and roll-call) and what was decided, the chair's rulings.

Nobody writes minutes by hand, so they cannot say what did not happen. Until the council's next meeting
adopts them they are written afresh on each read; once adopted, the record as it stood is fixed
(``Minutes``), with its digest in the log entry of the adoption.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.utils import timezone

from commune.audit.chain import canonical_json
from commune.audit.models import LogEntry
from commune.federation.models import Member
from commune.meetings.models import HandCount, ItemKind, Meeting, Minutes, Ruling, Speech
from commune.meetings.selectors import session_caller
from commune.motions.models import CouncilSession, DelegateVote, Motion, RollEntry, Vote, VoteMode
from commune.motions.thresholds import rule_explained

Record = dict[str, Any]


def _when(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%d %b %Y %H:%M %Z}" if moment else ""


def _who(member: Member | None) -> str:
    return f"{member.person.name} (member {member.number})" if member else ""


def _attendance(session: CouncilSession) -> list[Record]:
    return [
        {
            # At a general assembly each member present sits for the unit itself.
            "constituency": r.delegation.constituency.name if r.delegation else session.council.name,
            "name": r.attended_by.person.name,
            "number": r.attended_by.number,
            "alternate_for": r.delegation.member.person.name if r.delegation and r.as_alternate else "",
            "weight": r.weight,
            "signed_at": _when(r.signed_at),
        }
        for r in RollEntry.objects.filter(session=session)
        .select_related("delegation__constituency", "delegation__member__person", "attended_by__person")
        .order_by("delegation__constituency__code", "attended_by__number", "pk")
    ]


def _chairs(session: CouncilSession) -> list[str]:
    caller = session_caller(session)
    chairs = [f"{_who(caller)}, who called the session"] if caller else []
    prefix = f"{session.title}: "
    chairs += [
        e.summary.removeprefix(prefix)
        for e in LogEntry.objects.filter(
            organisation_id=session.council.organisation_id,
            action="meeting.chair_elected",
            body_id=session.council_id,
            payload__session=session.pk,
        ).order_by("seq")
    ]
    return chairs


def _votes(session: CouncilSession) -> dict[int, list[Record]]:
    """Every vote of the session, by motion."""
    votes = list(Vote.objects.filter(session=session).order_by("opened_at", "pk"))
    casts: dict[int, list[DelegateVote]] = {}
    for cast in DelegateVote.objects.filter(vote__in=votes).select_related(
        "delegation__constituency", "cast_by__person"
    ):
        casts.setdefault(cast.vote_id, []).append(cast)
    hands: dict[int, set[str]] = {}
    counted_by: dict[int, list[str]] = {}
    for count in HandCount.objects.filter(vote__in=votes, merged_at__isnull=False).select_related(
        "teller__person"
    ):
        hands.setdefault(count.vote_id, set()).update(n for names in count.choices.values() for n in names)
        counted_by.setdefault(count.vote_id, []).append(_who(count.teller))
    by_motion: dict[int, list[Record]] = {}
    for vote in votes:
        closed = vote.closed_at is not None
        by_motion.setdefault(vote.motion_id, []).append(
            {
                "id": vote.pk,
                "question": vote.question,
                "opened_by": vote.opened_by,
                "opened_at": _when(vote.opened_at),
                "closed_at": _when(vote.closed_at),
                "result": ("Carried" if vote.carried else "Not carried") if closed else "Still open",
                "yes": vote.yes,
                "no": vote.no,
                "abstain": vote.abstain,
                "present": vote.present,
                "electorate": vote.electorate,
                "explanation": vote.explanation,
                "rule": rule_explained(vote.rule),
                "tellers": counted_by.get(vote.pk, []),
                "roll_call": [
                    {
                        "constituency": c.delegation.constituency.name,
                        "name": c.cast_by.person.name,
                        "number": c.cast_by.number,
                        "choice": c.get_choice_display(),
                        "weight": c.weight,
                        "alternate": c.as_alternate,
                        "by_hand": c.cast_by.number in hands.get(vote.pk, set()),
                        "departed": c.departed,
                        "reason": c.departure_reason,
                    }
                    for c in casts.get(vote.pk, [])
                ]
                if closed and vote.mode == VoteMode.COUNCIL
                else [],
            }
        )
    return by_motion


def minutes_record(*, session: CouncilSession) -> Record:
    """The minutes of ``session`` as its record stands now."""
    session = CouncilSession.objects.select_related("council__organisation").get(pk=session.pk)
    meeting = Meeting.objects.filter(session=session).first()
    votes = _votes(session)
    items: list[Record] = []
    speeches: dict[int, list[str]] = {}
    rulings: list[Record] = []
    tellers: list[str] = []
    adopted: list[str] = []
    if meeting is not None:
        for speech in (
            Speech.objects.filter(meeting=meeting, started_at__isnull=False)
            .select_related("member__person")
            .order_by("started_at", "pk")
        ):
            if speech.item_id is not None:
                speeches.setdefault(speech.item_id, []).append(
                    f"{_who(speech.member)}, {speech.get_kind_display().lower()}"
                )
        rulings = [
            {
                "text": r.text,
                "by": _who(r.ruled_by),
                "challenged_by": _who(r.challenged_by),
                "outcome": r.get_outcome_display() if r.challenged_by_id else "Not challenged",
            }
            for r in Ruling.objects.filter(meeting=meeting).select_related(
                "ruled_by__person", "challenged_by__person"
            )
        ]
        tellers = [_who(t.member) for t in meeting.tellers.select_related("member__person")]
        adopted = [
            f"Minutes of {m.session.title}"
            for m in Minutes.objects.filter(adopted_in=session).select_related("session")
        ]
    motions = Motion.objects.select_related("moved_by__person").in_bulk(
        [i.ref for i in (meeting.items.all() if meeting else []) if i.kind == ItemKind.MOTION and i.ref]
        + list(votes)
    )
    listed: set[int] = set()
    for item in meeting.items.all() if meeting else []:
        motion = motions.get(item.ref) if item.kind == ItemKind.MOTION and item.ref else None
        if motion is not None:
            listed.add(motion.pk)
        items.append(
            _item(item.position, item.title, motion, speeches.get(item.pk, []), votes, adopted, item)
        )
    for motion_id in votes:
        if motion_id not in listed and motion_id in motions:
            items.append(
                _item(None, f"Motion: {motions[motion_id].title}", motions[motion_id], [], votes, [], None)
            )
    return {
        "session": session.pk,
        "title": session.title,
        "council": session.council.name,
        "organisation": session.council.organisation.name,
        "called_by": session.opened_by,
        "starts_at": _when(session.starts_at),
        "closed_at": _when(session.closed_at),
        "attendance": _attendance(session),
        "chairs": _chairs(session),
        "tellers": tellers,
        "items": items,
        "rulings": rulings,
    }


def _item(
    position: int | None,
    title: str,
    motion: Motion | None,
    speakers: list[str],
    votes: dict[int, list[Record]],
    adopted: list[str],
    item: Any,
) -> Record:
    decision = ""
    if motion is not None:
        decision = motion.get_status_display()
    elif item is not None and item.kind == ItemKind.MINUTES:
        decision = "Adopted" if item.title in adopted else "Not adopted"
    return {
        "position": position,
        "title": title,
        "mover": _who(motion.moved_by) if motion is not None else "",
        "text": motion.text if motion is not None else "",
        "speakers": speakers,
        "votes": votes.get(motion.pk, []) if motion is not None else [],
        "decision": decision,
    }


def minutes_digest(record: Record) -> str:
    return hashlib.sha256(canonical_json(record).encode()).hexdigest()


def minutes_of(*, session: CouncilSession) -> tuple[Record, Minutes | None]:
    """The minutes as adopted (fixed), or as the record stands while they are not yet adopted."""
    adopted = (
        Minutes.objects.select_related("adopted_in", "adopted_by__person").filter(session=session).first()
    )
    if adopted is not None:
        return adopted.record, adopted
    return minutes_record(session=session), None
