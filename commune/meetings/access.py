"""Permission-checked fetches. A meeting is read by whoever may read its session: every current member of
the organisation, so the constituents see their council's agenda ahead and follow it as it sits."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.access import NotFound, access_organisation
from commune.motions.models import CouncilSession


def access_meeting_follow(user: User, session_id: int) -> None:
    """May ``user`` follow a meeting's live events: exactly those who may open its pages."""
    session = CouncilSession.objects.select_related("council__organisation").filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("no such meeting"))
    access_organisation(user, session.council.organisation.slug)
