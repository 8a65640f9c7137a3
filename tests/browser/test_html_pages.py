"""The HTML pages in a real browser: headless Chromium opens every bundled ruleset's page
and a decision's page from disk, as policy staff would.

Each page loads with no console message (a script error or a blocked resource under the
page's Content-Security-Policy is one) and fetches nothing; every rule shows the law it
cites; typing in the search box keeps exactly the rules whose text holds the words.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.render import render_tree
from support.browser import chromium, console, require_chromium

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
RULESETS = REPO / "src" / "creditrules" / "rulesets"


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    browser, drv = require_chromium()
    with chromium(browser, drv) as d:
        yield d


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    render_tree(RULESETS, out, fmt="html")
    return out


def _pages(site: Path) -> list[Path]:
    return sorted(site.glob("*/*.html"))


def _open(driver: Any, page: Path, query: str = "") -> list[dict[str, Any]]:
    """Open a page; return the console messages it logged while loading."""
    console(driver)  # drop what earlier pages left
    driver.get(page.as_uri() + query)
    driver.find_element("css selector", "footer")
    return console(driver)


def _fetched(driver: Any) -> list[str]:
    """Every resource the page asked for after the document itself."""
    names: list[str] = driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; });"
    )
    return names


def test_every_page_loads_clean_and_shows_the_law_beside_every_rule(
    driver: Any, site: Path
) -> None:
    pages = _pages(site)
    expected = {(e.id, e.version) for e in creditrules.list_rulesets()}
    assert {(p.parent.name, p.stem) for p in pages} == expected
    for page in pages:
        logged = _open(driver, page)
        assert logged == [], f"{page.name}: console messages {logged}"
        assert _fetched(driver) == [], f"{page}: fetched resources"
        found = driver.execute_script(
            """
            return Array.prototype.map.call(document.querySelectorAll('article.rule'), function (r) {
              return {
                id: r.id,
                law: Array.prototype.map.call(r.querySelectorAll('blockquote.article'), function (b) {
                  var mark = b.querySelector('.mark'), text = b.querySelector('.text');
                  return {
                    article: b.getAttribute('data-article'),
                    source: b.querySelector('.source').textContent,
                    mark: mark ? mark.textContent : '',
                    text: text ? text.textContent : '',
                    shown: b.getBoundingClientRect().height > 0,
                    missing: b.classList.contains('missing')
                  };
                })
              };
            });
            """
        )
        rs = creditrules.load_ruleset(f"{page.parent.name}@{page.stem}")
        assert [r["id"] for r in found] == [f"rule-{r.id}" for r in rs.rules], page
        docs = rs.all_documents()
        for rule, shown in zip(rs.rules, found, strict=True):
            assert shown["law"], f"{rule.id}: no law shown"
            assert len(shown["law"]) == len(rule.cites), rule.id
            for c, law in zip(rule.cites, shown["law"], strict=True):
                art = next(a for a in docs[c.document].articles if a.id == c.article)
                assert not law["missing"] and law["shown"], (rule.id, c)
                assert law["article"] == c.article and c.article in law["source"], (rule.id, c)
                number = docs[c.document].number
                assert number is None or number in law["source"], (rule.id, c)
                assert law["mark"] == {"quote": "〔原文〕", "summary": "〔摘要〕"}[art.kind]
                assert law["text"] == art.text, (rule.id, c)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _visible_rules(driver: Any) -> list[str]:
    ids: list[str] = driver.execute_script(
        "return Array.prototype.filter.call(document.querySelectorAll('article.rule'),"
        " function (r) { return r.getBoundingClientRect().height > 0; })"
        ".map(function (r) { return r.id.slice(5); });"
    )
    return ids


def _type(driver: Any, text: str) -> None:
    box = driver.find_element("id", "q")
    box.clear()
    box.send_keys(text)


def test_search_box_filters_rules_by_id_text_and_article(driver: Any, site: Path) -> None:
    page = site / "cn.js.nantong" / "2018.html"
    assert _open(driver, page) == []
    rs = creditrules.load_ruleset("cn.js.nantong@2018")
    every = [r.id for r in rs.rules]
    assert _visible_rules(driver) == every
    count = driver.find_element("id", "q-count")
    assert count.text == f"显示 {len(every)} / {len(every)}"
    docs = rs.all_documents()

    def holding(*words: str) -> list[str]:
        """The rules whose id, title or cited law holds every word, computed here."""
        out = []
        for r in rs.rules:
            law = [
                " ".join(
                    [docs[c.document].number or "", c.article]
                    + [a.text for a in docs[c.document].articles if a.id == c.article]
                )
                for c in r.cites
            ]
            hay = _norm(" ".join([r.id, r.title, *law]))
            if all(_norm(w) in hay for w in words):
                out.append(r.id)
        return out

    # An article, a word of a rule's title or its law, a part of an id, two words at once.
    for words in (["第三十条"], ["严重失信"], ["nt2018.validity"], ["黑名单", "第十七条"]):
        _type(driver, " ".join(words))
        want = holding(*words)
        got = _visible_rules(driver)
        assert want, words
        assert set(want) <= set(got), words  # the page also searches the conclusions
        assert len(got) < len(every), words
        for rid in got:
            hay = _norm(driver.find_element("id", f"rule-{rid}").get_attribute("data-search"))
            assert all(_norm(w) in hay for w in words), (words, rid)
        assert count.text == f"显示 {len(got)} / {len(every)}"
        assert not driver.find_element("id", "q-none").is_displayed()
    # Half-width brackets find the full-width ones of the article numbers.
    full = next(c.article for r in rs.rules for c in r.cites if "（" in c.article)
    _type(driver, full.replace("（", "(").replace("）", ")"))
    assert set(holding(full)) <= set(_visible_rules(driver)) != set()
    _type(driver, "没有这样的条文zzz")
    assert _visible_rules(driver) == []
    assert driver.find_element("id", "q-none").is_displayed()
    driver.find_element("id", "q").clear()
    driver.find_element("id", "q").send_keys(" ")
    assert _visible_rules(driver) == every
    # ?q= in the address fills the box and filters on load.
    assert _open(driver, page, "?q=" + "第三十条") == []
    assert driver.find_element("id", "q").get_attribute("value") == "第三十条"
    assert set(holding("第三十条")) <= set(_visible_rules(driver))
    assert console(driver) == []


def test_index_links_every_page(driver: Any, site: Path) -> None:
    assert _open(driver, site / "index.html") == []
    hrefs = driver.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('#rulesets a'),"
        " function (a) { return a.href; });"
    )
    assert sorted(hrefs) == sorted(p.as_uri() for p in _pages(site))
    driver.find_element("link text", "cn.hb.huangshi").click()
    title = creditrules.load_ruleset("cn.hb.huangshi@2017").manifest.title
    assert driver.find_element("css selector", "h1").text == f"{title}（cn.hb.huangshi@2017）"
    assert console(driver) == []


def test_hostile_ruleset_text_stays_text(driver: Any, tmp_path: Path) -> None:
    """Ruleset text is untrusted: markup in it is shown as written and never runs."""
    src = RULESETS / "cn" / "hb" / "huangshi" / "2017"
    folder = tmp_path / "hostile" / "2017"
    folder.mkdir(parents=True)
    for f in src.glob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        if f.name == "ruleset.yaml":
            text = text.replace("id: cn.hb.huangshi", "id: test.hostile", 1)
        folder.joinpath(f.name).write_text(text, encoding="utf-8")
    bad = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    manifest = folder / "ruleset.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    lines = [f"title: {json.dumps(bad)}" if line.startswith("title:") else line for line in lines]
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    render_tree(tmp_path / "hostile", out, fmt="html")
    page = out / "test.hostile" / "2017.html"
    assert "<script>window.pwned" not in page.read_text(encoding="utf-8")
    assert _open(driver, page) == []
    assert driver.execute_script("return window.pwned === undefined;")
    assert driver.find_element("css selector", "h1").text.startswith(bad)
    assert _fetched(driver) == []
