"""What the provenance log refuses, with messages fit to show the person who asked."""

from __future__ import annotations

from commune.errors import DomainError


class AuditError(DomainError, ValueError):
    """A request about the log that cannot be used as given (a head not written SEQ:HASH…)."""
