"""How well the fact finder reads: precision, recall and the misses of each kind, on two sets
of hand-written passages.

The development passages (tests/fixtures/candidates/passages.yaml) are those the finder is
built against. The held-out passages (tests/fixtures/candidates/heldout/) were written, with
their expected candidates, before the finder was changed for the forms they hold, and are
never edited to suit it: their scores say how the finder does on text it was not tuned on.

A found candidate is correct when an expected one has the same kind, span text and every
stated field (value, range, scale, currency, date, calendar, the date it is the same as,
nesting, ambiguity); a wrong value counts against both precision and recall. Attribution is
not scored. `python -m eaeu_facts.read.accuracy` prints the report.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eaeu_facts.model.yamlio import safe_load
from eaeu_facts.read.candidates import KINDS, Candidate, find_candidates

SETS = {
    "development": "tests/fixtures/candidates/passages.yaml",
    "held-out": "tests/fixtures/candidates/heldout/passages.yaml",
}
# What a passage's expected candidate may state, and the finder's fields they compare with.
FIELDS = (
    "kind",
    "text",
    "value",
    "value_max",
    "scale",
    "currency",
    "currency_explicit",
    "unit",
    "date",
    "relative",
    "calendar",
    "same_as",
    "ambiguous",
    "nested",
)
NOT_SCORED = ("attribution",)

Row = tuple[Any, ...]


@dataclass
class Score:
    """One kind on one set: how many candidates were expected, found, and found right."""

    expected: int = 0
    found: int = 0
    correct: int = 0
    misses: list[str] = field(default_factory=list)  # expected, not found as stated
    wrong: list[str] = field(default_factory=list)  # found, not expected as found

    @property
    def precision(self) -> float | None:
        return self.correct / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.correct / self.expected if self.expected else None


def _typed(value: Any) -> Any:
    """4 and 4.0 differ: an amount read as a float where an integer was printed is wrong."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return (type(value).__name__, value)


def found_row(c: Candidate, by_start: dict[int, Candidate], fields: tuple = FIELDS) -> Row:
    """A found candidate as a passage would state it (`same_as` by the linked text)."""
    same_as = getattr(c, "same_as", None)  # absent from finders before #13 (first run)
    linked = by_start.get(same_as) if same_as is not None else None
    values = {f: getattr(c, f, None) for f in fields}
    values.update(same_as=linked.text if linked else None, nested=c.nested_in is not None)
    values["ambiguous"] = bool(values.get("ambiguous"))
    return tuple(_typed(values[f]) for f in fields)


def expected_row(e: dict[str, Any], where: str, fields: tuple = FIELDS) -> Row:
    unknown = set(e) - set(FIELDS) - set(NOT_SCORED)
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}; expected {FIELDS}")
    values = {**e, "nested": bool(e.get("nested")), "ambiguous": bool(e.get("ambiguous"))}
    return tuple(_typed(values.get(f)) for f in fields)


def describe(row: Row) -> str:
    """A row as `kind "text" (field=value, ...)`, the fields that are stated only."""
    values = dict(zip(FIELDS, row, strict=True))
    stated = [
        f"{name}={value[1] if isinstance(value, tuple) else value}"
        for name, value in values.items()
        if name not in ("kind", "text") and value not in (None, False)
    ]
    return f"{values['kind']} “{values['text']}”" + (f" ({', '.join(stated)})" if stated else "")


def evaluate(passages: list[dict[str, Any]]) -> dict[str, Score]:
    """The score of each kind over the passages."""
    scores = {kind: Score() for kind in KINDS}
    for passage in passages:
        found = find_candidates(passage["text"])
        by_start = {c.start: c for c in found if c.kind == "date"}
        got = Counter(found_row(c, by_start) for c in found)
        wanted = Counter(expected_row(e, passage["id"]) for e in passage["expected"])
        for row, n in (got & wanted).items():
            scores[row[0]].correct += n
        for row, n in got.items():
            scores[row[0]].found += n
        for row, n in wanted.items():
            scores[row[0]].expected += n
        for row in sorted((wanted - got).elements(), key=repr):
            scores[row[0]].misses.append(f"{passage['id']}: {describe(row)}")
        for row in sorted((got - wanted).elements(), key=repr):
            scores[row[0]].wrong.append(f"{passage['id']}: {describe(row)}")
    return scores


def load_set(root: Path, name: str) -> list[dict[str, Any]]:
    return safe_load((root / SETS[name]).read_text(encoding="utf-8"))


def report(root: Path) -> dict[str, dict[str, Score]]:
    """Every set's scores, by kind."""
    return {name: evaluate(load_set(root, name)) for name in SETS}


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def markdown(root: Path, escape: Callable[[str], str] = str) -> str:
    """The report: for each set, a table of the kinds, then every miss and wrong reading
    (`escape` makes the passages' words safe for the page they go on)."""
    parts = []
    for name, scores in report(root).items():
        passages = len(load_set(root, name))
        parts += [
            f"**{name.capitalize()} passages** ({passages}, `{SETS[name]}`)",
            "",
            "| kind | expected | found | correct | precision | recall |",
            "|---|---|---|---|---|---|",
        ]
        parts += [
            f"| {kind} | {s.expected} | {s.found} | {s.correct} | "
            f"{percent(s.precision)} | {percent(s.recall)} |"
            for kind, s in scores.items()
        ]
        lines = [f"- missed {escape(m)}" for s in scores.values() for m in s.misses]
        lines += [f"- found wrongly {escape(w)}" for s in scores.values() for w in s.wrong]
        parts += ["", *(lines or ["Nothing missed, nothing found wrongly."]), ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(markdown(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
