"""Erasing a voter changes no count: their ballot was never linked to them, and the rows of power the log
rebuilds do not hold their name."""

from __future__ import annotations

from commune.audit.erasure import person_erase
from commune.audit.verification import chain_verify, power_state_discrepancies
from commune.motions.models import Vote
from tests.motions.conftest import Fed, all_vote, close, fed, on_agenda, put

__all__ = ["fed"]


def test_a_secret_ballots_count_is_unchanged_by_erasing_a_voter(fed: Fed) -> None:
    """A unit's secret ballot, 4 yes to 1 no, moved and voted by m1: after m1 is erased the vote reads
    the same, its record in the log rebuilds the same rows, and the chain verifies."""
    motion = on_agenda(fed, 1, "D0-U0", supporter=2)
    vote_id = put(fed, 1, motion)
    all_vote(fed, vote_id, {1: "yes", 2: "yes", 3: "yes", 4: "yes", 5: "no"})
    closed = close(fed, 1, vote_id)
    assert closed["mode"] == "secret" and closed["carried"] is True
    counted = Vote.objects.values("yes", "no", "abstain", "carried", "electorate").get(pk=vote_id)

    report = person_erase(person=fed.members["m1"].person)

    assert report.redacted > 0
    assert Vote.objects.values("yes", "no", "abstain", "carried", "electorate").get(pk=vote_id) == counted
    again = fed.api(2).get(f"/orgs/{fed.slug}/votes/{vote_id}").json()
    assert {k: again[k] for k in ("yes", "no", "abstain", "carried")} == {
        k: closed[k] for k in ("yes", "no", "abstain", "carried")
    }
    assert power_state_discrepancies(organisation_id=fed.org.pk) == []
    verified = chain_verify(organisation_id=fed.org.pk, full=True)
    assert verified.ok, verified.problem
