"""Batch re-evaluation: the same decisions as one at a time, bad lines counted and named,
an interrupted run resumed where it stopped, Parquet both ways, changed-since."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules import batch, synth
from creditrules.cli.main import main
from creditrules.errors import CreditRulesError, InputError, RulesetNotFoundError

RULESET = "cn.js.nantong"
#: Each set of versions in force loaded once (as the batch's workers do).
_RULESETS = batch._Rulesets(RULESET)


def _cases(n: int = 24, seed: int = 8) -> list[dict[str, Any]]:
    return list(synth.subjects(seed=seed, n=n, ruleset=RULESET))


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _jsonl(cases: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(c, ensure_ascii=False) for c in cases]


def _one_at_a_time(
    cases: list[dict[str, Any]], backend: str, as_of: date | None = None
) -> list[Any]:
    out: list[Any] = []
    for c in cases:
        try:
            rs = _RULESETS(as_of or date.fromisoformat(c["as_of"]))
            d = creditrules.evaluate(rs, c, as_of=as_of, backend=backend)  # type: ignore[arg-type]
            out.append(d.model_dump(mode="json", by_alias=True))
        except CreditRulesError:
            out.append(None)
    return out


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_decisions_are_those_of_one_at_a_time_in_input_order(tmp_path: Path) -> None:
    cases = _cases()
    src = _write(tmp_path / "cases.jsonl", _jsonl(cases))
    out = tmp_path / "decisions.jsonl"
    res = batch.run(batch.BatchOptions(RULESET, src, out, backend="reference", chunk=5))
    expected = [d for d in _one_at_a_time(cases, "reference") if d is not None]
    assert _read(out) == expected
    assert res.summary.read == len(cases)
    assert res.summary.decided + res.summary.bad == len(cases)
    assert res.summary.written == len(expected)
    assert not (tmp_path / "decisions.jsonl.checkpoint").exists()


def test_worker_processes_write_what_one_process_writes(tmp_path: Path) -> None:
    src = _write(tmp_path / "cases.jsonl", _jsonl(_cases(16)))
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    batch.run(batch.BatchOptions(RULESET, src, one, chunk=3))
    batch.run(batch.BatchOptions(RULESET, src, two, workers=2, chunk=3))
    assert one.read_bytes() == two.read_bytes()
    assert one.read_bytes()


def test_bad_lines_are_named_counted_and_never_dropped(tmp_path: Path) -> None:
    lines = _jsonl(_cases(6))
    bad = json.loads(lines[3])
    bad["records"][0]["severty"] = "serious"
    lines[1] = '{"as_of": "2026-01-01", "subject": '
    lines[3] = json.dumps(bad, ensure_ascii=False)
    lines[4] = ""
    src = _write(tmp_path / "cases.jsonl", lines)
    seen: list[tuple[int, str]] = []
    res = batch.run(
        batch.BatchOptions(RULESET, src, tmp_path / "d.jsonl", backend="reference"),
        on_bad_line=lambda n, p: seen.append((n, p)),
    )
    assert [n for n, _ in seen] == [2, 4, 5] == [n for n, _ in res.bad_lines]
    assert "invalid JSON" in seen[0][1]
    assert "records[0].severty: unknown field" in seen[1][1]
    assert "empty line" in seen[2][1]
    assert res.summary.bad == 3
    assert res.summary.read == 6 == res.summary.decided + res.summary.bad


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path: Path) -> None:
    cases = _cases(20)
    lines = _jsonl(cases)
    lines[13] = "not json"  # a bad line after the interruption is still counted once
    lines[2] = "[]"  # and one before it
    src = _write(tmp_path / "cases.jsonl", lines)
    whole = tmp_path / "whole.jsonl"
    full = batch.run(batch.BatchOptions(RULESET, src, whole, backend="reference", chunk=4))
    out = tmp_path / "parts.jsonl"
    opts = batch.BatchOptions(RULESET, src, out, backend="reference", chunk=4)
    with pytest.raises(batch.BatchInterrupted):
        batch.run(opts, stop_after_chunks=2)
    checkpoint = json.loads((tmp_path / "parts.jsonl.checkpoint").read_text(encoding="utf-8"))
    assert checkpoint["cases_done"] == 8
    # What a crash leaves behind after the checkpoint is cut off on resume.
    with out.open("ab") as fh:
        fh.write(b'{"half": "a line')
    res = batch.run(opts)
    assert res.resumed_from == 8
    assert out.read_bytes() == whole.read_bytes()
    assert res.bad_lines == full.bad_lines == [(3, res.bad_lines[0][1]), (14, res.bad_lines[1][1])]
    assert res.summary == full.summary
    assert not (tmp_path / "parts.jsonl.checkpoint").exists()


def test_a_checkpoint_of_another_run_is_refused(tmp_path: Path) -> None:
    src = _write(tmp_path / "cases.jsonl", _jsonl(_cases(10)))
    out = tmp_path / "d.jsonl"
    with pytest.raises(batch.BatchInterrupted):
        batch.run(
            batch.BatchOptions(RULESET, src, out, backend="reference", chunk=3), stop_after_chunks=1
        )
    other = batch.BatchOptions(
        RULESET, src, out, backend="reference", chunk=3, as_of=date(2026, 11, 30)
    )
    with pytest.raises(InputError, match="checkpoint of another run"):
        batch.run(other)


def test_parquet_in_and_out(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    cases = _cases(12)
    jsonl = _write(tmp_path / "cases.jsonl", _jsonl(cases))
    as_json = tmp_path / "cases-json.parquet"
    pq.write_table(pa.table({"case": _jsonl(cases)}), as_json)
    nested = tmp_path / "cases-nested.parquet"
    pq.write_table(pa.Table.from_pylist(cases), nested)
    ref = tmp_path / "ref.jsonl"
    batch.run(batch.BatchOptions(RULESET, jsonl, ref, backend="reference"))
    for src in (as_json, nested):
        out = tmp_path / f"{src.stem}.jsonl"
        batch.run(batch.BatchOptions(RULESET, src, out, backend="reference"))
        assert out.read_bytes() == ref.read_bytes(), src.name
    pout = tmp_path / "decisions.parquet"
    batch.run(batch.BatchOptions(RULESET, jsonl, pout, backend="reference"))
    table = pq.read_table(pout)
    decisions = [json.loads(d) for d in table.column("decision").to_pylist()]
    assert decisions == _read(ref)
    assert table.column("decision_id").to_pylist() == [d["decision_id"] for d in decisions]
    assert not list(tmp_path.glob("decisions.parquet.*"))


def test_changed_since_writes_only_what_changed(tmp_path: Path) -> None:
    cases = _cases(40, seed=21)
    src = _write(tmp_path / "cases.jsonl", _jsonl(cases))
    out = tmp_path / "changed.jsonl"
    now, then = date(2026, 11, 30), date(2026, 4, 1)  # the same versions in force
    res = batch.run(
        batch.BatchOptions(RULESET, src, out, as_of=now, changed_since=then, backend="reference")
    )
    after = _one_at_a_time(cases, "reference", now)
    before = _one_at_a_time(cases, "reference", then)

    def concl(d: dict[str, Any] | None) -> Any:
        return None if d is None else {k: d[k] for k in batch.CONCLUSIONS}

    want = [a for a, b in zip(after, before, strict=True) if a is not None and concl(a) != concl(b)]
    assert _read(out) == want
    assert res.summary.written == len(want)
    assert res.summary.unchanged == sum(
        1 for a, b in zip(after, before, strict=True) if a is not None and concl(a) == concl(b)
    )
    assert 0 < len(want) < len(cases)


def test_usage_problems_before_any_case(tmp_path: Path) -> None:
    src = _write(tmp_path / "cases.jsonl", _jsonl(_cases(2)))
    with pytest.raises(RulesetNotFoundError):
        batch.run(batch.BatchOptions("cn.nowhere", src, tmp_path / "d.jsonl"))
    with pytest.raises(InputError, match="jsonl"):
        batch.run(batch.BatchOptions(RULESET, src, tmp_path / "d.csv"))
    with pytest.raises(InputError, match="no such file"):
        batch.run(batch.BatchOptions(RULESET, tmp_path / "none.jsonl", tmp_path / "d.jsonl"))
    with pytest.raises(InputError, match="not before"):
        batch.run(
            batch.BatchOptions(
                RULESET,
                src,
                tmp_path / "d.jsonl",
                as_of=date(2026, 1, 1),
                changed_since=date(2026, 1, 1),
            )
        )
    assert not (tmp_path / "d.jsonl").exists()


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _jsonl(_cases(4))
    src = _write(tmp_path / "ok.jsonl", lines)
    assert (
        main(
            [
                "batch",
                "--ruleset",
                RULESET,
                "--input",
                str(src),
                "--output",
                str(tmp_path / "o.jsonl"),
            ]
        )
        == 0
    )
    out, err = capsys.readouterr()
    assert "4 read" in out and err == ""
    bad = _write(tmp_path / "bad.jsonl", [*lines, "{"])
    assert (
        main(
            [
                "batch",
                "--ruleset",
                RULESET,
                "--input",
                str(bad),
                "--output",
                str(tmp_path / "o.jsonl"),
            ]
        )
        == 1
    )
    out, err = capsys.readouterr()
    assert err.startswith("error: line 5: invalid JSON")
    assert (
        main(
            [
                "batch",
                "--ruleset",
                "cn.nowhere",
                "--input",
                str(src),
                "--output",
                str(tmp_path / "o.jsonl"),
            ]
        )
        == 2
    )
