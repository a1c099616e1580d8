"""A readable diff between two rule books: one line per rule that changed, added or went."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _flatten(rules: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in rules.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def rules_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """``(rule, before, after)`` for every rule whose value differs, in the order of the rule names; a
    rule absent on one side reads as ``None`` there."""
    old, new = _flatten(before), _flatten(after)
    return [
        (key, old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]
