"""Exceptions raised by creditrules. One root, every name ends in Error.

Each exception keeps what it was given as attributes, so callers (and the CLI)
can report the field path or the rule id without parsing the message.
"""

from __future__ import annotations

from collections.abc import Sequence


class CreditRulesError(Exception):
    """Root of every error creditrules raises on purpose."""


class CalendarError(CreditRulesError):
    """A date computation the calendar cannot answer (e.g. a year with no holiday schedule)."""

    def __init__(self, message: str, *, year: int | None = None) -> None:
        super().__init__(message)
        self.year = year


class InputError(CreditRulesError):
    """The case handed to evaluate() is not acceptable.

    ``problems`` holds one ``(field_path, message)`` pair per problem, so the CLI can
    print one line each and exit 2.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {msg}" for path, msg in problems))


class RulesetError(CreditRulesError):
    """A ruleset could not be loaded; ``diagnostics`` says where and why."""

    def __init__(self, message: str, diagnostics: Sequence[object] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics or [])


class RulesetNotFoundError(CreditRulesError):
    """No bundled or given ruleset has this id, version or content hash."""

    def __init__(self, message: str, *, ref: str) -> None:
        super().__init__(message)
        self.ref = ref


class RuleConflictError(CreditRulesError):
    """Two applicable rules disagree and neither declares that it overrides the other."""

    def __init__(self, message: str, *, rules: list[str], attribute: str, fact: str) -> None:
        super().__init__(message)
        self.rules = rules
        self.attribute = attribute
        self.fact = fact


class EngineError(CreditRulesError):
    """The rule engine failed or the two backends disagreed."""


class BudgetError(CreditRulesError):
    """A compiled ruleset would exceed the limits durable_rules is known to survive."""


class ContradictionError(CreditRulesError):
    """A decision would contradict itself (``creditrules.evaluate.invariants``): a record not
    publishable with a publication window running, a sanction measure resting on a record
    not usable for sanction, a barred matter not denied, a repair condition stated twice.

    Never expected: it means a defect in a ruleset or in creditrules, and no decision is
    returned rather than a wrong one. ``problems`` holds one ``(pointer, message)`` pair per
    contradiction, ``pointer`` a JSON Pointer (RFC 6901) into the decision.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__(
            "the decision would contradict itself: "
            + "; ".join(f"{path}: {msg}" for path, msg in problems)
        )


class NotSupportedError(CreditRulesError):
    """The question is not yet answered by this version of creditrules or this ruleset."""


class ScenarioError(CreditRulesError):
    """A scenario file is malformed (not a failing expectation: that is a result)."""


class LogError(CreditRulesError):
    """A decision log could not be opened, read or appended to (not a failed verification:
    that is a ``VerifyReport``). ``url`` is the log's URL with any password hidden."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url
