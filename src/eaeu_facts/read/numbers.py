"""Reading the figures a source prints: digits, scale words and currency words, strictly.

A curated row gives a figure twice: as a number (`amount`, `value_pct`) and as printed
(`amount_as_printed_ar`, `value_as_printed_ar`). This parser reads the printed words so the
build can check the two agree. It refuses any digit form it could only read by guessing
("27,0" is 27 or 270?), so a misread figure is reported instead of published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

DIGIT_FORMS = (
    "digits the parser accepts (0-9 or ٠-٩; '.' or '٫' before decimals; "
    "',' or '٬' only between groups of three)"
)
_DIGIT_SETS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")
_ALL_DIGITS = "".join(_DIGIT_SETS)
_TOKEN = re.compile(rf"[{_ALL_DIGITS}][{_ALL_DIGITS}.,٫٬]*")
_PLAIN = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:(?P<sep>[,٬])[0-9]{3})(?:(?P=sep)[0-9]{3})*(?:\.[0-9]+)?")
# Harakat, superscript alef, tatweel and bidi marks: invisible to a reader, so ignored.
_IGNORED = re.compile("[\u064b-\u0652\u0670\u0640\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"})

# Scale words, folded: (multiplier, number of the noun). A dual carries its own count (2).
SCALES: dict[str, tuple[int, str]] = {
    "الف": (10**3, "singular"),
    "الاف": (10**3, "plural"),
    "الفا": (10**3, "dual"),
    "الفي": (10**3, "dual"),
    "مليون": (10**6, "singular"),
    "ملايين": (10**6, "plural"),
    "مليونا": (10**6, "dual"),
    "مليوني": (10**6, "dual"),
    "مليار": (10**9, "singular"),
    "مليارات": (10**9, "plural"),
    "مليارا": (10**9, "dual"),
    "ملياري": (10**9, "dual"),
    "تريليون": (10**12, "singular"),
    "تريليونات": (10**12, "plural"),
    "تريليونا": (10**12, "dual"),
    "تريليوني": (10**12, "dual"),
}

# Currency words, folded: (ISO 4217 code, whether the words name that currency unambiguously).
CURRENCIES: dict[str, tuple[str, bool]] = {
    **{
        w: ("USD", True)
        for w in (
            "دولار امريكي",
            "دولار اميركي",
            "دولارات امريكية",
            "دولارات اميركية",
            "الدولار الامريكي",
            "الدولارات الامريكية",
            "من الدولارات الامريكية",
            "USD",
        )
    },
    **{w: ("USD", False) for w in ("دولار", "دولارا", "دولارات", "من الدولارات", "$")},
    **{w: ("EUR", True) for w in ("يورو", "EUR", "€")},
    **{w: ("RUB", True) for w in ("روبل روسي", "روبلات روسية", "RUB", "₽")},
    **{w: ("RUB", False) for w in ("روبل", "روبلات")},
    **{w: ("BYN", True) for w in ("روبل بيلاروسي", "روبلات بيلاروسية", "BYN")},
    **{w: ("KZT", True) for w in ("تنغي", "تينغي", "تنغي كازاخستاني", "KZT", "₸")},
    **{w: ("AMD", True) for w in ("درام", "درام ارميني", "AMD")},
    **{w: ("KGS", True) for w in ("سوم قرغيزي", "KGS")},
    **{w: ("UZS", True) for w in ("سوم اوزبكي", "UZS")},
    **{w: ("CNY", True) for w in ("يوان", "يوان صيني", "CNY")},
}
PERCENT_SIGNS = ("%", "٪", "في المئة", "في المائة", "بالمئة", "بالمائة")


class FigureError(ValueError):
    """Printed words the parser cannot read as the figure; `expected` says what it accepts."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


@dataclass(frozen=True)
class Amount:
    """An amount in base units of its currency; `explicit` when the words name it unambiguously."""

    value: Decimal
    currency: str | None
    explicit: bool


def parse_number(token: str) -> Decimal:
    """Digits, optionally grouped by threes and with a decimal part, as an exact Decimal."""
    scripts = {i for i, digits in enumerate(_DIGIT_SETS) for ch in token if ch in digits}
    if not token or len(scripts) > 1:
        raise FigureError(f"{DIGIT_FORMS}, not {token!r}")
    script = _DIGIT_SETS[scripts.pop()] if scripts else _DIGIT_SETS[0]
    western = token.translate(str.maketrans(script, _DIGIT_SETS[0])).replace("٫", ".")
    if _PLAIN.fullmatch(western) is None and _GROUPED.fullmatch(western) is None:
        raise FigureError(f"{DIGIT_FORMS}, not {token!r}")
    return Decimal(western.replace(",", "").replace("٬", ""))


def parse_amount(printed: str) -> Amount:
    """`[digits] [scale word] currency words` as printed, e.g. '27 مليار دولار أمريكي'."""
    words = _words(printed)
    number = None
    if words and _TOKEN.match(words[0]):
        token = _TOKEN.match(words[0]).group()
        number = parse_number(token)
        rest = words[0][len(token) :]
        words = [rest, *words[1:]] if rest else words[1:]
    value = number
    if words and words[0] in SCALES:
        scale, form = SCALES[words.pop(0)]
        value = _scaled(number, scale, form)
    if value is None:
        raise FigureError(f"an amount that starts with {DIGIT_FORMS} or a scale word")
    phrase = " ".join(words)
    if phrase not in CURRENCIES:
        shown = repr(phrase) if phrase else "nothing"
        raise FigureError(f"currency words the parser knows after the figure, not {shown}")
    code, explicit = CURRENCIES[phrase]
    return Amount(value, code, explicit)


def parse_percent(printed: str) -> Decimal:
    """`[qualifier words] digits %` as printed, e.g. 'بنحو 4%' or '4.5 في المئة'."""
    text = " ".join(_words(printed))
    tokens = _TOKEN.findall(text)
    if len(tokens) != 1:
        raise FigureError(f"one figure written with {DIGIT_FORMS}, not {len(tokens)}")
    before, _, after = text.partition(tokens[0])
    value = parse_number(tokens[0])
    after = after.strip()
    if after in PERCENT_SIGNS or (not after and before.endswith(("%", "٪"))):
        return value
    raise FigureError("a percent sign (% or ٪) or 'في المئة' right after the figure")


def _scaled(number: Decimal | None, scale: int, form: str) -> Decimal:
    if form == "dual":
        if number is not None:
            raise FigureError("no digits before a dual scale word (ملياري is already two)")
        return Decimal(2 * scale)
    if number is None and form == "plural":
        raise FigureError("digits before a plural scale word")
    return (number if number is not None else Decimal(1)) * scale


def _words(printed: str) -> list[str]:
    return _IGNORED.sub("", printed).translate(_FOLD).split()
