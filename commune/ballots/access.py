"""Permission-checked fetches of the ballot boxes."""

from __future__ import annotations

from django.utils.translation import gettext as _

from commune.ballots.models import YesNoBox
from commune.federation.access import NotFound


def access_sealed_yes_no_box(box_id: int | None) -> YesNoBox:
    """A yes/no box whose papers may be read: only once it is sealed. A box still open answers as a
    missing one, so nothing can be read of it while votes are being cast."""
    box = YesNoBox.objects.filter(pk=box_id, sealed_at__isnull=False).first() if box_id is not None else None
    if box is None:
        raise NotFound(_("no such ballot box, or it is not yet counted"))
    return box
