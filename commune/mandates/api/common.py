"""The router every endpoint of the mandates API registers on."""

from ninja import Router

router = Router(tags=["mandates"])
