"""`creditrules impact`: what changes between two ruleset versions on a case corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import creditrules
from creditrules import synth
from creditrules.cli.main import main
from creditrules.impact import impact

REPO = Path(__file__).resolve().parents[2]
NANTONG_2018 = REPO / "rulesets" / "cn" / "js" / "nantong" / "2018"


@pytest.fixture(scope="module")
def amended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nantong 2018 with the general validity period made two years instead of one."""
    folder = tmp_path_factory.mktemp("amended") / "2018"
    shutil.copytree(NANTONG_2018, folder)
    path = folder / "records.yaml"
    text = path.read_text(encoding="utf-8")
    old = "period: {name: validity, from: determined_on, duration: P1Y}"
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace("P1Y", "P2Y")), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cases() -> list[tuple[int, dict[str, object]]]:
    got = synth.subjects(seed=6, n=25, ruleset="cn.js.nantong@2018")
    return list(enumerate(got, 1))


def test_the_same_version_changes_nothing(cases: list[tuple[int, dict[str, object]]]) -> None:
    rs = creditrules.load_ruleset("cn.js.nantong@2018")
    report = impact(rs, rs, cases)
    assert report.cases == len(cases)
    assert report.changed == [] and report.by_rule == {}


def test_an_amended_period_is_traced_to_its_rule_and_article(
    amended: Path, cases: list[tuple[int, dict[str, object]]]
) -> None:
    old = creditrules.load_ruleset("cn.js.nantong@2018")
    new = creditrules.load_ruleset(amended)
    report = impact(old, new, cases)
    assert report.changed, "a longer validity period changes some decision"
    rule = "nt2018.validity.general"
    # Every changed decision changed through the amended rule (its effect names the period).
    assert report.by_rule[rule] == len(report.changed)
    assert any("第三十条" in a for a in report.rule_articles[rule])
    assert all("records" in c.parts for c in report.changed)


def test_cli(amended: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(
        "".join(
            json.dumps(c, ensure_ascii=False) + "\n"
            for c in synth.subjects(seed=6, n=8, ruleset="cn.js.nantong@2018")
        ),
        encoding="utf-8",
    )
    same = ["impact", "--ruleset", "cn.js.nantong@2018", "--against", "cn.js.nantong@2018"]
    assert main([*same, "--input", str(src)]) == 0
    assert "0 of 8 decision(s) change" in capsys.readouterr().out
    code = main(
        [
            "impact",
            "--ruleset",
            "cn.js.nantong@2018",
            "--against",
            str(amended),
            "--input",
            str(src),
            "--format",
            "json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == (1 if data["changed"] else 0)
    assert data["cases"] == 8
