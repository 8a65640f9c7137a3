"""Digests are SHA-256 over RFC 8785 canonical JSON: numbers in ECMAScript form, keys in
UTF-16 order, and a value with no canonical form is bad input naming its field."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

import creditrules
from creditrules.canonical import canonical_bytes, is_canonical, sha256_hex
from creditrules.errors import InputError
from creditrules.evaluate.case_input import canonical, legacy_sha256_of, parse_case

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "nantong-2026.json"


@pytest.fixture(scope="module")
def case() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def rs() -> creditrules.Ruleset:
    return creditrules.load_ruleset("cn.js.nantong", as_of="2026-11-21")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # RFC 8785 appendix B and ECMAScript Number::toString, where Python's repr differs.
        (100.0, b"100"),
        (1e-7, b"1e-7"),
        (1e21, b"1e+21"),
        (1e23, b"1e+23"),
        (-0.0, b"0"),
        (333333333.33333329, b"333333333.3333333"),
        (9007199254740991, b"9007199254740991"),
        ({"b": 1, "a": [True, None, "\u20ac\n"]}, b'{"a":[true,null,"\xe2\x82\xac\\n"],"b":1}'),
        # UTF-16 order: U+1F600 (D83D DE00) sorts before U+FB33, unlike code point order.
        ({"\ufb33": 1, "\U0001f600": 2}, '{"\U0001f600":2,"\ufb33":1}'.encode()),
    ],
)
def test_rfc8785_forms(value: Any, text: bytes) -> None:
    assert canonical_bytes(value) == text
    assert sha256_hex(value) == hashlib.sha256(text).hexdigest()
    assert is_canonical(text)


@pytest.mark.parametrize(
    ("value", "where"),
    [
        ({"a": [1, {"b": 2**53}]}, "a[1].b"),
        ({"a": float("nan")}, "a"),
        ({"x": "lone \ud800 surrogate"}, "x"),
        ({"k": {"\udc00": 1}}, "k"),
        ({"big": [1e16]}, "big[0]"),
        ({"a": {"b": -2e20}}, "a.b"),
    ],
)
def test_values_without_a_canonical_form_name_their_field(value: Any, where: str) -> None:
    with pytest.raises(InputError) as exc:
        canonical_bytes(value)
    assert exc.value.problems[0][0] == where


def test_deep_nesting_is_an_input_error_not_a_recursion_error() -> None:
    value: Any = 1
    for _ in range(5000):
        value = [value]
    with pytest.raises(InputError):
        canonical_bytes(value)


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-(2**53) + 1, 2**53 - 1)
        | st.floats(-(2**53) + 1, 2**53 - 1)
        | st.text(st.characters(blacklist_categories=["Cs"])),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.text(st.characters(blacklist_categories=["Cs"]), max_size=5), inner, max_size=4
            )
        ),
        max_leaves=20,
    )
)
def test_canonical_bytes_are_rfc8785_and_stable(value: Any) -> None:
    raw = canonical_bytes(value)
    assert raw == rfc8785.dumps(value)
    assert canonical_bytes(json.loads(raw)) == raw


def test_input_sha256_is_rfc8785_of_the_full_input(
    rs: creditrules.Ruleset, case: dict[str, Any]
) -> None:
    d = creditrules.evaluate(rs, copy.deepcopy(case))
    full = canonical(parse_case(copy.deepcopy(case)))
    assert d.input_sha256 == hashlib.sha256(rfc8785.dumps(full)).hexdigest()
    pair = {"input": d.input_sha256, "ruleset": rs.sha256}
    assert d.decision_id == hashlib.sha256(rfc8785.dumps(pair)).hexdigest()


def test_numbers_hash_in_ecmascript_form(rs: creditrules.Ruleset, case: dict[str, Any]) -> None:
    """100.0 is "100" in RFC 8785 and "100.0" in Python's json: the digest is the former."""
    c = copy.deepcopy(case)
    c["records"][0]["fields"] = {"amount": 100.0}
    d = creditrules.evaluate(rs, c)
    full = canonical(parse_case(copy.deepcopy(c)))
    assert b'"amount":100' in rfc8785.dumps(full)
    assert d.input_sha256 == hashlib.sha256(rfc8785.dumps(full)).hexdigest()
    assert d.input_sha256 != legacy_sha256_of(full)


def test_replay_accepts_the_digest_decisions_carried_before(
    rs: creditrules.Ruleset, case: dict[str, Any]
) -> None:
    c = copy.deepcopy(case)
    c["records"][0]["fields"] = {"amount": 100.0}
    stored = creditrules.evaluate(rs, c).model_dump(mode="json", by_alias=True)
    assert creditrules.replay(stored, original=copy.deepcopy(c)).status == "identical"
    old = dict(stored, input_sha256=legacy_sha256_of(canonical(parse_case(copy.deepcopy(c)))))
    assert old["input_sha256"] != stored["input_sha256"]
    report = creditrules.replay(old, original=copy.deepcopy(c))
    assert report.status != "cannot_replay", report.render()
    wrong = copy.deepcopy(c)
    wrong["records"][0]["fields"] = {"amount": 101.0}
    assert creditrules.replay(stored, original=wrong).status == "cannot_replay"


def test_an_integer_beyond_2_53_is_bad_input(rs: creditrules.Ruleset, case: dict[str, Any]) -> None:
    c = copy.deepcopy(case)
    c["records"][0]["fields"] = {"amount": 2**60}
    with pytest.raises(InputError) as exc:
        creditrules.evaluate(rs, c)
    assert exc.value.problems[0][0] == "records[0].fields.amount"
