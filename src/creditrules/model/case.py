"""The input of an evaluation (CONTRACT.md v1 "Input"), as pydantic models.

Unknown keys are errors. Identifier checksums, cross-references and forbidden
information are checked by ``creditrules.evaluate`` against the ruleset, which
knows which data items its law forbids.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from creditrules.model.vocab import (
    BasisType,
    Category,
    Disclosure,
    EventType,
    Penalty,
    Procedure,
    Role,
    SeverityName,
    SubjectType,
    VocabId,
)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Representative(_In):
    """A person answerable for an organisation (法定代表人, 主要负责人, ...)."""

    id: str
    role: Role
    name: str | None = None


class Subject(_In):
    """The credit subject the question is about."""

    id: str
    type: SubjectType
    name: str | None = None
    birth_date: date | None = None
    representatives: list[Representative] = Field(default_factory=list)


class Basis(_In):
    """The legally effective document a record rests on."""

    type: BasisType
    number: str | None = None
    issued_on: date | None = None
    procedure: Procedure | None = None
    penalties: list[Penalty] = Field(default_factory=list)
    # Extension (additive): the end of a term the penalty itself carries (暂扣、限制从业…).
    term_until: date | None = None


class ListEntry(_In):
    """A list entry the record carries (e.g. a court's defaulter listing)."""

    id: VocabId = Field(min_length=1, description="a list of the ruleset's vocabulary")
    listed_on: date
    term: str | None = None
    ground: str | None = None


class Record(_In):
    """One credit record of the subject."""

    id: str = Field(min_length=1)
    category: Category
    domain: str | None = None
    behavior: str | None = None
    severity: SeverityName | None = None
    basis: Basis | None = None
    determined_on: date | None = None
    published_on: date | None = None
    corrected_on: date | None = None
    obligations_performed_on: date | None = None
    list: ListEntry | None = None
    # Extensions (additive, optional):
    disclosure: Disclosure | None = Field(
        default=None, description="通政发〔2018〕25号 第十九条 class"
    )
    intentional: bool | None = Field(default=None, description="通政办发〔2015〕184号 第十六条")
    first_time: bool | None = Field(default=None, description="通政办发〔2015〕184号 第十五条")
    fault_tolerance: bool | None = Field(
        default=None, description="容错纠错 finding (政务诚信方案 二(二))"
    )
    self_remedied: bool | None = Field(
        default=None, description="主动挽回损失 (政务诚信方案 二(五))"
    )
    fields: dict[str, object] = Field(default_factory=dict)


class Event(_In):
    """Something that happened to a record: an objection, a repair application, ..."""

    type: EventType
    record: str | None = None
    on: date
    pledge: bool | None = None


class Case(_In):
    """Everything one evaluation reads."""

    as_of: date
    subject: Subject
    records: list[Record] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    matters: list[VocabId] = Field(
        default_factory=list, description="matters of the ruleset's vocabulary"
    )
