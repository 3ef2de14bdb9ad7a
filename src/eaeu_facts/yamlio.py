"""YAML reading that remembers where each mapping and key came from.

Curated files are edited by hand, so every error must point at a line; PyYAML's plain loaders
forget line numbers once they build Python objects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from eaeu_facts.errors import Problems


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


def load_yaml(path: Path, display: str, problems: Problems) -> Any:
    """Parse a YAML file; on failure add one problem with the parser's line and return None."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(display, None, "file", f"<{type(exc).__name__}>", "a readable UTF-8 file")
        return None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = (exc.problem or exc.context or "a syntax error").strip()
        problems.add(display, line, "yaml", f"<{what}>", "valid YAML")
        return None
    except yaml.YAMLError as exc:
        problems.add(display, None, "yaml", f"<{exc}>", "valid YAML")
        return None
