"""Render rulesets as browsable Chinese documentation with the quoted law.

One Markdown page per ruleset version: what it is and when it is in force, the
readings chosen for ambiguous articles, then every article the rules cite — its
quoted text followed by the rules, periods, measures and deadlines resting on it.
``creditrules.render.html`` writes the same as standalone HTML pages, each rule beside
its law, with a search box.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from creditrules.api import list_rulesets, load_ruleset
from creditrules.loader import MANIFEST, Ruleset, discover
from creditrules.render.html import render_tree_html
from creditrules.render.words import KIND_MARK, condition_zh, then_zh


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
        block += [f"  - 结论：{t}" for t in then_zh(r)]
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
            mark = KIND_MARK[a.kind] + (f"〔未核实：{a.unverified}〕" if a.unverified else "")
            lines += ["", f"### {a.id}", "", f"> {mark}{a.text}", ""]
            lines += cited[(key, a.id)]
    return "\n".join(lines) + "\n"


#: The formats ``render_tree`` writes: Markdown (docs/rulesets) or standalone HTML pages.
Format = Literal["markdown", "html"]


def render_tree(
    path: Path,
    out: Path,
    *,
    fmt: Format = "markdown",
    on_progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Render every ruleset version under ``path`` into ``out``; return the files written.

    ``fmt`` is ``markdown`` (``ID/VERSION.md`` and a ``README.md`` index) or ``html``
    (``ID/VERSION.html`` and an ``index.html``, see ``creditrules.render.html``).
    ``on_progress(done, total)`` is called after each ruleset version.
    """
    entries = (
        discover([path])
        if (path / MANIFEST).is_file() or any(path.rglob(MANIFEST))
        else list_rulesets()
    )
    if fmt == "html":
        pages = [
            (rs, out / rs.id / f"{rs.version}.html")
            for rs in (load_ruleset(e.folder, roots=[path]) for e in entries)
        ]
        done: list[Path] = []

        def one(target: Path) -> None:
            done.append(target)
            if on_progress is not None:
                on_progress(len(done), len(entries))

        return render_tree_html(pages, out, on_page=one)
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
