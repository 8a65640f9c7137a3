"""Fuzz: no case, input file or ruleset can crash creditrules or pass in silence.

Mutations as an attacker would make them (tests/support/mutate.py; tools/fuzz.py runs
thousands of them, with hang and crash detection in a watched worker process). Every
outcome must be a Decision, a diagnostic, or one of the library's documented errors
(``creditrules.errors``); a mutation that must be refused by construction (wrong type,
unknown key, text that is not Unicode, a number JSON cannot carry) must be refused. The
default run makes a few dozen cases; ``pytest -m slow`` makes hundreds.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.cli.main import main
from creditrules.errors import CreditRulesError, InputError
from creditrules.loader import bundled_root
from support.mutate import (
    YAML_ATTACKS,
    mutate_case,
    mutate_json_text,
    mutate_yaml_data,
    wrong_for,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nantong-2026.json"
BASE = json.loads(EXAMPLE.read_text(encoding="utf-8"))
FEW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MANY = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def rs() -> creditrules.Ruleset:
    return creditrules.load_ruleset("cn.js.nantong", as_of=BASE["as_of"])


def _decide_or_refuse(rs: Any, data: Any, must_refuse: bool, label: str) -> None:
    try:
        creditrules.evaluate(rs, data, backend="both")
    except InputError:
        return
    except CreditRulesError:
        assert not must_refuse, f"{label}: refused, but not as bad input"
        return
    assert not must_refuse, f"{label}: decided, but must be refused"


# ------------------------------------------------------------------ cases, by mutation


def _mutated_cases(rs: Any, seed: int) -> None:
    m = mutate_case(random.Random(seed), BASE)
    _decide_or_refuse(rs, m.data, m.must_refuse, m.label)


@FEW
@given(st.integers(min_value=0, max_value=2**32))
def test_mutated_cases_are_decided_or_refused(rs: Any, seed: int) -> None:
    _mutated_cases(rs, seed)


@pytest.mark.slow
@MANY
@given(st.integers(min_value=0, max_value=2**32))
def test_mutated_cases_are_decided_or_refused_many(rs: Any, seed: int) -> None:
    _mutated_cases(rs, seed)


# ------------------------------------------------------------------ cases, any JSON value anywhere

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["2026-02-30", "2026-01-01", "true", "P1Y", "negative", "blacklist"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, path + (i,))
    return out


PATHS = _paths(BASE)[1:]


def _any_value(rs: Any, path: tuple[Any, ...], value: Any) -> None:
    data = copy.deepcopy(BASE)
    target = data
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    _decide_or_refuse(rs, data, wrong_for(path, value), f"{path} = {value!r:.60}")


@FEW
@given(st.sampled_from(PATHS), json_values)
def test_any_value_anywhere_is_decided_or_refused(
    rs: Any, path: tuple[Any, ...], value: Any
) -> None:
    _any_value(rs, path, value)


@pytest.mark.slow
@MANY
@given(st.sampled_from(PATHS), json_values)
def test_any_value_anywhere_is_decided_or_refused_many(
    rs: Any, path: tuple[Any, ...], value: Any
) -> None:
    _any_value(rs, path, value)


# ------------------------------------------------------------------ input files, through the CLI


def _cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int) -> None:
    body, label, must = mutate_json_text(random.Random(seed), BASE)
    p = tmp_path / "case.json"
    p.write_bytes(body)
    capsys.readouterr()
    code = main(["evaluate", "--ruleset", "cn.js.nantong", "--input", str(p)])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), label
    if code == 2:
        assert out == "", label
        assert all(line.startswith(("error: ", "warning: ")) for line in err.splitlines()), (
            label,
            err[:300],
        )
    else:
        assert not must, f"{label}: decided, but must be refused"


@FEW
@given(st.integers(min_value=0, max_value=2**32))
def test_mutated_input_files_end_in_an_exit_code_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int
) -> None:
    _cli(tmp_path, capsys, seed)


@pytest.mark.slow
@MANY
@given(st.integers(min_value=0, max_value=2**32))
def test_mutated_input_files_end_in_an_exit_code_not_a_traceback_many(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int
) -> None:
    _cli(tmp_path, capsys, seed)


# ------------------------------------------------------------------ rulesets

SRC = bundled_root() / "cn" / "hb" / "huangshi" / "2017"
FILES = {p.name: p.read_text(encoding="utf-8") for p in sorted(SRC.glob("*.yaml"))}
DATAS = {n: yaml.safe_load(t) for n, t in FILES.items()}
CASES = [
    BASE,
    dict(
        BASE,
        as_of="2019-06-01",
        events=[],
        records=[
            dict(
                BASE["records"][0],
                list=None,
                determined_on="2019-01-01",
                published_on="2019-01-02",
                basis=dict(BASE["records"][0]["basis"], issued_on="2019-01-01"),
            )
        ],
    ),
]


def _ruleset(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    folder = tmp_path / f"rs{seed}" / "2017"
    if folder.parent.exists():
        shutil.rmtree(folder.parent)
    folder.mkdir(parents=True)
    texts = dict(FILES)
    name = rng.choice(sorted(texts))
    if rng.random() < 0.3:
        label, body, must = rng.choice(YAML_ATTACKS)
        at = rng.choice([0, len(texts[name])])
        texts[name] = texts[name][:at] + body + texts[name][at:]
    else:
        data, label, must = mutate_yaml_data(rng, DATAS[name])
        texts[name] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    for n, t in texts.items():
        (folder / n).write_text(t, encoding="utf-8")
    diags = creditrules.validate(folder)
    if any(d.severity == "error" for d in diags):
        return
    assert not must, f"{name}: {label}: validate passed, but must refuse"
    loaded = creditrules.load_ruleset(folder)
    for case in CASES:
        with contextlib.suppress(CreditRulesError):
            creditrules.evaluate(loaded, case, backend="both")


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(min_value=0, max_value=2**32))
def test_mutated_rulesets_are_diagnosed_or_evaluate_cleanly(tmp_path: Path, seed: int) -> None:
    _ruleset(tmp_path, seed)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.integers(min_value=0, max_value=2**32))
def test_mutated_rulesets_are_diagnosed_or_evaluate_cleanly_many(tmp_path: Path, seed: int) -> None:
    _ruleset(tmp_path, seed)
