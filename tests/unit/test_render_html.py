"""The HTML pages of rulesets without a browser: standalone, escaped, the law beside each rule.

tests/browser/test_html_pages.py opens the same pages in headless Chromium.
"""

from __future__ import annotations

import dataclasses
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import creditrules
from creditrules.render import render_tree
from creditrules.render.html import code_marks, render_ruleset_html
from creditrules.render.words import duration_zh

REPO = Path(__file__).resolve().parents[2]
RULESETS = REPO / "src" / "creditrules" / "rulesets"


class _Refs(HTMLParser):
    """Every URL-valued attribute, and every script and style element with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href", "action", "srcset", "poster", "data"):
            if a.get(key):
                self.urls.append(str(a[key]))
        if tag in ("script", "style", "link", "iframe", "img", "object", "embed"):
            self.elements.append((tag, a))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    written = render_tree(RULESETS, out, fmt="html")
    assert written[-1] == out / "index.html"
    return out


def test_one_page_per_version_and_an_index(site: Path) -> None:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    want = sorted(f"{e.id}/{e.version}.html" for e in creditrules.list_rulesets())
    assert pages == sorted([*want, "index.html"])
    assert not list(site.rglob("*.md"))


def test_pages_stand_alone(site: Path) -> None:
    """Nothing is fetched: links go only to the other pages, the style and script are inline."""
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        refs = _Refs()
        refs.feed(text)
        assert [t for t, _ in refs.elements] == ["style", "script"], page
        assert all(not a for _, a in refs.elements), page  # no src, no type, no link
        for url in refs.urls:
            assert not re.match(r"^[a-z]+:", url), (page, url)  # no scheme: no network
            target = url.split("#")[0]
            if target:
                resolved = (page.parent / target).resolve().relative_to(site.resolve())
                assert resolved.as_posix() in pages, (page, url)
        assert "Content-Security-Policy" in text and "default-src 'none'" in unescape(text)
        assert '<html lang="zh-CN">' in text


def test_each_rule_carries_its_articles(site: Path) -> None:
    rs = creditrules.load_ruleset("cn.national@2023")
    text = (site / "cn.national" / "2023.html").read_text(encoding="utf-8")
    docs = rs.all_documents()
    for rule in rs.rules:
        start = text.index(f'id="rule-{rule.id}"')
        block = text[start : text.index("</article>", start)]
        for c in rule.cites:
            assert f'data-article="{c.article}"' in block, (rule.id, c)
            art = next(a for a in docs[c.document].articles if a.id == c.article)
            mark = {"quote": "〔原文〕", "summary": "〔摘要〕"}[art.kind]
            assert mark in block


def test_untrusted_text_is_escaped() -> None:
    assert str(code_marks("`a<b>` & <i>")) == "<code>a&lt;b&gt;</code> &amp; &lt;i&gt;"
    rs = creditrules.load_ruleset("cn.hb.huangshi@2017")
    bad = "<script>alert(1)</script>"
    rule = rs.rules[0].model_copy(update={"title": bad, "note": f'"{bad}'})
    html = render_ruleset_html(dataclasses.replace(rs, rules=[rule, *rs.rules[1:]]))
    assert bad not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_durations_in_chinese() -> None:
    assert duration_zh("P3Y") == "3年"
    assert duration_zh("P1Y6M") == "1年6个月"
    assert duration_zh("P15D") == "15日"
    assert duration_zh("10WD") == "10个工作日"
    assert duration_zh("param:x") == "param:x"
    assert duration_zh("P") == "P"
