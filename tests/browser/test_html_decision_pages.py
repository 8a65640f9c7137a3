"""Decision pages in a real browser: headless Chromium opens the HTML of decisions made on
every bundled ruleset family (the README's example on Nantong, and a scenario each of the
national layer, its sector lists, Huangshi and Wuzhou).

Each page loads with no console message and fetches nothing; the answer comes before the
articles and the rules; every conclusion's [n] leads to an article shown once; every rule
listed shows the articles it cites; deadlines already past on the evaluation date are
flagged; the search box filters the rules.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.errors import CreditRulesError
from creditrules.render.decision import decision_page
from creditrules.scenarios.fileformat import load_scenario_file
from support.browser import chromium, console, require_chromium

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]


def _decisions() -> list[tuple[str, dict[str, Any]]]:
    out = []
    case = json.loads((REPO / "examples" / "nantong-2026.json").read_text(encoding="utf-8"))
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    out.append(("example", creditrules.evaluate(rs, case).model_dump(mode="json", by_alias=True)))
    # One family each besides the example's Nantong: the national layer, its sector lists,
    # Huangshi (no parent) and Wuzhou (on the national layer).
    for name in ("cn-national", "cn-national-sectors", "huangshi-2017", "wuzhou-2022"):
        folder = REPO / "tests" / "scenarios" / name
        for path in sorted(folder.glob("*.yaml")):
            sf = load_scenario_file(path)
            made = None
            for sc in sf.scenarios:
                try:
                    rs = creditrules.load_ruleset(sf.ruleset_ref(), as_of=sc.case.get("as_of"))
                    made = creditrules.evaluate(rs, sc.case)
                except CreditRulesError:
                    continue
                if made.trace:
                    break
            if made is not None:
                out.append(
                    (f"{folder.name}/{path.stem}", made.model_dump(mode="json", by_alias=True))
                )
                break
    return out


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    browser, drv = require_chromium()
    with chromium(browser, drv) as d:
        yield d


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, Any], bool]]:
    out = tmp_path_factory.mktemp("decisions")
    made = []
    for i, (name, d) in enumerate(_decisions()):
        page = out / f"{i:02d}-{name.replace('/', '-')}.html"
        all_rules = i % 2 == 1  # every other page with the rules that did not fire
        page.write_text(decision_page(d, all_rules=all_rules), encoding="utf-8")
        made.append((page, d, all_rules))
    assert len(made) == 5  # the example and one per family
    return made


_READ = """
var q = function (s, el) { return Array.prototype.slice.call((el || document).querySelectorAll(s)); };
var sections = q('main > section').map(function (s) { return s.id; });
var laws = q('#laws blockquote.article').map(function (b) {
  return {id: b.id, article: b.getAttribute('data-article'),
          mark: b.querySelector('.mark').textContent, text: b.querySelector('.text').textContent};
});
var refs = q('#answer a[href^="#law-"], #rules a[href^="#law-"]').map(function (a) {
  return a.getAttribute('href').slice(1);
});
var rules = q('article.rule').map(function (r) {
  return {rule: r.getAttribute('data-rule'),
          law: q('blockquote.article', r).map(function (b) {
            return {article: b.getAttribute('data-article'), text: b.querySelector('.text').textContent,
                    shown: b.getBoundingClientRect().height > 0};
          })};
});
var due = q('#deadlines tbody tr[data-due]').map(function (tr) { return tr.classList.contains('past-due'); });
var outcomes = q('#matters tbody tr[data-matter] td:nth-child(2)').map(function (td) { return td.textContent.trim(); });
var fetched = performance.getEntriesByType('resource').map(function (e) { return e.name; });
return {sections: sections, laws: laws, refs: refs, rules: rules, due: due, outcomes: outcomes,
        fetched: fetched, lang: document.documentElement.lang};
"""


def _answer_basis(d: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in d["records"]:
        out += r["basis"] + r["publication"]["basis"] + r["repair"]["basis"]
    for part in ("lists", "measures", "matters", "deadlines"):
        for item in d[part]:
            out += item["basis"]
    if d.get("grade"):
        out += d["grade"]["basis"]
    return out


_OUTCOME = {
    "allow": "准予",
    "priority": "优先",
    "restrict": "限制",
    "deny": "禁止",
    None: "无规则适用",
}


def test_decision_pages_answer_first_and_cite_every_rule(
    driver: Any, pages: list[tuple[Path, dict[str, Any], bool]]
) -> None:
    for page, d, all_rules in pages:
        console(driver)
        driver.get(page.as_uri())
        assert console(driver) == [], page.name
        got = driver.execute_script(_READ)
        assert got["fetched"] == [] and got["lang"] == "zh-CN", page.name
        assert got["sections"] == ["answer", "why", "laws", "rules"], page.name
        # Every article of the decision once, every [n] leads to one of them.
        fired = [t for t in d["trace"] if t["fired"]]
        listed = fired + ([t for t in d["trace"] if not t["fired"]] if all_rules else [])
        cited = {c["text"] for c in _answer_basis(d)} | {
            c["text"] for t in fired for c in t["basis"]
        }
        shown = [law["text"] for law in got["laws"]]
        assert sorted(shown) == sorted(cited), page.name  # each once
        ids = {law["id"] for law in got["laws"]}
        assert got["refs"] and set(got["refs"]) <= ids, page.name
        assert all(law["mark"] in ("〔原文〕", "〔摘要〕") for law in got["laws"]), page.name
        # Every rule listed shows each article it cites, with its text.
        assert [r["rule"] for r in got["rules"]] == [t["rule"] for t in listed], page.name
        for t, r in zip(listed, got["rules"], strict=True):
            want = {(c["article"], c["text"]) for c in t["basis"]}
            assert {(x["article"], x["text"]) for x in r["law"]} == want, (page.name, t["rule"])
            assert all(x["shown"] for x in r["law"]), (page.name, t["rule"])
        # Deadlines past on the evaluation date are flagged, the others are not.
        assert len(got["due"]) == len(d["deadlines"]), page.name
        for x, flagged in zip(d["deadlines"], got["due"], strict=True):
            past = x["due"] is not None and x["due"] < d["as_of"]
            assert past or not flagged, (page.name, x)
            # An objection deadline whose record is no longer under objection is settled.
            assert flagged or not past or x["procedure"].startswith("objection."), (page.name, x)
        outcomes = [o.split("（")[0] for o in got["outcomes"]]
        assert outcomes == [_OUTCOME[m["outcome"]] for m in d["matters"]], page.name


def test_decision_page_search_filters_rules(
    driver: Any, pages: list[tuple[Path, dict[str, Any], bool]]
) -> None:
    page, d, _ = pages[0]
    console(driver)
    driver.get(page.as_uri())
    visible = (
        "return Array.prototype.filter.call(document.querySelectorAll('article.rule'),"
        " function (r) { return r.getBoundingClientRect().height > 0; })"
        ".map(function (r) { return r.getAttribute('data-rule'); });"
    )
    fired = [t["rule"] for t in d["trace"] if t["fired"]]
    assert driver.execute_script(visible) == fired
    box = driver.find_element("id", "q")
    article = next(c["article"] for t in d["trace"] if t["fired"] for c in t["basis"])
    box.send_keys(article)
    want = [
        t["rule"]
        for t in d["trace"]
        if t["fired"] and any(article in c["article"] for c in t["basis"])
    ]
    got = driver.execute_script(visible)
    assert set(want) <= set(got) and len(got) < len(fired)
    box.clear()
    box.send_keys("nt2018.")
    assert driver.execute_script(visible) == [r for r in fired if "nt2018." in r]
    assert console(driver) == []


def test_hostile_decision_text_stays_text(
    driver: Any, pages: list[tuple[Path, dict[str, Any], bool]], tmp_path: Path
) -> None:
    _, d, _ = pages[0]
    bad = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    d = json.loads(json.dumps(d))
    d["subject"]["id"] = bad
    d["measures"][0]["title"] = bad
    d["trace"][0]["effect"] = bad
    d["warnings"] = [{"code": "W101", "field": bad, "message": bad, "zh": bad, "en": bad}]
    page = tmp_path / "hostile.html"
    page.write_text(decision_page(d), encoding="utf-8")
    assert "<script>window.pwned" not in page.read_text(encoding="utf-8")
    console(driver)
    driver.get(page.as_uri())
    assert console(driver) == []
    assert driver.execute_script("return window.pwned === undefined;")
    assert bad in driver.find_element("id", "measures").text
    assert driver.execute_script("return performance.getEntriesByType('resource').length;") == 0
