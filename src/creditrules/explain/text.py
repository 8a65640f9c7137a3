"""The explanation as plain text, in Chinese (default) or English.

The answer comes first (each record, the lists, measures, matters, deadlines and grade),
then why (the ruleset layers, the conclusions set aside and by which rules), then the law:
each article once, by rank and article, named elsewhere by its mark ``[n]``. Lines are at
most ``WIDTH`` columns (a Chinese character takes two). Without ``full``, one record's
explanation fits a screen (``SCREEN`` lines per record): articles are quoted by a short
excerpt, higher law first, as many as fit; the others are named by article only. ``full``
quotes every article in full and lists every rule that fired and every rule that did not.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from creditrules.explain.model import (
    Cite,
    DeadlineAnswer,
    Document,
    Explanation,
    FiredRule,
    LayerAnswer,
    RecordAnswer,
    RuleRef,
)
from creditrules.explain.terms import EN_TERMS, ZH_TERMS
from creditrules.model.rank import hierarchy

WIDTH = 100
#: Lines one record's explanation may take without --all: a screen. English says the same
#: in longer words (the Nantong example: 40 lines in Chinese, 46 in English).
SCREEN = {"zh": 40, "en": 48}
#: Columns of a short excerpt's text (about 20 Chinese characters).
EXCERPT = 40

#: English rank names, without the Chinese gloss some carry in ranks.yaml.
_RANK_EN = {r.id: re.sub(r"\s*\(incl\..*\)$", "", r.en) for r in hierarchy().ranks}

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "信用决定说明",
        "as_of": "评估日期",
        "ruleset": "规则集",
        "on_layers": "上位",
        "record": "信息",
        "publishable": "可公开",
        "not_publishable": "不予公开",
        "usable": "可作为惩戒依据",
        "not_usable": "不得作为惩戒依据",
        "objection": "异议处理中（不影响公示与应用）",
        "archived": "已归档",
        "validity": "有效期至 {}",
        "publication": "公示期 {start} 起，最短至 {min}，最长至 {max}",
        "publication_nomin": "公示期 {} 起，最长至 {}",
        "repair_ok": "信用修复：可申请",
        "repair_not": "信用修复：暂不可申请",
        "repair_never": "信用修复：不可修复",
        "repair_unmet": "（{}）",
        "earliest": "最早 {} 可申请",
        "routes": "途径：{}",
        "lists": "名单",
        "list_line": "{}：{} 至 {}（{}）",
        "same_deadline": "{}：{} 起{}",
        "list_inactive": "已失效",
        "measures": "措施",
        "matters": "事项",
        "undecided": "无规则就此作出规定",
        "not_applicable": "无规则适用于该主体",
        "deadlines": "期限",
        "deadline": "{} 起{}，届满 {}",
        "no_due": "{} 起{}，届满日无法计算",
        "overdue": "〔已逾期〕",
        "due": "届满 {}",
        "grade": "信用等级",
        "warnings": "输入警告",
        "why": "理由",
        "answer": "结论",
        "decided_by": "作出决定",
        "evaluated": "本级",
        "layer": "上位",
        "fired_n": "{}条规则",
        "law_rank_sep": "｜",
        "none_fired": "无规则适用",
        "displaced": "被取代",
        "set_aside_tag": "被取代",
        "n_rules": "{} 条规则",
        "displaced_line": "{}{}：{} 让位于 {}",
        "law": "依据（按效力层级与条款排列）",
        "law_short": "依据（按效力层级与条款排列；摘录，--all 显示全文）",
        "see_also": "另见",
        "rules": "适用的规则",
        "fired": "已适用",
        "set_aside": "被取代：{}，由 {}",
        "unfired": "未适用",
        "none": "无",
        "until": "至 {}",
        "no_number": "无文号：{}",
        "unverified": "〔未核实：{}〕",
        "sep": "，",
        "list_sep": "、",
        "semi": "；",
        "colon": "：",
        "open": "（",
        "close": "）",
        "subject_fact": "信用主体",
        "event_fact": "第 {} 个事件",
    },
    "en": {
        "title": "Credit decision",
        "as_of": "as of",
        "ruleset": "on",
        "on_layers": "on",
        "record": "Record",
        "publishable": "publishable",
        "not_publishable": "not publishable",
        "usable": "usable for sanction",
        "not_usable": "not usable for sanction",
        "objection": "under objection (still in use)",
        "archived": "archived",
        "validity": "valid to {}",
        "publication": "published {start} to {max} (at least to {min})",
        "publication_nomin": "published {}, at most to {}",
        "repair_ok": "repair may be applied for",
        "repair_not": "repair not yet possible",
        "repair_never": "never repairable",
        "repair_unmet": " ({})",
        "earliest": "earliest {}",
        "routes": "routes: {}",
        "lists": "Lists",
        "list_line": "{}: {} to {} ({})",
        "same_deadline": "{}: from {}, {}",
        "list_inactive": "no longer in force",
        "measures": "Measures",
        "matters": "Matters",
        "undecided": "no rule decides it",
        "not_applicable": "no rule applies to this subject",
        "deadlines": "Deadlines",
        "deadline": "from {}, {}, due {}",
        "no_due": "from {}, {}, due date cannot be computed",
        "overdue": "[overdue]",
        "due": "due {}",
        "grade": "Grade",
        "warnings": "Input warnings",
        "why": "Why",
        "answer": "Answer",
        "decided_by": "Decided by",
        "evaluated": "this",
        "layer": "beneath",
        "fired_n": " {} rules",
        "law_rank_sep": ": ",
        "none_fired": " no rule fired",
        "displaced": "Set aside",
        "set_aside_tag": "set aside",
        "n_rules": "{} rules",
        "displaced_line": "{}{}: {} gave way to {}",
        "law": "The law (by rank and article)",
        "law_short": "The law (by rank and article; excerpts, --all quotes in full)",
        "see_also": "also",
        "rules": "Rules that fired",
        "fired": "fired",
        "set_aside": "set aside: {}, by {}",
        "unfired": "did not fire",
        "none": "none",
        "until": "until {}",
        "no_number": "no document number: {}",
        "unverified": "[unverified: {}]",
        "sep": ", ",
        "list_sep": ", ",
        "semi": "; ",
        "colon": ": ",
        "open": " (",
        "close": ")",
        "subject_fact": "subject",
        "event_fact": "event {}",
    },
}

#: The mark shown before each cited text: the instrument's words or the project's summary.
KIND_MARK = {
    "zh": {"quote": "〔原文〕", "summary": "〔摘要〕"},
    "en": {"quote": "[quote]", "summary": "[summary]"},
}


def width(text: str) -> int:
    """Columns the text takes in a terminal (wide and ambiguous characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


_OPENING = frozenset("（〔「『【《“([")
_CLOSING = frozenset("）〕」』】》，。、；：！？)]…")
_TOKEN = re.compile(r"[\x21-\x7e]+|.", re.S)


def wrap(text: str, indent: str = "", cont: str | None = None, limit: int = WIDTH) -> list[str]:
    """``indent + text`` broken into lines of at most ``limit`` columns; continuation lines
    start with ``cont`` (by default two spaces more than ``indent``). Runs of ASCII are
    kept whole where they fit, Chinese text breaks between any two characters, and a
    closing mark never starts a line (the word before it moves down with it)."""
    cont = indent + "  " if cont is None else cont
    lines: list[str] = []
    toks: list[str] = []
    used = width(indent)
    first = True
    for tok in _TOKEN.findall(text):
        w = width(tok)
        if used + w > limit and any(t.strip() for t in toks):
            carry: list[str] = []
            if tok in _CLOSING:
                # Closing marks already on the line move down with it, and the word before.
                while len(toks) > 1 and toks[-1] in _CLOSING:
                    carry.insert(0, toks.pop())
                if len(toks) > 1 and toks[-1] != " ":
                    carry.insert(0, toks.pop())
            while len(toks) > 1 and toks[-1] in _OPENING:
                carry.insert(0, toks.pop())
            lines.append(((indent if first else cont) + "".join(toks)).rstrip())
            first = False
            toks, used = carry, width(cont) + sum(width(t) for t in carry)
            if tok == " ":
                continue
        if used + w > limit:
            # A token longer than a line: cut it.
            for ch in tok:
                cw = width(ch)
                if used + cw > limit and toks:
                    lines.append(((indent if first else cont) + "".join(toks)).rstrip())
                    first = False
                    toks, used = [], width(cont)
                toks.append(ch)
                used += cw
            continue
        toks.append(tok)
        used += w
    if any(t.strip() for t in toks):
        lines.append(((indent if first else cont) + "".join(toks)).rstrip())
    return lines


def marks(ms: Iterable[int]) -> str:
    """``[1-3,5]``: the marks of the articles a conclusion rests on, runs shortened."""
    ms = sorted(set(ms))
    if not ms:
        return ""
    parts: list[str] = []
    start = prev = ms[0]
    for m in [*ms[1:], None]:
        if m is not None and m == prev + 1:
            prev = m
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if m is not None:
            start = prev = m
    return " [" + ",".join(parts) + "]"


_DUR = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def duration(text: str, lang: str) -> str:
    """A duration as the calendar writes it (``10WD``, ``P1Y6M``, ``EOM+1``), in words."""
    zh = lang == "zh"
    if text.endswith("WD") and text[:-2].isdigit():
        n = int(text[:-2])
        return f"{n}个工作日" if zh else f"{n} working day{'s' * (n != 1)}"
    if text.startswith("EOM+") and text[4:].isdigit():
        n = int(text[4:])
        if zh:
            return "当月月底" if n == 0 else f"{n}个月后的月底"
        return "end of the month" if n == 0 else f"end of the month {n} month(s) later"
    if text.startswith("Q-LAST-") and text[7:].isdigit():
        n = int(text[7:])
        return f"季度末月{n}日" if zh else f"day {n} of the quarter's last month"
    m = _DUR.match(text)
    if not m:
        return text
    units = ("年", "个月", "周", "日") if zh else ("year", "month", "week", "day")
    out = []
    for got, u in zip(m.groups(), units, strict=True):
        if got:
            k = int(got)
            out.append(f"{k}{u}" if zh else f"{k} {u}{'s' * (k != 1)}")
    return "".join(out) if zh else " ".join(out)


class _Text:
    def __init__(self, e: Explanation, lang: str, full: bool) -> None:
        self.e, self.lang, self.full = e, lang, full
        self.w = _WORDS[lang]

    # ---------------------------------------------------------------- words for codes
    def term(self, code: str | None) -> str:
        if code is None:
            return "—"
        if self.lang == "zh":
            return ZH_TERMS.get(code, code)
        # A plain code reads as words (not_corrected → not corrected); a dotted id stays.
        return EN_TERMS.get(code, code if "." in code else code.replace("_", " "))

    def on(self, what: str) -> str:
        """The name of a value set aside (``matter:bidding`` → 招标投标)."""
        head, _, rest = what.partition(":")
        if head in ("matter", "list", "deadline", "measure") and rest:
            return self.term(rest)
        return self.term(what)

    def fact(self, fact: str) -> str:
        kind, _, key = fact.partition(":")
        if kind == "record":
            return f"{self.w['record']} {key}"
        if kind == "event" and key.isdigit():
            return self.w["event_fact"].format(int(key) + 1)
        return self.w["subject_fact"]

    def rule(self, r: RuleRef) -> str:
        if self.lang == "zh":
            return f"{r.title}（{r.id}）" if r.title and self.full else r.id
        return f"{r.title_en} ({r.id})" if r.title_en and self.full else r.id

    def rules_named(self, rs: Iterable[RuleRef]) -> str:
        return self.w["list_sep"].join(self.rule(r) for r in rs)

    def items(self, codes: Iterable[str]) -> str:
        return self.w["list_sep"].join(self.term(c) for c in codes)

    # ---------------------------------------------------------------- the answer
    def header(self) -> list[str]:
        e, w = self.e, self.w
        return wrap(
            f"# {w['title']}{w['colon']}{e.subject_id}{w['open']}{self.term(e.subject_type)}"
            f"{w['close']}{w['sep']}{w['as_of']} {e.as_of}{w['sep']}{w['ruleset']} {e.ruleset.ref}"
        )

    def record(self, r: RecordAnswer) -> list[str]:
        w = self.w
        parts = [self.term(r.severity) if r.severity else None]
        parts.append(w["objection"] if r.under_objection else self.term(r.status))
        parts.append(w["publishable"] if r.publishable else w["not_publishable"])
        parts.append(w["usable"] if r.usable_for_sanction else w["not_usable"])
        if r.archived:
            parts.append(w["archived"])
        head = w["sep"].join(p for p in parts if p)
        lines = wrap(f"{w['record']} {r.id}{w['colon']}{head}{marks(r.marks)}")
        period = []
        if r.published_from or r.published_max_until:
            if r.published_min_until:
                period.append(
                    w["publication"].format(
                        start=r.published_from or "—",
                        min=r.published_min_until,
                        max=r.published_max_until or "—",
                    )
                )
            else:
                period.append(
                    w["publication_nomin"].format(
                        r.published_from or "—", r.published_max_until or "—"
                    )
                )
        if r.validity_until:
            period.append(w["validity"].format(r.validity_until))
        if period:
            lines += wrap(w["semi"].join(period) + marks(r.publication_marks), "  ")
        if r.repair_never:
            rep = w["repair_never"]
        elif r.repair_eligible:
            rep = w["repair_ok"]
        else:
            rep = w["repair_not"]
            if r.repair_unmet:
                rep += w["repair_unmet"].format(
                    w["semi"].join(self.term(u) for u in r.repair_unmet)
                )
        extra = []
        if r.repair_earliest_on and not r.repair_never:
            extra.append(w["earliest"].format(r.repair_earliest_on))
        if r.repair_routes:
            extra.append(w["routes"].format(self.items(r.repair_routes)))
        rep = w["semi"].join([rep, *extra])
        return lines + wrap(rep + marks(r.repair_marks), "  ")

    def answer(self) -> list[str]:
        e, w = self.e, self.w
        lines: list[str] = []
        for r in e.records:
            lines += self.record(r)
        many = len(e.records) > 1

        def because(ids: Iterable[str]) -> str:
            ids = list(ids)
            if not ids or (not many and len(ids) == 1):
                return ""
            return f"{w['open']}{w['record']} {self.w['list_sep'].join(ids)}{w['close']}"

        for x in e.lists:
            span = (
                w["list_line"]
                .format(
                    self.term(x.list),
                    x.since or "—",
                    x.until or "—",
                    "",
                )
                .replace(f"{w['open']}{w['close']}", "")
            )
            span += because(x.because)
            if not x.active:
                span += w["sep"] + w["list_inactive"]
            lines += wrap(f"{w['lists']}{w['colon']}{span}{marks(x.marks)}")
        if e.measures:
            untils = {m.until for m in e.measures if m.until}
            shared = untils.pop() if len(untils) == 1 else None
            head = w["measures"]
            if shared:
                head += f"{w['open']}{w['until'].format(shared)}{w['close']}".rstrip()
            lines.append(f"{head}{w['colon']}".rstrip())
            for m in e.measures:
                title = m.title if self.lang == "zh" else (m.title_en or m.id)
                who = "" if m.target == "subject" else w["sep"] + self.term(m.target)
                who += f" {m.person}" if m.person else ""
                until = ""
                if m.until and m.until != shared:
                    until = (" " if self.lang == "en" else "") + w["until"].format(m.until)
                lines += wrap(
                    f"- {title}{w['open']}{self.term(m.kind)}{who}{w['close']}"
                    f"{until}{because(m.because)}{marks(m.marks)}",
                    "  ",
                    "    ",
                )
        if e.matters:
            said = [
                f"{self.term(mt.matter)} "
                f"{self.term(mt.outcome) if mt.outcome else w[mt.no_rule or 'undecided']}"
                f"{marks(mt.marks)}"
                for mt in e.matters
            ]
            lines += wrap(f"{w['matters']}{w['colon']}{w['semi'].join(said)}")
        if e.deadlines:
            lines.append(f"{w['deadlines']}{w['colon']}".rstrip())
            groups: dict[tuple[str, str | None, str], list[DeadlineAnswer]] = {}
            for dl in e.deadlines:
                groups.setdefault((dl.procedure, dl.record, dl.start), []).append(dl)
            for group in groups.values():
                if len(group) == 1:
                    lines += wrap(self.deadline(group[0], many), "  ", "    ")
                else:
                    lines += wrap(self.deadlines_of(group, many), "  ", "    ")
        if e.grade:
            g = e.grade
            title = g.title if self.lang == "zh" else g.code
            lines += wrap(
                f"{w['grade']}{w['colon']}{title}{w['open']}{self.term(g.supervision)}"
                f"{w['close']}{marks(g.marks)}"
            )
        if e.warnings:
            # The same message on several fields is said once, naming the fields.
            by_text: dict[tuple[str, str], list[str]] = {}
            for wx in e.warnings:
                key = (wx.code, wx.zh if self.lang == "zh" else wx.en)
                by_text.setdefault(key, []).append(wx.field)
            items = [
                f"{w['list_sep'].join(fields)}{w['colon']}{text} [{code}]"
                for (code, text), fields in by_text.items()
            ]
            if len(items) == 1:
                lines += wrap(f"{w['warnings']}{w['colon']}{items[0]}", "", "  ")
            else:
                lines.append(f"{w['warnings']}{w['colon']}".rstrip())
                lines += [ln for it in items for ln in wrap(f"- {it}", "  ", "    ")]
        return lines

    def deadlines_of(self, group: list[DeadlineAnswer], many: bool) -> str:
        """Deadlines of one procedure from one day set by several authorities, on one line."""
        w = self.w
        first = group[0]
        name = self.term(first.procedure)
        if first.record and many:
            name += f"{w['open']}{w['record']} {first.record}{w['close']}"
        parts = []
        for dl in group:
            due = dl.due or "—"
            flag = (" " if self.lang == "en" else "") + w["overdue"] if dl.overdue else ""
            parts.append(
                f"{duration(dl.duration, self.lang)}{w['open']}{w['due'].format(due)}{flag}"
                f"{marks(dl.marks)}{w['close']}"
            )
        return f"- {w['same_deadline'].format(name, first.start, '')}{w['semi'].join(parts)}"

    def deadline(self, dl: DeadlineAnswer, many: bool) -> str:
        w = self.w
        name = self.term(dl.procedure)
        if dl.record and many:
            name += f"{w['open']}{w['record']} {dl.record}{w['close']}"
        span = (
            w["deadline"].format(dl.start, duration(dl.duration, self.lang), dl.due)
            if dl.due
            else w["no_due"].format(dl.start, duration(dl.duration, self.lang))
        )
        flag = (" " if self.lang == "en" else "") + w["overdue"] if dl.overdue else ""
        return f"- {name}{w['colon']}{span}{flag}{marks(dl.marks)}"

    # ---------------------------------------------------------------- why
    def layer_line(self, x: LayerAnswer) -> str:
        w = self.w
        role = w["evaluated"] if x.evaluated else w["layer"]
        fired = w["fired_n"].format(x.fired) if x.fired else w["none_fired"]
        return f"{x.ref}{w['open']}{role}{w['sep']}{x.sha256[:8]}{w['close']}{fired}"

    def why(self) -> list[str]:
        e, w = self.e, self.w
        lines = [f"## {w['why']}"]
        lines += wrap(
            w["decided_by"]
            + w["colon"]
            + w["semi"].join(self.layer_line(x) for x in (e.ruleset, *e.layers)),
            "",
            "  ",
        )
        if e.displaced:
            # On one screen, rules set aside are named where one or two are; more are
            # counted (--all names each, beside the rule that prevailed).
            said = [
                w["displaced_line"].format(
                    "" if dp.fact == "subject" else self.fact(dp.fact) + " ",
                    self.on(dp.on),
                    self.rules_named(dp.rules)
                    if self.full or len(dp.rules) <= 2
                    else w["n_rules"].format(len(dp.rules)),
                    self.rules_named(dp.by),
                )
                for dp in e.displaced
            ]
            lines += wrap(f"{w['displaced']}{w['colon']}{w['semi'].join(said)}", "", "  ")
        if self.full:
            lines += self.fired_rules()
        return lines

    def fired_rules(self) -> list[str]:
        e, w = self.e, self.w
        lines = [f"## {w['rules']}"]
        by_layer: dict[str, list[FiredRule]] = {}
        for f in e.fired:
            by_layer.setdefault(f.rule.layer or e.ruleset.ref, []).append(f)
        for x in (e.ruleset, *e.layers):
            got = by_layer.pop(x.ref, [])
            if got:
                lines.append(f"### {x.ref}")
                lines += [ln for f in got for ln in self.fired_line(f)]
        for ref, got in by_layer.items():
            lines.append(f"### {ref}")
            lines += [ln for f in got for ln in self.fired_line(f)]
        if e.unfired:
            lines += [f"## {w['unfired']}"]
            for u in e.unfired:
                why = self.why_not(u.why_not) if u.why_not else "—"
                lines += wrap(
                    f"- [{w['unfired']}] {u.rule} @ {self.fact(u.fact)}{w['colon']}{why}",
                    "  ",
                    "    ",
                )
        return lines

    def fired_line(self, f: FiredRule) -> list[str]:
        w = self.w
        title = f.rule.title if self.lang == "zh" else f.rule.title_en
        tag = w["fired"]
        extra = ""
        if f.displaced_on:
            tag = w["set_aside_tag"]
            by = w["list_sep"].join(f.displaced_by)
            extra = f"{w['semi']}{w['set_aside'].format(self.items_on(f.displaced_on), by)}"
        name = f"{title}{w['open']}{f.rule.id}{w['close']}" if title else f.rule.id
        return wrap(f"- [{tag}] {name} @ {self.fact(f.fact)}{extra}{marks(f.marks)}", "  ", "    ")

    def items_on(self, whats: Iterable[str]) -> str:
        return self.w["list_sep"].join(self.on(x) for x in whats)

    _OPS = {
        "zh": {
            "eq": "等于",
            "ne": "不等于",
            "in": "属于",
            "not_in": "不属于",
            "contains": "包含",
            "gt": "大于",
            "gte": "不小于",
            "lt": "小于",
            "is_null": "为空",
        },
        "en": {},
    }
    _WHY = re.compile(r"^(\S+) = (.*?), needs (not )?(\w+) (.*)$")

    def why_not(self, text: str) -> str:
        """A reason a rule did not fire (``field = value, needs op value``), in words."""
        if self.lang == "en":
            return text
        out = []
        for part in text.split(" and "):
            m = self._WHY.match(part)
            if not m:
                out.append("条件不满足")
                continue
            field, got, neg, op, want = m.groups()
            want = "" if op == "is_null" else _value_zh(want)
            verb = self._OPS["zh"].get(op, "满足条件")
            out.append(f"「{field}」为 {_value_zh(got)}，条件要求{'不' if neg else ''}{verb}{want}")
        return "；或".join(out)

    # ---------------------------------------------------------------- the law
    def doc_head(self, d: Document) -> str:
        w = self.w
        rank = d.rank if self.lang == "zh" else _RANK_EN.get(d.rank or "", d.rank)
        head = f"{rank or '—'}{w['law_rank_sep']}{d.document}"
        if d.number:
            head += f"{w['open']}{d.number}{w['close']}"
        elif d.no_number_reason:
            # The reason is the project's Chinese note: in full with --all, and in Chinese.
            why = d.no_number_reason if self.full and self.lang == "zh" else ""
            head += f"{w['open']}{w['no_number'].format(why).rstrip('：: ')}{w['close']}"
        return head

    def cite_line(self, c: Cite, excerpt: bool, lead: str = "  ") -> list[str]:
        w = self.w
        mark = KIND_MARK[self.lang].get(c.kind or "", "")
        if c.unverified:
            mark += (
                w["unverified"].format(c.unverified)
                if self.full
                else w["unverified"].format("").replace("：", "").replace(": ", "")
            )
        head = f"[{c.mark}] {c.article}{mark}"
        colon = w["colon"]
        if not excerpt:
            return wrap(f"{head}{colon}{c.text}", lead, "      ")
        room = WIDTH - width(lead + head + colon)
        return [f"{lead}{head}{colon}{_cut(c.text, max(min(room, EXCERPT), 8))}"]

    def compact(self, cites: list[Cite]) -> str:
        """Articles named without their text. Consecutive marks are given once as a range
        (``[4-7] 第七条、第九条（一）、（二）、第十二条``); parts of one article name it once."""
        sep = self.w["list_sep"]
        ms = [c.mark for c in cites]
        if ms == list(range(ms[0], ms[0] + len(ms))):
            groups: list[tuple[str | None, list[str]]] = []
            for c in cites:
                m = _ARTICLE.match(c.article)
                art = m.group(0) if m else None
                rest = c.article[len(art) :] if art else c.article
                if art and groups and groups[-1][0] == art:
                    groups[-1][1].append(rest)
                else:
                    groups.append((art, [rest]))
            names = [(art or "") + _parts(rest) for art, rest in groups]
            return marks(ms).strip() + " " + sep.join(names)
        return sep.join(f"[{c.mark}]{c.article}" for c in cites)

    def law(self, budget: int | None) -> list[str]:
        """The cited articles. With a ``budget`` of lines, articles are quoted by excerpt,
        in order, while they fit, and the others named by article only."""
        e, w = self.e, self.w
        if not e.documents:
            return []
        title = w["law"] if self.full else w["law_short"]
        if budget is None:
            lines = [f"## {title}"]
            for d in e.documents:
                lines += wrap(self.doc_head(d))
                for c in d.cites:
                    lines += self.cite_line(c, excerpt=False)
            return lines
        cites = e.citations
        quoted = len(cites)
        while True:
            lines = self._law_lines(title, {c.mark for c in cites[:quoted]})
            if len(lines) <= budget or quoted == 0:
                return lines
            quoted -= 1

    def _law_lines(self, title: str, quoted: set[int]) -> list[str]:
        w = self.w
        lines = [f"## {title}"]
        for d in self.e.documents:
            head = self.doc_head(d)
            rest = [c for c in d.cites if c.mark not in quoted]
            if not rest and len(d.cites) == 1:
                # One article quoted: on the instrument's line where it fits.
                one = self.cite_line(d.cites[0], excerpt=True, lead=head + " ")
                if width(one[0]) <= WIDTH and len(one) == 1:
                    lines += one
                    continue
            if rest and len(rest) == len(d.cites):
                lines += wrap(f"{head} {self.compact(rest)}", "", "  ")
                continue
            lines += wrap(head)
            for c in d.cites:
                if c.mark in quoted:
                    lines += self.cite_line(c, excerpt=True)
            if rest:
                lines += wrap(w["see_also"] + w["colon"] + self.compact(rest), "  ", "    ")
        return lines


def _value_zh(text: str) -> str:
    """A value as the condition check writes it (``True``, ``null``, ``'tax'``), for a
    Chinese reader: 是, 否, 空; codes stay quoted."""
    words = {"True": "是", "False": "否", "null": "空", "None": "空"}
    return re.sub(r"\b(True|False|null|None)\b", lambda m: words[m.group(1)], text)


_ARTICLE = re.compile(r"^第[零〇一二两三四五六七八九十百千0-9]+条")
_CLAUSE = re.compile(r"^第([零〇一二两三四五六七八九十百千0-9]+)款$")
_ITEM = re.compile(r"^（[零〇一二两三四五六七八九十百千0-9]+）$")


def _parts(parts: list[str]) -> str:
    """The cited parts of one article, named once: 第一、二、三款; （一）（二）; 及（一）."""
    whole = "" in parts
    rest = [p for p in parts if p]
    if not rest:
        return ""
    if all(_CLAUSE.match(p) for p in rest):
        said = "第" + "、".join(_CLAUSE.match(p).group(1) for p in rest) + "款"  # type: ignore[union-attr]
    elif all(_ITEM.match(p) for p in rest):
        said = "".join(rest)
    else:
        said = "、".join(rest)
    return ("及" if whole else "") + said


def _cut(text: str, cols: int) -> str:
    """The start of ``text`` in at most ``cols`` columns, ending at a sentence or with ……"""
    out, used = "", 0
    for ch in text:
        cw = width(ch)
        if used + cw > cols:
            return out.rstrip("，,、；;：:") + "……"
        out += ch
        used += cw
        if ch in "。；;" and used > cols // 2:
            return out
    return out


def render(e: Explanation, *, lang: str = "zh", full: bool = False) -> str:
    """The text ``creditrules explain`` prints for an explanation."""
    t = _Text(e, lang, full)
    lines = t.header() + t.answer() + t.why()
    budget = None if full else SCREEN[lang] * max(1, len(e.records)) - len(lines)
    lines += t.law(budget)
    return "\n".join(lines) + "\n"
