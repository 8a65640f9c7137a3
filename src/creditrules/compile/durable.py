"""The durable_rules backend — the only module that imports durable_rules.

durable_rules 2.0.28's C core is unmaintained and fragile (docs/engine.md lists what
was reproduced here). This adapter makes each hazard unreachable by construction:

* facts, never events (events are consumed by the first rule that fires);
* one fresh sid per evaluation and chunk, deleted in ``finally`` (1024 live sids
  give MemoryError); a sentinel fact that always matches is asserted first, because
  deleting a sid whose only messages matched nothing segfaults the process
  (reproduced here with 2.0.28 on Python 3.11);
* no domain key named ``id`` or ``sid`` (a repeated ``id`` is refused as a duplicate);
  fields are encoded as flat keys, null values dropped, list fields as boolean flags
  (``$iall`` is false on an empty list, so "not contains" cannot use it);
* rules only ever test one fact: no joins, so no inequality self-join (issue #381);
* a Host subclass with no background dispatcher threads, and one lock around every
  call (the default Host segfaults under concurrent callers);
* rulesets are content-addressed and registered once per process; each chunk holds
  at most ``BUDGET_TESTS`` tests, well inside the 64 simultaneous matches (error 303)
  and 512 conditions per node (silent hang) limits;
* exceptions swallowed into the state are checked after every call.
"""

from __future__ import annotations

import copy
import itertools
import re
import threading
from collections.abc import Callable, Iterable
from importlib import metadata
from typing import Any

from durable import engine

from creditrules.compile.ir import (
    BUDGET_KEYS,
    BUDGET_TESTS,
    And,
    Cmp,
    CompiledRule,
    Cond,
    Neg,
    TrueCond,
    leaves,
)
from creditrules.errors import BudgetError, EngineError

NAME = "durable_rules"

_SENTINEL_KIND = "__begin__"


def version() -> str:
    try:
        return metadata.version("durable_rules")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "unknown"


class _SyncHost(engine.Host):  # type: ignore[misc]
    """A Host without the two self-rescheduling timer threads of ``Host._run``."""

    def _run(self) -> None:
        return None


_lock = threading.RLock()
_host: _SyncHost | None = None
_registered: dict[str, list[str]] = {}
_sids = itertools.count()
_fired_sink: dict[str, set[tuple[str, str]]] = {}


def _get_host() -> _SyncHost:
    global _host
    if _host is None:
        _host = _SyncHost()
    return _host


def key(field: str) -> str:
    """A field name → a flat durable_rules key (no dots, never ``id``/``sid``)."""
    return "f_" + re.sub(r"[^a-z0-9_]", "_", field.replace(".", "__"))


def flag(field: str, value: str) -> str:
    """The boolean key that says a list field holds a value."""
    return key(field) + "__has__" + re.sub(r"[^a-z0-9_]", "_", value.replace(".", "__"))


def encode_fact(fact: dict[str, Any]) -> dict[str, Any]:
    """A fact as durable_rules gets it: flat keys, no nulls, lists as flags."""
    out: dict[str, Any] = {"kind_": fact["_kind"], "fk_": fact["_key"]}
    for name, v in fact.items():
        if name.startswith("_") or v is None:
            continue
        if isinstance(v, list | tuple):
            for item in v:
                out[flag(name, str(item))] = True
        elif isinstance(v, bool | int | str):
            out[key(name)] = v
        else:
            raise EngineError(f"field {name} has a value durable_rules cannot compare: {v!r}")
    if len(out) > BUDGET_KEYS:
        raise BudgetError(f"a fact would carry {len(out)} keys; the engine budget is {BUDGET_KEYS}")
    return out


def _pos(c: Cmp) -> dict[str, Any]:
    k = key(c.field)
    if c.op == "eq":
        return {k: c.value}
    if c.op == "ne":
        return {"$neq": {k: c.value}}
    if c.op == "in":
        return _any([{k: v} for v in c.value])
    if c.op == "not_in":
        return _all([{"$neq": {k: v}} for v in c.value])
    if c.op == "contains":
        return _any([{flag(c.field, str(v)): True} for v in c.value])
    if c.op == "is_null":
        return {"$nex": {k: 1}} if c.value else {"$ex": {k: 1}}
    return {f"${c.op}": {k: c.value}}


def _neg(c: Cmp) -> dict[str, Any]:
    # Two-valued negation where a missing field fails every test: "not (x = v)" holds
    # when x is missing or differs.
    k = key(c.field)
    missing = {"$nex": {k: 1}}
    if c.op == "eq":
        return _any([missing, {"$neq": {k: c.value}}])
    if c.op == "ne":
        return _any([missing, {k: c.value}])
    if c.op == "in":
        return _any([missing, _all([{"$neq": {k: v}} for v in c.value])])
    if c.op == "not_in":
        return _any([missing, _any([{k: v} for v in c.value])])
    if c.op == "contains":
        return _all([{"$nex": {flag(c.field, str(v)): 1}} for v in c.value])
    if c.op == "is_null":
        return {"$ex": {k: 1}} if c.value else {"$nex": {k: 1}}
    flipped = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}[c.op]
    return _any([missing, {f"${flipped}": {k: c.value}}])


def _all(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"$and": items}


def _any(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"$or": items}


def to_json(cond: Cond, negated: bool = False) -> dict[str, Any] | None:
    """IR condition → durable_rules JSON expression (negations pushed to the leaves)."""
    if isinstance(cond, TrueCond):
        return None if not negated else {"kind_": "__never__"}
    if isinstance(cond, Cmp):
        return _neg(cond) if negated else _pos(cond)
    if isinstance(cond, Neg):
        return to_json(cond.item, not negated)
    parts = [p for p in (to_json(c, negated) for c in cond.items) if p is not None]
    is_and = isinstance(cond, And) != negated
    if not parts:
        return None
    return _all(parts) if is_and else _any(parts)


def chunk(rules: list[CompiledRule]) -> list[list[CompiledRule]]:
    """Split rules so no durable_rules ruleset holds more than the budget of tests."""
    chunks: list[list[CompiledRule]] = []
    current: list[CompiledRule] = []
    cost = 0
    for r in rules:
        c = leaves(r.cond) + 1
        if c > BUDGET_TESTS:
            raise BudgetError(
                f"rule '{r.id}' makes {c} tests; the engine budget per rule is {BUDGET_TESTS}"
            )
        if current and cost + c > BUDGET_TESTS:
            chunks.append(current)
            current, cost = [], 0
        current.append(r)
        cost += c
    if current:
        chunks.append(current)
    return chunks


def definition(rules: list[CompiledRule], sink: str) -> dict[str, Any]:
    """The JSON ruleset definition of one chunk, with a trivial action per rule."""
    out: dict[str, Any] = {
        "__sentinel__": {"all": [{"m": {"kind_": _SENTINEL_KIND}}], "run": _action(sink, None)},
    }
    for r in rules:
        body = to_json(r.cond)
        expr = {"kind_": r.kind} if body is None else {"$and": [{"kind_": r.kind}, body]}
        out[r.id] = {"all": [{"m": expr}], "run": _action(sink, r.id)}
    return out


def _action(sink: str, rule_id: str | None) -> Callable[[Any], None]:
    # Actions only record (rule, fact): anything more would be swallowed on error.
    def run(c: Any) -> None:
        if rule_id is not None:
            _fired_sink[sink].add((rule_id, c.m._d["fk_"]))

    return run


def prepare(name: str, rules: list[CompiledRule]) -> list[str]:
    """Register (once) the chunks for these rules under a content-addressed name."""
    with _lock:
        if name in _registered:
            return _registered[name]
        host = _get_host()
        names = []
        for i, part in enumerate(chunk(rules)):
            cname = f"{name}.c{i}"
            _fired_sink[cname] = set()
            host.register_rulesets({cname: copy.deepcopy(definition(part, cname))})
            names.append(cname)
        _registered[name] = names
        return names


def run(
    name: str, rules: list[CompiledRule], facts: Iterable[dict[str, Any]]
) -> set[tuple[str, str]]:
    """Assert the facts in a fresh session per chunk; return (rule id, fact key) fired."""
    encoded = [encode_fact(f) for f in facts]
    fired: set[tuple[str, str]] = set()
    if not rules:
        return fired
    host = _get_host()
    with _lock:
        for cname in prepare(name, rules):
            sid = f"s{next(_sids)}"
            _fired_sink[cname] = set()
            try:
                state = host.assert_fact(cname, {"kind_": _SENTINEL_KIND, "fk_": "_", "sid": sid})
                _check(state, cname)
                for f in encoded:
                    try:
                        state = host.assert_fact(cname, dict(f, sid=sid))
                    except engine.MessageNotHandledException:
                        continue  # the legitimate "no rule applies"
                    _check(state, cname)
            finally:
                host.delete_state(cname, sid)
            fired |= _fired_sink[cname]
            _fired_sink[cname] = set()
    return fired


def _check(state: Any, cname: str) -> None:
    if isinstance(state, dict) and state.get("exception"):
        raise EngineError(
            f"durable_rules ruleset {cname} raised inside an action: {state['exception']}"
        )


def live_rulesets() -> int:
    """How many durable_rules rulesets this process holds (for tests and benchmarks)."""
    return sum(len(v) for v in _registered.values())
