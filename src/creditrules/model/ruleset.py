"""Pydantic models of what policy staff write in a ruleset folder.

YAML keys equal field names (``from`` is the one alias, a Python keyword). Every
model forbids unknown keys: a misspelt key is an error with a position, never a
silently ignored line of law. No engine knowledge lives here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from creditrules.model.rank import RANK_IDS
from creditrules.model.vocab import (
    Category,
    DeadlineProcedure,
    MeasureKind,
    MeasureTarget,
    Outcome,
    Supervision,
    VocabId,
)

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*(\.[a-z0-9][a-z0-9_]*)*$")


class Strict(BaseModel):
    """Base: unknown keys are refused; values are not coerced between types."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise ValueError(f"'{value}' is not a dotted lower-case id (e.g. nt2018.validity.serious)")
    return value


DottedId = Annotated[str, Field(min_length=1)]


# ---------------------------------------------------------------- documents


def _check_rank(value: str) -> str:
    if value not in RANK_IDS:
        raise ValueError(
            f"'{value}' is not a rank of the hierarchy of law (one of: {', '.join(RANK_IDS)})"
        )
    return value


#: A rank of the hierarchy of law (model/ranks.yaml), written in Chinese: 法律, 部门规章, ...
Rank = Annotated[str, AfterValidator(_check_rank)]


ArticleKind = Literal["quote", "summary"]

#: What an article may be cited for: the kinds of conclusion it can support (CR702).
Topic = Literal[
    "period",  # a validity, publication or list term, or a waiting period
    "deadline",  # a time limit of a procedure
    "list",  # entry on, or removal from, a list
    "measure",  # a sanction, incentive or management measure
    "matter",  # the answer for a matter (procurement, bidding, …)
    "repair",  # conditions, routes and bars of repair or early removal
    "status",  # whether information is published, used, expired, corrected
    "classification",  # the class (severity) of information
    "grade",  # a credit grade
]


class Article(Strict):
    """One citable unit of an instrument, in Chinese, saying whether it quotes or summarises."""

    id: str = Field(
        min_length=1, description="As written in the instrument: 第三十条, 第十二条（九）, （七）"
    )
    text: str = Field(
        min_length=1, description="The article or clause in Chinese: quoted, or summarised"
    )
    kind: ArticleKind = Field(
        description="quote: the instrument's own words (fragments joined by …); summary: the project's Chinese summary of the article"
    )
    unverified: str | None = Field(
        default=None,
        description="why the article's number or wording could not be verified; shown with every citation of it",
    )
    decides: list[Topic] = Field(
        default_factory=list,
        description="what the article decides, where its text does not say so in words the support check reads (CR702)",
    )
    yields_to: list[Rank] = Field(
        default_factory=list,
        description="另有规定的除外: ranks whose rules on the same point prevail over rules citing this article",
    )


class Document(Strict):
    """A legal instrument in the ruleset's registry."""

    key: str = Field(description="Short key that citations use, e.g. nt2018.measures")
    number: str | None = Field(default=None, description="文号, e.g. 通政发〔2018〕25号")
    no_number_reason: str | None = Field(
        default=None,
        description="why the document is cited without a 文号 (required when number is null, CR703)",
    )
    title: str
    issuer: str
    rank: Rank = Field(description="效力层级, e.g. 部门规章 (model/ranks.yaml)")
    issued_on: date | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    repealed_by: str | None = None
    url: str | None = None
    implements: list[str] = Field(
        default_factory=list,
        description="keys of registered documents this one says it implements (为贯彻落实…); a measure's legal basis may come through them",
    )
    articles: list[Article] = Field(default_factory=list)
    general_provisions: bool = Field(
        default=False,
        description="its rules are the general provisions (一般规定) on publication periods and repair: on a record carrying a list whose own rules decide its term and removal, they give way to them (立法法 第一百零三条)",
    )

    _v_key = field_validator("key")(_check_id)


class Citation(Strict):
    """A reference to one article of a registered document."""

    document: str
    article: str
    quote: str | None = Field(
        default=None, description="Optional excerpt; must appear in the article text"
    )


# ---------------------------------------------------------------- conditions

Scalar = str | int | bool


class Comparison(Strict):
    """One test on one field of a fact. Exactly one operator is given.

    A field with no value (null or absent) fails every test except ``is_null: true``.
    """

    field: str
    eq: Scalar | None = None
    ne: Scalar | None = None
    in_: list[Scalar] | None = Field(default=None, alias="in", min_length=1)
    not_in: list[Scalar] | None = Field(default=None, min_length=1)
    gt: int | str | None = None
    gte: int | str | None = None
    lt: int | str | None = None
    lte: int | str | None = None
    contains: list[str] | None = Field(
        default=None, min_length=1, description="a list field holds any of these"
    )
    is_null: bool | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Comparison:
        given = [k for k in OPERATORS if getattr(self, k) is not None]
        if len(given) != 1:
            names = ", ".join("in" if k == "in_" else k for k in OPERATORS)
            raise ValueError(
                f"a comparison needs exactly one operator of: {names}; got {len(given)}"
            )
        return self

    @property
    def op(self) -> str:
        return next(k for k in OPERATORS if getattr(self, k) is not None)

    @property
    def value(self) -> Any:
        return getattr(self, self.op)


OPERATORS = ("eq", "ne", "in_", "not_in", "gt", "gte", "lt", "lte", "contains", "is_null")


class All(Strict):
    """All of the conditions hold."""

    all: list[Condition] = Field(min_length=1)


class AnyOf(Strict):
    """At least one of the conditions holds."""

    any: list[Condition] = Field(min_length=1)


class Not(Strict):
    """The condition does not hold."""

    not_: Condition = Field(alias="not")


def _condition_tag(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "cmp"
    if isinstance(value, BaseModel):
        return {All: "all", AnyOf: "any", Not: "not"}.get(type(value), "cmp")
    return "cmp"


Condition = Annotated[
    Annotated[All, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[Comparison, Tag("cmp")],
    Discriminator(_condition_tag),
]

# ---------------------------------------------------------------- conclusions

#: ``lookback``: a window after a record's date in which the law still counts it (e.g. the
#: three years of 政府采购法 第二十二条（五）).
PeriodName = Literal[
    "validity", "publication_min", "publication_max", "repair_wait", "list_term", "lookback"
]


class PeriodSpec(Strict):
    """A named period computed from a date field of the fact."""

    name: PeriodName
    from_: str = Field(
        alias="from", description="date field the period runs from, e.g. determined_on"
    )
    duration: str
    gates_repair: bool = Field(
        default=False, description="repair may be applied for only after it ends"
    )


class ListSpec(Strict):
    """Put the subject on a list (or confirm the list entry the record carries)."""

    id: VocabId
    since: str = Field(description="date field the entry runs from")
    term: str | None = Field(default=None, description="duration; null = no fixed term")
    term_from_input: bool = Field(
        default=False, description="the record's list.term, when given, wins"
    )


class MeasureRef(Strict):
    """Apply a declared measure."""

    id: str
    until: Literal["validity", "list", "none"] = "validity"


class MatterSpec(Strict):
    """The answer for one matter (procurement, bidding, ...)."""

    matter: VocabId
    outcome: Outcome
    measures: list[str] = Field(default_factory=list)


class DeadlineSpec(Strict):
    """A deadline counted from an event's date."""

    procedure: DeadlineProcedure
    duration: str


class GradeSpec(Strict):
    """A credit grade with its supervision level."""

    code: str
    title: str
    supervision: Supervision


class Then(Strict):
    """What a rule concludes when it fires. Several kinds may be combined."""

    set: dict[str, Scalar] | None = None
    classify: dict[str, Scalar] | None = Field(
        default=None, description="like set, but only where the input left the value empty"
    )
    period: PeriodSpec | None = None
    list: ListSpec | None = None
    measure: MeasureRef | None = None
    matter: MatterSpec | None = None
    deadline: DeadlineSpec | None = None
    repair_unmet: str | None = Field(default=None, description="code of a repair condition not met")
    repair_never: bool | None = None
    repair_route: str | None = None
    repair_after: str | None = Field(
        default=None, description="a date field: repair or early stop only from the day after it"
    )
    grade: GradeSpec | None = None

    @model_validator(mode="after")
    def _something(self) -> Then:
        if all(getattr(self, k) is None for k in type(self).model_fields):
            raise ValueError(
                "`then` concludes nothing: give set, classify, period, list, measure, matter, deadline, repair_unmet, repair_never, repair_route or grade"
            )
        return self


FactKind = Literal["subject", "record", "event"]


class DeferSpec(Strict):
    """The point a default rule leaves to rules of other ranks, and where its instrument says so."""

    to: list[Rank] = Field(min_length=1, description="ranks of the rules it gives way to")
    cites: list[Citation] = Field(min_length=1)


class Rule(Strict):
    """A rule: when a fact meets the condition, conclude ``then``, citing the law."""

    id: str
    title: str = Field(description="中文标题")
    title_en: str | None = None
    applies_to: FactKind
    when: Condition | None = None
    then: Then
    cites: list[Citation] = Field(default_factory=list)
    overrides: list[str] = Field(default_factory=list)
    default: bool = Field(
        default=False,
        description="a default that gives way to non-default rules on the same value (all of them, or those `defers` names)",
    )
    defers: DeferSpec | None = Field(
        default=None,
        description="for a default: the ranks it gives way to (besides its own and higher ones), cited",
    )
    note: str | None = None

    _v_id = field_validator("id")(_check_id)


class Measure(Strict):
    """A measure (惩戒/激励/管理措施) that rules may apply."""

    id: str
    title: str
    title_en: str | None = None
    kind: MeasureKind
    target: MeasureTarget = "subject"
    cites: list[Citation] = Field(default_factory=list)
    rests_on: list[str] = Field(
        default_factory=list,
        description="measures of a parent ruleset whose legal basis this one applies",
    )
    of_list: bool = Field(
        default=False,
        description="stands for the measures the list itself provides (依照联合奖惩清单), never more (CR505)",
    )
    bars: list[VocabId] = Field(
        default_factory=list,
        description="matters the measure bars the subject from: where it applies, the matter's outcome is deny (CR507)",
    )

    _v_id = field_validator("id")(_check_id)


SeriousField = Literal["health_safety", "market_order", "enforcement", "defence"]


class RemovalSpec(Strict):
    """Where a list's removal conditions, procedure and remedies are set."""

    conditions: list[Citation] = Field(default_factory=list)
    procedure: list[Citation] = Field(default_factory=list)
    remedies: list[Citation] = Field(default_factory=list)


class ListDefinition(Strict):
    """A list (名单) a ruleset sets up or applies: who decides, on what criteria, and its limits."""

    id: VocabId
    title: str
    scope: Literal["national", "local"]
    serious: bool = Field(default=False, description="a 严重失信主体名单")
    fields: list[SeriousField] = Field(
        default_factory=list,
        description="the kinds of conduct of 国办发〔2020〕49号 (六) it covers",
    )
    criteria: list[Citation] = Field(
        default_factory=list, description="where the listing criteria are set"
    )
    consultation_days: int | None = Field(
        default=None, description="public comment period of the criteria, in days"
    )
    decided_by: str | None = None
    term: str | None = None
    removal: RemovalSpec | None = None
    measures: list[str] = Field(default_factory=list, description="the measures the list allows")
    matters: dict[VocabId, Outcome] = Field(
        default_factory=dict, description="the strongest outcome it allows per matter"
    )
    note: str | None = None


class Parameter(Strict):
    """A value the law leaves open or the sources do not settle; configurable, never silent."""

    name: str
    value: str | int
    tag: Literal["A", "B", "C", "U"]
    title: str
    note: str | None = None
    cites: list[Citation] = Field(default_factory=list)

    _v_name = field_validator("name")(_check_id)


class Note(Strict):
    """A reading chosen for an ambiguous article, stated so it can be reviewed and tested."""

    id: str
    text: str
    cites: list[Citation] = Field(default_factory=list)
    scenarios: list[str] = Field(
        default_factory=list, description="scenario names that test this reading"
    )


class Attribute(Strict):
    """An extra value that rules of this ruleset may set and read."""

    name: str
    applies_to: FactKind
    type: Literal["bool", "int", "str"]
    values: list[str] = Field(default_factory=list)
    title: str


class ForbiddenField(Strict):
    """Information the law forbids collecting; refused at input."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    title: str
    cites: list[Citation] = Field(default_factory=list)


class VocabTerm(Strict):
    """One value of an input vocabulary (a matter, a domain, a behaviour), with its Chinese name."""

    id: str = Field(min_length=1)
    title: str = Field(min_length=1, description="中文名称")
    title_en: str | None = None
    source: str | None = Field(
        default=None, description="where the law names it, e.g. 最高法《…》第一条（一）"
    )


class ListGround(VocabTerm):
    """A ground on which a list entry may be made (列入事由)."""

    no_term: bool = Field(
        default=False,
        description="the law sets no fixed term for this ground: a list.term given with it is refused",
    )


class TermBounds(Strict):
    """The terms the list's law allows (e.g. 2 years, extended by 1 to 3: P2Y to P5Y)."""

    min: str | None = None
    max: str | None = None
    source: str = Field(min_length=1, description="the article that sets the bounds")


class ListVocab(VocabTerm):
    """A list a case's records may carry, and what may carry it."""

    categories: list[Category] = Field(
        min_length=1, description="record categories an entry of this list may sit on"
    )
    grounds: list[ListGround] = Field(
        default_factory=list,
        description="the grounds of the list's law; when given, any other ground is refused",
    )
    term: TermBounds | None = Field(
        default=None, description="bounds of list.term set by the list's law"
    )
    attention: bool = Field(
        default=False,
        description="a key-attention list: entries open a key-attention window "
        "(during_key_attention) and are counted by distinct domain (key_attention_domains)",
    )


class Vocabulary(Strict):
    """Input vocabularies the ruleset reads: lists, matters, domains, behaviours.

    A child ruleset adds values (or restates one by id); nothing here is a closed enum in code.
    """

    lists: list[ListVocab] = Field(default_factory=list)
    matters: list[VocabTerm] = Field(default_factory=list)
    domains: list[VocabTerm] = Field(default_factory=list)
    behaviors: list[VocabTerm] = Field(default_factory=list)


class HolidayScheduleSpec(Strict):
    """A year's statutory holiday schedule announced by the State Council."""

    year: int
    holidays: list[date]
    workdays: list[date] = Field(default_factory=list, description="调休 make-up working days")
    source: str


class CountingSpec(Strict):
    """How periods are counted, and why."""

    start_day: Literal["excluded", "included"] = "excluded"
    month_end: Literal["fallback"] = "fallback"
    roll_to_working_day: bool = False
    cites: list[Citation] = Field(default_factory=list)
    note: str | None = None


class CalendarSpec(Strict):
    """The ruleset's calendar: counting convention and extra holiday schedules."""

    counting: CountingSpec = Field(default_factory=CountingSpec)
    schedules: list[HolidayScheduleSpec] = Field(default_factory=list)


class RulesetFile(Strict):
    """Any YAML file of a ruleset folder other than the manifest."""

    documents: list[Document] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    attributes: list[Attribute] = Field(default_factory=list)
    forbidden_fields: list[ForbiddenField] = Field(default_factory=list)
    lists: list[ListDefinition] = Field(default_factory=list)
    parameters: list[Parameter] = Field(default_factory=list)
    vocabulary: Vocabulary | None = None


class Manifest(RulesetFile):
    """ruleset.yaml: who the ruleset is, when it is in force, and what it builds on."""

    id: str
    version: str
    title: str
    number: str | None = None
    issuer: str
    effective_from: date
    effective_to: date | None = None
    replaces: str | None = Field(default=None, description="the version this one repealed")
    replaced_by: str | None = None
    extends: str | None = Field(default=None, description="parent ruleset, id or id@version")
    includes: list[str] = Field(
        default_factory=list,
        description="other folders whose files this version carries on: relative paths, or "
        "bundled:PATH for a folder of the bundled rulesets (bundled:cn/vocabulary)",
    )
    law_date: Literal["as_of"] = Field(
        default="as_of", description="which date selects the version in force"
    )
    calendar: CalendarSpec = Field(default_factory=CalendarSpec)
    precedence: dict[str, list[str]] = Field(
        default_factory=dict,
        description="for values rules may disagree on, their order (first wins), e.g. status",
    )
    description: str | None = None

    _v_id = field_validator("id")(_check_id)


All.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()
Rule.model_rebuild()
