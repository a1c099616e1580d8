"""API of elections: calling them, nominations, endorsements and results (``elections``), and casting a
ballot, the receipt's tracker and the bulletin (``ballots``), and paper ballots (``papers``), on one router."""

from commune.elections.api.ballots import router as ballots_router
from commune.elections.api.elections import router
from commune.elections.api.papers import router as papers_router

router.add_router("", ballots_router)
router.add_router("", papers_router)

__all__ = ["router"]
