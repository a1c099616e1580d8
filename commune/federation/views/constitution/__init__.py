"""The constitution page (``page``): the current rules in plain words (``rules``, each group of rules worded
in ``wordings`` and ordered in ``groups``), and every version adopted with what it changed."""

from commune.federation.views.constitution.page import constitution
from commune.federation.views.constitution.rules import RuleChange, RuleGroup, rules_changes, rules_in_words

__all__ = ["RuleChange", "RuleGroup", "constitution", "rules_changes", "rules_in_words"]
