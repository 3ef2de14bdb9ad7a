"""YAML reading that remembers where each mapping and key came from.

Curated files are edited by hand, so every error must point at a line; PyYAML's plain loaders
forget line numbers once they build Python objects.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from eaeu_facts.model.errors import Problems
from eaeu_facts.model.paths import MAX_YAML_BYTES


class LineDict(dict):
    """A mapping with the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so a date that does not exist is reported
    by the build with its field rather than crashing the parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"a {type(key).__name__} as a key", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_MERGE = "tag:yaml.org,2002:merge"


class _Unusual(Exception):
    """A document the quick construction leaves to PyYAML's: aliases, merges, odd keys."""


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same loader over libyaml's parser, several times faster on large facts files.

    Tags are resolved as Resolver.resolve does (without path resolvers, which _Loader has
    none of), once per distinct plain scalar; documents are built straight from the nodes,
    and anything unusual is built by the usual constructors instead.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _plain_tag(value) if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def construct_document(self, node: yaml.Node) -> Any:
        try:
            return _build(self, node, set())
        except _Unusual:
            return super().construct_document(node)


@functools.lru_cache(maxsize=8192)
def _plain_tag(value: str) -> str:
    resolvers = _Loader.yaml_implicit_resolvers
    for tag, regexp in [*resolvers.get(value[:1], []), *resolvers.get(None, [])]:
        if regexp.match(value):
            return tag
    return _STR


def _build(loader: _FastLoader, node: yaml.Node, seen: set[int]) -> Any:
    """What construct_document gives for plain documents (see _construct_mapping)."""
    if id(node) in seen:
        raise _Unusual  # an alias: the usual constructors share the object
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        return [_build(loader, child, seen) for child in node.value]
    if not (isinstance(node, yaml.MappingNode) and node.tag == _MAP):
        raise _Unusual
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
            raise _Unusual
        key = _build(loader, key_node, seen)
        if (not isinstance(key, (str, int, float, bool)) and key is not None) or key in result:
            raise _Unusual
        result[key] = _build(loader, value_node, seen)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
_FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def _first_anchor(text: str) -> tuple[int, str] | None:
    """The line and kind of the first anchor or alias (`&name`, `*name`, `<<: *name`), which
    are refused: curators never need them, and a few hundred bytes of nested aliases expand
    to gigabytes ("billion laughs"). Only a text with `&` or `*` in it is scanned."""
    if "&" in text or "*" in text:
        try:
            for event in yaml.parse(text, Loader=_FastLoader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
                    return event.start_mark.line + 1, kind
        except yaml.YAMLError:
            pass  # reported by the parser, in its words
    return None


def _parse(text: str) -> Any:
    """Parse with libyaml; anything it refuses (or that PyYAML's reader would refuse) is parsed
    again by the pure-Python parser, so a problem is reported in exactly the same words."""
    if not _NON_PRINTABLE.search(text):
        try:
            return yaml.load(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=_Loader)


def safe_load(text: str) -> Any:
    """yaml.safe_load over libyaml's parser where PyYAML has it: the same values (dates as
    dates), several times faster, for the project's own files (held-out sets, drafts, the
    reference lists the drafter reads), which need no line numbers."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def load_yaml(path: Path, display: str, problems: Problems) -> Any:
    """Parse a YAML file; on failure (an empty file included) add one problem with the
    parser's line and return None."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            expected = f"at most {MAX_YAML_BYTES:,} bytes (split the file)"
            problems.add(display, None, "file", f"<{size:,} bytes>", expected)
            return None
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(display, None, "file", f"<{type(exc).__name__}>", "a readable UTF-8 file")
        return None
    if anchor := _first_anchor(text):
        expected = "plain YAML without anchors or aliases (write each value out)"
        problems.add(display, anchor[0], "yaml", f"<an {anchor[1]}>", expected)
        return None
    try:
        data = _parse(text)
    except RecursionError:
        problems.add(display, None, "yaml", "<lists or mappings nested too deeply>", "valid YAML")
        return None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        found = f"<the character #x{code:04x}>"
        problems.add(display, line, "yaml", found, "printable characters only")
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = (exc.problem or exc.context or "a syntax error").strip()
        problems.add(display, line, "yaml", f"<{what}>", "valid YAML")
        return None
    except yaml.YAMLError as exc:
        problems.add(display, None, "yaml", f"<{exc}>", "valid YAML")
        return None
    if data is None:
        problems.add(display, None, "file", "<an empty file>", "a YAML document")
    return data
