"""API: motions, amendments, votes, referrals and council sessions.

Every current member of an organisation may read all of it. Moving, supporting, amending and putting a
question to a body need a seat in it (a unit's members, a council's delegates); voting needs a place on
the vote's electorate or, in a council, on the session's roll. Council votes are cast through the mandates
service, which checks each against the constituency's mandate.

One ``router`` (in ``common``): each module of endpoints registers on it when imported, and they are
imported below in the order their paths must be matched. Operation ids are given explicitly, so they do
not depend on the module an endpoint lives in.
"""

from commune.motions.api.common import router

# isort: off
from commune.motions.api import motions  # noqa: F401
from commune.motions.api import votes  # noqa: F401
from commune.motions.api import papers  # noqa: F401
from commune.motions.api import sessions  # noqa: F401
from commune.motions.api import ballot_notice  # noqa: F401
# isort: on

__all__ = ["router"]
