"""The period a figure is for, as far as the words beside it give it, and never further.

A year printed ("في عام 2024", "بحلول عام 2030") is `stated`. A period relative to the unprinted
date of the text ("العام الماضي", "منذ بداية العام", "في الأشهر العشرة الأولى من العام الجاري",
"الشهر الماضي") is resolved only against a date: the record's publication date, or a date the
article prints in full. It is then `inferred`, with the reason in the note; without such a
date it stays `relative`, its words kept. A span counted back from an unprinted day ("خلال
العشرين عامًا الماضية") is left `relative` even with a date: where it starts is not said.
Nothing is ever resolved against today's clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

from eaeu_facts.read.lexicon import HS, MONTHS, ORDINAL_DAYS, alt, normalise

_YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
_MONTH_COUNT = {
    "الاول": 1, "الاولي": 1, "الثلاثة": 3, "الثلاث": 3, "الاربعة": 4, "الخمسة": 5, "الستة": 6,
    "السبعة": 7, "الثمانية": 8, "التسعة": 9, "العشرة": 10, "الاحد عشر": 11,
}  # fmt: skip
_QUARTERS = {"الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الاخير": 4}
_THIS_YEAR = rf"(?:العام|السنة){HS}+(?:الجاري|الجارية|الحالي|الحالية)|هذا{HS}+العام|هذه{HS}+السنة"
_LAST_YEAR = (
    rf"(?:العام|السنة){HS}+(?:الماضي|الماضية|المنصرم|المنصرمة|الفائت|الفائتة|السابق|السابقة)"
)
_NEXT_YEAR = rf"(?:العام|السنة){HS}+(?:المقبل|المقبلة|القادم|القادمة)"
# The year after one the article names, not after the record's date: left relative.
_FOLLOWING_YEAR = rf"(?:العام|السنة){HS}+(?:التالي|التالية)"
_A_YEAR = r"(?:19|20)[0-9]{2}"
# A year as a period's words name it; "العام" or "السنة" alone ("الأشهر العشرة الأولى من
# العام") is the current one.
_ANY_YEAR = (
    rf"(?:{_THIS_YEAR}|{_LAST_YEAR}|{_NEXT_YEAR}|{_FOLLOWING_YEAR}|(?:عام|العام|سنة){HS}+{_A_YEAR}|{_A_YEAR}"
    rf"|(?:العام|السنة)(?!{HS}+(?:المقبل|القادم|التالي)))"
)
# A month, in any tradition, with "/" between two traditions' names ("كانون الثاني/يناير").
_MONTH = rf"(?:{alt(MONTHS)})(?:{HS}*/{HS}*(?:{alt(MONTHS)}))?"
_PATTERNS = [
    # From one month to another ("في الفترة من كانون الثاني/يناير إلى أيلول/سبتمبر 2024").
    (
        "month_range",
        rf"(?:في|خلال)?{HS}*(?:ال)?(?:فترة{HS}+)?(?:من|بين){HS}+(?:شهر{HS}+)?(?P<m1>{_MONTH})"
        rf"{HS}+(?:الي|إلى|و|حتي){HS}*(?:شهر{HS}+)?(?P<m2>{_MONTH})"
        rf"(?:{HS}+(?:من{HS}+)?(?P<which>{_ANY_YEAR}))?",
    ),
    # The first months of a year ("الأشهر التسعة الأولى"; "الأشهر التسعة", definite, of a
    # report on the year so far, is the same; the dual "الشهرين الأولين", two), or a quarter.
    (
        "months",
        rf"(?:في|خلال|منذ)?{HS}*(?P<the>ال)?(?:(?:اشهر|شهور){HS}+(?P<count>{alt(_MONTH_COUNT)})"
        rf"(?:{HS}+(?P<first>الاولي|الاول))?"
        rf"|(?P<two>شهرين|شهران){HS}+(?:الاوليين|الاولين|الاولان))"
        rf"(?!{HS}+(?:الماضي|الاخير|المقبل|القادم|المنصرم|السابق|الباقي|المتبقي))"
        # of a year, or of something else ("من تطبيق الاتفاقية", "بعد افتتاح المنطقة")
        rf"(?:{HS}+(?:من{HS}+)?(?P<which>{_ANY_YEAR})|(?P<of_other>{HS}+(?:من|بعد|منذ|عقب){HS}+\S+))?",
    ),
    (
        "half",
        rf"(?:في|خلال)?{HS}*(?:ال)?نصف{HS}+(?P<h>الاول|الثاني)"
        rf"(?:{HS}+(?:من{HS}+)?(?P<which>{_ANY_YEAR}))?",
    ),
    (
        "quarter",
        rf"(?:في|خلال)?{HS}*(?:ال)?ربع{HS}+(?P<q>{alt(_QUARTERS)})"
        rf"(?:{HS}+(?:من{HS}+)?(?P<which>{_ANY_YEAR}))?",
    ),
    ("since_start", rf"منذ{HS}+(?:بداية|مطلع){HS}+(?:(?P<which>{_ANY_YEAR})|العام|السنة)"),
    ("since_year", rf"منذ{HS}+(?:عام{HS}+)?{_YEAR}"),
    # Up to the end of a year, from no start the words give ("حتى نهاية العام الماضي"): an
    # accumulated figure's end.
    (
        "until_end",
        rf"(?:حتي|الي|لغاية){HS}+نهاية{HS}+(?:(?:عام|العام|سنة){HS}+{_YEAR}"
        rf"|(?P<last>{_LAST_YEAR})|(?P<this>{_THIS_YEAR}))",
    ),
    ("by_year", rf"(?:بحلول|حتي|بنهاية|مع{HS}+نهاية){HS}+(?:عام{HS}+|العام{HS}+)?{_YEAR}"),
    ("last_month", rf"(?:في|خلال)?{HS}*الشهر{HS}+(?:الماضي|المنصرم|الفائت)"),
    ("this_year", rf"(?:في|خلال|منذ)?{HS}*(?:{_THIS_YEAR})"),
    ("next_year", rf"(?:في|خلال)?{HS}*(?:{_NEXT_YEAR})"),
    ("last_year", rf"(?:في|خلال)?{HS}*(?:{_LAST_YEAR})"),
    (
        "rolling",
        rf"(?:في|خلال){HS}+(?:ال)?\S+{HS}+(?:\S+{HS}+)?"
        rf"(?:الماضية|الاخيرة|الماضي|الاخير|المقبلة|القادمة|المقبل|القادم)"
        rf"|(?:في{HS}+)?غضون{HS}+\S+(?:{HS}+\S+)?",
    ),
    ("year", rf"(?:في|خلال|عن|ل)?{HS}*(?:عام|العام|سنة|لعام)?{HS}*{_YEAR}(?![0-9])"),
]
_COMPILED = [(kind, re.compile(pattern)) for kind, pattern in _PATTERNS]


@dataclass(frozen=True)
class Period:
    """A period as a row gives it: its bounds, its words, its basis and, if inferred, why."""

    basis: str  # stated, relative, inferred, open
    start: dt.date | None = None
    end: dt.date | None = None
    printed: str | None = None  # the words as printed (original text)
    note: str | None = None


OPEN = Period("open")


def find_period(
    text: str,
    start: int,
    end: int,
    anchor: Anchor | None,
    skip: tuple[tuple[int, int], ...] = (),
    stock: bool = False,
) -> Period:
    """The period of the figure whose clause is text[start:end] (original offsets); words
    inside `skip` (a dateline's or a meeting's full date) are no period. A `stock` is as of
    the end of a span it is printed "بنهاية" of; a flow is of the span."""
    from eaeu_facts.read.lexicon import Normalised

    t = Normalised(text[start:end])
    for kind, pattern in _COMPILED:
        for m in pattern.finditer(t.norm):
            s, e = t.span(m.start(), m.end())
            if not any(a < start + e and start + s < b for a, b in skip):
                break
        else:
            continue
        at_end = _AT_END.search(t.norm[: m.start()]) if stock and kind in _SPANS else None
        if at_end:  # "بنهاية الربع الأول": the words, from "بنهاية"
            s = t.span(at_end.start(), m.end())[0]
        while s < e and t.orig[s].isspace():
            s += 1
        printed = t.orig[s:e].strip()
        period = _resolve(kind, m, printed, anchor)
        # "بنهاية عام 2024" of a stock: as of its end
        year_end = stock and kind == "by_year" and re.search(r"نهاية", t.norm[m.start() : m.end()])
        if period is not None and (at_end or year_end) and period.end is not None:
            return _as_of(period, printed)
        if period is not None:
            return period
    return OPEN


# "بنهاية الربع الأول", "حتى نهاية النصف الأول", "مع نهاية العام الماضي": a figure as of the end
# of a span (a stock), whose start the words do not give.
_AT_END = re.compile(rf"(?:ب|حتي{HS}+|الي{HS}+|لغاية{HS}+|مع{HS}+|في{HS}+)نهاية{HS}*$")
_SPANS = ("months", "half", "quarter", "month_range")


def _as_of(period: Period, printed: str) -> Period:
    note = f'"{printed}": as of {period.end}; the article does not say from when.'
    note += f" ({period.note})" if period.note else ""
    return Period("inferred", None, period.end, printed, note)


@dataclass(frozen=True)
class Anchor:
    """The date a relative period is counted from, and how the note names it."""

    date: dt.date
    said: str  # "the record's publication date (2025-03-12)", "11 March 2025, the date..."


def _resolve(kind: str, m: re.Match[str], printed: str, anchor: Anchor | None) -> Period | None:
    groups = m.groupdict()
    if kind == "year":
        year = int(groups["year"])
        return Period("stated", dt.date(year, 1, 1), dt.date(year, 12, 31), printed)
    if kind == "until_end":
        if groups.get("year"):
            year, how = int(groups["year"]), None
        elif anchor is None:
            return Period("relative", printed=printed)
        elif groups.get("last"):
            year, how = anchor.date.year - 1, f"the year before {anchor.said}"
        else:
            year, how = anchor.date.year, f"the year of {anchor.said}"
        note = f'"{printed}": up to {year}-12-31' + (f" ({how})" if how else "")
        note += "; the article does not say from when."
        return Period("inferred", None, dt.date(year, 12, 31), printed, note)
    if kind == "by_year":
        year = int(groups["year"])
        return Period("stated", dt.date(year, 1, 1), dt.date(year, 12, 31), printed)
    if kind == "since_year":
        year = int(groups["year"])
        note = f'"{printed}": from the start of {year}; the article does not say up to when.'
        return Period("inferred", dt.date(year, 1, 1), None, printed, note)
    if kind == "rolling":
        return Period("relative", printed=printed)
    if kind == "months" and groups.get("of_other"):
        return Period("relative", printed=printed)  # the first months of what it names
    if kind == "months" and not (groups.get("first") or groups.get("two") or groups.get("the")):
        return None  # "تسعة أشهر": nine months, of no year the words say
    partial = kind in ("months", "quarter", "half", "month_range")
    if partial and not groups.get("which") and anchor is None:
        return Period("relative", printed=printed)  # of which year, the words do not say
    year, how = _which_year(groups.get("which"), anchor)
    if kind == "next_year":
        if anchor is None:
            return Period("relative", printed=printed)
        year, how = anchor.date.year + 1, f"the year after {anchor.said}"
        return _dated(printed, dt.date(year, 1, 1), dt.date(year, 12, 31), how)
    if kind in ("last_year", "this_year"):
        year, how = _which_year(printed, anchor)
    if year is None:
        return Period("relative", printed=printed)
    if kind == "months":
        months = 2 if groups["two"] else _MONTH_COUNT[re.sub(r"\s+", " ", groups["count"])]
        last = calendar.monthrange(year, months)[1]
        period = _dated(printed, dt.date(year, 1, 1), dt.date(year, months, last), how)
        if groups.get("first") or groups.get("two"):  # the dual is always "the first two"
            return period
        note = f'"{printed}" ("the {months} months", not "the first") read as the first {months}'
        note += f" months of {year}" + (f", {how}" if how else "") + "."
        return replace(period, basis="inferred", note=note)
    if kind == "quarter":
        q = _QUARTERS[groups["q"]]
        last = calendar.monthrange(year, q * 3)[1]
        return _dated(printed, dt.date(year, q * 3 - 2, 1), dt.date(year, q * 3, last), how)
    if kind == "month_range":
        first, last = (_month(groups[k]) for k in ("m1", "m2"))
        if first > last:
            return None
        end = dt.date(year, last, calendar.monthrange(year, last)[1])
        return _dated(printed, dt.date(year, first, 1), end, how)
    if kind == "half":
        h = 1 if groups["h"] == "الاول" else 2
        last = calendar.monthrange(year, h * 6)[1]
        return _dated(printed, dt.date(year, h * 6 - 5, 1), dt.date(year, h * 6, last), how)
    if kind == "since_start":  # from 1 January; up to when, the words do not say
        if how is None:
            note = f'"{printed}": from 1 January {year}; no end is printed.'
            return Period("inferred", dt.date(year, 1, 1), None, printed, note)
        return _dated(printed, dt.date(year, 1, 1), None, how)
    if kind == "last_month":
        if anchor is None:
            return Period("relative", printed=printed)
        first = anchor.date.replace(day=1) - dt.timedelta(days=1)
        start = first.replace(day=1)
        note = f'"{printed}" read as the month before {anchor.said}.'
        return Period("inferred", start, first, printed, note)
    if kind in ("last_year", "this_year"):
        return _dated(printed, dt.date(year, 1, 1), dt.date(year, 12, 31), how)
    return None


# A period given by reference to the one before ("خلال الفترة ذاتها", "في العام نفسه").
_SAME = re.compile(
    rf"(?:في|خلال)?{HS}*(?:ال)?(?:فترة|عام|سنة|مدة){HS}+(?:نفسها|نفسه|ذاتها|ذاته|المذكورة|المذكور)"
    rf"|(?:في|خلال)?{HS}*نفس{HS}+(?:ال)?(?:فترة|عام|سنة|مدة)"
)


def same_period(text: str, start: int, end: int, before: list[Period]) -> Period:
    """The period of a figure whose sentence (text[start:end]) gives it by reference: the last
    period drafted before it, `inferred` with the words kept, or `relative` where that one is
    (the same past six months, counted from no printed date); else open."""
    from eaeu_facts.read.lexicon import Normalised

    t = Normalised(text[start:end])
    m = _SAME.search(t.norm)
    if m is None or not before:
        return OPEN
    s, e = t.span(m.start(), m.end())
    printed = t.orig[s:e].strip()
    last = before[-1]
    if last.start is None:
        return Period("relative", printed=printed)
    bounds = f"{last.start}" + (f" to {last.end}" if last.end else "")
    note = f'"{printed}" read as {bounds}, the period of the figure before it ("{last.printed}").'
    return Period("inferred", last.start, last.end, printed, note)


_OF_YEAR = re.compile(
    rf"(?:{_SAME.pattern}){HS}+من{HS}+(?:(?:عام|العام|سنة){HS}+)?(?P<year>(?:19|20)[0-9]{{2}})"
    rf"|(?:{_SAME.pattern}){HS}+من{HS}+(?P<before>العام|السنة){HS}+(?:الماضي|السابق|المنصرم|الماضية|السابقة)"
)


def same_period_of_year(text: str, start: int, end: int, before: list[Period]) -> Period | None:
    """ "في الفترة ذاتها من عام 2023": the months of the last dated period before it, in the
    year printed (or, "من العام الماضي", the year before that period's), inferred; None where
    the words are not these."""
    from eaeu_facts.read.lexicon import Normalised

    t = Normalised(text[start:end])
    # not the base of a comparison ("بزيادة 68% مقارنة بالفترة نفسها من العام الماضي")
    m = next(
        (
            m
            for m in _OF_YEAR.finditer(t.norm)
            if not re.search(
                r"(?:مقارنة|مقارنه|قياسا)\s*(?:ب|مع|الى|إلى|على)?\s*$|(?<!\w)عن\s*$",
                t.norm[: m.start()],
            )
        ),
        None,
    )
    dated = [p for p in before if p.start is not None and p.end is not None]
    if m is None or not dated:
        return None
    last = dated[-1]
    # "من العام الماضي": the year before the figure's it is set against
    year = int(m["year"]) if m["year"] else last.start.year - 1  # type: ignore[union-attr]
    try:
        first, final = last.start.replace(year=year), last.end.replace(year=year)  # type: ignore[union-attr]
    except ValueError:  # 29 February
        return None
    s, e = t.span(m.start(), m.end())
    printed = t.orig[s:e].strip()
    note = (
        f'"{printed}" read as {first} to {final}: the months of the figure before it '
        f'("{last.printed}") in {year}.'
    )
    return Period("inferred", first, final, printed, note)


def _month(words: str) -> int:
    """The number of a month as printed, the first of two names joined by "/"."""
    return MONTHS[re.sub(r"\s+", " ", words.split("/")[0].strip())]


def _which_year(words: str | None, anchor: Anchor | None) -> tuple[int | None, str | None]:
    """The year some words name, and how it was found (None: printed)."""
    if words is None:
        return (anchor.date.year, f"the current year of {anchor.said}") if anchor else (None, None)
    norm = normalise(words)
    if m := re.search(r"(?:19|20)[0-9]{2}", norm):
        return int(m.group()), None
    if anchor is None:
        return None, None
    if re.search(_LAST_YEAR, norm):
        return anchor.date.year - 1, f"the year before {anchor.said}"
    if re.search(_NEXT_YEAR, norm):
        return anchor.date.year + 1, f"the year after {anchor.said}"
    if re.search(_FOLLOWING_YEAR, norm):
        return None, None
    return anchor.date.year, f"the year of {anchor.said}"


def _dated(printed: str, start: dt.date, end: dt.date | None, how: str | None) -> Period:
    if how is None:
        return Period("stated" if end is not None else "inferred", start, end, printed,
                      None if end is not None else f'"{printed}": no end is printed.')  # fmt: skip
    bounds = start.isoformat() + (f" to {end.isoformat()}" if end else "")
    return Period("inferred", start, end, printed, f'"{printed}" read as {bounds}, {how}.')


def day_of(words: str) -> int | None:
    """The day an ordinal word gives ("الخامس عشر" -> 15)."""
    return ORDINAL_DAYS.get(re.sub(r"\s+", " ", normalise(words)))
