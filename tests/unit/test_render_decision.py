"""The HTML page of a decision without a browser: the answer first, each article once in
the order of the law, past deadlines flagged, everything escaped; ``explain --format html``.

tests/browser/test_html_decision_pages.py opens such pages in headless Chromium.
"""

from __future__ import annotations

import json
import re
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.cli.main import main
from creditrules.explain.order import rank_key
from creditrules.render.decision import decision_page

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def decision() -> dict[str, Any]:
    case = json.loads((REPO / "examples" / "nantong-2026.json").read_text(encoding="utf-8"))
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    out: dict[str, Any] = creditrules.evaluate(rs, case).model_dump(mode="json", by_alias=True)
    return out


def _section(html: str, sid: str) -> str:
    start = html.index(f'<section id="{sid}">')
    return html[start : html.index("</section>", start)]


def test_answer_then_laws_then_rules(decision: dict[str, Any]) -> None:
    html = decision_page(decision)
    assert (
        html.index('<section id="answer">')
        < html.index('<section id="why">')
        < html.index('<section id="laws">')
        < html.index('<section id="rules">')
    )
    answer = _section(html, "answer")
    for part in ("records", "lists", "measures", "matters", "deadlines"):
        assert f'id="{part}"' in answer
    assert "禁止" in answer  # government procurement: deny, from the national layer
    for m in decision["measures"]:
        assert m["title"] in answer


def test_each_article_once_in_the_order_of_the_law(decision: dict[str, Any]) -> None:
    html = decision_page(decision)
    laws = _section(html, "laws")
    texts = re.findall(r'<span class="text">(.*?)</span>', laws, re.S)
    assert len(texts) == len(set(texts))
    ranks = re.findall(r'</strong><span class="tag">(.*?)</span>', laws)
    assert len(ranks) == len(texts)  # the bundled ruleset gives every instrument's rank
    assert [rank_key(r) for r in ranks] == sorted(rank_key(r) for r in ranks)
    numbers = [int(n) for n in re.findall(r'id="law-(\d+)"', laws)]
    assert numbers == list(range(1, len(numbers) + 1))
    for n in re.findall(r'href="#law-(\d+)"', html):
        assert int(n) in numbers


def test_past_deadlines_flagged(decision: dict[str, Any]) -> None:
    html = decision_page(decision)
    past = [x for x in decision["deadlines"] if x["due"] and x["due"] < decision["as_of"]]
    assert past  # the example's objection was filed in September, evaluated in November
    assert html.count('class="past-due"') == len(past)
    assert f"已有 {len(past)} 项期限在评估日期（{decision['as_of']}）前届满" in html
    later = json.loads(json.dumps(decision))
    later["as_of"] = "2026-01-01"
    assert 'class="past-due"' not in decision_page(later)


def test_not_publishable_shows_no_publication_window(decision: dict[str, Any]) -> None:
    d = json.loads(json.dumps(decision))
    d["records"][0]["publishable"] = False
    records = _section(decision_page(d), "answer")
    row = records[records.index('id="records"') :]
    row = row[: row.index("</table>")]
    assert "不予公开" in row
    assert d["records"][0]["publication"]["max_until"] + "<br>" not in row


def test_overridden_rules_marked(decision: dict[str, Any]) -> None:
    rules = _section(decision_page(decision), "rules")
    overridden = [t for t in decision["trace"] if t["fired"] and t["overridden_by"]]
    assert overridden
    assert rules.count("已被取代") == len(overridden)
    assert rules.count("已适用") == len(
        [t for t in decision["trace"] if t["fired"] and not t["overridden_by"]]
    )


def test_layers_named(decision: dict[str, Any]) -> None:
    html = decision_page(decision)
    for layer in decision["ruleset"]["layers"]:
        assert f"{layer['id']}@{layer['version']}" in html
    assert "cn.national@2026" in _section(html, "rules")  # the rule's own layer


def test_a_ruleset_not_at_hand_still_renders(decision: dict[str, Any]) -> None:
    d = json.loads(json.dumps(decision))
    d["ruleset"]["id"] = "test.nowhere"
    html = decision_page(d)
    assert "cn36.class.general.fine_large" in html  # the rule's id stands for its title


def test_untrusted_text_is_escaped(decision: dict[str, Any]) -> None:
    d = json.loads(json.dumps(decision))
    bad = "<script>alert(1)</script>"
    d["subject"]["id"] = bad
    d["measures"][0]["title"] = bad
    d["trace"][0]["rule"] = bad
    d["trace"][0]["fired"] = True
    html = decision_page(d, all_rules=True)
    assert bad not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = StringIO()
    with redirect_stdout(out):
        code = main(argv)
    return code, out.getvalue(), capsys.readouterr().err


def test_explain_format_html(
    decision: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = tmp_path / "decision.json"
    stored.write_text(json.dumps(decision, ensure_ascii=False), encoding="utf-8")
    code, out, err = _run(["explain", str(stored), "--format", "html"], capsys)
    assert code == 0 and err == ""
    assert out == decision_page(decision)
    code, out, _ = _run(["explain", str(stored), "--format", "html", "--all"], capsys)
    assert code == 0 and out == decision_page(decision, all_rules=True)
    code, out, err = _run(["explain", str(stored), "--format", "html", "--lang", "en"], capsys)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: --lang: --format html is in Chinese only; --lang en is not yet supported"
    ]
