"""Where a measure that bars a matter applies, the matter's outcome is deny (the library's check)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import creditrules

FIXTURE = Path(__file__).resolve().parents[1] / "authoring_errors" / "CR507-bar-without-deny"

APPLY = """
  - id: t.measure.ban
    title: 禁止期内禁止参加政府采购活动
    applies_to: record
    when: {field: list.id, eq: procurement.ban}
    then:
      measure: {id: t.m.procurement_ban, until: none}
    cites:
      - {document: t.law, article: 第七十七条}
"""


def ruleset(tmp_path: Path, matter_rule: bool) -> Path:
    folder = tmp_path / "rs"
    shutil.copytree(FIXTURE, folder)
    (folder / "expected.txt").unlink()
    rules = (folder / "rules.yaml").read_text(encoding="utf-8")
    if not matter_rule:
        rules = rules[: rules.index("  - id: t.matter.procurement")]
    # The measure applies on the record whatever the matter rule says.
    (folder / "rules.yaml").write_text(rules + APPLY, encoding="utf-8")
    return folder


def case() -> dict[str, Any]:
    return {
        "as_of": "2025-06-01",
        "subject": {"id": "91320600MA1MXXXX9Y", "type": "legal_person"},
        "records": [
            {
                "id": "g1",
                "category": "negative",
                "basis": {"type": "admin_penalty", "procedure": "ordinary"},
                "determined_on": "2025-01-10",
                "list": {"id": "procurement.ban", "listed_on": "2025-01-10", "term": "P1Y"},
            }
        ],
        "matters": ["government_procurement"],
    }


def test_a_barring_measure_overrules_a_lighter_matter_answer(tmp_path: Path) -> None:
    folder = ruleset(tmp_path, matter_rule=True)
    # Validation reports the contradiction (CR507) ...
    assert "CR507" in [d.code for d in creditrules.validate(folder)]
    # ... and the engine never lets it through: the answer is deny, with the measure.
    rs, _ = creditrules.loader.load(folder)
    assert rs is not None
    d = creditrules.evaluate(rs, case(), backend="reference")
    (m,) = d.matters
    assert (m.outcome, m.measures) == ("deny", ["t.m.procurement_ban"])
    assert m.basis and m.basis[0].article == "第七十七条"


def test_a_barring_measure_answers_a_matter_no_rule_decides(tmp_path: Path) -> None:
    rs, _ = creditrules.loader.load(ruleset(tmp_path, matter_rule=False))
    assert rs is not None
    d = creditrules.evaluate(rs, case(), backend="reference")
    (m,) = d.matters
    assert (m.outcome, m.measures) == ("deny", ["t.m.procurement_ban"])


def test_no_barring_measure_no_deny(tmp_path: Path) -> None:
    rs, _ = creditrules.loader.load(ruleset(tmp_path, matter_rule=True))
    assert rs is not None
    c = case()
    c["records"][0]["list"]["id"] = "blacklist"
    d = creditrules.evaluate(rs, c, backend="reference")
    (m,) = d.matters
    assert m.outcome is None
