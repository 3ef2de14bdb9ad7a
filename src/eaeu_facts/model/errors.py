"""Problems found in input or output, reported together as one line each.

A curator fixes what the line names: the file, the line (or CSV row and column), the field,
what was found and what was expected. Nothing here raises a traceback at the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One violation, located as precisely as the input allows."""

    path: str
    line: int | None
    field: str
    found: str
    expected: str
    column: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.field}: found {self.found}, expected {self.expected}"


@dataclass
class Problems:
    """Collects problems so a run reports all of them, not just the first."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: str,
        line: int | None,
        field_name: str,
        found: object,
        expected: str,
        column: int | None = None,
    ) -> None:
        field_name, expected = _field(field_name), _one_line(expected)
        self.items.append(Problem(path, line, field_name, _show(found), expected, column))

    def extend(self, other: Problems | list[Problem]) -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def lines(self) -> list[str]:
        """The report, deduplicated and in a stable order."""
        return [str(p) for p in sorted(set(self.items), key=_sort_key)]

    def shown(self) -> list[str]:
        """The report as a command prints it: the first SHOWN lines, then how many more, then
        the count, so that a broken or hostile input cannot bury the first problems."""
        lines = self.lines()
        more = [f"... and {len(lines) - SHOWN} more, not shown"] if len(lines) > SHOWN else []
        return [*lines[:SHOWN], *more, f"{len(lines)} problem(s)"]


# The problems a failed command prints before it says how many more there are (the Python API
# returns them all).
SHOWN = 50


class BuildError(Exception):
    """Raised with the collected problems when input or output fails its checks."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def _sort_key(p: Problem) -> tuple[str, int, int, str, str, str]:
    """Every part of the line: two problems at one place differing only in what was expected
    would otherwise come out in the order of a set, which changes from run to run."""
    return (p.path, p.line or 0, p.column or 0, p.field, p.found, p.expected)


# What would end a line, or hide in one: splitlines() breaks at more than "\n".
_BREAKS = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, 0x85)} | {
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
# A name as fields are named (``resources[2].schema``, ``amount, currency``); anything else,
# an empty key or one holding a colon, a quote or a break, is shown quoted.
_PLAIN_FIELD = re.compile(r"[^\s:'\"\\](?:[^:'\"\\\x00-\x1f\x7f\x85\u2028\u2029]*[^\s:'\"\\])?")


def _one_line(text: str) -> str:
    """Text a contributor wrote, quoted in what was expected, kept on the problem's line."""
    return text.translate(_BREAKS)


def _field(name: str) -> str:
    """A field as the line names it: quoted when it is not a plain name (an empty key, a key
    with a colon or a line break in it), so that the line still reads one way."""
    return name if _PLAIN_FIELD.fullmatch(name) else repr(name)


def _show(value: object) -> str:
    """Render a found value briefly and unambiguously on one line."""
    if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
        return " ".join(value.split())  # a problem is one line, whatever a library said
    text = repr(value)
    text = text.replace("\n", "\\n")
    return text if len(text) <= 80 else text[:77] + "...'"
