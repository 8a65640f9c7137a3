"""The conflict check of `creditrules validate` (CR316, evaluate/conflicts.py, compile/overlap.py).

Two rules that can decide one value of one fact differently, with nothing declared to settle
it, are reported with an example fact on which evaluation raises ``RuleConflictError``; pairs
whose conditions cannot hold together, or that ``overrides``, ``default`` or ``precedence``
settle, are not. Tiny rulesets are written to tmp_path; the last tests run over every bundled
ruleset in every layering.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

import creditrules
from creditrules.api import layerings
from creditrules.compile.ir import Cmp, lower
from creditrules.compile.overlap import satisfy
from creditrules.compile.reference import holds
from creditrules.errors import RuleConflictError
from creditrules.evaluate.conclude import Claim, decide
from creditrules.evaluate.conflicts import Conflict, find_conflicts
from creditrules.loader import MANIFEST, Ruleset, bundled_root, load
from creditrules.model.facts import BUILTIN_FIELDS
from creditrules.validate import field_dictionary

CITE = [{"document": "t.measures", "article": "第三十条"}]
DOCUMENTS = {
    "documents": [
        {
            "key": "t.measures",
            "no_number_reason": "测试用文件",
            "title": "测试市公共信用信息管理办法",
            "issuer": "测试市人民政府",
            "rank": "地方规范性文件",
            "articles": [
                {
                    "id": "第三十条",
                    "kind": "quote",
                    "text": "失信信息有效期,一般失信为1年、严重失信为3年。",
                }
            ],
        }
    ]
}


def write(
    folder: Path,
    rules: list[dict[str, Any]],
    *,
    rid: str = "t.rules",
    version: str = "1",
    effective_from: str = "2018-06-26",
    **manifest: Any,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    head = {
        "id": rid,
        "version": version,
        "title": "测试规则集",
        "issuer": "测试市人民政府",
        "effective_from": effective_from,
        **manifest,
    }
    (folder / MANIFEST).write_text(yaml.safe_dump(head, allow_unicode=True), encoding="utf-8")
    (folder / "documents.yaml").write_text(
        yaml.safe_dump(DOCUMENTS, allow_unicode=True), encoding="utf-8"
    )
    (folder / "rules.yaml").write_text(
        yaml.safe_dump({"rules": rules}, allow_unicode=True), encoding="utf-8"
    )
    return folder


def rule(rid: str, when: Any, then: dict[str, Any], **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rid,
        "title": "测试规则",
        "applies_to": "record",
        "then": then,
        "cites": CITE,
        **extra,
    }
    if when is not None:
        out["when"] = when
    return out


def validity(duration: str) -> dict[str, Any]:
    return {"period": {"name": "validity", "from": "determined_on", "duration": duration}}


def loaded(folder: Path) -> Ruleset:
    rs, diags = load(folder)
    assert rs is not None and not [d for d in diags if d.severity == "error"], diags
    return rs


def conflicts(folder: Path) -> list[Conflict]:
    rs = loaded(folder)
    return find_conflicts(rs, field_dictionary(rs))


def pairs(found: list[Conflict]) -> set[frozenset[str]]:
    return {frozenset((c.first.id, c.second.id)) for c in found}


def assert_raises_on_example(rs: Ruleset, c: Conflict) -> None:
    """The example fact makes both rules fire, and deciding the value with every rule that
    fires on it raises, as evaluation would."""
    assert holds(lower(c.first.when), c.example)
    assert holds(lower(c.second.when), c.example)
    fired = [
        Claim(r, v)
        for r in rs.all_rules()
        if r.applies_to == c.kind
        for key, v in _claims(r)
        if key == c.attribute and holds(lower(r.when), c.example)
    ]
    with pytest.raises(RuleConflictError) as exc:
        decide(rs, c.attribute, fired, fact="example")
    assert {c.first.id, c.second.id} <= set(exc.value.rules)


def _claims(r: Any) -> list[tuple[str, Any]]:
    from creditrules.compile.ir import claims_of

    return claims_of(r)


# ------------------------------------------------------------------ pairs that conflict


def test_overlapping_rules_are_reported_with_an_example(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "t",
        [
            rule("t.serious", {"field": "severity", "eq": "serious"}, validity("P3Y")),
            rule("t.tax", {"field": "domain", "eq": "tax"}, validity("P1Y")),
        ],
    )
    (c,) = conflicts(folder)
    assert (c.attribute, c.kind) == ("period:validity", "record")
    assert c.example["domain"] == "tax" and c.example["severity"] == "serious"
    assert_raises_on_example(loaded(folder), c)


def test_validate_reports_cr316_naming_both_rules_and_the_example(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "t",
        [
            rule("t.serious", {"field": "severity", "eq": "serious"}, validity("P3Y")),
            rule("t.tax", {"field": "domain", "eq": "tax"}, validity("P1Y")),
        ],
    )
    (d,) = creditrules.validate(folder)
    assert d.code == "CR316" and d.rule == "t.tax" and "'t.serious'" in d.message
    assert d.notes[0] == "both apply to a record with severity = serious, domain = tax"
    assert d.span is not None and d.span.file.endswith("rules.yaml")


def test_the_example_evaluates_to_a_rule_conflict_error(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "t",
        [
            rule("t.serious", {"field": "severity", "eq": "serious"}, validity("P3Y")),
            rule("t.tax", {"field": "domain", "eq": "tax"}, validity("P1Y")),
        ],
    )
    (c,) = conflicts(folder)
    case = {
        "as_of": "2020-01-01",
        "subject": {"id": "91320600MA1MXXXX9Y", "type": "legal_person"},
        "records": [
            {
                "id": "r1",
                "category": "negative",
                "domain": c.example["domain"],
                "behavior": "tax.late_filing",
                "severity": c.example["severity"],
                "determined_on": "2019-06-01",
            }
        ],
    }
    with pytest.raises(RuleConflictError):
        creditrules.evaluate(loaded(folder), case, backend="reference")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            {"field": "determined_on", "lt": "2020-01-01"},
            {"field": "determined_on", "gt": "2019-12-30"},
        ),
        ({"field": "domain", "ne": "tax"}, {"field": "domain", "in": ["tax", "food"]}),
        (
            {"field": "basis.penalties", "contains": ["warning"]},
            {"not": {"field": "basis.penalties", "contains": ["fine_large"]}},
        ),
        ({"field": "intentional", "is_null": True}, {"not": {"field": "intentional", "eq": True}}),
        (None, {"field": "category", "eq": "negative"}),
    ],
    ids=["date-window", "ne-and-in", "list-items", "null-and-not", "no-condition"],
)
def test_conditions_that_can_hold_together_conflict(
    tmp_path: Path, first: Any, second: Any
) -> None:
    folder = write(
        tmp_path / "t", [rule("t.a", first, validity("P3Y")), rule("t.b", second, validity("P1Y"))]
    )
    (c,) = conflicts(folder)
    assert_raises_on_example(loaded(folder), c)


# ------------------------------------------------------------------ pairs that are disjoint


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"field": "severity", "eq": "serious"}, {"field": "severity", "eq": "general"}),
        (
            {"field": "determined_on", "lt": "2020-01-01"},
            {"field": "determined_on", "gte": "2020-01-01"},
        ),
        (
            {"field": "domain", "in": ["tax", "food"]},
            {"field": "domain", "not_in": ["tax", "food"]},
        ),
        (
            {"field": "basis.penalties", "contains": ["fine_large"]},
            {"not": {"field": "basis.penalties", "contains": ["warning", "fine_large"]}},
        ),
        ({"field": "corrected_on", "is_null": True}, {"field": "corrected_on", "is_null": False}),
        ({"field": "intentional", "eq": True}, {"not": {"field": "intentional", "ne": False}}),
        (
            {"all": [{"field": "category", "eq": "negative"}, {"field": "domain", "eq": "tax"}]},
            {"any": [{"field": "category", "eq": "positive"}, {"field": "domain", "eq": "food"}]},
        ),
    ],
    ids=[
        "vocabulary",
        "dates",
        "in-not-in",
        "list-items",
        "null",
        "bool-and-negated-ne",
        "all-any",
    ],
)
def test_conditions_that_cannot_hold_together_are_not_reported(
    tmp_path: Path, first: Any, second: Any
) -> None:
    folder = write(
        tmp_path / "t", [rule("t.a", first, validity("P3Y")), rule("t.b", second, validity("P1Y"))]
    )
    assert conflicts(folder) == []


def test_a_derived_value_is_tied_to_the_rules_that_write_it(tmp_path: Path) -> None:
    # `negative` is true only where t.negative writes it (category negative), so a rule on
    # negative records and one on positive records never meet, though each reads one field.
    folder = write(
        tmp_path / "t",
        [
            rule(
                "t.negative", {"field": "category", "eq": "negative"}, {"set": {"negative": True}}
            ),
            rule("t.a", {"field": "negative", "eq": True}, validity("P3Y")),
            rule("t.b", {"field": "category", "eq": "positive"}, validity("P1Y")),
            rule("t.c", {"field": "negative", "is_null": False}, validity("P2Y")),
        ],
    )
    assert pairs(conflicts(folder)) == {frozenset({"t.a", "t.c"})}


def test_the_same_value_is_no_conflict(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "t",
        [
            rule("t.a", None, validity("P3Y")),
            rule("t.b", {"field": "domain", "eq": "tax"}, validity("P3Y")),
        ],
    )
    assert conflicts(folder) == []


# ------------------------------------------------------------------ pairs with a declared precedence


def test_a_rule_that_overrides_the_other_settles_it(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "t",
        [
            rule("t.general", None, validity("P3Y")),
            rule(
                "t.tax", {"field": "domain", "eq": "tax"}, validity("P1Y"), overrides=["t.general"]
            ),
        ],
    )
    assert conflicts(folder) == []


def test_overrides_in_a_cycle_settle_no_pair_when_all_fire(tmp_path: Path) -> None:
    # Each pair is settled alone (one overrides the other), but when all three fire no
    # rule stands above the rest: evaluation raises, so validate must report it.
    folder = write(
        tmp_path / "t",
        [
            rule("t.a", None, validity("P1Y"), overrides=["t.b"]),
            rule("t.b", None, validity("P2Y"), overrides=["t.c"]),
            rule("t.c", None, validity("P3Y"), overrides=["t.a"]),
        ],
    )
    rs = loaded(folder)
    found = find_conflicts(rs, field_dictionary(rs))
    assert found and pairs(found) <= {
        frozenset(("t.a", "t.b")),
        frozenset(("t.b", "t.c")),
        frozenset(("t.a", "t.c")),
    }
    for c in found:
        assert_raises_on_example(rs, c)


def test_a_default_gives_way(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "t",
        [
            rule("t.general", None, validity("P3Y"), default=True),
            rule("t.tax", {"field": "domain", "eq": "tax"}, validity("P1Y")),
        ],
    )
    assert conflicts(folder) == []


def test_two_defaults_conflict_only_where_no_other_rule_decides(tmp_path: Path) -> None:
    both = [
        rule("t.d1", None, validity("P3Y"), default=True),
        rule("t.d2", {"field": "domain", "eq": "tax"}, validity("P1Y"), default=True),
    ]
    always = write(
        tmp_path / "a", [*both, rule("t.tax", {"field": "domain", "eq": "tax"}, validity("P2Y"))]
    )
    assert conflicts(always) == []
    sometimes = write(
        tmp_path / "s",
        [*both, rule("t.food", {"field": "category", "eq": "negative"}, validity("P2Y"))],
    )
    (c,) = conflicts(sometimes)
    assert c.example.get("category") != "negative"
    assert_raises_on_example(loaded(sometimes), c)


def test_a_declared_order_of_values_settles_it(tmp_path: Path) -> None:
    rules = [
        rule("t.active", None, {"set": {"status": "active"}}),
        rule(
            "t.expired", {"field": "validity.elapsed", "eq": True}, {"set": {"status": "expired"}}
        ),
        rule("t.v", None, validity("P1Y")),
    ]
    assert pairs(conflicts(write(tmp_path / "n", rules))) == {frozenset({"t.active", "t.expired"})}
    ordered = write(tmp_path / "o", rules, precedence={"status": ["expired", "active"]})
    assert conflicts(ordered) == []
    # An order that leaves one of the values out settles nothing between them.
    partial = write(tmp_path / "p", rules, precedence={"status": ["expired", "repaired"]})
    assert len(conflicts(partial)) == 1


def test_a_third_rule_that_overrides_one_of_them_where_both_apply_settles_it(
    tmp_path: Path,
) -> None:
    a = rule("t.a", {"field": "domain", "eq": "tax"}, validity("P3Y"))
    b = rule("t.b", {"field": "severity", "eq": "serious"}, validity("P1Y"))
    wide = rule("t.c", {"field": "domain", "eq": "tax"}, validity("P1Y"), overrides=["t.a"])
    assert conflicts(write(tmp_path / "w", [a, b, wide])) == []
    narrow = rule(
        "t.c",
        {"all": [{"field": "domain", "eq": "tax"}, {"field": "category", "eq": "negative"}]},
        validity("P1Y"),
        overrides=["t.a"],
    )
    folder = write(tmp_path / "n", [a, b, narrow])
    (c,) = conflicts(folder)
    assert c.example.get("category") != "negative"
    assert_raises_on_example(loaded(folder), c)


def test_matters_and_deadlines_of_several_authorities_never_conflict(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "t",
        [
            rule(
                "t.allow",
                None,
                {"matter": {"matter": "bidding", "outcome": "allow"}},
                applies_to="subject",
            ),
            rule(
                "t.deny",
                None,
                {"matter": {"matter": "bidding", "outcome": "deny"}},
                applies_to="subject",
            ),
            rule(
                "t.d10",
                None,
                {"deadline": {"procedure": "objection.review", "duration": "10WD"}},
                applies_to="event",
            ),
            rule(
                "t.d7",
                None,
                {"deadline": {"procedure": "objection.review", "duration": "7WD"}},
                applies_to="event",
            ),
        ],
    )
    assert conflicts(folder) == []


# ------------------------------------------------------------------ across layers


def test_a_conflict_with_a_parent_is_found_on_the_parent_version_it_runs_on(
    tmp_path: Path,
) -> None:
    root = tmp_path / "rs"
    write(
        root / "parent" / "1",
        [rule("p.tax", {"field": "domain", "eq": "food"}, validity("P2Y"))],
        rid="t.parent",
        effective_from="2018-01-01",
        effective_to="2020-01-01",
    )
    write(
        root / "parent" / "2",
        [rule("p.tax", {"field": "domain", "eq": "tax"}, validity("P2Y"))],
        rid="t.parent",
        version="2",
        effective_from="2020-01-01",
    )
    child = write(
        root / "child" / "1",
        [rule("c.serious", {"field": "severity", "eq": "serious"}, validity("P3Y"))],
        rid="t.child",
        effective_from="2019-01-01",
        extends="t.parent",
    )
    rs = loaded(child)
    assert [r.parent.ref for r in layerings(rs, child, root) if r.parent] == [
        "t.parent@1",
        "t.parent@2",
    ]
    # One diagnostic for the pair (food on version 1, tax on version 2), naming both layerings.
    (d,) = [d for d in creditrules.validate(root) if d.code == "CR316"]
    assert d.rule == "c.serious"
    assert d.notes[-1] == ("rules as layered: t.child@1 on t.parent@1; t.child@1 on t.parent@2")
    pinned = write(
        root / "child" / "2",
        [rule("c.serious", {"field": "severity", "eq": "serious"}, validity("P3Y"))],
        rid="t.pinned",
        effective_from="2019-01-01",
        extends="t.parent@1",
    )
    assert len(layerings(loaded(pinned), pinned, root)) == 1


def test_a_parent_pair_is_reported_with_the_parent_only(tmp_path: Path) -> None:
    root = tmp_path / "rs"
    write(
        root / "parent",
        [
            rule("p.a", {"field": "domain", "eq": "tax"}, validity("P2Y")),
            rule("p.b", None, validity("P1Y")),
        ],
        rid="t.parent",
    )
    write(
        root / "child",
        [rule("c.x", None, {"set": {"archived": True}})],
        rid="t.child",
        extends="t.parent",
    )
    found = [d for d in creditrules.validate(root) if d.code == "CR316"]
    assert len(found) == 1 and found[0].span is not None
    assert "parent" in found[0].span.file


# ------------------------------------------------------------------ the solver itself


def test_satisfy_finds_the_neighbour_of_a_date_bound() -> None:
    from creditrules.compile.ir import And

    fields = BUILTIN_FIELDS["record"]
    cond = And((Cmp("determined_on", "gt", "2020-02-28"), Cmp("determined_on", "lt", "2020-03-01")))
    assert satisfy(cond, fields) == {"determined_on": "2020-02-29"}
    tight = And(
        (Cmp("determined_on", "gt", "2020-02-29"), Cmp("determined_on", "lt", "2020-03-01"))
    )
    assert satisfy(tight, fields) is None


# ------------------------------------------------------------------ the bundled rulesets


def _bundled() -> list[tuple[str, Ruleset]]:
    root = bundled_root()
    out = []
    for manifest in sorted(root.rglob(MANIFEST)):
        folder = manifest.parent
        rs = loaded(folder)
        for layered in layerings(rs, folder, root):
            parent = layered.parent.ref if layered.parent else "-"
            out.append((f"{layered.ref} on {parent}", layered))
    return out


BUNDLED = _bundled()


@pytest.mark.parametrize(("name", "rs"), BUNDLED, ids=[n for n, _ in BUNDLED])
def test_bundled_rulesets_have_no_conflicts(name: str, rs: Ruleset) -> None:
    found = find_conflicts(rs, field_dictionary(rs))
    assert not found, f"{name}: {sorted(sorted(p) for p in pairs(found))}"


def test_every_layering_of_the_bundled_city_rulesets_is_checked() -> None:
    names = {n for n, _ in BUNDLED}
    for parent in ("cn.national@2020", "cn.national@2023", "cn.national@2026"):
        assert f"cn.js.nantong@2021 on {parent}" in names
    assert "cn.gx.wuzhou@2022 on cn.national@2020" in names
