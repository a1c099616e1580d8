"""Canonical hashing of log entries (no database access here).

An entry's hash covers its text (who acted, and the summary) in one of two schemes, recorded on the entry:

* ``SCHEME_PLAIN`` (1): the text itself. Entries written before erasure was possible are hashed so and
  verify exactly as they always did; their text can never change.
* ``SCHEME_COMMITTED`` (2): a salted commitment to the text, ``SHA-256(salt || canonical JSON of the
  text)``, with the salt and the text kept beside the entry outside what is hashed. Knowing the commitment
  tells nothing of the text (the salt is random, so a name cannot be guessed and tried against it); the
  salt and the text together prove the text is the one written. Erasing a name replaces the text by a
  redacted one under a fresh salt and deletes the old salt: the old commitment can then never be opened,
  and the chain, which never held the text, still verifies. The redacted text's commitment is listed by a
  signed ``person.erased`` entry, so the redaction is held to the log like anything else.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64

#: The entry's text is hashed as it stands (entries written before erasure was possible).
SCHEME_PLAIN = 1
#: The entry's text is hashed through a salted commitment, so that a name in it can be erased.
SCHEME_COMMITTED = 2
SCHEMES = (SCHEME_PLAIN, SCHEME_COMMITTED)


#: One encoder for every call: ``json.dumps`` with options builds a new one each time, half the cost of
#: encoding a row's few fields, which a verification of a large log does a million times.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept as is: the same value always gives the same text."""
    return _CANONICAL.encode(value)


def entry_content(
    *,
    organisation_id: int,
    seq: int,
    recorded_at: datetime,
    action: str,
    body_id: int | None,
    actor_id: int | None,
    actor_label: str,
    summary: str,
    payload: Mapping[str, Any],
    scheme: int = SCHEME_PLAIN,
    text_commitment: str = "",
) -> dict[str, Any]:
    """What an entry's hash covers. Under ``SCHEME_COMMITTED`` the text is replaced by ``text_commitment``
    (and ``actor_label`` and ``summary`` are not read)."""
    content: dict[str, Any] = {
        "organisation": organisation_id,
        "seq": seq,
        "recorded_at": recorded_at.isoformat(timespec="microseconds"),
        "action": action,
        "body": body_id,
        "actor": actor_id,
    }
    if scheme == SCHEME_PLAIN:
        content |= {"actor_label": actor_label, "summary": summary}
    else:
        content |= {"scheme": scheme, "text": text_commitment}
    content["payload"] = payload
    return content


def text_salt_new() -> str:
    """A fresh random salt for an entry's text: 16 bytes, as hex."""
    return secrets.token_hex(16)


def text_commitment(salt: str, actor_label: str, summary: str) -> str:
    """The commitment to an entry's text under ``salt`` (hex). Raises ValueError for a salt not in hex."""
    text = canonical_json({"actor_label": actor_label, "summary": summary})
    return hashlib.sha256(bytes.fromhex(salt) + text.encode()).hexdigest()


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode()).hexdigest()
