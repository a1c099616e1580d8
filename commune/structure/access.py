"""Permission-checked fetches of structural changes: every current member of the organisation may read
each one; "missing" and "of another organisation" are the same ``NotFound``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commune.accounts.models import User
from commune.federation.access import NotFound
from commune.federation.models import Organisation
from commune.structure.models import StructuralChange


def access_change(user: User, organisation: Organisation, change_id: int) -> StructuralChange:
    change = (
        StructuralChange.objects.filter(pk=change_id, organisation=organisation)
        .select_related("organisation", "council", "motion")
        .first()
    )
    if change is None or not user.is_authenticated:
        raise NotFound(_("no such structural change"))
    return change
