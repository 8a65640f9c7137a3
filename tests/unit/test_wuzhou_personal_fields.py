"""梧州（二十二）: a value about a natural person under ``records[].fields`` is not refused by name.

The paragraph forbids a way of collecting (未经授权、强制授权、一次授权终身), not a class of
information, so ``cn.gx.wuzhou`` declares no forbidden fields (note wz2022.reading.consent).
Nothing passes in silence all the same: the value is reported as read by no rule (W101) and is
masked in the Decision unless the caller asks for personal data.
"""

from __future__ import annotations

from typing import Any

import creditrules

VALUE = "AB型Rh阴性"


def case() -> dict[str, Any]:
    return {
        "as_of": "2025-11-20",
        "subject": {"id": "320682199003150024", "type": "natural_person", "name": "王五"},
        "records": [
            {
                "id": "r1",
                "category": "negative",
                "basis": {"type": "admin_penalty", "procedure": "ordinary"},
                "determined_on": "2025-06-15",
                "fields": {"blood_type": VALUE},
            }
        ],
    }


def test_a_personal_value_is_reported_and_masked_not_refused() -> None:
    rs = creditrules.load_ruleset("cn.gx.wuzhou", as_of="2025-11-20")
    decision = creditrules.evaluate(rs, case(), backend="reference")
    unread = [w for w in decision.warnings if w.code == "W101"]
    assert [w.field for w in unread] == ["records[0].fields.blood_type"]
    assert VALUE not in decision.model_dump_json()
    assert decision.records[0].publishable is False


def test_the_same_value_is_kept_when_the_caller_asks() -> None:
    rs = creditrules.load_ruleset("cn.gx.wuzhou", as_of="2025-11-20")
    decision = creditrules.evaluate(rs, case(), backend="reference", reveal_personal=True)
    assert VALUE in decision.model_dump_json()
