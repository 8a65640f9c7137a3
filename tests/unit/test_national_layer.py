"""Every city version on the national law of the evaluation date (``extends`` by date)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pytest

import creditrules
from creditrules.errors import RulesetError
from creditrules.loader import bundled_root, layered

CITY = ["cn.js.nantong@2015", "cn.js.nantong@2018", "cn.hb.huangshi@2017"]
#: These cite national measures and rules, so they cannot stand without a national version.
ON_NATIONAL = ["cn.js.nantong@2021", "cn.gx.wuzhou@2022"]
SWITCHES = [
    # Before 政府采购法 took effect (第八十八条: 2003-01-01) there is no national layer.
    ("2002-12-31", None),
    ("2003-01-01", "2003"),
    # Before 国办发〔2020〕49号 the layer is the sector instruments alone.
    ("2017-04-30", "2003"),
    ("2019-07-01", "2003"),
    ("2020-12-06", "2003"),
    ("2020-12-07", "2020"),
    ("2023-04-30", "2020"),
    ("2023-05-01", "2023"),
    ("2026-03-31", "2023"),
    ("2026-04-01", "2026"),
]


def case(as_of: str, **extra: Any) -> dict[str, Any]:
    return {
        "as_of": as_of,
        "subject": {"id": "91320600MA1MXXXX9Y", "type": "legal_person", "name": "某公司"},
        "records": [],
        **extra,
    }


@pytest.mark.parametrize("ref", CITY + ON_NATIONAL)
@pytest.mark.parametrize(("as_of", "national"), SWITCHES)
def test_pinned_version_stands_on_the_national_version_of_the_date(
    ref: str, as_of: str, national: str | None
) -> None:
    rs = creditrules.load_ruleset(ref)
    if national is None and ref in ON_NATIONAL:
        with pytest.raises(RulesetError, match="not supported"):
            creditrules.evaluate(rs, case(as_of), backend="reference")
        return
    d = creditrules.evaluate(rs, case(as_of), backend="reference")
    assert (d.ruleset.id, d.ruleset.version) == tuple(ref.split("@"))
    want = [] if national is None else [("cn.national", national)]
    assert [(x.id, x.version) for x in d.ruleset.layers] == want


def test_layering_is_reused_and_left_alone_when_the_parent_is_already_that_of_the_date() -> None:
    rs = creditrules.load_ruleset("cn.js.nantong@2021", as_of="2026-11-21")
    assert [p.ref for p in rs.layers()] == ["cn.national@2026"]
    same, diags = layered(rs, date(2026, 4, 1))
    assert same is rs and diags == []
    older, _ = layered(rs, date(2022, 6, 1))
    assert [p.ref for p in older.layers()] == ["cn.national@2020"]
    assert older.rules is rs.rules  # the city's own files are not read again
    again, _ = layered(rs, date(2023, 1, 1))
    assert again is older


def test_the_hash_covers_the_national_version_used() -> None:
    rs = creditrules.load_ruleset("cn.js.nantong@2018")
    before = creditrules.evaluate(rs, case("2023-04-30"), backend="reference").ruleset
    after = creditrules.evaluate(rs, case("2023-05-01"), backend="reference").ruleset
    sectors = creditrules.evaluate(rs, case("2020-12-06"), backend="reference").ruleset
    none = creditrules.evaluate(rs, case("2002-12-31"), backend="reference").ruleset
    assert len({before.sha256, after.sha256, sectors.sha256, none.sha256}) == 4
    assert [x.version for x in sectors.layers] == ["2003"]
    assert none.sha256 == rs.own_sha256
    assert [x.sha256 for x in after.layers] == [creditrules.load_ruleset("cn.national@2023").sha256]


def test_a_pinned_version_on_later_law_replays_identical() -> None:
    rs = creditrules.load_ruleset("cn.js.nantong@2018")
    text = creditrules.evaluate(rs, case("2026-11-21")).model_dump_json(by_alias=True)
    stored = json.loads(text)
    assert [x["version"] for x in stored["ruleset"]["layers"]] == ["2026"]
    report = creditrules.replay(stored)
    assert report.status == "identical", report.render()
    # A decision stored before decisions named their layers still replays identical.
    del stored["ruleset"]["layers"]
    assert creditrules.replay(stored).status == "identical"
    # Naming a layer it was not made on is a difference.
    stored["ruleset"]["layers"] = []
    assert creditrules.replay(stored).status == "differs"


def test_explain_names_the_layer() -> None:
    rs = creditrules.load_ruleset("cn.hb.huangshi@2017")
    d = creditrules.evaluate(rs, case("2021-03-01"), backend="reference")
    sha = d.ruleset.layers[0].sha256[:8]

    def text_of(dec: Any, lang: Literal["zh", "en"]) -> str:
        # Lines are wrapped: read them as one (English breaks at a space).
        return re.sub(r"\n +", "" if lang == "zh" else " ", creditrules.explain(dec, lang=lang))

    def text(lang: Literal["zh", "en"]) -> str:
        return text_of(d, lang)

    assert f"cn.national@2020（上位，{sha}）" in text("zh")
    assert f"cn.national@2020 (beneath, {sha})" in text("en")
    before49 = creditrules.evaluate(rs, case("2020-01-01"), backend="reference")
    assert "cn.national@2003（上位，" in text_of(before49, "zh")
    early = creditrules.evaluate(rs, case("2002-12-31"), backend="reference")
    assert "cn.national@" not in creditrules.explain(early, lang="zh")


def test_validate_checks_the_version_on_every_national_version(tmp_path: Path) -> None:
    """A city version that only holds together on the national version of its own date is
    reported: named for a later date, it is evaluated on the later national version."""
    folder = tmp_path / "cn" / "test" / "city" / "2024"
    folder.mkdir(parents=True)
    (folder / "ruleset.yaml").write_text(
        "id: cn.test.city\nversion: '2024'\ntitle: 测试市办法\nissuer: 测试市人民政府\n"
        "effective_from: 2024-01-01\nextends: cn.national\nlaw_date: as_of\n",
        encoding="utf-8",
    )
    (folder / "rules.yaml").write_text(
        """\
rules:
  - id: test.city.repair_right
    title: 信用主体依法享有信用信息修复的权利
    applies_to: record
    when: {field: category, eq: negative}
    then: {repair_route: finding_unit_or_platform}
    cites:
      - {document: cn.ndrc2023_58, article: 第二条}
""",
        encoding="utf-8",
    )
    diags = creditrules.validate(folder)
    cr303 = [d for d in diags if d.code == "CR303"]
    # On cn.national@2023 (its own date) 令58号 is registered; on @2026 it is not (@2020 ended
    # before the version began and is not paired).
    assert cr303, [d.render() for d in diags]
    assert all("cn.ndrc2023_58" in d.message for d in cr303)
    # The bundled rulesets hold together on every version.
    assert [d for d in creditrules.validate(bundled_root()) if d.severity == "error"] == []
    shutil.rmtree(folder)
