"""Writes for motions: moving and forwarding them, votes and referrals, council sessions.

A package because the whole is long; each module owns one part.
"""

from commune.motions.services.casting import vote_cast_by_caller, vote_cast_by_caller_on_loop
from commune.motions.services.motions import (
    amendment_propose,
    amendments_lapse,
    constitution_rules,
    member_sits_in,
    motion_forward,
    motion_move,
    motion_move_by_right,
    motion_move_on_signatures,
    motion_support,
)
from commune.motions.services.sessions import seat_weights, session_close, session_open, session_roll_sign
from commune.motions.services.votes import (
    CastRecord,
    MotionsRunReport,
    amendment_vote_open,
    assembly_vote_cast,
    council_vote_caster_register,
    motion_refer_vote_open,
    motion_vote_open,
    motions_run_due,
    referral_close,
    vote_bar_register,
    vote_barred,
    vote_bars_check,
    vote_cast,
    vote_close,
    vote_conclude,
    vote_concluder_register,
    vote_open,
)

__all__ = [
    "CastRecord",
    "MotionsRunReport",
    "amendment_propose",
    "amendment_vote_open",
    "amendments_lapse",
    "assembly_vote_cast",
    "constitution_rules",
    "council_vote_caster_register",
    "member_sits_in",
    "motion_forward",
    "motion_move",
    "motion_move_by_right",
    "motion_move_on_signatures",
    "motion_refer_vote_open",
    "motion_support",
    "motion_vote_open",
    "motions_run_due",
    "referral_close",
    "seat_weights",
    "session_close",
    "session_open",
    "session_roll_sign",
    "vote_bar_register",
    "vote_barred",
    "vote_bars_check",
    "vote_cast",
    "vote_cast_by_caller",
    "vote_cast_by_caller_on_loop",
    "vote_close",
    "vote_conclude",
    "vote_concluder_register",
    "vote_open",
]
