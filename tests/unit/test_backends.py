"""The durable_rules adapter (creditrules.compile.durable): each hazard of durable_rules
2.0.28 it claims to make unreachable, and the hazards themselves, reproduced in child
processes so that a crash or a hang fails one test instead of killing the run.

The property test tests/property/test_backends_agree.py compares the adapter with the
reference interpreter on random conditions and cases; docs/engine.md explains the hazards.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.compile import durable, reference
from creditrules.compile.ir import (
    BUDGET_KEYS,
    BUDGET_TESTS,
    And,
    Cmp,
    CompiledRule,
    Cond,
    Neg,
    Or,
    TrueCond,
    leaves,
)
from creditrules.errors import BudgetError, CreditRulesError, EngineError
from creditrules.model.ruleset import Rule

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "nantong-2026.json"
RULE = Rule.model_validate(
    {"id": "p.r0", "title": "t", "applies_to": "record", "then": {"set": {"negative": True}}}
)
_names = itertools.count()


def fresh() -> str:
    """durable_rules rulesets cannot be re-registered: a new name for each test ruleset."""
    return f"unit_{os.getpid()}_{next(_names)}"


def rule(cond: Cond, rid: str = "p.x", kind: str = "record") -> CompiledRule:
    return CompiledRule(rid, kind, cond, 0, RULE)  # type: ignore[arg-type]


def agree(rules: list[CompiledRule], facts: list[dict[str, Any]], why: str = "") -> set[Any]:
    got = durable.run(fresh(), rules, facts)
    want = reference.run(rules, facts)
    assert got == want, (
        f"{why}durable_rules fired {sorted(got)}, the reference {sorted(want)}; "
        f"{[(r.id, durable.to_json(r.cond)) for r in rules]}"
    )
    return got


def run_child(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run Python code in a child process with this interpreter."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


# A raw durable_rules host as the notes recommend (no dispatcher threads); used only in
# child processes, never in this one.
RAW_HOST = """
from durable import engine

class Host(engine.Host):
    def _run(self):
        return None

host = Host()
"""


# ============================================================ the budget


def test_budget_constants() -> None:
    assert BUDGET_TESTS == 48
    assert BUDGET_KEYS == 200


# ============================================================ encode_fact


def test_encode_fact_keys_are_flat_and_never_id_or_sid() -> None:
    fact = {
        "_kind": "record",
        "_key": "record:r1",
        "_index": 3,
        "id": "r1",
        "sid": "7",
        "basis.type": "admin_penalty",
        "list.id": "blacklist",
        "count": 2,
        "flag": False,
    }
    out = durable.encode_fact(fact)
    assert "id" not in out and "sid" not in out
    assert out["kind_"] == "record" and out["fk_"] == "record:r1"
    fields = ("id", "sid", "basis.type", "list.id", "count", "flag")
    assert set(out) == {"kind_", "fk_"} | {durable.key(f) for f in fields}
    assert all("." not in k and k not in ("id", "sid") for k in out)
    assert len({durable.key(f) for f in fields}) == len(fields)
    assert not any(k.startswith("_") for k in out), (
        "private (_-prefixed) fields never reach the engine"
    )


def test_encode_fact_drops_nulls() -> None:
    out = durable.encode_fact({"_kind": "record", "_key": "k", "a": None, "b": "x", "c": None})
    assert set(out) == {"kind_", "fk_", durable.key("b")}


def test_encode_fact_turns_lists_into_flags() -> None:
    out = durable.encode_fact(
        {"_kind": "record", "_key": "k", "basis.penalties": ["fine_large", "confiscation"], "l": []}
    )
    flags = {k for k in out if "__has__" in k}
    assert flags == {
        durable.flag("basis.penalties", "fine_large"),
        durable.flag("basis.penalties", "confiscation"),
    }
    assert all(out[f] is True for f in flags)
    assert not any(k.startswith(durable.key("l") + "__has__") for k in out), "[] has no flags"
    # The flags are keys of their own: no list value reaches durable_rules (no $iall/$iany).
    assert not any(isinstance(v, list) for v in out.values())


def test_encode_fact_refuses_values_the_engine_cannot_compare() -> None:
    with pytest.raises(EngineError, match="amount"):
        durable.encode_fact({"_kind": "record", "_key": "k", "amount": 0.1})
    with pytest.raises(EngineError):
        durable.encode_fact({"_kind": "record", "_key": "k", "nested": {"a": 1}})


def test_encode_fact_enforces_the_key_budget() -> None:
    fits = {"_kind": "record", "_key": "k", **{f"x{i}": i for i in range(BUDGET_KEYS - 2)}}
    assert len(durable.encode_fact(fits)) == BUDGET_KEYS
    with pytest.raises(BudgetError, match=str(BUDGET_KEYS)):
        durable.encode_fact({**fits, "one_more": 1})
    flags = {"_kind": "record", "_key": "k", "l": [f"v{i}" for i in range(BUDGET_KEYS)]}
    with pytest.raises(BudgetError):
        durable.encode_fact(flags)


BUG_FLAG_COLLISION = (
    "REGRESSION (bug found by these tests): creditrules.compile.durable.key/flag must be "
    "one-to-one. They once folded every character outside [a-z0-9_] to '_' and '.' to '__', so "
    "`contains: [nt2018.m.joint-sanctions]` (a typo) fired on nt2018.m.joint_sanctions under "
    "durable_rules only. Fix: escape every character outside [a-z0-9] as '_<hex>_'. "
)


def test_flags_of_distinct_values_are_distinct() -> None:
    values = ["nt2018.m.joint_sanctions", "nt2018.m.joint-sanctions", "nt2018__m__joint_sanctions"]
    flags = {durable.flag("measures", v) for v in values}
    assert len(flags) == len(values), BUG_FLAG_COLLISION + str(sorted(flags))


def test_a_contains_typo_does_not_match_under_durable_rules() -> None:
    facts = [{"_kind": "subject", "_key": "subject", "measures": ["nt2018.m.joint_sanctions"]}]
    cond = Cmp("measures", "contains", ("nt2018.m.joint-sanctions",))
    agree([rule(cond, kind="subject")], facts, BUG_FLAG_COLLISION)


# ============================================================ conditions → JSON


def test_negation_of_a_test_on_a_missing_field_agrees_with_the_reference() -> None:
    facts = [
        {"_kind": "record", "_key": "missing"},
        {"_kind": "record", "_key": "null", "severity": None, "count": None},
        {"_kind": "record", "_key": "serious", "severity": "serious", "count": 3},
        {"_kind": "record", "_key": "general", "severity": "general", "count": 0},
    ]
    conds: list[Cond] = [
        Neg(Cmp("severity", "eq", "serious")),
        Neg(Cmp("severity", "ne", "serious")),
        Neg(Cmp("severity", "in", ("serious", "general"))),
        Neg(Cmp("severity", "not_in", ("serious",))),
        Neg(Cmp("count", "gte", 1)),
        Neg(Cmp("count", "lt", 1)),
        Neg(Cmp("severity", "is_null", True)),
        Neg(Neg(Cmp("severity", "eq", "serious"))),
        Neg(And((Cmp("severity", "eq", "serious"), Cmp("count", "gt", 0)))),
        Neg(Or((Cmp("severity", "eq", "serious"), Cmp("count", "gt", 0)))),
    ]
    rules = [rule(c, f"p.n{i}") for i, c in enumerate(conds)]
    fired = agree(rules, facts)
    # "not serious" holds where the severity is missing or null (two-valued negation).
    assert {("p.n0", "missing"), ("p.n0", "null"), ("p.n0", "general")} <= fired
    assert ("p.n0", "serious") not in fired


def test_iall_is_false_on_an_empty_list_so_the_adapter_uses_flags() -> None:
    """The hazard: `$iall` ("every item differs from x") is false on [] and on a missing
    list, so "not contains x" cannot be written with it."""
    child = run_child(
        RAW_HOST
        + """
import json
seen = {}
def hit(c):
    seen[c.m.k] = True
host.register_rulesets({"iall": {"r": {"all": [{"m": {"$iall": {"l": {"$neq": {"$i": "x"}}}}}], "run": hit}}})
for k, fact in enumerate([{"l": ["y"]}, {"l": []}, {"l": ["x"]}, {}]):
    try:
        host.assert_fact("iall", dict(fact, k=k, sid="s%d" % k))
    except engine.MessageNotHandledException:
        pass
    # sids are left alive on purpose: deleting one that matched nothing segfaults
print(json.dumps(sorted(seen)))
"""
    )
    assert child.returncode == 0, child.stderr
    assert json.loads(child.stdout) == [0], "only ['y'] satisfies $iall: [] and missing do not"

    # The adapter encodes list items as flags and negates with $nex: [] and missing agree.
    facts = [
        {"_kind": "record", "_key": "y", "l": ["y"]},
        {"_kind": "record", "_key": "empty", "l": []},
        {"_kind": "record", "_key": "x", "l": ["x"]},
        {"_kind": "record", "_key": "missing"},
    ]
    fired = agree([rule(Neg(Cmp("l", "contains", ("x",))))], facts)
    assert {fk for _, fk in fired} == {"y", "empty", "missing"}


def test_or_with_an_always_true_branch_agrees() -> None:
    cond = Or((TrueCond(), Cmp("severity", "eq", "serious")))
    agree(
        [rule(cond)],
        [{"_kind": "record", "_key": "general", "severity": "general"}],
        "REGRESSION (bug found by these tests): creditrules.compile.durable.to_json compiled "
        "Or(TrueCond(), x) as x, dropping the None that stands for 'always true' from an "
        "or-combination as if it were an and. Fix: an always-true part makes an or always true. ",
    )


def test_is_null_on_a_list_field_agrees() -> None:
    agree(
        [rule(Cmp("basis.penalties", "is_null", False))],
        [{"_kind": "record", "_key": "k", "basis.penalties": []}],
        "REGRESSION (bug found by these tests): creditrules.compile.durable.encode_fact must "
        "give a list field a presence key besides its item flags, or `is_null` (which validation "
        "allows on lists) says [] is null under durable_rules and not under the reference. "
        "Fix: out[key(name)] = len(v). ",
    )


def test_a_string_field_compared_with_true_agrees() -> None:
    # `{field: domain, eq: true}` used to pass validation (no type check on str fields).
    agree(
        [rule(Cmp("domain", "eq", True)), rule(Cmp("domain", "ne", True), "p.y")],
        [{"_kind": "record", "_key": "k", "domain": "true"}],
        "REGRESSION (bug found by these tests): durable_rules compares JSON loosely (the "
        "string 'true' equals true, '1' equals 1), the reference strictly. Fix: tag values in "
        "creditrules.compile.durable (val) and refuse non-string values for str fields in "
        "validate._check_values (CR203). ",
    )


BUG_EMPTY = (
    "REGRESSION (bug found by these tests): an empty value list made the adapter emit "
    "{'$and': []}, on which durable_rules 2.0.28 loops forever holding the GIL (`not_in: []`, "
    "`not: {in: []}`, `not: {contains: []}`). Fix: Field(min_length=1) on in/not_in/contains in "
    "the rule model, and in the adapter an empty conjunction is 'always true' (dropped) and an "
    "empty disjunction 'never'. "
)


def test_empty_value_lists_do_not_hang_the_engine() -> None:
    code = """
from creditrules.compile import durable, reference
from creditrules.compile.ir import Cmp, CompiledRule, Neg
from creditrules.model.ruleset import Rule
R = Rule.model_validate({"id": "p.r0", "title": "t", "applies_to": "record", "then": {"set": {"negative": True}}})
facts = [{"_kind": "record", "_key": "a", "s": "x", "l": ["x"]}, {"_kind": "record", "_key": "b"}]
for i, cond in enumerate([Cmp("s", "in", ()), Cmp("s", "not_in", ()), Neg(Cmp("s", "in", ())),
                          Neg(Cmp("l", "contains", ())), Cmp("l", "contains", ())]):
    rules = [CompiledRule("p.x", "record", cond, 0, R)]
    print(cond, durable.run("empty%d" % i, rules, facts) == reference.run(rules, facts), flush=True)
print("done", flush=True)
"""
    try:
        child = run_child(code, timeout=10)
    except subprocess.TimeoutExpired as exc:
        done = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        pytest.fail(f"{BUG_EMPTY}The engine hung after: {done!r}")
    assert child.returncode == 0, child.stderr
    lines = child.stdout.splitlines()
    assert lines[-1] == "done"
    assert all(line.endswith("True") for line in lines[:-1]), lines


# ============================================================ chunking and budget


def test_chunks_respect_the_test_budget() -> None:
    rules = [
        rule(Cmp("s", "in", tuple(f"v{j}" for j in range(i % 7 + 1))), f"p.c{i}") for i in range(60)
    ]
    chunks = durable.chunk(rules)
    assert len(chunks) > 1
    assert [r for c in chunks for r in c] == rules, "chunking keeps every rule, in order"
    for c in chunks:
        assert sum(leaves(r.cond) + 1 for r in c) <= BUDGET_TESTS
    names = durable.prepare(fresh(), rules)
    assert len(names) == len(chunks)


def test_a_rule_at_the_budget_is_accepted() -> None:
    values = tuple(f"v{i}" for i in range(BUDGET_TESTS - 1))
    r = rule(Cmp("s", "in", values))
    assert leaves(r.cond) + 1 == BUDGET_TESTS
    assert durable.chunk([r]) == [[r]]
    fired = agree([r], [{"_kind": "record", "_key": "k", "s": values[-1]}])
    assert fired == {("p.x", "k")}


def test_a_rule_over_the_budget_raises_budget_error() -> None:
    r = rule(Cmp("s", "in", tuple(f"v{i}" for i in range(BUDGET_TESTS))), "p.too_big")
    assert leaves(r.cond) + 1 == BUDGET_TESTS + 1
    with pytest.raises(BudgetError, match="p.too_big"):
        durable.chunk([r])
    with pytest.raises(BudgetError):
        durable.prepare(fresh(), [rule(Cmp("t", "eq", 1), "p.ok"), r])


def test_a_deeply_grouped_rule_within_the_budget_is_refused_cleanly() -> None:
    # 14 negated equalities: 14 tests (budget 48), but 16 $and/$or groups in the JSON.
    cond = And(tuple(Neg(Cmp(f"f{i}", "eq", i)) for i in range(14)))
    assert leaves(cond) + 1 <= BUDGET_TESTS
    try:
        durable.prepare(fresh(), [rule(cond)])
    except CreditRulesError:
        pass
    except Exception as exc:  # noqa: BLE001 - this is what the test looks for
        pytest.fail(
            "REGRESSION (bug found by these tests): durable_rules spends 2 of its 32 expression "
            "slots (MAX_SEQUENCE_EXPRESSIONS) on each $and/$or object of a rule and fails with "
            "error 113 at 16, however few tests the rule makes; this rule has 14 tests. It must "
            "be refused by the budget (BUDGET_GROUPS, BudgetError / CR401) or registered, never "
            f"fail with the raw {type(exc).__module__}.{type(exc).__name__}: {exc}."
        )


# ============================================================ sessions


def test_1500_evaluations_do_not_exhaust_the_1024_live_sids() -> None:
    name = fresh()
    rules = [rule(Cmp("s", "eq", "x"), "p.a"), rule(Neg(Cmp("s", "eq", "x")), "p.b")]
    facts = [{"_kind": "record", "_key": "k1", "s": "x"}, {"_kind": "record", "_key": "k2"}]
    want = {("p.a", "k1"), ("p.b", "k2")}
    for i in range(1500):
        assert durable.run(name, rules, facts) == want, f"evaluation {i}"


def test_many_evaluations_register_each_ruleset_once() -> None:
    name = fresh()
    rules = [rule(Cmp("s", "eq", "x"))]
    durable.run(name, rules, [])
    durable.run(name, rules, [{"_kind": "record", "_key": "k"}])
    before = durable.live_rulesets()
    for _ in range(50):
        durable.run(name, rules, [{"_kind": "record", "_key": "k", "s": "x"}])
    assert durable.live_rulesets() == before


def test_facts_that_match_nothing_do_not_crash_the_process() -> None:
    """The sentinel fact: every sid gets one match before it is deleted (see the next test)."""
    child = run_child(
        """
from creditrules.compile import durable
from creditrules.compile.ir import Cmp, CompiledRule
from creditrules.model.ruleset import Rule
R = Rule.model_validate({"id": "p.r0", "title": "t", "applies_to": "record", "then": {"set": {"negative": True}}})
rules = [CompiledRule("p.x", "record", Cmp("s", "eq", "never"), 0, R)]
for i in range(3):
    fired = durable.run("nomatch", rules, [{"_kind": "record", "_key": "a", "s": "x"}, {"_kind": "event", "_key": "e"}])
    assert fired == set(), fired
assert durable.run("nomatch", rules, []) == set()
print("alive")
"""
    )
    assert child.returncode == 0, f"returncode {child.returncode}: {child.stderr[-2000:]}"
    assert child.stdout.strip() == "alive"
    # and in this process too
    rules = [rule(Cmp("s", "eq", "never"))]
    assert durable.run(fresh(), rules, [{"_kind": "record", "_key": "a", "s": "x"}]) == set()


def test_deleting_a_sid_that_matched_nothing_segfaults_durable_rules() -> None:
    """The hazard behind the sentinel, reproduced with durable_rules alone. If this starts
    passing a different way (the child survives), a new durable_rules fixed it and the
    sentinel may go."""
    child = run_child(
        RAW_HOST
        + """
host.register_rulesets({"x": {"r": {"all": [{"m": {"k": 1}}], "run": lambda c: None}}})
try:
    host.assert_fact("x", {"sid": "a", "k": 2})
except engine.MessageNotHandledException:
    print("not handled", flush=True)
host.delete_state("x", "a")
print("survived", flush=True)
"""
    )
    assert child.stdout.splitlines() == ["not handled"]
    assert child.returncode in (-11, 139), f"expected SIGSEGV, got {child.returncode}"


def test_deleting_a_sid_that_matched_something_is_fine() -> None:
    child = run_child(
        RAW_HOST
        + """
host.register_rulesets({"x": {"r": {"all": [{"m": {"k": 1}}], "run": lambda c: None}}})
host.assert_fact("x", {"sid": "a", "k": 1})
host.delete_state("x", "a")
print("survived", flush=True)
"""
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "survived"


# ============================================================ threads


def _example_cases() -> list[dict[str, Any]]:
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    moved = copy.deepcopy(case)  # the same case in 2020: the 2018 version
    moved["as_of"] = "2020-11-21"
    rec = moved["records"][0]
    rec["determined_on"] = rec["published_on"] = rec["basis"]["issued_on"] = "2018-08-10"
    rec["list"]["listed_on"] = "2018-08-20"
    moved["events"] = [
        {"type": "objection_filed", "record": "r1", "on": "2020-09-30"},
        {"type": "repair_applied", "record": "r1", "on": "2020-10-12", "pledge": True},
    ]
    return [case, moved]


@pytest.mark.slow
@pytest.mark.parametrize("which", [0, 1], ids=["example", "example-in-2020"])
def test_eight_threads_get_identical_decisions(which: int) -> None:
    """The soak: 8 threads × 50 evaluations (the slow run)."""
    threads_get_identical_decisions(_example_cases()[which], threads=8, rounds=50)


def test_two_threads_get_identical_decisions() -> None:
    """The same check, 2 threads × 10 evaluations of the 2020 case, for the default run."""
    threads_get_identical_decisions(_example_cases()[1], threads=2, rounds=10)


def threads_get_identical_decisions(case: dict[str, Any], *, threads: int, rounds: int) -> None:
    """``threads`` threads evaluating ``case`` ``rounds`` times each get the serial decision."""
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    expected = creditrules.evaluate(rs, case, backend="durable_rules").model_dump(mode="json")
    by_reference = creditrules.evaluate(rs, case, backend="reference").model_dump(mode="json")
    assert {**by_reference, "engine": None} == {**expected, "engine": None}
    results: list[list[Any]] = [[] for _ in range(threads)]
    start = threading.Barrier(threads)

    def work(slot: int) -> None:
        start.wait()
        for _ in range(rounds):
            try:
                d = creditrules.evaluate(rs, copy.deepcopy(case), backend="durable_rules")
                results[slot].append(d.model_dump(mode="json"))
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                results[slot].append(f"{type(exc).__name__}: {exc}")

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in workers), "a thread is still running after 300 s"
    assert [len(r) for r in results] == [rounds] * threads
    bad = [r for slot in results for r in slot if r != expected]
    assert not bad, f"{len(bad)} of {threads * rounds} decisions differ; first: {str(bad[0])[:500]}"
