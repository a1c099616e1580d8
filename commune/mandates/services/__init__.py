"""Writes for mandates (``mandates``) — and, beside them, recall (``recall``).

A package from the start: recall sits in its own module next to mandates and is re-exported here.
"""

from commune.mandates.services.mandates import (
    MandatesRunReport,
    delegate_vote_cast,
    mandate_decide,
    mandate_propose,
    mandates_run_due,
)
from commune.mandates.services.recall import (
    RECALL_BALLOT_PERIOD,
    RecallRunReport,
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
    "MandatesRunReport",
    "RecallRunReport",
    "delegate_vote_cast",
    "mandate_decide",
    "mandate_propose",
    "mandates_run_due",
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
