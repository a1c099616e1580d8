"""What the domain refuses, and what kind of refusal it is: the one base of every app's errors.

A service raises its app's error (``MotionConflict``, ``NotEligible``, ``NotFound``…) with a message fit to
show the person who asked. The class says which rule was met; its ``kind`` says what sort of refusal that
is, and each interface translates the kind in one place only: the REST API into a status
(``commune.api.root``), the pages into a status and a message (``commune.web.edge``), the command line
into an exit status (``commune.cli.main``). No Django here: the bulletin re-count and the tally run
without it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

__all__ = ["DomainError", "ErrorKind"]


class ErrorKind(StrEnum):
    """What sort of refusal a domain error is."""

    #: The request breaks a rule of procedure or of the constitution, or its input cannot be used.
    INVALID = "invalid"
    #: The person may not do this here (not on the electorate, not a delegate, bound by a mandate…).
    FORBIDDEN = "forbidden"
    #: Missing, or not the person's to see: deliberately one kind, so nothing is learnt from the difference.
    NOT_FOUND = "not_found"
    #: Not at the stage this needs (already voted, closed, not yet open…).
    CONFLICT = "conflict"
    #: Nobody is signed in.
    UNAUTHENTICATED = "unauthenticated"
    #: Too many tries from one address or for one name in too short a time: wait, then try again.
    TOO_MANY = "too_many"


class DomainError(Exception):
    """A refusal by the domain. Subclasses set ``kind``; the message is the exception's text."""

    kind: ClassVar[ErrorKind] = ErrorKind.INVALID
