"""The explanation's content and order (creditrules.explain.build) and its text form.

On the bundled Nantong example (examples/nantong-2026.json, evaluated on 2026-11-21 under
cn.js.nantong@2021 on cn.national@2026): the answer first, then why, then each article of
law once, ordered by rank and article; overridden conclusions named with the rule that
prevailed; deadlines past on the evaluation date flagged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.explain import build, render
from creditrules.explain.order import article_key, chinese_number, rank_key, rank_order
from creditrules.explain.text import SCREEN, WIDTH, duration, marks, width, wrap

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((REPO / "examples" / "nantong-2026.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def decision() -> dict[str, Any]:
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=EXAMPLE["as_of"])
    d: dict[str, Any] = creditrules.evaluate(rs, EXAMPLE).model_dump(mode="json", by_alias=True)
    return d


def test_ranks_are_listed_higher_first() -> None:
    order = rank_order()
    assert order[:3] == ("法律", "行政法规", "司法解释")
    # 国务院规范性文件 stands above 部门规章 (ranks.yaml order), though listed after it.
    assert order.index("国务院规范性文件") < order.index("部门规章")
    assert order[-1] == "地方规范性文件"
    assert rank_key(None) == len(order)


@pytest.mark.parametrize(
    ("text", "value"), [("一百一十九", 119), ("十二", 12), ("二十", 20), ("三十四", 34), ("7", 7)]
)
def test_chinese_numbers(text: str, value: int) -> None:
    assert chinese_number(text) == value


def test_articles_sort_by_number() -> None:
    got = sorted(
        ["第十二条第三款", "第九条（一）", "第十二条第一款", "第二十六条", "第七条"],
        key=article_key,
    )
    assert got == ["第七条", "第九条（一）", "第十二条第一款", "第十二条第三款", "第二十六条"]


def test_citations_once_by_rank_then_article(decision: dict[str, Any]) -> None:
    e = build(decision)
    cites = e.citations
    assert [c.mark for c in cites] == list(range(1, len(cites) + 1))
    keys = [(c.number or c.document, c.article) for c in cites]
    assert len(keys) == len(set(keys))
    ranks = [rank_key(c.rank) for c in cites]
    assert ranks == sorted(ranks)
    assert cites[0].rank == "法律" and cites[-1].rank == "地方规范性文件"
    for doc in e.documents:
        arts = [article_key(c.article) for c in doc.cites]
        assert arts == sorted(arts)
    # Every conclusion's articles are listed, by mark.
    every = {(c["number"] or c["document"], c["article"]) for c in _all_basis(decision)}
    assert every <= set(keys)


def _all_basis(d: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in d["records"]:
        out += r["basis"] + r["publication"]["basis"] + r["repair"]["basis"]
    for k in ("lists", "measures", "matters", "deadlines"):
        out += [c for x in d[k] for c in x["basis"]]
    return out


def test_the_answer_names_the_record_lists_matters(decision: dict[str, Any]) -> None:
    e = build(decision)
    (r,) = e.records
    assert (r.status, r.severity, r.publishable, r.usable_for_sanction) == (
        "under_objection",
        "serious",
        True,
        True,
    )
    assert r.published_max_until == "2027-02-10" and r.repair_eligible is False
    assert [x.list for x in e.lists] == ["blacklist"]
    assert {(m.matter, m.outcome) for m in e.matters} == {
        ("government_procurement", "deny"),
        ("high_consumption", None),
    }
    assert [m.no_rule for m in e.matters if m.outcome is None] == ["not_applicable"]


def test_not_publishable_shows_no_window(decision: dict[str, Any]) -> None:
    d = json.loads(json.dumps(decision))
    d["records"][0]["publishable"] = False
    (r,) = build(d).records
    assert (r.published_from, r.published_min_until, r.published_max_until) == (None,) * 3
    assert "公示期" not in render(build(d)).split("## 理由")[0]


def test_layers_that_decided_are_named(decision: dict[str, Any]) -> None:
    e = build(decision)
    assert e.ruleset.ref == "cn.js.nantong@2021" and e.ruleset.evaluated
    assert [x.ref for x in e.layers] == ["cn.national@2026"]
    assert e.ruleset.fired + e.layers[0].fired == len(e.fired)
    assert e.ruleset.fired > 0 and e.layers[0].fired > 0
    text = re.sub(r"\n +", "", render(e))
    for x in (e.ruleset, *e.layers):
        assert f"{x.ref}（" in text and x.sha256[:8] in text


def test_overridden_rules_are_marked_with_what_prevailed(decision: dict[str, Any]) -> None:
    e = build(decision, all_rules=True)
    status = next(x for x in e.displaced if x.on == "status")
    assert status.fact == "record:r1"
    assert {r.id for r in status.rules} == {
        "cn49.finding.legal_document",
        "nt2018.negative.default",
    }
    assert [b.id for b in status.by] == ["nt2018.objection.marked"]
    text = re.sub(r"\s+", "", render(build(decision)))
    assert (
        "信息r1状态：cn49.finding.legal_document、nt2018.negative.default让位于nt2018.objection.marked"
        in text
    )
    full = render(e, full=True)
    # A rule set aside is not tagged as applied.
    rules = full.split("## 适用的规则", 1)[1]
    (line,) = [x for x in rules.splitlines() if "（nt2018.negative.default）" in x]
    assert line.lstrip().startswith("- [被取代]")


def test_deadlines_past_on_the_date_are_overdue(decision: dict[str, Any]) -> None:
    e = build(decision)
    assert {(d.procedure, d.due, d.overdue) for d in e.deadlines} == {
        ("objection.review", "2026-10-08", True),
        ("objection.review", "2026-10-20", True),
        ("repair.reply", "2026-10-26", True),
    }
    assert render(e).count("〔已逾期〕") == 3 and render(e, lang="en").count("[overdue]") == 3
    # An objection no longer pending is not overdue; a deadline after the date is not either.
    d = json.loads(json.dumps(decision))
    d["records"][0]["under_objection"] = False
    d["as_of"] = "2026-10-21"
    got = {(x.procedure, x.due): x.overdue for x in build(d).deadlines}
    assert got == {
        ("objection.review", "2026-10-08"): False,
        ("objection.review", "2026-10-20"): False,
        ("repair.reply", "2026-10-26"): False,
    }


def test_one_record_fits_a_screen_unless_all(decision: dict[str, Any]) -> None:
    for lang in ("zh", "en"):
        short = creditrules.explain(decision, lang=lang).splitlines()
        full = creditrules.explain(decision, lang=lang, all_rules=True).splitlines()
        assert len(short) <= SCREEN[lang], (lang, len(short))
        assert max(width(x) for x in short + full) <= WIDTH
        assert len(full) > len(short)


def test_full_text_only_with_all(decision: dict[str, Any]) -> None:
    longest = max((c for c in _all_basis(decision)), key=lambda c: len(c["text"]))
    flat = re.sub(r"\n +", "", creditrules.explain(decision, all_rules=True))
    assert longest["text"] in flat
    assert longest["text"] not in re.sub(r"\n +", "", creditrules.explain(decision))
    assert "〔原文〕" in flat


def test_chinese_text_words() -> None:
    assert duration("10WD", "zh") == "10个工作日" and duration("P1Y6M", "zh") == "1年6个月"
    assert duration("P3Y", "en") == "3 years" and duration("1WD", "en") == "1 working day"
    assert marks([5, 1, 2, 3, 7]) == " [1-3,5,7]" and marks([]) == ""
    assert width("信用a") == 5
    for text in ("甲" * 60 + "（乙）", "甲" * 49 + "）；乙", "甲" * 19 + "（乙" * 30):
        lines = wrap(text, limit=40)
        assert all(width(x) <= 40 for x in lines)
        assert "".join(x.strip() for x in lines) == text
        assert not any(x.lstrip()[0] in "）；，。" for x in lines[1:])
        assert not any(x.rstrip()[-1] in "（“" for x in lines)
