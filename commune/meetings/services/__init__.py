"""Writes of a meeting, each recorded in the organisation's log and announced to its pages."""

from commune.meetings.services.agenda import agenda_build, floor_set
from commune.meetings.services.floor import (
    chair_vote,
    check_in,
    desk_check_in,
    speaker_next,
    speech_request,
    teller_name,
)
from commune.meetings.services.minutes import minutes_adopt
from commune.meetings.services.rulings import ruling_challenge, ruling_make, ruling_vote
from commune.meetings.services.votes import (
    hand_count_enter,
    hand_count_withdraw,
    meeting_vote_cast,
    meeting_vote_close,
    meeting_vote_open,
)

__all__ = [
    "agenda_build",
    "chair_vote",
    "check_in",
    "desk_check_in",
    "floor_set",
    "hand_count_enter",
    "hand_count_withdraw",
    "meeting_vote_cast",
    "meeting_vote_close",
    "meeting_vote_open",
    "minutes_adopt",
    "ruling_challenge",
    "ruling_make",
    "ruling_vote",
    "speaker_next",
    "speech_request",
    "teller_name",
]
