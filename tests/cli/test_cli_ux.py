"""What makes the CLI behave like the tools people know: help on every option with its
default, exit codes in every ``--help``, shell completion, and a progress bar that only a
terminal ever sees."""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from creditrules.cli.main import build_parser
from creditrules.cli.parser import HelpFormatter, cells, wrap
from creditrules.cli.progress import progress
from creditrules.scenarios import run_paths

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "tests" / "cli" / "inputs" / "scenarios"


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_option_and_argument_has_bilingual_help(name: str) -> None:
    parser = _commands()[name]
    for action in parser._actions:
        assert action.help, f"{name} {action.dest}: no help"
        zh, _, en = action.help.partition("\n")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{name} {action.dest}: no Chinese"
        assert en and en.isascii() or "default" in en, f"{name} {action.dest}: no English line"


@pytest.mark.parametrize("name", sorted(_commands()))
def test_help_shows_defaults_and_exit_codes(name: str) -> None:
    parser = _commands()[name]
    text = parser.format_help()
    assert "退出码 / exit codes:" in text
    assert "\n  0  " in text and "\n  2  " in text
    for action in parser._actions:
        if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
            assert f"默认 / default: {action.default}" in text, f"{name} {action.dest}"
        if action.option_strings and action.required:
            assert "必填 / required" in text


def test_help_wraps_by_display_width() -> None:
    line = "规则集：ID 取评估日期施行的版本，ID@VERSION 指定版本，也可为文件夹路径"
    lines = wrap(line, 40)
    assert len(lines) > 1 and all(cells(x) <= 40 for x in lines)
    assert "".join(lines).replace(" ", "") == line.replace(" ", "")
    assert wrap("a considered reading of the law", 12) == ["a considered", "reading of", "the law"]
    assert isinstance(build_parser().formatter_class(prog="x"), HelpFormatter)


# ---------------------------------------------------------------- completion


def _complete(line: str) -> list[str]:
    """What the installed script answers to the shell's completion request for ``line``."""
    script = shutil.which("creditrules", path=str(Path(sys.executable).parent))
    assert script is not None
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_IFS": "\n",
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "COMP_TYPE": "9",
    }
    p = subprocess.run(
        ["bash", "-c", f'"{script}" 8>&1 9>/dev/null 1>/dev/null'],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    return p.stdout.split("\n")


def test_completion_completes_commands_options_and_ruleset_ids() -> None:
    assert _complete("creditrules re") == ["replay", "render"]
    assert "--backend" in _complete("creditrules test --")
    refs = _complete("creditrules evaluate --ruleset cn.js.nantong")
    assert "cn.js.nantong@2018" in refs and "cn.js.nantong" in refs


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_shell_code(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    from creditrules.cli.main import main

    assert main(["completion", shell]) == 0
    out = capsys.readouterr().out
    assert "creditrules" in out and "_ARGCOMPLETE" in out


# ---------------------------------------------------------------- progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_only() -> None:
    piped, tty = io.StringIO(), _Terminal()
    for stream in (piped, tty):
        with progress("情景 / scenarios", stream=stream) as bar:
            report = run_paths([SCENARIOS], backend="reference", on_progress=bar.update)
    assert report.failed == 1
    assert piped.getvalue() == ""
    assert "情景 / scenarios" in tty.getvalue()


def test_progress_is_not_drawn_when_forced_colour_is_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """rich would treat FORCE_COLOR as a terminal; captured output must stay clean."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    piped = io.StringIO()
    with progress("x", total=2, stream=piped) as bar:
        bar.advance()
        bar.update(2, 2)
    assert not bar.shown and piped.getvalue() == ""


# ---------------------------------------------------------------- warnings


def test_warning_lines_read_decision_warnings_of_either_form() -> None:
    """Decisions gain ``warnings`` (CONTRACT additions); each is printed as
    ``warning: <field>: <message>``, as a model or as stored JSON."""
    from types import SimpleNamespace

    from creditrules.cli.io import warning_lines

    model = SimpleNamespace(
        warnings=[SimpleNamespace(code="x", field="records[0].domain", message="未使用 / unused")]
    )
    stored = SimpleNamespace(warnings=[{"code": "x", "field": "as_of", "message": "m"}])
    assert warning_lines(model) == ["records[0].domain: 未使用 / unused"]
    assert warning_lines(stored) == ["as_of: m"]
    assert warning_lines(SimpleNamespace()) == []
