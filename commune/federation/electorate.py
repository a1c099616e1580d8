"""The digest of a fixed electorate, written in the log when a process opens.

Every election, vote, recall petition and call-in fixes who may take part (and with what weight) at the
moment it opens; its opening log entry carries the electorate's size and this digest, so anyone holding
the electorate's rows can check later that nobody was added or removed. The digest is the SHA-256 of
the lines ``MEMBER_ID:WEIGHT``, sorted by member id and joined by newlines (no trailing newline).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping


def electorate_digest(weights: Mapping[int, int] | Iterable[int]) -> str:
    """The digest of an electorate: a mapping of member id to weight, or member ids each of weight 1."""
    pairs = weights.items() if isinstance(weights, Mapping) else ((mid, 1) for mid in weights)
    text = "\n".join(f"{mid}:{weight}" for mid, weight in sorted(pairs))
    return hashlib.sha256(text.encode()).hexdigest()
