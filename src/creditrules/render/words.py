"""Rules in plain Chinese: conditions and conclusions as the rendered pages show them.

Field names and values stay as written (they are what the YAML and the case say), marked
as code with backticks; the Markdown pages show them as code, the HTML pages as ``<code>``.
"""

from __future__ import annotations

import re

from creditrules.model.ruleset import All, AnyOf, Comparison, Condition, Not, Rule

_OPS = {
    "eq": "为",
    "ne": "不为",
    "in_": "属于",
    "not_in": "不属于",
    "gt": "大于",
    "gte": "不少于",
    "lt": "早于/小于",
    "lte": "不晚于/不大于",
    "contains": "包含",
    "is_null": "为空",
}

#: How a rendered article says what its text is (the same marks as ``explain``).
KIND_MARK = {"quote": "〔原文〕", "summary": "〔摘要〕"}


def condition_zh(cond: Condition | None) -> str:
    """A condition in plain Chinese."""
    if cond is None:
        return "（无条件）"
    if isinstance(cond, All):
        return "；且".join(condition_zh(c) for c in cond.all)
    if isinstance(cond, AnyOf):
        return "（" + "；或".join(condition_zh(c) for c in cond.any) + "）"
    if isinstance(cond, Not):
        return "并非（" + condition_zh(cond.not_) + "）"
    assert isinstance(cond, Comparison)
    if cond.op == "is_null":
        return f"`{cond.field}` {'为空' if cond.value else '不为空'}"
    value = (
        "、".join(str(v) for v in cond.value) if isinstance(cond.value, list) else str(cond.value)
    )
    return f"`{cond.field}` {_OPS[cond.op]} `{value}`"


def then_zh(rule: Rule) -> list[str]:
    t = rule.then
    out = []
    if t.set:
        out.append("设定 " + "，".join(f"`{k}` = `{v}`" for k, v in t.set.items()))
    if t.classify:
        out.append("未填写时认定 " + "，".join(f"`{k}` = `{v}`" for k, v in t.classify.items()))
    if t.period:
        out.append(
            f"期限 `{t.period.name}`：自 `{t.period.from_}` 起 `{t.period.duration}`"
            + ("（届满后方可申请修复）" if t.period.gates_repair else "")
        )
    if t.list:
        out.append(
            f"列入名单 `{t.list.id}`，自 `{t.list.since}` 起"
            + (f"，期限 `{t.list.term}`" if t.list.term else "")
        )
    if t.measure:
        out.append(f"实施措施 `{t.measure.id}`")
    if t.matter:
        out.append(f"事项 `{t.matter.matter}`：`{t.matter.outcome}`")
    if t.deadline:
        out.append(f"期限 `{t.deadline.procedure}`：`{t.deadline.duration}`")
    if t.repair_unmet:
        out.append(f"修复条件未满足：`{t.repair_unmet}`")
    if t.repair_never:
        out.append("不可修复")
    if t.repair_route:
        out.append(f"修复途径：`{t.repair_route}`")
    if t.grade:
        out.append(f"信用等级 `{t.grade.code}` {t.grade.title}（{t.grade.supervision}）")
    return out


_ISO = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")
_WORKING = re.compile(r"^(\d+)WD$")


def duration_zh(text: str) -> str:
    """A duration in Chinese words (``P3Y`` → 3年, ``10WD`` → 10个工作日); anything else as written."""
    m = _ISO.match(text)
    if m and any(m.groups()):
        y, mo, d = m.groups()
        return (f"{y}年" if y else "") + (f"{mo}个月" if mo else "") + (f"{d}日" if d else "")
    w = _WORKING.match(text)
    if w:
        return f"{w.group(1)}个工作日"
    return text
