"""Property: no decision, explanation or log entry made without ``reveal_personal`` holds a
natural person's identifier or name in full; with it, they are all there (so the check can
fail)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules import log as decision_log
from creditrules.evaluate.privacy import unmasked_personal_values

AS_OF = date(2026, 11, 21)
#: Characters that occur nowhere in the package (rulesets, templates): a name made of them
#: found in an output can only have come from the input.
NAME_CHARS = "犇鑫淼垚焱骉羴猋舙毳叒芔茻燚龘"
ORG_ID = "91320600MA1MXXXX9Y"
ORG_TYPES = ["legal_person", "unincorporated_org", "individual_business", "government_body"]
ROLES = ["legal_representative", "principal", "directly_responsible", "actual_controller"]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _resident_id(region: str, born: date, seq: str) -> str:
    body = region + born.strftime("%Y%m%d") + seq
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]


resident_ids = st.builds(
    _resident_id,
    st.sampled_from(["320602", "320682", "450400", "420200"]),
    st.dates(min_value=date(1940, 1, 1), max_value=date(2004, 12, 31)),
    st.text("0123456789", min_size=3, max_size=3),
)
names = st.text(NAME_CHARS, min_size=2, max_size=4)
representatives = st.lists(
    st.fixed_dictionaries(
        {"id": resident_ids, "role": st.sampled_from(ROLES)},
        optional={"name": names},
    ),
    max_size=3,
)


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    person = draw(st.booleans())
    if person:
        subject: dict[str, Any] = {
            "id": draw(resident_ids),
            "type": draw(st.sampled_from(["natural_person", "civil_servant"])),
        }
        if draw(st.booleans()):
            subject["birth_date"] = "1990-03-15"
    else:
        subject = {"id": ORG_ID, "type": draw(st.sampled_from(ORG_TYPES)), "name": "某某有限公司"}
        subject["representatives"] = draw(representatives)
    if person and draw(st.booleans()):
        subject["name"] = draw(names)
    determined = AS_OF - timedelta(days=draw(st.integers(min_value=1, max_value=1500)))
    record: dict[str, Any] = {
        "id": "r1",
        "category": "negative",
        "severity": draw(st.sampled_from(["minor", "general", "serious"])),
        "basis": {"type": "admin_penalty", "number": "某罚〔2024〕1号", "procedure": "ordinary"},
        "determined_on": determined.isoformat(),
    }
    if draw(st.booleans()):
        record["list"] = {
            "id": "tax.major_violation",
            "listed_on": determined.isoformat(),
            "ground": "evasion",
        }
        record["published_on"] = determined.isoformat()
    if draw(st.booleans()):
        record["fields"] = {"经办人": draw(names), "note": draw(resident_ids)}
    return {
        "as_of": AS_OF.isoformat(),
        "subject": subject,
        "records": [record],
        "matters": ["government_procurement"],
    }


@pytest.fixture(scope="module")
def rulesets() -> list[Any]:
    return [
        creditrules.load_ruleset(ref, as_of=AS_OF.isoformat())
        for ref in ("cn.js.nantong", "cn.gx.wuzhou", "cn.national")
    ]


def _secrets(case: dict[str, Any]) -> list[str]:
    fields = case["records"][0].get("fields", {})
    return unmasked_personal_values(case) + [str(v) for v in fields.values()]


def _outputs(decision: Any, dl: decision_log.DecisionLog) -> list[str]:
    entry = dl.append(decision, decided_at="2026-11-21T09:30+08:00")
    return [
        json.dumps(decision.model_dump(mode="json", by_alias=True), ensure_ascii=False),
        creditrules.explain(decision, lang="zh"),
        creditrules.explain(decision, lang="en"),
        entry.text,
    ]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=cases(), which=st.integers(min_value=0, max_value=2))
def test_no_output_names_a_person_unless_asked(
    case: dict[str, Any], which: int, rulesets: list[Any], tmp_path: Path
) -> None:
    rs = rulesets[which]
    secrets = _secrets(case)
    with decision_log.open_log(tmp_path / "log.sqlite", create=True) as dl:
        masked = creditrules.evaluate(rs, case)
        for text in _outputs(masked, dl):
            for secret in secrets:
                assert secret not in text
        revealed = creditrules.evaluate(rs, case, reveal_personal=True)
        assert revealed.masked == []
        shown = "\n".join(_outputs(revealed, dl))
        for secret in secrets:
            assert secret in shown
