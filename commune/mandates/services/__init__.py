"""Writes for mandates (``mandates``) — and, beside them, recall.

A package from the start: recall sits in its own module next to mandates and is re-exported here.
"""

from commune.mandates.services.mandates import delegate_vote_cast, mandate_decide, mandate_propose

__all__ = ["delegate_vote_cast", "mandate_decide", "mandate_propose"]
