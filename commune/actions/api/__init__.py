"""API: calls to action and their endorsement and participation, events and their shifts, strike pay,
and a person's calendar address.

Every current member of an organisation reads its calls, events and the totals of strike pay; a claim
is read by its claimant and by the members of an executive that may pay it. Writes go through the
services, which check who may do what; refusals are ``{"detail": ...}`` with 400 (a rule broken), 403
(not yours to do: no power, no seat, no reach, your own claim) or 409 (not at that stage, a full shift).
"""

from commune.actions.api.common import router

# isort: off
from commune.actions.api import calls  # noqa: F401
from commune.actions.api import events  # noqa: F401
from commune.actions.api import strike_pay  # noqa: F401
from commune.actions.api import notices  # noqa: F401
# isort: on

__all__ = ["router"]
