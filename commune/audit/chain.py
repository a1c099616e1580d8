"""Canonical hashing of log entries (no database access here)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept as is: the same value always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


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
) -> dict[str, Any]:
    return {
        "organisation": organisation_id,
        "seq": seq,
        "recorded_at": recorded_at.isoformat(timespec="microseconds"),
        "action": action,
        "body": body_id,
        "actor": actor_id,
        "actor_label": actor_label,
        "summary": summary,
        "payload": payload,
    }


def entry_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(content)).encode()).hexdigest()
