"""The input of an evaluation (CONTRACT.md v1 "Input"), as pydantic models.

Unknown keys are errors. Identifier checksums, cross-references and forbidden
information are checked by ``creditrules.evaluate`` against the ruleset, which
knows which data items its law forbids.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

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

#: The days a case may name. Periods of up to a hundred years are added to them and look-back
#: windows taken from them; outside these years no credit law applies and date arithmetic
#: would run past what a date can hold.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(value: Any) -> date:
    """A date written ``YYYY-MM-DD`` (or a ``date``): never a number, a time or a datetime,
    which a lax reading would turn into some day without a word."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date YYYY-MM-DD") from None
    else:
        raise ValueError(f"{value!r:.60} is not a date YYYY-MM-DD")
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"{day} is outside the years {EARLIEST.year}–{LATEST.year}")
    return day


#: A day of the case.
Day = Annotated[date, BeforeValidator(parse_day)]
#: true or false, nothing that a lax reading would take for one ("yes", 1, "true").
Flag = StrictBool


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
    birth_date: Day | None = None
    representatives: list[Representative] = Field(default_factory=list)


class Basis(_In):
    """The legally effective document a record rests on."""

    type: BasisType
    number: str | None = None
    issued_on: Day | None = None
    procedure: Procedure | None = None
    penalties: list[Penalty] = Field(default_factory=list)
    # Extension (additive): the end of a term the penalty itself carries (暂扣、限制从业…).
    term_until: Day | None = None


class ListEntry(_In):
    """A list entry the record carries (e.g. a court's defaulter listing)."""

    id: VocabId = Field(min_length=1, description="a list of the ruleset's vocabulary")
    listed_on: Day
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
    determined_on: Day | None = None
    published_on: Day | None = None
    corrected_on: Day | None = None
    obligations_performed_on: Day | None = None
    list: ListEntry | None = None
    # Extensions (additive, optional):
    disclosure: Disclosure | None = Field(
        default=None, description="通政发〔2018〕25号 第十九条 class"
    )
    intentional: Flag | None = Field(default=None, description="通政办发〔2015〕184号 第十六条")
    first_time: Flag | None = Field(default=None, description="通政办发〔2015〕184号 第十五条")
    fault_tolerance: Flag | None = Field(
        default=None, description="容错纠错 finding (政务诚信方案 二(二))"
    )
    self_remedied: Flag | None = Field(
        default=None, description="主动挽回损失 (政务诚信方案 二(五))"
    )
    fields: dict[str, object] = Field(default_factory=dict)


class Event(_In):
    """Something that happened to a record: an objection, a repair application, ..."""

    type: EventType
    record: str | None = None
    on: Day
    pledge: Flag | None = None


class Case(_In):
    """Everything one evaluation reads."""

    as_of: Day
    subject: Subject
    records: list[Record] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    matters: list[VocabId] = Field(
        default_factory=list, description="matters of the ruleset's vocabulary"
    )
