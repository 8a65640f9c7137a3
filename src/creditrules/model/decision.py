"""The Decision document (CONTRACT.md v1 "Output"), as pydantic models.

The JSON schema in ``schemas/decision.schema.json`` is generated from these models;
a test fails if it changes while ``SCHEMA_VERSION`` does not.
"""

from __future__ import annotations

import builtins
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1
#: Additive revisions within ``SCHEMA_VERSION`` (CONTRACT.md: fields may be added under v1).
#: Bump it for an added field; a renamed, removed or retyped field needs ``SCHEMA_VERSION`` 2.
#: 2: ``warnings``, citations' ``kind``.
#: 3: ``masked``.
#: 4: citations' ``rank``, measures' ``title_en``, ``rules`` (the rules that fired, with their layer), ``displaced``.
SCHEMA_REVISION = 4


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
    rank: str | None = Field(
        default=None,
        description="效力层级 of the document (model/ranks.yaml), e.g. 部门规章; null in "
        "decisions made before citations carried it",
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
    title_en: str | None = Field(default=None, description="the measure's English title")
    kind: str
    target: str
    person: str | None = None
    until: str | None
    because: list[str]
    basis: list[CitationOut]


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


class RuleOut(_Out):
    """A rule that fired: its title and the ruleset layer whose files declare it."""

    id: str
    title: str = Field(description="the rule's Chinese title")
    title_en: str | None = None
    layer: str = Field(
        description="id@version of the ruleset version (this one or a layer) that declares it"
    )
    rank: str | None = Field(
        description="效力层级 of the instrument it is made under (its first citation's document)"
    )


class DisplacedOut(_Out):
    """One conclusion of a fired rule set aside by other rules (rank, default, overrides)."""

    rule: str
    fact: str = Field(description="the fact: record:r1, subject or event:0")
    on: str = Field(
        description="the value set aside, keyed as the evaluation resolves it: status, "
        "classify:severity, period:validity, list:<id>, measure:<id>, matter:<matter>, ..."
    )
    by: list[str] = Field(description="the rules whose conclusion stands instead")


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
    rules: list[RuleOut] = Field(
        default_factory=list,
        description="every rule that fired, with its title, layer and rank, in trace order",
    )
    displaced: list[DisplacedOut] = Field(
        default_factory=list,
        description="every conclusion of a fired rule set aside by other rules, and by which",
    )
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
