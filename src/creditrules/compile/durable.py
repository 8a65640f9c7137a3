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
* exceptions swallowed into the state are checked after every call;
* every fact of a session carries its own ``id``, its number in the session. Without one
  the engine names a fact by a hash of its content and files it by a 32-bit hash of that
  name, comparing hashes only: two different facts whose names collide are refused as
  the same (``MessageObservedException``), which distinct subjects of a few thousand
  records met. Numbers below ``MAX_SESSION_FACTS`` have distinct 32-bit hashes.
"""

from __future__ import annotations

import copy
import functools
import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from importlib import metadata
from typing import Any

import durable_rules_engine
from durable import engine

from creditrules.compile.ir import (
    BUDGET_GROUPS,
    BUDGET_KEYS,
    BUDGET_TESTS,
    And,
    Cmp,
    CompiledRule,
    Cond,
    Neg,
    TrueCond,
)
from creditrules.errors import BudgetError, EngineError

NAME = "durable_rules"

_SENTINEL_KIND = "__begin__"
#: The engine files a fact under the 32-bit FNV-1a hash of its ``id`` written in decimal
#: and compares hashes only (``storeMessage`` in durable_rules' state.c). Those hashes are
#: distinct for 0 … 797,185 (the first collision is 40,189 with 797,186), so a session may
#: hold this many facts (tests/unit/test_backends.py recomputes it).
MAX_SESSION_FACTS = 797_186


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
#: Registered chunk names per plan stratum, least recently used first.
_registered: OrderedDict[str, list[str]] = OrderedDict()
#: How many chunk rulesets stay registered. Each holds C memory until deleted, so a process
#: that evaluates ever new ruleset versions (an edited ruleset reloaded, impact, replay of
#: old versions) grew without end; past this the least recently used strata are deleted
#: (``durable_rules_engine.delete_ruleset``) and registered again if met again. The
#: bundled example's plan uses 25.
MAX_REGISTERED = 400
#: The fact kinds each registered chunk has rules for: a fact of another kind can match no
#: rule of the chunk (every rule tests ``kind_`` first), so it is not asserted there.
_chunk_kinds: dict[str, frozenset[str]] = {}
_sids = itertools.count()
_fired_sink: dict[str, set[tuple[str, str]]] = {}


def _get_host() -> _SyncHost:
    global _host
    if _host is None:
        _host = _SyncHost()
    return _host


def _enc(text: str) -> str:
    # Injective: [a-z0-9] stand for themselves, anything else becomes _<hex>_, so two
    # different names or values never share a key ('a-b' and 'a_b' stay apart).
    return "".join(
        ch if ("a" <= ch <= "z" or "0" <= ch <= "9") else f"_{ord(ch):x}_" for ch in text
    )


@functools.lru_cache(maxsize=4096)
def key(field: str) -> str:
    """A field name → a flat durable_rules key (no dots, never ``id``/``sid``)."""
    return "f_" + _enc(field)


@functools.lru_cache(maxsize=16384)
def flag(field: str, value: str) -> str:
    """The boolean key that says a list field holds a value (``__has__`` cannot come out of
    ``_enc``, whose escapes are hex digits between underscores)."""
    return key(field) + "__has__" + _enc(value)


def val(v: Any) -> Any:
    """A value as durable_rules compares it. durable_rules compares JSON loosely ('true'
    equals true, '1' equals 1); tagging text and truth values keeps them apart, as the
    reference compares them. ISO dates stay ordered under the 's:' prefix."""
    if isinstance(v, bool):
        return "b:1" if v else "b:0"
    if isinstance(v, str):
        return "s:" + v
    return v


def encode_fact(fact: dict[str, Any]) -> dict[str, Any]:
    """A fact as durable_rules gets it: flat keys, no nulls, lists as flags plus a length."""
    out: dict[str, Any] = {"kind_": fact["_kind"], "fk_": fact["_key"]}
    for name, v in fact.items():
        if v is None or name.startswith("_"):
            continue
        t = type(v)
        if t is str:
            out[key(name)] = "s:" + v  # as val(): the common case first
        elif t is bool:
            out[key(name)] = "b:1" if v else "b:0"
        elif isinstance(v, list | tuple):
            out[key(name)] = len(v)  # present, so is_null agrees with the reference
            for item in v:
                out[flag(name, str(item))] = True
        elif isinstance(v, bool | int | str):
            out[key(name)] = val(v)
        else:
            raise EngineError(f"field {name} has a value durable_rules cannot compare: {v!r}")
    if len(out) > BUDGET_KEYS:
        raise BudgetError(f"a fact would carry {len(out)} keys; the engine budget is {BUDGET_KEYS}")
    return out


#: A condition that holds for every fact (None) and one that holds for none.
Expr = dict[str, Any] | None
NEVER: dict[str, Any] = {"kind_": "__never__"}


def _all(items: Sequence[Expr]) -> Expr:
    """Conjunction: drops always-true parts, flattens nested $and, never an empty $and
    (durable_rules loops forever on ``{"$and": []}``)."""
    flat: list[dict[str, Any]] = []
    for it in items:
        if it is None:
            continue
        if it == NEVER:
            return NEVER
        flat += it["$and"] if set(it) == {"$and"} else [it]
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else {"$and": flat}


def _any(items: Sequence[Expr]) -> Expr:
    """Disjunction: an always-true part makes it always true; never an empty $or."""
    flat: list[dict[str, Any]] = []
    for it in items:
        if it is None:
            return None
        if it == NEVER:
            continue
        flat += it["$or"] if set(it) == {"$or"} else [it]
    if not flat:
        return NEVER
    return flat[0] if len(flat) == 1 else {"$or": flat}


def _pos(c: Cmp) -> Expr:
    k = key(c.field)
    if c.op == "eq":
        return {k: val(c.value)}
    if c.op == "ne":
        return {"$neq": {k: val(c.value)}}
    if c.op == "in":
        return _any([{k: val(v)} for v in c.value])
    if c.op == "not_in":
        return _all([{"$ex": {k: 1}}] + [{"$neq": {k: val(v)}} for v in c.value])
    if c.op == "contains":
        return _any([{flag(c.field, str(v)): True} for v in c.value])
    if c.op == "is_null":
        return {"$nex": {k: 1}} if c.value else {"$ex": {k: 1}}
    return {f"${c.op}": {k: val(c.value)}}


def _neg(c: Cmp) -> Expr:
    # Two-valued negation where a missing field fails every test: "not (x = v)" holds
    # when x is missing or differs.
    k = key(c.field)
    missing = {"$nex": {k: 1}}
    if c.op == "eq":
        return _any([missing, {"$neq": {k: val(c.value)}}])
    if c.op == "ne":
        return _any([missing, {k: val(c.value)}])
    if c.op == "in":
        return _any([missing, _all([{"$neq": {k: val(v)}} for v in c.value])])
    if c.op == "not_in":
        return _any([missing, _any([{k: val(v)} for v in c.value])])
    if c.op == "contains":
        return _all([{"$nex": {flag(c.field, str(v)): 1}} for v in c.value])
    if c.op == "is_null":
        return {"$ex": {k: 1}} if c.value else {"$nex": {k: 1}}
    flipped = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}[c.op]
    return _any([missing, {f"${flipped}": {k: val(c.value)}}])


def to_json(cond: Cond, negated: bool = False) -> Expr:
    """IR condition → durable_rules JSON expression (negations pushed to the leaves);
    None means "every fact"."""
    if isinstance(cond, TrueCond):
        return NEVER if negated else None
    if isinstance(cond, Cmp):
        return _neg(cond) if negated else _pos(cond)
    if isinstance(cond, Neg):
        return to_json(cond.item, not negated)
    parts = [to_json(c, negated) for c in cond.items]
    is_and = isinstance(cond, And) != negated
    return _all(parts) if is_and else _any(parts)


def rule_expression(r: CompiledRule) -> dict[str, Any]:
    """The whole test of one rule: its fact kind, then its condition."""
    return _all([{"kind_": r.kind}, to_json(r.cond)]) or {"kind_": r.kind}


def groups(expr: Any) -> int:
    """How many $and/$or objects an expression holds (durable_rules spends two of its 32
    sequence slots on each, error 113 past that)."""
    if isinstance(expr, dict):
        own = 1 if set(expr) & {"$and", "$or"} else 0
        return own + sum(groups(v) for v in expr.values())
    if isinstance(expr, list):
        return sum(groups(v) for v in expr)
    return 0


def tests(expr: Any) -> int:
    """How many comparisons an expression hands the engine: every object that is not an
    ``$and``/``$or`` group counts one per key (``{"f_a": 1}``, ``{"$neq": {...}}``). This,
    not the rule's own leaves, is what the engine's limits count: a negated test on a
    field that may be missing is two comparisons, ``not_in`` one more than its values."""
    if isinstance(expr, list):
        return sum(tests(e) for e in expr)
    if not isinstance(expr, dict):
        return 0
    if set(expr) <= {"$and", "$or"}:
        return sum(tests(v) for v in expr.values())
    return len(expr)


def rule_cost(r: CompiledRule) -> tuple[int, int]:
    """(tests, groups) of one rule, as the budget counts them (the kind test included)."""
    expr = rule_expression(r)
    return tests(expr), groups(expr)


def budget_problem(r: CompiledRule) -> str | None:
    """Why a rule would not fit the engine budget, or None."""
    tests, grp = rule_cost(r)
    if tests > BUDGET_TESTS:
        return f"the condition makes {tests} tests; one rule may make at most {BUDGET_TESTS}"
    if grp > BUDGET_GROUPS:
        return (
            f"the condition nests {grp} all/any groups; one rule may nest at most {BUDGET_GROUPS}"
        )
    return None


def chunk(rules: list[CompiledRule]) -> list[list[CompiledRule]]:
    """Split rules so no durable_rules ruleset holds more than the budget of tests."""
    chunks: list[list[CompiledRule]] = []
    current: list[CompiledRule] = []
    cost = 0
    for r in rules:
        problem = budget_problem(r)
        if problem:
            raise BudgetError(f"rule '{r.id}': {problem}")
        c = rule_cost(r)[0]
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
        out[r.id] = {"all": [{"m": rule_expression(r)}], "run": _action(sink, r.id)}
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
            _registered.move_to_end(name)
            return _registered[name]
        host = _get_host()
        names = []
        for i, part in enumerate(chunk(rules)):
            cname = f"{name}.c{i}"
            _fired_sink[cname] = set()
            try:
                host.register_rulesets({cname: copy.deepcopy(definition(part, cname))})
            except Exception as exc:  # the engine's errors are bare codes; name the chunk
                raise EngineError(f"durable_rules refused ruleset {cname}: {exc}") from exc
            names.append(cname)
            _chunk_kinds[cname] = frozenset(r.kind for r in part)
        _registered[name] = names
        while live_rulesets() > MAX_REGISTERED and len(_registered) > 1:
            _unregister(next(iter(_registered)))
        return names


def _unregister(name: str) -> None:
    """Delete one stratum's chunks from the engine (the caller holds ``_lock``)."""
    host = _get_host()
    for cname in _registered.pop(name):
        rs = host._ruleset_directory.pop(cname, None)
        if rs is not None:
            host._ruleset_list.remove(rs)
            durable_rules_engine.delete_ruleset(rs._handle)
        _chunk_kinds.pop(cname, None)
        _fired_sink.pop(cname, None)


def run(
    name: str, rules: list[CompiledRule], facts: Iterable[dict[str, Any]]
) -> set[tuple[str, str]]:
    """Assert the facts in a fresh session per chunk; return (rule id, fact key) fired."""
    encoded = [encode_fact(f) for f in facts]
    fired: set[tuple[str, str]] = set()
    if not rules:
        return fired
    if len(encoded) >= MAX_SESSION_FACTS:
        raise BudgetError(
            f"{len(encoded):,} facts in one session; the engine keeps {MAX_SESSION_FACTS - 1:,} apart"
        )
    host = _get_host()
    with _lock:
        for cname in prepare(name, rules):
            sid = f"s{next(_sids)}"
            _fired_sink[cname] = set()
            try:
                state = host.assert_fact(
                    cname, {"kind_": _SENTINEL_KIND, "fk_": "_", "sid": sid, "id": 0}
                )
                _check(state, cname)
                kinds = _chunk_kinds[cname]
                for n, f in enumerate(encoded, start=1):
                    if f["kind_"] not in kinds:
                        continue
                    try:
                        state = host.assert_fact(cname, dict(f, sid=sid, id=n))
                    except engine.MessageNotHandledException:
                        continue  # the legitimate "no rule applies"
                    except engine.MessageObservedException as exc:  # unreachable by the ids
                        raise EngineError(
                            f"durable_rules took fact {f['fk_']} for one already asserted in {cname}"
                        ) from exc
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
