"""Ballot trackers: how they are made, and how one typed back by a voter is read.

A tracker is 15 characters from a 32-letter alphabet without the look-alikes I, O, 0 and 1 (75 random
bits), printed in three groups of five: ``K7Q2M-XW9RT-4HCPE``. Voters copy them by hand, from an email or a
photo, so the look-up must not care how the groups were separated or which case was typed:
``tracker_normalise`` is the one reading of a typed tracker, used by the bulletin page and the API alike.
"""

from __future__ import annotations

import base64
import secrets

__all__ = ["TRACKER_ALPHABET", "TRACKER_LENGTH", "tracker_new", "tracker_normalise"]

TRACKER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TRACKER_LENGTH = 15
_GROUP = 5
_BYTES = (5 * TRACKER_LENGTH + 7) // 8
assert len(TRACKER_ALPHABET) == 32


#: Base 32's alphabet onto the tracker's, letter for letter.
_FROM_BASE32 = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", TRACKER_ALPHABET.encode("ascii"))


def tracker_new() -> str:
    """A fresh random tracker in its printed form."""
    # The alphabet has 32 letters, so each is 5 bits of one draw from the system's randomness (one read
    # of it, where choosing letter by letter took fifteen: every ballot cast makes a tracker), written out
    # in base 32 (in C, where a loop in Python took a step for each letter) and mapped onto the alphabet.
    letters = base64.b32encode(secrets.token_bytes(_BYTES))[:TRACKER_LENGTH].translate(_FROM_BASE32)
    return _grouped(letters.decode("ascii"))


def _grouped(chars: str) -> str:
    return "-".join(chars[i : i + _GROUP] for i in range(0, len(chars), _GROUP))


def tracker_normalise(typed: str) -> str:
    """A tracker as the voter typed it, in its printed form.

    Case, white space, hyphens and any other separators are ignored; fifteen characters left are grouped
    as printed. Anything else comes back upper-cased without separators, so that a page can show what was
    sought (it matches no tracker).
    """
    chars = "".join(ch for ch in typed.upper() if ch.isalnum())
    return _grouped(chars) if len(chars) == TRACKER_LENGTH else chars
