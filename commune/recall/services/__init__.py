"""Writes for recall: petitions and signatures (``petitions``), the secret recall ballot (``ballot``),
removal and replacement by countback or by-election (``countback``), and what they share (``common``)."""

from commune.recall.services.petitions import (
    RECALL_BALLOT_PERIOD,
    RecallRunReport,
    petition_electorate,
    recall_ballot_cast,
    recall_ballot_close,
    recall_by_election_seat,
    recall_countback_standing,
    recall_electorate,
    recall_may_take_part,
    recall_petition_open,
    recall_petition_sign,
    recall_signature_withdraw,
    recall_signed,
    recalls_run_due,
)

__all__ = [
    "RECALL_BALLOT_PERIOD",
    "RecallRunReport",
    "petition_electorate",
    "recall_ballot_cast",
    "recall_ballot_close",
    "recall_by_election_seat",
    "recall_countback_standing",
    "recall_electorate",
    "recall_may_take_part",
    "recall_petition_open",
    "recall_petition_sign",
    "recall_signature_withdraw",
    "recall_signed",
    "recalls_run_due",
]
