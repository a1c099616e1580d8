"""Permission-checked fetches of decisions. Every current member of an organisation may read the provenance
of all its decisions (delegates answer on the record); a decision of another organisation, a missing one
and an unknown kind of decision all raise the same ``NotFound``."""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.elections.access import access_election
from commune.federation.access import NotFound
from commune.federation.models import Organisation
from commune.governance.access import access_decision as access_executive_decision
from commune.motions.access import access_motion, access_referral, access_vote
from commune.structure.access import access_change


def access_decision(user: User, organisation: Organisation, kind: str, decision_id: int) -> Model:
    if kind == "vote":
        return access_vote(user, organisation, decision_id)
    if kind == "motion":
        return access_motion(user, organisation, decision_id)
    if kind == "referral":
        return access_referral(user, organisation, decision_id)
    if kind == "election":
        return access_election(user, organisation, decision_id)
    if kind == "executive-decision":
        return access_executive_decision(user, organisation, decision_id)
    if kind == "structural-change":
        return access_change(user, organisation, decision_id)
    raise NotFound(_("no such decision"))
