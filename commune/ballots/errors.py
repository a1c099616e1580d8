"""What the paper channel refuses, with messages fit to show the teller or officer who asked."""

from __future__ import annotations

from commune.errors import DomainError, ErrorKind


class PaperError(DomainError, ValueError):
    """A paper or a reading that cannot be used (an unknown code, an answer that is not one)."""


class PaperRefused(PaperError):
    """The person may not do this: not a teller of the channel, or one of the two who disagreed."""

    kind = ErrorKind.FORBIDDEN


class PaperConflict(PaperError):
    """The paper or the channel is not at the stage this needs (entered already, voted online, closed)."""

    kind = ErrorKind.CONFLICT
