"""API: mandates given by constituencies on items before the council above, and each delegate's
compliance record (their votes beside their mandates).

A mandate is proposed to the constituency's own vote and exists only if that vote carries it
(``POST /orgs/{slug}/votes/{id}/close`` closes it, as any vote). No endpoint sets a mandate directly.

One ``router`` (in ``common``): each module of endpoints registers on it when imported, and they are
imported below in the order their paths must be matched. Operation ids are given explicitly, so they do
not depend on the module an endpoint lives in.
"""

from commune.mandates.api.common import router

# isort: off
from commune.mandates.api import mandates  # noqa: F401
# isort: on

__all__ = ["router"]
