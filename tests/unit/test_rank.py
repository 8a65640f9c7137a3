"""The hierarchy of law: the rank vocabulary, resolution by rank, deference, 另有规定的除外."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.errors import RuleConflictError
from creditrules.evaluate.conclude import Claim, resolve
from creditrules.model.rank import RANK_IDS, Ranking, hierarchy
from creditrules.model.ruleset import Document, Rule


def rule(rid: str, doc: str, **extra: Any) -> Rule:
    return Rule.model_validate(
        {
            "id": rid,
            "title": "t",
            "applies_to": "record",
            "then": {"set": {"publishable": True}},
            "cites": [{"document": doc, "article": "第一条"}],
            **extra,
        }
    )


def ranking(
    rules: list[Rule], ranks: dict[str, str], yields: dict[str, set[str]] | None = None
) -> Ranking:
    return Ranking(
        {r.id: ranks[r.cites[0].document] for r in rules},
        {r.id: frozenset((yields or {}).get(r.id, set())) for r in rules},
        {r.id: frozenset(r.defers.to) if r.defers else None for r in rules},
        hierarchy(),
    )


RANKS = {"nat": "部门规章", "city": "地方规范性文件", "court": "司法解释", "gov": "地方政府规章"}


def test_vocabulary_is_the_nine_ranks_in_chinese() -> None:
    assert RANK_IDS == (
        "法律", "行政法规", "司法解释", "部门规章", "国务院规范性文件",
        "部门规范性文件", "地方性法规", "地方政府规章", "地方规范性文件",
    )  # fmt: skip
    h = hierarchy()
    assert h.above("法律", "地方规范性文件")  # through the closure
    assert h.above("部门规章", "地方规范性文件")
    assert not h.above("部门规章", "地方政府规章") and not h.above("地方政府规章", "部门规章")
    assert not h.above("地方性法规", "部门规章") and not h.above("部门规章", "地方性法规")
    assert h.why("部门规章", "地方规范性文件")


def test_document_rank_must_be_in_the_vocabulary() -> None:
    with pytest.raises(ValueError, match="not a rank of the hierarchy of law"):
        Document.model_validate({"key": "t.d", "title": "t", "issuer": "i", "rank": "规章"})


def test_a_lower_rule_gives_way_to_a_higher_one_with_no_override_declared() -> None:
    hi, lo = rule("t.hi", "nat"), rule("t.lo", "city")
    res = resolve(
        [Claim(hi, True), Claim(lo, False)],
        fact="record:r1",
        attribute="publishable",
        ranking=ranking([hi, lo], RANKS),
    )
    assert res.value is True and res.overridden == {"t.lo": ["t.hi"]}


def test_without_ranking_the_same_claims_conflict() -> None:
    hi, lo = rule("t.hi", "nat"), rule("t.lo", "city")
    with pytest.raises(RuleConflictError):
        resolve([Claim(hi, True), Claim(lo, False)], fact="record:r1", attribute="publishable")


def test_an_override_against_rank_does_not_stand() -> None:
    hi, lo = rule("t.hi", "nat"), rule("t.lo", "city", overrides=["t.hi"])
    res = resolve(
        [Claim(hi, True), Claim(lo, False)],
        fact="record:r1",
        attribute="publishable",
        ranking=ranking([hi, lo], RANKS),
    )
    assert res.value is True


def test_unordered_ranks_still_conflict() -> None:
    a, b = rule("t.a", "nat"), rule("t.b", "gov")  # 部门规章 and 地方政府规章: same force
    with pytest.raises(RuleConflictError):
        resolve(
            [Claim(a, True), Claim(b, False)],
            fact="record:r1",
            attribute="publishable",
            ranking=ranking([a, b], RANKS),
        )


def test_a_default_gives_way_to_any_rule_unless_it_defers_only_to_some_ranks() -> None:
    plain = rule("t.d", "nat", default=True)
    lo = rule("t.lo", "city")
    res = resolve(
        [Claim(plain, True), Claim(lo, False)],
        fact="record:r1",
        attribute="publishable",
        ranking=ranking([plain, lo], RANKS),
    )
    assert res.value is False  # a plain default states what holds where no other rule decides
    narrow = rule(
        "t.d",
        "nat",
        default=True,
        defers={"to": ["部门规范性文件"], "cites": [{"document": "nat", "article": "第一条"}]},
    )
    res = resolve(
        [Claim(narrow, True), Claim(lo, False)],
        fact="record:r1",
        attribute="publishable",
        ranking=ranking([narrow, lo], RANKS),
    )
    assert res.value is True and res.overridden == {"t.lo": ["t.d"]}


def test_a_deferring_default_gives_way_to_its_own_rank() -> None:
    narrow = rule(
        "t.d",
        "nat",
        default=True,
        defers={"to": ["部门规范性文件"], "cites": [{"document": "nat", "article": "第一条"}]},
    )
    special = rule("t.special", "nat")
    res = resolve(
        [Claim(narrow, True), Claim(special, False)],
        fact="record:r1",
        attribute="publishable",
        ranking=ranking([narrow, special], {"nat": "部门规章"}),
    )
    assert res.value is False


def test_an_article_that_yields_makes_its_rule_give_way_to_those_ranks() -> None:
    lo = rule("t.lo", "city")
    gov = rule("t.gov", "gov")
    # 地方政府规章 is above 地方规范性文件 anyway; the clause reaches a rank not above it:
    # here a local normative rule that yields to 部门规章 gives way to a 部门规章 rule.
    nat = rule("t.nat", "nat")
    res = resolve(
        [Claim(nat, True), Claim(lo, False)],
        fact="record:r1",
        attribute="publishable",
        ranking=ranking([nat, lo], RANKS, {"t.lo": {"部门规章"}}),
    )
    assert res.value is True
    # Without the clause, two unordered ranks conflict; with it, the yielding rule gives way.
    with pytest.raises(RuleConflictError):
        resolve(
            [Claim(nat, True), Claim(gov, False)],
            fact="record:r1",
            attribute="publishable",
            ranking=ranking([nat, gov], RANKS),
        )
    res = resolve(
        [Claim(nat, True), Claim(gov, False)],
        fact="record:r1",
        attribute="publishable",
        ranking=ranking([nat, gov], RANKS, {"t.gov": {"法律", "部门规章"}}),
    )
    assert res.value is True


def test_deadlines_of_several_authorities_all_stand_whatever_their_rank() -> None:
    hi, lo = rule("t.hi", "nat"), rule("t.lo", "city")
    res = resolve(
        [Claim(hi, "5WD"), Claim(lo, "10WD")],
        fact="event:0",
        attribute="deadline:objection.review",
        several=True,
        ranking=ranking([hi, lo], RANKS),
    )
    assert res.several and sorted(res.value) == ["10WD", "5WD"]


FIXTURE = Path(__file__).resolve().parents[1] / "authoring_errors" / "CR506-override-against-rank"


def test_cr506_is_silent_where_the_higher_rule_defers_to_the_lower_rank(tmp_path: Path) -> None:
    folder = tmp_path / "rs"
    shutil.copytree(FIXTURE, folder)
    rules = (folder / "rules.yaml").read_text(encoding="utf-8")
    deferring = rules.replace(
        "      set: {publishable: true}\n",
        "      set: {publishable: true}\n    default: true\n"
        "    defers: {to: [地方规范性文件], cites: [{document: t.rule, article: 第十七条}]}\n",
        1,
    )
    assert deferring != rules
    (folder / "rules.yaml").write_text(deferring, encoding="utf-8")
    assert [d.code for d in creditrules.validate(folder)] == []
    # The same override against a default that defers to another rank is reported.
    (folder / "rules.yaml").write_text(
        deferring.replace("to: [地方规范性文件]", "to: [部门规范性文件]"), encoding="utf-8"
    )
    assert [d.code for d in creditrules.validate(folder)] == ["CR506"]
