"""Permission-checked fetches for pledge campaigns. Every current member of an organisation may read its
campaigns (their counts as the constitution lets them see them, never who pledged); "missing" and
"another organisation's" raise the same ``NotFound``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.access import NotFound, access_body
from commune.federation.models import Body, Organisation
from commune.motions.models import Motion
from commune.pledges.models import PledgeCampaign
from commune.pledges.selectors import campaign_detail


def access_pledge_campaign(user: User, organisation: Organisation, campaign_id: int) -> PledgeCampaign:
    campaign = campaign_detail(campaign_id=campaign_id)
    if campaign is None or campaign.organisation_id != organisation.pk:
        raise NotFound(_("no such pledge campaign"))
    return campaign


def access_launching_motion(user: User, organisation: Organisation, motion_id: int) -> Motion:
    """A motion of the organisation, named as a campaign's authority (the service checks it is adopted
    and the launching body's own)."""
    motion = Motion.objects.filter(pk=motion_id, organisation=organisation).first()
    if motion is None:
        raise NotFound(_("no such motion"))
    return motion


def access_readiness_scope(user: User, campaign: PledgeCampaign, code: str | None) -> Body:
    """A body at or below the one that launched ``campaign`` (by default that body)."""
    if not code:
        return campaign.body
    body = access_body(user, campaign.organisation, code)
    if not body.path.startswith(campaign.body.path):
        raise NotFound(_("no such body in this campaign"))
    return body
