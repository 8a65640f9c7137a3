"""Diagnostics: what is wrong with a ruleset, where, and what to do about it.

Every diagnostic is data with a stable code from ``CATALOGUE``; the CLI renders it
as ``file:line:col: error[CR302 unknown-fact]: ...`` followed by ``= help:`` and
``= see:`` lines, or as JSON with the same fields. Diagnostics are collected,
sorted and capped rather than raised one at a time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

#: How many diagnostics one run reports before it stops listing them.
MAX_DIAGNOSTICS = 200


@dataclass(frozen=True, order=True)
class Span:
    """A 1-based position in a source file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True)
class CodeInfo:
    """One entry of the diagnostic catalogue."""

    code: str
    slug: str
    title: str
    help: str


def _c(code: str, slug: str, title: str, help_: str) -> tuple[str, CodeInfo]:
    return code, CodeInfo(code, slug, title, help_)


#: The stable catalogue. Codes are never reused; docs/diagnostics.md is generated from it.
CATALOGUE: dict[str, CodeInfo] = dict(
    [
        # CR1xx: reading the YAML itself
        _c(
            "CR101",
            "yaml-syntax",
            "The file is not valid YAML.",
            "fix the YAML syntax at the position shown (indentation, a missing colon or quote)",
        ),
        _c(
            "CR102",
            "duplicate-key",
            "A mapping repeats a key.",
            "remove or rename one of the two keys; YAML would silently keep only the last",
        ),
        _c(
            "CR103",
            "not-a-mapping",
            "The file's top level is not a mapping.",
            "a ruleset file starts with keys such as `rules:` or `documents:`",
        ),
        _c(
            "CR104",
            "no-manifest",
            "The ruleset folder has no ruleset.yaml.",
            "add ruleset.yaml with id, version, title, number, issuer and effective_from",
        ),
        # CR2xx: the shape of what authors write
        _c(
            "CR201",
            "unknown-field",
            "A key is not part of the authoring format.",
            "check the spelling against docs/authoring.md; unknown keys are refused, never ignored",
        ),
        _c("CR202", "missing-field", "A required key is missing.", "add the key shown"),
        _c(
            "CR203",
            "invalid-value",
            "A value has the wrong type or is not one of the allowed values.",
            "use one of the values the message lists",
        ),
        _c(
            "CR204",
            "invalid-date",
            "A date is not a real ISO YYYY-MM-DD date.",
            "write the date as YYYY-MM-DD, e.g. 2018-06-26",
        ),
        _c(
            "CR205",
            "invalid-duration",
            "A period or deadline duration cannot be read.",
            "write P1Y, P3M, P15D, 10WD, EOM+1 or Q-LAST-25",
        ),
        _c(
            "CR206",
            "invalid-id",
            "A rule, document, list or measure id is not a dotted lower-case id.",
            "use lower-case words joined by dots or underscores, e.g. nt2018.validity.serious",
        ),
        # CR3xx: references between parts of a ruleset
        _c(
            "CR301",
            "duplicate-id",
            "Two rules (or documents, measures) share an id.",
            "ids are stable and never reused: give one of them a new id",
        ),
        _c(
            "CR302",
            "unknown-fact",
            "A condition reads a field that no fact has.",
            "use a declared field; see the field dictionary in docs/authoring.md",
        ),
        _c(
            "CR303",
            "unknown-document",
            "A citation names a document that the registry does not hold.",
            "add the document under `documents:` or fix the key",
        ),
        _c(
            "CR304",
            "unknown-article",
            "A citation names an article that the document does not quote.",
            "add the article with its quoted text to the document, or fix the article",
        ),
        _c(
            "CR305",
            "no-citation",
            "A rule, period, measure, list or deadline cites no article.",
            "every conclusion must cite at least one article of law",
        ),
        _c(
            "CR306",
            "unknown-override",
            "`overrides` names a rule that does not exist.",
            "name an existing rule id",
        ),
        _c(
            "CR307",
            "unknown-measure",
            "A rule names a measure that is not declared.",
            "declare the measure under `measures:` or fix the id",
        ),
        _c(
            "CR308",
            "unknown-parent",
            "`extends` names a ruleset that cannot be found.",
            "name a bundled ruleset id (with @version if needed)",
        ),
        _c(
            "CR309",
            "dependency-cycle",
            "Rules depend on each other in a cycle.",
            "a rule cannot read a value that it (directly or through others) decides",
        ),
        _c(
            "CR310",
            "value-not-allowed",
            "A condition compares a field with a value outside its vocabulary.",
            "use one of the field's values listed in the message",
        ),
        _c(
            "CR312",
            "wrong-fact-kind",
            "A conclusion is not allowed on this kind of fact.",
            "deadlines apply to events; record conclusions to records; matters and grades to the subject",
        ),
        _c(
            "CR313",
            "bad-version-chain",
            "Versions of one ruleset id overlap in time or disagree about what they replace.",
            "make each version's effective_to the next one's effective_from",
        ),
        _c(
            "CR314",
            "unknown-parameter",
            "A duration names a parameter that is not declared.",
            "declare it under `parameters:` (with its reliability tag and a note) or fix the name",
        ),
        _c(
            "CR315",
            "parameter-without-note",
            "A parameter tagged [C] or [U] carries no note.",
            "say where the value comes from and why it is kept configurable",
        ),
        _c(
            "CR316",
            "rules-conflict",
            "Two rules can decide one value of one fact differently, and nothing declares which prevails.",
            "say which rule prevails and why in law: between instruments of one rank, `overrides` on the special provision that prevails over the general one (a higher-ranked instrument prevails by its document's rank already); a value order under `precedence:`; or a narrower condition where the two were never meant to meet",
        ),
        # CR4xx: the engine budget (durable_rules limits)
        _c(
            "CR401",
            "budget-exceeded",
            "The ruleset would exceed the engine budget kept well inside durable_rules' limits.",
            "split the condition or the rule family; see docs/engine.md for the budget",
        ),
        _c(
            "CR402",
            "too-many-fields",
            "Facts would carry more keys than the engine budget allows.",
            "reduce the declared attributes; durable_rules fails at 254 keys",
        ),
        # CR5xx: rules about rules (国办发〔2020〕49号)
        _c(
            "CR501",
            "sanction-without-legal-basis",
            "A sanction rests on no law, regulation or central policy document.",
            "cite the law, administrative or local regulation, or 党中央/国务院 policy document it rests on (directly, through `implements`, or `rests_on` a parent's measure)",
        ),
        _c(
            "CR502",
            "serious-list-widened",
            "A serious-dishonesty list is set up locally or outside the four fields of 49号 (六).",
            "apply the national list instead; serious lists exist only where law, regulation or central policy sets them up, in the four fields",
        ),
        _c(
            "CR503",
            "list-criteria-unlawful",
            "A list's criteria are not set by an instrument of the required rank, or lacked 30 days of public comment.",
            "a local list needs a local regulation (地方性法规) and at least 30 days of public comment (49号 (七))",
        ),
        _c(
            "CR504",
            "list-without-removal",
            "A list states no removal conditions, procedure or remedies.",
            "cite where the list's 移出条件, 程序 and 救济措施 are set (49号 (七)(八))",
        ),
        _c(
            "CR505",
            "sanction-heavier-than-list",
            "A rule applies a measure or outcome heavier than the list allows.",
            "use only the measures and outcomes the list definition allows (过惩相当, 49号)",
        ),
        _c(
            "CR506",
            "override-against-rank",
            "A rule overrides a rule of a higher-ranked instrument that does not leave the point to it.",
            "drop the override (the higher rule prevails, 立法法 第九十九条 ff.), or, where the higher instrument itself leaves the point to lower rules, mark its rule `default: true` with `defers: {to: [RANK], cites: [...]}` citing that article",
        ),
        _c(
            "CR507",
            "bar-without-deny",
            "A matter answer names a measure that bars the subject from the matter, yet is not deny.",
            "answer deny where the measure bars the matter (its `bars`), or name a measure that does not bar it",
        ),
        # CR7xx: citations that carry the law
        _c(
            "CR701",
            "text-not-chinese",
            "An article's text (or its unverified reason) is English, not Chinese.",
            "write the article in Chinese: the instrument's words with `kind: quote`, or the project's own summary with `kind: summary`; never an English gloss",
        ),
        _c(
            "CR702",
            "citation-does-not-support",
            "No article a rule (or a duration parameter) cites decides what the rule concludes.",
            "cite the article that decides it (a period: the article setting the period), or declare `decides:` on an article whose text says so in other words",
        ),
        _c(
            "CR703",
            "document-without-number",
            "A document has no 文号 and states no reason for having none.",
            "give its `number`, or say why it has none in `no_number_reason` (e.g. 法律以名称引用)",
        ),
    ]
)


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a ruleset (or scenario file)."""

    code: str
    message: str
    span: Span | None = None
    rule: str | None = None
    help: str | None = None
    severity: Severity = "error"
    notes: tuple[str, ...] = field(default=())

    @property
    def slug(self) -> str:
        return CATALOGUE[self.code].slug

    @property
    def help_text(self) -> str:
        return self.help or CATALOGUE[self.code].help

    def sort_key(self) -> tuple[str, int, int, str, str]:
        if self.span is None:
            return ("", 0, 0, self.code, self.message)
        return (self.span.file, self.span.line, self.span.col, self.code, self.message)

    def render(self) -> str:
        """The text form, as shown by ``creditrules validate``."""
        where = f"{self.span}: " if self.span else ""
        rule = f"rule '{self.rule}': " if self.rule else ""
        lines = [f"{where}{self.severity}[{self.code} {self.slug}]: {rule}{self.message}"]
        lines += [f"   = note: {n}" for n in self.notes]
        lines.append(f"   = help: {self.help_text}")
        lines.append(f"   = see: docs/diagnostics.md#{self.code.lower()}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "slug": self.slug,
            "severity": self.severity,
            "file": self.span.file if self.span else None,
            "line": self.span.line if self.span else None,
            "col": self.span.col if self.span else None,
            "rule": self.rule,
            "message": self.message,
            "help": self.help_text,
            "see": f"docs/diagnostics.md#{self.code.lower()}",
        }


def finalize(diags: list[Diagnostic], *, cap: int = MAX_DIAGNOSTICS) -> list[Diagnostic]:
    """Deduplicate, sort by position and cap a batch of diagnostics."""
    seen: set[tuple[object, ...]] = set()
    out: list[Diagnostic] = []
    for d in sorted(diags, key=Diagnostic.sort_key):
        key = (d.code, d.span, d.rule, d.message)
        if key in seen:
            continue
        seen.add(key)
        out.append(d)
    return out[:cap]


def render_text(diags: list[Diagnostic]) -> str:
    """Render a batch for people, ending with a count line."""
    body = "\n".join(d.render() for d in diags)
    errors = sum(1 for d in diags if d.severity == "error")
    warnings = len(diags) - errors
    tail = f"{errors} error(s), {warnings} warning(s)"
    return f"{body}\n{tail}" if body else tail


def render_json(diags: list[Diagnostic]) -> str:
    """Render a batch as a JSON array with the same fields as the text form."""
    return json.dumps([d.to_json() for d in diags], ensure_ascii=False, indent=2)
