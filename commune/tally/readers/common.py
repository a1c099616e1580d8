"""What the ballot file readers share: decoding a line, reading a number, the number of seats."""

from __future__ import annotations

from commune.tally.types import TallyError

# Helpers for the readers beside this module only; nothing here is public.
__all__: list[str] = []


def _text(raw: bytes, name: str, lineno: int) -> str:
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        raise TallyError(f"{name}:{lineno}: not valid UTF-8 ({error.reason})") from error


def _int(token: str, name: str, lineno: int, what: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise TallyError(f"{name}:{lineno}: {what} must be a whole number, not {token!r}") from None


def _override_seats(seats: int | None, default: int, name: str) -> int:
    chosen = default if seats is None else seats
    if chosen < 1:
        raise TallyError(f"{name}: the number of seats must be at least 1, not {chosen}")
    return chosen
