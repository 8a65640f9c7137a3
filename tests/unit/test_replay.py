"""creditrules.replay: a stored decision re-evaluated against the ruleset that made it."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.loader import bundled_root

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "nantong-2026.json"
NANTONG_2018 = bundled_root() / "cn" / "js" / "nantong" / "2018"


def _decide(case: dict[str, Any]) -> dict[str, Any]:
    """Evaluate and store the decision the way a caller would: as JSON text, read back."""
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    text = creditrules.evaluate(rs, case).model_dump_json(by_alias=True)
    return json.loads(text)


def case_2018() -> dict[str, Any]:
    """The example moved into the 2018 version's time: a serious record determined on
    2018-08-10 (valid for 3 years, to 2021-08-10), evaluated on 2020-11-21."""
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    case["as_of"] = "2020-11-21"
    rec = case["records"][0]
    rec["determined_on"] = rec["published_on"] = rec["basis"]["issued_on"] = "2018-08-10"
    rec["list"]["listed_on"] = "2018-08-20"
    case["events"] = [
        {"type": "objection_filed", "record": "r1", "on": "2020-09-30"},
        {"type": "repair_applied", "record": "r1", "on": "2020-10-12", "pledge": True},
    ]
    return case


BUG_PARENT = (
    "REGRESSION (bug found by these tests): creditrules.replay.replay must load each candidate "
    "with the decision's as_of (load(e.folder, on=as_of, ...)). Without it, a version that "
    "`extends` another gets the parent in force on its own effective_from, not the one "
    "evaluate used; the chain hash never matches, and replay compares against the wrong law "
    "and reports hundreds of differences. "
)


@pytest.fixture(scope="module", params=["example-2026", "moved-to-2020"])
def example_decision(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The example decision (today's version, which extends cn.national) and the same case
    moved to 2020 (the 2018 version, which extends nothing)."""
    if request.param == "example-2026":
        return _decide(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    return _decide(case_2018())


def test_replaying_an_untouched_decision_is_identical(example_decision: dict[str, Any]) -> None:
    report = creditrules.replay(example_decision)
    assert report.status == "identical", BUG_PARENT + report.render()[:600]
    assert report.exit_code == 0
    assert report.differences == []
    assert example_decision["ruleset"]["sha256"][:12] in (report.ruleset or "")


def test_replay_uses_the_parent_in_force_on_the_decision_date() -> None:
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    assert rs.parent is not None, f"{rs.ref} should extend the national layer on {case['as_of']}"
    decision = creditrules.evaluate(rs, case).model_dump(mode="json", by_alias=True)
    report = creditrules.replay(decision)
    assert rs.sha256[:12] in (report.ruleset or ""), (
        BUG_PARENT + f"stored {rs.ref}+{rs.parent.ref} ({rs.sha256[:12]}), replayed against "
        f"{report.ruleset}"
    )


def test_replay_accepts_the_pydantic_decision_too() -> None:
    case = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    decision = creditrules.evaluate(
        creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"]), case
    )
    assert creditrules.replay(decision).status == "identical", BUG_PARENT


def test_a_tampered_output_value_differs_at_its_path(example_decision: dict[str, Any]) -> None:
    tampered = copy.deepcopy(example_decision)
    old = tampered["records"][0]["status"]
    tampered["records"][0]["status"] = "expired" if old != "expired" else "active"
    report = creditrules.replay(tampered)
    assert report.status == "differs"
    assert report.exit_code == 1
    assert any(d.startswith("records[0].status:") for d in report.differences), report.differences
    assert len(report.differences) == 1, BUG_PARENT + str(report.differences[:5])
    assert "records[0].status" in report.render()


def test_a_tampered_date_differs_at_its_path(example_decision: dict[str, Any]) -> None:
    tampered = copy.deepcopy(example_decision)
    tampered["records"][0]["validity_until"] = "1999-01-01"
    report = creditrules.replay(tampered)
    assert report.status == "differs"
    paths = [d.split(":")[0] for d in report.differences]
    assert paths == ["records[0].validity_until"], BUG_PARENT + str(paths[:5])


def test_the_engine_field_is_not_a_difference(example_decision: dict[str, Any]) -> None:
    changed = copy.deepcopy(example_decision)
    changed["engine"]["creditrules"] = "0.0.0-other"
    assert creditrules.replay(changed).status == "identical", BUG_PARENT


def test_the_2018_decision_replays_identically_against_an_unchanged_copy(tmp_path: Path) -> None:
    decision = _decide(case_2018())
    assert decision["ruleset"]["version"] == "2018"
    shutil.copytree(NANTONG_2018, tmp_path / "2018")
    report = creditrules.replay(decision, roots=[tmp_path])
    assert report.status == "identical", report.render()


def test_an_edited_ruleset_copy_changes_the_replay(tmp_path: Path) -> None:
    decision = _decide(case_2018())
    assert decision["ruleset"]["version"] == "2018"
    assert decision["records"][0]["validity_until"] == "2021-08-10"
    folder = tmp_path / "2018"
    shutil.copytree(NANTONG_2018, folder)
    records = folder / "records.yaml"
    text = records.read_text(encoding="utf-8")
    serious = "period: {name: validity, from: determined_on, duration: P3Y}"
    assert text.count(serious) == 1, "the serious validity period moved; update this test"
    records.write_text(text.replace(serious, serious.replace("P3Y", "P2Y")), encoding="utf-8")

    report = creditrules.replay(decision, roots=[tmp_path])

    assert report.status == "differs", (
        "REGRESSION (bug found by these tests): with roots=[DIR] holding an edited copy of a "
        "bundled version, replay must use the copy. It once preferred the bundled folder with "
        "the stored sha256 and answered 'identical', so `creditrules replay --rulesets DIR` "
        "could never show what an edit changes. Fix: search the given roots first, the "
        "bundled rulesets only when the roots hold no version with the stored id and version. "
        f"Got: {report.render()}"
    )
    assert report.exit_code == 1
    paths = {d.split(":")[0] for d in report.differences}
    assert "ruleset.sha256" in paths, report.differences
    assert report.differences[0].startswith("ruleset.sha256"), "the hash change comes first"
    assert "records[0].validity_until" in paths
    assert "records[0].publication.max_until" in paths
    changed = next(d for d in report.differences if d.startswith("records[0].validity_until"))
    assert "2021-08-10" in changed and "2020-08-10" in changed


def test_an_unknown_ruleset_id_cannot_be_replayed(example_decision: dict[str, Any]) -> None:
    other = copy.deepcopy(example_decision)
    other["ruleset"]["id"] = "cn.xx.nowhere"
    report = creditrules.replay(other)
    assert report.status == "cannot_replay"
    assert report.exit_code == 2
    assert "cn.xx.nowhere" in report.message


def test_an_unknown_version_and_hash_cannot_be_replayed(example_decision: dict[str, Any]) -> None:
    other = copy.deepcopy(example_decision)
    other["ruleset"]["version"] = "1999"
    other["ruleset"]["sha256"] = "0" * 64
    report = creditrules.replay(other)
    assert report.status == "cannot_replay"
    assert report.exit_code == 2
    assert "cannot replay" in report.render()


@pytest.mark.parametrize(
    "garbage",
    [
        {},
        {"hello": "world"},
        {"schema_version": 1, "decision_id": "x"},
        {"schema_version": 1, "ruleset": "cn.js.nantong"},
    ],
)
def test_garbage_cannot_be_replayed(garbage: dict[str, Any]) -> None:
    report = creditrules.replay(garbage)
    assert report.status == "cannot_replay"
    assert report.exit_code == 2
    assert report.message


def test_a_decision_without_its_input_cannot_be_replayed(example_decision: dict[str, Any]) -> None:
    broken = copy.deepcopy(example_decision)
    del broken["input"]
    assert creditrules.replay(broken).status == "cannot_replay"


def test_a_stored_input_that_no_longer_validates_cannot_be_replayed(
    example_decision: dict[str, Any],
) -> None:
    broken = copy.deepcopy(example_decision)
    broken["input"]["subject"]["id"] = "91320600MA1MXXXX9Z"  # wrong check character
    report = creditrules.replay(broken)
    assert report.status == "cannot_replay"
    assert "subject.id" in report.message
