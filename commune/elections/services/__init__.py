"""Writes for elections: calling, nominations, the timeline, counting and seating.

A package because the whole is long; each module owns one stage of an election's life.
"""

from commune.elections.services.calling import (
    SUCCESSION_LEAD,
    Timeline,
    election_call,
    elections_call_successors,
    months_after,
    timeline_default,
)
from commune.elections.services.nominations import (
    candidacy_nominate,
    candidacy_second,
    candidacy_withdraw,
    endorsement_publish,
)
from commune.elections.services.results import election_count, election_install, nominations_close, runners_up
from commune.elections.services.timeline import RunReport, election_voting_close, elections_run_due
from commune.elections.services.vacancies import elections_call_for_vacancies

__all__ = [
    "SUCCESSION_LEAD",
    "RunReport",
    "Timeline",
    "candidacy_nominate",
    "candidacy_second",
    "candidacy_withdraw",
    "election_call",
    "election_count",
    "election_install",
    "election_voting_close",
    "elections_call_for_vacancies",
    "elections_call_successors",
    "elections_run_due",
    "endorsement_publish",
    "months_after",
    "nominations_close",
    "runners_up",
    "timeline_default",
]
