"""Inputs that once crashed, hung or passed in silence, each kept as a regression test.

Every one ends in a Decision, a diagnostic, or one of the library's own errors naming the
field (tools/fuzz.py found them; docs/zh/bad-input.md lists the bounds).
"""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules import source
from creditrules.canonical import read_json
from creditrules.cli.main import main
from creditrules.compile import durable
from creditrules.errors import InputError
from creditrules.evaluate.input_limits import MAX_ITEMS, MAX_TEXT
from creditrules.loader import bundled_root

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "nantong-2026.json"


@pytest.fixture(scope="module")
def case() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def rs(case: dict[str, Any]) -> creditrules.Ruleset:
    return creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])


def refused_at(rs: Any, data: Any) -> list[str]:
    with pytest.raises(InputError) as info:
        creditrules.evaluate(rs, data)
    return [path for path, _ in info.value.problems]


# ------------------------------------------------------------------ YAML


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: &a [*a]\n", "an alias refers to a node that contains it"),
        ("x: &a {k: *a}\n", "an alias refers to a node that contains it"),
        ("x: " + "[" * 5_000 + "]" * 5_000 + "\n", "exceeded maximum nesting depth"),
        (
            "".join("  " * i + f"k{i}:\n" for i in range(2_000)) + "  " * 2_000 + "v\n",
            "exceeded maximum nesting depth",
        ),
        ("x: " + "[" * 100 + "]" * 100 + "\n", "nested more than 64 levels deep"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, c in zip("abcdefgh", "bcdefghi", strict=True)
            ),
            "expands to more than 100,000 values",
        ),
        ("x: " + "9" * 5_000 + "\n", "a number too long to read"),
        ("x: !foo bar\n", "could not determine a constructor for the tag '!foo'"),
        ("x: !!python/object/apply:os.system [echo]\n", "YAML tags are not supported"),
    ],
    ids=[
        "recursive-alias",
        "recursive-mapping-alias",
        "deep-flow",
        "deep-block",
        "deeper-than-64",
        "billion-laughs",
        "huge-int",
        "unknown-tag",
        "python-tag",
    ],
)
def test_yaml_that_crashed_or_hung_the_loader_is_a_diagnostic(text: str, message: str) -> None:
    loaded, diags = source.load_yaml_text(text, "f.yaml")
    assert loaded is None
    assert [d.code for d in diags] == ["CR101"]
    assert message in diags[0].message


def test_the_loader_keeps_nothing_between_files() -> None:
    # The builder used to share one PyYAML constructor at module level, which remembered
    # every scalar node of every file read (and was mutated by every thread reading one).
    assert not hasattr(source, "_LOADER")
    b = source._Builder("f.yaml")
    node = source._compose("a: 1\nb: [2, 3.5, null, true]\n")
    assert node is not None
    b.build(node, ())
    assert b.constructor.constructed_objects == {}


def test_threads_reading_yaml_at_once_read_the_same() -> None:
    folder = bundled_root() / "cn" / "hb" / "huangshi" / "2017"
    files = sorted(folder.glob("*.yaml"))
    expected = [source.load_yaml_file(f)[0].data for f in files]  # type: ignore[union-attr]
    got: list[list[Any]] = []
    lock = threading.Lock()

    def read() -> None:
        for _ in range(5):
            mine = [source.load_yaml_file(f)[0].data for f in files]  # type: ignore[union-attr]
            with lock:
                got.append(mine)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 40
    assert all(g == expected for g in got)


# ------------------------------------------------------------------ rulesets


def _huangshi_copy(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "hs" / "2017"
    shutil.copytree(bundled_root() / "cn" / "hb" / "huangshi" / "2017", folder)
    return folder


def test_a_rule_overriding_itself_is_refused(tmp_path: Path) -> None:
    folder = _huangshi_copy(tmp_path)
    p = folder / "lists.yaml"
    text = p.read_text(encoding="utf-8")
    rule = "hs2017.list.blacklist"
    assert f"  - id: {rule}\n" in text
    p.write_text(
        text.replace(f"  - id: {rule}\n", f"  - id: {rule}\n    overrides: [{rule}]\n"),
        encoding="utf-8",
    )
    diags = [d for d in creditrules.validate(folder) if d.severity == "error"]
    assert [(d.code, d.message) for d in diags] == [("CR306", f"rule '{rule}' overrides itself")]


@pytest.mark.parametrize(
    "text", ["P99999Y", "P9999999999D", "P101Y", "P1201M", "36601WD", "EOM+1201"]
)
def test_a_period_longer_than_a_hundred_years_is_refused(text: str) -> None:
    from creditrules.calendar import parse_duration

    with pytest.raises(ValueError, match="longer than 100 years"):
        parse_duration(text)


def test_a_hundred_years_is_accepted() -> None:
    from creditrules.calendar import parse_duration

    assert str(parse_duration("P100Y")) == "P100Y"


# ------------------------------------------------------------------ cases (Python API)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("records", 0, "domain"), "tax\ud800"),
        (("subject", "name"), "南通\udfff"),
        (("records", 0, "fields"), {"\ud83d": 1}),
        (("records", 0, "fields"), {"n": float("nan")}),
        (("records", 0, "fields"), {"n": float("inf")}),
        (("records", 0, "fields"), {"n": 2**53}),
        (("records", 0, "fields"), {"n": {1, 2}}),
        (("records", 0, "domain"), "tax\x00"),
        (("records", 0, "basis", "number"), "x" * (MAX_TEXT + 1)),
        (("records", 0, "fields"), {"note": "y" * 10_001}),
        (("records", 0, "intentional"), "true"),
        (("records", 0, "intentional"), 1),
        (("records", 0, "determined_on"), 0),
        (("records", 0, "determined_on"), 1_700_000_000),
        (("records", 0, "determined_on"), "2024-02-10T00:00:00"),
        (("records", 0, "determined_on"), "2024-02-10T00:00:00Z"),
        (("records", 0, "determined_on"), "9999-12-31"),
        (("records", 0, "determined_on"), "0001-01-01"),
    ],
    ids=[
        "surrogate-domain",
        "surrogate-name",
        "surrogate-key",
        "nan",
        "inf",
        "int-beyond-2^53",
        "set",
        "nul",
        "long-text",
        "long-free-text",
        "bool-as-text",
        "bool-as-number",
        "date-as-zero",
        "date-as-timestamp",
        "datetime",
        "datetime-z",
        "year-9999",
        "year-1",
    ],
)
def test_values_that_passed_or_crashed_are_refused_naming_the_field(
    rs: Any, case: dict[str, Any], path: tuple[Any, ...], value: Any
) -> None:
    data = copy.deepcopy(case)
    target = data
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    got = refused_at(rs, data)
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    assert got and all(g.startswith(where) for g in got), got


def test_fields_nested_deeper_than_python_can_walk_are_refused(
    rs: Any, case: dict[str, Any]
) -> None:
    deep: Any = 1
    for _ in range(50_000):
        deep = {"k": deep}
    data = copy.deepcopy(case)
    data["records"][0]["fields"] = {"x": deep}
    got = refused_at(rs, data)
    assert got == ["records[0].fields.x" + ".k" * 16]


@pytest.mark.parametrize("name", sorted(MAX_ITEMS))
def test_more_items_than_a_case_holds_are_refused_before_reading_them(
    rs: Any, case: dict[str, Any], name: str
) -> None:
    data = copy.deepcopy(case)
    n = MAX_ITEMS[name] + 1
    where = {
        "records": data,
        "events": data,
        "matters": data,
        "representatives": data["subject"],
        "penalties": data["records"][0]["basis"],
    }[name]
    where[name] = [None] * n
    got = refused_at(rs, data)
    assert got[0].endswith(name), got


def test_as_of_that_is_not_a_date_is_an_input_error(rs: Any, case: dict[str, Any]) -> None:
    for bad in ("tomorrow", "2026-13-01", "99999-01-01"):
        with pytest.raises(InputError) as info:
            creditrules.evaluate(rs, case, as_of=bad)
        assert info.value.problems[0][0] == "as_of"
    with pytest.raises(InputError):
        creditrules.evaluate("cn.js.nantong", dict(case, as_of="garbage"))


def test_a_thousand_records_are_answered(rs: Any, case: dict[str, Any]) -> None:
    data = copy.deepcopy(case)
    data["events"] = []
    data["records"] = [dict(case["records"][0], id=f"r{i}") for i in range(MAX_ITEMS["records"])]
    d = creditrules.evaluate(rs, data, backend="reference")
    assert len(d.records) == MAX_ITEMS["records"]


# ------------------------------------------------------------------ durable_rules sessions


def test_session_ids_of_facts_never_collide_in_the_engine() -> None:
    # durable_rules files a fact under the 32-bit FNV-1a hash of its id and compares hashes
    # only; the adapter numbers facts 0, 1, 2 … and those hashes are distinct below the bound.
    def fnv1a32(text: str) -> int:
        h = 0x811C9DC5
        for b in text.encode():
            h = ((h ^ b) * 16777619) & 0xFFFFFFFF
        return h

    limit = durable.MAX_SESSION_FACTS
    assert fnv1a32(str(40_189)) == fnv1a32(str(limit))
    seen = {fnv1a32(str(i)) for i in range(0, 200_000)}
    assert len(seen) == 200_000


def test_thirty_thousand_facts_in_one_session_are_all_kept() -> None:
    from creditrules.compile.ir import CompiledRule, TrueCond

    rule = CompiledRule(id="t.all", kind="record", cond=TrueCond(), level=0, rule=None)  # type: ignore[arg-type]
    facts = [{"_kind": "record", "_key": f"record:r{i}", "x": "a"} for i in range(30_000)]
    fired = durable.run("cr_test_session_facts", [rule], facts)
    assert len(fired) == 30_000


# ------------------------------------------------------------------ JSON text (CLI)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"a": ' + "9" * 5_000 + "}", "a number of 5,000 digits"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ('{"a": -Infinity}', "-Infinity is not a JSON number"),
        ('{"a": 1, "a": 2}', "duplicate key 'a'"),
    ],
    ids=["deep", "long-number", "nan", "infinity", "duplicate"],
)
def test_json_no_reader_should_take_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_json(text)


def test_the_cli_refuses_deep_json_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = tmp_path / "case.json"
    p.write_text('{"as_of": ' + "[" * 50_000 + "]" * 50_000 + "}", encoding="utf-8")
    code = main(["evaluate", "--ruleset", "cn.js.nantong", "--input", str(p)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("error: --input: ") and "nested too deeply" in err
    assert "Traceback" not in err


def test_the_cli_refuses_a_lone_surrogate_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: dict[str, Any]
) -> None:
    data = copy.deepcopy(case)
    data["records"][0]["behavior"] = "tax.major_violation\ud800"
    p = tmp_path / "case.json"
    p.write_text(json.dumps(data), encoding="utf-8")  # ASCII, the surrogate as \ud800
    code = main(["evaluate", "--ruleset", "cn.js.nantong", "--input", str(p)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: records[0].behavior: not Unicode text: a lone surrogate U+D800"
    ]


def test_a_file_gone_since_it_was_listed_is_a_diagnostic(tmp_path: Path) -> None:
    # The parent of a ruleset is also looked for two folders up; another program's
    # temporary folder vanishing meanwhile ended the search with FileNotFoundError.
    loaded, diags = source.load_yaml_file(tmp_path / "gone" / "ruleset.yaml")
    assert loaded is None
    assert [d.code for d in diags] == ["CR101"] and "cannot read the file" in diags[0].message


def test_strata_past_the_registration_bound_are_deleted_and_registered_again(
    monkeypatch: pytest.MonkeyPatch, rs: Any, case: dict[str, Any]
) -> None:
    # A process meeting ever new ruleset versions kept every durable_rules ruleset it had
    # registered (C memory each); past MAX_REGISTERED the least recently used are deleted.
    monkeypatch.setattr(durable, "MAX_REGISTERED", 4)
    other = creditrules.load_ruleset("cn.hb.huangshi", as_of=case["as_of"])
    first = creditrules.evaluate(rs, case).model_dump(mode="json")
    other_first = creditrules.evaluate(other, case).model_dump(mode="json")
    for _ in range(3):
        assert creditrules.evaluate(rs, case).model_dump(mode="json") == first
        assert creditrules.evaluate(other, case).model_dump(mode="json") == other_first
    biggest = max(len(v) for v in durable._registered.values())
    assert durable.live_rulesets() <= max(4, biggest)
    host = durable._get_host()
    assert set(host._ruleset_directory) == {c for v in durable._registered.values() for c in v}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda rs, case: creditrules.evaluate(rs, case, backend="bogus"), "backend"),  # type: ignore[arg-type]
        (lambda rs, case: creditrules.evaluate(None, case), "rs"),  # type: ignore[arg-type]
        (lambda rs, case: creditrules.evaluate(123, case), "rs"),  # type: ignore[arg-type]
        (lambda rs, case: creditrules.explain({"x": 1}), "decision"),
        (lambda rs, case: creditrules.explain("decision"), "decision"),  # type: ignore[arg-type]
    ],
    ids=["backend", "rs-none", "rs-int", "explain-dict", "explain-str"],
)
def test_misuse_of_the_api_is_an_input_error(
    rs: Any, case: dict[str, Any], call: Any, field: str
) -> None:
    # These were ValueError, AttributeError and KeyError.
    with pytest.raises(InputError) as info:
        call(rs, case)
    assert info.value.problems[0][0] == field


def test_the_cli_names_a_key_that_is_not_unicode_with_its_escape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: dict[str, Any]
) -> None:
    # Printing the field path with the lone surrogate in it was a UnicodeEncodeError.
    data = copy.deepcopy(case)
    data["records"][0]["\ud800"] = 1
    p = tmp_path / "case.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    code = main(["evaluate", "--ruleset", "cn.js.nantong", "--input", str(p)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "error: records[0].\\ud800: the key: not Unicode text: a lone surrogate U+D800"
    ]
