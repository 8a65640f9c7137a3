"""The field dictionary: every field a rule condition may read, by fact kind.

Rules see flat facts. A record fact carries the record's input fields (dotted for
nested ones, e.g. ``basis.procedure``), the subject's type, the values that rules
derive (``status``, ``validity.elapsed``, ...) and the values that named built-in
derivations compute across facts (``same_type_since_correction``, ...). Listing
them here lets validation reject ``severty`` with a position and a suggestion,
which durable_rules itself would silently accept and never fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from creditrules.model.vocab import (
    BasisType,
    Category,
    Disclosure,
    EventType,
    Penalty,
    Procedure,
    RecordStatus,
    SeverityName,
    SubjectType,
    values,
)

FieldType = Literal["str", "bool", "int", "date", "list"]
Origin = Literal["input", "derived", "builtin"]


@dataclass(frozen=True)
class FieldInfo:
    """One readable field."""

    name: str
    type: FieldType
    origin: Origin
    values: tuple[str, ...] = ()
    title: str = ""


def _f(
    name: str, type_: FieldType, origin: Origin, vocab: object = None, title: str = ""
) -> FieldInfo:
    return FieldInfo(name, type_, origin, values(vocab) if vocab is not None else (), title)


PERIOD_NAMES = (
    "validity",
    "publication_min",
    "publication_max",
    "repair_wait",
    "list_term",
    "lookback",
)

_RECORD_INPUT = [
    _f("category", "str", "input", Category, "信息类别"),
    _f("domain", "str", "input", None, "领域"),
    _f("behavior", "str", "input", None, "失信行为"),
    _f("basis.type", "str", "input", BasisType, "认定依据类型"),
    _f("basis.procedure", "str", "input", Procedure, "处罚程序"),
    _f("basis.penalties", "list", "input", Penalty, "处罚种类"),
    _f("basis.number", "str", "input", None, "文书号"),
    _f("basis.term_until", "date", "input", None, "处罚所附期限届满日"),
    _f("determined_on", "date", "input", None, "认定日期"),
    _f("published_on", "date", "input", None, "公示日期"),
    _f("corrected_on", "date", "input", None, "纠正日期"),
    _f("obligations_performed_on", "date", "input", None, "履行义务日期"),
    _f("list.id", "str", "input", None, "名单"),
    _f("list.listed_on", "date", "input", None, "列入日期"),
    _f("list.term", "str", "input", None, "名单期限"),
    _f("list.ground", "str", "input", None, "列入事由"),
    _f("disclosure", "str", "input", Disclosure, "公开类别"),
    _f("intentional", "bool", "input", None, "主观故意"),
    _f("first_time", "bool", "input", None, "初次失信"),
    _f("fault_tolerance", "bool", "input", None, "符合容错纠错"),
    _f("self_remedied", "bool", "input", None, "主动挽回损失"),
    _f("subject.type", "str", "input", SubjectType, "信用主体类型"),
    _f("severity_marked", "bool", "input", None, "信息提供单位已标明失信程度"),
]
_RECORD_DERIVED = [
    # severity is both input and derivable: `classify` fills it where the input left it empty.
    _f("severity", "str", "derived", SeverityName, "失信程度"),
    _f("status", "str", "derived", RecordStatus, "状态"),
    _f("publishable", "bool", "derived", None, "可公开"),
    _f("usable_for_sanction", "bool", "derived", None, "可作为惩戒依据"),
    _f("archived", "bool", "derived", None, "转为档案保存"),
    _f("negative", "bool", "derived", None, "属于失信信息"),
]
_RECORD_BUILTIN = [
    _f("same_type_since_correction", "bool", "builtin", None, "纠正后一年内再次发生同类失信行为"),
    _f("objection.open", "bool", "builtin", None, "异议处理中"),
    _f("objection.provider_overdue", "bool", "builtin", None, "信息提供单位逾期未核实"),
    _f("objection.upheld", "bool", "builtin", None, "异议成立"),
    _f("repair.applied", "bool", "builtin", None, "已申请修复"),
    _f("repair.pledged", "bool", "builtin", None, "已作出信用承诺"),
    _f("repair.granted", "bool", "builtin", None, "已修复"),
    _f("volunteer_service", "bool", "builtin", None, "已参加志愿服务"),
    _f("during_key_attention", "bool", "builtin", None, "重点关注名单有效期内发生"),
    _f("paid_before_publication", "bool", "builtin", None, "公布前已履行（缴清）"),
    _f("list.active", "bool", "builtin", None, "所载名单在评估日有效"),
    _f("subject.is_minor", "bool", "builtin", None, "信用主体为未成年人"),
    _f("subject.minor_on_listing", "bool", "builtin", None, "列入名单之日信用主体为未成年人"),
    _f("basis.term_running", "bool", "builtin", None, "处罚所附期限在评估日尚未届满"),
]
_SUBJECT = [
    _f("type", "str", "input", SubjectType, "信用主体类型"),
    _f("is_minor", "bool", "builtin", None, "未成年人"),
    _f("key_attention_domains", "int", "builtin", None, "被列入重点关注名单的不同领域数"),
    _f("key_attention_since", "date", "builtin", None, "有效重点关注名单达到3个不同领域之日"),
    _f("lists", "list", "builtin", None, "有效名单"),
    _f("measures", "list", "builtin", None, "适用措施"),
    _f("negative_active", "int", "builtin", None, "有效失信信息数"),
    _f("serious_active", "int", "builtin", None, "有效严重失信信息数"),
    _f("positive_active", "int", "builtin", None, "正面信息数"),
]
_EVENT = [
    _f("type", "str", "input", EventType, "事件类型"),
    _f("on", "date", "input", None, "日期"),
    _f("pledge", "bool", "input", None, "信用承诺"),
    _f("record.category", "str", "input", Category, "信息类别"),
    _f("record.severity", "str", "input", SeverityName, "失信程度"),
    _f("record.list.id", "str", "input", None, "名单"),
    _f("record.basis.type", "str", "input", BasisType, "认定依据类型"),
    _f("record.domain", "str", "input", None, "领域"),
    _f("record.list.ground", "str", "input", None, "列入事由"),
    _f("record.list.term", "str", "input", None, "名单期限"),
    _f("subject.type", "str", "input", SubjectType, "信用主体类型"),
]


def _period_fields() -> list[FieldInfo]:
    out: list[FieldInfo] = []
    for name in PERIOD_NAMES:
        out.append(FieldInfo(f"{name}.until", "date", "derived", (), f"{name} 届满日"))
        out.append(FieldInfo(f"{name}.elapsed", "bool", "derived", (), f"{name} 已届满"))
    return out


_AS_OF = [_f("as_of", "date", "input", None, "评估日期")]

BUILTIN_FIELDS: dict[str, dict[str, FieldInfo]] = {
    "record": {
        f.name: f
        for f in _AS_OF + _RECORD_INPUT + _RECORD_DERIVED + _RECORD_BUILTIN + _period_fields()
    },
    "subject": {f.name: f for f in _AS_OF + _SUBJECT},
    "event": {f.name: f for f in _AS_OF + _EVENT},
}

#: Values a rule may write with ``set``/``classify`` on each kind of fact (rulesets add more).
SETTABLE: dict[str, set[str]] = {
    "record": {"severity", "status", "publishable", "usable_for_sanction", "archived", "negative"},
    "subject": set(),
    "event": set(),
}
