"""Writes for the federation: founding, bodies, members, seats and the constitution.

Every act that confers, uses or removes power is recorded in the provenance log in the same transaction.

A package: founding and the constitution (``organisation``), bodies (``bodies``), members
(``membership``) and seats and offices (``seats``), all re-exported here.
"""

from commune.federation.services.bodies import bodies_create_tree, body_create
from commune.federation.services.membership import (
    END_EXPIRED,
    END_LAPSED,
    END_TRANSFERRED,
    _adjust_counts,
    member_admit,
    member_counts_refresh,
    member_lapse,
    member_power_end,
    member_transfer,
    terms_expired_end,
)
from commune.federation.services.organisation import (
    FederationError,
    constitution_adopt,
    constitution_referendum_check_register,
    organisation_found,
)
from commune.federation.services.restructuring import (
    constituency_seats_end,
    structural_decision_check_register,
    structural_decision_require,
    unit_dissolve,
    unit_move,
)
from commune.federation.services.seats import council_apportion, delegation_seat, office_create, office_fill

__all__ = [
    "END_EXPIRED",
    "END_LAPSED",
    "END_TRANSFERRED",
    "FederationError",
    "_adjust_counts",
    "bodies_create_tree",
    "body_create",
    "constituency_seats_end",
    "constitution_adopt",
    "constitution_referendum_check_register",
    "council_apportion",
    "delegation_seat",
    "member_admit",
    "member_counts_refresh",
    "member_lapse",
    "member_power_end",
    "member_transfer",
    "office_create",
    "office_fill",
    "organisation_found",
    "structural_decision_check_register",
    "structural_decision_require",
    "terms_expired_end",
    "unit_dissolve",
    "unit_move",
]
