"""Generate the case-input and Decision references under docs/zh/reference/ and
docs/en/reference/ from the pydantic models.

- ``case-input.md``: every field of ``creditrules.model.case.Case`` (the input of an
  evaluation), its type, whether it is required, its allowed values with their Chinese
  names, an example, and for free-text fields the values the bundled rulesets read.
- ``decision.md``: every field of ``creditrules.model.decision.Decision``, with the
  vocabulary of each coded value.

The descriptions are kept here, in both languages, keyed by field path; a field of the
models without a description (or a vocabulary value without a Chinese name) stops the
generator with a message naming it. Each example is checked against the field's type.
Run from anywhere::

    python tools/gen_reference.py          # rewrite the files
    python tools/gen_reference.py --check  # exit 1 if any is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter

from creditrules.api import list_rulesets, load_ruleset
from creditrules.explain.terms import ZH_TERMS as _ZH_TERMS
from creditrules.model import vocab
from creditrules.model.case import Case
from creditrules.model.decision import SCHEMA_VERSION, CitationOut, Decision
from creditrules.model.ruleset import All, AnyOf, Comparison, Not

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
EXAMPLE_CASE = REPO / "examples" / "nantong-2026.json"


def _shared_vocabulary() -> Any:
    """The vocabulary every bundled ruleset reads (rulesets/cn/vocabulary)."""
    return load_ruleset("cn.js.nantong@2018").vocabulary()


_VOC = _shared_vocabulary()
LIST_IDS = tuple(v.id for v in _VOC.lists)
LIST_NAMES = tuple((v.id, v.title) for v in _VOC.lists)
MATTER_IDS = tuple(v.id for v in _VOC.matters)
MATTER_NAMES = tuple((v.id, v.title) for v in _VOC.matters)


Lang = Literal["zh", "en"]

# Chinese names of the coded values that the explanation does not name (it names lists,
# matters, subject types, roles, repair findings and deadline procedures).
NAMES: dict[str, str] = {
    # warning codes
    "W101": "规则未读取的值",
    "W102": "结论依赖的自由文本",
    "W103": "评估日期未施行的版本",
    "W104": "无法认定纠正后未再发生同类失信行为",
    # category
    "basic": "基础信息",
    "positive": "正面信息（守信信息）",
    "negative": "失信信息",
    "other": "其他信息",
    # severity
    "minor": "轻微失信",
    "general": "一般失信",
    "serious": "严重失信",
    # basis.type
    "court_judgment": "人民法院生效裁判文书",
    "arbitral_award": "仲裁裁决",
    "admin_penalty": "行政处罚决定",
    "admin_ruling": "行政裁决",
    "admin_decision": "其他行政决定",
    "commitment_breach": "违反信用承诺",
    "disciplinary_sanction": "处分决定",
    "accountability": "问责决定",
    # basis.procedure
    "ordinary": "一般程序",
    "simple": "简易程序",
    # basis.penalties (《行政处罚法》第九条)
    "warning": "警告",
    "public_criticism": "通报批评",
    "fine_small": "较小数额罚款",
    "fine_large": "较大数额罚款",
    "fine_huge": "巨额罚款",
    "confiscation": "没收违法所得、没收非法财物",
    "license_suspension": "暂扣许可证件",
    "qualification_downgrade": "降低资质等级",
    "license_revocation": "吊销许可证件",
    "business_restriction": "限制开展生产经营活动",
    "production_suspension": "责令停产停业",
    "closure": "责令关闭",
    "occupation_ban": "限制从业",
    "detention": "行政拘留",
    # disclosure
    "public": "社会公开",
    "government_shared": "政务共享",
    "authorised_query": "授权查询",
    # event types
    "objection_filed": "提出异议",
    "objection_forwarded": "异议转送信息提供单位",
    "objection_upheld": "异议成立",
    "objection_rejected": "异议不成立",
    "repair_applied": "申请信用修复",
    "repair_pushed": "修复结果推送",
    "repair_accepted": "受理修复申请",
    "repair_granted": "准予信用修复",
    "penalty_decided": "作出行政处罚决定",
    "license_decided": "作出行政许可决定",
    "list_decided": "作出列入名单决定",
    "obligation_performed": "履行法定义务",
    "reorganisation_applied": "重整企业持法院裁定申请信用修复",
    # record status
    "active": "有效",
    "expired": "已过有效期",
    "repaired": "已修复",
    "under_objection": "异议处理中",
    "corrected_away": "已更正删除",
    "refused": "不予归集",
    # matter outcomes
    "allow": "准予",
    "priority": "优先",
    "restrict": "限制",
    "deny": "禁止",
    # supervision
    "reduced": "降低监管频次",
    "normal": "常规监管",
    "increased": "加强监管",
    # fact kinds of the trace
    "record": "信用信息",
    "event": "事件",
    # engine backends
    "durable_rules": "durable_rules 引擎",
    "reference": "参照引擎（纯 Python）",
}


def zh_name(value: str) -> str:
    """The Chinese name of a coded value; a value without one stops the generator."""
    name = NAMES.get(value) or _ZH_TERMS.get(value)
    if name is None:
        raise SystemExit(f"no Chinese name for the value {value!r}: add it to NAMES in {__file__}")
    return name


@dataclass(frozen=True)
class Doc:
    """What the reference says about one field."""

    zh: str
    en: str
    example: Any = None
    values: tuple[str, ...] = ()  # a vocabulary for fields the model types as plain text
    read_by_rules: str | None = None  # the condition field whose values the rulesets read
    names: tuple[tuple[str, str], ...] = ()  # Chinese names particular to this field


_NO_EXAMPLE = object()

# ---------------------------------------------------------------------------------------
# The input of an evaluation.
CASE: dict[str, Doc] = {
    "as_of": Doc(
        "评估日期：按哪一天的法律、在哪一天回答问题（`--as-of` 可覆盖）。",
        "The evaluation date: the law in force and the question are both on this day "
        "(`--as-of` overrides it).",
        "2026-11-21",
    ),
    "subject": Doc("被询问的信用主体。", "The credit subject the question is about."),
    "subject.id": Doc(
        "主体标识：统一社会信用代码（组织）或公民身份号码（自然人），校验位不符即拒收。",
        "The subject's identifier: unified social credit code (organisations) or citizen "
        "ID number (persons); a failing checksum is refused.",
        "91320600MA1MXXXX9Y",
    ),
    "subject.type": Doc("信用主体类型。", "The kind of credit subject.", "legal_person"),
    "subject.name": Doc("名称或姓名（只用于显示）。", "Name (shown only).", "南通某某贸易有限公司"),
    "subject.birth_date": Doc(
        "出生日期（自然人）：用于判断是否未成年人。",
        "Date of birth (natural persons): decides whether the subject is a minor.",
        "2001-05-04",
    ),
    "subject.representatives": Doc(
        "对组织负有责任的人员，措施可能及于他们。",
        "Persons answerable for an organisation; measures may reach them.",
    ),
    "subject.representatives[].id": Doc(
        "该人员的公民身份号码。", "The person's citizen ID number.", "320602198001011235"
    ),
    "subject.representatives[].role": Doc(
        "该人员的身份。", "The person's role.", "legal_representative"
    ),
    "subject.representatives[].name": Doc("姓名（只用于显示）。", "Name (shown only).", "张三"),
    "records": Doc("主体的信用信息，每条一项。", "The subject's credit records, one item each."),
    "records[].id": Doc(
        "本案内唯一的信息编号，事件以此引用。",
        "The record's id, unique in the case; events refer to it.",
        "r1",
    ),
    "records[].category": Doc("信息类别。", "The category of information.", "negative"),
    "records[].domain": Doc(
        "失信行为所在领域（自由文本）。",
        "The field of the conduct (free text).",
        "tax",
        read_by_rules="domain",
    ),
    "records[].behavior": Doc(
        "失信行为（自由文本）。",
        "The conduct (free text).",
        "tax.major_violation",
        read_by_rules="behavior",
    ),
    "records[].severity": Doc(
        "失信程度；规则集能依处罚种类认定时可不填。",
        "The severity; may be left out where the ruleset classifies it (e.g. from the penalties).",
        "serious",
    ),
    "records[].basis": Doc(
        "信息所依据的生效法律文书。", "The legally effective document the record rests on."
    ),
    "records[].basis.type": Doc(
        "认定依据类型。", "The kind of document.", "admin_penalty", names=(("other", "其他"),)
    ),
    "records[].basis.number": Doc("文书号。", "The document's number.", "通税稽罚〔2024〕12号"),
    "records[].basis.issued_on": Doc("文书作出日期。", "The day it was issued.", "2024-02-10"),
    "records[].basis.procedure": Doc(
        "行政处罚适用的程序。", "The procedure of an administrative penalty.", "ordinary"
    ),
    "records[].basis.penalties": Doc(
        "处罚种类（可多项）。", "The kinds of penalty imposed (several allowed).", ["fine_large"]
    ),
    "records[].basis.term_until": Doc(
        "处罚本身所附期限的届满日（暂扣、限制从业等）。",
        "The last day of a term the penalty itself carries (suspension, occupation ban, ...).",
        "2025-02-09",
    ),
    "records[].determined_on": Doc(
        "认定日期：失信行为被认定之日，多数期间自此起算。",
        "The day the conduct was determined; most periods run from it.",
        "2024-02-10",
    ),
    "records[].published_on": Doc("公示日期。", "The day it was published.", "2024-02-10"),
    "records[].corrected_on": Doc(
        "纠正失信行为之日。", "The day the conduct was corrected.", "2024-06-30"
    ),
    "records[].obligations_performed_on": Doc(
        "履行法定义务之日（如缴清罚款）。",
        "The day the legal obligations were performed (e.g. the fine paid).",
        "2024-06-30",
    ),
    "records[].list": Doc(
        "该信息所载的名单（如法院的失信被执行人名单）。",
        "A list entry the record carries (e.g. a court's defaulter listing).",
    ),
    "records[].list.id": Doc(
        "名单：规则集词表（vocabulary: lists）中的名单，且须与信息类别相符。",
        "The list: one of the ruleset's vocabulary (vocabulary: lists), fitting the record's "
        "category.",
        "court.dishonest_debtor",
        values=LIST_IDS,
        names=LIST_NAMES,
    ),
    "records[].list.listed_on": Doc("列入日期。", "The day of listing.", "2024-02-20"),
    "records[].list.term": Doc(
        "名单期限（ISO 8601 期间，如 `P2Y`）；不填则按名单本身的规定。",
        "The listing term (ISO 8601 duration such as `P2Y`); null where the list's own "
        "rules set it.",
        "P2Y",
    ),
    "records[].list.ground": Doc(
        "列入事由（取值依名单而定）。",
        "The ground of listing (values depend on the list).",
        "evasion",
        read_by_rules="list.ground",
    ),
    "records[].disclosure": Doc(
        "公开类别（通政发〔2018〕25号 第十九条）。",
        "The disclosure class (通政发〔2018〕25号 第十九条).",
        "public",
    ),
    "records[].intentional": Doc(
        "是否主观故意（通政办发〔2015〕184号 第十六条）。",
        "Whether the conduct was intentional (通政办发〔2015〕184号 第十六条).",
        False,
    ),
    "records[].first_time": Doc(
        "是否初次失信（通政办发〔2015〕184号 第十五条）。",
        "Whether it is the first breach (通政办发〔2015〕184号 第十五条).",
        True,
    ),
    "records[].fault_tolerance": Doc(
        "是否符合容错纠错情形（政务诚信）。",
        "Whether a fault-tolerance finding applies (government integrity).",
        False,
    ),
    "records[].self_remedied": Doc(
        "是否主动挽回损失（政务诚信）。",
        "Whether the losses were remedied on the subject's own initiative.",
        False,
    ),
    "records[].fields": Doc(
        "其他数据项；法律禁止归集的数据项（如血型）以任何常用名出现都会被拒收。",
        "Further data items; items the law forbids collecting (e.g. blood type) are refused "
        "under any common name.",
        {"registered_capital": 500},
    ),
    "events": Doc(
        "与信息有关的事件：异议、修复申请、决定等。",
        "Things that happened: objections, repair applications, decisions, ...",
    ),
    "events[].type": Doc("事件类型。", "The kind of event.", "objection_filed"),
    "events[].record": Doc(
        "事件所涉信息的编号（`records[].id`）。",
        "The id of the record it is about (`records[].id`).",
        "r1",
    ),
    "events[].on": Doc(
        "事件日期；期限自此起算。", "The event's date; deadlines run from it.", "2026-09-30"
    ),
    "events[].pledge": Doc(
        "修复申请时是否作出信用承诺。",
        "Whether a credit commitment came with a repair application.",
        True,
    ),
    "matters": Doc(
        "要回答的事项（如能否参加政府采购），取自规则集词表（vocabulary: matters）。",
        "The matters to answer (may the subject take part in procurement, ...), from the "
        "ruleset's vocabulary (vocabulary: matters).",
        ["government_procurement"],
        values=MATTER_IDS,
        names=MATTER_NAMES,
    ),
}

# ---------------------------------------------------------------------------------------
# The Decision.
V = vocab.values

CITATION = ("basis", "依据：结论所依据的条文。", "The articles the conclusion rests on.")
DECISION: dict[str, Doc] = {
    "schema_version": Doc(
        "决定文档的格式版本；改名、删除或改变含义的修改才会升级。",
        "The version of the document's format; only a renaming, removal or change of meaning "
        "raises it.",
        SCHEMA_VERSION,
    ),
    "decision_id": Doc(
        "决定编号：规范化输入与规则集哈希的 sha256，同样的输入与规则集得出同一编号。",
        "The sha256 of the canonical input and the ruleset hash: the same input and ruleset "
        "give the same id.",
    ),
    "as_of": Doc("评估日期。", "The evaluation date.", "2026-11-21"),
    "ruleset": Doc("作出决定的规则集版本。", "The ruleset version that decided."),
    "ruleset.id": Doc("规则集标识。", "The ruleset id.", "cn.js.nantong"),
    "ruleset.version": Doc("版本。", "The version.", "2021"),
    "ruleset.sha256": Doc(
        "规则集内容哈希（包括评估时所依的上位规则集版本）；重放时据此找回同一版本。",
        "The ruleset's content hash, covering the versions it was evaluated on; replay finds "
        "the same version by it.",
    ),
    "ruleset.layers": Doc(
        "评估时所依的上位规则集版本（extends），由近及远，均为评估日期施行的版本；当日无施行版本的为空。",
        "The versions the ruleset was evaluated on (extends), nearest first, each the one in "
        "force on as_of; empty when none was in force.",
    ),
    "ruleset.layers[].id": Doc(
        "上位规则集标识。", "The id of the version built on.", "cn.national"
    ),
    "ruleset.layers[].version": Doc("上位规则集版本。", "Its version.", "2026"),
    "ruleset.layers[].sha256": Doc("上位规则集内容哈希。", "Its content hash."),
    "engine": Doc("作出决定的软件。", "The software that decided."),
    "engine.creditrules": Doc("creditrules 版本。", "The creditrules version.", "0.1.0"),
    "engine.durable_rules": Doc("durable_rules 版本。", "The durable_rules version.", "2.0.28"),
    "engine.backend": Doc(
        "求值引擎。",
        "The evaluation backend.",
        "durable_rules",
        values=("durable_rules", "reference"),
    ),
    "input_sha256": Doc("规范化输入的 sha256。", "The sha256 of the canonical input."),
    "subject": Doc("信用主体（标识已脱敏）。", "The credit subject (identifier masked)."),
    "subject.id": Doc("脱敏后的主体标识。", "The masked identifier.", "9132************9Y"),
    "subject.type": Doc(
        "信用主体类型。", "The kind of subject.", "legal_person", values=V(vocab.SubjectType)
    ),
    "records": Doc(
        "每条输入信息的结论，顺序同输入。", "One answer per input record, in input order."
    ),
    "records[].id": Doc("信息编号。", "The record's id.", "r1"),
    "records[].severity": Doc(
        "失信程度（输入的或规则认定的）；未分级为 null。",
        "The severity (given or classified); null where none.",
        "serious",
        values=V(vocab.SeverityName),
    ),
    "records[].status": Doc(
        "信息状态。", "The record's status.", "active", values=V(vocab.RecordStatus)
    ),
    "records[].publishable": Doc("评估日是否可公开。", "Publishable on the evaluation date.", True),
    "records[].usable_for_sanction": Doc(
        "评估日是否可作为惩戒依据。", "Usable as a basis for sanctions on the date.", True
    ),
    "records[].archived": Doc(
        "是否转为档案保存（不再公开、不再使用）。",
        "Moved to the archive (no longer published or used).",
        False,
    ),
    "records[].under_objection": Doc(
        "是否异议处理中（不影响公示与应用）。",
        "An objection is open (it does not stop publication or use).",
        False,
    ),
    "records[].validity_until": Doc(
        "有效期的最后一日（含）。", "The last day of validity (inclusive).", "2027-02-10"
    ),
    "records[].publication": Doc("公示期。", "The publication window."),
    "records[].publication.from": Doc(
        "公示起始日；信息不可公开而公示期本应在 as_of 当日进行时为 null（决定不自相矛盾）。",
        "The first day of publication; null where the record is not publishable and the window "
        "would otherwise run on as_of (a decision never contradicts itself).",
        "2024-02-10",
    ),
    "records[].publication.min_until": Doc(
        "最短公示期届满日：此前不得提前停止公示。",
        "The end of the minimum publication period: publication may not stop earlier.",
        "2025-02-10",
    ),
    "records[].publication.max_until": Doc(
        "最长公示期届满日：此后不得继续公示。",
        "The end of the maximum publication period: publication stops by then.",
        "2027-02-10",
    ),
    "records[].publication.basis": Doc(CITATION[1], CITATION[2]),
    "records[].repair": Doc("信用修复。", "Credit repair."),
    "records[].repair.eligible": Doc(
        "评估日是否可申请修复。", "May the subject apply for repair on the date.", False
    ),
    "records[].repair.earliest_on": Doc(
        "最早可申请修复之日。", "The first day a repair application may be made.", "2025-02-11"
    ),
    "records[].repair.unmet": Doc(
        "尚未满足的修复条件，每项一个代码。",
        "The repair conditions not met, one code each.",
        ["obligations_not_performed"],
        read_by_rules="@repair_unmet",
    ),
    "records[].repair.never": Doc("是否依法不可修复。", "Never repairable under the law.", False),
    "records[].repair.routes": Doc(
        "可用的修复途径。",
        "The routes by which repair may be applied for.",
        ["credit_china"],
        read_by_rules="@repair_route",
    ),
    "records[].repair.basis": Doc(CITATION[1], CITATION[2]),
    "records[].basis": Doc(
        "该信息的状态与期间所依据的条文。", "The articles the record's status and periods rest on."
    ),
    "lists": Doc(
        "名单条目：有效的、已结束的、或依法不能列入的。",
        "List entries: standing, ended, or not lawfully made.",
    ),
    "lists[].list": Doc(
        "名单（规则集词表中的名单）。",
        "The list (one of the ruleset's vocabulary).",
        "tax.major_violation",
        values=LIST_IDS,
        names=LIST_NAMES,
    ),
    "lists[].active": Doc("评估日是否有效。", "Standing on the evaluation date.", True),
    "lists[].since": Doc("列入日期。", "The first day on the list.", "2024-02-20"),
    "lists[].until": Doc("名单期限届满日。", "The last day of the term.", "2027-02-20"),
    "lists[].because": Doc("据以列入的信息编号。", "The ids of the records it rests on.", ["r1"]),
    "lists[].basis": Doc(CITATION[1], CITATION[2]),
    "measures": Doc("适用的措施。", "The measures that apply."),
    "measures[].id": Doc("措施标识。", "The measure's id.", "nt2018.m.procurement_restriction"),
    "measures[].title": Doc("措施名称。", "The measure's title.", "依法限制参加政府采购活动"),
    "measures[].title_en": Doc(
        "措施的英文名称；规则集未给出时为 null。",
        "The measure's English title; null where the ruleset gives none.",
    ),
    "measures[].kind": Doc(
        "措施种类。", "The kind of measure.", "sanction", values=V(vocab.MeasureKind)
    ),
    "measures[].target": Doc(
        "措施对象。", "Whom the measure reaches.", "subject", values=V(vocab.MeasureTarget)
    ),
    "measures[].person": Doc(
        "措施及于的人员（脱敏后的身份号码）。",
        "The person it reaches (masked ID number).",
        "3206**********1235",
    ),
    "measures[].until": Doc(
        "措施适用至（含）。", "The last day it applies (inclusive).", "2027-02-10"
    ),
    "measures[].because": Doc(
        "据以适用的信息编号。", "The ids of the records it rests on.", ["r1"]
    ),
    "measures[].basis": Doc(CITATION[1], CITATION[2]),
    "matters": Doc("每个所问事项的回答。", "One answer per matter asked."),
    "matters[].matter": Doc(
        "事项（规则集词表中的事项）。",
        "The matter (one of the ruleset's vocabulary).",
        "government_procurement",
        values=MATTER_IDS,
        names=MATTER_NAMES,
    ),
    "matters[].outcome": Doc(
        "回答；规则集没有相应规则时为 null，并在 reason 中说明。",
        "The answer; null where the ruleset has no rule for the matter, with a reason.",
        "deny",
        values=V(vocab.Outcome),
    ),
    "matters[].measures": Doc("据以回答的措施。", "The measures behind the answer.", []),
    "matters[].reason": Doc("没有回答时的原因。", "Why there is no answer, where there is none."),
    "matters[].basis": Doc(CITATION[1], CITATION[2]),
    "deadlines": Doc("由事件引起的期限。", "The deadlines the events start."),
    "deadlines[].procedure": Doc(
        "程序。", "The procedure.", "objection.review", values=V(vocab.DeadlineProcedure)
    ),
    "deadlines[].event": Doc(
        "引起期限的事件（`events` 中的序号，从 0 起）。",
        "The event (index into `events`, from 0).",
        0,
    ),
    "deadlines[].record": Doc("所涉信息编号。", "The record it is about.", "r1"),
    "deadlines[].from": Doc("起算日。", "The day it runs from.", "2026-09-30"),
    "deadlines[].due": Doc(
        "届满日；无法计算（如缺少当年节假日安排）时为 null，并给出 error。",
        "The due date; null with an error where it cannot be computed (e.g. no holiday "
        "schedule for the year).",
        "2026-10-20",
    ),
    "deadlines[].working_days": Doc(
        "按工作日计算时的工作日数。", "The number of working days, where counted so.", 10
    ),
    "deadlines[].duration": Doc(
        "期限（如 `10WD`、`P15D`）。", "The duration as written (`10WD`, `P15D`, ...).", "10WD"
    ),
    "deadlines[].error": Doc("无法计算的原因。", "Why it cannot be computed."),
    "deadlines[].basis": Doc(CITATION[1], CITATION[2]),
    "grade": Doc(
        "信用等级（规则集有评级规则时）。", "The credit grade (where the ruleset grades)."
    ),
    "grade.code": Doc("等级代码。", "The grade's code.", "D"),
    "grade.title": Doc("等级名称。", "The grade's title.", "失信"),
    "grade.supervision": Doc(
        "监管力度。", "The level of supervision.", "increased", values=V(vocab.Supervision)
    ),
    "grade.basis": Doc(CITATION[1], CITATION[2]),
    "trace": Doc(
        "每条规则对每个事实是否适用，含未适用的及原因。",
        "Every rule on every fact: whether it fired, and why not where it did not.",
    ),
    "trace[].rule": Doc("规则标识。", "The rule's id.", "nt2018.validity.serious"),
    "trace[].fact": Doc(
        "事实：`record:r1`、`subject` 或 `event:0`。",
        "The fact: `record:r1`, `subject` or `event:0`.",
        "record:r1",
    ),
    "trace[].fired": Doc("是否适用。", "Whether it fired.", True),
    "trace[].stratum": Doc(
        "规则所在层（先决定、后读取）。", "The rule's stratum (decided before read).", 0
    ),
    "trace[].effect": Doc(
        "规则得出的结论。", "What the rule concluded.", "period validity until 2027-02-10"
    ),
    "trace[].why_not": Doc(
        "未适用的原因（首个不满足的条件）。", "Why it did not fire (the first failing condition)."
    ),
    "trace[].overridden_by": Doc("胜过本规则的规则。", "The rules that won over this one.", []),
    "trace[].basis": Doc(CITATION[1], CITATION[2]),
    "rules": Doc(
        "适用的每条规则（按追踪顺序，各列一次）及其中文标题、所属规则集层和效力层级。",
        "Every rule that fired (in trace order, once each), with its title, layer and rank.",
    ),
    "rules[].id": Doc("规则标识。", "The rule's id.", "nt2018.validity.serious"),
    "rules[].title": Doc("规则的中文标题。", "The rule's Chinese title."),
    "rules[].title_en": Doc("规则的英文标题；没有时为 null。", "Its English title, or null."),
    "rules[].layer": Doc(
        "声明该规则的规则集版本（本规则集或某一上位层），id@version。",
        "The ruleset version (this one or a layer) that declares it, id@version.",
        "cn.national@2026",
    ),
    "rules[].rank": Doc(
        "规则所依文件（首条引文的文件）的效力层级。",
        "The rank of the instrument it is made under (its first citation's document).",
        "部门规章",
    ),
    "displaced": Doc(
        "被其他规则取代的每项结论（按效力层级、默认规则让位或 overrides），以及取代它的规则。",
        "Every conclusion of a fired rule set aside by other rules (rank, default, overrides), "
        "and by which.",
        [],
    ),
    "displaced[].rule": Doc("被取代的规则。", "The rule set aside.", "nt2018.negative.default"),
    "displaced[].fact": Doc("事实。", "The fact.", "record:r1"),
    "displaced[].on": Doc(
        "被取代的值：`status`、`classify:severity`、`period:validity`、`matter:<事项>` 等。",
        "The value set aside: `status`, `classify:severity`, `period:validity`, "
        "`matter:<matter>`, ...",
        "status",
    ),
    "displaced[].by": Doc(
        "其结论成立的规则。", "The rules whose conclusion stands.", ["nt2018.objection.marked"]
    ),
    "warnings": Doc(
        "输入警告：规则未读取的值、结论依赖的自由文本、评估日期未施行的版本（见 bad-input.md）；没有时为空列表。",
        "Input warnings: values no rule read, free text a conclusion depends on, a version not "
        "in force on as_of (see bad-input.md); empty when there are none.",
        [],
    ),
    "warnings[].code": Doc(
        "稳定的警告代码。",
        "The stable warning code.",
        "W101",
        values=("W101", "W102", "W103", "W104"),
    ),
    "warnings[].field": Doc("输入中的字段路径。", "The input's field path.", "records[0].domain"),
    "warnings[].message": Doc(
        "中文 / 英文说明（命令行打印的形式）。",
        "Chinese / English message, as the CLI prints it.",
        "… / …",
    ),
    "warnings[].zh": Doc("中文说明。", "The message in Chinese."),
    "warnings[].en": Doc("英文说明。", "The message in English."),
    "masked": Doc(
        "因识别或指明自然人而遮蔽的每个值在本决定中的位置（JSON Pointer，RFC 6901）："
        "自然人主体的身份证号码、姓名和出生日期，各类责任人员的身份证号码和姓名，records[].fields "
        "中的文字，以及 subject.id 和 measures[].person；调用方明确要求原样保留"
        "（reveal_personal、--reveal-personal）时为空列表（见 privacy.md）。",
        "JSON Pointers (RFC 6901) into this decision of every value masked because it identifies "
        "or names a natural person: a natural-person subject's ID number, name and birth date, "
        "every representative's ID number and name, the text in records[].fields, and "
        "subject.id and measures[].person; empty when the caller asked for them in full "
        "(reveal_personal, --reveal-personal; see privacy.md).",
        [
            "/subject/id",
            "/input/subject/representatives/0/id",
            "/input/subject/representatives/0/name",
        ],
    ),
    "input": Doc(
        "规范化的输入（按 masked 遮蔽），供重放。",
        "The canonical input (masked as masked lists), kept so the decision can be replayed.",
    ),
}

CITATION_DOCS: dict[str, Doc] = {
    "document": Doc("文件名称。", "The instrument's title.", "南通市公共信用信息管理办法(试行)"),
    "number": Doc(
        "文号；没有文号的文件为 null。", "Its number; null where it has none.", "通政发〔2018〕25号"
    ),
    "article": Doc(
        "条款，按原文书写（`第三十条`、`第十二条第三款`、`（七）`）。",
        "The article as written in the instrument.",
        "第三十条",
    ),
    "text": Doc(
        "条文原文，或中文摘要（见 kind）。",
        "The article's text, or a Chinese summary (see kind).",
        "…",
    ),
    "kind": Doc(
        "`quote` 为原文，`summary` 为本项目的中文摘要。",
        "`quote`: the instrument's own words; `summary`: the project's Chinese summary.",
        "quote",
        names=(("quote", "原文"), ("summary", "摘要")),
    ),
    "no_number_reason": Doc(
        "文件没有文号的原因。", "Why the instrument has no number, where it has none."
    ),
    "rank": Doc(
        "文件的效力层级（model/ranks.yaml）；早先的决定中为 null。",
        "The instrument's rank (model/ranks.yaml); null in earlier decisions.",
        "部门规章",
    ),
    "unverified": Doc(
        "条款编号或文字未能核实的原因。", "Why the article's number or wording is not verified."
    ),
}


# ---------------------------------------------------------------------------------------
# Walking the models.
@dataclass(frozen=True)
class FieldRow:
    path: str
    annotation: Any
    required: bool
    nullable: bool


def _strip_optional(ann: Any) -> tuple[Any, bool]:
    if get_origin(ann) in (Union, types.UnionType):
        args = [a for a in get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(get_args(ann))
    return ann, False


def _model_of(ann: Any) -> type[BaseModel] | None:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    return None


def walk(model: type[BaseModel], prefix: str = "") -> Iterator[FieldRow]:
    """Every field of a model, depth first, as dotted paths with ``[]`` for list items."""
    hints = typing.get_type_hints(model)
    for name, info in model.model_fields.items():
        key = info.alias or name
        path = f"{prefix}{key}"
        ann, nullable = _strip_optional(hints[name])
        yield FieldRow(path, ann, info.is_required(), nullable)
        inner = get_args(ann)[0] if get_origin(ann) is list else ann
        sub = _model_of(inner)
        if sub is not None and sub.__name__ != "CitationOut":
            yield from walk(sub, f"{path}[]." if get_origin(ann) is list else f"{path}.")


def _literal_values(ann: Any) -> tuple[str, ...]:
    if get_origin(ann) is list:
        ann = get_args(ann)[0]
    if get_origin(ann) is Literal:
        return tuple(str(v) for v in get_args(ann))
    return ()


def type_text(ann: Any, lang: Lang) -> str:
    """A field's type in words."""
    zh = lang == "zh"
    origin = get_origin(ann)
    if origin is list:
        inner = get_args(ann)[0]
        if _model_of(inner) is not None:
            name = "依据条文" if inner.__name__ == "CitationOut" else "对象"
            return (
                f"{name}列表"
                if zh
                else f"list of {'citations' if name == '依据条文' else 'objects'}"
            )
        return ("列表：" if zh else "list of ") + type_text(inner, lang)
    if origin is Literal:
        return "代码" if zh else "code"
    if origin is dict:
        return "键值对象" if zh else "mapping"
    if _model_of(ann) is not None:
        return "对象" if zh else "object"
    simple = {
        str: ("文本", "string"),
        bool: ("是/否（true/false）", "boolean"),
        int: ("整数", "integer"),
        date: ("日期 YYYY-MM-DD", "date YYYY-MM-DD"),
    }
    if ann in simple:
        return simple[ann][0 if zh else 1]
    if ann is Any:
        return "任意 JSON" if zh else "any JSON"
    raise SystemExit(f"no words for the type {ann!r} in {__file__}")


# ---------------------------------------------------------------------------------------
# Values the bundled rulesets read.
def _comparisons(cond: Any) -> Iterator[Comparison]:
    if isinstance(cond, Comparison):
        yield cond
    elif isinstance(cond, All):
        for c in cond.all:
            yield from _comparisons(c)
    elif isinstance(cond, AnyOf):
        for c in cond.any:
            yield from _comparisons(c)
    elif isinstance(cond, Not):
        yield from _comparisons(cond.not_)


def rules_read() -> dict[str, set[str]]:
    """Condition field → the values the bundled rules compare it with; ``@repair_unmet``
    and ``@repair_route`` → the codes the bundled rules conclude."""
    seen: dict[str, set[str]] = {}
    for entry in list_rulesets():
        rs = load_ruleset(f"{entry.id}@{entry.version}")
        for rule in rs.all_rules():
            for c in _comparisons(rule.when):
                vals: list[Any] = []
                for op in (c.eq, c.ne):
                    if op is not None:
                        vals.append(op)
                for many in (c.in_, c.not_in, c.contains):
                    vals.extend(many or [])
                for v in vals:
                    if isinstance(v, str):
                        for name in (c.field, c.field.removeprefix("record.")):
                            seen.setdefault(name, set()).add(v)
            if rule.then.repair_unmet:
                seen.setdefault("@repair_unmet", set()).add(rule.then.repair_unmet)
            if rule.then.repair_route:
                seen.setdefault("@repair_route", set()).add(rule.then.repair_route)
    return seen


# ---------------------------------------------------------------------------------------
# Rendering.
# The tables are wide: the site shows these pages without the table of contents.
_FRONT = "---\nhide:\n  - toc\n---\n"
HEAD = {
    "zh": _FRONT + "<!-- 由 tools/gen_reference.py 依模型生成，请勿手改。 -->\n",
    "en": _FRONT + "<!-- Generated by tools/gen_reference.py from the models. Do not edit. -->\n",
}


def _code(v: Any) -> str:
    return "`" + json.dumps(v, ensure_ascii=False) + "`"


def _values_cell(values: tuple[str, ...], lang: Lang, names: dict[str, str]) -> str:
    def name(v: str) -> str:
        return names.get(v) or zh_name(v)

    if lang == "zh":
        return "<br>".join(f"`{v}` {name(v)}" for v in values)
    return "<br>".join(f"`{v}` ({name(v)})" for v in values)


def _check_example(row: FieldRow, doc: Doc) -> None:
    if doc.example is None:
        return
    ann = row.annotation
    try:
        TypeAdapter(ann).validate_python(doc.example)
    except Exception as exc:  # a wrong example must not be published
        raise SystemExit(f"the example of {row.path} is not a valid {ann!r}: {exc}") from exc


def table(
    model: type[BaseModel],
    docs: dict[str, Doc],
    lang: Lang,
    read: dict[str, set[str]],
    *,
    output: bool = False,
) -> str:
    """The field table of a model; ``output`` (a Decision, where every field is always
    present) leaves out the required column."""
    zh = lang == "zh"
    heads = (
        ["字段", "类型", "必填", "说明", "取值", "示例"]
        if zh
        else ["field", "type", "required", "meaning", "values", "example"]
    )
    if output:
        del heads[2]
    out = ["| " + " | ".join(heads) + " |", "|" + " --- |" * len(heads)]
    rows = list(walk(model))
    missing = [r.path for r in rows if r.path not in docs]
    if missing:
        raise SystemExit(
            f"no description for {model.__name__} field(s) {', '.join(missing)}: "
            f"add them to {__file__}"
        )
    stale = sorted(set(docs) - {r.path for r in rows})
    if stale:
        raise SystemExit(f"described fields no longer in {model.__name__}: {', '.join(stale)}")
    for row in rows:
        doc = docs[row.path]
        _check_example(row, doc)
        values = _literal_values(row.annotation) or doc.values
        names = dict(doc.names)
        cell = _values_cell(values, lang, names) if values else ""
        if doc.read_by_rules:
            found = sorted(read.get(doc.read_by_rules, set()))
            if not found:
                raise SystemExit(f"no bundled rule reads {doc.read_by_rules} ({row.path})")
            if doc.read_by_rules.startswith("@"):
                label = (
                    "内置规则集给出的代码：<br>" if zh else "codes the bundled rulesets give:<br>"
                )
                listed = _values_cell(tuple(found), lang, names)
            else:
                label = "内置规则集读取的取值：" if zh else "values the bundled rulesets read: "
                listed = ", ".join(f"`{v}`" for v in found)
            cell = (cell + "<br>" if cell else "") + label + listed
        typ = type_text(row.annotation, lang)
        if row.nullable:
            typ += "，可为 null" if zh else ", or null"
        req = ("是" if zh else "yes") if row.required else ""
        example = "" if doc.example is None else _code(doc.example)
        text = doc.zh if zh else doc.en
        cells = [f"`{row.path}`", typ, req, text, cell, example]
        if output:
            del cells[2]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def case_page(lang: Lang, read: dict[str, set[str]]) -> str:
    example = EXAMPLE_CASE.read_text(encoding="utf-8").rstrip()
    Case.model_validate_json(example)  # the example on the page is a valid case
    if lang == "zh":
        intro = """# 案件输入参考

`creditrules evaluate --input FILE` 与 `creditrules.evaluate(ruleset, case)` 读取的输入
（JSON 或 YAML）。未列出的键一律拒收（退出码 2，一行指明字段），不会被悄悄忽略。
机器可读的 JSON Schema 随包发布：`creditrules/schemas/case.schema.json`。

路径写法：`records[].basis.type` 指 `records` 列表中每一项的 `basis` 对象的 `type` 字段。
“取值”一栏列出代码及其中文名；自由文本字段列出内置规则集实际读取的取值——其他取值
也可填写，但没有规则会据此得出结论。

## 示例

完整示例（`examples/nantong-2026.json`）：

```json
{example}
```

## 字段
"""
    else:
        intro = """# Case input reference

The input (JSON or YAML) that `creditrules evaluate --input FILE` and
`creditrules.evaluate(ruleset, case)` read. Keys not listed here are refused (exit 2, one
line naming the field), never silently ignored. The machine-readable JSON Schema ships
with the package: `creditrules/schemas/case.schema.json`.

Paths: `records[].basis.type` is the `type` of the `basis` object of each item of
`records`. The values column gives each code with its Chinese name; for free-text fields
it lists the values the bundled rulesets read — other values are accepted, but no rule
concludes anything from them.

## Example

The complete example (`examples/nantong-2026.json`):

```json
{example}
```

## Fields
"""
    return HEAD[lang] + intro.format(example=example) + "\n" + table(Case, CASE, lang, read) + "\n"


def decision_page(lang: Lang, read: dict[str, set[str]]) -> str:
    zh = lang == "zh"
    cite_rows = [table(CitationOut, CITATION_DOCS, lang, read, output=True)]
    if zh:
        intro = f"""# 决定参考

`creditrules evaluate` 输出、`creditrules.evaluate` 返回的决定文档（`schema_version`
{SCHEMA_VERSION}）。字段只增不改：改名、删除或改变含义须升级 `schema_version` 并在
CHANGELOG 中标明 **Breaking**。机器可读的 JSON Schema：`creditrules/schemas/decision.schema.json`。

每项结论都带 `basis`：所依据条文的列表，每条是

{chr(10).join(cite_rows)}

## 字段
"""
    else:
        intro = f"""# Decision reference

The decision document that `creditrules evaluate` prints and `creditrules.evaluate`
returns (`schema_version` {SCHEMA_VERSION}). Fields are only added: a renaming, removal or
change of meaning needs `schema_version` 2 and a CHANGELOG entry marked **Breaking**. The
machine-readable JSON Schema: `creditrules/schemas/decision.schema.json`.

Every conclusion carries `basis`: the articles it rests on, each

{chr(10).join(cite_rows)}

## Fields
"""
    return HEAD[lang] + intro + "\n" + table(Decision, DECISION, lang, read, output=True) + "\n"


def generate() -> dict[Path, str]:
    """Path (relative to docs/) → text of every generated reference page."""
    read = rules_read()
    out: dict[Path, str] = {}
    for lang in ("zh", "en"):
        lg: Lang = "zh" if lang == "zh" else "en"
        out[Path(lang) / "reference" / "case-input.md"] = case_page(lg, read)
        out[Path(lang) / "reference" / "decision.md"] = decision_page(lg, read)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    files = generate()
    stale = [
        p
        for p, t in files.items()
        if not (DOCS / p).is_file() or (DOCS / p).read_text("utf-8") != t
    ]
    if args.check:
        for p in stale:
            print(f"out of date: docs/{p}", file=sys.stderr)
        return 1 if stale else 0
    for p in stale:
        (DOCS / p).parent.mkdir(parents=True, exist_ok=True)
        (DOCS / p).write_text(files[p], encoding="utf-8")
        print(f"wrote docs/{p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
