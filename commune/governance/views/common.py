"""What the pages of answerable power share."""

from __future__ import annotations

from typing import Any

from commune.audit.services import Actor
from commune.federation.constitution_words import rule_label, rule_value_words
from commune.federation.models import Member


def _actor(member: Member) -> Actor:
    return Actor.of(member.person, role=f"member {member.number}")


def _labelled(changes: list[tuple[str, Any, Any]]) -> list[tuple[str, str, str]]:
    """Each changed rule by its name, with its values before and after in words."""
    return [
        (rule_label(key), rule_value_words(key, before), rule_value_words(key, after))
        for key, before, after in changes
    ]
