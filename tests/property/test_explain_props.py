"""Explanations on generated decisions are in the reader's language and fit a screen.

Over cases of the seeded subject corpus (1–30 records, objections and repair applications)
evaluated on every bundled city ruleset and the national one:

- the Chinese text has no Latin word outside codes (rule and ruleset ids, field paths,
  hashes, quoted values, ``--all``) and the articles of law it quotes;
- the English text has no Chinese outside the law it cites (instruments, articles, their
  text) and the proper names the rulesets' English titles keep in Chinese (信用中国, 令36号);
- without ``--all`` each record's explanation fits a screen: at most ``SCREEN`` lines per
  record of at most ``WIDTH`` columns; with it, every line is still at most ``WIDTH``;
- every mark a conclusion names is an article the explanation lists, each article once.
"""

from __future__ import annotations

import random
import re
from datetime import date
from functools import cache
from typing import Any

import pytest
from subject_corpus import case as make_case

import creditrules
from creditrules.explain import build, render
from creditrules.explain.text import SCREEN, WIDTH, width
from creditrules.loader import bundled_root

RULESETS = ("cn.js.nantong", "cn.gx.wuzhou", "cn.hb.huangshi", "cn.national")
LAW_HEAD = {"zh": "## 依据", "en": "## The law"}
TEXT_MARKS = {"zh": ("〔原文〕", "〔摘要〕"), "en": ("[quote]", "[summary]")}
#: Command-line options the text points to.
OPTIONS = {"--all"}

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_ASCII_RUN = re.compile(r"[!-~]+")


@cache
def proper_names() -> frozenset[str]:
    """The Chinese the bundled rulesets keep in their English titles (names, 令36号, 第十六条)."""
    names: set[str] = set()
    for path in bundled_root().rglob("*.yaml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "title_en:" in line:
                names.update(_HAN.findall(line))
    return frozenset(names)


def _outside_quoted_law(text: str, lang: str) -> list[str]:
    """The lines to check, with the law's own words left out: before the law section all of
    each line; in it, the instrument and article headings before the quoted text."""
    out: list[str] = []
    in_law = False
    for line in text.splitlines():
        if line.startswith(LAW_HEAD[lang]):
            in_law = True
            continue
        if not in_law:
            out.append(line)
            continue
        if line.startswith("      "):
            continue  # an article's full text, continued
        for mark in TEXT_MARKS[lang]:
            if mark in line:
                line = line.split(mark, 1)[0]
        out.append(line)
    return out


def latin_words(text: str) -> list[str]:
    """Latin words of a Chinese explanation that are not codes."""
    bad = []
    for line in _outside_quoted_law(text, "zh"):
        # An input field a condition reads is named as a code, in 「」.
        line = re.sub(r"「[^」]*」", "", line)
        for tok in _ASCII_RUN.findall(line):
            if not re.search("[A-Za-z]", tok) or tok in OPTIONS:
                continue
            if re.fullmatch("[A-D]", tok):
                continue  # a credit grade as the law names it (纳税信用级别 D 级)
            # A code: an id, a ruleset@version, a hash or masked id, a field path, a quoted
            # value ('blacklist'), a warning code.
            if re.search(r"[0-9.@\[\]'*]", tok):
                continue
            bad.append(tok)
    return bad


def chinese_words(text: str) -> list[str]:
    """Chinese of an English explanation before the law it cites (whose instruments, articles
    and text are Chinese), other than the names the rulesets' English titles keep."""
    bad = []
    allowed = proper_names()
    # Continued lines read as one: a wrapped line may break inside a name.
    before_law = re.sub(r"\n +", "", text.split(LAW_HEAD["en"], 1)[0])
    for line in before_law.splitlines():
        # An input field path is a code, whatever its keys (records[0].fields.经办人).
        line = re.sub(r"\S*\[\d+\]\S*", "", line)
        bad += [r for r in _HAN.findall(line) if r not in allowed]
    return bad


@cache
def _rs(ref: str, as_of: str) -> Any:
    return creditrules.load_ruleset(ref, as_of=as_of)


def _decision(seed: int, which: int) -> Any:
    rng = random.Random(seed)
    as_of = date(2026, 11, 21) if seed % 2 else date(2025, 6, 30)
    case = make_case(rng, as_of=as_of, lo=date(2021, 7, 1))
    return creditrules.evaluate(_rs(RULESETS[which], as_of.isoformat()), case)


def _check(decision: Any) -> None:
    d = decision.model_dump(mode="json", by_alias=True)
    e = build(d, all_rules=True)
    # Every article once; every mark a conclusion names is listed.
    keys = [(c.number or c.document, c.article) for c in e.citations]
    assert len(keys) == len(set(keys))
    listed = {c.mark for c in e.citations}
    named = {m for r in e.records for m in (*r.marks, *r.publication_marks, *r.repair_marks)}
    named |= {m for x in (*e.lists, *e.measures, *e.matters, *e.deadlines) for m in x.marks}
    assert named <= listed
    for lang in ("zh", "en"):
        short = render(build(d), lang=lang)
        full = render(e, lang=lang, full=True)
        lines = short.splitlines()
        assert len(lines) <= SCREEN[lang] * max(1, len(e.records)), (lang, len(lines))
        assert max(width(x) for x in lines + full.splitlines()) <= WIDTH
        for text in (short, full):
            if lang == "zh":
                assert latin_words(text) == [], latin_words(text)
            else:
                assert chinese_words(text) == [], chinese_words(text)


#: Seeds of the default run (each on one ruleset in turn) and of the slow run.
SEEDS = range(4)
SLOW_SEEDS = range(4, 40)


@pytest.mark.parametrize("seed", SEEDS)
def test_explanations_speak_the_readers_language(seed: int) -> None:
    _check(_decision(seed, seed % len(RULESETS)))


@pytest.mark.slow
@pytest.mark.parametrize("seed", SLOW_SEEDS)
def test_explanations_speak_the_readers_language_slow(seed: int) -> None:
    _check(_decision(seed, seed % len(RULESETS)))
