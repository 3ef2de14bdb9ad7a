"""The published package holds every fact of the seed article, as the article states it."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from eaeu_facts.model.frames import data
from eaeu_facts.model.paths import DESCRIPTOR, PACKAGE_DIR
from eaeu_facts.read.package import read_package
from tests.helpers import REPO

PACKAGE = REPO / PACKAGE_DIR
SEED = "seeds/sources/000_7b4a6b2ad4421f89.txt"
TEXT = (REPO / SEED).read_text(encoding="utf-8")
SOURCE = "src-7b4a6b2ad4421f89"


def _published() -> dict[str, list[dict[str, Any]]]:
    """Every table of the committed package, read as a user receives it, as typed rows."""
    package = read_package(PACKAGE / DESCRIPTOR)
    assert not package.problems, package.problems.lines()
    assert package.complete and not package.unread
    return {t.name: data(t, package.frames[t.name]).to_dicts() for t in package.catalog.tables}


TABLES = _published()


def by(table: str, key: str) -> dict[str, dict]:
    return {row[key]: row for row in TABLES[table]}


def test_seed_is_the_file_as_received() -> None:
    raw = (REPO / SEED).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == (
        "824777b015ae3706578099a82a0fce461f792ff04331f2556f5a71199e3041da"
    )
    assert raw.count(b"\n") == 18 and b"\r" not in raw


PROVENANCE_ROWS = [
    pytest.param(name, i, row, id=f"{name}-{i}")
    for name, rows in TABLES.items()
    for i, row in enumerate(rows)
    if "evidence_ar" in row
]


@pytest.mark.parametrize(("table", "index", "row"), PROVENANCE_ROWS)
def test_every_row_cites_its_exact_span(table: str, index: int, row: dict) -> None:
    assert row["source_id"] == SOURCE
    assert TEXT[row["char_start"] : row["char_end"]] == row["evidence_ar"]


def test_every_fact_table_has_rows() -> None:
    for name in (
        "meetings",
        "participants",
        "quotes",
        "trade",
        "investment",
        "indicators",
        "organization_roles",
        "statements",
        "priorities",
        "source_credits",
    ):
        assert TABLES[name], name


def test_source_record() -> None:
    [source] = TABLES["sources"]
    assert source["source_id"] == SOURCE and source["path"] == SEED
    assert source["char_count"] == len(TEXT) == 3327
    assert source["title_ar"] == TEXT.split("\n")[0]
    assert source["publisher_organization_id"] == "org-tv-brics"
    assert source["published_date"] is None  # the text prints no year
    assert source["published_date_basis"] == "open"
    assert source["image_credit"] == "government.ru"
    assert source["rights_status"] == "publisher-copyright"
    credits = {(r["organization_id"], r["credit_type"]) for r in TABLES["source_credits"]}
    assert ("org-belta", "cited_agency") in credits
    assert ("org-kazakhstan-government-press-office", "cited_agency") in credits
    assert ("org-government-ru", "image_credit") in credits


def test_countries_are_iso_with_arabic_names() -> None:
    import pycountry

    countries = by("countries", "country_code")
    assert set(countries) <= {c.alpha_2 for c in pycountry.countries}
    assert len(countries) >= 240 and {"BY", "IR", "KZ", "RU"} <= set(countries)
    assert (countries["RU"]["nisba_ar"], countries["RU"]["nisba_basis"]) == ("روسي", "curated")
    assert countries["KZ"]["name_ar"] == "كازاخستان" and countries["KZ"]["wikidata_id"] == "Q232"
    assert countries["BY"]["name_en"] == "Belarus"


@pytest.mark.parametrize(
    ("person_id", "name_ar", "name_en", "country"),
    [
        ("person-olzhas-bektenov", "أولجاس بيكتينوف", "Olzhas Bektenov", "KZ"),
        ("person-roman-golovchenko", "رومان غولوفشينكو", "Roman Golovchenko", "BY"),
        ("person-mikhail-mishustin", "ميخائيل ميشوستين", "Mikhail Mishustin", "RU"),
        ("person-kassym-jomart-tokayev", "قاسم جومارت توكاييف", "Kassym-Jomart Tokayev", "KZ"),
        ("person-mohammad-reza-aref", "محمد رضا عارف", "Mohammad Reza Aref", "IR"),
    ],
)
def test_people(person_id: str, name_ar: str, name_en: str, country: str) -> None:
    person = by("people", "person_id")[person_id]
    assert (person["name_ar"], person["name_en"], person["country_code"]) == (
        name_ar,
        name_en,
        country,
    )
    assert TEXT.find(name_ar) == person["char_start"]  # cited at first mention


def test_meetings_as_stated() -> None:
    meetings = by("meetings", "meeting_id")
    assert set(meetings) == {
        "mtg-eaeu-intergovernmental-council",
        "mtg-ru-kz-talks",
        "mtg-ir-kz-talks",
        "mtg-ir-by-talks",
        "mtg-digital-almaty",
    }
    council = meetings["mtg-eaeu-intergovernmental-council"]
    assert council["meeting_type"] == "intergovernmental_council"
    assert council["country_code"] == "KZ" and council["host_country_code"] == "KZ"
    # The article says "the capital of Kazakhstan" and names no city: left open, not filled in.
    assert council["place_as_printed_ar"] == "عاصمة كازاخستان" and council["place_id"] is None
    assert council["place_basis"] == "open" and "Almaty" in council["note_en"]
    # 31 January is printed without a year: the year is an inference that says so.
    assert council["date"] == dt.date(2025, 1, 31) and council["date_basis"] == "inferred"
    assert "31 من يناير" in council["date_as_printed_ar"]
    assert meetings["mtg-ru-kz-talks"]["parent_meeting_id"] == council["meeting_id"]
    assert meetings["mtg-ir-by-talks"]["place_id"] == "place-almaty"
    assert meetings["mtg-ir-by-talks"]["place_basis"] == "stated"
    forum = meetings["mtg-digital-almaty"]
    assert forum["meeting_type"] == "forum" and "Digital Almaty" in forum["name_ar"]
    for talks in ("mtg-ru-kz-talks", "mtg-ir-kz-talks", "mtg-ir-by-talks"):
        assert meetings[talks]["meeting_type"] == "bilateral_talks"
        assert meetings[talks]["date"] is None and meetings[talks]["date_basis"] == "open"


def test_participants_with_posts_as_printed() -> None:
    rows = {(r["meeting_id"], r["person_id"]): r for r in TABLES["participants"]}
    talks = {p for m, p in rows if m == "mtg-ru-kz-talks"}
    assert talks == {
        "person-mikhail-mishustin",
        "person-kassym-jomart-tokayev",
        "person-olzhas-bektenov",
    }
    assert rows["mtg-ru-kz-talks", "person-mikhail-mishustin"]["post_ar"] == "رئيس الحكومة الروسية"
    assert (
        rows["mtg-ru-kz-talks", "person-kassym-jomart-tokayev"]["post_ar"] == "الرئيس الكازاخستاني"
    )
    assert rows["mtg-ru-kz-talks", "person-olzhas-bektenov"]["post_ar"] == "رئيس وزراء الجمهورية"
    assert {p for m, p in rows if m == "mtg-ir-kz-talks"} == {
        "person-mohammad-reza-aref",
        "person-olzhas-bektenov",
    }
    assert {p for m, p in rows if m == "mtg-ir-by-talks"} == {
        "person-mohammad-reza-aref",
        "person-roman-golovchenko",
    }
    for row in rows.values():
        assert row["post_ar"] in TEXT
        if row["participation_basis"] == "inferred":
            assert row["note_en"]


@pytest.mark.parametrize(
    ("quote_id", "speaker", "meeting", "starts", "ends", "nested"),
    [
        (
            "quote-golovchenko-chairmanship-priorities",
            "person-roman-golovchenko",
            "mtg-eaeu-intergovernmental-council",
            "سنولي اهتمامًا خاصًا",
            "في الظروف الحالية",
            False,
        ),
        (
            "quote-bektenov-mutual-investment",
            "person-olzhas-bektenov",
            "mtg-ru-kz-talks",
            "تتزايد الاستثمارات المتبادلة",
            "في الاقتصاد الروسي",
            False,
        ),
        (
            "quote-mishustin-north-south-corridor",
            "person-mikhail-mishustin",
            "mtg-ru-kz-talks",
            "تعتبر كازاخستان وروسيا",
            "ملتقى حقيقي في أوراسيا",
            True,
        ),
        (
            "quote-aref-iran-kazakhstan-relations",
            "person-mohammad-reza-aref",
            "mtg-ir-kz-talks",
            "ترتبط إيران وكازاخستان",
            "لتوسيع آفاق التعاون",
            False,
        ),
    ],
)
def test_quotes_exactly_between_outer_marks(
    quote_id: str, speaker: str, meeting: str, starts: str, ends: str, nested: bool
) -> None:
    quote = by("quotes", "quote_id")[quote_id]
    assert (quote["speaker_person_id"], quote["meeting_id"]) == (speaker, meeting)
    assert quote["text_ar"] == quote["evidence_ar"]
    assert quote["text_ar"].startswith(starts) and quote["text_ar"].endswith(ends)
    assert TEXT[quote["char_start"] - 1] == '"' and TEXT[quote["char_end"]] == '"'
    assert quote["has_nested_quotation"] is nested
    assert ('"الشمال – الجنوب"' in quote["text_ar"]) is nested
    assert quote["text_en"] and quote["attribution_ar"] in TEXT


def test_exactly_four_quotations() -> None:
    assert len(TABLES["quotes"]) == 4


def test_trade_figures() -> None:
    trade = by("trade", "trade_id")
    ru_kz = trade["trade-ru-kz-turnover"]
    assert {ru_kz["country_a_code"], ru_kz["country_b_code"]} == {"RU", "KZ"}
    assert (ru_kz["amount"], ru_kz["currency_code"], ru_kz["currency_basis"]) == (
        27_000_000_000,
        "USD",
        "stated",
    )
    assert (ru_kz["hedge"], ru_kz["hedge_as_printed_ar"], ru_kz["status"]) == (
        "more_than",
        "تجاوز",
        "actual",
    )
    assert ru_kz["period_basis"] == "open" and ru_kz["period_start"] is None
    assert ru_kz["stated_by_person_id"] == "person-olzhas-bektenov"
    target = trade["trade-ir-kz-target"]
    assert {target["country_a_code"], target["country_b_code"]} == {"IR", "KZ"}
    assert (target["amount"], target["currency_code"], target["status"]) == (
        3_000_000_000,
        "USD",
        "target",
    )
    assert target["hedge"] == "exactly" and target["period_basis"] == "open"
    assert target["quote_id"] == "quote-aref-iran-kazakhstan-relations"


def test_investment_flows() -> None:
    inv = by("investment", "investment_id")
    ru = inv["inv-ru-kz"]
    assert (ru["investor_country_code"], ru["recipient_country_code"]) == ("RU", "KZ")
    assert (ru["amount"], ru["hedge"], ru["hedge_as_printed_ar"]) == (
        25_000_000_000,
        "more_than",
        "أكثر من",
    )
    # "دولار" alone: US dollars are an inference, and the row says so.
    assert (ru["currency_code"], ru["currency_basis"]) == ("USD", "inferred") and ru["note_en"]
    assert (
        ru["period_as_printed_ar"] == "خلال العشرين عامًا الماضية"
        and ru["period_basis"] == "relative"
    )
    kz = inv["inv-kz-ru"]
    assert (kz["investor_country_code"], kz["recipient_country_code"]) == ("KZ", "RU")
    assert (kz["amount"], kz["hedge"], kz["currency_basis"]) == (
        8_700_000_000,
        "exactly",
        "inferred",
    )
    assert kz["period_basis"] == "open"
    for row in inv.values():
        assert row["quote_id"] == "quote-bektenov-mutual-investment"
        assert row["stated_by_person_id"] == "person-olzhas-bektenov"


def test_gdp_growth_estimate() -> None:
    [gdp] = TABLES["indicators"]
    assert (gdp["indicator"], gdp["area_organization_id"], gdp["value_pct"]) == (
        "gdp_growth",
        "org-eaeu",
        4.0,
    )
    assert (gdp["hedge"], gdp["status"]) == ("about", "preliminary_estimate")
    assert (gdp["period_start"], gdp["period_end"]) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert gdp["reported_by_organization_id"] == "org-kazakhstan-government-press-office"


def test_chairmanship_and_observer_status() -> None:
    roles = by("organization_roles", "role_id")
    chair = roles["role-by-eaeu-chair-2025"]
    assert (chair["country_code"], chair["organization_id"], chair["role"]) == (
        "BY",
        "org-eaeu",
        "chair",
    )
    assert (chair["period_start"], chair["period_end"]) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
    )
    observer = roles["role-ir-eaeu-observer"]
    assert (observer["country_code"], observer["role"]) == ("IR", "observer")
    # "Last December": relative to an unprinted date, so no date is filled in.
    assert observer["period_start"] is None and observer["period_basis"] == "relative"
    assert "ديسمبر الماضي" in observer["period_as_printed_ar"]


def test_statements_and_priorities() -> None:
    kinds = {r["statement_type"] for r in TABLES["statements"]}
    assert {"congratulation", "intention", "proposal", "assessment"} <= kinds
    belta = [r for r in TABLES["statements"] if r["reported_by_organization_id"] == "org-belta"]
    assert [r["stated_by_person_id"] for r in belta] == ["person-roman-golovchenko"]
    prio = TABLES["priorities"]
    assert {r["priority_type"] for r in prio} == {
        "priority_area",
        "joint_project_area",
        "proposed_project",
    }
    proposed = [r for r in prio if r["priority_type"] == "proposed_project"]
    assert all(r["country_code"] == "BY" and r["partner_country_code"] == "IR" for r in proposed)
    assert any("الجرارات" in r["evidence_ar"] for r in proposed)


def test_external_corroboration_is_marked_as_such() -> None:
    for rows in TABLES.values():
        for row in rows:
            note = row.get("note_en") or ""
            if any(site in note for site in ("belta.by", "trend.az", "kursiv", "anewz")):
                assert "External corroboration" in note, note


def test_package_is_not_read_from_shared() -> None:
    for path in (REPO / "src").rglob("*.py"):
        assert "../shared" not in path.read_text(encoding="utf-8"), path
