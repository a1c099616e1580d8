"""What a meeting's pages are told as it changes. Every follower may read everything a meeting shows (the
agenda, the roll, the chair, the speakers), so an event says what changed and the page fetches itself
again; a vote's own events stay on its own topic (``commune.motions.services.live``)."""

from __future__ import annotations

from commune.live.services import live_publish, live_topic

TOPIC = "meeting"


def meeting_topic(session_id: int) -> str:
    return live_topic(TOPIC, session_id)


def meeting_changed_publish(session_id: int, what: str) -> None:
    """After the act commits: tell the meeting's pages that ``what`` changed."""
    live_publish(meeting_topic(session_id), "changed", {"session": session_id, "what": what})
