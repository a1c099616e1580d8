"""Shortcuts past the services for setting up a test's starting state, recorded in the provenance log as
Commune's own writes are (so the suite-wide check that the log rebuilds every record of power still holds)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from commune.audit.capture import power_rows_note


def recorded_update(rows: QuerySet[Any], **changes: Any) -> int:
    with transaction.atomic():
        power_rows_note(rows)
        return rows.update(**changes)
