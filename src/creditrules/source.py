"""YAML → plain data plus a source map of every key and item.

PyYAML's composer gives nodes with positions; we build the data ourselves so that
(a) duplicate keys are refused instead of silently keeping the last one, (b) dates
stay strings until the models parse them (a YAML timestamp would otherwise become
a ``date`` with no way to report ``2018-02-30`` properly), and (c) every node's
position is kept under its path, so a model error on ``rules[3].when`` can still
name ``file:line:col``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from creditrules.diagnostics import Diagnostic, Span

PathKey = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions of nodes by path; a key's own position is stored under ``path + ("<key>",)``."""

    file: str
    positions: dict[PathKey, Span] = field(default_factory=dict)

    def span(self, path: PathKey) -> Span:
        """The closest known position for ``path`` (walking up to the parent if needed)."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p]
            p = p[:-1]
        return self.positions.get((), Span(self.file, 1, 1))

    def key_span(self, path: PathKey) -> Span:
        """Where the key of ``path`` is written (falls back to the value)."""
        return self.positions.get(tuple(path) + ("<key>",), self.span(path))


@dataclass
class Loaded:
    """A parsed YAML document and its source map."""

    data: Any
    smap: SourceMap


#: Deepest nesting of mappings and lists a document may have. The bundled rulesets nest
#: about ten levels; the limit keeps every recursive walk of the data (models, checks,
#: canonical JSON) far from Python's recursion limit.
MAX_DEPTH = 64
#: Most values one document may expand to (the largest bundled file holds about 1,500).
#: Aliases repeat a node wherever they are used, so a few lines of anchors can stand for
#: billions of values ("billion laughs").
MAX_NODES = 100_000
_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _TooLarge(Exception):
    """The document nests too deeply, refers to itself, or expands too far."""

    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.node = node


class _Builder:
    """Builds one document. Each builder has its own scalar constructor: PyYAML's
    constructor remembers every node it has built, so a shared one grew with every file
    read and was mutated by every thread reading one."""

    def __init__(self, file: str) -> None:
        self.smap = SourceMap(file)
        self.diags: list[Diagnostic] = []
        self.constructor = yaml.constructor.SafeConstructor()
        self.nodes = 0
        self.open: set[int] = set()  # ids of the collection nodes being built (an alias cycle)

    def span_of(self, node: yaml.Node) -> Span:
        return Span(self.smap.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge(f"the document expands to more than {MAX_NODES:,} values", node)
        if len(path) > MAX_DEPTH:
            raise _TooLarge(f"nested more than {MAX_DEPTH} levels deep", node)
        self.smap.positions[path] = self.span_of(node)
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            if id(node) in self.open:
                raise _TooLarge("an alias refers to a node that contains it", node)
            if node.tag not in _PLAIN_TAGS:
                raise _TooLarge(f"YAML tags are not supported ({node.tag})", node)
            self.open.add(id(node))
            try:
                return self._collection(node, path)
            finally:
                self.open.discard(id(node))
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node)

    def _collection(self, node: yaml.Node, path: PathKey) -> Any:
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.diags.append(
                        Diagnostic(
                            "CR101",
                            "YAML merge keys (<<) are not supported",
                            self.span_of(key_node),
                        )
                    )
                    continue
                key = self.scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
                if not isinstance(key, str | int | bool) or isinstance(key, bool):
                    key = str(getattr(key_node, "value", key))
                key = str(key)
                if key in out:
                    first = self.smap.positions.get(path + (key, "<key>"))
                    where = f" (first at line {first.line})" if first else ""
                    self.diags.append(
                        Diagnostic("CR102", f"duplicate key '{key}'{where}", self.span_of(key_node))
                    )
                    continue
                self.smap.positions[path + (key, "<key>")] = self.span_of(key_node)
                out[key] = self.build(value_node, path + (key,))
            return out
        return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]

    def scalar(self, node: yaml.ScalarNode) -> Any:
        # Timestamps stay strings; the models parse dates and report bad ones by field.
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        if node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:binary") or node.style:
            return node.value
        if node.tag == "?":
            return node.value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except ValueError:  # an integer of more digits than Python converts (4,300)
            raise _TooLarge("a number too long to read", node) from None
        except yaml.YAMLError as exc:  # a tag no safe loader constructs (!!python/…)
            raise _TooLarge(
                f"cannot read this value: {getattr(exc, 'problem', exc)}", node
            ) from None
        finally:
            self.constructor.constructed_objects.clear()
        return value


#: libyaml's composer where PyYAML was built with it: about five times faster than the
#: pure-Python one, with the same nodes, tags and positions.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_FAST_LOADER)
        return node
    except yaml.YAMLError as fast_error:
        # Syntax errors are reported as the pure-Python parser words and places them
        # (the CR101 messages documented and tested); parse again with it to get them.
        # Its composer recurses once per level: past libyaml's nesting limit it runs out
        # of stack (after most of a second), and libyaml's own message is the one to give.
        if "nesting depth" in str(getattr(fast_error, "problem", "")):
            raise
        try:
            slow: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
        except RecursionError:
            raise fast_error from None
        return slow


def load_yaml_text(text: str, file: str) -> tuple[Loaded | None, list[Diagnostic]]:
    """Parse YAML text; return the data with its source map, and any diagnostics."""
    builder = _Builder(file)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(file, mark.line + 1, mark.column + 1) if mark else Span(file, 1, 1)
        problem = exc.problem or "invalid YAML"
        return None, [Diagnostic("CR101", f"{problem}", span)]
    except yaml.YAMLError as exc:  # pragma: no cover - composer errors are all Marked
        return None, [Diagnostic("CR101", str(exc), Span(file, 1, 1))]
    if node is None:
        return Loaded({}, builder.smap), []
    try:
        data = builder.build(node, ())
    except _TooLarge as exc:
        return None, [Diagnostic("CR101", str(exc), builder.span_of(exc.node))]
    return Loaded(data, builder.smap), builder.diags


def load_yaml_file(
    path: Path, *, display: str | None = None
) -> tuple[Loaded | None, list[Diagnostic]]:
    """Read and parse one YAML file; ``display`` is the name used in diagnostics."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            Diagnostic("CR101", f"file is not UTF-8 text ({exc.reason})", Span(name, 1, 1))
        ]
    except OSError as exc:  # gone since it was listed, unreadable, a folder
        return None, [
            Diagnostic("CR101", f"cannot read the file ({exc.strerror})", Span(name, 1, 1))
        ]
    return load_yaml_text(text, name)
