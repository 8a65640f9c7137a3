"""Rules about rules (validate/legal.py: CR315, CR501–CR505) and `param:` durations (CR314),
on tiny rulesets written to tmp_path.

国办发〔2020〕49号 binds rulesets in force on or after 2020-12-07: a sanction rests on law,
serious lists are not set up locally or widened, list criteria have the right rank and 30 days
of public comment, every list states its removal, and no rule is heavier than its list.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

import creditrules
from creditrules.diagnostics import Diagnostic
from creditrules.loader import Ruleset, load
from creditrules.model.ruleset import Topic
from creditrules.validate.legal import (
    GUIDANCE_49_IN_FORCE,
    MIN_CONSULTATION_DAYS,
    check_legal,
    measure_has_basis,
    subject_to_49,
)

SUBJECT = {"id": "91320600MA1MXXXX9Y", "type": "legal_person"}

#: One registered document per rank; every one quotes 第一条 and 第二条.
LEVELS = {
    "t.law": ("法律", "全国人民代表大会常务委员会"),
    "t.statecouncil": ("行政法规", "国务院"),
    "t.policy": ("国务院规范性文件", "中共中央办公厅 国务院办公厅"),
    "t.court": ("司法解释", "最高人民法院"),
    "t.rule": ("部门规章", "国家发展和改革委员会"),
    "t.regulation": ("地方性法规", "测试省人民代表大会常务委员会"),
    "t.govrule": ("地方政府规章", "测试省人民政府"),
    "t.plan": ("地方规范性文件", "测试省人民政府办公厅"),
    "t.measures": ("地方规范性文件", "测试市人民政府"),
}


def cite(document: str, article: str = "第一条") -> dict[str, str]:
    return {"document": document, "article": article}


def documents(implements: dict[str, list[str]] | None = None) -> list[dict[str, Any]]:
    """The registry, with ``implements`` chains where given."""
    out = []
    for key, (level, issuer) in LEVELS.items():
        doc: dict[str, Any] = {
            "key": key,
            "title": f"{key} 测试文件",
            "issuer": issuer,
            "rank": level,
            "no_number_reason": "测试用文件",
        }
        if implements and key in implements:
            doc["implements"] = implements[key]
        doc["articles"] = [
            {
                "id": "第一条",
                "kind": "quote",
                "text": "为了规范社会信用体系建设,制定本文件。",
                # These tests are about other checks: the article may be cited for anything (CR702).
                "decides": list(get_args(Topic)),
            },
            {
                "id": "第二条",
                "kind": "quote",
                "text": "信用主体对列入名单有异议的,可以依法申请复核。",
            },
        ]
        out.append(doc)
    return out


def a_list(
    list_id: str = "blacklist",
    *,
    scope: str = "national",
    criteria: str | None = None,
    consultation_days: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A list that passes every check unless told otherwise (local: a local regulation, 30 days)."""
    if criteria is None:
        criteria = "t.regulation" if scope == "local" else "t.rule"
    if consultation_days is None and scope == "local":
        consultation_days = MIN_CONSULTATION_DAYS
    out: dict[str, Any] = {"id": list_id, "title": "测试名单", "scope": scope}
    out["criteria"] = [cite(criteria)]
    if consultation_days is not None:
        out["consultation_days"] = consultation_days
    out["removal"] = {
        "conditions": [cite(criteria)],
        "procedure": [cite(criteria)],
        "remedies": [cite(criteria, "第二条")],
    }
    out.update(extra)
    return out


def a_measure(
    measure_id: str, *, kind: str = "sanction", cites: tuple[str, ...] = ("t.law",), **extra: Any
) -> dict[str, Any]:
    return {
        "id": measure_id,
        "title": "测试措施",
        "kind": kind,
        "cites": [cite(c) for c in cites],
        **extra,
    }


def validity_rule(duration: str = "P1Y") -> dict[str, Any]:
    return {
        "id": "t.validity.general",
        "title": "一般失信信息有效期",
        "applies_to": "record",
        "when": {"field": "severity", "eq": "general"},
        "then": {"period": {"name": "validity", "from": "determined_on", "duration": duration}},
        "cites": [cite("t.measures")],
    }


def write_ruleset(
    folder: Path,
    *,
    ruleset_id: str = "t.legal",
    effective_from: str = "2021-01-01",
    effective_to: str | None = None,
    extends: str | None = None,
    docs: list[dict[str, Any]] | None = None,
    **content: Any,
) -> Path:
    """A ruleset folder: ruleset.yaml, documents.yaml and rules.yaml (rules, measures, lists,
    parameters as given)."""
    folder.mkdir(parents=True)
    manifest: dict[str, Any] = {
        "id": ruleset_id,
        "version": "1",
        "title": "测试规则集",
        "issuer": "测试市人民政府",
        "effective_from": effective_from,
    }
    if effective_to:
        manifest["effective_to"] = effective_to
    if extends:
        manifest["extends"] = extends
    files = {
        "ruleset.yaml": manifest,
        "documents.yaml": {"documents": documents() if docs is None else docs},
        "rules.yaml": content,
    }
    for name, data in files.items():
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def loaded(folder: Path) -> Ruleset:
    rs, diags = load(folder)
    assert rs is not None and not diags, [d.render() for d in diags]
    return rs


def legal(folder: Path) -> list[Diagnostic]:
    """What validate/legal.py says of the ruleset, each diagnostic checked to be placed."""
    out = list(check_legal(loaded(folder)))
    for d in out:
        assert d.span is not None and Path(d.span.file).is_file(), d.render()
    return out


def codes(folder: Path) -> list[str]:
    """Every code the whole validator reports for the folder."""
    return [d.code for d in creditrules.validate(folder)]


def token(d: Diagnostic) -> str:
    """The text at the diagnostic's line:col."""
    assert d.span is not None
    lines = Path(d.span.file).read_text(encoding="utf-8").splitlines()
    return lines[d.span.line - 1][d.span.col - 1 :]


# ---------------------------------------------------------------- CR501: a sanction rests on law


@pytest.mark.parametrize("doc", ["t.law", "t.statecouncil", "t.policy", "t.regulation"])
def test_sanction_citing_a_law_regulation_or_central_policy_passes(
    tmp_path: Path, doc: str
) -> None:
    folder = write_ruleset(tmp_path / "rs", measures=[a_measure("t.m.s", cites=(doc,))])
    assert legal(folder) == []
    assert codes(folder) == []


@pytest.mark.parametrize("doc", ["t.measures", "t.govrule", "t.rule", "t.court"])
def test_sanction_citing_only_a_lower_instrument_is_cr501(tmp_path: Path, doc: str) -> None:
    folder = write_ruleset(tmp_path / "rs", measures=[a_measure("t.m.s", cites=(doc,))])
    (d,) = legal(folder)
    assert d.code == "CR501" and "'t.m.s'" in d.message
    assert token(d).startswith(f"- document: {doc}")  # the measure's citations
    assert codes(folder) == ["CR501"]


def test_sanction_resting_on_law_through_implements_passes(tmp_path: Path) -> None:
    """A normative document implementing a plan that implements a law: the chain gives the basis."""
    chain = {"t.measures": ["t.plan"], "t.plan": ["t.law"]}
    folder = write_ruleset(
        tmp_path / "rs", docs=documents(chain), measures=[a_measure("t.m.s", cites=("t.measures",))]
    )
    assert legal(folder) == []
    assert codes(folder) == []


def test_implements_chain_that_never_reaches_law_is_cr501(tmp_path: Path) -> None:
    chain = {"t.measures": ["t.plan"], "t.plan": ["t.govrule"]}
    folder = write_ruleset(
        tmp_path / "rs", docs=documents(chain), measures=[a_measure("t.m.s", cites=("t.measures",))]
    )
    assert [d.code for d in legal(folder)] == ["CR501"]


def test_implements_cycle_and_unregistered_documents_do_not_give_a_basis(tmp_path: Path) -> None:
    chain = {"t.measures": ["t.plan", "t.unregistered"], "t.plan": ["t.measures"]}
    folder = write_ruleset(
        tmp_path / "rs", docs=documents(chain), measures=[a_measure("t.m.s", cites=("t.measures",))]
    )
    assert [d.code for d in legal(folder)] == ["CR501"]


def _parent_with(tmp_path: Path, measure: dict[str, Any], **content: Any) -> None:
    write_ruleset(tmp_path / "parent" / "1", ruleset_id="t.parent", measures=[measure], **content)


def test_sanction_resting_on_a_parent_measure_passes(tmp_path: Path) -> None:
    _parent_with(tmp_path, a_measure("t.p.sanction", cites=("t.law",)))
    child = write_ruleset(
        tmp_path / "child" / "1",
        extends="t.parent",
        docs=[],
        measures=[a_measure("t.c.sanction", cites=("t.measures",), rests_on=["t.p.sanction"])],
    )
    rs = loaded(child)
    assert rs.parent is not None and rs.parent.id == "t.parent"
    assert measure_has_basis(rs, rs.measures["t.c.sanction"])
    assert legal(child) == []
    assert codes(child) == []


def test_sanction_resting_on_a_parent_measure_without_basis_is_cr501(tmp_path: Path) -> None:
    _parent_with(tmp_path, a_measure("t.p.manage", kind="management", cites=("t.measures",)))
    child = write_ruleset(
        tmp_path / "child" / "1",
        extends="t.parent",
        docs=[],
        measures=[a_measure("t.c.sanction", cites=("t.measures",), rests_on=["t.p.manage"])],
    )
    assert [d.code for d in legal(child)] == ["CR501"]


@pytest.mark.parametrize("kind", ["management", "reward"])
def test_management_and_reward_measures_need_no_basis(tmp_path: Path, kind: str) -> None:
    folder = write_ruleset(
        tmp_path / "rs", measures=[a_measure("t.m.x", kind=kind, cites=("t.measures",))]
    )
    assert legal(folder) == []
    assert codes(folder) == []


# ---------------------------------------------------------------- who is held to 49号


@pytest.mark.parametrize(
    ("effective_to", "held"),
    [("2020-12-07", False), ("2020-12-08", True), (None, True)],
)
def test_only_rulesets_in_force_on_or_after_49_are_held_to_it(
    tmp_path: Path, effective_to: str | None, held: bool
) -> None:
    """effective_to is the first day no longer in force: ending on 2020-12-07 means the last
    day was 2020-12-06, before 49号 took effect."""
    folder = write_ruleset(
        tmp_path / "rs",
        effective_from="2018-06-26",
        effective_to=effective_to,
        measures=[a_measure("t.m.s", cites=("t.measures",))],
        lists=[a_list(scope="local", criteria="t.measures", serious=True)],
    )
    rs = loaded(folder)
    assert GUIDANCE_49_IN_FORCE == date(2020, 12, 7)
    assert subject_to_49(rs) is held
    found = {d.code for d in legal(folder)}
    assert found == ({"CR501", "CR502", "CR503"} if held else set())


# ---------------------------------------------------------------- CR502: serious lists


def test_local_serious_list_is_cr502_at_serious(tmp_path: Path) -> None:
    folder = write_ruleset(tmp_path / "rs")
    (folder / "rules.yaml").write_text(
        "lists: [{id: blacklist, title: 测试市严重失信主体名单, scope: local, serious: true,"
        " fields: [market_order], criteria: [{document: t.regulation, article: 第一条}],"
        " consultation_days: 30, removal: {conditions: [{document: t.regulation, article: 第一条}],"
        " procedure: [{document: t.regulation, article: 第一条}],"
        " remedies: [{document: t.regulation, article: 第二条}]}}]\n",
        encoding="utf-8",
    )
    (d,) = legal(folder)
    assert d.code == "CR502" and "local serious-dishonesty list" in d.message
    assert token(d).startswith("true, fields")


def test_national_serious_list_in_a_field_of_49_passes(tmp_path: Path) -> None:
    folder = write_ruleset(
        tmp_path / "rs", lists=[a_list(serious=True, fields=["market_order"], criteria="t.law")]
    )
    assert legal(folder) == []


def test_serious_list_naming_no_field_is_cr502(tmp_path: Path) -> None:
    folder = write_ruleset(tmp_path / "rs", lists=[a_list(serious=True, criteria="t.law")])
    (d,) = legal(folder)
    assert d.code == "CR502" and "names none of the four fields" in d.message
    assert token(d).startswith("id: blacklist")  # no `fields:` key: the list itself


@pytest.mark.parametrize(
    ("fields", "widened"),
    [
        (["market_order"], None),
        (["market_order", "health_safety"], "health_safety"),
        (["defence", "enforcement", "market_order"], "defence, enforcement"),
    ],
)
def test_widening_the_fields_of_a_parents_list_is_cr502(
    tmp_path: Path, fields: list[str], widened: str | None
) -> None:
    national = a_list(serious=True, fields=["market_order"], criteria="t.law")
    _parent_with(tmp_path, a_measure("t.p.sanction"), lists=[national])
    child = write_ruleset(
        tmp_path / "child" / "1",
        extends="t.parent",
        docs=[],
        lists=[a_list(serious=True, fields=fields, criteria="t.law")],
    )
    found = legal(child)
    if widened is None:
        assert found == []
        return
    (d,) = found
    assert d.code == "CR502" and d.message.endswith(
        f"widens the fields of the national list: {widened}"
    )
    assert token(d).startswith(f"- {fields[0]}")  # the child's fields


# ---------------------------------------------------------------- CR503: criteria and comment


@pytest.mark.parametrize(
    ("days", "clean"), [(None, True), (20, False), (29, False), (30, True), (60, True)]
)
def test_national_list_consultation_of_less_than_30_days_is_cr503(
    tmp_path: Path, days: int | None, clean: bool
) -> None:
    folder = write_ruleset(tmp_path / "rs", lists=[a_list(consultation_days=days)])
    found = legal(folder)
    if clean:
        assert found == []
        return
    (d,) = found
    assert d.code == "CR503" and f"{days} days of public comment" in d.message
    assert token(d) == str(days)  # the consultation_days value


@pytest.mark.parametrize("doc", ["t.law", "t.statecouncil", "t.policy", "t.court", "t.rule"])
def test_national_list_criteria_of_national_rank_pass(tmp_path: Path, doc: str) -> None:
    folder = write_ruleset(tmp_path / "rs", lists=[a_list(criteria=doc)])
    assert legal(folder) == []


@pytest.mark.parametrize("doc", ["t.measures", "t.govrule"])
def test_national_list_criteria_below_departmental_rule_are_cr503(tmp_path: Path, doc: str) -> None:
    folder = write_ruleset(tmp_path / "rs", lists=[a_list(criteria=doc)])
    (d,) = legal(folder)
    assert (
        d.code == "CR503"
        and "a law, regulation, central policy document or departmental rule" in d.message
    )
    assert token(d).startswith(f"- document: {doc}")


def test_national_list_criteria_in_a_local_regulation_are_cr503(tmp_path: Path) -> None:
    folder = write_ruleset(tmp_path / "rs", lists=[a_list(criteria="t.regulation")])
    assert [d.code for d in legal(folder)] == ["CR503"]


def test_local_list_with_a_local_regulation_and_30_days_passes(tmp_path: Path) -> None:
    folder = write_ruleset(tmp_path / "rs", lists=[a_list(scope="local")])
    assert legal(folder) == []
    assert codes(folder) == []


@pytest.mark.parametrize("doc", ["t.measures", "t.govrule", "t.rule"])
def test_local_list_needs_a_local_regulation(tmp_path: Path, doc: str) -> None:
    folder = write_ruleset(tmp_path / "rs", lists=[a_list(scope="local", criteria=doc)])
    (d,) = legal(folder)
    assert d.code == "CR503" and "not set by a local regulation" in d.message
    assert token(d).startswith(f"- document: {doc}")


def test_local_list_criteria_citing_an_unregistered_document_is_cr503(tmp_path: Path) -> None:
    lst = a_list(scope="local")
    lst["criteria"] = [cite("t.nowhere")]
    folder = write_ruleset(tmp_path / "rs", lists=[lst])
    assert [d.code for d in legal(folder)] == ["CR503"]


@pytest.mark.parametrize(("days", "got"), [(20, "20 days"), (29, "29 days")])
def test_local_list_consultation_of_less_than_30_days_is_cr503(
    tmp_path: Path, days: int, got: str
) -> None:
    folder = write_ruleset(tmp_path / "rs", lists=[a_list(scope="local", consultation_days=days)])
    (d,) = legal(folder)
    assert d.code == "CR503" and f"had {got} of public comment" in d.message
    assert token(d) == str(days)


def test_local_list_without_consultation_is_cr503(tmp_path: Path) -> None:
    lst = a_list(scope="local")
    del lst["consultation_days"]
    folder = write_ruleset(tmp_path / "rs", lists=[lst])
    (d,) = legal(folder)
    assert d.code == "CR503" and "had no consultation" in d.message
    assert token(d).startswith("id: blacklist")  # no key to point at: the list


# ---------------------------------------------------------------- CR504: removal


def test_list_without_removal_remedies_is_cr504(tmp_path: Path) -> None:
    lst = a_list()
    del lst["removal"]["remedies"]
    folder = write_ruleset(tmp_path / "rs", lists=[lst])
    (d,) = legal(folder)
    assert d.code == "CR504" and d.message == "list 'blacklist' states no removal remedies"
    assert token(d).startswith("conditions:")  # the removal mapping that lacks them


def test_list_without_removal_is_cr504_naming_all_three(tmp_path: Path) -> None:
    lst = a_list()
    del lst["removal"]
    folder = write_ruleset(tmp_path / "rs", lists=[lst])
    (d,) = legal(folder)
    assert d.message == "list 'blacklist' states no removal conditions, procedure, remedies"
    assert token(d).startswith("id: blacklist")


# ---------------------------------------------------------------- CR505: no heavier than the list


def _record_rule(when: dict[str, Any], measure: str) -> dict[str, Any]:
    return {
        "id": "t.sanction.listed",
        "title": "列入名单的实施惩戒",
        "applies_to": "record",
        "when": when,
        "then": {"measure": {"id": measure, "until": "list"}},
        "cites": [cite("t.law")],
    }


def _subject_rule(outcome: str, measures: list[str] | None = None) -> dict[str, Any]:
    matter: dict[str, Any] = {"matter": "government_procurement", "outcome": outcome}
    if measures:
        matter["measures"] = measures
    return {
        "id": "t.matter.procurement",
        "title": "列入名单的限制参与政府采购",
        "applies_to": "subject",
        "when": {"field": "lists", "contains": ["blacklist"]},
        "then": {"matter": matter},
        "cites": [cite("t.law")],
    }


MEASURES = [a_measure("t.m.allowed"), a_measure("t.m.other")]


@pytest.mark.parametrize(
    ("when", "flagged"),
    [
        ({"field": "list.id", "eq": "blacklist"}, True),
        ({"field": "list.id", "in": ["redlist", "blacklist"]}, True),
        (
            {
                "all": [
                    {"field": "severity", "eq": "serious"},
                    {"field": "list.id", "eq": "blacklist"},
                ]
            },
            True,
        ),
        (
            {
                "any": [
                    {"field": "list.id", "eq": "blacklist"},
                    {"field": "severity", "eq": "serious"},
                ]
            },
            True,
        ),
        ({"not": {"field": "list.id", "eq": "blacklist"}}, False),
        ({"field": "list.id", "ne": "blacklist"}, False),
        ({"field": "severity", "eq": "serious"}, False),
    ],
)
def test_measure_not_allowed_by_the_list_is_cr505(
    tmp_path: Path, when: dict[str, Any], flagged: bool
) -> None:
    folder = write_ruleset(
        tmp_path / "rs",
        measures=MEASURES,
        lists=[a_list(measures=["t.m.allowed"])],
        rules=[_record_rule(when, "t.m.other")],
    )
    found = legal(folder)
    if not flagged:
        assert found == []
        return
    (d,) = found
    assert d.code == "CR505" and d.rule == "t.sanction.listed"
    assert (
        "measure 't.m.other' is not among the measures list 'blacklist' allows (t.m.allowed)"
        in d.message
    )
    assert "t.m.other" in token(d)  # on then.measure (see the position test below)
    assert codes(folder) == ["CR505"]


def test_cr505_for_a_measure_points_at_the_measure_id(tmp_path: Path) -> None:
    folder = write_ruleset(
        tmp_path / "rs",
        measures=MEASURES,
        lists=[a_list(measures=["t.m.allowed"])],
        rules=[_record_rule({"field": "list.id", "eq": "blacklist"}, "t.m.other")],
    )
    (d,) = legal(folder)
    assert token(d).startswith("t.m.other")


def test_measure_allowed_by_the_list_passes(tmp_path: Path) -> None:
    folder = write_ruleset(
        tmp_path / "rs",
        measures=MEASURES,
        lists=[a_list(measures=["t.m.allowed"])],
        rules=[_record_rule({"field": "list.id", "eq": "blacklist"}, "t.m.allowed")],
    )
    assert legal(folder) == []
    assert codes(folder) == []


@pytest.mark.parametrize(
    ("outcome", "flagged"),
    [("deny", True), ("restrict", False), ("allow", False), ("priority", False)],
)
def test_matter_outcome_heavier_than_the_list_caps_is_cr505(
    tmp_path: Path, outcome: str, flagged: bool
) -> None:
    folder = write_ruleset(
        tmp_path / "rs",
        lists=[a_list(matters={"government_procurement": "restrict"})],
        rules=[_subject_rule(outcome)],
    )
    found = legal(folder)
    if not flagged:
        assert found == []
        return
    (d,) = found
    assert d.code == "CR505" and d.rule == "t.matter.procurement"
    assert (
        "'deny' for government_procurement is heavier than list 'blacklist' allows ('restrict')"
        in d.message
    )
    assert token(d).startswith("deny")  # then.matter.outcome


def test_a_list_of_a_parent_caps_a_childs_rule(tmp_path: Path) -> None:
    _parent_with(
        tmp_path,
        a_measure("t.p.sanction"),
        lists=[a_list(matters={"government_procurement": "restrict"})],
    )
    child = write_ruleset(
        tmp_path / "child" / "1", extends="t.parent", docs=[], rules=[_subject_rule("deny")]
    )
    assert [d.code for d in legal(child)] == ["CR505"]


def test_matter_measures_not_allowed_by_the_list_are_cr505(tmp_path: Path) -> None:
    folder = write_ruleset(
        tmp_path / "rs",
        measures=MEASURES,
        lists=[a_list(measures=["t.m.allowed"])],
        rules=[_subject_rule("restrict", ["t.m.other"])],
    )
    (d,) = legal(folder)
    assert d.code == "CR505" and token(d).startswith("t.m.other")


# ---------------------------------------------------------------- CR315 and CR314: parameters


def _param(tag: str, note: str | None = None, value: str = "P2Y") -> dict[str, Any]:
    out = {"name": "t.validity", "value": value, "tag": tag, "title": "一般失信信息有效期"}
    if note is not None:
        out["note"] = note
    return out


@pytest.mark.parametrize(
    ("tag", "note", "flagged"),
    [
        ("C", None, True),
        ("U", None, True),
        ("C", "   ", True),
        ("C", "Secondary pages disagree; verify against gov.cn.", False),
        ("A", None, False),
        ("B", None, False),
    ],
)
def test_c_and_u_parameters_need_a_note(
    tmp_path: Path, tag: str, note: str | None, flagged: bool
) -> None:
    folder = write_ruleset(
        tmp_path / "rs", parameters=[_param(tag, note)], rules=[validity_rule("param:t.validity")]
    )
    found = legal(folder)
    if not flagged:
        assert found == []
        assert codes(folder) == []
        return
    (d,) = found
    assert d.code == "CR315" and f"is tagged [{tag}]" in d.message
    assert token(d) == tag
    assert codes(folder) == ["CR315"]


def test_cr315_holds_before_49_too(tmp_path: Path) -> None:
    folder = write_ruleset(
        tmp_path / "rs",
        effective_from="2018-06-26",
        effective_to="2020-01-01",
        parameters=[_param("U")],
    )
    assert [d.code for d in legal(folder)] == ["CR315"]


def test_unknown_parameter_is_cr314_with_a_suggestion(tmp_path: Path) -> None:
    folder = write_ruleset(
        tmp_path / "rs", parameters=[_param("A")], rules=[validity_rule("param:t.validty")]
    )
    (d,) = creditrules.validate(folder)
    assert d.code == "CR314" and d.help == "did you mean 't.validity'?"
    assert token(d).startswith("param:t.validty")


def test_parameter_value_that_is_no_duration_is_cr205(tmp_path: Path) -> None:
    folder = write_ruleset(
        tmp_path / "rs",
        parameters=[_param("A", value="two years")],
        rules=[validity_rule("param:t.validity")],
    )
    (d,) = creditrules.validate(folder)
    assert d.code == "CR205" and "'two years'" in d.message


def _validity_until(rs: Ruleset | Path) -> str | None:
    if isinstance(rs, Path):
        rs = creditrules.load_ruleset(rs)
    case = {
        "as_of": "2022-01-01",
        "subject": SUBJECT,
        "records": [
            {
                "id": "r1",
                "category": "negative",
                "severity": "general",
                "determined_on": "2021-03-01",
            }
        ],
    }
    (record,) = creditrules.evaluate(rs, case).records
    return record.validity_until


def test_param_duration_resolves_and_evaluates(tmp_path: Path) -> None:
    folder = write_ruleset(
        tmp_path / "rs", parameters=[_param("A")], rules=[validity_rule("param:t.validity")]
    )
    assert codes(folder) == []
    rs = creditrules.load_ruleset(folder)
    assert rs.duration("param:t.validity") == "P2Y"
    assert rs.duration("P1Y") == "P1Y"
    with pytest.raises(KeyError):
        rs.duration("param:t.nope")
    # 认定 2021-03-01 + 2年 → 有效至 2023-03-01 (起算日不计)
    assert _validity_until(rs) == "2023-03-01"


def test_child_ruleset_overriding_a_parameter_changes_the_result(tmp_path: Path) -> None:
    parent = write_ruleset(
        tmp_path / "parent" / "1",
        ruleset_id="t.parent",
        parameters=[_param("A")],
        rules=[validity_rule("param:t.validity")],
    )
    child = write_ruleset(
        tmp_path / "child" / "1",
        extends="t.parent",
        docs=[],
        parameters=[_param("B", value="P3Y")],
    )
    assert codes(parent) == [] and codes(child) == []
    rs = creditrules.load_ruleset(child)
    assert rs.all_parameters()["t.validity"].value == "P3Y"
    assert _validity_until(parent) == "2023-03-01"
    assert _validity_until(rs) == "2024-03-01"
