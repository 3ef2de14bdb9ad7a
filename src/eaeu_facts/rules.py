"""Rules that span rows and tables: references, evidence, and what the source allows.

Each rule is a small function over all tables that adds one problem per violation, located at
the row and field that break it. The same rules run on curated input and on a published
package, so a package that passed the build passes `eaeu-facts validate` too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pycountry

from eaeu_facts.errors import Problems
from eaeu_facts.numbers import FigureError, parse_amount, parse_percent
from eaeu_facts.provenance import span_matches
from eaeu_facts.tables import TableRows

Tables = dict[str, TableRows]
Texts = dict[str, str]
Rule = Callable[[Tables, Texts, Problems], None]

# Arabic fields whose value is the curator's choice of words, not a copy of the source.
NOT_PRINTED = {"countries": ("name_ar",), "sources": ("title_ar",)}


def _rows(tables: Tables, name: str) -> Iterator[tuple[int, dict[str, Any], Any]]:
    rows = tables.get(name)
    if rows is None:
        return iter(())
    return ((i, r, o) for i, (r, o) in enumerate(zip(rows.rows, rows.origins, strict=True)))


def _report(problems: Problems, origin: Any, field: str, found: object, expected: str) -> None:
    problems.add(
        origin.path, origin.line_of(field), field, found, expected, origin.column_of(field)
    )


def foreign_keys(tables: Tables, texts: Texts, problems: Problems) -> None:
    """Every reference resolves to an existing row (self-references included)."""
    for rows in tables.values():
        for fk in rows.table.foreign_keys:
            target = tables[fk.resource]
            keys = {tuple(r[f] for f in fk.reference_fields) for r in target.rows}
            if _unreadable_key(target, fk.reference_fields):
                continue
            for _, row, origin in _rows(tables, rows.table.name):
                value = tuple(row.get(f) for f in fk.fields)
                if any(v is None for v in value) or value in keys:
                    continue
                shown = value[0] if len(value) == 1 else value
                _report(
                    problems,
                    origin,
                    fk.fields[0],
                    shown,
                    f"an existing {'/'.join(fk.reference_fields)} in {fk.resource}",
                )


def _unreadable_key(target: TableRows, fields: tuple[str, ...]) -> bool:
    """A row whose key could not be read may be the one a reference means."""
    return any(unknown.intersection(fields) for unknown in target.unknown)


def evidence_spans(tables: Tables, texts: Texts, problems: Problems) -> None:
    """text[char_start:char_end] == evidence_ar on the unmodified source text."""
    for rows in tables.values():
        if not rows.table.has_provenance:
            continue
        for _, row, origin in _rows(tables, rows.table.name):
            text = texts.get(row["source_id"])
            if text is None:
                continue
            start, end, evidence = row["char_start"], row["char_end"], row["evidence_ar"]
            if None in (start, end, evidence):
                continue
            if not span_matches(text, start, end, evidence):
                found = text[start:end] if 0 <= start < end <= len(text) else f"<{start}:{end}>"
                _report(
                    problems,
                    origin,
                    "char_start",
                    found,
                    f"text[{start}:{end}] of {row['source_id']} to equal evidence_ar {evidence!r}",
                )


def printed_words(tables: Tables, texts: Texts, problems: Problems) -> None:
    """Every Arabic field said to be 'as printed' occurs verbatim in the row's source."""
    for rows in tables.values():
        if not rows.table.has_provenance:
            continue
        names = [
            n
            for n in rows.table.field_names
            if n.endswith("_ar") and n not in ("evidence_ar", *NOT_PRINTED.get(rows.table.name, ()))
        ]
        for _, row, origin in _rows(tables, rows.table.name):
            text = texts.get(row["source_id"])
            if text is None:
                continue
            for name in names:
                value = row.get(name)
                if value is not None and value not in text:
                    _report(problems, origin, name, value, f"words printed in {row['source_id']}")


def derived_text(tables: Tables, texts: Texts, problems: Problems) -> None:
    """A quotation's text is its evidence."""
    for _, row, origin in _rows(tables, "quotes"):
        if row.get("text_ar") != row.get("evidence_ar"):
            _report(
                problems, origin, "text_ar", row.get("text_ar"), "the same words as evidence_ar"
            )


def iso_codes(tables: Tables, texts: Texts, problems: Problems) -> None:
    """Country codes are ISO 3166-1 alpha-2 and currency codes ISO 4217."""
    for _, row, origin in _rows(tables, "countries"):
        if row.get("country_code") and pycountry.countries.get(alpha_2=row["country_code"]) is None:
            _report(
                problems, origin, "country_code", row["country_code"], "an ISO 3166-1 alpha-2 code"
            )
    for rows in tables.values():
        if "currency_code" not in rows.table.field_names:
            continue
        for _, row, origin in _rows(tables, rows.table.name):
            code = row.get("currency_code")
            if code and pycountry.currencies.get(alpha_3=code) is None:
                _report(problems, origin, "currency_code", code, "an ISO 4217 currency code")


def speakers_took_part(tables: Tables, texts: Texts, problems: Problems) -> None:
    """Whoever a row says spoke at a meeting is a participant of that meeting."""
    present = {(r["meeting_id"], r["person_id"]) for r in tables["participants"].rows}
    for rows in tables.values():
        names = rows.table.field_names
        person = next((n for n in ("speaker_person_id", "stated_by_person_id") if n in names), None)
        if person is None or "meeting_id" not in names:
            continue
        for _, row, origin in _rows(tables, rows.table.name):
            who, where = row.get(person), row.get("meeting_id")
            if who and where and (where, who) not in present:
                _report(
                    problems, origin, person, who, f"a participant of {where} (see participants)"
                )


def within_quote(tables: Tables, texts: Texts, problems: Problems) -> None:
    """A figure taken from a quotation stands inside it and is stated by its speaker."""
    quotes = {r["quote_id"]: r for r in tables["quotes"].rows}
    for rows in tables.values():
        if "quote_id" not in rows.table.field_names or rows.table.name == "quotes":
            continue
        for _, row, origin in _rows(tables, rows.table.name):
            quote = quotes.get(row.get("quote_id"))
            if quote is None:
                continue
            spans = (quote["char_start"], quote["char_end"], row["char_start"], row["char_end"])
            inside = None in spans or (
                quote["source_id"] == row["source_id"]
                and quote["char_start"] <= row["char_start"]
                and row["char_end"] <= quote["char_end"]
            )
            if not inside:
                _report(
                    problems,
                    origin,
                    "quote_id",
                    row["quote_id"],
                    "a quotation whose span contains this row's evidence",
                )
            who = row.get("stated_by_person_id")
            if who and who != quote["speaker_person_id"]:
                _report(
                    problems,
                    origin,
                    "stated_by_person_id",
                    who,
                    f"{quote['speaker_person_id']}, the speaker of {row['quote_id']}",
                )


def periods_and_dates(tables: Tables, texts: Texts, problems: Problems) -> None:
    """What a basis says must match what is filled in: no silent filling, no silent gaps."""
    for rows in tables.values():
        names = rows.table.field_names
        for _, row, origin in _rows(tables, rows.table.name):
            if "period_basis" in names:
                _check_basis(
                    row,
                    origin,
                    problems,
                    "period_basis",
                    ("period_start", "period_end"),
                    "period_as_printed_ar",
                )
                start, end = row.get("period_start"), row.get("period_end")
                if start and end and end < start:
                    _report(
                        problems,
                        origin,
                        "period_end",
                        end.isoformat(),
                        f"a date on or after period_start {start.isoformat()}",
                    )
            if "date_basis" in names:
                _check_basis(row, origin, problems, "date_basis", ("date",), "date_as_printed_ar")
            if "published_date_basis" in names:
                _check_basis(
                    row,
                    origin,
                    problems,
                    "published_date_basis",
                    ("published_date",),
                    "published_date_as_printed_ar",
                    note="published_date_note_en",
                )
            for basis in ("place_basis", "participation_basis", "currency_basis"):
                if row.get(basis) == "inferred" and not row.get("note_en"):
                    _report(
                        problems,
                        origin,
                        "note_en",
                        "<missing>",
                        f"the reason for the inference ({basis} is inferred)",
                    )
            if row.get("place_basis") == "stated" and not row.get("place_as_printed_ar"):
                _report(
                    problems,
                    origin,
                    "place_as_printed_ar",
                    "<missing>",
                    "the printed words when place_basis is stated",
                )


def _check_basis(
    row: dict,
    origin: Any,
    problems: Problems,
    basis_field: str,
    value_fields: tuple[str, ...],
    printed_field: str,
    note: str = "note_en",
) -> None:
    basis = row.get(basis_field)
    filled = [f for f in value_fields if row.get(f) is not None]
    if basis == "stated" and not row.get(printed_field):
        _report(
            problems,
            origin,
            printed_field,
            "<missing>",
            f"the printed words ({basis_field} is stated)",
        )
    if basis == "stated" and len(filled) < len(value_fields):
        missing = next(f for f in value_fields if f not in filled)
        _report(problems, origin, missing, "<missing>", f"a value ({basis_field} is stated)")
    if basis == "relative" and not row.get(printed_field):
        _report(
            problems,
            origin,
            printed_field,
            "<missing>",
            f"the printed words ({basis_field} is relative)",
        )
    if basis == "inferred" and not row.get(note):
        _report(
            problems,
            origin,
            note,
            "<missing>",
            f"the reason for the inference ({basis_field} is inferred)",
        )
    if basis in ("open", "relative") and filled:
        _report(
            problems,
            origin,
            filled[0],
            row[filled[0]].isoformat(),
            f"no value: {basis_field} is {basis}, so the source does not fix it",
        )


def figures(tables: Tables, texts: Texts, problems: Problems) -> None:
    """Hedges are printed words of the evidence; two-country rows name two countries."""
    for rows in tables.values():
        if "hedge" not in rows.table.field_names:
            continue
        for _, row, origin in _rows(tables, rows.table.name):
            hedge, printed = row.get("hedge"), row.get("hedge_as_printed_ar")
            if hedge == "exactly" and printed:
                _report(problems, origin, "hedge", hedge, f"a qualifier matching {printed!r}")
            if hedge not in (None, "exactly") and not printed:
                _report(
                    problems,
                    origin,
                    "hedge_as_printed_ar",
                    "<missing>",
                    f"the printed words of the hedge {hedge!r}",
                )
            evidence = row.get("evidence_ar")
            if printed and evidence is not None and printed not in evidence:
                _report(
                    problems, origin, "hedge_as_printed_ar", printed, "words inside evidence_ar"
                )
    for name, a, b in (
        ("trade", "country_a_code", "country_b_code"),
        ("investment", "investor_country_code", "recipient_country_code"),
    ):
        for _, row, origin in _rows(tables, name):
            if row.get(a) and row.get(a) == row.get(b):
                _report(problems, origin, b, row[b], f"a country other than {a}")
    for _, row, origin in _rows(tables, "indicators"):
        if bool(row.get("area_organization_id")) == bool(row.get("area_country_code")):
            _report(
                problems,
                origin,
                "area_country_code",
                row.get("area_country_code"),
                "exactly one of area_organization_id and area_country_code",
            )


def printed_figures(tables: Tables, texts: Texts, problems: Problems) -> None:
    """A figure as printed reads as the number beside it, in the currency the row gives."""
    for rows in tables.values():
        names = rows.table.field_names
        for _, row, origin in _rows(tables, rows.table.name):
            if "amount_as_printed_ar" in names and row.get("amount_as_printed_ar"):
                _check_amount(row, origin, problems)
            if "value_as_printed_ar" in names and row.get("value_as_printed_ar"):
                _check_percent(row, origin, problems)


def _check_amount(row: dict, origin: Any, problems: Problems) -> None:
    printed = row["amount_as_printed_ar"]
    try:
        figure = parse_amount(printed)
    except FigureError as exc:
        _report(problems, origin, "amount_as_printed_ar", printed, exc.expected)
        return
    amount = row.get("amount")
    if amount is not None and Decimal(amount) != figure.value:
        _report(problems, origin, "amount", amount, f"{figure.value:f} as printed in {printed!r}")
    code = row.get("currency_code")
    if code and code != figure.currency:
        _report(
            problems, origin, "currency_code", code, f"{figure.currency} as printed in {printed!r}"
        )
    basis, want = row.get("currency_basis"), "stated" if figure.explicit else "inferred"
    if basis and basis != want:
        why = "names the currency" if figure.explicit else "does not say which currency"
        _report(problems, origin, "currency_basis", basis, f"{want}: {printed!r} {why}")


def _check_percent(row: dict, origin: Any, problems: Problems) -> None:
    printed = row["value_as_printed_ar"]
    try:
        value = parse_percent(printed)
    except FigureError as exc:
        _report(problems, origin, "value_as_printed_ar", printed, exc.expected)
        return
    pct = row.get("value_pct")
    if pct is not None and Decimal(repr(pct)) != value:
        _report(problems, origin, "value_pct", pct, f"{value:f} as printed in {printed!r}")


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
)
# Rules that hold one row against rows of other tables: a row missing because its file could
# not be read would make them report errors that are only the echo of that one.
CROSS_TABLE: tuple[Rule, ...] = (foreign_keys, speakers_took_part, within_quote)


def check_rules(tables: Tables, texts: Texts, problems: Problems, cross: bool = True) -> None:
    for rule in RULES:
        if cross or rule not in CROSS_TABLE:
            rule(tables, texts, problems)
