"""The scenario runner on tiny scenario files written to tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

import creditrules
from creditrules.scenarios import (
    ScenarioFileError,
    deep_merge,
    load_scenario_file,
    run_paths,
)

HEADER = """\
ruleset: cn.js.nantong@2018
defaults:
  subject: {id: 91320600MA1MXXXX9Y, type: legal_person}
scenarios:
"""

GENERAL_RECORD = """\
      as_of: 2025-11-20
      records:
        - id: r1
          category: negative
          severity: general
          basis: {type: admin_penalty, procedure: ordinary}
          determined_on: 2025-03-10
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml", *, header: str = HEADER) -> Path:
    """Write a scenario file: ``header`` first, each ``<record>`` line replaced by the
    general record above."""
    p = tmp_path / name
    p.write_text(header + text.replace("      <record>\n", GENERAL_RECORD), encoding="utf-8")
    return p


def line_of(p: Path, needle: str) -> int:
    """1-based line of the first line of ``p`` containing ``needle``."""
    return next(
        i for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if needle in line
    )


def test_passing_scenario(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 一般失信一年
    case:
      matters: [high_consumption]
      <record>
    expect:
      fired: [nt2018.validity.general]
      not_fired: [nt2018.validity.serious]
      records: {r1: {status: active, validity_until: "2026-03-10", repair: {unmet: [not_corrected, obligations_not_performed]}}}
      matters: {high_consumption: null}
""",
    )
    report = run_paths([p])
    assert (report.passed, report.failed) == (1, 0), report.render()
    assert report.render() == "1 passed, 0 failed"
    cov = report.coverage["cn.js.nantong@2018"]
    assert cov["nt2018.validity.general"] == (True, False)
    assert cov["nt2018.validity.serious"] == (False, True)
    # rules with no fact of their kind in the case are neither
    assert cov["nt2018.deadline.objection_review"] == (False, False)


def test_failing_expectation_names_line_and_why_not(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 写错了失信程度
    case:
      <record>
    expect:
      fired:
        - nt2018.validity.serious
      records: {r1: {status: expired}}
""",
    )
    report = run_paths([p])
    assert (report.passed, report.failed) == (0, 1)
    lines = report.render().splitlines()
    assert lines[-1] == "0 passed, 1 failed"
    fired = line_of(p, "- nt2018.validity.serious")
    assert lines[0] == (
        f"{p}:{fired}: scenario '写错了失信程度': expected nt2018.validity.serious to fire; it did not: "
        "record:r1: severity = 'general', needs eq 'serious'"
    )
    assert lines[1].startswith(
        f"{p}:{line_of(p, 'records: {r1')}: scenario '写错了失信程度': records.r1.status: expected 'expired', got 'active'"
    )


def test_unknown_rule_is_reported_with_suggestion(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 规则名写错
    case:
      <record>
    expect:
      not_fired: [nt2018.validity.serios]
""",
    )
    text = run_paths([p]).render()
    assert "has no rule nt2018.validity.serios; did you mean 'nt2018.validity.serious'?" in text


def test_malformed_file_is_a_failure_with_a_line(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 多了一个键
    case:
      <record>
    expct:
      fired: [nt2018.validity.general]
""",
    )
    with pytest.raises(ScenarioFileError) as info:
        load_scenario_file(p)
    bad = line_of(p, "expct:")
    scenario = line_of(p, "- name: 多了一个键")
    assert info.value.problems == [
        (scenario, "missing field 'expect'"),
        (bad, "unknown field 'expct'"),
    ]
    report = run_paths([p])
    lines = report.render().splitlines()
    assert lines == [
        f"{p}:{scenario}: missing field 'expect'",
        f"{p}:{bad}: unknown field 'expct'",
        "0 passed, 1 failed",
    ]


def test_unknown_expectation_key_is_refused_at_load(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 字段写错
    case:
      <record>
    expect:
      records: {r1: {stauts: active, repair: {eligble: false}}}
""",
    )
    with pytest.raises(ScenarioFileError) as info:
        load_scenario_file(p)
    msgs = [m for _, m in info.value.problems]
    assert any("unknown field 'stauts'" in m and "did you mean 'status'" in m for m in msgs)
    assert any("unknown field 'eligble'" in m for m in msgs)


def test_bad_yaml_is_a_failure(tmp_path: Path) -> None:
    p = write(tmp_path, "  - name: x\n    note: a: b\n")
    report = run_paths([p])
    assert report.failed == 1
    assert report.render().splitlines()[0].startswith(f"{p}:{line_of(p, 'note: a: b')}: ")


def test_expected_input_error(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 禁止归集血型
    case:
      as_of: 2025-11-20
      subject: {id: "320602198001011235", type: natural_person}
      records:
        - {id: r1, category: basic, determined_on: 2020-01-01, fields: {blood_type: A}}
    expect:
      error: {field: "records[0].fields.blood_type", message: 第十四条}
  - name: 期待拒绝却被受理
    case:
      <record>
    expect:
      error: {field: subject.id}
  - name: 拒绝的字段不对
    case:
      as_of: 2025-11-20
      subject: {id: 91320600MA1MXXXX9X}
    expect:
      error: {field: "records[0].id"}
""",
    )
    report = run_paths([p])
    assert [r.passed for r in report.results] == [True, False, False]
    text = report.render()
    assert "expected the case to be refused naming subject.id; it was accepted" in text
    assert (
        "expected the case to be refused naming records[0].id; it was refused naming: subject.id: "
        in text
    )


def test_unexpected_refusal_is_a_failure(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 意外被拒
    case:
      as_of: 2025-11-20
      records: [{id: r1, category: negative, colour: red, determined_on: 2025-01-01}]
    expect:
      fired: [nt2018.negative.default]
""",
    )
    text = run_paths([p]).render()
    assert "the case was refused: records[0].colour: unknown field" in text


def test_error_cannot_be_combined_with_other_expectations(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 混用
    case: {as_of: 2025-11-20}
    expect:
      error: {field: subject.id}
      fired: [nt2018.negative.default]
""",
    )
    with pytest.raises(ScenarioFileError, match="cannot be combined"):
        load_scenario_file(p)


def test_ruleset_by_folder_and_by_id_in_force(tmp_path: Path) -> None:
    folder = next(e.folder for e in creditrules.list_rulesets() if e.version == "2018")
    body = """\
defaults:
  subject: {id: 91320600MA1MXXXX9Y, type: legal_person}
scenarios:
  - name: 按文件夹或按日期选规则集
    case:
      <record>
    expect:
      fired: [nt2018.validity.general]
"""
    a = write(tmp_path, body, "a.yaml", header=f"ruleset: {folder}\n")
    b = write(tmp_path, body, "b.yaml", header="ruleset: cn.js.nantong\n")
    report = run_paths([tmp_path])
    assert report.failed == 0, report.render()
    assert {r.file for r in report.results} == {str(a), str(b)}
    by_file = {r.file: r.ruleset for r in report.results}
    # The folder pins 2018; the bare id picks the version in force on 2025-11-20 (2021, which
    # carries the 2018 measures on).
    assert by_file == {str(a): "cn.js.nantong@2018", str(b): "cn.js.nantong@2021"}


def test_unknown_ruleset_is_a_failure(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        header=HEADER.replace("cn.js.nantong@2018", "cn.js.nowhere"),
        text="""\
  - name: 无此规则集
    case:
      <record>
    expect:
      fired: [nt2018.negative.default]
""",
    )
    text = run_paths([p]).render()
    assert f"{p}:1: scenario '无此规则集': unknown ruleset 'cn.js.nowhere'" in text


def test_lists_measures_deadlines_and_negative_expectations(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 黑名单
    case:
      as_of: 2026-10-09
      records:
        - {id: r1, category: negative, severity: serious, determined_on: 2024-02-10,
           basis: {type: admin_penalty, procedure: ordinary},
           list: {id: blacklist, listed_on: 2024-02-20}}
      events: [{type: objection_filed, record: r1, on: 2026-09-30}]
    expect:
      lists: [{list: blacklist, active: true}]
      measures: [{id: nt2018.m.joint_sanctions, target: subject}]
      deadlines: [{procedure: objection.review, due: "2026-10-20"}]
      no_lists: [blacklist]
      no_measures: [nt2018.m.joint_rewards]
""",
    )
    report = run_paths([p])
    lines = report.render().splitlines()
    assert len(lines) == 2
    no_lists = line_of(p, "no_lists: [blacklist]")
    assert lines[0].startswith(
        f"{p}:{no_lists}: scenario '黑名单': expected no blacklist entry; got list='blacklist', active=True"
    )


def test_deep_merge_merges_mappings_and_replaces_lists() -> None:
    base = {
        "subject": {"id": "A", "type": "legal_person", "representatives": [1, 2]},
        "matters": ["x"],
    }
    over = {"subject": {"id": "B", "representatives": [3]}, "matters": []}
    assert deep_merge(base, over) == {
        "subject": {"id": "B", "type": "legal_person", "representatives": [3]},
        "matters": [],
    }
    assert base["subject"]["id"] == "A"


def test_missing_path_is_a_failure(tmp_path: Path) -> None:
    report = run_paths([tmp_path / "nope.yaml"])
    assert report.failed == 1
    assert report.render().splitlines()[0] == f"{tmp_path / 'nope.yaml'}:1: no such scenario file"


def test_event_rule_with_no_event_says_so(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        """\
  - name: 没有异议事件
    case:
      <record>
    expect:
      fired: [nt2018.deadline.objection_review]
""",
    )
    text = run_paths([p]).render()
    assert (
        "expected nt2018.deadline.objection_review to fire; it did not: no fact of its kind" in text
    )


def test_progress_counts_every_scenario_and_every_malformed_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        "  - name: 甲\n    case:\n      <record>\n    expect:\n      fired: [nt2018.validity.general]\n  - name: 乙\n    case:\n      <record>\n    expect:\n      fired: [nt2018.validity.general]\n",
        "a.yaml",
    )
    write(tmp_path, "  - name: x\n    note: a: b\n", "b.yaml")
    seen: list[tuple[int, int]] = []
    report = run_paths(
        [tmp_path], backend="reference", on_progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert (report.passed, report.failed) == (2, 1)


def test_a_folder_yields_only_its_scenario_files(tmp_path: Path) -> None:
    """A ruleset folder named as a whole: its own YAML is not read as broken scenarios."""
    from creditrules.scenarios.runner import find_scenario_files

    (tmp_path / "rules.yaml").write_text("rules: []\n", encoding="utf-8")
    (tmp_path / "scenarios").mkdir()
    sc = tmp_path / "scenarios" / "a.yaml"
    sc.write_text("ruleset: ..\nscenarios: []\n", encoding="utf-8")
    assert find_scenario_files([tmp_path]) == [sc]
    # A file named directly is always read, so a mistyped one is reported, not skipped.
    assert find_scenario_files([tmp_path / "rules.yaml"]) == [tmp_path / "rules.yaml"]
