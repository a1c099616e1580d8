"""API: recall (``/orgs/{slug}/recalls``): petitions, signatures, the secret recall ballot and the result;
see ``docs/recall.md``.

One ``router`` (in ``common``): each module of endpoints registers on it when imported. Operation ids are
given explicitly, so they do not depend on the module an endpoint lives in.
"""

from commune.recall.api.common import router

# isort: off
from commune.recall.api import endpoints  # noqa: F401
from commune.recall.api import papers  # noqa: F401
# isort: on

__all__ = ["router"]
