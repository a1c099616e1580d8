"""Words read later, in the reader's language.

A notification to a thousand members is composed once but read by each member in the language they chose.
``deferred`` keeps the message and its values apart until the text is read, so whoever reads it (the
notification service, per recipient) decides the language:

    subject = deferred(gettext_lazy("The vote on %(title)s is open"), title=motion.title)

The values are the organisation's own words (a motion's title, a body's name) and are never translated.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise, lazy


def _interpolated(message: str | Promise, params: dict[str, Any]) -> str:
    return str(message) % params if params else str(message)


_lazy_interpolated = lazy(_interpolated, str)


def deferred(message: str | Promise, /, **params: Any) -> str:
    """``message % params``, evaluated in the language active each time the text is read."""
    return _lazy_interpolated(message, params)
