"""The gazetteer behind the drafter: every country with its Arabic names and nisba forms,
the capitals and main cities of the Eurasian Economic Union's members and observers, and the
posts news prints. Facts, not sentences: reference tables in seeds/reference/, checked by the
build like every other table and published with the package.

Countries are every ISO 3166-1 country pycountry knows, named as the Unicode CLDR names them
in English and Arabic (the copy Babel ships; `python -m eaeu_facts.draft.gazetteer` writes
seeds/reference/countries.yaml anew from it). Their nisba forms (روسي، روسية، روس) are the
curated list below where Arabic print departs from the rule, and otherwise made by the rule
(the name without its article and final ا، يا or ة, then ي، ية، يون), which `nisba_basis`
says. Cities and posts are curated in seeds/reference/ by hand.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from eaeu_facts.model import paths

# Wikidata items of the countries the dataset's rows refer to, kept from the curated table.
WIKIDATA = {
    "AM": "Q399",
    "BY": "Q184",
    "CN": "Q148",
    "EG": "Q79",
    "IR": "Q794",
    "KG": "Q813",
    "KZ": "Q232",
    "RU": "Q159",
    "TJ": "Q863",
    "UZ": "Q265",
}
# Nisba forms as Arabic print uses them (masculine, feminine, plural), where the rule would
# not give them, or gives a form print does not use; for the countries news about the
# Eurasian economy names most.
CURATED: dict[str, tuple[str, str, str]] = {
    "RU": ("روسي", "روسية", "روس"),
    "BY": ("بيلاروسي", "بيلاروسية", "بيلاروسيون"),
    "KZ": ("كازاخستاني", "كازاخستانية", "كازاخستانيون"),
    "KG": ("قيرغيزي", "قيرغيزية", "قيرغيز"),
    "AM": ("أرميني", "أرمينية", "أرمن"),
    "UZ": ("أوزبكي", "أوزبكية", "أوزبك"),
    "TJ": ("طاجيكي", "طاجيكية", "طاجيك"),
    "TM": ("تركماني", "تركمانية", "تركمان"),
    "AZ": ("أذربيجاني", "أذربيجانية", "أذربيجانيون"),
    "IR": ("إيراني", "إيرانية", "إيرانيون"),
    "CN": ("صيني", "صينية", "صينيون"),
    "CU": ("كوبي", "كوبية", "كوبيون"),
    "US": ("أمريكي", "أمريكية", "أمريكيون"),
    "GB": ("بريطاني", "بريطانية", "بريطانيون"),
    "AE": ("إماراتي", "إماراتية", "إماراتيون"),
    "SA": ("سعودي", "سعودية", "سعوديون"),
    "TR": ("تركي", "تركية", "أتراك"),
    "IN": ("هندي", "هندية", "هنود"),
    "DE": ("ألماني", "ألمانية", "ألمان"),
    "HU": ("مجري", "مجرية", "مجريون"),
    "AT": ("نمساوي", "نمساوية", "نمساويون"),
    "RS": ("صربي", "صربية", "صرب"),
    "VN": ("فيتنامي", "فيتنامية", "فيتناميون"),
    "MN": ("منغولي", "منغولية", "منغوليون"),
    "GE": ("جورجي", "جورجية", "جورجيون"),
    "MD": ("مولدوفي", "مولدوفية", "مولدوفيون"),
    "UA": ("أوكراني", "أوكرانية", "أوكرانيون"),
    "EG": ("مصري", "مصرية", "مصريون"),
    "SY": ("سوري", "سورية", "سوريون"),
    "IQ": ("عراقي", "عراقية", "عراقيون"),
    "JO": ("أردني", "أردنية", "أردنيون"),
    "LB": ("لبناني", "لبنانية", "لبنانيون"),
    "DZ": ("جزائري", "جزائرية", "جزائريون"),
    "MA": ("مغربي", "مغربية", "مغاربة"),
    "TN": ("تونسي", "تونسية", "تونسيون"),
    "LY": ("ليبي", "ليبية", "ليبيون"),
    "SD": ("سوداني", "سودانية", "سودانيون"),
    "QA": ("قطري", "قطرية", "قطريون"),
    "KW": ("كويتي", "كويتية", "كويتيون"),
    "BH": ("بحريني", "بحرينية", "بحرينيون"),
    "OM": ("عماني", "عمانية", "عمانيون"),
    "YE": ("يمني", "يمنية", "يمنيون"),
    "PS": ("فلسطيني", "فلسطينية", "فلسطينيون"),
    "AF": ("أفغاني", "أفغانية", "أفغان"),
    "PK": ("باكستاني", "باكستانية", "باكستانيون"),
    "JP": ("ياباني", "يابانية", "يابانيون"),
    "FR": ("فرنسي", "فرنسية", "فرنسيون"),
    "IT": ("إيطالي", "إيطالية", "إيطاليون"),
    "ES": ("إسباني", "إسبانية", "إسبان"),
    "GR": ("يوناني", "يونانية", "يونانيون"),
    "NL": ("هولندي", "هولندية", "هولنديون"),
    "CH": ("سويسري", "سويسرية", "سويسريون"),
    "BR": ("برازيلي", "برازيلية", "برازيليون"),
    "ID": ("إندونيسي", "إندونيسية", "إندونيسيون"),
    "MY": ("ماليزي", "ماليزية", "ماليزيون"),
    "ET": ("إثيوبي", "إثيوبية", "إثيوبيون"),
    "KR": ("كوري جنوبي", "كورية جنوبية", "كوريون جنوبيون"),
    "KP": ("كوري شمالي", "كورية شمالية", "كوريون شماليون"),
    "ZA": ("جنوب أفريقي", "جنوب أفريقية", "جنوب أفريقيون"),
    "SS": ("جنوب سوداني", "جنوب سودانية", "جنوب سودانيون"),
    "MK": ("مقدوني", "مقدونية", "مقدونيون"),
    "ME": ("مونتينيغري", "مونتينيغرية", "مونتينيغريون"),
    "MM": ("ميانماري", "ميانمارية", "ميانماريون"),
    "BA": ("بوسني", "بوسنية", "بوسنيون"),
    "CI": ("إيفواري", "إيفوارية", "إيفواريون"),
    "DO": ("دومينيكاني", "دومينيكانية", "دومينيكانيون"),
}
# Multi-word names have no one-word nisba the rule could make (كوريا الجنوبية): none.
_RULE_ENDINGS = ("يا", "ا", "ة")


def nisba_by_rule(name_ar: str) -> tuple[str, str, str] | None:
    """ي، ية، يون on the name without its article and final ا، يا or ة; None for a name of
    several words."""
    base = re.sub(r"^ال", "", name_ar.strip())
    if not re.fullmatch(r"[\u0621-\u064a]+", base):
        return None
    if base.endswith("ي"):  # تشيلي is its own nisba
        return base, base[:-1] + "ية", base[:-1] + "يون"
    for ending in _RULE_ENDINGS:
        if base.endswith(ending) and len(base) > len(ending) + 1:
            base = base[: -len(ending)]
            break
    return base + "ي", base + "ية", base + "يون"


def countries() -> list[dict[str, str | None]]:
    """Every country, as seeds/reference/countries.yaml holds it."""
    import pycountry
    from babel import Locale

    arabic, english = Locale("ar").territories, Locale("en").territories
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        name_ar, name_en = arabic.get(code), english.get(code)
        if not name_ar or not name_en:
            continue
        forms, basis = CURATED.get(code), "curated"
        if forms is None:
            forms, basis = nisba_by_rule(name_ar), "rule"
        row: dict[str, str | None] = {
            "country_code": code,
            "name_en": name_en,
            "name_ar": name_ar,
            "wikidata_id": WIKIDATA.get(code),
        }
        if forms is not None:
            row.update(
                nisba_ar=forms[0],
                nisba_feminine_ar=forms[1],
                nisba_plural_ar=forms[2],
                nisba_basis=basis,
            )
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


HEADER = """\
# Every ISO 3166-1 country (pycountry), named as the Unicode CLDR names it in English and
# Arabic (Babel {babel}), with the nisba forms Arabic print uses: curated where print departs
# from the rule, else made by it (nisba_basis). A reference table, not taken from any one
# source. Written by `python -m eaeu_facts.draft.gazetteer`; edit its CURATED list, not this
# file, and run it again.
"""


def write(root: Path) -> Path:
    import babel

    path = root / paths.reference_file("countries")
    text = yaml.safe_dump(countries(), allow_unicode=True, sort_keys=False, width=100)
    path.write_text(HEADER.format(babel=babel.__version__) + text, encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
