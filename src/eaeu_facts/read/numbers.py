"""Reading the figures a source prints: digits, scale words and currency words, strictly.

A curated row gives a figure twice: as a number (`amount`, `value_pct`) and as printed
(`amount_as_printed_ar`, `value_as_printed_ar`). This parser reads the printed words so the
build can check the two agree. It refuses any digit form it could only read by guessing
("27,0" is 27 or 270?), so a misread figure is reported instead of published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from eaeu_facts.read.lexicon import (
    CURRENCIES,
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    FRACTIONS,
    PERCENT_WORDS,
    SCALE_FORMS,
    WORD_VALUES,
    alt,
    normalise,
)

DIGIT_FORMS = (
    "digits the parser accepts (0-9 or ٠-٩; '.' or '٫' before decimals; "
    "',' or '٬' only between groups of three)"
)
_DIGIT_SETS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")
_ALL_DIGITS = "".join(_DIGIT_SETS)
# Digits and their marks are read as printed: normalising would hide a figure mixing them.
_FIGURE_MARKS = _ALL_DIGITS + ".,٫٬"
_TOKEN = re.compile(rf"[{_ALL_DIGITS}][{_ALL_DIGITS}.,٫٬]*")
_PLAIN = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:(?P<sep>[,٬])[0-9]{3})(?:(?P=sep)[0-9]{3})*(?:\.[0-9]+)?")
# A currency's words after the figure, as the lexicon has them: "(من) (ال)دولار(ات) (ال)امريكي(ة)".
_CURRENCY_WORDS = [
    (
        re.compile(
            rf"(?:من )?(?:ال)?(?:{stem})"
            + (rf"(?: (?:ال)?(?P<adj>{alt(adjs)})(?:ة|ه|ين)?)?" if adjs else "")
        ),
        code,
        explicit,
        adjs,
    )
    for stem, code, explicit, adjs in CURRENCIES
]
# The forms of a scale word as the parser counts them: a dual carries its own count (2); an
# accusative singular (مليارًا) counts one after a number, and two alone unless its tanween
# says one (the finder reads it the same way).
_FORMS = {"sg": "singular", "pl": "plural", "du": "dual", "acc": "accusative"}
_TANWEEN = "\u064b"


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
    # The currencies bare words may mean ("ريال": the Saudi, Iranian, Qatari... riyal), of
    # which `currency` is the one assumed when nothing else is known.
    possible: frozenset[str] = field(default=frozenset(), compare=False)


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
    """`figure [و figure ...] currency words` as printed: '27 مليار دولار أمريكي', '7 مليارات
    و300 مليون دولار' (one figure in parts), '5 آلاف مليار روبل' (a count of a scale word).
    A figure is digits or a number word, then scale words, or a scale word alone."""
    words = _words(printed)
    value, words = _figure(words, printed)
    value, words = _fraction(value, words, printed)
    while (words and words[0].startswith("و") and len(words[0]) > 1) or words[:1] == ["و"]:
        rest = [words[0][1:], *words[1:]] if words[0] != "و" else words[1:]
        try:
            part, rest = _figure(rest, printed)
        except FigureError:
            break
        value, words = value + part, rest
    code, explicit, possible = _currency(" ".join(words))
    return Amount(value, code, explicit, possible)


def _fraction(value: Decimal, words: list[str], printed: str) -> tuple[Decimal, list[str]]:
    """A half, quarter or third of the figure's last scale word after it, rounded down to
    whole base units as the finder reads it: "مليار ونصف", "مليار ونصف المليار"."""
    figure = _words(printed)[: -len(words)] if words else []
    scale = next((SCALE_FORMS[w][0] for w in reversed(figure) if w in SCALE_FORMS), None)
    if not words or scale is None or words[0][:1] != "و" or words[0][1:] not in FRACTIONS:
        return value, words
    value += (FRACTIONS[words[0][1:]] * scale).to_integral_value(ROUND_FLOOR)
    again = words[1].removeprefix("ال") if len(words) > 1 else ""
    return value, words[2:] if SCALE_FORMS.get(again) == (scale, "sg") else words[1:]


def _figure(words: list[str], printed: str) -> tuple[Decimal, list[str]]:
    """One figure from the start of `words`, and the words after it."""
    number = None
    if words and (token := _TOKEN.match(words[0])):
        number = parse_number(token.group())
        rest = words[0][token.end() :]
        words = [rest, *words[1:]] if rest else words[1:]
    elif words and words[0] in WORD_VALUES:
        number = Decimal(WORD_VALUES[words[0]][0])
        words = words[1:]
    value, scaled = number, False
    while words and words[0] in SCALE_FORMS:
        scale, form = SCALE_FORMS[words.pop(0)]
        value = _scaled(value, scale, _FORMS[form], printed)
        scaled = True
    if value is None or (number is None and not scaled):
        raise FigureError(f"an amount that starts with {DIGIT_FORMS} or a scale word")
    return value, words


def _currency(phrase: str) -> tuple[str, bool, frozenset[str]]:
    """The ISO code the words after the figure name, whether they name it unambiguously, and
    every code they may mean."""
    if phrase in CURRENCY_SYMBOLS:
        code = CURRENCY_SYMBOLS[phrase]
        return code, True, frozenset({code})
    if phrase in CURRENCY_CODES:
        code = phrase.replace("RMB", "CNY")
        return code, True, frozenset({code})
    for pattern, code, explicit, adjs in _CURRENCY_WORDS:
        found = pattern.fullmatch(phrase)
        if found is None:
            continue
        adj = found.groupdict().get("adj")
        named = adjs[adj] if adj else code
        if named is None:
            break
        if adj or explicit:
            return named, True, frozenset({named})
        return named, False, frozenset({named, *(c for c in adjs.values() if c)})
    shown = repr(phrase) if phrase else "nothing"
    raise FigureError(f"currency words that name a currency after the figure, not {shown}")


def parse_percent(printed: str) -> Decimal:
    """`[qualifier words] digits %` as printed, e.g. 'بنحو 4%' or '4.5 في المئة'."""
    text = " ".join(_words(printed))
    tokens = _TOKEN.findall(text)
    if len(tokens) != 1:
        raise FigureError(f"one figure written with {DIGIT_FORMS}, not {len(tokens)}")
    before, _, after = text.partition(tokens[0])
    value = parse_number(tokens[0])
    after = after.strip()
    if after in ("%", "٪", *PERCENT_WORDS) or (not after and before.endswith(("%", "٪"))):
        return value
    raise FigureError("a percent sign (% or ٪) or 'في المئة' right after the figure")


def _scaled(number: Decimal | None, scale: int, form: str, printed: str) -> Decimal:
    if form == "accusative":
        form = "singular" if number is not None or _TANWEEN in printed else "dual"
    if form == "dual":
        if number is not None:
            raise FigureError("no digits before a dual scale word (ملياري is already two)")
        return Decimal(2 * scale)
    if number is None and form == "plural":
        raise FigureError("digits before a plural scale word")
    return (number if number is not None else Decimal(1)) * scale


def _words(printed: str) -> list[str]:
    """The printed words, normalised as the lexicon's are, figures as printed."""
    kept = "".join(ch if ch in _FIGURE_MARKS else normalise(ch) for ch in printed)
    return kept.split()
