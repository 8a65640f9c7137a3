"""Render rulesets as browsable Chinese documentation with the quoted law.

One Markdown page per ruleset version: what it is and when it is in force, the
readings chosen for ambiguous articles, then every article the rules cite — its
quoted text followed by the rules, periods, measures and deadlines resting on it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from creditrules.api import list_rulesets, load_ruleset
from creditrules.loader import MANIFEST, Ruleset, discover
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
_KIND_MARK = {"quote": "〔原文〕", "summary": "〔摘要〕"}


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


def _then_zh(rule: Rule) -> list[str]:
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


def render_ruleset(rs: Ruleset) -> str:
    """One ruleset version as Markdown."""
    m = rs.manifest
    lines = [
        f"# {m.title}（{rs.id}@{rs.version}）",
        "",
        f"- 文号：{m.number or '—'}",
        f"- 发布机关：{m.issuer}",
        f"- 施行：{m.effective_from}"
        + (
            f"，至 {m.effective_to} 止（被 {m.replaced_by} 版取代）"
            if m.effective_to
            else "，现行有效"
        ),
        f"- 版本选择依据：评估日期（{m.law_date}）",
    ]
    if m.extends:
        lines.append(f"- 上位规则集：{m.extends}")
    if m.description:
        lines += ["", m.description.strip()]
    notes = rs.notes
    if notes:
        lines += ["", "## 条文理解（解释选择）", ""]
        for n in notes:
            lines.append(f"- **{n.id}**：{n.text.strip()}")
    docs = rs.all_documents()
    cited: dict[tuple[str, str], list[str]] = {}
    for r in rs.rules:
        block = [
            f"- **{r.id}** {r.title}" + ("（默认规则）" if r.default else ""),
            f"  - 适用于：`{r.applies_to}`；条件：{condition_zh(r.when)}",
        ]
        block += [f"  - 结论：{t}" for t in _then_zh(r)]
        if r.overrides:
            block.append("  - 优先于：" + "、".join(f"`{o}`" for o in r.overrides))
        for c in r.cites:
            cited.setdefault((c.document, c.article), []).append("\n".join(block))
    for mid, meas in rs.measures.items():
        for c in meas.cites:
            cited.setdefault((c.document, c.article), []).append(
                f"- 措施 **{mid}** {meas.title}（{meas.kind}，对象 `{meas.target}`）"
            )
    for key, doc in docs.items():
        arts = [a for a in doc.articles if (key, a.id) in cited]
        if not arts:
            continue
        lines += ["", f"## {doc.title}（{doc.number or key}）", ""]
        lines.append(
            f"{doc.issuer}；效力层级 {doc.rank}"
            + (f"；施行 {doc.effective_from}" if doc.effective_from else "")
            + ("" if doc.number else f"；无文号：{doc.no_number_reason or '未说明'}")
        )
        for a in arts:
            mark = _KIND_MARK[a.kind] + (f"〔未核实：{a.unverified}〕" if a.unverified else "")
            lines += ["", f"### {a.id}", "", f"> {mark}{a.text}", ""]
            lines += cited[(key, a.id)]
    return "\n".join(lines) + "\n"


def render_tree(
    path: Path, out: Path, *, on_progress: Callable[[int, int], None] | None = None
) -> list[Path]:
    """Render every ruleset version under ``path`` into ``out``; return the files written.

    ``on_progress(done, total)`` is called after each ruleset version.
    """
    entries = (
        discover([path])
        if (path / MANIFEST).is_file() or any(path.rglob(MANIFEST))
        else list_rulesets()
    )
    written = []
    index = [
        "# 规则集一览",
        "",
        "| 规则集 | 版本 | 文号 | 施行 | 至 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for e in entries:
        rs = load_ruleset(e.folder, roots=[path])
        target = out / rs.id / f"{rs.version}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_ruleset(rs), encoding="utf-8")
        written.append(target)
        if on_progress is not None:
            on_progress(len(written), len(entries))
        m = rs.manifest
        index.append(
            f"| [{rs.id}]({rs.id}/{rs.version}.md) | {rs.version} | {m.number or ''} | {m.effective_from} | {m.effective_to or ''} |"
        )
    (out / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(out / "README.md")
    return written
