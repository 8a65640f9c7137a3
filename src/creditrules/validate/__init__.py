"""Semantic checks of a loaded ruleset, each returning diagnostics.

Shape is the models' job; this layer checks what only the whole ruleset can tell:
citations resolve to quoted articles, conditions read real fields with real values,
durations parse, overrides and measures exist, conclusions suit their fact kind.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import replace
from typing import Literal

from creditrules.calendar import parse_duration
from creditrules.diagnostics import Diagnostic, Span, finalize
from creditrules.loader import Located, Ruleset
from creditrules.model.facts import BUILTIN_FIELDS, SETTABLE, FieldInfo
from creditrules.model.ruleset import All, AnyOf, Citation, Comparison, Condition, Not, Rule
from creditrules.validate.citations import check_citation_law
from creditrules.validate.in_force import check_in_force
from creditrules.validate.legal import check_legal
from creditrules.validate.rank import check_bars, check_rank

__all__ = ["check_ruleset", "field_dictionary"]


# Lists are a closed vocabulary (an unknown one is refused in a case, CR310 in a rule).
# Domains and behaviours are open: the providing units' catalogues vary, so a value outside
# them is a warning at evaluation (W102), and rules may compare values not yet declared.
_VOCAB_FIELDS = {
    "lists": (("record", "list.id"), ("event", "record.list.id"), ("subject", "lists")),
}


def field_dictionary(rs: Ruleset) -> dict[str, dict[str, FieldInfo]]:
    """Built-in fields plus the attributes this ruleset (and its parents) declare, with the
    list ids of the ruleset's vocabulary where it declares them."""
    fields = {kind: dict(d) for kind, d in BUILTIN_FIELDS.items()}
    voc = rs.vocabulary()
    for section, targets in _VOCAB_FIELDS.items():
        ids = tuple(v.id for v in getattr(voc, section))
        if ids:
            for kind, name in targets:
                fields[kind][name] = replace(fields[kind][name], values=ids)
    for a in rs.all_attributes():
        fields[a.applies_to][a.name] = FieldInfo(
            a.name,
            "bool" if a.type == "bool" else ("int" if a.type == "int" else "str"),
            "derived",
            tuple(a.values),
            a.title,
        )
    return fields


def _settable(rs: Ruleset) -> dict[str, set[str]]:
    out = {k: set(v) for k, v in SETTABLE.items()}
    for a in rs.all_attributes():
        out[a.applies_to].add(a.name)
    return out


def _span(loc: Located | None, *sub: str | int) -> Span | None:
    return loc.span(*sub) if loc else None


def _suggest(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def check_citations(
    rs: Ruleset,
    cites: list[Citation],
    loc: Located | None,
    base: tuple[str | int, ...],
    owner: str,
    rule: str | None = None,
) -> Iterator[Diagnostic]:
    docs = rs.all_documents()
    if not cites:
        yield Diagnostic(
            "CR305",
            f"{owner} cites no article of law",
            _span(loc, *base) if loc else None,
            rule=rule,
        )
        return
    for i, c in enumerate(cites):
        doc = docs.get(c.document)
        if doc is None:
            yield Diagnostic(
                "CR303",
                f"citation names document '{c.document}', which is not in the registry",
                _span(loc, *base, i, "document"),
                rule=rule,
                help=_suggest(c.document, sorted(docs)),
            )
            continue
        arts = {a.id: a for a in doc.articles}
        art = arts.get(c.article)
        if art is None:
            yield Diagnostic(
                "CR304",
                f"document '{c.document}' quotes no article '{c.article}'",
                _span(loc, *base, i, "article"),
                rule=rule,
                help=_suggest(c.article, sorted(arts)),
            )
            continue
        if c.quote and c.quote not in art.text:
            yield Diagnostic(
                "CR304",
                f"the quote '{c.quote}' does not appear in {c.document} {c.article}",
                _span(loc, *base, i, "quote"),
                rule=rule,
                help="copy the quote exactly from the article text, or drop it",
            )


def _walk(
    cond: Condition, path: tuple[str | int, ...]
) -> Iterator[tuple[Comparison, tuple[str | int, ...]]]:
    if isinstance(cond, All):
        for i, c in enumerate(cond.all):
            yield from _walk(c, path + ("all", i))
    elif isinstance(cond, AnyOf):
        for i, c in enumerate(cond.any):
            yield from _walk(c, path + ("any", i))
    elif isinstance(cond, Not):
        yield from _walk(cond.not_, path + ("not",))
    else:
        yield cond, path


def check_rule(
    rs: Ruleset, rule: Rule, fields: dict[str, dict[str, FieldInfo]], rule_ids: set[str]
) -> Iterator[Diagnostic]:
    loc = rs.locate("rule", rule.id)
    kind_fields = fields[rule.applies_to]
    if rule.when is not None:
        for cmp, path in _walk(rule.when, ("when",)):
            info = kind_fields.get(cmp.field)
            if info is None:
                yield Diagnostic(
                    "CR302",
                    f"condition uses '{cmp.field}', which is not a field of a {rule.applies_to} fact",
                    _span(loc, *path, "field"),
                    rule=rule.id,
                    help=_suggest(cmp.field, sorted(kind_fields)),
                )
                continue
            yield from _check_values(cmp, info, loc, path, rule.id)
    then = rule.then
    settable = _settable(rs)[rule.applies_to]
    for key in ("set", "classify"):
        mapping = getattr(then, key)
        for attr, value in (mapping or {}).items():
            if attr not in settable:
                yield Diagnostic(
                    "CR302",
                    f"`{key}` writes '{attr}', which rules may not set on a {rule.applies_to} fact",
                    _span(loc, "then", key, attr),
                    rule=rule.id,
                    help=_suggest(attr, sorted(settable))
                    or f"settable here: {', '.join(sorted(settable)) or 'nothing'}",
                )
                continue
            info = kind_fields.get(attr)
            if info and info.values and str(value) not in info.values:
                yield Diagnostic(
                    "CR310",
                    f"'{attr}' cannot be {value!r}; allowed: {', '.join(info.values)}",
                    _span(loc, "then", key, attr),
                    rule=rule.id,
                )
    record_only = {
        "period": then.period,
        "measure": then.measure,
        "repair_unmet": then.repair_unmet,
        "repair_never": then.repair_never,
        "repair_route": then.repair_route,
        "repair_after": then.repair_after,
    }
    for name, val in record_only.items():
        if val is not None and rule.applies_to != "record":
            yield Diagnostic(
                "CR312",
                f"`{name}` concludes about a record, but the rule applies to {rule.applies_to} facts",
                _span(loc, "then", name),
                rule=rule.id,
            )
    if then.list is not None and rule.applies_to == "event":
        yield Diagnostic(
            "CR312",
            "`list` applies to records or the subject, not events",
            _span(loc, "then", "list"),
            rule=rule.id,
        )
    for name, subject_val in {"matter": then.matter, "grade": then.grade}.items():
        if subject_val is not None and rule.applies_to != "subject":
            yield Diagnostic(
                "CR312",
                f"`{name}` concludes about the subject, but the rule applies to {rule.applies_to} facts",
                _span(loc, "then", name),
                rule=rule.id,
            )
    if then.deadline is not None and rule.applies_to != "event":
        yield Diagnostic(
            "CR312",
            f"`deadline` runs from an event's date, but the rule applies to {rule.applies_to} facts",
            _span(loc, "then", "deadline"),
            rule=rule.id,
        )
    durations: list[tuple[str, tuple[str | int, ...]]] = []
    if then.period:
        durations.append((then.period.duration, ("then", "period", "duration")))
        date_fields = [n for n, f in kind_fields.items() if f.type == "date"]
        if then.period.from_ not in date_fields:
            yield Diagnostic(
                "CR302",
                f"period runs from '{then.period.from_}', which is not a date field of a {rule.applies_to} fact",
                _span(loc, "then", "period", "from"),
                rule=rule.id,
                help=_suggest(then.period.from_, date_fields),
            )
    if then.list:
        if then.list.term:
            durations.append((then.list.term, ("then", "list", "term")))
        date_fields = [n for n, f in kind_fields.items() if f.type == "date"]
        if then.list.since not in date_fields:
            yield Diagnostic(
                "CR302",
                f"list entry runs from '{then.list.since}', which is not a date field",
                _span(loc, "then", "list", "since"),
                rule=rule.id,
                help=_suggest(then.list.since, date_fields),
            )
    if then.deadline:
        durations.append((then.deadline.duration, ("then", "deadline", "duration")))
    if then.repair_after:
        date_fields = [n for n, f in kind_fields.items() if f.type == "date"]
        if then.repair_after not in date_fields:
            yield Diagnostic(
                "CR302",
                f"repair_after names '{then.repair_after}', which is not a date field",
                _span(loc, "then", "repair_after"),
                rule=rule.id,
                help=_suggest(then.repair_after, date_fields),
            )
    for text, path in durations:
        if text.startswith("param:"):
            name = text.removeprefix("param:")
            params = rs.all_parameters()
            if name not in params:
                yield Diagnostic(
                    "CR314",
                    f"duration names parameter '{name}', which is not declared",
                    _span(loc, *path),
                    rule=rule.id,
                    help=_suggest(name, sorted(params)),
                )
                continue
            text = str(params[name].value)
        try:
            parse_duration(text)
        except ValueError as exc:
            yield Diagnostic(
                "CR205", f"cannot read duration '{text}': {exc}", _span(loc, *path), rule=rule.id
            )
    measures = rs.all_measures()
    refs: list[tuple[str, tuple[str | int, ...]]] = []
    if then.measure:
        refs.append((then.measure.id, ("then", "measure", "id")))
    if then.matter:
        refs += [(m, ("then", "matter", "measures", i)) for i, m in enumerate(then.matter.measures)]
    for mid, path in refs:
        if mid not in measures:
            yield Diagnostic(
                "CR307",
                f"measure '{mid}' is not declared",
                _span(loc, *path),
                rule=rule.id,
                help=_suggest(mid, sorted(measures)),
            )
    for i, other in enumerate(rule.overrides):
        if other == rule.id:
            yield Diagnostic(
                "CR306",
                f"rule '{rule.id}' overrides itself",
                _span(loc, "overrides", i),
                rule=rule.id,
                help="name the other rule it prevails over, or remove the entry",
            )
        elif other not in rule_ids:
            # A parent chosen by date may hold the rule in another of its versions: then it is
            # only a warning here (the override is idle in this version).
            severity: Literal["error", "warning"] = "warning" if rs.parent is not None else "error"
            yield Diagnostic(
                "CR306",
                f"overrides '{other}', which is not a rule"
                + (f" of this version or {rs.parent.ref}" if rs.parent else ""),
                _span(loc, "overrides", i),
                rule=rule.id,
                help=_suggest(other, sorted(rule_ids)),
                severity=severity,
            )
    yield from check_citations(rs, rule.cites, loc, ("cites",), "the rule", rule.id)


def _check_values(
    cmp: Comparison, info: FieldInfo, loc: Located | None, path: tuple[str | int, ...], rule_id: str
) -> Iterator[Diagnostic]:
    op = cmp.op
    if op == "is_null":
        return
    key = "in" if op == "in_" else op
    vals = cmp.value if isinstance(cmp.value, list) else [cmp.value]

    def at(i: int) -> Span | None:
        # Point at the offending value under its operator key, not at the comparison.
        return _span(loc, *path, key, i) if isinstance(cmp.value, list) else _span(loc, *path, key)

    if op == "contains" and info.type != "list":
        yield Diagnostic(
            "CR203",
            f"'contains' needs a list field; '{info.name}' is {info.type}",
            _span(loc, *path),
            rule=rule_id,
        )
        return
    if op != "contains" and info.type == "list":
        yield Diagnostic(
            "CR203",
            f"'{info.name}' is a list: test it with 'contains'",
            _span(loc, *path),
            rule=rule_id,
        )
        return
    if op in ("gt", "gte", "lt", "lte") and info.type not in ("int", "date"):
        yield Diagnostic(
            "CR203",
            f"'{op}' compares numbers or dates; '{info.name}' is {info.type}",
            _span(loc, *path),
            rule=rule_id,
        )
        return
    for i, v in enumerate(vals):
        if info.type == "str" and not isinstance(v, str):
            # durable_rules compares loosely ('true' == true); the reference does not.
            yield Diagnostic(
                "CR203",
                f"'{info.name}' is text: write {v!r} as a quoted string",
                at(i),
                rule=rule_id,
            )
            continue
        if info.type == "bool" and not isinstance(v, bool):
            yield Diagnostic(
                "CR203", f"'{info.name}' is true or false, not {v!r}", at(i), rule=rule_id
            )
        elif info.type == "int" and (isinstance(v, bool) or not isinstance(v, int)):
            yield Diagnostic(
                "CR203", f"'{info.name}' is a whole number, not {v!r}", at(i), rule=rule_id
            )
        elif info.type == "date" and not _is_iso_date(v):
            yield Diagnostic(
                "CR204",
                f"'{info.name}' compares with dates written YYYY-MM-DD, not {v!r}",
                at(i),
                rule=rule_id,
            )
        elif info.values and str(v) not in info.values:
            yield Diagnostic(
                "CR310",
                f"'{info.name}' is never {v!r}; allowed: {', '.join(info.values)}",
                at(i),
                rule=rule_id,
                help=_suggest(str(v), list(info.values)),
            )


def check_vocabulary_ids(rs: Ruleset) -> Iterator[Diagnostic]:
    """Lists and matters that rules, list definitions and measures name are in the vocabulary
    (where the ruleset declares one: a fixture or draft with no vocabulary is not checked)."""
    voc = rs.vocabulary()
    lists = sorted(v.id for v in voc.lists)
    matters = sorted(v.id for v in voc.matters)
    if not lists and not matters:
        return

    def unknown(
        kind: str, value: str, known: list[str], span: Span | None, rule: str | None
    ) -> Diagnostic:
        return Diagnostic(
            "CR310",
            f"{kind} '{value}' is not in the ruleset's vocabulary; declare it under "
            f"`vocabulary: {kind}s:` or use one of: {', '.join(known) or 'none declared'}",
            span,
            rule=rule,
            help=_suggest(value, known),
        )

    for rule in rs.rules:
        loc = rs.locate("rule", rule.id)
        t = rule.then
        if t.list is not None and t.list.id not in lists:
            yield unknown("list", t.list.id, lists, _span(loc, "then", "list", "id"), rule.id)
        if t.matter is not None and t.matter.matter not in matters:
            yield unknown(
                "matter", t.matter.matter, matters, _span(loc, "then", "matter", "matter"), rule.id
            )
    for ld in rs.lists.values():
        loc = rs.locate("list", ld.id)
        if ld.id not in lists:
            yield unknown("list", ld.id, lists, _span(loc, "id"), None)
        for m in ld.matters:
            if m not in matters:
                yield unknown("matter", m, matters, _span(loc, "matters", m), None)
    for ms in rs.measures.values():
        for i, m in enumerate(ms.bars):
            if m not in matters:
                yield unknown(
                    "matter", m, matters, _span(rs.locate("measure", ms.id), "bars", i), None
                )


def _is_iso_date(v: object) -> bool:
    from datetime import date

    if not isinstance(v, str) or len(v) != 10:
        return False
    try:
        date.fromisoformat(v)
    except ValueError:
        return False
    return True


def check_ruleset(rs: Ruleset) -> list[Diagnostic]:
    """All semantic checks of one ruleset (its parent is checked on its own)."""
    diags: list[Diagnostic] = []
    fields = field_dictionary(rs)
    rule_ids = {r.id for r in rs.all_rules()}
    # Conditions are checked with their ``param:`` values read (as they are evaluated).
    resolved = {r.id: r for r in rs.all_rules()}
    for rule in rs.rules:
        diags += check_rule(rs, resolved.get(rule.id, rule), fields, rule_ids)
    for m in rs.measures.values():
        diags += check_citations(
            rs, m.cites, rs.locate("measure", m.id), ("cites",), f"measure '{m.id}'"
        )
    for f in rs.forbidden_fields:
        diags += check_citations(
            rs, f.cites, rs.locate("forbidden", f.name), ("cites",), f"forbidden field '{f.name}'"
        )
    for n in rs.notes:
        loc = rs.locate("note", n.id)
        if n.cites:
            diags += check_citations(rs, n.cites, loc, ("cites",), f"note '{n.id}'")
    for key, doc in rs.documents.items():
        seen: set[str] = set()
        loc = rs.locate("document", key)
        for i, art in enumerate(doc.articles):
            if art.id in seen:
                diags.append(
                    Diagnostic(
                        "CR301",
                        f"document '{key}' quotes article '{art.id}' twice",
                        _span(loc, "articles", i, "id"),
                    )
                )
            seen.add(art.id)
    for ld in rs.lists.values():
        loc = rs.locate("list", ld.id)
        if ld.criteria:
            diags += check_citations(rs, ld.criteria, loc, ("criteria",), f"list '{ld.id}'")
        for key in ("conditions", "procedure", "remedies"):
            cites = getattr(ld.removal, key) if ld.removal else []
            if cites:
                diags += check_citations(rs, cites, loc, ("removal", key), f"list '{ld.id}'")
    for rule in rs.rules:
        if rule.defers:
            diags += check_citations(
                rs,
                rule.defers.cites,
                rs.locate("rule", rule.id),
                ("defers", "cites"),
                f"rule '{rule.id}'",
            )
    diags += check_vocabulary_ids(rs)
    diags += check_legal(rs)
    diags += check_rank(rs)
    diags += check_bars(rs)
    diags += check_in_force(rs)
    diags += check_citation_law(rs)
    return finalize(diags)
