"""Writes for structural changes: moving one as a motion of a council (``proposing``) and applying it once
that council's decision stands (``applying``)."""

from commune.structure.services.applying import structural_change_apply
from commune.structure.services.deciding import structural_decision_standing
from commune.structure.services.proposing import proposal_check, structural_change_propose

__all__ = [
    "proposal_check",
    "structural_change_apply",
    "structural_change_propose",
    "structural_decision_standing",
]
