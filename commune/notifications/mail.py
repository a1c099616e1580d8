"""Mail the server prints instead of sending, when it has no mail server: without what is secret in it.

With no ``EMAIL_HOST`` the server writes every message to its console, that is into its log. A message
marked with ``SECRET_HEADER`` (a ballot receipt, whose tracker would let whoever reads the log find that
voter's ballot on the bulletin) is printed without its body: that it went, to whom, and nothing it says.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

__all__ = ["SECRET_HEADER", "ConsoleBackend"]

#: The header that marks a message whose body must never be printed or kept by the server.
SECRET_HEADER = "X-Commune-Secret"


class ConsoleBackend(DjangoConsoleBackend):
    """Django's console backend, printing messages marked secret without their body."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        return super().send_messages([_withheld(m) for m in email_messages])


def _withheld(message: EmailMessage) -> EmailMessage:
    kind = message.extra_headers.get(SECRET_HEADER)
    if kind is None:
        return message
    return EmailMessage(
        subject=message.subject,
        body=f"[The body of this {kind} is secret and is not printed. Set EMAIL_HOST to deliver it.]",
        from_email=message.from_email,
        to=message.to,
    )
