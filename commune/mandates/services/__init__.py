"""Writes for mandates and delegates' votes under them (``mandates``)."""

from commune.mandates.services.mandates import (
    MandatesRunReport,
    delegate_vote_cast,
    mandate_conclude,
    mandate_decide,
    mandate_propose,
    mandates_run_due,
)

__all__ = [
    "MandatesRunReport",
    "delegate_vote_cast",
    "mandate_conclude",
    "mandate_decide",
    "mandate_propose",
    "mandates_run_due",
]
