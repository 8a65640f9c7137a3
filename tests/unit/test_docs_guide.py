"""The policy staff's guide (docs/zh/guide.md, docs/en/guide.md) and its worked example
(docs/zh/examples/): the example ruleset validates, its scenarios pass and cover every
rule both ways, and every file, command output and diagnostic the guides show is what the
files and the tool give today — so the guides cannot drift from the product.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import creditrules
from creditrules.cli.main import main
from creditrules.scenarios.runner import run_paths

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "zh" / "examples"
RULESET = EXAMPLES / "research"
CASE = EXAMPLES / "case-research.json"
GUIDES = [REPO / "docs" / "zh" / "guide.md", REPO / "docs" / "en" / "guide.md"]
CASE_DATA = json.loads(CASE.read_text(encoding="utf-8"))
MARKED = re.compile(r"<!-- (文件|file|输出|output): (\S+) -->\n```\w*\n(.*?)\n```", re.S)


def _blocks(guide: Path) -> list[tuple[str, str, str]]:
    return MARKED.findall(guide.read_text(encoding="utf-8"))


def _validate_output(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    edit: tuple[str, str, str],
) -> str:
    """``creditrules validate research`` on a copy of the example with one edit."""
    shutil.copytree(RULESET, tmp_path / "research")
    name, old, new = edit
    path = tmp_path / "research" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["validate", "research"]) == 1
    return capsys.readouterr().out.rstrip("\n")


EDITS = {
    "CR302": ("rules.yaml", "field: behavior, in", "field: behaviour, in"),
    "CR501": ("documents.yaml", "    implements: [js.credit_regulation]\n", ""),
}


def test_example_ruleset_validates() -> None:
    assert creditrules.validate(RULESET) == []


def test_example_scenarios_pass_and_cover_every_rule() -> None:
    report = run_paths([RULESET / "scenarios"])
    assert report.ok, report.render()
    assert report.passed == 3
    ref = "example.nantong.research@2021"
    own = {r.id for r in creditrules.load_ruleset(RULESET).rules}
    matters = ("appointment", "promotion", "funding")
    assert own == {"example.research.constraint", "example.research.awards"} | {
        f"example.research.{m}{suffix}" for m in matters for suffix in ("", "_default")
    }
    cov = report.coverage[ref]
    for rule in own:
        assert cov[rule] == (True, True), f"{rule} must fire in one scenario and not in another"


def test_example_case_evaluates_as_the_guide_says() -> None:
    rs = creditrules.load_ruleset(RULESET, as_of=CASE_DATA["as_of"])
    decision = creditrules.evaluate(rs, CASE_DATA)
    assert [(m.matter, m.outcome) for m in decision.matters] == [("award_evaluation", "restrict")]
    assert [m.id for m in decision.measures] == ["example.m.research_constraint"]
    text = creditrules.explain(decision, lang="zh")
    assert "科研失信行为与岗位聘用、职务晋升、经费拨付、评先评优挂钩，依法依规联合约束" in text
    assert "四（四）1" in text


@pytest.mark.parametrize("guide", GUIDES, ids=["zh", "en"])
def test_guide_files_are_the_example_files(guide: Path) -> None:
    files = [(p, b) for kind, p, b in _blocks(guide) if kind in ("文件", "file")]
    assert len(files) == 8
    for rel, block in files:
        actual = (EXAMPLES / rel).read_text(encoding="utf-8").rstrip("\n")
        assert block == actual, (
            f"{guide.name}: the block of {rel} differs: run python tools/sync_guide.py"
        )


@pytest.mark.parametrize("guide", GUIDES, ids=["zh", "en"])
@pytest.mark.parametrize("code", sorted(EDITS))
def test_guide_diagnostics_are_what_validate_prints(
    guide: Path,
    code: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown = {p: b for kind, p, b in _blocks(guide) if kind in ("输出", "output")}
    actual = _validate_output(tmp_path, monkeypatch, capsys, EDITS[code])
    assert shown[code] == actual, f"{guide.name}: {code} differs: run python tools/sync_guide.py"


@pytest.mark.parametrize("guide", GUIDES, ids=["zh", "en"])
def test_guide_commands_print_what_it_shows(
    guide: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = guide.read_text(encoding="utf-8")
    monkeypatch.chdir(EXAMPLES)
    capsys.readouterr()
    assert main(["test", "research/scenarios"]) == 0
    assert "```text\n" + capsys.readouterr().out.strip() + "\n```" in text
    assert main(["validate", "research"]) == 0
    assert "```text\n" + capsys.readouterr().out.strip() + "\n```" in text


@pytest.mark.parametrize("guide", GUIDES, ids=["zh", "en"])
def test_guide_amendment_replay_shows_the_change(guide: Path, tmp_path: Path) -> None:
    rs = creditrules.load_ruleset(RULESET, as_of=CASE_DATA["as_of"])
    before = creditrules.evaluate(rs, CASE_DATA)
    shutil.copytree(RULESET, tmp_path / "research")
    rules = tmp_path / "research" / "rules.yaml"
    rules.write_text(
        rules.read_text("utf-8").replace("outcome: restrict", "outcome: deny"), "utf-8"
    )
    report = creditrules.replay(before.model_dump(mode="json", by_alias=True), roots=[tmp_path])
    assert report.status == "differs" and report.exit_code == 1
    shown = {p: b for kind, p, b in _blocks(guide) if kind in ("输出", "output")}["replay"]
    head, *rest = shown.splitlines()
    actual_head = report.render().splitlines()[0]
    assert re.sub(r"\([0-9a-f]{12}\)", "(…)", actual_head) == head
    for line in rest:
        if line.strip() != "…":
            assert line.strip() in report.differences


def test_new_matters_come_from_the_example_vocabulary_alone() -> None:
    """The three matters the example adds are YAML data: the parent ruleset does not know them."""
    own = creditrules.load_ruleset(RULESET)
    parent = creditrules.load_ruleset("cn.js.nantong@2021")
    added = {"research.appointment", "research.promotion", "research.funding"}
    assert added <= {m.id for m in own.vocabulary().matters}
    assert not added & {m.id for m in parent.vocabulary().matters}
