"""The provenance of a decision, read as a tree: the decision ← the vote and its tally ← the body that voted
← the seats of those who voted ← the elections that filled them ← the constituencies that elected them
(their electorate and the apportionment that fixed their seats). An executive's decision stands on the
power it used, the executive's charter and the council vote that adopted it, with any call-in and the
council's vote on it.

Every node names the page that shows it and the provenance log entry that recorded it (position and
hash), so a member can check each link against the tamper-evident log. A link that should exist but
does not — a seat no election conferred, an act the log never recorded — is kept in the tree as a *gap*,
never silently dropped: that is the point of reading provenance.

Each reader issues a fixed number of queries however many seats, voters or elections lie behind the
decision (see ``tests/provenance/test_queries.py``).
"""

from commune.provenance.selectors.decisions import (
    decision_provenance,
    election_provenance,
    motion_provenance_tree,
    referral_provenance,
    vote_provenance,
)
from commune.provenance.selectors.executives import executive_decision_provenance
from commune.provenance.selectors.tree import (
    DECISION_KINDS,
    LOGGED_KINDS,
    LogRef,
    Provenance,
    ProvenanceNode,
    provenance_page_url,
)

__all__ = [
    "DECISION_KINDS",
    "LOGGED_KINDS",
    "LogRef",
    "Provenance",
    "ProvenanceNode",
    "decision_provenance",
    "election_provenance",
    "executive_decision_provenance",
    "motion_provenance_tree",
    "provenance_page_url",
    "referral_provenance",
    "vote_provenance",
]
