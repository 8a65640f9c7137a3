"""Vocabularies are ruleset data: a ruleset adds a list, a matter and a domain in YAML, and
cases, rules and validation follow, with no change to the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.errors import InputError

MANIFEST = """\
id: test.local
version: "1"
title: 测试市信用承诺管理规定
issuer: 测试市人民政府
effective_from: 2024-01-01
extends: cn.js.nantong
"""

FILES = """\
vocabulary:
  lists:
    - {id: local.pledge_breach, title: 信用承诺失信名单, categories: [negative]}
  matters:
    - {id: talent_subsidy, title: 人才补贴}
  domains:
    - {id: talent, title: 人才工作}
documents:
  - key: t.rules
    number: 测政发〔2024〕1号
    title: 测试市信用承诺管理规定
    issuer: 测试市人民政府
    rank: 地方规范性文件
    articles:
      - {id: 第八条, kind: quote, text: 违背信用承诺的，列入信用承诺失信名单。}
      - {id: 第九条, kind: quote, text: 列入信用承诺失信名单的，不得享受人才补贴。}
rules:
  - id: t.list.pledge_breach
    title: 违背信用承诺的列入信用承诺失信名单
    applies_to: record
    when:
      all:
        - {field: list.id, eq: local.pledge_breach}
        - {field: domain, eq: talent}
    then:
      list: {id: local.pledge_breach, since: list.listed_on}
    cites: [{document: t.rules, article: 第八条}]
  - id: t.matter.talent_subsidy
    title: 列入信用承诺失信名单的不得享受人才补贴
    applies_to: subject
    when: {field: lists, contains: [local.pledge_breach]}
    then:
      matter: {matter: talent_subsidy, outcome: deny}
    cites: [{document: t.rules, article: 第九条}]
"""


def _ruleset(tmp_path: Path, files: str = FILES) -> Path:
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "ruleset.yaml").write_text(MANIFEST, encoding="utf-8")
    (folder / "local.yaml").write_text(files, encoding="utf-8")
    return folder


def _case(list_id: str = "local.pledge_breach", matter: str = "talent_subsidy") -> dict[str, Any]:
    return {
        "as_of": "2025-06-01",
        "subject": {"id": "91320600MA1MXXXX9Y", "type": "legal_person"},
        "records": [
            {
                "id": "r1",
                "category": "negative",
                "domain": "talent",
                "severity": "general",
                "basis": {"type": "commitment_breach"},
                "determined_on": "2025-03-01",
                "list": {"id": list_id, "listed_on": "2025-03-02"},
            }
        ],
        "matters": [matter],
    }


def test_a_new_list_matter_and_domain_need_no_code(tmp_path: Path) -> None:
    folder = _ruleset(tmp_path)
    assert [d for d in creditrules.validate(folder) if d.severity == "error"] == []
    rs = creditrules.load_ruleset(folder)
    for backend in ("reference", "durable_rules"):
        d = creditrules.evaluate(rs, _case(), backend=backend)  # type: ignore[arg-type]
        assert [(e.list, e.active) for e in d.lists if e.list == "local.pledge_breach"] == [
            ("local.pledge_breach", True)
        ]
        assert [(m.matter, m.outcome) for m in d.matters] == [("talent_subsidy", "deny")]
        assert not [w for w in d.warnings if w.field == "records[0].domain"]


def test_the_parent_does_not_know_the_new_values(tmp_path: Path) -> None:
    rs = creditrules.load_ruleset("cn.js.nantong", as_of="2025-06-01")
    with pytest.raises(InputError) as info:
        creditrules.evaluate(rs, _case(), backend="reference")
    assert {p for p, _ in info.value.problems} == {"records[0].list.id", "matters[0]"}


def test_a_rule_naming_an_undeclared_list_is_a_diagnostic(tmp_path: Path) -> None:
    # The vocabulary declares another list and another matter than the rules name.
    files = FILES.replace("{id: local.pledge_breach, title", "{id: local.other, title")
    folder = _ruleset(tmp_path, files.replace("{id: talent_subsidy,", "{id: other_subsidy,"))
    codes = {(d.code, d.rule) for d in creditrules.validate(folder)}
    assert ("CR310", "t.list.pledge_breach") in codes
    assert ("CR310", "t.matter.talent_subsidy") in codes
