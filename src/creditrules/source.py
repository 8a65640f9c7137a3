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


class _Builder:
    def __init__(self, file: str) -> None:
        self.smap = SourceMap(file)
        self.diags: list[Diagnostic] = []

    def span_of(self, node: yaml.Node) -> Span:
        return Span(self.smap.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.smap.positions[path] = self.span_of(node)
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
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self.scalar(node)

    @staticmethod
    def scalar(node: yaml.ScalarNode) -> Any:
        # Timestamps stay strings; the models parse dates and report bad ones by field.
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        if node.tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:binary") or node.style:
            return node.value
        return (
            yaml.SafeLoader.construct_scalar(_LOADER, node) if node.tag == "?" else _construct(node)
        )


_LOADER = yaml.SafeLoader("")


def _construct(node: yaml.ScalarNode) -> Any:
    return _LOADER.construct_object(node, deep=True)


#: libyaml's composer where PyYAML was built with it: about five times faster than the
#: pure-Python one, with the same nodes, tags and positions.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_FAST_LOADER)
        return node
    except yaml.YAMLError:
        # Syntax errors are reported as the pure-Python parser words and places them
        # (the CR101 messages documented and tested); parse again with it to get them.
        slow: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
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
    data = builder.build(node, ())
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
    return load_yaml_text(text, name)
