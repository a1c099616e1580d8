"""API of elections: calling them, nominations, endorsements and results (``elections``), and casting a
ballot, the receipt's tracker and the bulletin (``ballots``), on one router."""

from commune.elections.api.ballots import router as ballots_router
from commune.elections.api.elections import router

router.add_router("", ballots_router)

__all__ = ["router"]
