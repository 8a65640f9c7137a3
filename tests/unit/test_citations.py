"""Citations in Chinese and honest about what they are (CR701–CR703, basis_problems)."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

import creditrules
from creditrules.evaluate.basis_check import basis_problems
from creditrules.explain import explain
from creditrules.model.ruleset import Article, Then
from creditrules.render import render_ruleset
from creditrules.validate.citations import english_run, rule_topics, supports

# ---------------------------------------------------------------- CR701: Chinese texts


@pytest.mark.parametrize(
    "text",
    [
        "[译述] able to perform but refuses.",
        "The debtor has not performed an effective legal document",
        "失信信息 (a gloss of the article)",
    ],
)
def test_english_texts_are_found(text: str) -> None:
    assert english_run(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位。",
        "通过国家企业信用信息公示系统（gsxt）公示。",
        "自2026年4月1日起施行。",
    ],
)
def test_chinese_texts_with_a_few_latin_letters_pass(text: str) -> None:
    assert english_run(text) is None


def test_no_bundled_article_is_english() -> None:
    seen = 0
    for e in creditrules.list_rulesets():
        rs = creditrules.load_ruleset(e.folder)
        for doc in rs.all_documents().values():
            for a in doc.articles:
                seen += 1
                assert english_run(a.text) is None, (doc.key, a.id, a.text[:60])
                assert a.kind in ("quote", "summary")
    assert seen > 300


def test_every_bundled_document_has_a_number_or_a_reason() -> None:
    for e in creditrules.list_rulesets():
        rs = creditrules.load_ruleset(e.folder)
        for doc in rs.all_documents().values():
            assert doc.number or (doc.no_number_reason or "").strip(), doc.key


def test_the_court_instruments_carry_their_fa_shi_number_or_say_why_not() -> None:
    rs = creditrules.load_ruleset("cn.national@2026")
    docs = rs.all_documents()
    # 法释〔2017〕7号: the amending decision, announced 2017-02-28, in force 2017-05-01 [B].
    assert docs["sectors.spc_dishonest_list"].number == "法释〔2017〕7号"
    consumption = docs["sectors.spc_consumption"]
    assert consumption.number is None
    assert "法释编号" in (consumption.no_number_reason or "")


# ---------------------------------------------------------------- CR702: support


def _art(text: str, decides: list[Any] | None = None) -> Article:
    return Article(id="第二条", kind="quote", text=text, decides=decides or [])


def test_the_right_to_repair_does_not_set_a_period() -> None:
    # 令58号 第二条, which its period parameters used to cite.
    right = _art("信用主体依法享有信用信息修复的权利。")
    assert not supports(right, "period")
    assert supports(right, "repair")
    periods = _art("一般失信信息的最短公示期为3个月，最长为1年。")
    assert supports(periods, "period")


def test_decides_declares_what_the_words_do_not_say() -> None:
    item = _art("以简易程序对信用主体作出的行政处罚信息；")
    assert not supports(item, "classification")
    assert supports(_art(item.text, ["classification"]), "classification")


def test_rule_topics_follow_the_conclusion() -> None:
    then = Then.model_validate(
        {
            "set": {"status": "expired", "severity": "serious"},
            "period": {"name": "validity", "from": "determined_on", "duration": "P1Y"},
            "repair_unmet": "x",
        }
    )
    assert rule_topics(then) == ["status", "classification", "period", "repair"]


def test_ling58_period_parameters_cite_an_unverified_period_entry() -> None:
    rs = creditrules.load_ruleset("cn.national@2023")
    docs = rs.all_documents()
    for name in ("ling58.general_min", "ling58.general_max", "ling58.serious_min"):
        p = rs.all_parameters()[name]
        arts = [a for c in p.cites for a in docs[c.document].articles if a.id == c.article]
        assert arts and all(a.id != "第二条" for a in arts)
        assert all(a.unverified and supports(a, "period") for a in arts)


# ---------------------------------------------------------------- decisions


@pytest.fixture(scope="module")
def sector_decision() -> dict[str, Any]:
    case = {
        "as_of": "2024-06-01",
        "subject": {"id": "91320600MA1MXXXX9Y", "type": "legal_person"},
        "records": [
            {
                "id": "d1",
                "category": "negative",
                "domain": "court",
                "behavior": "court.dishonest_debtor",
                "basis": {"type": "court_judgment", "issued_on": "2024-01-10"},
                "determined_on": "2024-01-10",
                "list": {
                    "id": "court.dishonest_debtor",
                    "listed_on": "2024-01-20",
                    "ground": "obstructs_enforcement",
                },
            }
        ],
        "matters": ["high_consumption"],
    }
    rs = creditrules.load_ruleset("cn.national.sectors", as_of=case["as_of"])
    out: dict[str, Any] = creditrules.evaluate(rs, case).model_dump(mode="json", by_alias=True)
    return out


def test_a_sector_decision_cites_chinese_summaries_marked_as_such(
    sector_decision: dict[str, Any],
) -> None:
    assert basis_problems(sector_decision) == []
    cites = [c for m in sector_decision["measures"] for c in m["basis"]]
    assert cites and all(c["kind"] == "summary" for c in cites)
    assert all(c["number"] or c["no_number_reason"] for c in cites)
    assert any(c["number"] == "法释〔2017〕7号" for c in cites)
    zh = explain(sector_decision, lang="zh")
    en = explain(sector_decision, lang="en")
    assert "〔摘要〕" in zh and "[summary]" in en and "[译述]" not in zh
    assert "（无文号）" in zh and "(no document number)" not in zh and "no document number" in en
    # The reason is the project's Chinese note: given in full with --all.
    full = re.sub(r"\n +", "", explain(sector_decision, lang="zh", all_rules=True))
    assert all(f"无文号：{c['no_number_reason']}" in full for c in cites if c["no_number_reason"])


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda c: c.update(text="[译述] able to perform but refuses."), "is not Chinese"),
        (lambda c: c.update(number=None, no_number_reason=None), "no document number"),
        (lambda c: c.pop("kind"), "quotes or summarises"),
    ],
)
def test_basis_problems_finds_a_damaged_citation(
    sector_decision: dict[str, Any], damage: Any, expected: str
) -> None:
    d = copy.deepcopy(sector_decision)
    damage(d["measures"][0]["basis"][0])
    problems = basis_problems(d)
    assert any(expected in p for p in problems), problems


def test_basis_problems_finds_a_conclusion_without_citation(
    sector_decision: dict[str, Any],
) -> None:
    d = copy.deepcopy(sector_decision)
    d["lists"][0]["basis"] = []
    assert basis_problems(d) == ["lists[court.dishonest_debtor]: no citation"]


def test_a_publication_window_alone_does_not_make_the_status_a_conclusion() -> None:
    """Under the sector lists alone, a SAMR penalty never published gets only 45号 第十三条's
    publication window (cited in ``publication``): its status is not decided by that ruleset,
    so it owes no citation; a rule that decides the status still does."""
    case = {
        "as_of": "2022-12-09",
        "subject": {"id": "91320623DBM7UPC26P", "type": "legal_person"},
        "records": [
            {
                "id": "r1",
                "determined_on": "2020-02-22",
                "category": "negative",
                "domain": "market",
                "behavior": "market.false_advertising",
                "severity": "general",
                "basis": {
                    "type": "admin_penalty",
                    "issued_on": "2020-02-22",
                    "procedure": "ordinary",
                    "penalties": ["confiscation"],
                },
            }
        ],
    }
    d = creditrules.evaluate("cn.national.sectors", case, backend="reference")
    doc = d.model_dump(mode="json", by_alias=True)
    assert [c["article"] for c in doc["records"][0]["publication"]["basis"]] == ["第十三条"]
    assert basis_problems(doc) == []
    doc["trace"].append(
        {"rule": "x", "fact": "record:r1", "fired": True, "stratum": 0, "effect": "status: active"}
    )
    assert basis_problems(doc) == ["records[r1]: no citation"]


def test_a_huangshi_court_judgment_record_cites_its_basis() -> None:
    case = {
        "as_of": "2017-12-01",
        "subject": {"id": "91420200MA4A1B2CXF", "type": "legal_person"},
        "records": [
            {
                "id": "d1",
                "category": "negative",
                "domain": "court",
                "behavior": "court.dishonest_debtor",
                "severity": "serious",
                "basis": {"type": "court_judgment", "issued_on": "2017-07-01"},
                "determined_on": "2017-07-01",
            }
        ],
    }
    rs = creditrules.load_ruleset("cn.hb.huangshi", as_of=case["as_of"])
    d = creditrules.evaluate(rs, case).model_dump(mode="json", by_alias=True)
    rec = d["records"][0]
    assert rec["status"] == "active"
    assert [c["article"] for c in rec["basis"]] == ["二、（二）2."]


def test_rendered_docs_mark_quotes_summaries_and_unverified_articles() -> None:
    text = render_ruleset(creditrules.load_ruleset("cn.national@2023"))
    assert "> 〔原文〕信用主体依法享有信用信息修复的权利" in text
    assert "> 〔摘要〕〔未核实：" in text


def test_a_matter_without_a_rule_is_explained_in_chinese() -> None:
    """matters[].reason is the Decision's English text; the Chinese explanation says it in
    Chinese, never in English."""
    case = {
        "as_of": "2026-06-01",
        "subject": {"id": "91320600MA1MXXXX9Y", "type": "legal_person"},
        "records": [],
        "matters": ["high_consumption"],
    }
    rs = creditrules.load_ruleset("cn.js.nantong@2021", as_of=case["as_of"])
    d = creditrules.evaluate(rs, case)
    (m,) = d.matters
    assert m.outcome is None
    assert m.reason is not None and m.reason.startswith("no rule of cn.js.nantong@2021 ")
    zh = explain(d, lang="zh")
    assert "无规则适用于该主体" in zh and m.reason not in zh
    assert "no rule applies to this subject" in explain(d, lang="en")
