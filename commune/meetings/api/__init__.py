"""API: a council session as a meeting (``endpoints``, answering with ``answers`` in the shapes of
``schemas``). Every current member may read it; the services check who may act (the chair, a teller, a
seat on the roll)."""

from commune.meetings.api.endpoints import router

__all__ = ["router"]
