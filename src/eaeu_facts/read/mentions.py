"""Every place where a source names a person, organisation, place or country.

A dimension row cites the words of the first source that mentions its entity; a second
source that names the same minister must be able to cite its own words too. The build
finds them: each entity's name as printed and each of its aliases (seeds/reference/
aliases.yaml) is looked for in every source text at once (Aho-Corasick, polars' find_many),
as a whole word, a conjunction or preposition (و، ف، ب، ل، ك) attached in front allowed.
A name that two entities share names neither; a match inside the evidence of a curator's
exclusion (the `mention_exclusions` table) is left out.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from eaeu_facts.model.frames import LINE, PATH, UNIT
from eaeu_facts.model.schemas import Table

MENTIONS = "mentions"
ALIASES = "aliases"
EXCLUSIONS = "mention_exclusions"
# The tables of entities, and the column of each that keys a mention.
ENTITY_KEYS = {
    "people": "person_id",
    "organizations": "organization_id",
    "places": "place_id",
    "countries": "country_code",
}
_CLITICS = frozenset(("و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"))

Entity = tuple[str, str, str]  # (key column, key, "name" or "alias")


def entity_names(tables: dict[str, pl.DataFrame]) -> dict[str, Entity]:
    """Every name and alias, with the one entity it names."""
    found: dict[str, set[Entity]] = {}
    for table, column in ENTITY_KEYS.items():
        if table in tables:
            for key, name in tables[table].select(column, "name_ar").drop_nulls().iter_rows():
                found.setdefault(name, set()).add((column, key, "name"))
    if ALIASES in tables:
        aliases = tables[ALIASES]
        for row in aliases.select("alias_ar", *ENTITY_KEYS.values()).iter_rows():
            keyed = [(c, k) for c, k in zip(ENTITY_KEYS.values(), row[1:], strict=True) if k]
            if row[0] and len(keyed) == 1:
                found.setdefault(row[0], set()).add((*keyed[0], "alias"))
    return {name: next(iter(e)) for name, e in found.items() if len({x[:2] for x in e}) == 1}


def find_mentions(
    table: Table,
    names: dict[str, Entity],
    sources: pl.DataFrame,
    texts: dict[str, str],
    excluded: pl.DataFrame | None,
) -> pl.DataFrame:
    """The mentions table of the sources whose texts are given (rows in no set order)."""
    listed = sources.select("source_id", "path", UNIT).filter(pl.col("source_id").is_in(texts))
    found: dict[str, list] = {"i": [], "char_start": [], "evidence_ar": [], LINE: []}
    if names and listed.height:
        patterns = sorted(names, key=lambda n: (-len(n), n))
        column = pl.Series([texts[i] for i in listed.get_column("source_id")])
        # Every match (polars reports the first to end, not the longest): the longest whole
        # word at a place is chosen in _longest.
        starts = column.str.find_many(patterns, overlapping=True).to_list()
        words = column.str.extract_many(patterns, overlapping=True).to_list()
        skip = _excluded(excluded)
        for i, source_id in enumerate(listed.get_column("source_id")):
            text = texts[source_id]
            for start, word in _longest(text, _char_offsets(text), starts[i], words[i]):
                if not _inside(skip.get(source_id), start, start + len(word)):
                    found["i"].append(i)
                    found["char_start"].append(start)
                    found["evidence_ar"].append(word)
                    found[LINE].append(text.count("\n", 0, start) + 1)
    entity = pl.col("evidence_ar").replace_strict(
        {n: e[0] for n, e in names.items()}, default=None, return_dtype=pl.String
    )
    key = pl.col("evidence_ar").replace_strict(
        {n: e[1] for n, e in names.items()}, default=None, return_dtype=pl.String
    )
    frame = (
        pl.DataFrame(
            found,
            schema={
                "i": pl.Int64,
                "char_start": pl.Int64,
                "evidence_ar": pl.String,
                LINE: pl.Int64,
            },
        )
        .join(listed.with_row_index("i").with_columns(pl.col("i").cast(pl.Int64)), on="i")
        .with_columns(
            *(pl.when(entity == c).then(key).alias(c) for c in ENTITY_KEYS.values()),
            matched_by=pl.col("evidence_ar").replace_strict(
                {n: e[2] for n, e in names.items()}, default=None, return_dtype=pl.String
            ),
            char_end=pl.col("char_start") + pl.col("evidence_ar").str.len_chars(),
            mention_id=pl.format(
                "mention-{}-{}", pl.col("source_id").str.strip_prefix("src-"), "char_start"
            ),
        )
        .rename({"path": PATH})
    )
    return frame.select(*(pl.col(f.name).cast(f.dtype) for f in table.fields), PATH, LINE, UNIT)


def _char_offsets(text: str) -> np.ndarray:
    """The code point offset of each UTF-8 byte offset of the text."""
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    return np.concatenate(([0], np.cumsum((data & 0xC0) != 0x80)))


def _longest(
    text: str, chars: np.ndarray, starts: list[int], words: list[str]
) -> list[tuple[int, str]]:
    """The whole-word matches that overlap no longer or earlier one, as (offset, words)."""
    found = sorted(
        ((int(chars[at]), word) for at, word in zip(starts, words, strict=True)),
        key=lambda m: (m[0], -len(m[1])),
    )
    chosen, end = [], 0
    for start, word in found:
        if start >= end and _whole_word(text, start, start + len(word)):
            chosen.append((start, word))
            end = start + len(word)
    return chosen


def _whole_word(text: str, start: int, end: int) -> bool:
    if end < len(text) and text[end].isalpha():
        return False
    word_start = start
    while word_start > 0 and text[word_start - 1].isalpha():
        word_start -= 1
    return word_start == start or text[word_start:start] in _CLITICS


def _excluded(exclusions: pl.DataFrame | None) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    if exclusions is None:
        return spans
    for source_id, start, end in (
        exclusions.select("source_id", "char_start", "char_end").drop_nulls().iter_rows()
    ):
        spans.setdefault(source_id, []).append((start, end))
    return spans


def _inside(spans: list[tuple[int, int]] | None, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans or ())
