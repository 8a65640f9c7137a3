"""The pytest plugin that collects scenario files, run on small files with pytester."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import creditrules

pytest_plugins = ["pytester"]

HEADER = """\
ruleset: {ruleset}
defaults:
  subject: {{id: 91320600MA1MXXXX9Y, type: legal_person}}
scenarios:
"""

GENERAL = """\
  - name: {name}
    case:
      as_of: 2025-11-20
      records:
        - {{id: r1, category: negative, severity: {severity}, determined_on: 2025-03-10,
           basis: {{type: admin_penalty, procedure: ordinary}}}}
    expect:
      fired: [{fired}]
"""


def scenario_file(
    pytester: pytest.Pytester,
    name: str,
    *scenarios: tuple[str, str],
    ruleset: str = "cn.js.nantong@2018",
    severity: str = "general",
) -> Path:
    body = HEADER.format(ruleset=ruleset) + "".join(
        GENERAL.format(name=n, fired=f, severity=severity) for n, f in scenarios
    )
    path = pytester.path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def files(pytester: pytest.Pytester) -> pytest.Pytester:
    scenario_file(
        pytester,
        "validity.yaml",
        ("一般失信一年", "nt2018.validity.general"),
        ("写错了失信程度", "nt2018.validity.serious"),
    )
    (pytester.path / "broken.yaml").write_text(
        "ruleset: cn.js.nantong@2018\nscenarios:\n  - name: x\n    expct: {}\n", encoding="utf-8"
    )
    (pytester.path / "not-scenarios.yaml").write_text("rules: []\n", encoding="utf-8")
    return pytester


def test_items_are_named_file_and_scenario(files: pytest.Pytester) -> None:
    r = files.runpytest("--collect-only", "-q", "--scenario-backend", "reference")
    assert r.outlines[:3] == [
        "broken.yaml::<malformed>",
        "validity.yaml::一般失信一年",
        "validity.yaml::写错了失信程度",
    ]


def test_failures_show_the_scenario_lines_not_a_traceback(files: pytest.Pytester) -> None:
    r = files.runpytest("--scenario-backend", "reference")
    r.assert_outcomes(passed=1, failed=2)
    text = r.stdout.str()
    assert "Traceback" not in text and "ScenarioFailed" not in text
    r.stdout.fnmatch_lines(
        [
            "broken.yaml:4: unknown field 'expct'",
            "validity.yaml:*: scenario '写错了失信程度': expected nt2018.validity.serious to fire;"
            " it did not: record:r1: severity = 'general', needs eq 'serious'",
        ]
    )


def test_keyword_selection_and_exitfirst(files: pytest.Pytester) -> None:
    files.runpytest("--scenario-backend", "reference", "-k", "一般失信").assert_outcomes(passed=1)
    r = files.runpytest("--scenario-backend", "reference", "-x")
    r.assert_outcomes(failed=1)  # broken.yaml comes first and stops the run


def _two_files(pytester: pytest.Pytester) -> None:
    scenario_file(pytester, "a.yaml", ("一般失信一年", "nt2018.validity.general"))
    scenario_file(
        pytester, "b.yaml", ("严重失信三年", "nt2018.validity.serious"), severity="serious"
    )


def _gaps(r: pytest.RunResult) -> dict[str, set[str]]:
    out = {}
    for line in r.outlines:
        for kind in ("fire", "do not fire"):
            head = f"the rulesets the scenarios used: no scenario where these rules {kind}: "
            if line.startswith(head):
                out[kind] = set(line.removeprefix(head).split(", "))
    return out


def test_coverage_gaps_fail_a_full_run_with_xdist(pytester: pytest.Pytester) -> None:
    """Two workers each run one file and send their coverage to the controller, which
    merges it: each validity rule fired in one file and did not fire in the other, so
    neither is a gap; every other rule of the ruleset is. (Without xdist:
    test_coverage_ini_applies_to_a_run_without_paths_only.)"""
    _two_files(pytester)
    r = pytester.runpytest(
        "--scenario-backend",
        "reference",
        "--scenario-coverage",
        "run",
        "-n",
        "2",
        "--dist",
        "loadfile",
        "-v",
    )
    assert r.ret == pytest.ExitCode.TESTS_FAILED
    r.assert_outcomes(passed=2)
    ran_on = {ln.split()[0] for ln in r.outlines if "PASSED" in ln and ln.startswith("[gw")}
    assert ran_on == {"[gw0]", "[gw1]"}, r.stdout.str()
    r.stdout.fnmatch_lines(["*creditrules scenario coverage*"])
    gaps = _gaps(r)
    validity = {"nt2018.validity.general", "nt2018.validity.serious"}
    assert "nt2018.status.expired" in gaps["fire"]
    assert not validity & (gaps["fire"] | gaps["do not fire"])


def test_coverage_is_not_checked_on_part_of_a_run(pytester: pytest.Pytester) -> None:
    _two_files(pytester)
    r = pytester.runpytest(
        "--scenario-backend", "reference", "--scenario-coverage", "run", "-k", "严重失信"
    )
    assert r.ret == pytest.ExitCode.OK
    assert "creditrules scenario coverage" not in r.stdout.str()


def test_coverage_ini_applies_to_a_run_without_paths_only(pytester: pytest.Pytester) -> None:
    _two_files(pytester)
    pytester.makeini("[pytest]\ncreditrules_coverage = run\ncreditrules_backend = reference\n")
    whole = pytester.runpytest()
    assert whole.ret == pytest.ExitCode.TESTS_FAILED
    whole.assert_outcomes(passed=2)
    assert "nt2018.status.expired" in _gaps(whole)["fire"]
    assert pytester.runpytest("a.yaml", "b.yaml").ret == pytest.ExitCode.OK


def test_replay_reports_a_decision_that_does_not_replay(pytester: pytest.Pytester) -> None:
    """A decision made on an edited copy of a bundled version replays on the bundled
    original (same version, other hash): the item fails with the replay's differences."""
    bundled = next(
        e.folder
        for e in creditrules.list_rulesets()
        if (e.id, e.version) == ("cn.js.nantong", "2018")
    )
    copy = pytester.path / "nt2018"
    shutil.copytree(bundled, copy)
    records = copy / "records.yaml"
    text = records.read_text(encoding="utf-8")
    assert "duration: P1Y}" in text
    records.write_text(text.replace("duration: P1Y}", "duration: P2Y}", 1), encoding="utf-8")
    scenario_file(
        pytester, "s.yaml", ("一般失信一年", "nt2018.validity.general"), ruleset="./nt2018"
    )
    r = pytester.runpytest("--scenario-backend", "reference", "-o", "creditrules_replay=true")
    r.assert_outcomes(failed=1)
    # Its expectations held (a replay is only tried then); the replay differs.
    r.stdout.fnmatch_lines(["s.yaml:*: scenario '一般失信一年': replay of the stored decision: *"])
    assert "expected" not in r.stdout.str()
