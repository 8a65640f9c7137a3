"""The Decision document (CONTRACT.md v1 "Output"), as pydantic models.

The JSON schema in ``schemas/decision.schema.json`` is generated from these models;
a test fails if it changes while ``SCHEMA_VERSION`` does not.
"""

from __future__ import annotations

import builtins
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1
#: Additive revisions within ``SCHEMA_VERSION`` (CONTRACT.md: fields may be added under v1).
#: Bump it for an added field; a renamed, removed or retyped field needs ``SCHEMA_VERSION`` 2.
#: 2: ``warnings``, citations' ``kind``.
#: 3: ``masked``.
SCHEMA_REVISION = 3


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class CitationOut(_Out):
    """One article of law a conclusion rests on."""

    # Frozen: built once per ruleset version and article, and shared between decisions.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    document: str
    number: str | None
    article: str
    text: str
    kind: Literal["quote", "summary"] = Field(
        description="quote: the instrument's own words; summary: the project's Chinese summary"
    )
    no_number_reason: str | None = Field(
        default=None, description="why the document has no 文号, where number is null"
    )
    unverified: str | None = Field(
        default=None, description="why the article's number or wording is not verified"
    )


class LayerRef(_Out):
    """A ruleset version the evaluated one builds on (``extends``), chosen by the date."""

    id: str
    version: str
    sha256: str


class RulesetRef(_Out):
    id: str
    version: str
    sha256: str = Field(
        description="content hash of this version with every layer it was evaluated on"
    )
    layers: list[LayerRef] = Field(
        default_factory=list,
        description=(
            "the versions this one was evaluated on (extends), nearest first, each the "
            "version in force on as_of; empty when none was in force"
        ),
    )


class EngineRef(_Out):
    creditrules: str
    durable_rules: str
    backend: str


class SubjectOut(_Out):
    id: str
    type: str


class Publication(_Out):
    from_: str | None = Field(alias="from")
    min_until: str | None
    max_until: str | None
    basis: list[CitationOut]


class Repair(_Out):
    eligible: bool
    earliest_on: str | None
    unmet: list[str]
    never: bool
    routes: list[str] = Field(default_factory=list)
    basis: list[CitationOut]


class RecordOut(_Out):
    id: str
    severity: str | None
    status: str
    publishable: bool
    usable_for_sanction: bool
    archived: bool = False
    under_objection: bool = False
    validity_until: str | None = None
    publication: Publication
    repair: Repair
    basis: list[CitationOut]


class ListOut(_Out):
    list: str
    active: bool
    since: str | None
    until: str | None
    because: builtins.list[str]
    basis: builtins.list[CitationOut]


class MeasureOut(_Out):
    id: str
    title: str
    kind: str
    target: str
    person: str | None = None
    until: str | None
    because: list[str]
    basis: list[CitationOut]


#: Why a matter asked about has no outcome (``matters[].reason``): the English text the
#: Decision carries, and the Chinese one ``explain`` shows for it.
MATTER_REASONS: dict[str, tuple[str, str]] = {
    "undecided": ("no rule of {ref} decides {matter}", "{ref} 没有规定该事项的规则"),
    "not_applicable": (
        "no rule of {ref} applies to this subject for {matter}",
        "{ref} 没有适用于该主体的该事项规则",
    ),
}


def matter_reason_zh(reason: str) -> str:
    """The Chinese of a reason written from ``MATTER_REASONS``; any other text as it is."""
    for en, zh in MATTER_REASONS.values():
        pattern = re.escape(en).replace(r"\{ref\}", r"(?P<ref>\S+)")
        pattern = pattern.replace(r"\{matter\}", r"\S+")
        m = re.fullmatch(pattern, reason)
        if m:
            return zh.format(ref=m["ref"])
    return reason


class MatterOut(_Out):
    matter: str
    outcome: str | None
    measures: list[str]
    reason: str | None = None
    basis: list[CitationOut]


class DeadlineOut(_Out):
    procedure: str
    event: int
    record: str | None = None
    from_: str = Field(alias="from")
    due: str | None
    working_days: int | None
    duration: str
    error: str | None = None
    basis: list[CitationOut]


class GradeOut(_Out):
    code: str
    title: str
    supervision: str
    basis: list[CitationOut]


class TraceEntry(_Out):
    rule: str
    fact: str
    fired: bool
    stratum: int
    effect: str | None = None
    why_not: str | None = None
    overridden_by: list[str] = Field(default_factory=list)
    basis: list[CitationOut]


class WarningOut(_Out):
    """An input value the decision did not rest on as given (CONTRACT.md, additions to v1):
    a value no rule read, free text a conclusion depends on, a version not in force."""

    code: str = Field(description="stable code, e.g. W101 (docs/bad-input.md)")
    field: str = Field(description="the input's field path, e.g. records[0].domain")
    message: str = Field(description="中文 / English, as the CLI prints it")
    zh: str = Field(description="the message in Chinese")
    en: str = Field(description="the message in English")


class Decision(_Out):
    """The answer to one case: every conclusion with the articles of law it rests on.

    ``model_dump(mode="json", by_alias=True)`` gives the JSON document that
    ``creditrules evaluate`` prints; its fields are described in the Decision reference
    (docs/zh/reference/decision.md, docs/en/reference/decision.md).
    """

    schema_version: int = SCHEMA_VERSION
    decision_id: str
    as_of: str
    ruleset: RulesetRef
    engine: EngineRef
    input_sha256: str
    subject: SubjectOut
    records: list[RecordOut]
    lists: list[ListOut]
    measures: list[MeasureOut]
    matters: list[MatterOut]
    deadlines: list[DeadlineOut]
    grade: GradeOut | None
    trace: list[TraceEntry]
    warnings: list[WarningOut] = Field(
        default_factory=list, description="empty when every input value was used as given"
    )
    masked: list[str] = Field(
        default_factory=list,
        description=(
            "JSON Pointers (RFC 6901) into this decision of every value masked because it "
            "identifies or names a natural person (docs/zh/privacy.md); empty when the "
            "caller asked for them in full (reveal_personal, --reveal-personal)"
        ),
    )
    input: dict[str, Any] = Field(
        description="the canonical input, kept so the decision can be replayed"
    )
