"""facts + as_of → Decision.

The loop: build flat facts from the case; for each stratum of the compiled plan run
the built-in derivations whose inputs are final, hand the facts to the backend for
the stratum's rules, and apply what fired (values, periods, list entries, measures,
deadlines, repair findings). Then assemble the Decision with a citation on every
conclusion and a trace of every rule considered. No clock, randomness or network.
"""

from __future__ import annotations

from creditrules.evaluate.run import BACKENDS, evaluate, plan_for

__all__ = ["BACKENDS", "evaluate", "plan_for"]
