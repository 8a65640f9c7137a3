"""Ruleset folders → one merged, validated-in-shape ``Ruleset``.

A ruleset folder holds ``ruleset.yaml`` (the manifest) and any number of other
``*.yaml`` files with documents, rules, measures and notes; ``scenarios/`` is not
part of the ruleset. Shape errors from the models become diagnostics that point at
``file:line:col`` through each file's source map. Bundled rulesets ship inside the
package (``creditrules/rulesets``), one folder per id and version.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from creditrules.diagnostics import Diagnostic, Span
from creditrules.errors import RulesetNotFoundError
from creditrules.model.rank import Ranking, hierarchy
from creditrules.model.ruleset import (
    All,
    AnyOf,
    Attribute,
    Comparison,
    Document,
    ForbiddenField,
    ListDefinition,
    Manifest,
    Measure,
    Not,
    Note,
    Parameter,
    Rule,
    RulesetFile,
    Vocabulary,
)
from creditrules.source import Loaded, PathKey, SourceMap, load_yaml_file

MANIFEST = "ruleset.yaml"
SKIP_DIRS = {"scenarios", "__pycache__"}


@dataclass
class Located:
    """Where an item of a ruleset was written."""

    smap: SourceMap
    path: PathKey

    def span(self, *sub: str | int) -> Span:
        return self.smap.span(self.path + tuple(sub))

    def key_span(self, *sub: str | int) -> Span:
        return self.smap.key_span(self.path + tuple(sub))


@dataclass
class Ruleset:
    """One version of one ruleset, merged with the ruleset it extends."""

    manifest: Manifest
    folder: Path
    own_sha256: str
    parent: Ruleset | None = None
    documents: dict[str, Document] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    measures: dict[str, Measure] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)
    forbidden_fields: list[ForbiddenField] = field(default_factory=list)
    lists: dict[str, ListDefinition] = field(default_factory=dict)
    parameters: dict[str, Parameter] = field(default_factory=dict)
    vocabularies: list[Vocabulary] = field(default_factory=list)
    _vocabulary: Vocabulary | None = field(default=None, repr=False, compare=False)
    where: dict[tuple[str, str], Located] = field(default_factory=dict)
    #: The folders the caller named to load from (searched before the bundled rulesets).
    roots: list[Path] = field(default_factory=list)
    #: This version on the parent versions of other dates, built by ``layered``.
    _layerings: dict[tuple[str, ...], Ruleset] = field(default_factory=dict, repr=False)
    #: Versions found per (parent id, search folders), so ``layered`` reads no disk twice.
    _entries: dict[tuple[str, tuple[str, ...]], list[Entry]] = field(
        default_factory=dict, repr=False
    )

    @property
    def search(self) -> list[Path]:
        """Where the parent named by ``extends`` is looked for."""
        return [*self.roots, bundled_root(), self.folder.parent.parent]

    _ranking: Ranking | None = field(default=None, repr=False, compare=False)
    _all_rules: list[Rule] | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        """The ruleset's dotted id, e.g. ``cn.js.nantong``."""
        return self.manifest.id

    @property
    def version(self) -> str:
        """The version, e.g. ``2018``."""
        return self.manifest.version

    @property
    def ref(self) -> str:
        """``id@version``, the form the command line and scenario files use."""
        return f"{self.id}@{self.version}"

    @property
    def sha256(self) -> str:
        """Content hash of this version and, through ``extends``, of everything it builds on."""
        if self.parent is None:
            return self.own_sha256
        return hashlib.sha256(f"{self.own_sha256}+{self.parent.sha256}".encode()).hexdigest()

    def all_rules(self) -> list[Rule]:
        """Parent rules first, then own rules (a child may override a parent rule by id).

        A comparison value written ``param:NAME`` (``eq``/``ne``, or the one item of an
        ``in``/``not_in``/``contains`` list) reads the parameter's value as configured here —
        a child's value replaces its parent's; a list is written comma-separated.
        """
        if self._all_rules is None:
            params = self.all_parameters()
            self._all_rules = [_with_parameters(r, params) for r in self._written_rules()]
        return self._all_rules

    def _written_rules(self) -> list[Rule]:
        own_ids = {r.id for r in self.rules}
        inherited = [
            r for r in (self.parent._written_rules() if self.parent else []) if r.id not in own_ids
        ]
        return inherited + self.rules

    def all_documents(self) -> dict[str, Document]:
        docs = dict(self.parent.all_documents()) if self.parent else {}
        docs.update(self.documents)
        return docs

    def all_measures(self) -> dict[str, Measure]:
        out = dict(self.parent.all_measures()) if self.parent else {}
        out.update(self.measures)
        return out

    def all_attributes(self) -> list[Attribute]:
        return (self.parent.all_attributes() if self.parent else []) + self.attributes

    def all_forbidden(self) -> list[ForbiddenField]:
        return (self.parent.all_forbidden() if self.parent else []) + self.forbidden_fields

    def all_lists(self) -> dict[str, ListDefinition]:
        out = dict(self.parent.all_lists()) if self.parent else {}
        out.update(self.lists)
        return out

    def vocabulary(self) -> Vocabulary:
        """The input vocabularies in force: the parent's, with this version's values added
        (a value restated by id replaces the parent's)."""
        if self._vocabulary is not None:
            return self._vocabulary
        merged: dict[str, dict[str, Any]] = {k: {} for k in Vocabulary.model_fields}
        if self.parent is not None:
            base = self.parent.vocabulary()
            for k in merged:
                merged[k].update({v.id: v for v in getattr(base, k)})
        for voc in self.vocabularies:
            for k in merged:
                merged[k].update({v.id: v for v in getattr(voc, k)})
        self._vocabulary = Vocabulary(**{k: list(v.values()) for k, v in merged.items()})
        return self._vocabulary

    def all_parameters(self) -> dict[str, Parameter]:
        """Parameters by name; a child's value replaces its parent's (that is how they are configured)."""
        out = dict(self.parent.all_parameters()) if self.parent else {}
        out.update(self.parameters)
        return out

    def duration(self, text: str) -> str:
        """A duration as written, with ``param:NAME`` resolved to the parameter's value."""
        if text.startswith("param:"):
            p = self.all_parameters().get(text.removeprefix("param:"))
            if p is None:
                raise KeyError(text)
            return str(p.value)
        return text

    def precedence(self) -> dict[str, list[str]]:
        """The declared order of values per attribute; a child's order replaces its parent's."""
        out = dict(self.parent.precedence()) if self.parent else {}
        out.update(self.manifest.precedence)
        return out

    def ranking(self) -> Ranking:
        """The rank of every rule (its instrument's) and what it yields or defers to."""
        if self._ranking is None:
            h = hierarchy()
            docs = self.all_documents()
            ranks: dict[str, str | None] = {}
            yields: dict[str, frozenset[str]] = {}
            defers: dict[str, frozenset[str] | None] = {}
            applies: dict[str, frozenset[str]] = {}

            def implemented(key: str, seen: frozenset[str]) -> set[str]:
                doc = docs.get(key)
                if doc is None or key in seen:
                    return set()
                out: set[str] = set()
                for k in doc.implements:
                    if k in docs:
                        out.add(docs[k].rank)
                        out |= implemented(k, seen | {key})
                return out

            for r in self.all_rules():
                first = next((docs[c.document] for c in r.cites if c.document in docs), None)
                ranks[r.id] = first.rank if first else None
                ys: set[str] = set()
                for c in r.cites:
                    doc = docs.get(c.document)
                    for a in doc.articles if doc else []:
                        if a.id == c.article:
                            ys.update(a.yields_to)
                yields[r.id] = frozenset(ys)
                defers[r.id] = frozenset(r.defers.to) if r.defers else None
                first_key = next((c.document for c in r.cites if c.document in docs), None)
                interprets = first_key is not None and docs[first_key].rank in h.interpret
                applies[r.id] = frozenset(
                    implemented(first_key, frozenset()) if first_key and interprets else ()
                )
            self._ranking = Ranking(ranks, yields, defers, h, applies)
        return self._ranking

    def all_notes(self) -> list[Note]:
        return (self.parent.all_notes() if self.parent else []) + self.notes

    def locate(self, kind: str, key: str) -> Located | None:
        if (kind, key) in self.where:
            return self.where[(kind, key)]
        return self.parent.locate(kind, key) if self.parent else None

    def in_force(self, on: date) -> bool:
        """Whether this version is in force on the given day (``effective_to`` excluded)."""
        m = self.manifest
        return m.effective_from <= on and (m.effective_to is None or on < m.effective_to)

    def layers(self) -> list[Ruleset]:
        """The rulesets this version builds on through ``extends``, nearest first."""
        out: list[Ruleset] = []
        node = self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out


# ------------------------------------------------------------- parameters in conditions


def _param_value(value: Any, params: dict[str, Parameter], as_list: bool) -> Any:
    if as_list:
        if (
            isinstance(value, list)
            and len(value) == 1
            and isinstance(value[0], str)
            and value[0].startswith("param:")
            and value[0].removeprefix("param:") in params
        ):
            raw = params[value[0].removeprefix("param:")].value
            return [v.strip() for v in str(raw).split(",") if v.strip()]
        return value
    if isinstance(value, str) and value.startswith("param:") and value[6:] in params:
        return params[value[6:]].value
    return value


def _with_condition_parameters(cond: Any, params: dict[str, Parameter]) -> Any:
    if isinstance(cond, All):
        return cond.model_copy(
            update={"all": [_with_condition_parameters(c, params) for c in cond.all]}
        )
    if isinstance(cond, AnyOf):
        return cond.model_copy(
            update={"any": [_with_condition_parameters(c, params) for c in cond.any]}
        )
    if isinstance(cond, Not):
        return cond.model_copy(update={"not_": _with_condition_parameters(cond.not_, params)})
    if isinstance(cond, Comparison):
        op = cond.op
        new = _param_value(cond.value, params, op in ("in_", "not_in", "contains"))
        return cond if new is cond.value else cond.model_copy(update={op: new})
    return cond


def _with_parameters(rule: Rule, params: dict[str, Parameter]) -> Rule:
    if not params or rule.when is None:
        return rule
    when = _with_condition_parameters(rule.when, params)
    return rule if when is rule.when else rule.model_copy(update={"when": when})


# ------------------------------------------------------------- pydantic → diagnostics

_TAGS = {"cmp"}


def _clean_loc(loc: tuple[Any, ...]) -> PathKey:
    """Drop the union tags pydantic adds to error locations (``when.all.all.0.cmp.eqq``)."""
    out: list[str | int] = []
    for part in loc:
        if part in _TAGS:
            continue
        if out and part == out[-1] and part in ("all", "any", "not"):
            continue
        if part == "in_":
            part = "in"
        if part == "from_":
            part = "from"
        out.append(part)
    return tuple(out)


def _code_for(err_type: str, msg: str) -> str:
    if err_type == "extra_forbidden":
        return "CR201"
    if err_type == "missing":
        return "CR202"
    if err_type.startswith("date"):
        return "CR204"
    if "dotted lower-case id" in msg:
        return "CR206"
    return "CR203"


def model_diagnostics(
    exc: ValidationError, smap: SourceMap, base: PathKey = ()
) -> list[Diagnostic]:
    """Turn a pydantic error into positioned diagnostics."""
    diags: list[Diagnostic] = []
    for err in exc.errors():
        path = base + _clean_loc(tuple(err["loc"]))
        code = _code_for(err["type"], err["msg"])
        key = path[-1] if path else ""
        if code == "CR201":
            msg = f"unknown field '{key}'"
            span = smap.key_span(path)
        elif code == "CR202":
            msg = f"missing field '{key}'"
            span = smap.span(path[:-1])
        else:
            shown = err.get("input")
            msg = f"'{'.'.join(str(p) for p in path)}': {err['msg'].removeprefix('Value error, ')}"
            if shown is not None and not isinstance(shown, dict | list):
                msg += f" (got {shown!r})"
            span = smap.span(path)
        diags.append(Diagnostic(code, msg, span))
    return diags


def _validate(model: type[BaseModel], loaded: Loaded) -> tuple[Any, list[Diagnostic]]:
    if not isinstance(loaded.data, dict):
        return None, [
            Diagnostic("CR103", "top level must be a mapping of keys", loaded.smap.span(()))
        ]
    try:
        return model.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, model_diagnostics(exc, loaded.smap)


# ------------------------------------------------------------- loading one folder


def _yaml_files(folder: Path) -> list[Path]:
    out = []
    for p in sorted(folder.rglob("*.yaml")):
        rel = p.relative_to(folder)
        if any(part in SKIP_DIRS for part in rel.parts[:-1]):
            continue
        out.append(p)
    return out


def content_hash(folder: Path) -> str:
    """sha256 over the folder's ruleset files (names and bytes), scenarios excluded."""
    h = hashlib.sha256()
    for p in _yaml_files(folder):
        h.update(p.relative_to(folder).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _display(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def read_folder(folder: Path) -> tuple[Ruleset | None, list[Diagnostic]]:
    """Read one ruleset folder (without resolving ``extends``)."""
    diags: list[Diagnostic] = []
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return None, [
            Diagnostic(
                "CR104", f"no {MANIFEST} in {_display(folder)}", Span(_display(folder), 1, 1)
            )
        ]
    parts: list[tuple[RulesetFile, SourceMap]] = []
    manifest: Manifest | None = None
    for p in _yaml_files(folder):
        loaded, ds = load_yaml_file(p, display=_display(p))
        diags += ds
        if loaded is None:
            continue
        model: type[BaseModel] = Manifest if p == manifest_path else RulesetFile
        obj, ds = _validate(model, loaded)
        diags += ds
        if obj is None:
            continue
        if isinstance(obj, Manifest):
            manifest = obj
        parts.append((obj, loaded.smap))
    if manifest is None:
        return None, diags
    digest = hashlib.sha256(content_hash(folder).encode())
    for inc in manifest.includes:
        # An included version's files are carried on as if written here (its manifest is not).
        # A folder without a manifest (such as the shared vocabulary) may be included too.
        # ``bundled:PATH`` names a folder of the rulesets shipped with the package, so a copy
        # of a ruleset folder elsewhere still finds it.
        other = (
            (bundled_root() / inc.removeprefix("bundled:")).resolve()
            if inc.startswith("bundled:")
            else (folder / inc).resolve()
        )
        if not other.is_dir():
            diags.append(
                Diagnostic(
                    "CR308",
                    f"includes '{inc}', which is not a folder",
                    _manifest_span(folder, "includes"),
                )
            )
            continue
        digest.update(content_hash(other).encode())
        for p in _yaml_files(other):
            if p.name == MANIFEST and p.parent == other:
                continue
            loaded, ds = load_yaml_file(p, display=_display(p))
            diags += ds
            if loaded is None:
                continue
            obj, ds = _validate(RulesetFile, loaded)
            diags += ds
            if obj is not None:
                parts.append((obj, loaded.smap))
    own = digest.hexdigest() if manifest.includes else content_hash(folder)
    rs = Ruleset(manifest=manifest, folder=folder, own_sha256=own)
    for part, smap in parts:
        for i, d in enumerate(part.documents):
            _add(rs, diags, "document", d.key, d, rs.documents, Located(smap, ("documents", i)))
        for i, r in enumerate(part.rules):
            if ("rule", r.id) in rs.where:
                diags.append(
                    Diagnostic(
                        "CR301",
                        f"rule id '{r.id}' is used twice (first at {rs.where[('rule', r.id)].span()})",
                        smap.span(("rules", i, "id")),
                        rule=r.id,
                    )
                )
                continue
            rs.where[("rule", r.id)] = Located(smap, ("rules", i))
            rs.rules.append(r)
        for i, m in enumerate(part.measures):
            _add(rs, diags, "measure", m.id, m, rs.measures, Located(smap, ("measures", i)))
        for i, n in enumerate(part.notes):
            rs.where[("note", n.id)] = Located(smap, ("notes", i))
            rs.notes.append(n)
        for i, a in enumerate(part.attributes):
            rs.where[("attribute", a.name)] = Located(smap, ("attributes", i))
            rs.attributes.append(a)
        for i, ld in enumerate(part.lists):
            _add(rs, diags, "list", ld.id, ld, rs.lists, Located(smap, ("lists", i)))
        for i, prm in enumerate(part.parameters):
            _add(
                rs,
                diags,
                "parameter",
                prm.name,
                prm,
                rs.parameters,
                Located(smap, ("parameters", i)),
            )
        if part.vocabulary is not None:
            rs.vocabularies.append(part.vocabulary)
        for i, f in enumerate(part.forbidden_fields):
            rs.where[("forbidden", f.name)] = Located(smap, ("forbidden_fields", i))
            rs.forbidden_fields.append(f)
    return rs, diags


def _add(
    rs: Ruleset,
    diags: list[Diagnostic],
    kind: str,
    key: str,
    obj: Any,
    into: dict[str, Any],
    loc: Located,
) -> None:
    if (kind, key) in rs.where:
        diags.append(
            Diagnostic(
                "CR301",
                f"{kind} '{key}' is declared twice (first at {rs.where[(kind, key)].span()})",
                loc.span(),
            )
        )
        return
    rs.where[(kind, key)] = loc
    into[key] = obj


# ------------------------------------------------------------- the catalogue of versions


def bundled_root() -> Path:
    """The folder of rulesets shipped inside the package."""
    return Path(str(resources.files("creditrules") / "rulesets"))


@dataclass(frozen=True)
class Entry:
    """A ruleset version found on disk, before it is fully loaded."""

    id: str
    version: str
    folder: Path
    manifest: Manifest


def _manifest_folders(root: Path) -> list[Path]:
    """Folders under ``root`` holding a manifest. ``os.walk`` rather than ``rglob``: a folder
    removed while it is walked (another program's temporary files) is passed over instead of
    ending the search with ``FileNotFoundError``, and skipped folders are not entered."""
    out = []
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        if MANIFEST in files:
            out.append(Path(top))
    return sorted(out)


def discover(roots: list[Path]) -> list[Entry]:
    """Every ruleset folder (one with a ruleset.yaml) under the roots."""
    out: list[Entry] = []
    seen: set[Path] = set()
    for root in roots:
        candidates = [root] if (root / MANIFEST).is_file() else _manifest_folders(root)
        for folder in candidates:
            if any(part in SKIP_DIRS for part in folder.relative_to(root).parts):
                continue
            real = folder.resolve()
            if real in seen:
                continue
            seen.add(real)
            loaded, _ = load_yaml_file(folder / MANIFEST)
            if loaded is None or not isinstance(loaded.data, dict):
                continue
            try:
                m = Manifest.model_validate(loaded.data)
            except ValidationError:
                continue
            out.append(Entry(m.id, m.version, folder, m))
    return sorted(out, key=lambda e: (e.id, e.manifest.effective_from))


def resolve(ref: str, *, on: date | None, roots: list[Path] | None = None) -> Path:
    """Find the folder for ``id``, ``id@version`` or a path; by date when no version is named."""
    as_path = Path(ref)
    if as_path.is_dir() and ((as_path / MANIFEST).is_file()):
        return as_path
    roots = roots if roots is not None else [bundled_root()]
    rid, _, version = ref.partition("@")
    entries = [e for e in discover(roots) if e.id == rid]
    if not entries:
        known = sorted({e.id for e in discover(roots)})
        close = difflib.get_close_matches(rid, known, n=3, cutoff=0.6)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise RulesetNotFoundError(
            f"unknown ruleset '{rid}'{hint}; `creditrules rulesets` lists them", ref=ref
        )
    if version:
        for e in entries:
            if e.version == version:
                return e.folder
        raise RulesetNotFoundError(
            f"ruleset '{rid}' has no version '{version}' (versions: {', '.join(e.version for e in entries)})",
            ref=ref,
        )
    if on is None:
        return entries[-1].folder
    for e in entries:
        m = e.manifest
        if m.effective_from <= on and (m.effective_to is None or on < m.effective_to):
            return e.folder
    spans = ", ".join(
        f"{e.version}: from {e.manifest.effective_from}"
        + (f" until the day before {e.manifest.effective_to}" if e.manifest.effective_to else "")
        for e in entries
    )
    raise RulesetNotFoundError(f"no version of '{rid}' is in force on {on} ({spans})", ref=ref)


def resolve_parent(ref: str, *, on: date, roots: list[Path]) -> Path | None:
    """The folder of the parent ``ref`` names, in force ``on``; None when ``ref`` is a bare id
    none of whose versions is in force that day (before the first: the layer is empty, no
    rule of a later instrument applies). Raises ``RulesetNotFoundError`` for an unknown id."""
    rid, _, version = ref.partition("@")
    if not version and "/" not in ref:
        entries = [e for e in discover(roots) if e.id == rid]
        if entries and not any(_entry_in_force(e, on) for e in entries):
            return None
    return resolve(ref, on=on, roots=roots)


def _entry_in_force(e: Entry, on: date) -> bool:
    m = e.manifest
    return m.effective_from <= on and (m.effective_to is None or on < m.effective_to)


def parent_versions(rs: Ruleset) -> list[Entry]:
    """Every version of the parent a bare ``extends`` id may resolve to (any date), oldest
    first; empty when the parent is pinned (``id@version``) or there is none."""
    ext = rs.manifest.extends
    if not ext or "@" in ext:
        return []
    rid = ext
    return [e for e in discover(rs.search) if e.id == rid]


def load(
    ref: str | Path, *, on: date | None = None, roots: list[Path] | None = None
) -> tuple[Ruleset | None, list[Diagnostic]]:
    """Load a ruleset and what it extends; return it with every shape diagnostic.

    The parent named by ``extends`` (an id) is the version in force ``on`` (by default the
    day this version took effect); when none is in force that day there is no parent.
    """
    folder = resolve(str(ref), on=on, roots=roots)
    rs, diags = read_folder(folder)
    if rs is None:
        return None, diags
    rs.roots = list(roots or [])
    if rs.manifest.extends:
        try:
            parent_folder = resolve_parent(
                rs.manifest.extends, on=on or rs.manifest.effective_from, roots=rs.search
            )
        except RulesetNotFoundError as exc:
            diags.append(Diagnostic("CR308", str(exc), _manifest_span(folder, "extends")))
            return rs, diags
        if parent_folder is not None:
            parent, pdiags = load(parent_folder, on=on or rs.manifest.effective_from, roots=roots)
            diags += pdiags
            rs.parent = parent
    return rs, diags


def layered(rs: Ruleset, on: date) -> tuple[Ruleset, list[Diagnostic]]:
    """``rs`` (its own files unchanged) on the parent versions in force ``on``.

    Whichever version of a ruleset was selected, the law it ``extends`` is the law of the
    evaluation date: a city version evaluated on a later day stands on the national version
    of that day, and before the first national version on none. Returns ``rs`` itself when
    its parents already are those of ``on``; other layerings are built once and kept.
    """
    chain = _chain(rs, on)
    if chain == tuple(str(p.folder.resolve()) for p in rs.layers()):
        return rs, []
    got = rs._layerings.get(chain)
    if got is not None:
        return got, []
    parent: Ruleset | None = None
    diags: list[Diagnostic] = []
    if chain:
        parent, diags = load(Path(chain[0]), on=on, roots=rs.roots or None)
    out = dataclasses.replace(
        rs, parent=parent, _layerings={}, _entries=rs._entries, _ranking=None, _all_rules=None
    )
    if not [d for d in diags if d.severity == "error"]:
        rs._layerings[chain] = out
    return out, diags


def _chain(rs: Ruleset, on: date) -> tuple[str, ...]:
    """The folders of the parents in force ``on``, nearest first (manifests read once)."""
    out: list[str] = []
    ext = rs.manifest.extends
    search = rs.search
    while ext:
        rid, _, version = ext.partition("@")
        key = (rid, tuple(str(p) for p in search))
        entries = rs._entries.get(key)
        if entries is None:
            entries = rs._entries[key] = [e for e in discover(search) if e.id == rid]
        pick = [e for e in entries if (e.version == version if version else _entry_in_force(e, on))]
        if not pick or str(pick[0].folder.resolve()) in out:
            break
        out.append(str(pick[0].folder.resolve()))
        ext = pick[0].manifest.extends
        search = [*rs.roots, bundled_root(), pick[0].folder.parent.parent]
    return tuple(out)


def _manifest_span(folder: Path, key: str) -> Span:
    loaded, _ = load_yaml_file(folder / MANIFEST, display=_display(folder / MANIFEST))
    if loaded is None:
        return Span(_display(folder / MANIFEST), 1, 1)
    return loaded.smap.span((key,))
