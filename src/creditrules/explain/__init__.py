"""A decision explained to a person, in Chinese (default) or English.

``build`` gives the explanation's content and order (``explain.model``: the answer, then
why, then each article of law once, by rank and article); ``explain`` puts it into plain
text (``explain.text``). Other renderings (HTML) reuse ``build``.
"""

from __future__ import annotations

from typing import Any, Literal

from creditrules.explain.model import Explanation, build
from creditrules.explain.text import KIND_MARK, render
from creditrules.model.decision import Decision

Lang = Literal["zh", "en"]


def explain(
    decision: Decision | dict[str, Any], *, lang: Lang = "zh", all_rules: bool = False
) -> str:
    """A plain-text account of a decision and the law behind each conclusion.

    Args:
        decision: a Decision or its JSON document.
        lang: ``zh`` (the default) or ``en``.
        all_rules: everything: every article in full, every rule that fired and every rule
            that did not (and why). Without it one record's explanation fits a screen.

    Returns:
        The text ``creditrules explain`` prints.
    """
    return render(build(decision, all_rules=all_rules), lang=lang, full=all_rules)


__all__ = ["KIND_MARK", "Explanation", "Lang", "build", "explain", "render"]
