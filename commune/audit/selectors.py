"""Reads of the provenance log."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from commune.audit.models import ChainVerification, LogEntry
from commune.federation.models import Body


def log_entries_newest_first(
    *, organisation_id: int, body_id: int | None = None, action: str | None = None
) -> QuerySet[LogEntry]:
    """An organisation's log, newest first, each entry with ``body_code`` (the code of the body it concerns,
    read in the same query).

    ``action`` is an exact action (``delegate.seated``) or, ending in a dot, a family (``member.``).
    """
    entries = LogEntry.objects.filter(organisation_id=organisation_id)
    if body_id is not None:
        entries = entries.filter(body_id=body_id)
    if action:
        entries = (
            entries.filter(action__startswith=action)
            if action.endswith(".")
            else entries.filter(action=action)
        )
    return entries.annotate(
        body_code=Subquery(Body.objects.filter(pk=OuterRef("body_id")).values("code")[:1])
    ).order_by("-seq")


#: How many past checks the integrity page lists.
RECENT_VERIFICATIONS = 20


def chain_verifications_recent(*, organisation_id: int) -> list[ChainVerification]:
    """The organisation's latest checks, newest first."""
    return list(
        ChainVerification.objects.filter(organisation_id=organisation_id).order_by("-verified_at", "-pk")[
            :RECENT_VERIFICATIONS
        ]
    )
