"""API: executives and their decisions, call-ins, constitutional amendments, the register of offices and
their pay, wage bands, tendencies.

Every current member of an organisation may read all of it. Writes go through the governance services,
which check who may do what; refusals are ``{"detail": ...}`` with 400 (a rule broken), 403 (not yours to
do, or nobody's: a reserved power) or 409 (not at that stage).

One ``router`` (in ``common``): each module of endpoints registers on it when imported, and they are
imported below in the order their paths must be matched. Operation ids are given explicitly, so they do
not depend on the module an endpoint lives in.
"""

from commune.governance.api.common import router

# isort: off
from commune.governance.api import executives  # noqa: F401
from commune.governance.api import call_ins  # noqa: F401
from commune.governance.api import constitution  # noqa: F401
from commune.governance.api import offices  # noqa: F401
from commune.governance.api import tendencies  # noqa: F401
# isort: on

__all__ = ["router"]
