"""Rule-based finder of candidate facts in Arabic news text.

Every number, amount, percentage, year, date and direct quotation is reported with its
exact span in Unicode code points (``text[c.start:c.end] == c.text``), so a human or a
later stage can cite the evidence without re-searching the text.

How it works: the text is normalised one character for one character (alef and yeh
variants folded, Arabic-Indic and Persian digits made ASCII) after dropping diacritics,
tatweel and bidi marks, keeping a map back to the original offsets. Small "atoms"
(numbers, scale words, currencies, percent markers, month names, relative words) are
found on the normalised text and a little grammar joins them into candidates.

Span conventions (chosen so spans are the value-bearing words and nothing else):

* hedges and framing words stay outside ("بنحو 4%" -> "4%", "من 3 إلى 5 مليارات دولار"
  -> "3 إلى 5 مليارات دولار", "عام 2024" -> "2024");
* a number written as a word keeps its attached clitics, because a span must not split an
  orthographic word ("العشرين", "بمليار دولار");
* a relative period runs from the number through the relative word
  ("العشرين عامًا الماضية"), a date from the day (or month) through its year or relative
  word ("31 من يناير 2025", "ديسمبر الماضي");
* a quotation is exactly the text between its outer marks, marks excluded, nothing trimmed.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, replace
from decimal import ROUND_FLOOR, Decimal
from itertools import pairwise

from eaeu_facts.read.lexicon import (
    BL,
    BW,
    CLITIC,
    CURRENCIES,
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    FRACTIONS,
    HEDGE_BEFORE,
    HIJRI_ERA,
    HIJRI_MONTHS,
    HS,
    HSPACE,
    MONTHS,
    NEXT_CLASS_OK,
    NW,
    ORDINAL_DAYS,
    PERCENT_WORDS,
    RELATIVE,
    SCALE_FORMS,
    SHORT_MONTHS,
    SPEECH_VERBS,
    TIME_NOUNS,
    VAGUE_BEFORE,
    WORD_VALUES,
    Normalised,
    alt,
)

__all__ = ["FIELDS", "KINDS", "Candidate", "find_candidates", "format_candidates"]

KINDS = ("amount", "percentage", "number", "year", "date", "quotation")


@dataclass(frozen=True)
class Candidate:
    """One candidate fact; ``text == source[start:end]`` always holds.

    ``value`` is in base units (8.7 مليار -> 8700000000; a dual scale word alone counts two:
    ملياري -> 2000000000), the lower bound of a range whose upper bound is ``value_max``.
    ``currency_explicit`` is False when the word alone does not pin the currency down
    (bare دولار -> USD, روبل -> RUB, ريال -> SAR, جنيه -> EGP, درهم -> AED, سوم -> KGS;
    دينار, ليرة, فرنك alone -> None). ``date`` is ISO 8601-ish and partial: "2025-01-31",
    "--01-31", "2024-12", "--12", or an interval "--12-26/--12-27". ``nested_in`` is the
    ``start`` of the directly enclosing quotation.
    """

    kind: str
    start: int
    end: int
    text: str
    value: float | int | None = None
    value_max: float | int | None = None
    scale: int | None = None
    currency: str | None = None
    currency_explicit: bool | None = None
    unit: str | None = None
    date: str | None = None
    relative: str | None = None
    attribution: str | None = None
    nested_in: int | None = None
    calendar: str | None = None
    same_as: int | None = None
    ambiguous: bool = False


# Every field of a candidate as `eaeu-facts candidates --format json` writes it, in the words
# of the command line page (docs/cli.md), which shows this table; tests hold the keys to it.
FIELDS = {
    "kind": "One of `amount`, `percentage`, `number`, `year`, `date`, `quotation`.",
    "start": "Offset of the first character, in Unicode code points from 0 on the text.",
    "end": "Offset one past the last character: `text == source[start:end]`.",
    "text": "The words as printed: hedges and framing words outside, attached clitics inside; "
    "for a quotation, what lies between its outer marks.",
    "value": "The value in base units (8.7 مليار is 8700000000), the lower bound of a range; "
    "null where the words give none (مليارات الدولارات).",
    "value_max": "The upper bound of a range (من 3 إلى 5 مليارات), else null.",
    "scale": "The scale word's factor (1000, 1000000, 1000000000, ...), else null.",
    "currency": "ISO 4217 code of an amount; null where the word alone does not say which (دينار).",
    "currency_explicit": "False where the currency is assumed from a bare word (دولار is "
    "read as USD), true where the text pins it down, null for other kinds.",
    "unit": "`percent` for a percentage, `year` for a year, else null.",
    "date": "A date as far as the text gives it, ISO 8601 style with gaps: 2025-01-31, "
    "--01-31 (no year printed), 2024-12, an interval --12-26/--12-27; in the calendar "
    "`calendar` names.",
    "relative": "`past`, `next` or `current` for a period or date given relative to the "
    "unprinted date of the text (العام الماضي), else null.",
    "attribution": "For a quotation, the words that attribute it (وقال الوزير فلان), where "
    "the text has them.",
    "nested_in": "For a quotation inside another, the `start` of the enclosing one.",
    "calendar": "`hijri` for a Hijri date or year (15 رجب 1446 هـ), whose `date` is in that "
    "calendar; null for the Gregorian calendar.",
    "same_as": "For a Hijri date printed beside its Gregorian equivalent (الموافق ...), the "
    "`start` of that Gregorian date.",
    "ambiguous": "True where the words do not fix one value (مليارات الدولارات, بضعة "
    "ملايين): `value` is then null or a range, never a guess.",
}


# --------------------------------------------------------------------------- normalisation


# ------------------------------------------------------------------------------ lexicon

_WORD_NUM_RE = re.compile(BW + rf"(?P<pre>{CLITIC})(?P<w>{alt(WORD_VALUES)}){NW}")

_SCALE_RE = re.compile(BL + rf"(?P<pre>{CLITIC})(?P<w>{alt(SCALE_FORMS)}){NW}")

_CUR_WORD_RES = [
    (
        re.compile(
            BL
            + r"(?:[وف]?(?:بال|لل|ال|ب))?"
            + rf"(?:{stem})"
            + (rf"(?:{HS}+(?:ال)?(?P<adj>{alt(adjs)})(?:ة|ه|ين)?)?" if adjs else "")
            + NW
        ),
        code,
        explicit,
        adjs,
    )
    for stem, code, explicit, adjs in CURRENCIES
]


def _stem_words(stem: str) -> tuple[str, ...]:
    """Words one of which every match of the stem contains: a text holding none of them is
    not searched for that currency at all (("",) where the stem has no such words)."""

    def parts(pattern: str) -> list[str]:
        depth, start, out = 0, 0, []
        for i, ch in enumerate(pattern):
            depth += {"(": 1, ")": -1}.get(ch, 0)
            if ch == "|" and depth == 0:
                out.append(pattern[start:i])
                start = i + 1
        return [*out, pattern[start:]]

    if stem.startswith("(?:") and _wraps(stem):
        stem = stem[3:-1]
    words = []
    for part in parts(stem):
        word = re.match(r"[^\\()\[\]|?*+{}.^$]*", part).group()  # type: ignore[union-attr]
        if part[len(word) : len(word) + 1] in ("?", "*", "{"):
            word = word[:-1]  # the quantifier makes its last letter optional
        words.append(word)
    return tuple(words) if all(words) else ("",)


def _wraps(pattern: str) -> bool:
    """Whether the group opening the pattern closes at its very end."""
    depth = 0
    for i, ch in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return i == len(pattern) - 1
    return False


_CUR_STEMS = tuple(_stem_words(stem) for stem, *_ in CURRENCIES)
_CUR_SYM_RE = re.compile(
    r"(?P<sym>[" + re.escape("".join(CURRENCY_SYMBOLS)) + r"])"
    r"|(?<![A-Za-z])(?P<code>" + "|".join(CURRENCY_CODES) + r")(?![A-Za-z])"
)

_PCT_RE = re.compile(r"[%٪]|" + BW + rf"(?:{alt(PERCENT_WORDS)}){NW}")

_MONTH_RE = re.compile(
    BW
    + rf"(?:و?(?P<m>{alt(m for m in MONTHS if m not in SHORT_MONTHS)})"
    + rf"|(?P<s>{alt(SHORT_MONTHS)})){NW}"
)

_REL_RE = re.compile(BW + rf"(?:{alt(RELATIVE)}){NW}")
_YEAR_REL_RE = re.compile(
    rf"{HS}+(?:من{HS}+)?(?:(?P<this>هذا{HS}+العام|هذه{HS}+السنة)"
    rf"|(?:العام|السنة){HS}+(?P<rel>{alt(RELATIVE)})){NW}"
)
_TNOUN_RE = re.compile(BW + rf"(?:{alt(TIME_NOUNS)}){NW}")

_DIGITS_RE = re.compile(
    r"""
    (?<![0-9A-Za-z.,])(?<![A-Za-z]-)          # not inside a number or an id like A320, F-16
    (?P<sign>(?<![0-9A-Za-z.,)\-])[-−](?=[0-9]))?
    (?P<n>
        [0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])      # 1,250,000 (.5)
      | [0-9]{1,3}(?:\.[0-9]{3}){2,}(?![0-9.,][0-9])        # 1.250.000
      | [0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+(?![0-9]|[.,][0-9])  # 5 000 000
      | [0-9]+,[0-9]{1,2}(?![0-9,])                         # 8,7 (decimal comma)
      | [0-9]+(?:\.[0-9]+)?                                 # 27, 8.7
    )
    (?![0-9A-Za-z])                             # 5G is an id, not a number
    """,
    re.VERBOSE,
)
_NUM_DATE_RE = re.compile(
    r"(?<![0-9.,/-])(?:(?P<d>[0-9]{1,2})(?P<sep>[/.-])(?P<m>[0-9]{1,2})(?P=sep)(?P<y>[0-9]{4})"
    r"|(?P<iy>[0-9]{4})-(?P<im>[0-9]{2})-(?P<id>[0-9]{2}))(?![0-9.,/-]?[0-9])"
)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s()<>\[\]]+|[\w.+-]+@[\w-]+\.[\w.]+", re.ASCII)
_CLOCK_RE = re.compile(r"(?<![0-9.,:])[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?![0-9:])")

_FROM_BEFORE = re.compile(rf"(?<!\S)[وف]?(?:من|ما{HS}+بين|بين){HS}+$")
_TNOUN_BEFORE = re.compile(rf"(?<!\S)[وف]?(?:ب|ل|لل|ال|بال)?(?:{alt(TIME_NOUNS)}){HS}+(?:ال)?$")
_DAY_MONTH_GAP = rf"{HS}*(?:من{HS}+)?(?:شهر{HS}+)?"
_TNOUN_GAP = rf"{HS}+(?:{alt(TIME_NOUNS)}){HS}+"
_YEAR_GAP = re.compile(rf"{HS}*[,،]?{HS}*(?:(?:من{HS}+)?(?:عام|العام|سنة){HS}+)?(?=[0-9])")
_HALF_RE = re.compile(rf"{HS}+و(?P<f>نصف|ربع|ثلث){NW}")
_HALF_BEFORE = re.compile(rf"(?<!\S)[وب]?(?P<f>نصف|ربع|ثلث){HS}+$")
# A following word the dual construct ("ألفا طالب": two thousand students) can govern.
_NOUN_AFTER = re.compile(rf"{HS}+(?!و?(?:نصف|ربع|ثلث){NW})[^\W\d_]")
_TANWEEN = "\u064b"  # fathatan: "مليارًا" is one billion, never the dual construct

_HMONTH_RE = re.compile(BW + rf"(?:{alt(HIJRI_MONTHS)}){NW}")
# An ordinal day word before a month name ("الخامس عشر من آذار"); alone it is an ordinal.
_ORDINAL_RE = re.compile(
    BW
    + rf"(?:[وف]?(?:في{HS}+)?)(?P<o>{alt(ORDINAL_DAYS)}){NW}"
    + rf"(?={HS}*(?:من{HS}+)?(?:شهر{HS}+)?و?(?:{alt(MONTHS)}|{alt(HIJRI_MONTHS)}){NW})"
)
# The Hijri era after a year: "1446 هـ" (the tatweel is dropped), "1446هـ", "هجرية".
_HIJRI_ERA = re.compile(rf"{HS}*(?:{alt(HIJRI_ERA)}){NW}")
_SAME_DAY = re.compile(rf"^[\s(\[،,:-]*و?الموافق(?:ة)?(?:{HS}*ل)?[\s(\[،,:-]*$")


@dataclass
class _Atom:
    kind: str  # NUM SCALE CUR PCT MONTH HMONTH REL TNOUN DATE SKIP
    s: int
    e: int
    value: Decimal | None = None
    digits: bool = False
    plain: bool = False  # digits only, no separator or decimal mark
    conj: bool = False  # word number that opens with the conjunction و
    cls: int = 0
    base: int = 0
    form: str = ""
    code: str | None = None
    explicit: bool | None = None
    symbol: bool = False
    month: int = 0
    rel: str = ""
    date: str = ""


def _word_atoms(norm: str) -> list[_Atom]:
    """Word numbers, with compounds joined ("خمسة وعشرين" -> 25)."""
    parts: list[_Atom] = []
    for m in _WORD_NUM_RE.finditer(norm):
        pre, word = m["pre"], re.sub(r"\s+", " ", m["w"])
        if word in ("اثنين", "اثنان", "واحد", "واحدة") and pre.endswith(("ال", "لل")):
            continue  # الاثنين is Monday, الواحد "the single", far more often than numbers
        value, cls = WORD_VALUES[word]
        parts.append(
            _Atom("NUM", m.start(), m.end(), Decimal(value), conj=pre.startswith("و"), cls=cls)
        )
    out: list[_Atom] = []
    for part in parts:
        prev = out[-1] if out else None
        if (
            prev is not None
            and part.conj
            and HSPACE.fullmatch(norm, prev.e, part.s)
            and (prev.cls, part.cls) in NEXT_CLASS_OK
            and prev.value is not None
            and part.value is not None
        ):
            out[-1] = _Atom(
                "NUM", prev.s, part.e, prev.value + part.value, conj=prev.conj, cls=part.cls
            )
        else:
            out.append(part)
    return out


def _atoms(norm: str) -> list[_Atom]:
    """All atoms, overlaps resolved by earliest start, then longest, then priority."""
    found: list[tuple[int, _Atom]] = []
    for m in _NUM_DATE_RE.finditer(norm):
        if m["y"]:
            y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        else:
            y, mo, d = int(m["iy"]), int(m["im"]), int(m["id"])
        if 1 <= mo <= 12 and 1 <= d <= 31:
            found.append((0, _Atom("DATE", m.start(), m.end(), date=f"{y:04d}-{mo:02d}-{d:02d}")))
    for m in _URL_RE.finditer(norm):
        found.append((1, _Atom("SKIP", m.start(), m.end())))
    for m in _CLOCK_RE.finditer(norm):
        found.append((1, _Atom("SKIP", m.start(), m.end())))
    for m in _PCT_RE.finditer(norm):
        found.append((2, _Atom("PCT", m.start(), m.end(), symbol=len(m[0]) == 1)))
    for m in _DIGITS_RE.finditer(norm):
        raw = re.sub(r"[ \u00a0\u202f\u2009]", "", m["n"])
        if re.fullmatch(r"[0-9]+,[0-9]{1,2}", raw):
            raw = raw.replace(",", ".")
        elif raw.count(".") > 1:  # "1.250.000": dots as thousands separators
            raw = raw.replace(".", "")
        plain = raw.isdigit() and raw == m["n"] and not m["sign"]
        value = Decimal(raw.replace(",", "")) * (-1 if m["sign"] else 1)
        atom = _Atom("NUM", m.start(), m.end(), value, digits=True, plain=plain)
        found.append((3, atom))
    found.extend((3, a) for a in _word_atoms(norm))
    for m in _SCALE_RE.finditer(norm):
        base, form = SCALE_FORMS[m["w"]]
        found.append((4, _Atom("SCALE", m.start(), m.end(), base=base, form=form)))
    for (rx, code, explicit, adjs), words in zip(_CUR_WORD_RES, _CUR_STEMS, strict=True):
        if not any(word in norm for word in words):
            continue
        for m in rx.finditer(norm):
            adj = m.groupdict().get("adj")
            if adj:
                c, x = adjs[re.sub(r"\s+", " ", adj)], True
            else:
                c, x = code, explicit
            found.append((5, _Atom("CUR", m.start(), m.end(), code=c, explicit=x)))
    for m in _CUR_SYM_RE.finditer(norm):
        c = CURRENCY_SYMBOLS[m["sym"]] if m["sym"] else m["code"].replace("RMB", "CNY")
        found.append((5, _Atom("CUR", m.start(), m.end(), code=c, explicit=True, symbol=True)))
    for m in _ORDINAL_RE.finditer(norm):
        day = ORDINAL_DAYS[re.sub(r"\s+", " ", m["o"])]
        found.append((3, _Atom("ORD", m.start("o"), m.end("o"), Decimal(day))))
    for m in _MONTH_RE.finditer(norm):
        name = re.sub(r"\s+", " ", m["m"] or m["s"])
        found.append((6, _Atom("MONTH", m.start(), m.end(), month=MONTHS[name])))
    for m in _HMONTH_RE.finditer(norm):
        name = re.sub(r"\s+", " ", m[0])
        found.append((6, _Atom("HMONTH", m.start(), m.end(), month=HIJRI_MONTHS[name])))
    for m in _REL_RE.finditer(norm):
        found.append((7, _Atom("REL", m.start(), m.end(), rel=RELATIVE[m[0]])))
    for m in _TNOUN_RE.finditer(norm):
        found.append((8, _Atom("TNOUN", m.start(), m.end())))
    found.sort(key=lambda pa: (pa[1].s, -(pa[1].e - pa[1].s), pa[0]))
    out: list[_Atom] = []
    end = 0
    for _, atom in found:
        if atom.s >= end:
            out.append(atom)
            end = atom.e
    return out


# ---------------------------------------------------------------------------- the grammar


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass
class _Qty:
    s: int
    e: int
    value: Decimal | None  # None: the words do not fix it ("مليارات الدولارات")
    scale: int | None
    year_like: bool


@dataclass
class _Unit:
    kind: str  # "pct" or "cur"
    e: int
    code: str | None = None
    explicit: bool | None = None


class _Parser:
    def __init__(self, t: Normalised) -> None:
        self.t = t
        self.norm = t.norm
        self.atoms = _atoms(t.norm)
        self.by_start = {a.s: (i, a) for i, a in enumerate(self.atoms)}

    # -- helpers
    def at(self, pos: int, *kinds: str) -> _Atom | None:
        hit = self.by_start.get(pos)
        if hit and hit[1].kind in kinds:
            return hit[1]
        return None

    def after(self, pos: int, gap: str, *kinds: str) -> _Atom | None:
        """The atom of one of ``kinds`` right after ``pos`` and a gap matching ``gap``."""
        m = re.compile(gap).match(self.norm, pos)
        return self.at(m.end(), *kinds) if m else None

    def cand(self, kind: str, ns: int, ne: int, **fields: object) -> Candidate:
        start, end = self.t.span(ns, ne)
        return Candidate(kind, start, end, self.t.orig[start:end], **fields)  # type: ignore[arg-type]

    # -- main loop
    def run(self) -> list[Candidate]:
        out: list[Candidate] = []
        i = 0
        while i < len(self.atoms):
            atom = self.atoms[i]
            got = self.hijri(atom) or self.date(atom) or self.numeric(atom)
            if got is None:
                i += 1
                continue
            cand, end = got
            out.append(cand)
            while i < len(self.atoms) and self.atoms[i].s < end:
                i += 1
        return out

    # -- dates
    def hijri(self, a: _Atom) -> tuple[Candidate, int] | None:
        """A Hijri date ("15 رجب 1446 هـ", "رمضان 1445") or year ("1446 هـ"). A month name
        alone is not one: "صفر" is also zero, "رمضان" also a name."""
        day, month = 0, a if a.kind == "HMONTH" else None
        if self.is_day(a):
            day, month = int(a.value or 0), self.after(a.e, _DAY_MONTH_GAP, "HMONTH")
        if month is None:
            era = _HIJRI_ERA.match(self.norm, a.e) if a.kind == "NUM" and a.plain else None
            if era is None or not 3 <= a.e - a.s <= 4:
                return None
            year = self.norm[a.s : a.e]
            cand = self.cand("year", a.s, era.end(), value=int(year), unit="year", date=year)
            return replace(cand, calendar="hijri"), era.end()
        end, year = month.e, None
        gap = _YEAR_GAP.match(self.norm, end)
        y = self.at(gap.end(), "NUM") if gap else None
        if y is not None and y.plain and 3 <= y.e - y.s <= 4:
            year, end = int(y.value or 0), y.e
            end = era.end() if (era := _HIJRI_ERA.match(self.norm, end)) else end
        if not day and year is None:
            return None
        ymd = (f"{year:04d}" if year is not None else "-") + f"-{month.month:02d}"
        ymd += f"-{day:02d}" if day else ""
        return replace(self.cand("date", a.s, end, date=ymd), calendar="hijri"), end

    def date(self, a: _Atom) -> tuple[Candidate, int] | None:
        if a.kind == "DATE":
            return self.cand("date", a.s, a.e, date=a.date), a.e
        day = day2 = 0
        month = a if a.kind == "MONTH" else None
        if self.is_day(a):
            day, day_end = int(a.value or 0), a.e
            d2 = self.after(a.e, rf"{HS}*[-–]{HS}*|{HS}+(?:و|الي){HS}*", "NUM")
            if (
                d2 is not None
                and self.is_day(d2)
                and int(d2.value or 0) > day
                and self.after(d2.e, _DAY_MONTH_GAP, "MONTH")  # "26-27 ديسمبر"
            ):
                day2, day_end = int(d2.value or 0), d2.e
            month = self.after(day_end, _DAY_MONTH_GAP, "MONTH")
        if month is None:
            return None
        end, year, rel = self.month_tail(month)
        month2 = None
        if not day and year is None and rel is None:
            # "من يناير إلى نوفمبر 2024"; a bare month name alone is too ambiguous ("مارس" is
            # also a verb), so it only counts with a day, a year or a relative word.
            month2 = self.after(end, rf"{HS}*[-–]{HS}*|{HS}+(?:الي|حتي){HS}+", "MONTH")
            if month2 is None or month2.month == month.month:
                return None
            end, year, rel = self.month_tail(month2)
        mm = f"{month.month:02d}"
        ymd = f"{year:04d}-{mm}" if year is not None else f"--{mm}"
        if day:
            ymd, first = f"{ymd}-{day:02d}", ymd
            if day2:  # an ISO 8601 interval keeps both ends of "26-27 ديسمبر"
                ymd += f"/{first}-{day2:02d}"
        if month2 is not None:
            ymd += "/" + ymd[: -len(mm)] + f"{month2.month:02d}"
        return self.cand("date", a.s, end, date=ymd, relative=rel), end

    def month_tail(self, month: _Atom) -> tuple[int, int | None, str | None]:
        """End, year and relative word after a month name ("/يناير", "2025", "الماضي")."""
        end = month.e
        alt = self.after(end, rf"{HS}*/{HS}*", "MONTH")  # "كانون الثاني/يناير"
        if alt is not None and alt.month == month.month:
            end = alt.e
        gap = _YEAR_GAP.match(self.norm, end)
        if gap:
            y = self.at(gap.end(), "NUM")
            if y is not None and y.plain and len(self.norm[y.s : y.e]) == 4:
                return y.e, int(y.value or 0), None
        r = self.after(end, HS + "+", "REL")
        if r is not None:
            return r.e, None, r.rel
        if m := _YEAR_REL_RE.match(self.norm, end):
            return m.end(), None, ("current" if m["this"] else RELATIVE[m["rel"]])
        return end, None, None

    def is_day(self, a: _Atom) -> bool:
        if a.kind == "ORD":
            return True
        return (
            a.kind == "NUM"
            and a.digits
            and a.plain
            and len(self.norm[a.s : a.e]) <= 2
            and 1 <= int(a.value or 0) <= 31
        )

    # -- numbers
    def quantity(self, a: _Atom) -> _Qty | None:
        norm = self.norm
        if a.kind == "SCALE":
            if a.form == "pl":  # "مليارات الدولارات", "بضعة ملايين": no value to give
                vague = VAGUE_BEFORE.search(norm, max(0, a.s - 12), a.s)
                return _Qty(vague.start() if vague else a.s, a.e, None, a.base, False)
            # The accusative ("مليارًا ونصف") is one; without tanween and before a noun it
            # is the dual construct ("ألفا طالب": two thousand students).
            dual = a.form == "du" or (
                a.form == "acc" and not self.tanween(a) and _NOUN_AFTER.match(norm, a.e)
            )
            value = Decimal(a.base * (2 if dual else 1))
            s = a.s
            if a.form == "sg" and (h := _HALF_BEFORE.search(norm, max(0, a.s - 12), a.s)):
                value = (FRACTIONS[h["f"]] * a.base).to_integral_value(ROUND_FLOOR)
                s = h.start()
            q = _Qty(s, a.e, value, a.base, False)
            self.fraction(q)
            self.joined(q, a.base)
            return q
        if a.kind != "NUM" or a.value is None:
            return None
        q = _Qty(a.s, a.e, a.value, None, False)
        sc = self.after(a.e, HS + "*", "SCALE")
        if sc is not None:
            q.value, q.scale, q.e = a.value * sc.base, sc.base, sc.e
            # A count of a scale word: "5 آلاف مليار" is five thousand billion.
            while (
                (more := self.after(q.e, HS + "+", "SCALE"))
                and more.base > 1000
                and more.form in ("sg", "pl")
                and q.value is not None
            ):
                q.value, q.scale, q.e = q.value * more.base, q.scale * more.base, more.e
            self.fraction(q)
            self.joined(q, sc.base)
        else:
            text = norm[a.s : a.e]
            q.year_like = (
                a.plain and len(text) == 4 and 1900 <= int(text) <= 2100 and not self.hedged(a.s)
            )
        return q

    def joined(self, q: _Qty, base: int) -> None:
        """One figure printed in parts: "3 ملايين و500 ألف", "ملياران و300 مليون",
        "ثلاثة آلاف وخمسمئة"."""
        norm = self.norm
        if q.value is None:
            return
        n2 = self.after(q.e, rf"{HS}+و{HS}*", "NUM") or self.after(q.e, HS + "+", "NUM")
        if (
            n2 is not None
            and n2.value is not None
            and (n2.conj if not n2.digits else norm[q.e : n2.s].strip() == "و")
        ):
            sc2 = self.after(n2.e, HS + "*", "SCALE")
            if sc2 is not None and sc2.base < base:
                q.value += n2.value * sc2.base
                q.e = sc2.e
            elif sc2 is None and base == 1000 and n2.value < 1000:
                q.value += n2.value
                q.e = n2.e

    def tanween(self, a: _Atom) -> bool:
        start, end = self.t.span(a.s, a.e)
        return _TANWEEN in self.t.orig[start:end]

    def fraction(self, q: _Qty) -> None:
        """Add a trailing half, quarter or third (rounded down to whole base units):
        "مليار ونصف", "مليار ونصف المليار", "مليونين وثلث"."""
        if q.scale and q.value is not None and (m := _HALF_RE.match(self.norm, q.e)):
            q.value += (FRACTIONS[m["f"]] * q.scale).to_integral_value(ROUND_FLOOR)
            q.e = m.end()
            again = self.after(q.e, HS + "+", "SCALE")
            if again is not None and again.base == q.scale and again.form == "sg":
                q.e = again.e

    def hedged(self, s: int) -> bool:
        return bool(HEDGE_BEFORE.search(self.norm, max(0, s - 40), s))

    def unit(self, e: int) -> _Unit | None:
        p = self.after(e, HS + "*", "PCT")
        if p is not None:
            return _Unit("pct", p.e)
        c = self.after(e, HS + "*", "CUR") or self.after(e, rf"{HS}+من{HS}+", "CUR")
        if c is not None:
            return _Unit("cur", c.e, c.code, c.explicit)
        return None

    def numeric(self, a: _Atom) -> tuple[Candidate, int] | None:
        start = a.s
        pre_unit: _Unit | None = None
        if a.kind == "CUR" and a.symbol:
            nxt = self.after(a.e, HS + "?", "NUM", "SCALE")
            if nxt is None:
                return None
            pre_unit = _Unit("cur", a.e, a.code, a.explicit)
            a = nxt
        elif a.kind == "PCT" and a.symbol:  # "%4" as typed in right-to-left text
            nxt = self.after(a.e, "", "NUM")
            if nxt is None or not nxt.digits:
                return None
            pre_unit = _Unit("pct", a.e)
            a = nxt
        q = self.quantity(a)
        if q is None:
            return None
        start = min(start, q.s)
        u = pre_unit or self.unit(q.e)
        end = u.e if u is not None and pre_unit is None else q.e
        if q.value is None:
            kind, fields = "number", {"scale": q.scale, "ambiguous": True}
            if u is not None and u.kind == "cur":
                kind, fields = "amount", {**fields, "currency": u.code}
                fields["currency_explicit"] = u.explicit
            return self.cand(kind, start, end, **fields), end  # type: ignore[arg-type]
        value_max = None
        rng = self.range_tail(q, u, end)
        if rng is not None:
            q2, u2, end = rng
            if q.scale is None and q2.scale is not None:
                q.value *= q2.scale
                q.scale = q2.scale
            u = u or u2
            value_max = q2.value
            q.year_like = False
        if u is not None and u.kind == "cur":
            return self.cand(
                "amount",
                start,
                end,
                value=_num(q.value),
                value_max=_num(value_max),
                scale=q.scale,
                currency=u.code,
                currency_explicit=u.explicit,
            ), end
        if u is not None:
            return self.cand(
                "percentage",
                start,
                end,
                value=_num(q.value),
                value_max=_num(value_max),
                scale=q.scale,
                unit="percent",
            ), end
        if q.year_like:
            year = self.norm[q.s : q.e]
            return self.cand("year", start, end, value=int(year), unit="year", date=year), end
        rel = None
        r = self.after(end, _TNOUN_GAP, "REL")
        if (
            r is None
            and value_max is None
            and _TNOUN_BEFORE.search(self.norm, max(0, start - 16), start)
        ):
            r = self.after(end, HS + "+", "REL")  # "السنوات الخمس الماضية"
        if r is not None:
            rel, end = r.rel, r.e
        return self.cand(
            "number",
            start,
            end,
            value=_num(q.value),
            value_max=_num(value_max),
            scale=q.scale,
            relative=rel,
        ), end

    def range_tail(
        self, q: _Qty, u: _Unit | None, end: int
    ) -> tuple[_Qty, _Unit | None, int] | None:
        """The upper bound of "من X إلى Y" / "بين X وY" / "X-Y", when Y carries a unit or scale."""
        framed = _FROM_BEFORE.search(self.norm, max(0, q.s - 12), q.s)
        gaps = [rf"{HS}*[-–—]{HS}*"] if self.at(q.s, "NUM") else []
        if framed and "بين" in framed.group(0):
            gaps += [rf"{HS}+و{HS}*", HS + "+"]
        elif framed:
            gaps.append(rf"{HS}+(?:الي|حتي){HS}+")
        for gap in gaps:
            nxt = self.after(end, gap, "NUM", "SCALE")
            if nxt is None:
                continue
            q2 = self.quantity(nxt)
            if q2 is None or q2.value is None:
                continue
            u2 = self.unit(q2.e)
            if u2 is None and q2.scale is None:
                continue
            if u is not None and (u2 is None or u2.kind != u.kind or u2.code != u.code):
                continue
            if u is None and q.scale is not None and q2.scale is None:
                continue
            return q2, u2, (u2.e if u2 else q2.e)
        return None


# ----------------------------------------------------------------------------- quotations

_OPEN_BEFORE = set('([{«“„:،,؛;—–-/"＂')
_CLOSE_AFTER = set(".,،؛;:!?؟)]}»”…—–-'\"")
_CLITIC_TOKEN = re.compile(r"(?<![^\s(«“:،])(?:[وفبلك]|وب|ول|فب|ال|وال|بال|لل)ـ*$")
# Leftovers of markup after a quotation ("![]()", "[](url)", punctuation), one parse each.
_RESIDUE = re.compile(
    r"^(?:[\s.،,؛;:؟?…]|!(?!\[)|!?\[[^\]\n]*\]\([^)\n]*\)|\(\s*\)|\[\s*\](?!\())*$"
)
_BYLINE_BAD = re.compile(r"[.!?؟؛;:\"«»“”\[\]{}]")
_COLON_BEFORE = re.compile(rf"[:،,]{HS}*$")
_CLAUSE_STOP = re.compile(r"[.!?؟\n\"«»“”]")
_AFTER_CLOSE = re.compile(rf"{HS}*[،,]?{HS}*")
_VERB_RE = re.compile(BW + rf"[وف]?(?:{alt(SPEECH_VERBS)}){NW}")
# Where the clause that may hold "قال فلان:" starts: a sentence end, or a quotation that
# closes and hands back to the narrator with a comma. A scare-quoted name ("سبوتنيك") does not.
_CLAUSE_START = re.compile(r"[.!?؟\n]|[\"»”＂][^\S\n]*[،,]")


def _pairs_straight(line: str, idxs: list[int]) -> list[tuple[int, int]]:
    """Pair ambiguous marks by context: an opener follows a space, punctuation or a clitic."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for k in idxs:
        prev = line[k - 1] if k > 0 else None
        nxt = line[k + 1] if k + 1 < len(line) else None
        open_ctx = (
            prev is None
            or prev.isspace()
            or prev in _OPEN_BEFORE
            or bool(_CLITIC_TOKEN.search(line, max(0, k - 5), k))
        ) and (nxt is not None and not nxt.isspace() and nxt not in _CLOSE_AFTER)
        close_ctx = (prev is not None and not prev.isspace()) and (
            nxt is None or nxt.isspace() or nxt in _CLOSE_AFTER
        )
        if open_ctx and not close_ctx:
            stack.append(k)
        elif close_ctx and not open_ctx:
            if stack:
                pairs.append((stack.pop(), k))
        elif stack:
            pairs.append((stack.pop(), k))
        else:
            stack.append(k)
    return pairs


# Quotation marks by family; within a family a mark opens or closes by its context, so both
# orientations of curly marks (RTL typesetting mirrors them: ”…“) and one level of nesting
# pair right. A quotation may continue over MAX_BREAKS line breaks.
_FAMILIES = ('"＂', "«»", "“”„")
_MARK_RE = re.compile("[" + "".join(_FAMILIES) + "]")
MAX_BREAKS = 2


def _quote_pairs(text: str) -> list[tuple[int, int]]:
    """(open, close) mark indices of every quotation in the text."""
    marks = [m.start() for m in _MARK_RE.finditer(text)]
    pairs: list[tuple[int, int]] = []
    for family in _FAMILIES:
        pairs += _pairs_straight(text, [k for k in marks if text[k] in family])
    return [
        (o, c)
        for o, c in pairs
        if any(ch.isalnum() for ch in text[o + 1 : c]) and text.count("\n", o, c) <= MAX_BREAKS
    ]


def _quotations(t: Normalised) -> list[Candidate]:
    text = t.orig
    lines = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n\r]+", text)]
    starts = [off for off, _ in lines]
    found = sorted(_quote_pairs(text), key=lambda f: (f[0], -f[1]))
    out: list[Candidate] = []
    enclosing: list[tuple[int, int]] = []  # (open, close) of the quotations around this one
    for o, c in found:
        while enclosing and enclosing[-1][1] < o:
            enclosing.pop()
        nested_in = enclosing[-1][0] + 1 if enclosing and c < enclosing[-1][1] else None
        enclosing.append((o, c))
        s, e = o + 1, c
        attribution = None
        if nested_in is None:
            li, lc = bisect_right(starts, o) - 1, bisect_right(starts, c) - 1
            attribution = _attribution(t, lines, li, lc, o, c)
        out.append(
            Candidate("quotation", s, e, text[s:e], attribution=attribution, nested_in=nested_in)
        )
    return out


def _attribution(
    t: Normalised, lines: list[tuple[int, str]], li: int, lc: int, o: int, c: int
) -> str | None:
    """Who the quotation (opening on line `li`, closing on `lc`) is attributed to: verb
    clause before, byline after, or clause after."""
    off, line = lines[li]
    norm = t.norm
    no, nc = t.to_norm(o), t.to_norm(c)
    line_start = t.to_norm(off)
    # 1. "وقال الوزير فلان: «...»"
    window = max(line_start, no - 300)
    seg_start = window
    for m in _CLAUSE_START.finditer(norm, window, no):
        seg_start = m.end()
    colon = _COLON_BEFORE.search(norm, seg_start, no)
    if colon:
        verb = _VERB_RE.search(norm, seg_start, colon.start())
        if verb:
            s, e = t.span(verb.start(), colon.start())
            return t.orig[s:e].strip() or None
    # 2. a name-and-post line right under a quotation that fills its own line
    lead, tail = line[: o - off], lines[lc][1][c + 1 - lines[lc][0] :]
    if len(lead) <= 8 and not lead.strip(" \t-–—") and len(tail) <= 200 and _RESIDUE.match(tail):
        for _, nxt in lines[lc + 1 :]:
            if _RESIDUE.match(nxt):
                continue
            cand = nxt.strip().lstrip("-–— ").strip()
            words = cand.split()
            if 1 < len(words) <= 12 and len(cand) <= 90 and not _BYLINE_BAD.search(cand):
                return cand
            break
    # 3. "«...»، قال الوزير فلان."
    rest_start = _AFTER_CLOSE.match(norm, nc + 1).end()  # type: ignore[union-attr]
    verb = _VERB_RE.match(norm, rest_start)
    if verb:
        limit = verb.start() + 120
        stop = _CLAUSE_STOP.search(norm, verb.end(), limit + 1)
        end = stop.start() if stop else len(norm)
        if end <= limit:
            s, e = t.span(verb.start(), end)
            return t.orig[s:e].strip() or None
    return None


# ---------------------------------------------------------------------------------- API


def find_candidates(text: str) -> list[Candidate]:
    """Every candidate fact in ``text``, sorted by (start, end, kind)."""
    t = Normalised(text)
    cands = _Parser(t).run() if t.norm else []
    cands += _quotations(t)
    return _same_days(t, sorted(cands, key=lambda c: (c.start, c.end, c.kind)))


def _same_days(t: Normalised, cands: list[Candidate]) -> list[Candidate]:
    """Link a Hijri date to the Gregorian date printed beside it with الموافق, before or
    after it ("15 رجب 1446 هـ الموافق 15 يناير 2025")."""
    dates = [c for c in cands if c.kind == "date"]
    linked = {}
    for a, b in pairwise(dates):
        if (a.calendar == "hijri") == (b.calendar == "hijri"):
            continue
        between = t.norm[t.to_norm(a.end) : t.to_norm(b.start)]
        if _SAME_DAY.match(between):
            hijri, gregorian = (a, b) if a.calendar == "hijri" else (b, a)
            linked[hijri.start] = gregorian.start
    return [replace(c, same_as=linked[c.start]) if c.start in linked else c for c in cands]


_TABLE_COLUMNS = (
    "kind",
    "start",
    "end",
    "value",
    "value_max",
    "scale",
    "currency",
    "date",
    "relative",
    "calendar",
    "nested_in",
    "text",
    "attribution",
)


def _cell(value: object, limit: int = 60) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    s = " ".join(str(value).split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def format_candidates(cands: list[Candidate], fmt: str) -> str:
    """Render candidates as JSON (for machines) or an aligned table (for a reviewer).

    The table marks an assumed currency (``currency_explicit`` False) with "?" so a reviewer
    sees at a glance which amounts still need their currency confirmed, and the value of an
    ambiguous phrase with "?" alone.
    """
    if fmt == "json":
        return json.dumps([asdict(c) for c in cands], ensure_ascii=False, indent=2, sort_keys=True)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; expected 'json' or 'table'")
    rows = [list(_TABLE_COLUMNS)]
    for c in cands:
        row = [_cell(getattr(c, col)) for col in _TABLE_COLUMNS]
        if c.currency is not None and c.currency_explicit is False:
            row[_TABLE_COLUMNS.index("currency")] += "?"
        if c.ambiguous:  # the words do not fix a value
            row[_TABLE_COLUMNS.index("value")] = "?"
        rows.append(row)
    widths = [max(len(r[k]) for r in rows) for k in range(len(_TABLE_COLUMNS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
