"""What a vote's page is told as it changes: its turnout after each vote cast, its result once counted.

A secret vote's events carry how many have voted and nothing else: its running choices are sealed in the
box until the count. A council votes on the record, so each seat's vote is published as it is cast, as the
page shows it on reload.
"""

from __future__ import annotations

from typing import Any

from commune.ballots.selectors import yes_no_turnout
from commune.live.services import live_publish, live_publish_latest, live_topic
from commune.motions.models import DelegateVote, OpenChoice, Vote, VoteMode

TOPIC = "vote"


def vote_topic(vote_id: int) -> str:
    return live_topic(TOPIC, vote_id)


def vote_turnout(vote: Vote) -> int:
    """How many have voted so far: members (assembly votes, referendums) or seats (councils)."""
    if vote.mode == VoteMode.SECRET:
        assert vote.box_id is not None
        return yes_no_turnout(box_id=vote.box_id)
    if vote.mode == VoteMode.OPEN:
        return OpenChoice.objects.filter(vote=vote).count()
    return DelegateVote.objects.filter(vote=vote).count()


def _turnout(vote_id: int, seat: int | None) -> dict[str, Any]:
    vote = Vote.objects.get(pk=vote_id)
    data: dict[str, Any] = {"vote": vote.pk, "turnout": vote_turnout(vote), "electorate": vote.electorate}
    if vote.mode == VoteMode.COUNCIL and seat is not None:
        cast = (
            DelegateVote.objects.select_related("delegation__constituency", "cast_by__person")
            .filter(vote=vote, delegation_id=seat)
            .first()
        )
        if cast is not None:
            data["seat"] = {
                "constituency": cast.delegation.constituency.name,
                "delegate": cast.cast_by.person.name,
                "choice": cast.get_choice_display(),
                "weight": cast.weight,
            }
    return data


def vote_cast_publish(vote_id: int, *, seat: int | None = None, committed: bool = False) -> None:
    """After a cast into the vote ``vote_id`` commits: its turnout (and in a council, the seat's vote on
    the record).

    A council's seat votes are each published, as they are on the record; a member's vote only moves the
    turnout, published coalesced (``live_publish_latest``; ``committed``, a member's vote committed on an
    event loop's own connection, as it says)."""
    if seat is not None:
        live_publish(vote_topic(vote_id), "turnout", lambda: _turnout(vote_id, seat))
    else:
        live_publish_latest(
            vote_topic(vote_id), "turnout", lambda: _turnout(vote_id, None), committed=committed
        )


def vote_closed_publish(vote: Vote) -> None:
    """After the count commits: the result, as the page states it."""
    live_publish(
        vote_topic(vote.pk),
        "closed",
        {
            "vote": vote.pk,
            "carried": bool(vote.carried),
            "yes": vote.yes,
            "no": vote.no,
            "abstain": vote.abstain,
            "electorate": vote.electorate,
            "present": vote.present,
            "council": vote.mode == VoteMode.COUNCIL,
            "explanation": vote.explanation,
        },
    )
