"""The hierarchy of law (效力层级), read from ``ranks.yaml`` beside this module.

A registered document declares its rank (法律, 行政法规, 司法解释, 部门规章, 国务院规范性文件,
部门规范性文件, 地方性法规, 地方政府规章, 地方规范性文件). ``above(a, b)`` says whether rank ``a``
stands above rank ``b`` (the transitive closure of the declared order); ranks neither above
nor below each other are not ordered. No engine knowledge lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class RankBasis:
    """The article a rank or an ordering rests on (the project's Chinese summary)."""

    instrument: str
    article: str
    text: str
    kind: str


@dataclass(frozen=True)
class RankInfo:
    """One rank of the vocabulary."""

    id: str
    en: str
    basis: RankBasis


@dataclass(frozen=True)
class Hierarchy:
    """The rank vocabulary with its order."""

    ranks: tuple[RankInfo, ...]
    higher: frozenset[tuple[str, str]]
    order_basis: dict[tuple[str, str], tuple[RankBasis, ...]]
    special_over_general: RankBasis
    points: dict[str, str]
    interpret: frozenset[str] = frozenset()
    #: The kinds of conclusion (list, measure, matter) whose rules read the values they test
    #: as the rules of their own rank or higher decide them (evaluate/views.py).
    read_at_rank: frozenset[str] = frozenset()

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.ranks)

    def above(self, a: str | None, b: str | None) -> bool:
        """Rank ``a`` stands above rank ``b``."""
        return a is not None and b is not None and (a, b) in self.higher

    def at_or_above(self, a: str | None, b: str | None) -> bool:
        return a is not None and a == b or self.above(a, b)

    def why(self, a: str, b: str) -> tuple[RankBasis, ...]:
        """The declared orderings that put ``a`` above ``b`` (the first step of the chain)."""
        for (hi, lo), basis in self.order_basis.items():
            if hi == a and (lo == b or self.above(lo, b)):
                return basis
        return ()


def _basis(d: dict[str, Any]) -> RankBasis:
    return RankBasis(str(d["instrument"]), str(d["article"]), str(d["text"]), str(d["kind"]))


@cache
def hierarchy() -> Hierarchy:
    """The bundled hierarchy (read once)."""
    text = (resources.files("creditrules.model") / "ranks.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    ranks = tuple(RankInfo(r["id"], r["en"], _basis(r["basis"])) for r in data["ranks"])
    ids = {r.id for r in ranks}
    edges: set[tuple[str, str]] = set()
    order_basis: dict[tuple[str, str], tuple[RankBasis, ...]] = {}
    for o in data["order"]:
        for lo in o["lower"]:
            if o["higher"] not in ids or lo not in ids:
                raise ValueError(f"ranks.yaml: unknown rank in order {o['higher']} > {lo}")
            edges.add((o["higher"], lo))
            order_basis[(o["higher"], lo)] = tuple(_basis(b) for b in o["basis"])
    closure = set(edges)
    while True:
        more = {(a, d) for (a, b) in closure for (c, d) in closure if b == c} - closure
        if not more:
            break
        closure |= more
    if any(a == b for a, b in closure):
        raise ValueError("ranks.yaml: the order has a cycle")
    points = {p["conclusion"]: p["same_as"] for p in data.get("points", [])}
    return Hierarchy(
        ranks,
        frozenset(closure),
        order_basis,
        _basis(data["special_over_general"]),
        points,
        frozenset(data.get("interpret", [])),
        frozenset(data.get("read_at_rank", {}).get("conclusions", [])),
    )


RANK_IDS: tuple[str, ...] = hierarchy().ids

__all__ = ["RANK_IDS", "Hierarchy", "RankBasis", "RankInfo", "hierarchy"]


@dataclass(frozen=True)
class Ranking:
    """The rank of every rule of one ruleset, and the ranks each rule yields to.

    A rule has the rank of the instrument it is made under: the document of its first
    citation. ``yields`` holds the ranks named by the 另有规定的除外 clauses (``yields_to``) of
    the articles it cites.
    """

    ranks: dict[str, str | None]
    yields: dict[str, frozenset[str]]
    defers: dict[str, frozenset[str] | None]
    h: Hierarchy
    applies: dict[str, frozenset[str]] = field(default_factory=dict)

    def rank(self, rule_id: str) -> str | None:
        return self.ranks.get(rule_id)

    def prevails(self, hi: str, lo: str) -> bool:
        """Rule ``hi``'s conclusion may not be displaced by rule ``lo``'s: it is of a higher
        rank, or ``lo`` cites an article that yields to ``hi``'s rank (另有规定的除外). For the
        clause, a rule made under an instrument that applies a higher one (``implements``, as
        a 司法解释 applies the 法律 it interprets) counts as a provision of that one too."""
        rh, rl = self.rank(hi), self.rank(lo)
        if self.h.above(rh, rl):
            return True
        mine = {rh} | set(self.applies.get(hi, frozenset()))
        return any(self.h.at_or_above(r, y) for r in mine for y in self.yields.get(lo, frozenset()))

    def gives_way(self, default: str, other: str) -> bool:
        """Default rule ``default`` gives way to rule ``other``: it defers to any rule, or to
        ``other``'s rank (declared in ``defers``), or ``other`` is of its rank or higher."""
        to = self.defers.get(default)
        if to is None:
            return True
        ro, rd = self.rank(other), self.rank(default)
        return ro in to or self.h.at_or_above(ro, rd)


__all__ += ["Ranking"]
