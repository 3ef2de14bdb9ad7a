"""The mutation suite: each corruption of a valid project or package, and the one line it
must be reported in.

Every case breaks one thing in the valid mini + figures project (tests/helpers.py), or in
the package built from it, and names the one line that must be reported: exact path, line
(and CSV column) and field, and words of what was found and expected. test_errors.py applies
each to a fresh project and a published package, test_pipeline.py each input case after a
full build, test_package.py and test_synthetic.py the package cases to frictionless too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from eaeu_facts.read.evidence import sha256_hex
from tests.helpers import (
    COUNTRIES,
    FIG_FACTS,
    FIG_RECORD,
    FIG_TEXT,
    MINI_FACTS,
    MINI_RECORD,
    MINI_TEXT,
    PACKAGE,
    Expect,
    at_cell,
    change_rows,
    fix_hashes,
    line_of,
    read_rows,
    rehash,
    replace,
    write_rows,
)

Case = Callable[[Path], Expect]
INPUT: dict[str, Case] = {}
PACKAGE_CASES: dict[str, Case] = {}
F, G = MINI_FACTS, FIG_FACTS


def _register(registry: dict[str, Case]) -> Callable[[Case], Case]:
    def add(fn: Case) -> Case:
        registry[fn.__name__.strip("_").replace("_", "-")] = fn
        return fn

    return add


given_input, given_package = _register(INPUT), _register(PACKAGE_CASES)


def at(root: Path, rel: str, needle: str, field: str, found: str, expected: str, nth: int = 1):
    return Expect(rel, line_of(root, rel, needle, nth), field, found, expected)


# Files that cannot be read ------------------------------------------------------------------


@given_input
def yaml_does_not_parse(root: Path) -> Expect:
    replace(root, F, "name_en: Test News", "name_en: Test: News")
    return at(root, F, "Test: News", "yaml", "mapping values are not allowed", "valid YAML")


@given_input
def yaml_repeats_a_key(root: Path) -> Expect:
    replace(root, F, "    name_en: Test News\n", "    name_en: Test News\n    name_en: Other\n")
    return at(root, F, "name_en: Other", "yaml", "duplicate key 'name_en'", "valid YAML")


@given_input
def facts_cite_an_unknown_source(root: Path) -> Expect:
    replace(root, F, "source_id: src-0123456789abcdef", "source_id: src-ffffffffffffffff")
    return at(root, F, "source_id:", "source_id", "src-ffffffffffffffff", "a source record")


@given_input
def facts_name_an_unknown_table(root: Path) -> Expect:
    replace(root, F, "people:\n", "peoples:\n")
    return at(root, F, "peoples:", "table", "'peoples'", "a table name from schemas/")


@given_input
def source_is_not_utf8(root: Path) -> Expect:
    data = (root / MINI_TEXT).read_bytes()
    at_line3 = data.index(b"\n", data.index(b"\n") + 1) + 1
    (root / MINI_TEXT).write_bytes(data[:at_line3] + b"\xff" + data[at_line3:])
    rehash(root, MINI_TEXT, MINI_RECORD)
    return Expect(MINI_TEXT, 3, "encoding", f"byte 0xff at offset {at_line3}", "UTF-8")


@given_input
def source_has_a_bom(root: Path) -> Expect:
    (root / MINI_TEXT).write_bytes(b"\xef\xbb\xbf" + (root / MINI_TEXT).read_bytes())
    rehash(root, MINI_TEXT, MINI_RECORD)
    return Expect(MINI_TEXT, 1, "encoding", "a byte order mark", "UTF-8 without BOM")


@given_input
def source_has_crlf_line_ends(root: Path) -> Expect:
    (root / MINI_TEXT).write_bytes((root / MINI_TEXT).read_bytes().replace(b"\n", b"\r\n"))
    rehash(root, MINI_TEXT, MINI_RECORD)
    return Expect(MINI_TEXT, 1, "line ends", "CR", "LF line ends only")


def edit_recorded_source(root: Path, recorded_in: str) -> Expect:
    """Change a word of the mini source text without recording its new hash."""
    recorded = sha256_hex((root / MINI_TEXT).read_bytes())
    replace(root, MINI_TEXT, "التعاون الاقتصادي", "التعاون التجاري")
    edited = sha256_hex((root / MINI_TEXT).read_bytes())
    return Expect(MINI_TEXT, None, "sha256", edited, f"{recorded} as recorded in {recorded_in}")


@given_input
def source_edited_after_facts_cite_it(root: Path) -> Expect:
    return edit_recorded_source(root, MINI_RECORD)


@given_input
def source_record_lacks_its_hash(root: Path) -> Expect:
    replace(root, MINI_RECORD, "sha256: e9dd", "# sha256: e9dd")
    return at(root, MINI_RECORD, "source_id:", "sha256", "<missing>", "the sha256 of 001_")


@given_input
def source_text_without_record(root: Path) -> Expect:
    (root / MINI_RECORD).unlink()
    return Expect(MINI_TEXT, None, "file", "a source text without a record", "beside it")


@given_input
def source_record_without_text(root: Path) -> Expect:
    (root / MINI_TEXT).unlink()
    return Expect(MINI_RECORD, None, "file", "a source record without its text", "beside it")


# Fields: unknown, missing, of the wrong type -------------------------------------------------


@given_input
def unknown_field(root: Path) -> Expect:
    replace(root, F, "    name_en: Test News\n", "    name_en: Test News\n    colour: blue\n")
    return at(root, F, "colour: blue", "colour", "an unknown field", "one of organization_id")


@given_input
def missing_required_field(root: Path) -> Expect:
    replace(root, F, "    name_en: Sami Nader\n", "")
    return at(root, F, "person_id: person-sami-nader", "name_en", "<missing>", "a value (required)")


@given_input
def missing_evidence(root: Path) -> Expect:
    replace(root, F, "    evidence: لقاء تجريبي\n", "")
    return at(root, F, "organization_id:", "evidence", "<missing>", "the words of the source")


@given_input
def integer_written_in_words(root: Path) -> Expect:
    replace(root, F, "amount: 5000000000", "amount: five billion")
    return at(root, F, "five billion", "amount", "'five billion'", "a whole number")


@given_input
def number_written_in_words(root: Path) -> Expect:
    replace(root, G, "value_pct: 4", "value_pct: four")
    return at(root, G, "value_pct:", "value_pct", "'four'", "a number written with digits")


@given_input
def string_given_a_number(root: Path) -> Expect:
    replace(root, F, "name_en: Sami Nader", "name_en: 12")
    return at(root, F, "name_en: 12", "name_en", "12", "a string (quote it)")


@given_input
def boolean_given_a_word(root: Path) -> Expect:
    replace(root, F, "has_nested_quotation: false", "has_nested_quotation: maybe")
    return at(root, F, "maybe", "has_nested_quotation", "'maybe'", "true or false")


# Evidence ----------------------------------------------------------------------------------


@given_input
def evidence_not_in_source(root: Path) -> Expect:
    replace(root, F, "evidence: ليلى حسن", "evidence: ليلى حسين")
    return at(root, F, "ليلى حسين", "evidence", "no occurrence of 'ليلى حسين'", "verbatim")


@given_input
def evidence_twice_without_occurrence(root: Path) -> Expect:
    replace(root, F, "    occurrence: 1\n", "")
    return at(root, F, "evidence: سامي نادر", "evidence", "2 occurrences", "'occurrence' (1 to 2)")


@given_input
def occurrence_out_of_range(root: Path) -> Expect:
    replace(root, F, "occurrence: 1", "occurrence: 3")
    return at(root, F, "occurrence: 3", "occurrence", "occurrence 3", "a number from 1 to 2")


@given_input
def printed_words_not_in_source(root: Path) -> Expect:
    replace(root, F, "post_ar: الوزيرة", "post_ar: الوزيرة الأولى")
    return at(root, F, "الأولى", "post_ar", "الوزيرة الأولى", "words printed in src-0123")


# Constraints of the table schemas ------------------------------------------------------------


@given_input
def duplicate_identifier(root: Path) -> Expect:
    replace(root, F, "- person_id: person-layla-hassan", "- person_id: person-sami-nader")
    return at(root, F, "- person_id: person-sami-nader", "person_id", "person-sami", "(unique)", 2)


@given_input
def duplicate_composite_key(root: Path) -> Expect:
    replace(root, F, "    person_id: person-layla-hassan", "    person_id: person-sami-nader")
    return at(
        root,
        F,
        "- meeting_id: mtg-test-talks",
        "meeting_id, person_id",
        "('mtg-test-talks', 'person-sami-nader')",
        "a primary key (meeting_id, person_id) no other row of participants has",
        nth=3,
    )


@given_input
def pattern_broken(root: Path) -> Expect:
    replace(root, F, "trade_id: trade-kz-ru-target", "trade_id: Trade_KZ")
    return at(root, F, "Trade_KZ", "trade_id", "Trade_KZ", "a value matching ^trade-[a-z0-9-]+$")


@given_input
def enum_value_unknown(root: Path) -> Expect:
    replace(root, F, "flow: turnover", "flow: barter")
    return at(root, F, "barter", "flow", "barter", "one of turnover, exports, imports")


@given_input
def amount_zero(root: Path) -> Expect:
    replace(root, F, "amount: 5000000000", "amount: 0")
    return at(root, F, "amount: 0", "amount", "0", "at least 1")


@given_input
def amount_negative(root: Path) -> Expect:
    replace(root, F, "amount: 2000000000", "amount: -2000000000")
    return at(root, F, "amount: -2", "amount", "-2000000000", "at least 1")


def infer_period(root: Path, start: str, end: str) -> None:
    """Give the open period of trade-kz-ru-actual an inferred start and end."""
    period = f"    period_basis: inferred\n    period_start: {start}\n    period_end: {end}\n"
    replace(root, F, "    period_basis: open\n", period, nth=2)


@given_input
def date_that_does_not_exist(root: Path) -> Expect:
    infer_period(root, "2025-02-30", "2025-03-31")
    return at(root, F, "2025-02-30", "period_start", "2025-02-30", "a date that exists")


@given_input
def date_in_another_form(root: Path) -> Expect:
    replace(root, F, "    period_basis: open\n", "    period_start: 31/01/2025\n", nth=2)
    return at(root, F, "31/01/2025", "period_start", "31/01/2025", "written YYYY-MM-DD")


# Rules across fields, rows and tables (rules.py) ---------------------------------------------


@given_input
def period_ends_before_it_starts(root: Path) -> Expect:
    infer_period(root, "2025-03-31", "2025-01-01")
    return at(root, F, "period_end:", "period_end", "2025-01-01", "on or after period_start")


@given_input
def reference_to_a_missing_row(root: Path) -> Expect:
    replace(root, F, "speaker_person_id: person-sami-nader", "speaker_person_id: person-nobody")
    return at(
        root, F, "person-nobody", "speaker_person_id", "person-nobody", "an existing person_id"
    )


@given_input
def country_not_in_countries(root: Path) -> Expect:
    replace(root, F, "country_code: KZ", "country_code: DE")
    return at(root, F, "country_code: DE", "country_code", "DE", "an existing country_code")


@given_input
def country_code_not_iso(root: Path) -> Expect:
    row = "- {country_code: QQ, name_en: Nowhere, name_ar: لا مكان}\n"
    (root / COUNTRIES).write_text((root / COUNTRIES).read_text("utf-8") + row, "utf-8")
    return at(root, COUNTRIES, "QQ", "country_code", "QQ", "an ISO 3166-1 alpha-2 code")


@given_input
def currency_code_not_iso(root: Path) -> Expect:
    replace(root, F, "currency_code: USD", "currency_code: XYZ")
    return at(root, F, "XYZ", "currency_code", "XYZ", "an ISO 4217 currency code")


@given_input
def speaker_did_not_take_part(root: Path) -> Expect:
    start = line_of(root, F, "- meeting_id: mtg-test-talks", 3)
    lines = (root / F).read_text("utf-8").split("\n")
    (root / F).write_text("\n".join(lines[: start - 1] + lines[start + 6 :]), "utf-8")
    return at(
        root,
        F,
        "stated_by_person_id: person-layla",
        "stated_by_person_id",
        "layla",
        "a participant",
    )


@given_input
def figure_outside_its_quote(root: Path) -> Expect:
    replace(
        root,
        F,
        "    status: actual\n",
        "    status: actual\n    quote_id: quote-sami-nader-trade\n",
    )
    return at(
        root, F, "quote_id: quote-sami-nader-trade", "quote_id", "quote-sami", "span contains", 3
    )


@given_input
def figure_stated_by_another_than_the_speaker(root: Path) -> Expect:
    replace(
        root,
        F,
        "stated_by_person_id: person-sami-nader",
        "stated_by_person_id: person-layla-hassan",
    )
    return at(
        root,
        F,
        "stated_by_person_id: person-layla-hassan",
        "stated_by_person_id",
        "person-layla-hassan",
        "person-sami-nader, the speaker of quote-sami-nader-trade",
    )


@given_input
def stated_basis_without_printed_words(root: Path) -> Expect:
    replace(root, F, "period_basis: open", "period_basis: stated")
    return at(
        root, F, "trade_id: trade-kz-ru-target", "period_as_printed_ar", "<missing>", "is stated"
    )


@given_input
def open_basis_with_a_value(root: Path) -> Expect:
    replace(
        root,
        F,
        "    period_basis: open\n",
        "    period_basis: open\n    period_start: 2025-01-01\n",
    )
    return at(root, F, "period_start:", "period_start", "2025-01-01", "period_basis is open")


@given_input
def inferred_without_a_note(root: Path) -> Expect:
    replace(root, F, "participation_basis: stated", "participation_basis: inferred", nth=2)
    return at(root, F, "- meeting_id: mtg-test-talks", "note_en", "<missing>", "inferred", nth=3)


@given_input
def stated_place_without_printed_words(root: Path) -> Expect:
    replace(root, F, "    place_as_printed_ar: في العاصمة\n", "")
    return at(root, F, "- meeting_id:", "place_as_printed_ar", "<missing>", "place_basis is stated")


@given_input
def exact_figure_with_a_hedge(root: Path) -> Expect:
    replace(root, F, "    hedge: exactly\n", "    hedge: exactly\n    hedge_as_printed_ar: إلى\n")
    return at(root, F, "hedge: exactly", "hedge", "exactly", "a qualifier matching 'إلى'")


@given_input
def hedge_without_printed_words(root: Path) -> Expect:
    replace(root, F, "    hedge_as_printed_ar: نحو\n", "")
    return at(root, F, "trade-kz-ru-actual", "hedge_as_printed_ar", "<missing>", "hedge 'about'")


@given_input
def hedge_outside_the_evidence(root: Path) -> Expect:
    replace(root, F, "hedge_as_printed_ar: نحو", "hedge_as_printed_ar: الوزيرة")
    return at(root, F, "hedge_as_printed_ar:", "hedge_as_printed_ar", "الوزيرة", "inside evidence")


@given_input
def trade_with_one_country(root: Path) -> Expect:
    replace(root, F, "country_b_code: RU", "country_b_code: KZ", nth=2)
    return at(root, F, "country_b_code: KZ", "country_b_code", "KZ", "other than country_a_code")


@given_input
def indicator_with_two_areas(root: Path) -> Expect:
    replace(
        root,
        G,
        "    area_country_code: KZ\n",
        "    area_country_code: KZ\n    area_organization_id: org-test-news\n",
    )
    return at(root, G, "area_country_code", "area_country_code", "KZ", "exactly one of")


@given_input
def indicator_without_an_area(root: Path) -> Expect:
    replace(root, G, "    area_country_code: KZ\n", "")
    return at(root, G, "indicator_id:", "area_country_code", "None", "exactly one of")


# Figures as printed (numbers.py) -------------------------------------------------------------


@given_input
def amount_not_as_printed(root: Path) -> Expect:
    replace(root, F, "amount: 5000000000", "amount: 5000000001")
    return at(root, F, "5000000001", "amount", "5000000001", "5000000000 as printed in '5 مليارات")


@given_input
def currency_not_as_printed(root: Path) -> Expect:
    replace(root, F, "currency_code: USD", "currency_code: EUR")
    return at(root, F, "EUR", "currency_code", "EUR", "USD as printed in")


@given_input
def bare_dollar_said_to_be_stated(root: Path) -> Expect:
    replace(root, F, "currency_basis: inferred", "currency_basis: stated")
    return at(
        root,
        F,
        "currency_basis: stated",
        "currency_basis",
        "stated",
        "inferred: '2 مليار دولار' does not say which currency",
        nth=2,
    )


@given_input
def percentage_not_as_printed(root: Path) -> Expect:
    replace(root, G, "value_pct: 4", "value_pct: 4.5")
    return at(root, G, "value_pct", "value_pct", "4.5", "4 as printed in 'بنحو 4%'")


@given_input
def percentage_without_its_sign(root: Path) -> Expect:
    replace(root, G, "value_as_printed_ar: بنحو 4%", "value_as_printed_ar: نما بنحو 4")
    return at(root, G, "value_as_printed_ar", "value_as_printed_ar", "نما بنحو 4", "a percent sign")


@given_input
def digits_the_parser_does_not_accept(root: Path) -> Expect:
    for rel in (FIG_TEXT, G, G):
        replace(root, rel, "١٬٥٠٠ مليون", "١٬٥ مليار")
    rehash(root, FIG_TEXT, FIG_RECORD)
    return at(
        root,
        G,
        "amount_as_printed_ar",
        "amount_as_printed_ar",
        "١٬٥ مليار دولار أمريكي",
        "digits the parser accepts (0-9 or ٠-٩; '.' or '٫' before decimals; ',' or '٬' only "
        "between groups of three), not '١٬٥'",
    )


# The published package (fixture `published` in conftest.py) ---------------------------------


def pkg(name: str) -> str:
    return f"{PACKAGE}/{name}"


@given_package
def csv_bytes_changed(root: Path) -> Expect:
    path = root / PACKAGE / "csv" / "people.csv"
    listed, extra = path.stat().st_size, b"person-x,x,X,KZ,,src-0123456789abcdef,0,1,x\n"
    path.write_bytes(path.read_bytes() + extra)
    found = str(listed + len(extra))
    return Expect(pkg("csv/people.csv"), None, "bytes", found, f"{listed} as listed")


@given_package
def csv_hash_changed(root: Path) -> Expect:
    replace(root, pkg("csv/people.csv"), "Sami Nader", "Sami Nadir")
    return Expect(pkg("csv/people.csv"), None, "hash", "sha256:", "as listed in datapackage.json")


@given_package
def parquet_bytes_changed(root: Path) -> Expect:
    path = root / PACKAGE / "parquet" / "trade.parquet"
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    return Expect(pkg("parquet/trade.parquet"), None, "hash", "sha256:", "as listed")


@given_package
def file_missing(root: Path) -> Expect:
    (root / PACKAGE / "csv" / "people.csv").unlink()
    return Expect(
        pkg("datapackage.json"),
        None,
        "resources[people].path",
        "csv/people.csv",
        "an existing file",
    )


@given_package
def descriptor_not_json(root: Path) -> Expect:
    (root / PACKAGE / "datapackage.json").write_text('{"name": ', encoding="utf-8")
    return Expect(pkg("datapackage.json"), 1, "datapackage.json", "JSONDecodeError", "JSON")


@given_package
def descriptor_without_a_schema(root: Path) -> Expect:
    path = root / PACKAGE / "datapackage.json"
    descriptor = json.loads(path.read_text("utf-8"))
    [people] = [r for r in descriptor["resources"] if r["name"] == "people"]
    del people["schema"]
    path.write_text(json.dumps(descriptor), "utf-8")
    return Expect(pkg("datapackage.json"), None, "resources[people].schema", "no list", "Table")


@given_package
def offsets_do_not_match(root: Path) -> Expect:
    def shift(rows: list[dict[str, str]]) -> None:
        rows[0]["char_start"] = str(int(rows[0]["char_start"]) + 1)

    change_rows(root / PACKAGE, "trade", shift)
    where = ("trade-kz-ru-actual", "char_start")
    return at_cell(root, "trade", where, "", "to equal evidence_ar 'التجارة")


@given_package
def reference_broken_with_hashes_fixed(root: Path) -> Expect:
    change_rows(root / PACKAGE, "people", lambda rows: rows[0].update(person_id="person-x"))
    where = ("person_id", "person-layla-hassan")
    return at_cell(root, "participants", where, "person-la", "an existing")


@given_package
def enum_broken_with_hashes_fixed(root: Path) -> Expect:
    change_rows(root / PACKAGE, "trade", lambda rows: rows[1].update(flow="barter"))
    return at_cell(root, "trade", ("trade-kz-ru-target", "flow"), "barter", "one of turnover")


@given_package
def pattern_broken_with_hashes_fixed(root: Path) -> Expect:
    change_rows(root / PACKAGE, "countries", lambda rows: rows[0].update(wikidata_id="232"))
    return at_cell(root, "countries", ("KZ", "wikidata_id"), "232", "matching ^Q")


@given_package
def duplicate_row_with_hashes_fixed(root: Path) -> Expect:
    change_rows(root / PACKAGE, "countries", lambda rows: rows.append(dict(rows[0])))
    return at_cell(root, "countries", ("KZ", "country_code"), "KZ", "(unique)", nth=2)


@given_package
def minimum_broken_with_hashes_fixed(root: Path) -> Expect:
    change_rows(root / PACKAGE, "people", lambda rows: rows[0].update(char_end="0"))
    return at_cell(root, "people", ("person-layla-hassan", "char_end"), "0", "at least 1")


@given_package
def date_that_does_not_exist_in_csv(root: Path) -> Expect:
    change_rows(
        root / PACKAGE, "trade", lambda rows: rows[0].update(period_start="2025-02-30"), False
    )
    where = ("trade-kz-ru-actual", "period_start")
    return at_cell(root, "trade", where, "2025-02-30", "a date that")


@given_package
def integer_in_another_form_in_csv(root: Path) -> Expect:
    change_rows(root / PACKAGE, "trade", lambda rows: rows[0].update(amount="2e9"), False)
    return at_cell(root, "trade", ("trade-kz-ru-actual", "amount"), "2e9", "an integer")


@given_package
def header_renamed(root: Path) -> Expect:
    replace(root, pkg("csv/countries.csv"), "name_en", "name")
    fix_hashes(root / PACKAGE)
    return Expect(pkg("csv/countries.csv"), 1, "header", "country_code,name,", "name_en")


@given_package
def row_with_a_cell_missing(root: Path) -> Expect:
    header = (root / PACKAGE / "csv" / "countries.csv").read_text("utf-8").split("\n")[0]
    width = header.count(",") + 1
    replace(root, pkg("csv/countries.csv"), "\nKZ,", "\nKZ")
    fix_hashes(root / PACKAGE)
    line = line_of(root, pkg("csv/countries.csv"), "KZKazakhstan")
    return Expect(pkg("csv/countries.csv"), line, "row", f"{width - 1} cells", f"{width} cells")


@given_package
def parquet_differs_from_csv(root: Path) -> Expect:
    rows = read_rows(root / PACKAGE, "people")
    write_rows(root / PACKAGE, "people", [*rows[:1], {**rows[1], "name_en": "Sam"}])
    csv_text = (root / PACKAGE / "csv" / "people.csv").read_bytes()
    write_rows(root / PACKAGE, "people", rows, parquet=False)
    assert (root / PACKAGE / "csv" / "people.csv").read_bytes() != csv_text
    return Expect(pkg("parquet/people.parquet"), None, "row 2", "differs from the CSV", "same rows")


@given_package
def quotation_text_is_not_its_evidence(root: Path) -> Expect:
    change_rows(root / PACKAGE, "quotes", lambda rows: rows[0].update(text_ar="سامي نادر"))
    where = ("quote-sami-nader-trade", "text_ar")
    return at_cell(root, "quotes", where, "سامي نادر", "as evidence_ar")


@given_package
def country_code_not_iso_in_csv(root: Path) -> Expect:
    def add(rows: list[dict[str, str]]) -> None:
        nowhere = dict.fromkeys(rows[0], "")
        rows.append({**nowhere, "country_code": "QQ", "name_en": "Nowhere", "name_ar": "لا مكان"})

    change_rows(root / PACKAGE, "countries", add)
    return at_cell(root, "countries", ("QQ", "country_code"), "QQ", "ISO 3166-1")


@given_package
def source_edited_after_publishing(root: Path) -> Expect:
    """The text the package carries, edited and listed anew in datapackage.json: its hash
    is no longer the one the sources table records."""
    carried = f"{PACKAGE}/sources/{Path(MINI_TEXT).name}"
    recorded = sha256_hex((root / carried).read_bytes())
    replace(root, carried, "التعاون الاقتصادي", "التعاون التجاري")
    fix_hashes(root / PACKAGE)
    edited = sha256_hex((root / carried).read_bytes())
    return Expect(carried, None, "sha256", edited, f"{recorded} as recorded in sources")


# Corruptions frictionless sees too: bytes and hashes, types, constraints, keys.
SEEN_BY_FRICTIONLESS = [
    "csv-hash-changed",
    "parquet-bytes-changed",
    "reference-broken-with-hashes-fixed",
    "enum-broken-with-hashes-fixed",
    "date-that-does-not-exist-in-csv",
    "duplicate-row-with-hashes-fixed",
]
# Corruptions only eaeu-facts validate sees: evidence spans, Parquet against CSV, ISO codes
# and the other cross-row rules. Each touches a different file, so all go in one run. (An
# edited source text is outside the package, so frictionless cannot see it at all.)
ONLY_OURS = [
    "offsets-do-not-match",
    "parquet-differs-from-csv",
    "quotation-text-is-not-its-evidence",
    "country-code-not-iso-in-csv",
]
