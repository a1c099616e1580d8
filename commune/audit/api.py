"""API: the provenance log."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["provenance"])
