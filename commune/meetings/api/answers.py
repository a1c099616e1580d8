"""A session as a meeting, as the API answers it: its agenda, chair, roll, speakers, rulings and vote."""

from __future__ import annotations

from typing import Any

from commune.federation.models import Member
from commune.meetings.api.schemas import (
    ChairOut,
    ItemOut,
    MeetingOut,
    MeetingVoteOut,
    PersonOut,
    QuorumOut,
    RollCallEntryOut,
    RollOut,
    RulingOut,
    SpeechOut,
)
from commune.meetings.selectors import MeetingView


def _person(member: Member) -> PersonOut:
    return PersonOut(name=member.person.name, number=member.number)


def _item(item: Any) -> ItemOut:
    return ItemOut(position=getattr(item, "position", None), kind=item.kind, title=item.title, ref=item.ref)


def vote_out(view: MeetingView) -> MeetingVoteOut | None:
    vote = view.vote
    if vote is None:
        return None
    return MeetingVoteOut(
        id=vote.pk,
        question=vote.question,
        mode=vote.mode,
        open=vote.closed_at is None,
        closes_at=vote.closes_at,
        turnout=view.turnout,
        electorate=vote.electorate,
        rule=view.rule,
        count_waiting_by=_person(view.count_waiting.teller) if view.count_waiting else None,
        carried=vote.carried,
        yes=vote.yes,
        no=vote.no,
        abstain=vote.abstain,
        present=vote.present,
        explanation=vote.explanation,
        roll_call=[
            RollCallEntryOut(
                constituency=c.delegation.constituency.name,
                person=_person(c.cast_by),
                choice=c.choice,
                weight=c.weight,
                as_alternate=c.as_alternate,
                by_hand=c.cast_by.number in view.by_hand,
                departed=c.departed,
                reason=c.departure_reason,
            )
            for c in view.roll_call
        ],
    )


def meeting_out(view: MeetingView) -> MeetingOut:
    return MeetingOut(
        session=view.session.pk,
        title=view.session.title,
        sitting=view.sitting,
        chair=ChairOut(
            person=_person(view.chair) if view.chair else None,
            elected=bool(view.meeting and view.meeting.chair_elected),
            votes=[(_person(m), w) for m, w in view.chair_tally],
        ),
        agenda_built=view.agenda_built,
        agenda=[_item(i) for i in view.agenda],
        floor=_item(view.floor) if view.floor else None,
        speaking=SpeechOut(
            person=_person(view.speaking.member),
            kind=view.speaking.kind,
            started_at=view.speaking.started_at,
            ends_at=view.speech_ends_at,
        )
        if view.speaking
        else None,
        queue=[
            SpeechOut(person=_person(s.member), kind=s.kind, started_at=None, ends_at=None)
            for s in view.queue
        ],
        roll=[
            RollOut(
                constituency=r.delegation.constituency.code if r.delegation else view.session.council.code,
                person=_person(r.attended_by),
                as_alternate=r.as_alternate,
                weight=r.weight,
            )
            for r in view.roll
        ],
        quorum=QuorumOut(
            present=view.quorum.present,
            seats=view.quorum.seats,
            percent=str(view.quorum.percent),
            met=view.quorum.met,
        ),
        tellers=[_person(t.member) for t in view.tellers],
        rulings=[
            RulingOut(
                id=r.pk,
                text=r.text,
                ruled_by=_person(r.ruled_by),
                challenged_by=_person(r.challenged_by) if r.challenged_by else None,
                outcome=r.outcome,
                overrule=getattr(r, "overrule", 0),
                uphold=getattr(r, "uphold", 0),
            )
            for r in view.rulings
        ],
        vote=vote_out(view),
    )
