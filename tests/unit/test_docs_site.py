"""The documentation site: generated references are current, the nav points at pages that
exist, and the API page covers the whole public façade.

The site itself is built with ``mkdocs build --strict`` in CI (``.ci/run``); these checks
need no MkDocs and fail early.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

import creditrules

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    path = REPO / "tools" / "gen_reference.py"
    spec = importlib.util.spec_from_file_location("gen_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_reference", module)
    spec.loader.exec_module(module)
    return module


def test_committed_references_are_generated(gen: ModuleType) -> None:
    fresh: dict[Path, str] = gen.generate()
    assert len(fresh) == 4
    for rel, text in fresh.items():
        committed = (DOCS / rel).read_text(encoding="utf-8")
        assert committed == text, f"docs/{rel} is out of date: run python tools/gen_reference.py"


def test_case_reference_names_every_value_in_chinese(gen: ModuleType) -> None:
    text = (DOCS / "zh" / "reference" / "case-input.md").read_text(encoding="utf-8")
    for value, name in [
        ("admin_penalty", "行政处罚决定"),
        ("court.dishonest_debtor", "失信被执行人名单"),
    ]:
        assert f"`{value}` {name}" in text
    # Free-text fields list the values the bundled rules read.
    assert "`food_safety`" in text and "`able_but_refuses`" in text


def test_generator_refuses_an_undocumented_field(gen: ModuleType) -> None:
    docs = dict(gen.CASE)
    del docs["records[].domain"]
    with pytest.raises(SystemExit, match=r"records\[\]\.domain"):
        gen.table(gen.Case, docs, "zh", {})


def test_generator_refuses_a_wrong_example(gen: ModuleType) -> None:
    docs = dict(gen.CASE)
    docs["as_of"] = gen.Doc("评估日期", "date", "21 November 2026")
    with pytest.raises(SystemExit, match="example of as_of"):
        gen.table(gen.Case, docs, "zh", gen.rules_read())


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml with its ``!!python/...`` tags read as nothing (nothing is imported)."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def _config() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(  # noqa: S506 - a SafeLoader subclass
        (REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader
    )
    return loaded


def _nav_files(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [f for item in node for f in _nav_files(item)]
    if isinstance(node, dict):
        return [f for v in node.values() for f in _nav_files(v)]
    return []


def test_every_nav_entry_exists() -> None:
    config = _config()
    files = _nav_files(config["nav"])
    assert "zh/index.md" in files and "en/api.md" in files
    missing = [f for f in files if not (DOCS / f).is_file()]
    assert not missing, f"mkdocs.yml nav names pages that do not exist: {missing}"
    for hook in config.get("hooks", []):
        assert (REPO / hook).is_file()


def test_api_page_covers_the_public_facade() -> None:
    page = (DOCS / "en" / "api.md").read_text(encoding="utf-8")
    documented = set()
    for path in re.findall(r"^::: ([\w.]+)$", page, flags=re.M):
        module, _, name = path.rpartition(".")
        documented.add(id(getattr(importlib.import_module(module), name)))
    public = {n: getattr(creditrules, n) for n in creditrules.__all__ if n != "__version__"}
    undocumented = sorted(n for n, obj in public.items() if id(obj) not in documented)
    assert not undocumented, f"docs/en/api.md lacks ::: entries for {undocumented}"
    assert "__version__" in page


def test_every_chinese_and_english_page_is_in_the_nav() -> None:
    config = _config()
    in_nav = set(_nav_files(config["nav"]))
    pages = {
        p.relative_to(DOCS).as_posix()
        for lang in ("zh", "en")
        for p in (DOCS / lang).rglob("*.md")
        if "examples" not in p.relative_to(DOCS).parts
    }
    missing = sorted(pages - in_nav)
    assert not missing, f"add these pages to the nav in mkdocs.yml: {missing}"


def test_site_joins_wrapped_chinese_lines_but_not_code() -> None:
    spec = importlib.util.spec_from_file_location(
        "mkdocs_hooks", REPO / "tools" / "mkdocs_hooks.py"
    )
    assert spec is not None and spec.loader is not None
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    text = "规则集读取的取值——其他取值\n也可填写。\n- 列表项\n  续行\n\n```yaml\n中文\n中文\n```\n## 标题\n正文"
    assert hooks.join_cjk_lines(text) == (
        "规则集读取的取值——其他取值也可填写。\n- 列表项续行\n\n```yaml\n中文\n中文\n```\n## 标题\n正文"
    )
    assert hooks.join_cjk_lines("see\nthe code") == "see\nthe code"
