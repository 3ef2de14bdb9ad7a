"""The curating guide's error catalogue: every kind of bad input, each with an example.

An example is a mistake written as edits to a copy of the test fixtures, and the command that
must report it. The guide runs each for real when the site is built, so what it shows is
what a curator will see; tests/test_docs.py holds each kind to the line it must print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eaeu_facts.docs.edits import ChangeBytes, Edit, Rehash, Replace, SetCell, resave_parquet
from eaeu_facts.docs.markup import anchor_id
from eaeu_facts.model.paths import PACKAGE_DIR

FIXTURE = Path("tests") / "fixtures" / "mini"
FIGURES = Path("tests") / "fixtures" / "figures"  # a second source, laid over the mini fixture
MINI_FACTS = "seeds/facts/001_0123456789abcdef.yaml"
MINI_TEXT = "seeds/sources/001_0123456789abcdef.txt"
FIG_FACTS = "seeds/facts/002_fedcba9876543210.yaml"
FIG_TEXT = "seeds/sources/002_fedcba9876543210.txt"

# Every kind of bad input the curator's reference shows an example of: those issue 5 lists,
# and a value outside an enumerated field's list.
ERROR_KINDS = (
    "YAML that does not parse",
    "an unknown field",
    "a missing field",
    "a wrong type",
    "a value outside its schema's list",
    "evidence not found in the source",
    "evidence found more than once without saying which",
    "a duplicate identifier",
    "a reference to a missing row",
    "an unknown country code",
    "an unknown currency code",
    "a negative or zero amount",
    "a period that ends before it starts",
    "a date that does not exist",
    "digits in a form the parser does not accept",
    "a source file that is not UTF-8",
    "a source file with a byte order mark",
    "a source file with CRLF line ends",
    "a source file edited after facts cite it",
    "offsets that do not match",
    "a published CSV file whose bytes do not match datapackage.json",
    "a published Parquet file whose bytes do not match datapackage.json",
)


@dataclass(frozen=True)
class BrokenExample:
    """A mistake, as edits to a copy of the fixture, and the command that reports it.

    `build` examples edit the curated inputs; `validate` ones tamper with the package a
    build published from them.
    """

    title: str
    why: str
    kinds: tuple[str, ...]  # of ERROR_KINDS
    edits: tuple[Edit, ...]
    command: str = "build"

    @property
    def anchor(self) -> str:
        return "error-" + anchor_id(self.title.lower())


@dataclass(frozen=True)
class ExampleGroup:
    """Examples shown together under one heading of the curating guide."""

    title: str
    intro: str
    examples: tuple[BrokenExample, ...]


EXAMPLE_GROUPS = (
    ExampleGroup(
        "Facts files and their fields",
        "The curated YAML must parse, and each entry must give its table's fields, each in "
        "the type its schema says.",
        (
            BrokenExample(
                "An unquoted colon in a value",
                "In YAML a colon followed by a space starts a mapping: quote any value that "
                "contains one. Nothing is built from a file that does not parse.",
                ("YAML that does not parse",),
                (Replace(MINI_FACTS, "name_en: Sami Nader\n", "name_en: Sami Nader: Premier\n"),),
            ),
            BrokenExample(
                "A misspelt field name",
                "An unknown key is refused rather than dropped, and the field it was meant to "
                "be is then missing.",
                ("an unknown field", "a missing field"),
                (
                    Replace(
                        MINI_FACTS, "    currency_basis: inferred", "    curency_basis: inferred"
                    ),
                ),
            ),
            BrokenExample(
                "An amount written with separators",
                "Amounts are whole numbers in base units, written with digits only: YAML "
                "reads `5,000,000,000` as text, not as a number.",
                ("a wrong type",),
                (Replace(MINI_FACTS, "amount: 5000000000", "amount: 5,000,000,000"),),
            ),
            BrokenExample(
                "A value outside the schema's list",
                "Enumerated fields take only the values their schema lists.",
                ("a value outside its schema's list",),
                (Replace(MINI_FACTS, "hedge: about", "hedge: approximately"),),
            ),
        ),
    ),
    ExampleGroup(
        "Evidence",
        "Every row cites the words of its source that support it; the build finds them and "
        "records where they are.",
        (
            BrokenExample(
                "Evidence that is not copied verbatim",
                "The evidence must be the source's exact words. Retyping them (here, a synonym "
                "for 'about') means they are not found, and the build says where it looked.",
                ("evidence not found in the source",),
                (
                    Replace(
                        MINI_FACTS,
                        "evidence: التجارة بلغت نحو 2 مليار دولار",
                        "evidence: التجارة بلغت حوالي 2 مليار دولار",
                    ),
                ),
            ),
            BrokenExample(
                "Evidence that occurs more than once",
                "When the words occur several times in the text, `occurrence` (counted from 1) "
                "says which one is meant; without it the build refuses to guess.",
                ("evidence found more than once without saying which",),
                (
                    Replace(
                        MINI_FACTS,
                        "    evidence: سامي نادر\n    occurrence: 1\n",
                        "    evidence: سامي نادر\n",
                    ),
                ),
            ),
        ),
    ),
    ExampleGroup(
        "Identifiers, references and codes",
        "Each row has its own identifier, and a field that names a row of another table "
        "(or a country, or a currency) must name one that exists.",
        (
            BrokenExample(
                "The same identifier twice",
                "An entry copied to start a new one keeps the old identifier until it is "
                "changed; no two rows of a table may share one, and both are named.",
                ("a duplicate identifier",),
                (
                    Replace(
                        MINI_FACTS, "trade_id: trade-kz-ru-actual", "trade_id: trade-kz-ru-target"
                    ),
                ),
            ),
            BrokenExample(
                "A reference to a row that does not exist",
                "Identifiers must match a row of the referenced table exactly.",
                ("a reference to a missing row",),
                (
                    Replace(
                        MINI_FACTS,
                        "stated_by_person_id: person-layla-hassan",
                        "stated_by_person_id: person-leila-hassan",
                    ),
                ),
            ),
            BrokenExample(
                "A country not in the list of countries",
                "Country codes are ISO 3166-1 alpha-2 codes of a row of `countries`: a country "
                "is added to `seeds/reference/countries.yaml` before a fact names it.",
                ("an unknown country code",),
                (
                    Replace(
                        MINI_FACTS,
                        "    country_code: RU\n    evidence:",
                        "    country_code: DE\n    evidence:",
                    ),
                ),
            ),
            BrokenExample(
                "A currency code that is not ISO 4217",
                "Currencies are written as ISO 4217 codes in use; RUR, the rouble's code "
                "until 1998, is no longer one. The build also says that the figure as printed "
                "is in dollars.",
                ("an unknown currency code",),
                (
                    Replace(
                        MINI_FACTS,
                        "currency_code: USD\n    currency_basis: inferred",
                        "currency_code: RUR\n    currency_basis: inferred",
                    ),
                ),
            ),
        ),
    ),
    ExampleGroup(
        "Amounts, dates and periods",
        "Amounts must be positive and match the figure as printed; dates must exist and "
        "periods must run forwards.",
        (
            BrokenExample(
                "A negative amount",
                "An amount is a size as printed, never negative or zero. The build reports the "
                "row once: not again as a figure unlike the one printed, nor as a printed figure "
                "left without a row.",
                ("a negative or zero amount",),
                (Replace(MINI_FACTS, "amount: 2000000000", "amount: -2000000000"),),
            ),
            BrokenExample(
                "A period that ends before it starts",
                "A period's start and end are easily swapped when typing them.",
                ("a period that ends before it starts",),
                (
                    Replace(
                        MINI_FACTS,
                        "    period_basis: open\n    stated_by_person_id: person-layla-hassan",
                        "    period_basis: inferred\n    period_start: 2025-03-31\n"
                        "    period_end: 2025-01-01\n    stated_by_person_id: person-layla-hassan",
                    ),
                ),
            ),
            BrokenExample(
                "A date that does not exist",
                "Dates are written YYYY-MM-DD and must exist; the build does not roll 30 "
                "February over into March.",
                ("a date that does not exist",),
                (
                    Replace(
                        MINI_FACTS,
                        "    date_basis: open",
                        '    date: "2025-02-30"\n    date_basis: inferred',
                    ),
                ),
            ),
            BrokenExample(
                "Digits in a form the parser does not read",
                "The build reads every amount as printed to check the one written down. Here a "
                "source prints 1.5 billion as `١٬٥ مليار`, with the thousands separator `٬` "
                "where the decimal separator `٫` belongs. The build does not guess what such a "
                "figure means.",
                ("digits in a form the parser does not accept",),
                (
                    Replace(FIG_TEXT, "١٬٥٠٠ مليون", "١٬٥ مليار"),
                    Rehash(FIG_TEXT),
                    Replace(FIG_FACTS, "١٬٥٠٠ مليون", "١٬٥ مليار", count=2),
                ),
            ),
        ),
    ),
    ExampleGroup(
        "Source texts",
        "A source text is kept byte for byte as received: UTF-8 without a byte order mark, "
        "LF line ends, never edited once facts cite it. An editor can change any of these "
        "without showing it, so the build checks the bytes.",
        (
            BrokenExample(
                "A text saved in a legacy Arabic encoding",
                "Offsets count the characters of UTF-8 text: a text received in Windows-1256 "
                "is converted to UTF-8 before it is added.",
                ("a source file that is not UTF-8",),
                (
                    ChangeBytes(
                        MINI_TEXT,
                        "is saved in Windows-1256",
                        lambda data: data.decode("utf-8").encode("cp1256"),
                    ),
                ),
            ),
            BrokenExample(
                "A byte order mark",
                "Some editors put an invisible byte order mark (U+FEFF) at the start of the "
                "file; it would shift every offset by one.",
                ("a source file with a byte order mark",),
                (
                    ChangeBytes(
                        MINI_TEXT,
                        "is saved with a byte order mark",
                        lambda data: b"\xef\xbb\xbf" + data,
                    ),
                ),
            ),
            BrokenExample(
                "Windows line ends",
                "A text saved with CR LF line ends has one more character per line than the "
                "same text with LF, so offsets would drift line by line.",
                ("a source file with CRLF line ends",),
                (
                    ChangeBytes(
                        MINI_TEXT,
                        "is saved with CR LF line ends",
                        lambda data: data.replace(b"\n", b"\r\n"),
                    ),
                ),
            ),
            BrokenExample(
                "A source text edited after it was recorded",
                "A source is never edited once facts cite it: its bytes must still have the "
                "sha256 its record gives, or every offset could point at other words.",
                ("a source file edited after facts cite it",),
                (Replace(MINI_TEXT, "لقاء تجريبي بين بلدين", "لقاء تجريبي بين دولتين"),),
            ),
        ),
    ),
    ExampleGroup(
        "The published package",
        "`eaeu-facts validate` checks a package as a user receives it, trusting nothing but "
        "`datapackage.json` and the files beside it. Each example below tampers with the "
        "package a build published from the fixture.",
        (
            BrokenExample(
                "Offsets changed in a published table",
                "Even with the Parquet file and the hashes made to match, each span must slice "
                "its source text back to exactly the evidence the row quotes.",
                ("offsets that do not match",),
                (SetCell("trade", "trade-kz-ru-actual", "char_start", lambda v: str(int(v) + 1)),),
                command="validate",
            ),
            BrokenExample(
                "A published CSV file edited by hand",
                "A file whose bytes differ from those `datapackage.json` lists is refused, "
                "even when its size is the same.",
                ("a published CSV file whose bytes do not match datapackage.json",),
                (Replace(f"{PACKAGE_DIR}/csv/people.csv", "Layla Hassan", "Leila Hassan"),),
                command="validate",
            ),
            BrokenExample(
                "A Parquet file saved again",
                "The same rows saved again by another tool are other bytes: a user checks "
                "what they downloaded against the hashes the package lists, so those must hold.",
                ("a published Parquet file whose bytes do not match datapackage.json",),
                (
                    ChangeBytes(
                        f"{PACKAGE_DIR}/parquet/trade.parquet",
                        "is read and written again with snappy compression",
                        resave_parquet,
                    ),
                ),
                command="validate",
            ),
        ),
    ),
)
BROKEN_EXAMPLES = tuple(e for group in EXAMPLE_GROUPS for e in group.examples)
