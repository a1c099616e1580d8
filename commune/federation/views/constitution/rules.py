"""The rules in plain words under their groups' headings, and what a version changed from the one before."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from commune.federation.constitution_words import (
    RULE_LABELS,
    rule_label,
    rule_value_words,
)
from commune.federation.views.constitution.groups import GROUPS


@dataclass(frozen=True)
class RuleGroup:
    heading: str
    sentences: list[str]


def _plain(key: str, value: Any) -> str:
    return f"{rule_label(key)}: {rule_value_words(key, value)}."


def rules_in_words(rules: Mapping[str, Any]) -> list[RuleGroup]:
    """The rules as sentences under group headings. A rule this page has no wording for (from a newer
    release, say) is still shown, as its name and value, so nothing in force is ever hidden."""
    groups: list[RuleGroup] = []
    known_groups = set()
    for group_key, heading, wordings in GROUPS:
        known_groups.add(group_key)
        values = rules.get(group_key)
        if not isinstance(values, Mapping):
            continue
        sentences: list[str] = []
        covered: set[str] = set()
        for keys, wording in wordings:
            if keys[0] in values:
                sentences.append(wording(values))
                covered.update(keys)
        sentences += [_plain(f"{group_key}.{k}", v) for k, v in values.items() if k not in covered]
        groups.append(RuleGroup(str(heading), sentences))
    for key, value in rules.items():
        if key in known_groups or key == "preamble":
            continue
        if isinstance(value, Mapping):
            groups.append(
                RuleGroup(
                    key.replace("_", " ").capitalize(), [_plain(f"{key}.{k}", v) for k, v in value.items()]
                )
            )
        else:
            groups.append(RuleGroup(key.replace("_", " ").capitalize(), [_plain(key, value)]))
    return groups


def _flatten(rules: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in rules.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@dataclass(frozen=True)
class RuleChange:
    label: str
    before: Any
    after: Any


def rules_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[RuleChange]:
    """What a version changed from the one before it, rule by rule."""
    old, new = _flatten(before), _flatten(after)
    return [
        RuleChange(rule_label(key), rule_value_words(key, old.get(key)), rule_value_words(key, new.get(key)))
        for key in sorted(
            old.keys() | new.keys(), key=lambda k: list(RULE_LABELS).index(k) if k in RULE_LABELS else 999
        )
        if old.get(key) != new.get(key)
    ]
