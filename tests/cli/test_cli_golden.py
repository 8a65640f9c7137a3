"""Golden transcripts of real ``creditrules`` runs.

Each case runs ``creditrules.cli.main.main(argv)`` in-process from the repository root
and compares a transcript (command, exit code, stdout, stderr) with
``tests/cli/golden/<name>.txt``. To accept new output, read the diff first, then::

    CREDITRULES_UPDATE_GOLDEN=1 pytest tests/cli

Besides the golden comparison every case checks the contract directly: the exit code,
no traceback ever, and for bad input exit 2 with nothing on stdout and one ``error:``
line per problem naming the field.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from contextlib import chdir, redirect_stdout
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest

from creditrules.cli.commands import COMMANDS
from creditrules.cli.main import main

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
INPUTS = "tests/cli/inputs"
EXAMPLE = "examples/nantong-2026.json"
#: One scenario that passes and one that fails on purpose.
SCENARIOS = f"{INPUTS}/scenarios"
UPDATE = os.environ.get("CREDITRULES_UPDATE_GOLDEN") == "1"
#: Stands for the stored decision file in transcripts (it lives in a temporary folder).
DECISION = "DECISION.json"


@dataclass
class Run:
    argv: list[str]
    code: int
    out: str
    err: str

    def transcript(self) -> str:
        def block(s: str) -> str:
            return s if not s or s.endswith("\n") else s + "\n(no newline at end)\n"

        return (
            f"$ creditrules {' '.join(self.argv)}\nexit: {self.code}\n"
            f"--- stdout\n{block(self.out)}--- stderr\n{block(self.err)}"
        )


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    # argparse wraps usage lines to the terminal width, and may colour them.
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")


def run(
    capsys: pytest.CaptureFixture[str], argv: list[str], subst: dict[str, str] | None = None
) -> Run:
    """Run the CLI in-process; ``subst`` maps real paths to their placeholders."""
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    shown = list(argv)
    for real, placeholder in (subst or {}).items():
        shown = [a.replace(real, placeholder) for a in shown]
        out, err = out.replace(real, placeholder), err.replace(real, placeholder)
    return Run(shown, code, out, err)


def check_golden(name: str, r: Run) -> None:
    text = r.transcript()
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden {path}; run with CREDITRULES_UPDATE_GOLDEN=1 and read it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path} differs (CREDITRULES_UPDATE_GOLDEN=1 rewrites)"
    )


def no_traceback(r: Run) -> None:
    assert "Traceback" not in r.out and "Traceback" not in r.err


# ---------------------------------------------------------------- stored decision


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The decision for the example case, as `evaluate` writes it."""
    folder = tmp_path_factory.mktemp("decision")
    buf = StringIO()
    with chdir(REPO), redirect_stdout(buf):
        code = main(["evaluate", "--ruleset", "cn.js.nantong", "--input", EXAMPLE])
    assert code == 0
    path = folder / DECISION
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


# ---------------------------------------------------------------- successful runs


OK_CASES: dict[str, list[str]] = {
    "rulesets": ["rulesets"],
    "validate-rulesets": ["validate", "rulesets"],
    "evaluate-json": ["evaluate", "--ruleset", "cn.js.nantong", "--input", EXAMPLE],
    "evaluate-text-zh": [
        "evaluate",
        "--ruleset",
        "cn.js.nantong",
        "--input",
        EXAMPLE,
        "--format",
        "text",
    ],
    "evaluate-text-en": [
        "evaluate",
        "--ruleset",
        "cn.js.nantong",
        "--input",
        EXAMPLE,
        "--format",
        "text",
        "--lang",
        "en",
    ],
    "evaluate-pinned-version": ["evaluate", "--ruleset", "cn.js.nantong@2021", "--input", EXAMPLE],
    "version": ["--version"],
    "bare-prints-help": [],
    "rulesets-json": ["rulesets", "--format", "json"],
    "validate-rulesets-json": ["validate", "rulesets", "--format", "json"],
    "synth-jsonl": ["synth", "--seed", "1", "--subjects", "2", "--ruleset", "cn.js.nantong"],
    **{f"help-{c}": [c, "--help"] for c in COMMANDS},
}

#: Runs that end in 1 (failures reported on stdout, nothing on stderr).
FAILING_CASES: dict[str, list[str]] = {
    "test-text": ["test", SCENARIOS],
    "test-json": ["test", SCENARIOS, "--format", "json"],
}


@pytest.mark.parametrize("name", sorted(OK_CASES))
def test_success(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, OK_CASES[name])
    no_traceback(r)
    assert r.code == 0, r.err
    assert r.err == ""
    check_golden(name, r)


@pytest.mark.parametrize("name", sorted(FAILING_CASES))
def test_failing_run(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, FAILING_CASES[name])
    no_traceback(r)
    assert (r.code, r.err) == (1, "")
    check_golden(name, r)


def test_test_json_is_the_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Both formats say the same: the failure lines of the text are the JSON's failures."""
    text = run(capsys, FAILING_CASES["test-text"]).out.splitlines()
    data = json.loads(run(capsys, FAILING_CASES["test-json"]).out)
    assert text[-1] == f"{data['passed']} passed, {data['failed']} failed" == "1 passed, 1 failed"
    shown = [
        f"{r['file']}:{f['line']}: scenario '{r['scenario']}': {f['message']}"
        for r in data["results"]
        for f in r["failures"]
    ]
    assert shown == text[:-1]


def test_rulesets_json_lists_what_the_table_lists(capsys: pytest.CaptureFixture[str]) -> None:
    rows = run(capsys, ["rulesets"]).out.splitlines()[1:]
    data = json.loads(run(capsys, ["rulesets", "--format", "json"]).out)
    assert [(d["id"], d["version"]) for d in data] == [tuple(r.split()[:2]) for r in rows]
    assert all(d["ref"] == f"{d['id']}@{d['version']}" for d in data)


def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    import creditrules

    r = run(capsys, ["--version"])
    assert r.out.startswith(f"creditrules {creditrules.__version__} (durable_rules ")


def test_bare_command_prints_the_full_help(capsys: pytest.CaptureFixture[str]) -> None:
    bare = run(capsys, [])
    asked = run(capsys, ["--help"])
    assert (bare.code, bare.out, bare.err) == (0, asked.out, "")
    assert all(c in bare.out for c in COMMANDS)


def test_version_out_of_force_is_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    """cn.js.nantong@2018 ended on 2021-12-30; asked for on 2026-11-21 it is still used (it
    was named), and stderr says it was not in force then. stdout is the decision alone."""
    r = run(capsys, ["evaluate", "--ruleset", "cn.js.nantong@2018", "--input", EXAMPLE])
    no_traceback(r)
    assert r.code == 0
    assert json.loads(r.out)["ruleset"]["version"] == "2018"
    warnings = [ln for ln in r.err.splitlines() if "cn.js.nantong@2018" in ln]
    assert len(warnings) == 1 and warnings[0].startswith("warning: "), r.err
    assert "2026-11-21" in warnings[0]
    assert all(ln.startswith("warning: ") for ln in r.err.splitlines()), r.err
    in_force = run(capsys, ["evaluate", "--ruleset", "cn.js.nantong@2021", "--input", EXAMPLE])
    assert "cn.js.nantong@2021" not in in_force.err
    text = run(
        capsys,
        ["evaluate", "--ruleset", "cn.js.nantong@2018", "--input", EXAMPLE, "--format", "text"],
    )
    check_golden("evaluate-version-not-in-force", text)


def test_validate_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, ["validate", "rulesets"])
    assert (r.code, r.out) == (0, "0 error(s), 0 warning(s)\n")


def test_evaluate_json_is_the_contract_document(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, OK_CASES["evaluate-json"])
    d = json.loads(r.out)
    assert d["schema_version"] == 1
    assert d["ruleset"]["id"] == "cn.js.nantong"
    assert d["as_of"] == "2026-11-21"


def test_evaluate_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, OK_CASES["evaluate-json"])
    second = run(capsys, OK_CASES["evaluate-json"])
    assert first.out == second.out


def test_pinned_version_equals_default(capsys: pytest.CaptureFixture[str]) -> None:
    default = run(capsys, OK_CASES["evaluate-json"])
    pinned = run(capsys, OK_CASES["evaluate-pinned-version"])
    assert default.out == pinned.out


@pytest.mark.parametrize(
    ("name", "extra"),
    [("explain-zh", []), ("explain-en", ["--lang", "en"]), ("explain-all", ["--all"])],
)
def test_explain(
    name: str, extra: list[str], stored: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    r = run(capsys, ["explain", str(stored), *extra], {str(stored): DECISION})
    no_traceback(r)
    assert (r.code, r.err) == (0, "")
    check_golden(name, r)


def test_explain_equals_evaluate_text(stored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    explained = run(capsys, ["explain", str(stored)])
    evaluated = run(capsys, OK_CASES["evaluate-text-zh"])
    assert explained.out == evaluated.out


def test_explain_all_adds_rules_that_did_not_fire(
    stored: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = run(capsys, ["explain", str(stored)])
    full = run(capsys, ["explain", str(stored), "--all"])
    assert "[未适用]" in full.out and "[未适用]" not in plain.out


def test_replay_identical(stored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, ["replay", str(stored)], {str(stored): DECISION})
    no_traceback(r)
    assert (r.code, r.err) == (0, "")
    assert r.out.startswith("identical: ")
    check_golden("replay-identical", r)


def test_replay_differs(stored: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = json.loads(stored.read_text(encoding="utf-8"))
    d["records"][0]["status"] = "active"
    d["matters"][0]["outcome"] = "allow"
    edited = tmp_path / DECISION
    edited.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    r = run(capsys, ["replay", str(edited)], {str(edited): DECISION})
    no_traceback(r)
    assert r.code == 1
    assert "records[0].status" in r.out and "matters[0].outcome" in r.out
    check_golden("replay-differs", r)


# ---------------------------------------------------------------- bad input: exit 2


def _eval(inp: str, *extra: str) -> list[str]:
    return ["evaluate", "--ruleset", "cn.js.nantong", "--input", inp, *extra]


@dataclass
class Bad:
    argv: list[str]
    #: One stderr line per entry, each naming this field path (in order).
    fields: list[str] = field(default_factory=list)
    usage: bool = False


BAD_CASES: dict[str, Bad] = {
    "error-malformed-json": Bad(_eval(f"{INPUTS}/malformed.json"), ["--input"]),
    "error-unknown-field": Bad(_eval(f"{INPUTS}/unknown-field.json"), ["records[0].severty"]),
    "error-impossible-date": Bad(
        _eval(f"{INPUTS}/impossible-date.json"), ["records[0].determined_on"]
    ),
    "error-impossible-as-of": Bad(_eval(f"{INPUTS}/impossible-as-of.json"), ["as_of"]),
    "error-invalid-uscc": Bad(_eval(f"{INPUTS}/invalid-uscc.json"), ["subject.id"]),
    "error-forbidden-data": Bad(
        _eval(f"{INPUTS}/forbidden-data.json"),
        ["records[0].fields.blood_type", "records[0].fields.宗教信仰"],
    ),
    "error-unknown-ruleset": Bad(
        ["evaluate", "--ruleset", "cn.js.nantongx", "--input", EXAMPLE], ["--ruleset"]
    ),
    "error-unknown-version": Bad(
        ["evaluate", "--ruleset", "cn.js.nantong@2099", "--input", EXAMPLE], ["--ruleset"]
    ),
    "error-as-of-before-any-version": Bad(_eval(EXAMPLE, "--as-of", "1999-01-01"), ["--ruleset"]),
    "error-missing-input": Bad(_eval(f"{INPUTS}/no-such-file.json"), ["--input"]),
    "error-bad-as-of-argument": Bad(
        _eval(EXAMPLE, "--as-of", "2026-13-01"), ["--as-of"], usage=True
    ),
    "error-render-missing-path": Bad(
        ["render", "no/such/rulesets", "--out", "never-written"], ["PATH"]
    ),
    "error-render-no-ruleset": Bad(["render", INPUTS, "--out", "never-written"], ["PATH"]),
    "error-validate-missing-path": Bad(["validate", "rulesets", "no/such/folder"], ["PATH"]),
    "error-test-missing-path": Bad(
        ["test", SCENARIOS, "no/such/scenario.yaml", "no/such/folder"], ["PATH", "PATH"]
    ),
    "error-unknown-shell": Bad(["completion", "cmd.exe"], ["shell"], usage=True),
    "error-synth-unknown-ruleset": Bad(["synth", "--ruleset", "cn.nowhere"], ["--ruleset"]),
    "error-synth-too-many-records": Bad(["synth", "--records", "31"], ["--records"], usage=True),
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_input(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    case = BAD_CASES[name]
    r = run(capsys, case.argv)
    no_traceback(r)
    assert r.code == 2
    assert r.out == "", "bad input must leave stdout empty"
    lines = r.err.splitlines()
    if case.usage:
        # argparse prints its usage block, then exactly one error line.
        assert lines[0].startswith(f"usage: creditrules {case.argv[0]}")
        lines = [ln for ln in lines if ln.startswith("error: ")]
    assert len(lines) == len(case.fields), r.err
    for line, path in zip(lines, case.fields, strict=True):
        assert line.startswith("error: "), line
        assert path in line, f"{line!r} does not name {path!r}"
    check_golden(name, r)


@pytest.mark.parametrize("name", ["error-render-missing-path", "error-render-no-ruleset"])
def test_render_of_nothing_writes_nothing(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Once, a path that did not exist rendered every bundled ruleset and exited 0."""
    r = run(capsys, BAD_CASES[name].argv)
    assert r.code == 2
    assert not (REPO / "never-written").exists()


def test_forbidden_data_quotes_the_article(capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, BAD_CASES["error-forbidden-data"].argv)
    assert all("第十四条" in line for line in r.err.splitlines())


def test_impossible_date_quotes_the_value(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("error-impossible-date", "error-impossible-as-of"):
        r = run(capsys, BAD_CASES[name].argv)
        assert "2024-02-30" in r.err, r.err


def test_explain_of_a_case_file_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    """A case file has ``records`` but is not a decision: exit 2, one line, no traceback."""
    r = run(capsys, ["explain", EXAMPLE])
    no_traceback(r)
    assert (r.code, r.out) == (2, "")
    lines = r.err.splitlines()
    assert len(lines) >= 1 and all(ln.startswith("error: DECISION") for ln in lines), r.err


@pytest.mark.parametrize("command", ["explain", "replay"])
def test_stored_decision_missing(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, [command, f"{INPUTS}/no-such-decision.json"])
    no_traceback(r)
    assert (r.code, r.out) == (2, "")
    assert len(r.err.splitlines()) == 1 and "no-such-decision.json" in r.err


# ---------------------------------------------------------------- the installed script


@pytest.mark.parametrize(
    "name", ["evaluate-json", "error-forbidden-data", "error-bad-as-of-argument"]
)
def test_console_script_matches_in_process(name: str) -> None:
    """The installed ``creditrules`` script prints what the in-process run printed."""
    script = shutil.which("creditrules", path=str(Path(sys.executable).parent))
    assert script is not None, (
        "the creditrules console script is not installed next to this interpreter"
    )
    argv = OK_CASES[name] if name in OK_CASES else BAD_CASES[name].argv
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"}
    env.pop("CREDITRULES_UPDATE_GOLDEN", None)
    p = subprocess.run(
        [script, *argv],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    r = Run(argv, p.returncode, p.stdout, p.stderr)
    no_traceback(r)
    golden = (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")
    assert r.transcript() == golden


# ---------------------------------------------------------------- batch


def test_batch_transcript(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Three cases decided, the fourth refused with its line number: exit 1, the summary on
    stdout, one error line on stderr, three decisions written."""
    out = tmp_path / "decisions.jsonl"
    argv = [
        "batch",
        "--ruleset",
        "cn.js.nantong",
        "--input",
        f"{INPUTS}/batch-cases.jsonl",
        "--output",
        str(out),
        "--workers",
        "2",
    ]
    r = run(capsys, argv, {str(out): "DECISIONS.jsonl"})
    no_traceback(r)
    assert r.code == 1
    assert r.err.startswith("error: line 4: records[0].severty: unknown field")
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
    check_golden("batch-bad-line", r)
