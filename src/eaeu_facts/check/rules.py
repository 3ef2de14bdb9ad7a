"""Rules that span fields, rows and tables: references, evidence, and what the source allows.

Each rule is written once, over whole columns with polars, and returns its offending rows as
findings. The same rules run on the curated input of a build and on a published package read
back by `eaeu-facts validate`, so a package that passed the build passes validation too; a
sound package is proven sound by the code that locates the problems of an unsound one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
import pycountry

from eaeu_facts.check.findings import Finding, findings, offending
from eaeu_facts.model.frames import LINE, PATH
from eaeu_facts.model.schemas import PROVENANCE_FIELDS, Catalog, Table
from eaeu_facts.read.numbers import FigureError, parse_amount, parse_percent
from eaeu_facts.read.rows import Cell

# Arabic fields whose value is the curator's choice of words, not a copy of the source.
NOT_PRINTED = {"countries": ("name_ar",), "sources": ("title_ar",)}
_TEXT = "_text"


@dataclass(frozen=True)
class Tables:
    """What the rules read: the frames of the tables they check, the source texts by
    source_id, and the values that could not be read (reported already, so no rule reports
    them again)."""

    catalog: Catalog
    frames: dict[str, pl.DataFrame]
    texts: dict[str, str]
    unread: AbstractSet[Cell] = frozenset()

    def having(self, *fields: str) -> Iterator[tuple[Table, pl.DataFrame]]:
        """The tables here whose schema has all these fields, with their frames."""
        for table in self.catalog.tables:
            if table.name in self.frames and all(f in table.field_names for f in fields):
                yield table, self.frames[table.name]

    @functools.cached_property
    def _texts(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "source_id": list(self.texts),
                _TEXT: list(self.texts.values()),
                "_chars": list(map(len, self.texts.values())),
            },
            schema={"source_id": pl.String, _TEXT: pl.String, "_chars": pl.Int64},
        )

    def with_text(self, frame: pl.DataFrame) -> pl.LazyFrame:
        """The rows whose source text is known, each with it (`_text`, of `_chars` characters),
        lazily: polars then spreads the work on the texts over every core."""
        return frame.lazy().join(self._texts.lazy(), on="source_id", how="inner")


Rule = Callable[[Tables], Iterable[Finding]]


def _col(frame: pl.DataFrame, name: str) -> pl.Expr:
    """The column, or missing values where the table has no such field."""
    return pl.col(name) if name in frame.columns else pl.lit(None)


def foreign_keys(t: Tables) -> Iterator[Finding]:
    """Every reference resolves to an existing row (self-references included)."""
    unread = {(table, name) for table, _, _, name in t.unread}
    for table, frame in t.having():
        for fk in table.foreign_keys:
            # A row whose key could not be read may be the one a reference means.
            if any((fk.resource, name) in unread for name in fk.reference_fields):
                continue
            keys = t.frames[fk.resource].select(
                pl.col(r).alias(f) for r, f in zip(fk.reference_fields, fk.fields, strict=True)
            )
            present = frame.filter(pl.all_horizontal(pl.col(f).is_not_null() for f in fk.fields))
            missing = present.join(keys.unique(), on=list(fk.fields), how="anti")
            expected = f"an existing {'/'.join(fk.reference_fields)} in {fk.resource}"

            def say(row: dict, fk: Any = fk, expected: str = expected) -> tuple[str, Any, str]:
                value = tuple(row[f] for f in fk.fields)
                return fk.fields[0], value[0] if len(value) == 1 else value, expected

            yield from findings(table.name, missing, say)


def evidence_spans(t: Tables) -> Iterator[Finding]:
    """text[char_start:char_end] == evidence_ar on the unmodified source text."""
    start, end = pl.col("char_start"), pl.col("char_end")
    inside = (start >= 0) & (start < end) & (end <= pl.col("_chars"))
    cut = pl.when(inside).then(pl.col(_TEXT).str.slice(start, end - start)).alias("_cut")
    for table, frame in t.having(*PROVENANCE_FIELDS):
        spans = frame.select(*PROVENANCE_FIELDS, PATH, LINE).drop_nulls(PROVENANCE_FIELDS[1:])
        rows = t.with_text(spans).with_columns(cut)
        wrong = rows.filter(pl.col("_cut").ne_missing(pl.col("evidence_ar")))

        def say(row: dict) -> tuple[str, Any, str]:
            start, end = row["char_start"], row["char_end"]
            found = row["_cut"] if row["_cut"] is not None else f"<{start}:{end}>"
            expected = f"text[{start}:{end}] of {row['source_id']} to equal evidence_ar"
            return "char_start", found, f"{expected} {row['evidence_ar']!r}"

        yield from findings(table.name, wrong.drop(_TEXT, "_chars").collect(), say)


def printed_words(t: Tables) -> Iterator[Finding]:
    """Every Arabic field said to be 'as printed' occurs verbatim in the row's source. Words
    inside the row's own evidence are printed (evidence_spans holds it to the text); only the
    others are sought in the whole text."""
    for table, frame in t.having(*PROVENANCE_FIELDS):
        skip = ("evidence_ar", *NOT_PRINTED.get(table.name, ()))
        names = [n for n in table.field_names if n.endswith("_ar") and n not in skip]
        for name in names:
            words = pl.col(name)
            inside = pl.col("evidence_ar").str.contains(words, literal=True).fill_null(False)
            said = frame.select(name, "evidence_ar", "source_id", PATH, LINE)
            outside = t.with_text(said.filter(words.is_not_null() & ~inside))
            wrong = outside.filter(~pl.col(_TEXT).str.contains(words, literal=True))
            wrong = wrong.drop(_TEXT, "_chars").collect()
            yield from offending(
                table.name, wrong, name, lambda r: f"words printed in {r['source_id']}"
            )


def derived_text(t: Tables) -> Iterator[Finding]:
    """A quotation's text is its evidence."""
    if "quotes" in t.frames:
        quotes = t.frames["quotes"]
        wrong = quotes.filter(pl.col("text_ar").ne_missing(pl.col("evidence_ar")))
        yield from offending("quotes", wrong, "text_ar", "the same words as evidence_ar")


def iso_codes(t: Tables) -> Iterator[Finding]:
    """Country codes are ISO 3166-1 alpha-2 and currency codes ISO 4217."""
    if "countries" in t.frames:
        table, frame = t.catalog.table("countries"), t.frames["countries"]
        yield from _unknown_codes(table, frame, "country_code", "an ISO 3166-1 alpha-2 code")
    for table, frame in t.having("currency_code"):
        yield from _unknown_codes(table, frame, "currency_code", "an ISO 4217 currency code")


def _unknown_codes(
    table: Table, frame: pl.DataFrame, name: str, expected: str
) -> Iterator[Finding]:
    lookup = pycountry.countries if name == "country_code" else pycountry.currencies
    key = "alpha_2" if name == "country_code" else "alpha_3"
    codes = frame[name].drop_nulls().unique().to_list()
    unknown = [code for code in codes if lookup.get(**{key: code}) is None]
    yield from offending(table.name, frame.filter(pl.col(name).is_in(unknown)), name, expected)


def speakers_took_part(t: Tables) -> Iterator[Finding]:
    """Whoever a row says spoke at a meeting is a participant of that meeting."""
    present = t.frames["participants"].select("meeting_id", "person_id").unique()
    for person in ("speaker_person_id", "stated_by_person_id"):
        for table, frame in t.having(person, "meeting_id"):
            said = frame.drop_nulls([person, "meeting_id"])
            absent = said.join(
                present,
                left_on=["meeting_id", person],
                right_on=["meeting_id", "person_id"],
                how="anti",
            )
            yield from offending(
                table.name,
                absent,
                person,
                lambda r: f"a participant of {r['meeting_id']} (see participants)",
            )


def within_quote(t: Tables) -> Iterator[Finding]:
    """A figure taken from a quotation stands inside it and is stated by its speaker."""
    quotes = t.frames["quotes"].select(
        "quote_id",
        pl.col("source_id").alias("_q_source"),
        pl.col("char_start").alias("_q_start"),
        pl.col("char_end").alias("_q_end"),
        pl.col("speaker_person_id").alias("_q_who"),
    )
    quotes = quotes.unique("quote_id", keep="last", maintain_order=True)
    spans = ("_q_start", "_q_end", "char_start", "char_end")
    inside = (
        pl.col("source_id").eq_missing(pl.col("_q_source"))
        & (pl.col("_q_start") <= pl.col("char_start"))
        & (pl.col("char_end") <= pl.col("_q_end"))
    )
    for table, frame in t.having("quote_id", *PROVENANCE_FIELDS):
        if table.name == "quotes":
            continue
        rows = frame.drop_nulls("quote_id").join(quotes, on="quote_id", how="inner")
        outside = rows.drop_nulls(list(spans)).filter(~inside)
        expected = "a quotation whose span contains this row's evidence"
        yield from offending(table.name, outside, "quote_id", expected)
        if "stated_by_person_id" in table.field_names:
            who = pl.col("stated_by_person_id")
            other = rows.filter(who.is_not_null() & who.ne_missing(pl.col("_q_who")))
            yield from offending(
                table.name,
                other,
                "stated_by_person_id",
                lambda r: f"{r['_q_who']}, the speaker of {r['quote_id']}",
            )


def periods_and_dates(t: Tables) -> Iterator[Finding]:
    """What a basis says must match what is filled in: no silent filling, no silent gaps."""
    for table, frame in t.having():
        names = table.field_names
        if "period_basis" in names:
            period = ("period_start", "period_end")
            yield from _basis(table, frame, "period_basis", period, "period_as_printed_ar")
            start, end = pl.col("period_start"), pl.col("period_end")
            backwards = frame.filter(end < start)
            yield from findings(
                table.name,
                backwards,
                lambda r: (
                    "period_end",
                    r["period_end"].isoformat(),
                    f"a date on or after period_start {r['period_start'].isoformat()}",
                ),
            )
        if "date_basis" in names:
            yield from _basis(table, frame, "date_basis", ("date",), "date_as_printed_ar")
        if "published_date_basis" in names:
            yield from _basis(
                table,
                frame,
                "published_date_basis",
                ("published_date",),
                "published_date_as_printed_ar",
                "published_date_note_en",
            )
        for basis in ("place_basis", "participation_basis", "currency_basis"):
            if basis in names:
                why = frame.filter((pl.col(basis) == "inferred") & _col(frame, "note_en").is_null())
                expected = f"the reason for the inference ({basis} is inferred)"
                yield from _missing(table, why, "note_en", expected)
        if "place_basis" in names:
            stated = (pl.col("place_basis") == "stated") & _col(
                frame, "place_as_printed_ar"
            ).is_null()
            expected = "the printed words when place_basis is stated"
            yield from _missing(table, frame.filter(stated), "place_as_printed_ar", expected)


def _basis(
    table: Table,
    frame: pl.DataFrame,
    basis: str,
    values: tuple[str, ...],
    printed: str,
    note: str = "note_en",
) -> Iterator[Finding]:
    said = pl.col(basis)
    no_printed = _col(frame, printed).is_null()
    all_filled = pl.all_horizontal(pl.col(v).is_not_null() for v in values)
    any_filled = pl.any_horizontal(pl.col(v).is_not_null() for v in values)
    yield from _missing(
        table,
        frame.filter((said == "stated") & no_printed),
        printed,
        f"the printed words ({basis} is stated)",
    )
    gaps = frame.filter((said == "stated") & ~all_filled)
    yield from findings(
        table.name,
        gaps,
        lambda r: (
            next(v for v in values if r[v] is None),
            "<missing>",
            f"a value ({basis} is stated)",
        ),
    )
    yield from _missing(
        table,
        frame.filter((said == "relative") & no_printed),
        printed,
        f"the printed words ({basis} is relative)",
    )
    yield from _missing(
        table,
        frame.filter((said == "inferred") & _col(frame, note).is_null()),
        note,
        f"the reason for the inference ({basis} is inferred)",
    )
    filled = frame.filter(said.is_in(["open", "relative", "disputed"]) & any_filled)

    def say(row: dict) -> tuple[str, Any, str]:
        first = next(v for v in values if row[v] is not None)
        expected = f"no value: {basis} is {row[basis]}, so the source does not fix it"
        return first, row[first].isoformat(), expected

    yield from findings(table.name, filled, say)


def _missing(table: Table, rows: pl.DataFrame, field: str, expected: str) -> Iterator[Finding]:
    return findings(table.name, rows, lambda r: (field, "<missing>", expected))


def figures(t: Tables) -> Iterator[Finding]:
    """Hedges are printed words of the evidence; two-country rows name two countries."""
    for table, frame in t.having("hedge", "hedge_as_printed_ar"):
        hedge, printed = pl.col("hedge"), pl.col("hedge_as_printed_ar")
        exact = frame.filter((hedge == "exactly") & printed.is_not_null())
        yield from offending(
            table.name,
            exact,
            "hedge",
            lambda r: f"a qualifier matching {r['hedge_as_printed_ar']!r}",
        )
        unsaid = frame.filter(hedge.is_not_null() & (hedge != "exactly") & printed.is_null())
        yield from findings(
            table.name,
            unsaid,
            lambda r: (
                "hedge_as_printed_ar",
                "<missing>",
                f"the printed words of the hedge {r['hedge']!r}",
            ),
        )
        inside = _col(frame, "evidence_ar").str.contains(printed, literal=True)
        elsewhere = frame.filter(printed.is_not_null() & ~inside)
        yield from offending(
            table.name, elsewhere, "hedge_as_printed_ar", "words inside evidence_ar"
        )
    for a, b in (
        ("country_a_code", "country_b_code"),
        ("investor_country_code", "recipient_country_code"),
    ):
        for table, frame in t.having(a, b):
            same = frame.filter(pl.col(a) == pl.col(b))
            yield from offending(table.name, same, b, f"a country other than {a}")
    for table, frame in t.having("area_organization_id", "area_country_code"):
        both = (
            pl.col("area_organization_id").is_not_null()
            == pl.col("area_country_code").is_not_null()
        )
        expected = "exactly one of area_organization_id and area_country_code"
        yield from offending(table.name, frame.filter(both), "area_country_code", expected)


def one_entity(t: Tables) -> Iterator[Finding]:
    """An alias or a mention names exactly one person, organisation, place or country."""
    keys = ("person_id", "organization_id", "place_id", "country_code")
    for table, frame in t.having(*keys):
        given = pl.sum_horizontal(pl.col(k).is_not_null().cast(pl.Int8) for k in keys)
        wrong = frame.filter(given != 1)
        yield from offending(table.name, wrong, keys[0], f"exactly one of {', '.join(keys)}")


def reports_agree(t: Tables) -> Iterator[Finding]:
    """Where the sources that report a meeting give different dates (or places), its basis
    is `disputed`, and only then: both accounts are kept, and the meeting says so."""
    if not {"meetings", "meeting_reports"} <= set(t.frames):
        return
    reports, meetings = t.frames["meeting_reports"], t.frames["meetings"]
    for value, basis in (("date", "date_basis"), ("place_id", "place_basis")):
        accounts = reports.group_by("meeting_id").agg(pl.col(value).drop_nulls().n_unique())
        rows = meetings.join(accounts.rename({value: "_n"}), on="meeting_id", how="left")
        split, said = pl.col("_n").fill_null(0) > 1, pl.col(basis) == "disputed"
        yield from offending(
            "meetings",
            rows.filter(split & ~said),
            basis,
            lambda r, v=value: f"disputed: its reports give {r['_n']} different {v} values",
        )
        expected = f"a basis other than disputed: no two reports differ on {value}"
        yield from offending("meetings", rows.filter(said & ~split), basis, expected)


def printed_figures(t: Tables) -> Iterator[Finding]:
    """A figure as printed reads as the number beside it, in the currency the row gives. The
    printed words are read once for each distinct combination of the values they are held to."""
    checks = (
        ("amount_as_printed_ar", ("amount", "currency_code", "currency_basis"), _amount),
        ("value_as_printed_ar", ("value_pct",), _percent),
    )
    for printed, others, check in checks:
        for table, frame in t.having(printed):
            names = [printed, *(n for n in others if n in table.field_names)]
            rows = frame.filter(pl.col(printed).is_not_null())
            distinct = rows.select(names).unique(maintain_order=True)
            said = {
                i: check(dict(zip(names, values, strict=True)))
                for i, values in enumerate(distinct.iter_rows())
            }
            wrong = [i for i, found in said.items() if found]
            if not wrong:
                continue
            keyed = distinct.with_row_index("_distinct").filter(pl.col("_distinct").is_in(wrong))
            hit = rows.join(keyed, on=names, how="inner", nulls_equal=True)
            for row in hit.iter_rows(named=True):
                for field, found, expected in said[row["_distinct"]]:
                    yield Finding(table.name, row[PATH], row[LINE], field, found, expected)


def _amount(row: dict[str, Any]) -> list[tuple[str, Any, str]]:
    printed = row["amount_as_printed_ar"]
    try:
        figure = parse_amount(printed)
    except FigureError as exc:
        return [("amount_as_printed_ar", printed, exc.expected)]
    out = []
    amount = row.get("amount")
    if amount is not None and Decimal(amount) != figure.value:
        out.append(("amount", amount, f"{figure.value:f} as printed in {printed!r}"))
    code = row.get("currency_code")
    if code and code != figure.currency and code not in figure.possible:
        others = sorted(figure.possible - {figure.currency})
        may = f", or another it may mean ({', '.join(others)}), inferred" if others else ""
        out.append(("currency_code", code, f"{figure.currency} as printed in {printed!r}{may}"))
    basis, want = row.get("currency_basis"), "stated" if figure.explicit else "inferred"
    if basis and basis != want:
        why = "names the currency" if figure.explicit else "does not say which currency"
        out.append(("currency_basis", basis, f"{want}: {printed!r} {why}"))
    return out


def _percent(row: dict[str, Any]) -> list[tuple[str, Any, str]]:
    printed = row["value_as_printed_ar"]
    try:
        value = parse_percent(printed)
    except FigureError as exc:
        return [("value_as_printed_ar", printed, exc.expected)]
    pct = row.get("value_pct")
    if pct is not None and Decimal(repr(pct)) != value:
        return [("value_pct", pct, f"{value:f} as printed in {printed!r}")]
    return []


RULES: tuple[Rule, ...] = (
    foreign_keys,
    evidence_spans,
    printed_words,
    derived_text,
    iso_codes,
    speakers_took_part,
    within_quote,
    periods_and_dates,
    figures,
    printed_figures,
    one_entity,
    reports_agree,
)
# Rules that hold one row against rows of other tables: a row missing because its file could
# not be read would make them report errors that are only the echo of that one. The others
# read one table at a time.
ACROSS: tuple[Rule, ...] = (foreign_keys, speakers_took_part, within_quote, reports_agree)
ONE_TABLE: tuple[Rule, ...] = tuple(rule for rule in RULES if rule not in ACROSS)
# What the rules across tables read of a table besides its keys and references.
ACROSS_FIELDS = (
    "meeting_id",
    "date",
    "date_basis",
    "place_id",
    "place_basis",
    "person_id",
    "speaker_person_id",
    "stated_by_person_id",
    "quote_id",
    "source_id",
    "char_start",
    "char_end",
)


def across_columns(catalog: Catalog, table: Table) -> list[str]:
    """The columns of a table that the rules across tables read: its key, its references,
    the fields others reference, ACROSS_FIELDS, and where each row was written."""
    wanted = {*table.primary_key, *ACROSS_FIELDS}
    for other in catalog.tables:
        for fk in other.foreign_keys:
            wanted.update(fk.fields if other is table else ())
            wanted.update(fk.reference_fields if fk.resource == table.name else ())
    return [n for n in table.field_names if n in wanted] + [PATH, LINE]
