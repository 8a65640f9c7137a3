"""creditrules: China's public-credit law as declarative YAML rules, evaluated on
durable_rules, with every conclusion traced to the article of law that decides it.

The public API mirrors the command line::

    import creditrules
    rs = creditrules.load_ruleset("cn.js.nantong", as_of="2026-11-21")
    decision = creditrules.evaluate(rs, case)
    decision.model_dump(mode="json", by_alias=True)
"""

from __future__ import annotations

from creditrules import log
from creditrules.api import (
    Decision,
    Diagnostic,
    ReplayReport,
    Ruleset,
    evaluate,
    explain,
    list_rulesets,
    load_ruleset,
    replay,
    validate,
)
from creditrules.errors import (
    CalendarError,
    CreditRulesError,
    InputError,
    LogError,
    NotSupportedError,
    RuleConflictError,
    RulesetError,
    RulesetNotFoundError,
)

__version__ = "0.1.0"

__all__ = [
    "CalendarError",
    "CreditRulesError",
    "Decision",
    "Diagnostic",
    "InputError",
    "LogError",
    "NotSupportedError",
    "ReplayReport",
    "RuleConflictError",
    "Ruleset",
    "RulesetError",
    "RulesetNotFoundError",
    "__version__",
    "evaluate",
    "explain",
    "list_rulesets",
    "load_ruleset",
    "log",
    "replay",
    "validate",
]
