"""API: organisations, bodies, seats and representatives."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["federation"])
