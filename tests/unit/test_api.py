"""The public Python API (CONTRACT.md v1, "Python API") and the Decision it returns."""

from __future__ import annotations

import copy
import json
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.loader import bundled_root

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "nantong-2026.json"
NANTONG = bundled_root() / "cn" / "js" / "nantong"


@pytest.fixture(scope="module")
def case() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def decision(case: dict[str, Any]) -> dict[str, Any]:
    rs = creditrules.load_ruleset("cn.js.nantong", as_of=case["as_of"])
    out: dict[str, Any] = creditrules.evaluate(rs, copy.deepcopy(case)).model_dump(
        mode="json", by_alias=True
    )
    return out


# ---------------------------------------------------------------- the façade


def test_all_is_deliberate() -> None:
    """Changing the public API is a decision: update this list and the CHANGELOG together."""
    assert creditrules.__all__ == [
        "CalendarError",
        "CreditRulesError",
        "Decision",
        "Diagnostic",
        "InputError",
        "LogError",
        "NotSupportedError",
        "ReplayReport",
        "RuleConflictError",
        "Ruleset",
        "RulesetError",
        "RulesetNotFoundError",
        "__version__",
        "evaluate",
        "explain",
        "list_rulesets",
        "load_ruleset",
        "log",
        "replay",
        "validate",
    ]
    for name in creditrules.__all__:
        assert hasattr(creditrules, name), name


def test_errors_share_one_root() -> None:
    for name in creditrules.__all__:
        obj = getattr(creditrules, name)
        if isinstance(obj, type) and name.endswith("Error"):
            assert issubclass(obj, creditrules.CreditRulesError), name


def test_version_is_the_installed_metadata_version() -> None:
    assert creditrules.__version__ == version("creditrules")


def test_decision_names_the_engine_version(decision: dict[str, Any]) -> None:
    assert decision["engine"]["creditrules"] == creditrules.__version__


# ---------------------------------------------------------------- load_ruleset


def test_as_of_picks_the_version_in_force_then() -> None:
    rs = creditrules.load_ruleset("cn.js.nantong", as_of="2017-06-01")
    assert (rs.id, rs.version) == ("cn.js.nantong", "2015")


def test_repeal_day_belongs_to_the_new_version() -> None:
    """通政发〔2018〕25号 第四十三条: in force from the day of issue, 2018-06-26."""
    assert creditrules.load_ruleset("cn.js.nantong", as_of="2018-06-25").version == "2015"
    assert creditrules.load_ruleset("cn.js.nantong", as_of="2018-06-26").version == "2018"


def test_as_of_today_picks_2021() -> None:
    """The 2021 plan (issued 2021-12-31) carries the 2018 measures on with the national layer."""
    assert creditrules.load_ruleset("cn.js.nantong", as_of="2026-11-21").version == "2021"
    assert creditrules.load_ruleset("cn.js.nantong", as_of="2021-12-30").version == "2018"


def test_as_of_accepts_a_date() -> None:
    from datetime import date

    assert creditrules.load_ruleset("cn.js.nantong", as_of=date(2026, 11, 21)).version == "2021"


def test_id_at_version() -> None:
    rs = creditrules.load_ruleset("cn.js.nantong@2018")
    assert (rs.id, rs.version, rs.ref) == ("cn.js.nantong", "2018", "cn.js.nantong@2018")


@pytest.mark.parametrize("as_path", [str, Path])
def test_a_folder_works(as_path: type) -> None:
    folder = NANTONG / "2018"
    rs = creditrules.load_ruleset(as_path(folder))
    bundled = creditrules.load_ruleset("cn.js.nantong@2018")
    assert (rs.id, rs.version, rs.sha256) == (bundled.id, bundled.version, bundled.sha256)


@pytest.mark.parametrize(
    ("ref", "as_of"),
    [("cn.js.nantongx", None), ("cn.js.nantong@2099", None), ("cn.js.nantong", "1999-01-01")],
)
def test_unknown_ruleset_raises_not_found(ref: str, as_of: str | None) -> None:
    with pytest.raises(creditrules.RulesetNotFoundError):
        creditrules.load_ruleset(ref, as_of=as_of)


def test_list_rulesets_has_nantong_2018() -> None:
    assert ("cn.js.nantong", "2018") in [(e.id, e.version) for e in creditrules.list_rulesets()]


# ---------------------------------------------------------------- evaluate


def test_evaluate_with_a_ruleset_id(case: dict[str, Any], decision: dict[str, Any]) -> None:
    d = creditrules.evaluate("cn.js.nantong", copy.deepcopy(case))
    assert isinstance(d, creditrules.Decision)
    assert d.ruleset.id == "cn.js.nantong" and d.ruleset.version == "2021"
    assert d.model_dump(mode="json", by_alias=True) == decision


def test_evaluate_with_the_input_model(case: dict[str, Any], decision: dict[str, Any]) -> None:
    from creditrules.model.case import Case

    d = creditrules.evaluate("cn.js.nantong", Case.model_validate(case))
    assert d.model_dump(mode="json", by_alias=True) == decision


def test_evaluate_does_not_change_the_case(case: dict[str, Any]) -> None:
    mine = copy.deepcopy(case)
    creditrules.evaluate("cn.js.nantong", mine)
    assert mine == case


def test_ids_are_stable_across_runs(case: dict[str, Any], decision: dict[str, Any]) -> None:
    again = creditrules.evaluate("cn.js.nantong", copy.deepcopy(case)).model_dump(
        mode="json", by_alias=True
    )
    assert again["decision_id"] == decision["decision_id"]
    assert again["input_sha256"] == decision["input_sha256"]
    assert again == decision


def test_ids_depend_on_the_input(case: dict[str, Any], decision: dict[str, Any]) -> None:
    other = copy.deepcopy(case)
    other["matters"] = ["government_procurement"]
    d = creditrules.evaluate("cn.js.nantong", other).model_dump(mode="json", by_alias=True)
    assert d["input_sha256"] != decision["input_sha256"]
    assert d["decision_id"] != decision["decision_id"]


def test_ids_are_sha256_hex(decision: dict[str, Any]) -> None:
    for key in ("decision_id", "input_sha256"):
        assert len(decision[key]) == 64 and int(decision[key], 16) >= 0
    assert len(decision["ruleset"]["sha256"]) == 64


# ---------------------------------------------------------------- the Decision document

CONTRACT_FIELDS = {
    "": [
        "schema_version",
        "decision_id",
        "as_of",
        "ruleset",
        "engine",
        "input_sha256",
        "subject",
        "records",
        "lists",
        "measures",
        "matters",
        "deadlines",
        "grade",
        "trace",
    ],
    "ruleset": ["id", "version", "sha256"],
    "engine": ["creditrules", "durable_rules"],
    "subject": ["id", "type"],
    "records[]": [
        "id",
        "severity",
        "status",
        "publishable",
        "usable_for_sanction",
        "publication",
        "repair",
        "basis",
    ],
    "records[].publication": ["from", "min_until", "max_until", "basis"],
    "records[].repair": ["eligible", "earliest_on", "unmet", "never", "basis"],
    "lists[]": ["list", "active", "since", "until", "because", "basis"],
    "measures[]": ["id", "title", "kind", "target", "until", "because", "basis"],
    "matters[]": ["matter", "outcome", "measures", "basis"],
    "deadlines[]": ["procedure", "event", "from", "due", "working_days", "basis"],
    "grade": ["code", "title", "supervision", "basis"],
}


def _at(d: dict[str, Any], path: str) -> list[dict[str, Any]]:
    """The objects a CONTRACT_FIELDS path names."""
    objs: list[Any] = [d]
    for part in filter(None, path.split(".")):
        name, many = part.removesuffix("[]"), part.endswith("[]")
        objs = [o[name] for o in objs if o.get(name) is not None]
        if many:
            objs = [x for o in objs for x in o]
    return objs


def test_decision_has_every_contract_field(decision: dict[str, Any]) -> None:
    assert decision["schema_version"] == 1
    for path, keys in CONTRACT_FIELDS.items():
        for obj in _at(decision, path):
            missing = [k for k in keys if k not in obj]
            assert not missing, f"{path or 'decision'} lacks {missing}"


def test_the_example_exercises_every_section(decision: dict[str, Any]) -> None:
    """Otherwise the basis checks below would pass on empty lists."""
    for key in ("records", "lists", "measures", "matters", "deadlines"):
        assert decision[key], key
    assert any(m["outcome"] is not None for m in decision["matters"])


def _conclusions(d: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for r in d["records"]:
        out += [
            (f"records[{r['id']}] status", r),
            (f"records[{r['id']}].publication", r["publication"]),
            (f"records[{r['id']}].repair", r["repair"]),
        ]
    out += [(f"lists[{x['list']}]", x) for x in d["lists"]]
    out += [(f"measures[{x['id']}]", x) for x in d["measures"]]
    out += [(f"matters[{x['matter']}]", x) for x in d["matters"] if x["outcome"] is not None]
    out += [(f"deadlines[{x['procedure']}]", x) for x in d["deadlines"]]
    if d["grade"] is not None:
        out.append(("grade", d["grade"]))
    return out


def test_every_conclusion_cites_the_law(decision: dict[str, Any]) -> None:
    for where, obj in _conclusions(decision):
        assert obj["basis"], f"{where} has no basis"
        for c in obj["basis"]:
            assert {"document", "number", "article", "text", "kind"} <= set(c), where
            assert c["kind"] in ("quote", "summary"), where
            for key in ("document", "article", "text"):
                assert isinstance(c[key], str) and c[key].strip(), f"{where}: empty {key}"
            # A number, or a stated reason for having none.
            assert (c["number"] or "").strip() or (c["no_number_reason"] or "").strip(), where
            # Written as in the instrument: 第三十条, （七）, or a plan's part such as 三（二）2.
            assert not c["article"].isascii(), f"{where}: article {c['article']!r}"


def test_a_matter_without_a_rule_says_so(decision: dict[str, Any]) -> None:
    """CONTRACT: no rule for a requested matter gives ``outcome: null`` with a reason."""
    (hc,) = [m for m in decision["matters"] if m["matter"] == "high_consumption"]
    assert hc["outcome"] is None and hc["reason"]


def test_every_requested_matter_is_answered(case: dict[str, Any], decision: dict[str, Any]) -> None:
    assert [m["matter"] for m in decision["matters"]] == case["matters"]


def test_subject_id_is_masked(case: dict[str, Any], decision: dict[str, Any]) -> None:
    raw = case["subject"]["id"]
    masked = decision["subject"]["id"]
    assert len(masked) == len(raw)
    assert masked[:4] == raw[:4] and masked[-2:] == raw[-2:]
    assert set(masked[4:-2]) == {"*"}
    assert masked == "9132************9Y"


def test_person_ids_are_masked(case: dict[str, Any], decision: dict[str, Any]) -> None:
    raw = case["subject"]["representatives"][0]["id"]
    people = [m["person"] for m in decision["measures"] if m.get("person")]
    assert people, "the example names a legal representative"
    for p in people:
        assert p == raw[:4] + "*" * (len(raw) - 6) + raw[-2:]


def test_no_raw_identifier_outside_the_stored_input(
    case: dict[str, Any], decision: dict[str, Any]
) -> None:
    published = {k: v for k, v in decision.items() if k != "input"}
    text = json.dumps(published, ensure_ascii=False)
    assert case["subject"]["id"] not in text
    assert case["subject"]["representatives"][0]["id"] not in text


def test_explain_and_replay_mirror_the_cli(decision: dict[str, Any]) -> None:
    assert creditrules.explain(decision).startswith("# 信用决定说明")
    assert creditrules.explain(decision, lang="en").startswith("# Credit decision: ")
    report = creditrules.replay(decision)
    assert (report.status, report.exit_code) == ("identical", 0)


def test_validate_bundled_is_clean() -> None:
    diags = creditrules.validate(bundled_root())
    assert [d for d in diags if d.severity == "error"] == []
