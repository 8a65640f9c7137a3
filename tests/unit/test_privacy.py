"""Privacy by default: what names a natural person is masked in decisions, explanations
and logs unless the caller asks for it; forbidden information reaches no output; replay
of a masked decision says what it needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules import log as decision_log
from creditrules.errors import InputError
from creditrules.evaluate.privacy import mask_input, pointer, unmasked_personal_values

AS_OF = "2026-11-21"
PERSON_ID = "320682199003150024"
ORG_ID = "91320600MA1MXXXX9Y"


def _resident_id(body: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


REP_ID = _resident_id("32060219800101123")


def person_case(**subject: Any) -> dict[str, Any]:
    return {
        "as_of": AS_OF,
        "subject": {
            "id": PERSON_ID,
            "type": "natural_person",
            "name": "王五",
            "birth_date": "1990-03-15",
            **subject,
        },
        "records": [
            {
                "id": "r1",
                "category": "negative",
                "severity": "general",
                "basis": {
                    "type": "admin_penalty",
                    "number": "通市监罚〔2026〕3号",
                    "procedure": "ordinary",
                    "penalties": ["fine_large"],
                },
                "determined_on": "2026-05-10",
                "fields": {"经办人": "赵六", "amount": 3000},
            }
        ],
    }


def org_case() -> dict[str, Any]:
    return {
        "as_of": AS_OF,
        "subject": {
            "id": ORG_ID,
            "type": "legal_person",
            "name": "南通某某贸易有限公司",
            "representatives": [
                {"id": REP_ID, "role": "legal_representative", "name": "张三"},
                {"id": _resident_id("32060219850505123"), "role": "directly_responsible"},
            ],
        },
        "records": [
            {
                "id": "r1",
                "category": "negative",
                "domain": "tax",
                "behavior": "tax.major_violation",
                "severity": "serious",
                "basis": {
                    "type": "admin_penalty",
                    "number": "通税稽罚〔2026〕12号",
                    "issued_on": "2026-02-10",
                    "procedure": "ordinary",
                    "penalties": ["fine_large"],
                },
                "determined_on": "2026-02-10",
                "published_on": "2026-02-10",
                "list": {
                    "id": "tax.major_violation",
                    "listed_on": "2026-02-20",
                    "ground": "evasion",
                },
            }
        ],
        "matters": ["government_procurement"],
    }


@pytest.fixture(scope="module")
def nantong() -> Any:
    return creditrules.load_ruleset("cn.js.nantong", as_of=AS_OF)


def _everything(decision: Any) -> list[str]:
    """Every text a caller can get from the decision: JSON, explanations in both languages."""
    return [
        json.dumps(decision.model_dump(mode="json", by_alias=True), ensure_ascii=False),
        creditrules.explain(decision, lang="zh"),
        creditrules.explain(decision, lang="en"),
    ]


def test_a_natural_person_is_masked_by_default_and_masked_lists_where(nantong: Any) -> None:
    d = creditrules.evaluate(nantong, person_case())
    assert d.subject.id == "3206************24"
    stored = d.input["subject"]
    assert stored["id"] == "3206************24"
    assert stored["name"] == "王*"
    assert stored["birth_date"] is None
    assert d.input["records"][0]["fields"] == {"经办人": "**", "amount": 3000}
    assert d.masked == [
        "/subject/id",
        "/input/subject/id",
        "/input/subject/name",
        "/input/subject/birth_date",
        "/input/records/0/fields/经办人",
    ]
    for text in _everything(d):
        for value in (PERSON_ID, "王五", "1990-03-15", "赵六"):
            assert value not in text


def test_reveal_personal_keeps_everything_and_masks_nothing(nantong: Any) -> None:
    d = creditrules.evaluate(nantong, person_case(), reveal_personal=True)
    assert d.masked == []
    assert d.subject.id == PERSON_ID
    assert d.input["subject"]["name"] == "王五"
    assert d.input["subject"]["birth_date"] == "1990-03-15"
    assert PERSON_ID in creditrules.explain(d, lang="zh")


def test_masking_changes_no_conclusion(nantong: Any) -> None:
    masked = creditrules.evaluate(nantong, org_case()).model_dump(mode="json", by_alias=True)
    full = creditrules.evaluate(nantong, org_case(), reveal_personal=True).model_dump(
        mode="json", by_alias=True
    )
    for key in ("records", "lists", "matters", "deadlines", "grade", "trace", "warnings"):
        assert masked[key] == full[key]
    assert masked["input_sha256"] == full["input_sha256"]
    assert masked["decision_id"] == full["decision_id"]


def test_an_organisation_keeps_its_code_and_name_but_not_its_people(nantong: Any) -> None:
    case = org_case()
    d = creditrules.evaluate(nantong, case)
    assert d.input["subject"]["id"] == case["subject"]["id"]
    assert d.input["subject"]["name"] == "南通某某贸易有限公司"
    reps = d.input["subject"]["representatives"]
    assert reps[0] == {
        "id": "3206************" + REP_ID[-2:],
        "role": "legal_representative",
        "name": "张*",
    }
    assert "/input/subject/representatives/0/id" in d.masked
    assert "/input/subject/representatives/0/name" in d.masked
    assert "/input/subject/representatives/1/id" in d.masked
    assert "/input/subject/id" not in d.masked
    people = [m for m in d.measures if m.person]
    assert people, "the case should give a measure on a person"
    for i, m in enumerate(d.measures):
        if m.person:
            assert "*" in m.person
            assert f"/measures/{i}/person" in d.masked
    for text in _everything(d):
        for value in unmasked_personal_values(case):
            assert value not in text


def test_every_masked_pointer_points_at_a_masked_value(nantong: Any) -> None:
    d = creditrules.evaluate(nantong, org_case()).model_dump(mode="json", by_alias=True)
    for ptr in d["masked"]:
        node: Any = d
        for part in ptr.split("/")[1:]:
            key = part.replace("~1", "/").replace("~0", "~")
            node = node[int(key)] if isinstance(node, list) else node[key]
        assert node is None or "*" in node


def test_pointer_escapes_slash_and_tilde() -> None:
    assert pointer("input", "records", 0, "fields", "a/b~c") == "/input/records/0/fields/a~1b~0c"


def test_masking_a_masked_input_changes_nothing() -> None:
    once, first = mask_input(person_case())
    twice, second = mask_input(once)
    assert twice == once
    assert "/input/subject/birth_date" in first
    assert "/input/subject/birth_date" not in second


def test_a_log_entry_holds_no_unmasked_person(nantong: Any, tmp_path: Path) -> None:
    url = tmp_path / "log.sqlite"
    case = org_case()
    creditrules.evaluate(nantong, case, log=url, decided_at="2026-11-21T09:30+08:00")
    [entry] = list(decision_log.entries(url))
    for value in unmasked_personal_values(case):
        assert value not in entry.text
    assert entry.decision["masked"]


# ---------------------------------------------------------------- replay


def test_replay_of_a_masked_decision_the_rules_do_not_need_is_identical(nantong: Any) -> None:
    d = creditrules.evaluate(nantong, org_case())
    report = creditrules.replay(d.model_dump(mode="json", by_alias=True))
    assert report.status == "identical", report.render()


def test_replay_refuses_a_masked_value_the_rules_read_and_asks_for_the_input(
    nantong: Any,
) -> None:
    d = creditrules.evaluate(nantong, person_case()).model_dump(mode="json", by_alias=True)
    report = creditrules.replay(d)
    assert report.status == "cannot_replay"
    assert "/input/subject/birth_date" in report.message
    assert "--input" in report.message
    assert "/input/subject/name" in report.message
    again = creditrules.replay(d, original=person_case())
    assert again.status == "identical", again.render()


def test_replay_of_a_revealed_decision_is_replayed_revealed(nantong: Any) -> None:
    d = creditrules.evaluate(nantong, person_case(), reveal_personal=True)
    report = creditrules.replay(d.model_dump(mode="json", by_alias=True))
    assert report.status == "identical", report.render()


def test_replay_of_a_decision_made_before_masked_existed(nantong: Any) -> None:
    case = org_case()
    d = creditrules.evaluate(nantong, case).model_dump(mode="json", by_alias=True)
    del d["masked"]
    assert creditrules.replay(d).status == "identical"


def test_replay_cli_names_the_masked_fields(nantong: Any, tmp_path: Path) -> None:
    from creditrules.cli.main import main

    d = creditrules.evaluate(nantong, person_case()).model_dump(mode="json", by_alias=True)
    path = tmp_path / "d.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    assert main(["replay", str(path)]) == 2
    original = tmp_path / "case.json"
    original.write_text(json.dumps(person_case(), ensure_ascii=False), encoding="utf-8")
    assert main(["replay", str(path), "--input", str(original)]) == 0


# ---------------------------------------------------------------- forbidden information

FORBIDDEN = "AB型Rh阴性"


def _with_blood_type(case: dict[str, Any]) -> dict[str, Any]:
    case = json.loads(json.dumps(case))
    case["records"][0]["fields"] = {"血型": FORBIDDEN}
    return case


def test_forbidden_information_is_refused_and_not_logged(nantong: Any, tmp_path: Path) -> None:
    url = tmp_path / "log.sqlite"
    with pytest.raises(InputError) as exc:
        creditrules.evaluate(
            nantong, _with_blood_type(org_case()), log=url, decided_at="2026-11-21T09:30+08:00"
        )
    assert "records[0].fields.血型" in str(exc.value)
    assert FORBIDDEN not in str(exc.value)
    assert not url.exists() or not list(decision_log.entries(url))


def test_a_log_refuses_a_decision_document_holding_forbidden_information(
    nantong: Any, tmp_path: Path
) -> None:
    d = creditrules.evaluate(nantong, org_case()).model_dump(mode="json", by_alias=True)
    d["input"]["records"][0]["fields"] = {"blood_type": FORBIDDEN}
    url = tmp_path / "log.sqlite"
    with pytest.raises(InputError) as exc:
        decision_log.append(url, d, decided_at="2026-11-21T09:30+08:00")
    assert "decision.input.records[0].fields.blood_type" in str(exc.value)
    assert not url.exists() or not list(decision_log.entries(url))


def test_forbidden_information_reaches_no_batch_or_impact_output(tmp_path: Path) -> None:
    from creditrules.cli.main import main

    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        json.dumps(org_case(), ensure_ascii=False)
        + "\n"
        + json.dumps(_with_blood_type(org_case()), ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    main(["batch", "--ruleset", "cn.js.nantong", "--input", str(cases), "--output", str(out)])
    written = out.read_text(encoding="utf-8")
    assert written.count("\n") == 1
    assert FORBIDDEN not in written and "血型" not in written
    for value in unmasked_personal_values(org_case()):
        assert value not in written


def test_explain_and_replay_of_a_forged_decision_do_not_show_forbidden_values(
    nantong: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from creditrules.cli.main import main

    d = creditrules.evaluate(nantong, org_case()).model_dump(mode="json", by_alias=True)
    d["input"]["records"][0]["fields"] = {"blood_type": FORBIDDEN}
    path = tmp_path / "d.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    main(["explain", str(path)])
    main(["explain", str(path), "--lang", "en"])
    assert main(["replay", str(path)]) == 2
    seen = capsys.readouterr()
    assert FORBIDDEN not in seen.out + seen.err
