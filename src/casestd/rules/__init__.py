"""Cross-field rules, each with a stable id, a severity and messages in data.

Importing this package registers every rule.
"""

from casestd.rules import (  # noqa: F401  (imported to register the rules)
    case,
    child,
    common,
    deprecation,
    family,
    organisation,
    perpetrator,
    referral,
    service,
    trafficking,
)
from casestd.rules.engine import Deadlines, Hit, Rule, RuleContext, all_rules, rule, rules_for

__all__ = ["Deadlines", "Hit", "Rule", "RuleContext", "all_rules", "rule", "rules_for"]
