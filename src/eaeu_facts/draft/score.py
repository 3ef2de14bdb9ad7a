"""How well a drafter drafts: precision and recall of the values it drafts, per table and per
field, on held-out articles written with what a careful curator would draft before the
drafter they score changed, and never edited to suit it. The published score rests on the
newest held-out set (tests/fixtures/drafts/heldout-8/), written without sight of the drafter.
The sets before it (heldout/ to heldout-7/) scored the drafters of their day and have been
seen since, so they are development material now, with dev-2/ and dev-4/, written for the
drafter to be improved against.

A drafted row is matched to an expected row of the same table: people, places and
organisations by their Arabic name; participants by their meeting and person; the other
tables by where their evidence stands in the text (the pair whose spans overlap most, an
amount or a percentage only with a row of the same value). Ids of new rows are the drafter's
to choose: a reference is right when it names the row matched to the one expected. A value
counts for recall where the curator wrote one, for precision where the drafter did.
English prose (names, translations, notes) is the curator's and is not scored; nor are
statements, priorities, roles and credits, which the drafter does not draft.

`python -m eaeu_facts.draft.score` prints the report; the data quality page publishes it.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eaeu_facts.model.yamlio import safe_load
from eaeu_facts.read.lexicon import normalise

if TYPE_CHECKING:
    from eaeu_facts.draft.known import Known

HELDOUT = Path("tests/fixtures/drafts/heldout-8")  # what the published score rests on
DEVELOPMENT = Path("tests/fixtures/drafts/heldout")  # the first held-out set, seen since
DEVELOPMENT_2 = Path("tests/fixtures/drafts/dev-2")  # written for development
DEVELOPMENT_3 = Path("tests/fixtures/drafts/heldout-2")  # the second held-out set, seen since
DEVELOPMENT_4 = Path("tests/fixtures/drafts/dev-4")  # written for development, unseen rules
DEVELOPMENT_5 = Path("tests/fixtures/drafts/heldout-3")  # the third held-out set, scored once
DEVELOPMENT_6 = Path("tests/fixtures/drafts/heldout-4")  # the fourth held-out set, scored once
DEVELOPMENT_7 = Path("tests/fixtures/drafts/heldout-5")  # the fifth held-out set, scored once
DEVELOPMENT_8 = Path("tests/fixtures/drafts/heldout-6")  # the sixth held-out set, scored once
DEVELOPMENT_9 = Path("tests/fixtures/drafts/heldout-7")  # the seventh held-out set, scored once
DEVELOPMENT_SETS = (
    DEVELOPMENT,
    DEVELOPMENT_2,
    DEVELOPMENT_3,
    DEVELOPMENT_4,
    DEVELOPMENT_5,
    DEVELOPMENT_6,
    DEVELOPMENT_7,
    DEVELOPMENT_8,
    DEVELOPMENT_9,
)
SETS = {
    "held-out": HELDOUT,
    "development": DEVELOPMENT,
    "development-2": DEVELOPMENT_2,
    "development-3": DEVELOPMENT_3,
    "development-4": DEVELOPMENT_4,
    "development-5": DEVELOPMENT_5,
    "development-6": DEVELOPMENT_6,
    "development-7": DEVELOPMENT_7,
    "development-8": DEVELOPMENT_8,
    "development-9": DEVELOPMENT_9,
}
# The fields scored in each table: what a rule can read from the text and the dataset.
SCORED: dict[str, tuple[str, ...]] = {
    "organizations": ("name_ar", "organization_type", "country_code", "parent_organization_id"),
    "places": ("name_ar", "country_code"),
    "people": ("name_ar", "country_code"),
    "meetings": (
        "meeting_type", "organization_id", "parent_meeting_id", "date", "date_basis",
        "country_code", "place_id", "place_basis", "host_country_code",
    ),
    "participants": ("meeting_id", "person_id", "country_code", "post_ar", "participation_basis"),
    "quotes": ("speaker_person_id", "meeting_id", "has_nested_quotation"),
    "trade": (
        "country_a_code", "country_b_code", "flow", "amount", "currency_code", "currency_basis",
        "hedge", "status", "period_start", "period_end", "period_basis", "stated_by_person_id",
        "meeting_id", "quote_id",
    ),
    "investment": (
        "investor_country_code", "recipient_country_code", "amount", "currency_code",
        "currency_basis", "hedge", "status", "period_start", "period_end", "period_basis",
        "stated_by_person_id", "meeting_id", "quote_id",
    ),
    "indicators": (
        "indicator", "area_organization_id", "area_country_code", "value_pct", "hedge",
        "status", "period_start", "period_end", "period_basis", "meeting_id",
    ),
}  # fmt: skip
IDS = {
    "organizations": "organization_id",
    "places": "place_id",
    "people": "person_id",
    "meetings": "meeting_id",
    "quotes": "quote_id",
    "trade": "trade_id",
    "investment": "investment_id",
    "indicators": "indicator_id",
}
# References, and the table whose ids they hold.
REFERENCES = {
    "organization_id": "organizations",
    "parent_organization_id": "organizations",
    "area_organization_id": "organizations",
    "parent_meeting_id": "meetings",
    "meeting_id": "meetings",
    "place_id": "places",
    "person_id": "people",
    "speaker_person_id": "people",
    "stated_by_person_id": "people",
    "quote_id": "quotes",
}
# A value the drafter must never give where the text does not: the invented.
GUARDED = ("country_code", "country_a_code", "country_b_code", "investor_country_code",
           "recipient_country_code", "area_country_code", "host_country_code", "amount",
           "value_pct", "period_start", "period_end", "date")  # fmt: skip


@dataclass
class Count:
    expected: int = 0
    drafted: int = 0
    right_expected: int = 0  # expected values drafted the same (recall)
    right_drafted: int = 0  # drafted values expected the same (precision)

    def add(self, other: Count) -> None:
        self.expected += other.expected
        self.drafted += other.drafted
        self.right_expected += other.right_expected
        self.right_drafted += other.right_drafted

    @property
    def recall(self) -> float:
        return self.right_expected / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.right_drafted / self.drafted if self.drafted else 1.0


@dataclass
class Report:
    fields: dict[tuple[str, str], Count] = field(default_factory=lambda: defaultdict(Count))
    rows: dict[str, Count] = field(default_factory=lambda: defaultdict(Count))
    invented: list[str] = field(default_factory=list)

    def total(self) -> Count:
        out = Count()
        for count in self.fields.values():
            out.add(count)
        return out

    def table(self, name: str) -> Count:
        out = Count()
        for (table, _), count in self.fields.items():
            if table == name:
                out.add(count)
        return out


def score(
    text: str,
    drafted: dict[str, list[dict]],
    expected: dict[str, Any],
    report: Report,
    label: str = "",
) -> None:
    """Add one article's counts to the report."""
    matches: dict[str, dict[int, int]] = {}  # table -> drafted index -> expected index
    ids: dict[str, dict[str, str]] = defaultdict(dict)  # table -> drafted id -> expected id
    for table in (
        "organizations",
        "places",
        "people",
        "meetings",
        "quotes",
        "trade",
        "investment",
        "indicators",
    ):
        got, want = drafted.get(table) or [], expected.get(table) or []
        matches[table] = _match(text, table, got, want)
        key = IDS[table]
        for d, e in matches[table].items():
            if got[d].get(key) and want[e].get(key):
                ids[table][got[d][key]] = want[e][key]
    got, want = drafted.get("participants") or [], expected.get("participants") or []
    mapped = [
        (_map(ids, "meetings", r.get("meeting_id")), _map(ids, "people", r.get("person_id")))
        for r in got
    ]
    wanted = [(r.get("meeting_id"), r.get("person_id")) for r in want]
    matches["participants"] = {d: wanted.index(k) for d, k in enumerate(mapped) if k in wanted}
    for table, fields in SCORED.items():
        got, want = drafted.get(table) or [], expected.get(table) or []
        pairs = matches[table]
        rows = report.rows[table]
        rows.expected += len(want)
        rows.drafted += len(got)
        rows.right_expected += len(set(pairs.values()))
        rows.right_drafted += len(pairs)
        for name in fields:
            count = report.fields[(table, name)]
            for d, row in enumerate(got):
                value = _value(ids, name, row.get(name))
                if _empty(value):
                    continue
                count.drafted += 1
                other = want[pairs[d]] if d in pairs else None
                if other is not None and _same(table, name, value, other, row):
                    count.right_drafted += 1
                elif name in GUARDED and other is not None and _empty(other.get(name)):
                    report.invented.append(
                        f"{label}: {table}.{name} {value!r}, which the text does not give"
                    )
            inverse = {e: d for d, e in pairs.items()}
            for e, row in enumerate(want):
                if _empty(row.get(name)):
                    continue
                count.expected += 1
                if e in inverse:
                    mine = got[inverse[e]]
                    if _same(table, name, _value(ids, name, mine.get(name)), row, mine):
                        count.right_expected += 1


def _map(ids: dict[str, dict[str, str]], table: str, value: Any) -> Any:
    return ids[table].get(value, value) if isinstance(value, str) else value


def _value(ids: dict[str, dict[str, str]], name: str, value: Any) -> Any:
    table = REFERENCES.get(name)
    return _map(ids, table, value) if table else value


def _empty(value: Any) -> bool:
    return value is None or value == ""


def _same(table: str, name: str, value: Any, expected_row: dict, drafted_row: dict) -> bool:
    want = expected_row.get(name)
    if (
        table == "trade"
        and name in ("country_a_code", "country_b_code")
        and expected_row.get("flow") == "turnover"
    ):
        pair = {expected_row.get("country_a_code"), expected_row.get("country_b_code")}
        other = "country_b_code" if name == "country_a_code" else "country_a_code"
        return value in pair and {value, drafted_row.get(other)} == pair
    if name == "name_ar" or name == "post_ar":
        return normalise(str(value)) == normalise(str(want))
    if isinstance(value, (int, float)) and isinstance(want, (int, float)):
        return float(value) == float(want)
    return str(value) == str(want)


def _match(text: str, table: str, got: list[dict], want: list[dict]) -> dict[int, int]:
    """Drafted index -> expected index, one to one."""
    if table in ("organizations", "places", "people"):
        names = {normalise(r.get("name_ar") or ""): i for i, r in enumerate(want)}
        return {
            d: names[k]
            for d, r in enumerate(got)
            if (k := normalise(r.get("name_ar") or "")) in names
        }
    spans_got = [_span(text, r) for r in got]
    spans_want = [_span(text, r) for r in want]
    pairs = []
    for d, (a, row) in enumerate(zip(spans_got, got, strict=True)):
        for e, (b, other) in enumerate(zip(spans_want, want, strict=True)):
            if a is None or b is None:
                continue
            for key in ("amount", "value_pct"):
                if (key in row or key in other) and (
                    row.get(key) is None
                    or other.get(key) is None
                    or float(row[key]) != float(other[key])
                ):
                    break
            else:
                overlap = min(a[1], b[1]) - max(a[0], b[0])
                if overlap > 0:
                    pairs.append((overlap, d, e))
    out: dict[int, int] = {}
    for _, d, e in sorted(pairs, reverse=True):
        if d not in out and e not in out.values():
            out[d] = e
    return out


def _span(text: str, row: dict) -> tuple[int, int] | None:
    evidence = row.get("evidence")
    if not isinstance(evidence, str) or not evidence:
        return None
    nth = int(row.get("occurrence") or 1)
    at = -1
    for _ in range(nth):
        at = text.find(evidence, at + 1)
        if at == -1:
            return None
    return at, at + len(evidence)


# Running it on the held-out set -------------------------------------------------------------


def heldout(root: Path, folder: Path = HELDOUT) -> list[tuple[str, str, dict, dict, Path]]:
    """Each article of a set: its name, text, expected facts (with `options`), and the run of
    the drafter before the set was written (its baseline)."""
    out = []
    for path in sorted((root / folder).glob("[0-9][0-9]-*.txt")):
        expected = safe_load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
        first = path.with_name(path.stem + ".first-run.yaml")
        out.append((path.stem, path.read_text(encoding="utf-8"), expected, {}, first))
    return out


def run(
    root: Path, drafter_name: str = "rules", folder: Path = HELDOUT, known: Known | None = None
) -> tuple[Report, Report]:
    """The report of the drafter, and of the baseline run beside each article, on a set,
    drafted against `known` (default: the package published in root)."""
    from eaeu_facts.draft.drafter import DRAFTERS, Article
    from eaeu_facts.draft.known import Known
    from eaeu_facts.model import paths

    known = known or Known.from_package(root / paths.PACKAGE_DIR)
    drafter = DRAFTERS[drafter_name]
    now, then = Report(), Report()
    for name, text, expected, _, first in heldout(root, folder):
        options = expected.get("options") or {}
        published = options.get("published")
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        drafted = drafter.draft(Article(text, published), known)
        score(text, drafted, expected, now, name)
        old = safe_load(first.read_text(encoding="utf-8")) if first.is_file() else {}
        score(text, {k: v for k, v in old.items() if isinstance(v, list)}, expected, then, name)
    return now, then


def markdown(now: Report, then: Report) -> str:
    head = ["table", "rows expected", "rows drafted", "rows matched", "values expected"]
    head += ["recall", "precision", "first run: recall", "first run: precision"]
    lines = [f"| {' | '.join(head)} |", "|" + "---|" * len(head)]
    for table in SCORED:
        rows, c, o = now.rows[table], now.table(table), then.table(table)
        cells = [table, rows.expected, rows.drafted, rows.right_drafted, c.expected]
        cells += [f"{c.recall:.1%}", f"{c.precision:.1%}", f"{o.recall:.1%}", f"{o.precision:.1%}"]
        lines.append(f"| {' | '.join(map(str, cells))} |")
    total, old = now.total(), then.total()
    rows = [
        sum(getattr(r, k) for r in now.rows.values())
        for k in ("expected", "drafted", "right_drafted")
    ]
    cells = [
        "**all**",
        *rows,
        total.expected,
        f"**{total.recall:.1%}**",
        f"**{total.precision:.1%}**",
    ]
    cells += [f"{old.recall:.1%}", f"{old.precision:.1%}"]
    lines.append(f"| {' | '.join(map(str, cells))} |")
    lines += [
        "",
        "| table | field | expected | drafted | recall | precision |",
        "|---|---|---|---|---|---|",
    ]
    for (table, name), c in now.fields.items():
        cells = [table, name, c.expected, c.drafted, f"{c.recall:.1%}", f"{c.precision:.1%}"]
        lines.append(f"| {' | '.join(map(str, cells))} |")
    return "\n".join(lines)


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    now, then = run(root, folder=SETS[sys.argv[2]] if len(sys.argv) > 2 else HELDOUT)
    print(markdown(now, then))
    print(f"\nDrafted values not as expected in guarded fields: {len(now.invented)}")
    for line in now.invented:
        print(f"- {line}")
