"""The router every endpoint of the recall API registers on."""

from ninja import Router

router = Router(tags=["recall"])
