"""Whole facts from what an article names and prints: meetings with their type, date, place,
host and organisation; the people at each with the post and country printed there; quotations
with their speaker and meeting; trade between two countries, investment from one into
another and GDP growth, with their hedge, status and period; new people, places and
organisations; and, for every figure the finder reads that no row covers, a waiver that says
why. What the text does not give stays empty, with its basis `open`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eaeu_facts.draft.known import Entity, Known
from eaeu_facts.draft.link import (
    JOINT_COMMISSION,
    Linked,
    Mention,
    PostPrinted,
    after_titles,
    link,
)
from eaeu_facts.draft.periods import (
    OPEN,
    Anchor,
    Period,
    find_period,
    same_period,
    same_period_of_year,
)
from eaeu_facts.read.candidates import Candidate, find_candidates
from eaeu_facts.read.lexicon import (
    BW,
    HEDGES,
    NW,
    SPEECH_OPENING_VERBS,
    SPEECH_VERBS,
    Normalised,
    alt,
    hedge_before,
    normalise,
)
from eaeu_facts.read.numbers import FigureError, parse_amount, parse_percent

Row = dict[str, Any]

# Cue words, normalised: what kind of meeting a sentence reports.
_TALKS = re.compile(
    r"(?<!\w)[وف]?(?:محادثات|مباحثات|مشاورات|لقاء|لقائه|لقائها|التقي|التقت|يلتقي|استقبل|استقبلت|اجتمع|اجتمعت)(?!\w)"
    r"|(?:^|،\s*)[وف]?(?:بحث|بحثت|يبحث|تبحث)\s.*\sمع\s"  # "بحث X مع Y": talks
    r"|(?:اتصالا|اتصال|مكالمة|مكالمه)\s+(?:هاتفيا|هاتفي|هاتفية|هاتفيه|عبر\s+الفيديو)"
)
# A meeting word, also with its tanwin or a pronoun ("عقد ... اجتماعًا", "اجتماعه الدوري").
_COUNCIL = re.compile(r"(?<!\w)[وف]?(?:ب|ل)?(?:ال)?(?:اجتماع|جلسة|قمة|اجتماعات)(?:ا|ه|ها)?(?!\w)")
_FORUM = re.compile(
    r"(?<!\w)[وف]?(?:ب|ل)?(?:ال)?(?:منتدي|معرض|مؤتمر|مؤتمرا)(?!\w)"
    r"(?!\s+(?:ال)?(?:صحفي|صحفيا|صحافي|صحافيا)(?!\w))"  # a press conference is no forum
)
_MARGINS = re.compile(r"علي\s+هامش")
_MARGINS_OF = re.compile(r"علي\s+هامش\s+\S+")
_BACK = re.compile(
    r"(?<!\w)[وف]?(?:خلال|في|ب)?(?:ال)?(?:محادثات|مباحثات|لقاء|اجتماع|القمة|المنتدي)(?!\w)"
)
_HOSTED = re.compile(r"(?<!\w)[وف]?(?:استضافت|استضاف|تستضيف|يستضيف)(?:ه|ها)?(?!\w)")
# "زيارة عمل إلى", "زيارة رسمية يقوم بها نوفاك إلى"
_VISIT = re.compile(
    r"زيارة\s+(?:عمل\s+|رسمية\s+|دولة\s+)?"
    r"(?:(?:يقوم|تقوم|قام|قامت|يجريها|يؤديها)\s+(?:بها\s+)?(?:\S+\s+){0,3}?)?(?:الي|إلى)\s*$"
)
_TODAY = re.compile(r"(?<!\w)(?:امس|اليوم|غدا)(?!\w)")
# What a figure is: trade, investment, growth; what it is not (a length, a count).
_TRADE = re.compile(
    r"تبادل\s+التجاري|التبادل\s+التجاري|حجم\s+التجارة|التجارة|تجارة|صادرات|الصادرات|واردات|الواردات|التبادل"
)
_EXPORTS = re.compile(r"(?<!\w)[وف]?(?:ال)?صادرات")
_IMPORTS = re.compile(r"(?<!\w)[وف]?(?:ال)?واردات")
# Investment, and money pumped into an economy ("ضخّت الشركات ... في الاقتصاد").
_INVEST = re.compile(r"استثمار|استثمر|مستثمر|(?<!\w)[وف]?(?:ضخ|ضخت|يضخ|تضخ)(?!\w)")
# "أن يسجل الاقتصاد الكازاخستاني نموًا": of an economy a country's adjective names (not
# "سجل الاقتصاد الرقمي نموًا").
_RECORDED = re.compile(
    r"(?:حقق|سجل|[يت]حقق|[يت]سجل)\s+(?:ال)?اقتصاد\s+(?:ال)?(?P<nisba>\S+)\s+نموا"
    r"|(?:ال)?اقتصاد\s+(?:ال)?(?P<had>\S+)\s+قد\s+(?:حقق|سجل)\s+نموا"  # "قد سجل": recorded
)
_GDP = re.compile(
    r"الناتج\s+المحلي\s+الاجمالي|نمو\s+الاقتصاد|النمو\s+الاقتصادي|نمو\s+اقتصاد"
    r"|اقتصاد\s+\S+\s+(?:نما|ينمو|سينمو)|(?:نما|ينمو)\s+اقتصاد"
    r"|اقتصاد\s+\S+\s+(?:حقق|سجل|يحقق|يسجل|سيحقق|سيسجل)\s+نموا"
    r"|اقتصاد\s+\S+(?:\s+\S+){0,4}\s+بنمو"
)
# "بزيادة 6% على أساس سنوي" reports a rise, not an aim: it is no target word.
_TARGET = re.compile(
    r"هدف|نسعي|نطمح|نرفع|رفع\s+(?:حجم|التجارة|التبادل|الصادرات)|(?<!\w)(?:ب|ل)?رفع(?:ه|ها)(?!\w)"
    r"|زيادة\s+حجم|بحلول|نخطط|خطة|[نتي]عمل(?:ان)?\s+(?:علي|على)\s+(?:ان|أن)\s+[نتي](?:بلغ|صل|رتفع|زيد|تجاوز|تضاعف)"
    r"|مستهدف"
)
# A forecast: words of expecting, or a verb of the figure in the future tense (سـ).
_FORECAST = re.compile(
    r"يتوقع|تتوقع|توقع|المتوقع|توقعات|مرشح|مرجح|(?<!\w)[وف]?[يت]?رجح(?!\w)|(?<!\w)[وف]?(?:يرتقب|ينتظر)(?!\w)|من\s+(?:ال)?(?:مرتقب|منتظر)\s+(?:ان|أن)(?!\w)"
    r"|(?<!\w)[وف]?س[يت](?:بلغ|صل|رتفع|نمو|تجاوز"
    r"|نهي|سجل|زيد|تراجع|نخفض)(?!\w)"
)
_PRELIMINARY = re.compile(r"(?:تقديرات|بيانات)\s+(?:ال)?اولية")
# "في تقديرها الأولي": a preliminary estimate, unless the words say it is a forecast.
_FIRST_ESTIMATE = re.compile(r"تقدير(?:ها|ه)?\s+(?:ال)?اولي(?!\w)")
_ESTIMATE = re.compile(r"تقديرات|تقدير|(?<!\w)[وف]?(?:قدرت|قدر|يقدر|تقدر)(?!\w)")
_BETWEEN = re.compile(r"بين\s*$")
_SPEECH = re.compile(BW + rf"[وف]?(?:{alt(SPEECH_VERBS)}){NW}")
_OPENING_SPEECH = re.compile(rf"(?:^|[،,])\s*[وف]?(?:{alt(SPEECH_OPENING_VERBS)})$")
# A sentence that opens with a verb of speech and no one after it continues the last speaker.
_CONTINUED = re.compile(
    BW + rf"[وف]?(?:{alt(SPEECH_VERBS)})\s+(?:الي\s+|إلى\s+)?(?:ان|أن|إن|بان|بأن)\s"
)
# "The two countries, the two sides", in either case.
_TWO_SIDES = re.compile(r"البلدين|البلدان|بلدينا|بلدانا|الدولتين|الدولتان|الجانبين|الجانبان")
# A speaker named by title alone: "وأوضح الوزير (البيلاروسي) أن", "من جهته، أشار الوزير إلى
# أن".
_TITLED = re.compile(
    # "من جهته، أشار الوزير ..."
    r"\s*(?:[وف]?من\s+(?:جهته|جانبه|ناحيته|جهتها|جانبها)\s*[،,]\s*)?"
    rf"[وف]?(?:{alt(SPEECH_VERBS)})\s+(?P<words>(?:ال)?(?P<title>وزير|رئيس|سفير|نائب|ممثل"
    r"|محافظ|مدير|مسؤول|حاكم)(?:\s+(?:رئيس\s+)?(?:ال)?(?:وزراء|حكومة|وزير))?"
    r"(?:\s+(?!الي\s)ال(?P<nisba>\S+))?)"
    # an aside between commas may stand before what he said ("، في مقابلة مع ...، أن")
    r"(?:\s*[،,][^،,.\n]{1,80}[،,])?\s+(?:(?:الي|إلى)\s+)?(?:ان|أن|إن|بان|بأن)\s"
)
# Units a number counts that no table records, and the words of a range of years.
_NOT_FIGURES = {
    "a length or distance": r"كيلومتر|كيلومترا|كم|متر|ميل",
    "an area": r"كيلومتر\s+مربع|متر\s+مربع|هكتار",
    "a weight": r"طن|اطنان|الف\s+طن",
    "a power": r"ميغاواط|ميجاوات|غيغاواط|ميغاوات",
    "a count of companies": r"شركة|شركات",
    "a count of projects": r"مشروع|مشاريع|مشروعا",
    "a count of documents": r"اتفاقية|اتفاقيات|وثيقة|وثائق|مذكرة|مذكرات",
    "a count of people": r"شخص|اشخاص|مشارك|مشاركا|مشاركين|زائر|موظف",
}


@dataclass
class Context:
    """What assembling an article reads: the text, what it names, what the finder reads."""

    text: str
    known: Known
    published: dt.date | None
    linked: Linked = field(default_factory=Linked)
    candidates: list[Candidate] = field(default_factory=list)
    anchor: Anchor | None = None
    norm: Normalised | None = None
    periods: list[tuple[str, Period]] = field(default_factory=list)  # by the figure's status
    # The countries of the last figure drafted, and its sentence: a clause that names none
    # ("معربًا عن ثقته بإمكانية رفعه إلى ...", "فيما بلغت الاستثمارات الكازاخستانية ...")
    # continues the one before it.
    last_pair: tuple[tuple[int, int], list[str]] | None = None
    # The dated period of the last figure and its sentence: a clause set against it in the
    # same sentence ("، في حين بلغت وارداتها ...") that prints none is of the same period.
    last_period: tuple[tuple[int, int], Period] | None = None
    # The flow of the last trade figure: a base of comparison after it ("ترتفع صادراتنا إلى
    # مليار، مقابل 340 مليونًا في 2024") is of the same flow.
    last_flow: str | None = None


def assemble(text: str, known: Known, published: dt.date | None) -> dict[str, list[Row]]:
    """The draft facts of a text: table -> entries, each with its `evidence`."""
    known = known.copy()  # the article's new names are its own
    ctx = Context(text, known, published)
    ctx.norm = Normalised(text)
    ctx.linked = link(text, known)
    ctx.candidates = find_candidates(text)
    ctx.anchor = _anchor(ctx)
    sentences = _sentences(text)
    out: dict[str, list[Row]] = {}
    meetings = _meetings(ctx, sentences)
    for name, rows in (
        ("meetings", [m.row for m in meetings]),
        ("participants", [p for m in meetings for p in m.participants]),
        ("quotes", _quotes(ctx, meetings)),
        ("trade", []),
        ("investment", []),
        ("indicators", []),
    ):
        out[name] = rows
    for cand in ctx.candidates:
        if cand.kind == "amount":
            _figure(ctx, cand, sentences, meetings, out)
        elif cand.kind == "percentage":
            _indicator(ctx, cand, sentences, meetings, out)
    _speakers_at_their_meetings(ctx, out, meetings)
    entities = _entities(ctx, out)
    for name in ("organizations", "places", "people"):
        out[name] = entities.get(name, [])
    _unnamed_left_out(out)
    out["waivers"] = _waivers(ctx, out)
    _ids(ctx, out)
    order = (
        "organizations", "places", "people", "meetings", "participants", "quotes", "trade",
        "investment", "indicators", "waivers",
    )  # fmt: skip
    return {name: out[name] for name in order if out.get(name)}


# Sentences and anchors ---------------------------------------------------------------------


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) of the original text: a line, cut at a full stop, a question
    or exclamation mark that no digit follows."""
    out, start = [], 0
    for i, ch in enumerate(text):
        cut = ch == "\n" or (ch in ".!?؟" and not (i + 1 < len(text) and text[i + 1].isdigit()))
        if cut:
            if text[start:i].strip():
                out.append(_trimmed(text, start, i + (ch != "\n")))
            start = i + 1
    if text[start:].strip():
        out.append(_trimmed(text, start, len(text)))
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \t.،,":
        end -= 1
    return start, end


def _sentence_of(sentences: list[tuple[int, int]], at: int) -> tuple[int, int]:
    return next(((s, e) for s, e in sentences if s <= at < e), (at, at))


def _anchor(ctx: Context) -> Anchor | None:
    """The date relative words are counted from: the record's, or the first full date the
    article prints."""
    if ctx.published is not None:
        return Anchor(ctx.published, f"the record's publication date ({ctx.published.isoformat()})")
    for cand in ctx.candidates:
        if (
            cand.kind == "date"
            and cand.calendar is None
            and cand.date
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:/\d{4}-\d{2}-\d{2})?", cand.date)
        ):  # a day, or days ("يومي 27 و28 أيلول/سبتمبر 2024"): the first
            day = dt.date.fromisoformat(cand.date[:10])
            return Anchor(day, f"{day.isoformat()}, the date the article prints ({cand.text})")
    return None


# Meetings and participants ------------------------------------------------------------------


@dataclass
class Meeting:
    row: Row
    start: int
    end: int
    countries: list[str]
    participants: list[Row] = field(default_factory=list)
    sentence: int = -1  # where the sentence that reports it starts


# "عقد X ... اجتماعًا ... مع Y": talks, where two people are named (not "اجتماعا لمناقشة
# التعاون مع روسيا").
_HELD_WITH = re.compile(r"(?:^|،\s*)[وف]?(?:عقد|عقدت)\s.*(?<!\w)اجتماعا(?!\w).*\sمع\s")
# A session of a joint commission of two governments: talks of the two, the commission's.
_COMMISSION_MET = re.compile(
    rf"(?:اجتماع|اجتماعات|الدورة|دورة|انعقاد|عقدت|تعقد)\S*\s(?:\S+\s){{0,3}}?(?:{JOINT_COMMISSION})"
    rf"|(?:{JOINT_COMMISSION})\s+(?:اجتماع|الدورة|دورة)\S*"
)


def _kind_of(norm: str) -> str | None:
    if _FORUM.search(norm):
        return "forum"
    if _COUNCIL.search(norm) and re.search(r"مجلس|المجلس|قمة|القمة|رؤساء", norm):
        return "intergovernmental_council"
    if _TALKS.search(norm) or _COMMISSION_MET.search(norm) or _HELD_WITH.search(norm):
        return "bilateral_talks"
    return None


def _meetings(ctx: Context, sentences: list[tuple[int, int]]) -> list[Meeting]:
    """A meeting for each sentence that reports one with someone or some body at it; a later
    sentence that refers back to it ("خلال المحادثات") adds nothing new."""
    meetings: list[Meeting] = []
    for sentence, (s, e) in _talks_apart(ctx.text, sentences):
        norm = normalise(ctx.text[s:e])
        if meetings and _TOOK_PART.search(norm):  # "وشارك في القمة الرئيس ..."
            _take_part(ctx, meetings[-1], s, e)
            continue
        if meetings and _SPOKEN_AT.match(norm):
            continue  # "وقال عارف خلال لقائه باشينيان: ...": a meeting reported already
        kind = _kind_of(_MARGINS_OF.sub("، ", norm))  # "على هامش القمة": the parent's word
        if kind is None:
            continue
        if (
            kind == "forum"
            and any(m.row["meeting_type"] == "forum" for m in meetings)
            and re.search(r"(?<!\w)(?:امام|في|خلال)\s+(?:ال|هذا\s+ال)(?:منتدي|مؤتمر|معرض)", norm)
            and not _opens_event(ctx, norm, s, e)
        ):
            continue  # "في كلمته أمام المنتدى": the forum reported already
        people = list(ctx.linked.of("person", s, e))
        orgs = _named_by_cue(ctx, s, e) if kind != "bilateral_talks" else _commission(ctx, s, e)
        if meetings and not people and _BACK.search(norm) and kind == "bilateral_talks":
            continue  # the talks reported already
        if kind == "bilateral_talks" and re.search(r"(?:لقائه|لقائها|محادثاته|محادثاتها)", norm):
            people = _with_subject(ctx, s, people)  # "in his meeting with X": he, and X
        held = not _TALKS.search(norm) and not _COMMISSION_MET.search(norm)
        if kind == "bilateral_talks" and held and len(people) < 2:
            continue  # "عقد ... اجتماعا ... مع": with someone named, not a meeting on a topic
        if kind == "bilateral_talks" and people:
            people = [*people, *_unnamed(ctx, s, e, people)]
        if _PLANNED.search(norm) or (kind == "bilateral_talks" and not people):
            continue  # still to come ("ومن المقرر أن ... يلتقي", "القمة المقبلة"), or no one
        # A council needs its body or its attendees named; a forum, its own host, its people.
        if (
            kind != "bilateral_talks"
            and not orgs
            and not _ATTENDEES.search(norm)
            and not (kind == "forum" and (people or _opens_event(ctx, norm, s, e)))
        ):
            continue
        same = [m for m in meetings if orgs and m.row.get("organization_id") is orgs[0].entity]
        if same:
            continue  # the council reported already ("على هامش اجتماع المجلس")
        # The second talks of a sentence are on the margins its first are on.
        # So are talks a sentence adds with «كما» right after talks on the margins ("وعلى
        # هامش الاجتماع، بحث ...", then "كما عقد بيكتينوف لقاءً مع أريبوف").
        also = kind == "bilateral_talks" and re.match(r"\s*[وف]?كما\s", norm) is not None
        margins = bool(meetings) and meetings[-1].end <= s
        margins = margins and (meetings[-1].sentence == sentence or also)
        margins = margins and "parent_meeting_id" in meetings[-1].row
        meetings.append(_meeting(ctx, kind, s, e, people, orgs, meetings, margins))
        meetings[-1].sentence = sentence
    return meetings


def _opens_event(ctx: Context, norm: str, s: int, e: int) -> bool:
    """A forum the sentence says opened or was held, where and when."""
    held = re.search(r"انطلقت|انطلق|افتتح|افتتحت|استضافت|استضاف|عقد|عقدت|اختتمت|اختتم", norm)
    where = ctx.linked.of("place", s, e)
    return bool(held and where)


_SPOKEN_AT = re.compile(
    rf"[وف]?(?:{alt(SPEECH_VERBS)})(?:\s+\S+){{0,3}}?\s+(?:خلال|في|اثناء)\s+"
    r"(?:ال)?(?:لقائه|لقائها|لقائهما|محادثاته|محادثاتها|المحادثات|المباحثات|الاجتماع|القمة|المنتدي)"
)
_PLANNED = re.compile(
    r"من\s+(?:المقرر|المنتظر|المرتقب|المتوقع)|(?<!\w)(?:ال)?مزمع(?!\w)|(?<!\w)[وف]?س(?:يلتقي|يجري|يعقد|تعقد|تجري)(?!\w)"
    r"|(?:اجتماع|الاجتماع|قمة|القمة|جلسة|الجلسة|الدورة)(?:\s+\S+){0,4}?\s+المقبل(?:ة)?(?!\w)"
)
_TOOK_PART = re.compile(
    r"^(?:و|ف)?(?:كما\s+)?(?:شارك|يشارك|شاركت|حضر|حضرت|يحضر|ترأس|ترأست|يترأس|تترأس)(?!\w)"
    r"|(?<!\w)(?:بمشاركة|بحضور)(?!\w)"
)


def _take_part(ctx: Context, meeting: Meeting, s: int, e: int) -> None:
    """The people a sentence says took part in the meeting reported before it."""
    for m in ctx.linked.of("person", s, e):
        if any(p["person_id"] is m.entity for p in meeting.participants):
            continue
        row = _participant(ctx, meeting, m)
        if row is not None:
            meeting.participants.append(row)
            code = row["country_code"]
            if code not in meeting.countries:
                meeting.countries.append(code)


_HELD_BY = re.compile(r"(?:^|\s)[وف]?(?:عقد|عقدت|يعقد|تعقد)\s*$")
_ATTENDEES = re.compile(r"رؤساء\s+(?:حكومات|دول|وزراء)|قادة\s+دول")


def _commission(ctx: Context, s: int, e: int) -> list[Mention]:
    """The joint commission whose session the sentence reports, if it names one."""
    if not _COMMISSION_MET.search(normalise(ctx.text[s:e])):
        return []
    return [
        m
        for m in ctx.linked.of("organization", s, e)
        if re.fullmatch(JOINT_COMMISSION, normalise(m.entity.name_ar))
    ][:1]


def _named_by_cue(ctx: Context, s: int, e: int) -> list[Mention]:
    """The organisations a meeting word names (اجتماع المجلس الحكومي الأوراسي)."""
    text = ctx.text
    out = []
    for m in ctx.linked.of("organization", s, e):
        before = normalise(text[max(s, m.start - 12) : m.start])
        if re.search(r"(?:اجتماع|جلسة|قمة|اجتماعات|منتدي|مؤتمر)\s*(?:ل|ب)?$", before):
            out.append(m)
        elif _HELD_BY.search(normalise(text[max(s, m.start - 8) : m.start])):
            out.append(m)  # the body as the subject: "عقد المجلس ... اجتماعًا"
    return out


_TALKS_APART = re.compile(
    r"،\s*(?:فيما|بينما|في\s+حين)\s+(?=(?:التقي|التقت|بحث|بحثت|اجري|اجرت|استقبل|استقبلت)\s)"
)


def _talks_apart(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, tuple[int, int]]]:
    """A sentence that reports two talks ("بحث ميشوستين مع نظيره ...، فيما التقى بيكتينوف
    رئيس الوزراء الكوبي ...") as two, cut where the second opens; each with its sentence's
    start."""
    out = []
    for s, e in sentences:
        t = Normalised(text[s:e])
        at = s
        for m in _TALKS_APART.finditer(t.norm):
            out.append((s, (at, s + t.span(m.start(), m.start() + 1)[0])))
            at = s + t.span(m.end(), m.end() + 1)[0]
        out.append((s, (at, e)))
    return out


def _unnamed(ctx: Context, s: int, e: int, people: list[Mention]) -> list[Mention]:
    """The people talks name by post alone ("التقى بيكتينوف رئيس الوزراء الكوبي") or as a
    counterpart ("بحث ميشوستين مع نظيره القيرغيزي"): the one person of that country the
    article named before (of that post, or of the rank of the one whose counterpart he is,
    where it named several)."""
    t = Normalised(ctx.text[s:e])
    named = {id(m.entity) for m in people}
    beside = {m.post.start for m in ctx.linked.of("person") if m.post is not None}
    out = []
    for post in _bare_posts(ctx):
        if s <= post.start < e and post.country and post.start not in beside:
            holder = _holder(ctx, s, post.country, lambda p, post=post: p.post == post.post)
            if holder is not None and id(holder) not in named:
                named.add(id(holder))
                out.append(Mention(holder, post.start, post.end, (post.start, post.end), post))
    for m in re.finditer(r"(?<!\w)[وف]?نظير(?:ه|ته)\s+(?:ال)?(\S+)", t.norm):
        code = ctx.known.nisba.get(m.group(1))
        subject = _post_of(ctx, people[0])
        rank = subject.post.rank if subject is not None else None
        holder = _holder(ctx, s, code, lambda p, rank=rank: p.post.rank == rank) if code else None
        if holder is not None and id(holder) not in named:
            named.add(id(holder))
            start, end = (s + i for i in t.span(m.start(), m.end()))
            out.append(Mention(holder, start, end, (start, end)))
    return out


def _holder(ctx: Context, before: int, code: str, of_post: Callable[[PostPrinted], bool]) -> Any:
    """The person of a country named before `before`: the only one, or the only one whose
    printed post passes `of_post`."""
    people: dict[int, tuple[Any, list[PostPrinted]]] = {}
    for m in ctx.linked.of("person", 0, before):
        if ((m.post.country if m.post else None) or m.entity.country_code) == code:
            entry = people.setdefault(id(m.entity), (m.entity, []))
            if m.post is not None:
                entry[1].append(m.post)
    if len(people) == 1:
        return next(iter(people.values()))[0]
    fitting = [entity for entity, posts in people.values() if any(map(of_post, posts))]
    return fitting[0] if len(fitting) == 1 else None


def _with_subject(ctx: Context, s: int, people: list[Mention]) -> list[Mention]:
    """The person a possessive ("لقائه") refers back to: the last named before the sentence."""
    before = list(ctx.linked.of("person", 0, s))
    if before and all(m.entity is not before[-1].entity for m in people):
        return [before[-1], *people]
    return people


def _meeting(
    ctx: Context,
    kind: str,
    s: int,
    e: int,
    people: list[Mention],
    orgs: list[Mention],
    before: list[Meeting],
    margins: bool = False,
) -> Meeting:
    text = ctx.text
    row: Row = {"meeting_id": None, "meeting_type": kind}
    org = orgs[0] if orgs else None
    if kind != "bilateral_talks" and org is not None:
        row["name_ar"] = _meeting_words(text, s, org)
        row["organization_id"] = org.entity
    elif org is not None:  # a joint commission's session
        row["organization_id"] = org.entity
    if margins or _MARGINS.search(normalise(text[s:e])):
        parent = next(
            (m for m in reversed(before) if m.row["meeting_type"] != "bilateral_talks"), None
        )
        if parent is not None:
            row["parent_meeting_id"] = parent
    if "parent_meeting_id" in row:  # on the margins: where and when are the parent's, unsaid
        row.update(date_basis="open", place_basis="open")
    else:
        row.update(_same_day(ctx, s, e, before) or _date(ctx, s, e))
        row.update(_place(ctx, s, e))
    host = _host(ctx, s, e, row)
    visit = re.search(r"(?:خلال|اثناء)\s+زيارت(?:ه|ها)(?!\w)", normalise(text[s:e]))
    if not host and visit and before and before[-1].row.get("host_country_code"):
        host = before[-1].row["host_country_code"]  # "خلال زيارته": the visit's host
        row.setdefault("country_code", host)
    if host:
        row["host_country_code"] = host
    countries: list[str] = []
    for m in people:
        code = (m.post.country if m.post else None) or m.entity.country_code
        if code and code not in countries:
            countries.append(code)
    row["_countries"] = countries
    meeting = Meeting(row, s, e, countries)
    row["name_en"] = _meeting_name(ctx, kind, org, countries, s, e)
    row["evidence"] = text[s:e]
    for m in people:
        participant = _participant(ctx, meeting, m)
        if participant is not None and not any(
            p["person_id"] is m.entity for p in meeting.participants
        ):
            meeting.participants.append(participant)
    return meeting


def _meeting_words(text: str, s: int, org: Mention) -> str:
    """The words that name the meeting: from its cue word through the body's name."""
    head = text[s : org.start]
    cue = list(re.finditer(r"(?:اجتماع|جلسة|قمة|القمة|اجتماعات)", head))
    start = s + cue[-1].start() if cue else org.start
    return text[start : org.end]


def _meeting_name(
    ctx: Context, kind: str, org: Mention | None, countries: list[str], s: int, e: int
) -> str:
    names = [ctx.known.countries[c].name_en for c in countries if c in ctx.known.countries]
    if kind == "bilateral_talks":
        return f"{'–'.join(names[:2])} talks" if names else "Bilateral talks"
    if kind == "forum":
        quoted = re.search(r'["«]([A-Za-z][^"»]{1,60})["»]', ctx.text[s:e])
        return f"{quoted.group(1)} forum" if quoted else "Forum"
    if org is not None and org.entity.name_en:
        return f"Meeting of the {org.entity.name_en}"
    return "Council meeting"


_SAME_DAY = re.compile(
    r"(?<!\w)[وف]?(?P<words>(?:في\s+)?(?:اليوم\s+(?:ذاته|نفسه)|ذات\s+اليوم|نفس\s+اليوم))"
)


def _same_day(ctx: Context, s: int, e: int, before: list[Meeting]) -> Row | None:
    """ "وفي اليوم ذاته": the day of the meeting reported before, inferred, saying so."""
    t = Normalised(ctx.text[s:e])
    m = _SAME_DAY.search(t.norm)
    dated = next((b for b in reversed(before) if b.row.get("date")), None)
    if m is None or dated is None:
        return None
    start, end = t.span(m.start("words"), m.end("words"))
    printed = ctx.text[s + start : s + end].strip()
    return {
        "date": dated.row["date"],
        "date_as_printed_ar": printed,
        "date_basis": "inferred",
        "note_en": f'"{printed}" is the day of the meeting reported before, {dated.row["date"]}.',
    }


def _date(ctx: Context, s: int, e: int) -> Row:
    """The meeting's date as far as its sentence gives it."""
    text = ctx.text
    # A date in what the sentence reports ("أكد أن ... في ديسمبر الماضي") is not the meeting's.
    reported = re.search(r"(?<!\w)(?:أن|إن|بأن)\s", text[s:e])
    e = s + reported.start() if reported else e
    for cand in ctx.candidates:
        if cand.kind != "date" or not s <= cand.start < e or cand.calendar == "hijri":
            continue
        if _is_dateline(text, cand):
            continue  # "أستانا 14 نوفمبر 2024 (شينخوا)": the wire's date, not the meeting's
        date = cand.date or ""
        printed = _with_day_word(text, cand.start, cand.end)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            return {"date": date, "date_as_printed_ar": printed, "date_basis": "stated"}
        if days := re.fullmatch(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})", date):
            return {  # "يومي 27 و28 أيلول/سبتمبر 2024": a meeting of days, dated by its first
                "date": days[1],
                "date_as_printed_ar": printed,
                "date_basis": "stated",
                "note_en": f"Held over the days {days[1]} to {days[2]}; dated by the first.",
            }
        if re.fullmatch(r"--\d{2}-\d{2}", date) and ctx.anchor is not None:
            year = ctx.anchor.date.year
            note = f"The year is not printed with the date; {year} is read from {ctx.anchor.said}."
            return {
                "date": f"{year}{date[1:]}",
                "date_as_printed_ar": printed,
                "date_basis": "inferred",
                "note_en": note,
            }
        return {
            "date_as_printed_ar": printed,
            "date_basis": "relative" if cand.relative else "open",
        }
    norm = ctx.norm
    assert norm is not None
    ns, ne = norm.to_norm(s), norm.to_norm(e)
    m = _TODAY.search(norm.norm, ns, ne) or _WEEKDAY.search(norm.norm, ns, ne)
    if m is None:
        if vague := _VAGUE_DAY.search(norm.norm, ns, ne):  # no day the anchor could fix
            start, end = norm.span(vague.start(), vague.end())
            return {"date_as_printed_ar": text[start:end], "date_basis": "relative"}
        return {"date_basis": "open"}
    start, end = norm.span(m.start(), m.end())
    printed = text[start:end]
    if ctx.anchor is None:
        return {"date_as_printed_ar": printed, "date_basis": "relative"}
    anchor = ctx.anchor.date
    if m.re is _TODAY:
        day = anchor + dt.timedelta(days={"امس": -1, "اليوم": 0, "غدا": 1}[m.group()])
    else:  # the last such weekday: on or before the anchor, or before it if "الماضي"
        back = (anchor.weekday() - _WEEKDAYS[m["day"]]) % 7
        day = anchor - dt.timedelta(days=back or (7 if m["past"] else 0))
    note = f'"{printed}" read as {day.isoformat()}, against {ctx.anchor.said}.'
    return {
        "date": day.isoformat(),
        "date_as_printed_ar": printed,
        "date_basis": "inferred",
        "note_en": note,
    }


_VAGUE_DAY = re.compile(
    r"(?<!\w)(?:مطلع|بداية|اوائل|منتصف|اواخر|نهاية)\s+(?:الشهر|الاسبوع)\s+(?:الجاري|الحالي|الماضي)"
    r"|(?<!\w)(?:الاسبوع|الشهر)\s+(?:الماضي|المنصرم|الفائت)"
)
_WEEKDAYS = {
    "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4, "السبت": 5,
    "الاحد": 6,
}  # fmt: skip
_WEEKDAY = re.compile(
    rf"(?<!\w)(?:يوم\s+)?(?P<day>{'|'.join(_WEEKDAYS)})(?P<past>\s+الماضي)?(?!\w)"
)


def _is_dateline(text: str, cand: Candidate) -> bool:
    """A date that opens its line after a city's name and is followed by the agency's name
    in brackets."""
    line_start = text.rfind("\n", 0, cand.start) + 1
    return cand.start - line_start <= 30 and bool(re.match(r"\s*\(", text[cand.end :]))


def _with_day_word(text: str, start: int, end: int) -> str:
    """A date with the weekday printed right before it (يوم الثلاثاء 11 مارس 2025)."""
    before = text[max(0, start - 20) : start]
    m = re.search(r"(يوم\s+\S+\s+)$", before)
    return text[start - len(m.group(1)) : end] if m else text[start:end]


def _place(ctx: Context, s: int, e: int) -> Row:
    """The city the sentence puts the meeting in (after في or with ب), or its country."""
    text = ctx.text
    for m in ctx.linked.of("place", s, e):
        before = normalise(text[max(s, m.start - 40) : m.start])
        attached = normalise(text[m.start : m.name[0]])
        if "ب" in attached or _IN_PLACE.search(before):
            return {
                "place_id": m.entity,
                "place_as_printed_ar": text[m.start : m.end],
                "place_basis": "stated",
                "country_code": m.entity.country_code,
            }
    for m in ctx.linked.of("country", s, e):
        before = normalise(text[max(s, m.start - 12) : m.start])
        if re.search(r"(?:في|عاصمة)\s*$", before) and m.entity.id:
            return {"country_code": m.entity.id, "place_basis": "open"}
    return {"place_basis": "open"}


# "في مينسك", "في العاصمة البيلاروسية مينسك", "استضافت العاصمة البيلاروسية مينسك".
_IN_PLACE = re.compile(
    r"(?:(?<!\w)في|(?<!\w)[وف]?(?:استضافت|استضاف|تستضيف|يستضيف))\s+"
    r"(?:مدينة\s+|بلدة\s+|قرية\s+|العاصمة\s+(?:\S+\s+)?)?$"
)


def _host(ctx: Context, s: int, e: int, row: Row) -> str | None:
    text, norm = ctx.text, normalise(ctx.text[s:e])
    if _HOSTED.search(norm):
        for m in ctx.linked.mentions:
            if s <= m.start < e and m.entity.kind in ("country", "place"):
                code = m.entity.id if m.entity.kind == "country" else m.entity.country_code
                if code:
                    return code
    for m in ctx.linked.mentions:
        if not s <= m.start < e or m.entity.kind not in ("country", "place"):
            continue
        if _VISIT.search(normalise(text[max(s, m.start - 30) : m.start])):
            return m.entity.id if m.entity.kind == "country" else m.entity.country_code
    if re.search(r"(?<!\w)[وف]?استقبل", norm) and isinstance(row.get("place_id"), Entity):
        return row["place_id"].country_code
    return None


def _post_of(ctx: Context, m: Mention) -> Any:
    """The post printed beside this mention, or else beside another mention of the person."""
    if m.post is not None:
        return m.post
    for other in ctx.linked.mentions:
        if other.entity is m.entity and other.post is not None:
            return other.post
    # A post printed alone ("وأعرب الرئيس الكازاخستاني عن ...") is his where he is the only
    # person of that country the article names.
    code = m.entity.country_code
    people = {id(o.entity) for o in ctx.linked.of("person") if o.entity.country_code == code}
    if code and people == {id(m.entity)}:
        return next((p for p in _bare_posts(ctx) if p.country == code), None)
    return None


def _participant(ctx: Context, meeting: Meeting, m: Mention) -> Row | None:
    post = _post_of(ctx, m)
    country = (post.country if post else None) or m.entity.country_code
    if post is None or country is None:
        return None
    # The post and the name, in whichever order they are printed ("الرئيس X" or "X الرئيس").
    start, end = m.name
    if m.post is post:
        start, end = min(start, post.start), max(end, post.end)
    row = {
        "meeting_id": meeting,
        "person_id": m.entity,
        "country_code": country,
        "post_ar": post.text,
        "post_en": _post_en(ctx, post.post.post_en, country),
        "participation_basis": "stated",
        "evidence": ctx.text[start:end],
    }
    if post.home:
        name = ctx.known.countries[country].name_en if country in ctx.known.countries else country
        row["note_en"] = (
            f"The post names no country; read as {name}'s, the country of the dateline's city "
            "(a wire prints its own country's officials so)."
        )
    return row


def _post_en(ctx: Context, post_en: str, country: str | None) -> str:
    name = ctx.known.countries[country].name_en if country in ctx.known.countries else None
    return f"{post_en} of {name}" if name else post_en


def _speakers_at_their_meetings(
    ctx: Context, out: dict[str, list[Row]], meetings: list[Meeting]
) -> None:
    """Who speaks of a meeting was at it: a speaker or a figure's source not listed among its
    participants is added, `inferred` with why, where their post is printed; a figure whose
    source is not is drafted without one, a quotation not at all."""
    sources = (
        ("quotes", "speaker_person_id"),
        ("trade", "stated_by_person_id"),
        ("investment", "stated_by_person_id"),
        ("indicators", "stated_by_person_id"),
    )
    for table, key in sources:
        kept = []
        for row in out.get(table, []):
            person, meeting = row.get(key), row.get("meeting_id")
            if isinstance(person, Entity) and isinstance(meeting, Meeting):
                at = any(p["person_id"] is person for p in meeting.participants)
                was = _attended(meetings, meeting, person) if not at else None
                if was is not None:  # "وقال عارف" after the ministers' talks he was not at
                    row["meeting_id"] = meeting = was
                    at = True
                if not at and not _add_inferred(ctx, meeting, person):
                    if table == "quotes":
                        continue
                    del row[key]
            kept.append(row)
        out[table] = kept
    out["participants"] = [p for m in meetings for p in m.participants]


def _attended(meetings: list[Meeting], meeting: Meeting, person: Entity) -> Meeting | None:
    """The last meeting reported before `meeting` that names `person` among its participants,
    where `meeting` does not: what he says is of the meeting he was at."""
    earlier = meetings[: meetings.index(meeting)]
    return next(
        (m for m in reversed(earlier) if any(p["person_id"] is person for p in m.participants)),
        None,
    )


def _add_inferred(ctx: Context, meeting: Meeting, person: Entity) -> bool:
    mention = next((m for m in ctx.linked.mentions if m.entity is person and m.post), None)
    if mention is None:
        return False
    row = _participant(ctx, meeting, mention)
    if row is None:
        return False
    row["participation_basis"] = "inferred"
    row["note_en"] = (
        "Quoted, or giving a figure, in the account of this meeting; the text does not name "
        "them among its participants."
    )
    meeting.participants.append(row)
    return True


# Quotations ------------------------------------------------------------------------------


def _quotes(ctx: Context, meetings: list[Meeting]) -> list[Row]:
    rows = []
    for cand in ctx.candidates:
        if cand.kind != "quotation" or cand.nested_in is not None:
            continue
        if len(cand.text.split()) < 4:
            continue  # a name in quotation marks, not a quotation
        speaker, attribution, post = _speaker(ctx, cand)
        meeting = _meeting_at(meetings, cand.start)
        if speaker is None or meeting is None or post is None:
            continue
        nested = any(c.kind == "quotation" and c.nested_in == cand.start for c in ctx.candidates)
        rows.append(
            {
                "quote_id": None,
                "speaker_person_id": speaker.entity,
                "meeting_id": meeting,
                "text_en": None,
                "attribution_ar": attribution,
                "speaker_post_en": _post_en(
                    ctx, post.post.post_en, post.country or speaker.entity.country_code
                ),
                "has_nested_quotation": nested,
                "evidence": cand.text,
                "_span": (cand.start, cand.end),
            }
        )
    return rows


def _speaker(ctx: Context, cand: Candidate) -> tuple[Mention | None, str | None, Any]:
    """The person a quotation is by: named on the line under it, or in the words that
    introduce it (قال فلان:)."""
    text = ctx.text
    line_end = text.find("\n", cand.end)
    if line_end != -1:
        next_end = text.find("\n", line_end + 1)
        next_end = len(text) if next_end == -1 else next_end
        # A name line may open with a title ("الأمير عبد العزيز بن سلمان وزير الطاقة
        # السعودي"), where it holds nothing but the name and the post.
        name_at = after_titles(text, line_end + 1)
        for m in ctx.linked.of("person", line_end + 1, next_end):
            titled = m.post is not None and not text[m.post.end : next_end].strip()
            if m.post is not None and (m.start <= line_end + 2 or (titled and m.start <= name_at)):
                return m, text[line_end + 1 : next_end].strip(), m.post
    if cand.attribution:
        at = text.rfind(cand.attribution, 0, cand.start)
        if at != -1:
            for m in ctx.linked.of("person", at, at + len(cand.attribution)):
                return m, cand.attribution, _post_of(ctx, m)
    return _introduced(ctx, cand)


def _introduced(ctx: Context, cand: Candidate) -> tuple[Mention | None, str | None, Any]:
    """The speaker the sentence that leads into a quotation names ("وشدد بيكتينوف في كلمته
    على أن "..."", "وأضاف الوزير البيلاروسي أن ...، قائلًا:" on the line before it)."""
    text = ctx.text
    intro_s = text.rfind("\n", 0, cand.start) + 1
    if not text[intro_s : cand.start].strip(' "«“'):
        intro_s = text.rfind("\n", 0, max(intro_s - 1, 0)) + 1
    if not re.search(r"[:：]|(?:أن|إن|بأن)\s*[\"«“]?$", text[intro_s : cand.start].rstrip()):
        return None, None, None  # words that lead into it, not a sentence before it
    for m in reversed(ctx.linked.of("person", intro_s, cand.start)):
        if _SPEECH.search(normalise(text[intro_s : m.start])[-25:]):
            return m, text[m.name[0] : m.name[1]], _post_of(ctx, m)
    intro = Normalised(text[intro_s : cand.start])
    titled = _TITLED.match(intro.norm)
    person = _titled(ctx, intro.norm, intro_s) if titled else None
    mentions = [m for m in ctx.linked.of("person", 0, intro_s) if m.entity is person]
    if titled is None or not mentions:
        return None, None, None
    start, end = intro.span(titled.start("words"), titled.end("words"))
    return mentions[-1], intro.orig[start:end], _post_of(ctx, mentions[-1])


def _meeting_at(meetings: list[Meeting], at: int) -> Meeting | None:
    """The meeting a passage at `at` is about: the last one reported before it."""
    found = None
    for meeting in meetings:
        if meeting.start <= at:
            found = meeting
    return found


# Figures ---------------------------------------------------------------------------------


def _figure(
    ctx: Context,
    cand: Candidate,
    sentences: list[tuple[int, int]],
    meetings: list[Meeting],
    out: dict[str, list[Row]],
) -> None:
    """A trade or investment row for an amount whose sentence says which it is."""
    if cand.value is None or cand.value_max is not None or cand.ambiguous:
        return
    try:
        amount = parse_amount(cand.text)
    except FigureError:
        return
    if amount.value != cand.value or amount.currency is None:
        return
    if _given_again(ctx, cand):
        return
    s, e = _sentence_of(sentences, cand.start)
    before = normalise(ctx.text[s : cand.start])
    if _VALUE_OF.search(before[-40:]):
        return  # "عقدًا بقيمة 75 مليون دولار": what a deal or projects are worth
    if _EQUIVALENT.search(before[-30:]) and any(
        c.kind == "amount" and s <= c.start and c.end <= cand.start and cand.start - c.end < 40
        for c in ctx.candidates
    ):
        return  # the figure just before, restated
    if _bracketed_equivalent(ctx, cand):
        return
    clause_s = _clause_start(ctx.text, s, cand.start)
    clause = normalise(ctx.text[clause_s : cand.end])
    meeting = _meeting_at(meetings, cand.start)
    common = _figure_fields(ctx, cand, s, e, clause_s, meeting)  # its period, for those after
    if _with_bloc(ctx, clause_s, cand):
        return  # "تجارة أرمينيا مع دول الاتحاد": with a bloc, not between two countries
    common.update(
        amount=int(amount.value),
        currency_code=amount.currency,
        currency_basis="stated" if amount.explicit else "inferred",
        amount_as_printed_ar=cand.text,
    )
    if not amount.explicit:
        common["note_en"] = _join(
            common.get("note_en"),
            f"Printed as {cand.text!r}, which does not name the currency for certain; read "
            f"as {amount.currency}.",
        )
    prior = ctx.last_pair
    if _INVEST.search(clause) and not _TRADE.search(clause[-40:]):
        row = _investment(ctx, cand, clause_s, s, e, meeting, common)
        if row is not None:
            pair = [row["investor_country_code"], row["recipient_country_code"]]
            out["investment"].append(_same_pair_period(row, pair, prior, (s, e)))
        return
    if _TRADE.search(clause) or _TRADE.search(before):
        row = _trade(ctx, cand, clause_s, s, e, meeting, common)
        if row is not None:
            pair = [row["country_a_code"], row["country_b_code"]]
            out["trade"].append(_same_pair_period(row, pair, prior, (s, e)))


def _given_again(ctx: Context, cand: Candidate) -> bool:
    """A headline's figure the body gives again, with its context, as printed, or an amount
    it hedges, rounded ("يتجاوز 30 مليار" over "30.2 مليار"): the body's to draft."""
    headline_end = ctx.text.find("\n")
    if cand.start >= headline_end or cand.value is None:
        return False
    hedged = cand.kind == "amount" and hedge_before(
        normalise(ctx.text[max(0, cand.start - 20) : cand.start]) + " "
    )
    return any(
        c.kind == cand.kind
        and c.value is not None
        and c.start > headline_end
        and (c.value == cand.value or (hedged and _rounded(cand.value, c.value)))
        for c in ctx.candidates
    )


def _rounded(head: float, body: float) -> bool:
    """A whole amount printed to fewer figures than the body's: the body's, rounded or cut."""
    if head != int(head) or head <= 0 or body == head:
        return False
    unit = 10 ** (len(str(int(head))) - len(str(int(head)).rstrip("0")))
    return int(head) in (round(body / unit) * unit, int(body // unit) * unit)


def _same_pair_period(
    row: Row, pair: list[str], prior: tuple[tuple[int, int], list[str]] | None, at: tuple[int, int]
) -> Row:
    """A clause set against the figure before it in the same sentence, of the same two
    countries ("بلغت صادرات كازاخستان إلى الصين ...، في حين بلغت وارداتها منها ..."), is of its
    period where it prints none. Of another pair, its period stays open: curators read the
    contrast as of the pair, not of the time."""
    against = row.pop("_against", None)
    if against is None or against.basis == "open" or row.get("period_basis") != "open":
        return row
    if prior is None or prior[0] != at or set(prior[1]) != set(pair):
        return row
    note = _join(row.get("note_en"), against.note)
    row.update(_period_fields(against), note_en=note)
    return row


# The worth of a deal, a contract or projects ("مشاريع جديدة ... بقيمة تتخطى 3 مليارات"), which
# is neither trade nor investment made.
_VALUE_OF = re.compile(
    r"(?<!\w)(?:عقد|عقدا|عقود|صفقة|صفقات|اتفاقية|اتفاقيات|مشروع|مشروعا|مشاريع|مشروعات)"
    r"(?:\s+\S+){0,3}?\s+بقيمة(?:\s+(?:تتخطي|تتجاوز|تزيد\s+علي|تبلغ|اجمالية))?\s*$"
)
# Trade with a bloc ("مع دول الاتحاد الاقتصادي الأوراسي"), not between two countries.
_WITH_BLOC = re.compile(
    r"(?<!\w)مع\s+(?:دول\s+|بلدان\s+)?(?:ال)?اتحاد(?!\w)|مع\s+دول\s+"
    # "التبادل التجاري بين دول الاتحاد والإمارات": the trade's own sides
    r"|(?:تجارة|التجارة|التجاري|التبادل)\s+بين\s+(?:دول|بلدان)\s+(?:ال)?اتحاد(?!\w)"
)
# The figure before in another currency ("4.6 تريليون درام، أي ما يعادل قرابة 11.8 مليار
# دولار"): the same figure, not another; so is an amount alone in brackets right after
# another (_bracketed_equivalent).
_EQUIVALENT = re.compile(
    r"(?:(?<!\w)اي|[،,(]|وهو)\s*(?:(?:ما|بما)\s+)?يعادل\s+(?:\S+\s+)?$|(?<!\w)اي\s+$"
    r"|(?<!\w)بما\s+يعادل\s+(?:\S+\s+)?$"
)


def _bracketed_equivalent(ctx: Context, cand: Candidate) -> bool:
    """The amount alone in brackets right after another: the same in another currency ("1.2
    مليار ريال (320 مليون دولار)"); not "(مقابل 4.8 مليار دولار في 2023)"."""
    before, after = ctx.text[: cand.start].rstrip(), ctx.text[cand.end :].lstrip()
    if not (before.endswith("(") and after.startswith(")")):
        return False
    opening = len(before[:-1].rstrip())
    return any(c.kind == "amount" and c.end == opening for c in ctx.candidates)


def _with_bloc(ctx: Context, clause_s: int, cand: Candidate) -> bool:
    """Trade with a bloc ("مع دول الاتحاد ...", "بين دول الاتحاد والإمارات") where no
    country is named after "مع" and its bloc before the figure ("، استحوذت روسيا وحدها على
    3.1 مليار منها" is Russia's share, a pair)."""
    t = Normalised(ctx.text[clause_s : cand.start])
    found = list(_WITH_BLOC.finditer(t.norm))
    if not found:
        return False
    if "بين" in found[-1].group():
        return True  # the country after "و" is the bloc's partner, not a side of a pair
    after = clause_s + t.span(found[-1].end() - 1, found[-1].end())[1]
    return not _countries_in(ctx, after, cand.start, (cand.start, cand.end))


def _clause_start(text: str, s: int, at: int) -> int:
    """Where the clause of a figure starts: after the last comma or و-clause break before it
    that leaves its subject with it ("فيما", "بينما", "كما")."""
    head = text[s:at]
    cuts = [
        m.end()
        for m in re.finditer(
            r"،\s*(?:فيما|بينما|كما|في حين|إذ|اذ|مقابل|و|(?=(?:مشير|مؤكد|لافت|معرب|مضيف|متوقع)))"
            r"|\bفيما\b|\bبينما\b"
            # "...، بعد نمو بلغ 5.9% في عام 2024": what came before, a clause of its own
            r"|،\s*(?=بعد\s+(?:أن|ان|نمو|ارتفاع|تراجع|انكماش|تسجيل)(?!\w)|بعدما\s+" + _PAST + ")"
            r"|\s(?=بعدما\s+" + _PAST + ")",
            head,
        )
    ]
    return s + cuts[-1] if cuts else s


# "...، ليبلغ العجز ...": what the figures before come to, a clause of its own (which ends
# theirs; its own figure keeps their subject: "ارتفع التبادل ...، ليبلغ 5 مليارات").
_RESULT = r"،\s*ل[يت](?:بلغ|صل|سجل|رتفع|تجاوز|نخفض|تراجع|زيد)(?!\w)"
# A trade balance, which is no flow ("العجز في الميزان التجاري", "فائض تجاري").
# A flow named after the balance across a comma ("وبفضل تقليص العجز، بلغت صادرات"): not it.
_FLOW_AFTER = re.compile(r"،.*(?:صادرات|واردات|التبادل|تجارة|التجارة)")
_BALANCE = re.compile(r"(?<!\w)(?:ال)?(?:عجز|فائض)(?:ا|ه)?(?!\w)|الميزان\s+التجاري")
_FIGURES = ("amount", "percentage")
# A verb in the past after «بعدما»: not a present one («يبلغ», «تتجاوز»), «تجاوزت» is past.
_PAST = r"(?:[^يت\s]|ت\S*ت(?!\S))"
# "، منها" / "، ضُخ منها": what follows is a part of the figure before (of its kind and pair).
_PART = re.compile(r"،\s*(?:\S+\s+)?منها(?!\w)")


def _figure_fields(
    ctx: Context, cand: Candidate, s: int, e: int, clause_s: int, meeting: Meeting | None
) -> Row:
    text = ctx.text
    # "...قرابة 14 مليار، منها 3.6 مليار": a part of the figure before is hedged by its own
    # words, and no figure by the words of another before it ("بلغت نحو 3.9 مليار، ...،
    # استحوذت روسيا وحدها على 3.1 مليار منها")
    at = cand.start
    others = [c.end for c in ctx.candidates if c.kind in _FIGURES and clause_s < c.end <= at]
    parts = [m.end() for m in _PART.finditer(text, clause_s, cand.start)]
    part = max([clause_s, *parts, *others])
    norm_before = normalise(text[max(part, cand.start - 40) : cand.start])
    hedge = hedge_before(norm_before + " ") or _hedge_verb(text, part, cand.start)
    row: Row = {"hedge": "exactly"}
    if hedge is not None:
        row["hedge"] = hedge[0]
        printed = _printed_words(text, clause_s, cand.start, hedge[1]) or _word_in(
            text, clause_s, cand.start, hedge[1]
        )
        if printed:
            row["hedge_as_printed_ar"] = printed
    # What the figure's own clause says, not the rest of its sentence ("بلغ ... 5 مليارات،
    # فيما يتوقع أن ..." is actual): status and period end where the clause does.
    clause_e = _clause_end(text, cand.end, e)
    # "سينهي العام بنمو 1.8%، بعد أن سجّل 3.9%": what came before (a verb in the past, not
    # "بعد أن يتجاوز") is not the future.
    since = list(re.finditer(r"،\s*(?:بعد|قبل)\s+(?:أن|ان)\s+(?!ي)", text[clause_s : cand.start]))
    clause = normalise(text[clause_s + (since[-1].end() if since else 0) : clause_e])
    if re.match(r"\s*(?:بعد|قبل)\s+(?:أن|ان)\s+ي", clause):
        clause = normalise(text[s:clause_e])  # "نتوقع أن ينمو ...، بعد أن يتجاوز": its verb's
    if _PRELIMINARY.search(clause):
        row["status"] = "preliminary_estimate"
    elif _FORECAST.search(clause):
        row["status"] = "forecast"
    elif _FIRST_ESTIMATE.search(clause):
        row["status"] = "preliminary_estimate"
    elif _TARGET.search(clause):
        row["status"] = "target"
    elif _ESTIMATE.search(clause):
        row["status"] = "estimate"
    else:
        row["status"] = "actual"
    days = tuple(
        (c.start, c.end)
        for c in ctx.candidates
        if c.kind == "date" and c.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.date)
    )
    same = [p for status, p in ctx.periods if status == row["status"]]
    stock = _STOCK.search(normalise(text[clause_s:clause_e])) is not None
    period = same_period_of_year(text, clause_s, clause_e, same) or find_period(
        text, clause_s, clause_e, ctx.anchor, days, stock
    )
    # "...، مقابل 61 مليارًا في الفترة نفسها من العام الماضي": a base of comparison, whose
    # period no figure after it takes as its own
    base = _is_base(text, s, clause_s)
    if period.basis != "open" and not base:
        ctx.periods.append((row["status"], period))
    if period.basis == "open":  # "خلال الفترة ذاتها" anywhere in the sentence: the last one
        # of a figure of the same status (an actual figure's, not a target's set between),
        # but not in a statement before the figure's own ("...، مشيرًا إلى أن ...")
        said = list(_STATEMENT.finditer(text, s, cand.start))
        period = same_period(text, said[-1].start() if said else s, e, same)
        if period.basis == "open":
            period = _of_the_data(text, s, e, same)
    if period.basis == "open":
        row["_against"] = _set_against(ctx, clause_s, s, e)
    elif period.start is not None and not base:
        ctx.last_period = ((s, e), period)
    row.update(_period_fields(period))
    speaker = _stated_by(ctx, cand, clause_s, s)
    if speaker is not None:
        row["stated_by_person_id"] = speaker
    for m in ctx.linked.of("organization", s, cand.start):  # "أعلنت الهيئة ... أن"
        if _SPEECH.search(normalise(text[max(s, m.start - 12) : m.start])):
            row["reported_by_organization_id"] = m.entity
    if meeting is not None and not _of_other_data(ctx, meeting, s, cand.start, speaker):
        row["meeting_id"] = meeting
    row["_span"] = (cand.start, cand.end)
    start, end = clause_s, clause_e
    for q in ctx.candidates:  # a figure quoted is cited within its quotation
        if q.kind == "quotation" and q.start <= cand.start < q.end:
            start, end = max(start, q.start), min(end, q.end)
    row["_evidence"] = (start, end)
    return row


# "وبحسب البيانات، ...": a sentence that goes on with the figures of the data reported before.
# "وبحسب", "ووفقًا لـ": what opens a sentence that gives figures of some data.
_ACCORDING_TO = r"\s*[وف]?(?:بحسب|حسب|وفق|وفقا\s+ل|طبقا\s+ل)\s*"
_OF_DATA = re.compile(
    _ACCORDING_TO + r"(?:ال)?(?:بيانات|معطيات|ارقام|احصاءات)(?:\s+(?:ذاتها|نفسها))?\s*[،,]"
)


# "وبحسب بيانات الجمارك الصينية، ...", "ووفقًا للتقديرات الأولية للجنة، ...": figures of a
# body's data, not said at the meeting the article reports (unless someone there gives them).
_SOURCED = re.compile(
    _ACCORDING_TO
    + r"(?:ال|ل)?(?:بيانات|معطيات|ارقام|احصاءات|تقديرات)(?!\s*(?:ذاتها|نفسها)?\s*[،,])"
)


def _of_other_data(ctx: Context, meeting: Meeting, s: int, at: int, speaker: Any) -> bool:
    """A figure of a body's data ("وبحسب بيانات الجمارك الصينية، ...") that no one at the
    meeting gives and that is not the data of the body holding it."""
    said = normalise(ctx.text[s:at])
    if speaker is not None or not _SOURCED.match(said) or _PRESENTED.search(said):
        return False
    held_by = meeting.row.get("organization_id")
    if not isinstance(held_by, Entity):
        return True
    bodies = {held_by.id, held_by.get("parent_organization_id")} - {None}
    return not any(
        m.entity is held_by or m.entity.id in bodies for m in ctx.linked.of("organization", s, at)
    )


# "وفقًا للتقديرات التي قدمها الجانب الكازاخستاني في الاجتماع": data given at the meeting.
_PRESENTED = re.compile(r"(?:في|خلال)\s+(?:الاجتماع|المحادثات|اللقاء)|الجانب\s+ال\S+ي(?!\w)")


def _is_base(text: str, s: int, clause_s: int) -> bool:
    """A clause after «مقابل»: the base a figure before it is compared with."""
    return re.search(r"مقابل\s*$", normalise(text[max(s, clause_s - 10) : clause_s])) is not None


# A stock ("الاستثمارات المتراكمة"), or a figure counted from a start of its own ("منذ").
_STOCK = re.compile(r"تراكم|متراكم|رصيد|(?<!\w)منذ(?!\w)")


def _of_the_data(text: str, s: int, e: int, before: list[Period]) -> Period:
    """The period of the data a report gave figures of before, for a sentence that goes on
    with them ("وبحسب البيانات، بلغت صادرات ...") and prints none, inferred; else open."""
    dated = [p for p in before if p.start is not None]
    if not dated or not _OF_DATA.match(normalise(text[s : s + 40])):
        return OPEN
    if _STOCK.search(normalise(text[s:e])):
        return OPEN  # a stock, or a figure counted from a start of its own
    return _inherited(dated[-1], "the data the report gives figures of before")


def _inherited(last: Period, whose: str) -> Period:
    """A figure that prints no period, read as of another's period: inferred, saying whose."""
    bounds = f"{last.start}" + (f" to {last.end}" if last.end else "")
    words = f' ("{last.printed}")' if last.printed else ""
    note = f"No period is printed; read as {bounds}, that of {whose}{words}."
    return Period("inferred", last.start, last.end, None, note)


# A statement of its own within a sentence: the words a participle of speech reports.
_STATEMENT = re.compile(r"،\s*(?:مشير|مؤكد|لافت|معرب|مضيف)")


def _set_against(ctx: Context, clause_s: int, s: int, e: int) -> Period:
    """The period of the figure before, for a clause that prints none and is set against it in
    the same sentence ("بلغت الصادرات ... في 2024، في حين بلغت وارداتها ..."), inferred. Only
    a period with both ends: a stock as of a day ("بنهاية الربع الأول") or counted from a year
    ("منذ عام 2015") says nothing of when the figure set against it was counted, nor does any
    period of a stock's own clause."""
    opener = normalise(ctx.text[max(s, clause_s - 12) : clause_s])
    if (
        not ctx.last_period
        or ctx.last_period[0] != (s, e)
        or ctx.last_period[1].end is None
        or not re.search(r"(?:في حين|بينما|فيما|مقابل)\s*$", opener)
        or _STOCK.search(normalise(ctx.text[clause_s : _clause_end(ctx.text, clause_s, e)]))
    ):
        return OPEN
    return _inherited(
        ctx.last_period[1], "the figure the clause is set against in the same sentence"
    )


def _clause_end(text: str, at: int, e: int) -> int:
    """Where the clause of a figure ends: at the next break that starts another clause
    ("، فيما", "، بينما", "، بعد أن", "، مشيرًا", "، منها"), a sentence end inside a
    quotation, or the sentence's."""
    tail = text[at:e]
    breaks = (
        r"،\s*(?:فيما|بينما|في حين|كما|بعد|قبل|مشير|مؤكد|لافت|معرب|مضيف|متوقع|متجاوز|مسجل"
        r"|مقارن|مقابل|إذ|و(?!فق)(?=\S))|[.!?؟]\s|" + _PART.pattern + "|" + _RESULT
    )
    m = re.search(breaks, tail)
    return at + m.start() if m else e


# A verb of the clause that hedges its figure though words stand between them ("تجاوزت
# الصادرات ... 1.2 مليار"): the lexicon's verb hedges, as whole words.
_HEDGE_VERBS = {w: h for w, h in HEDGES.items() if " " not in w and w[:1] in "تيفنق"}


def _hedge_verb(text: str, s: int, at: int) -> tuple[str, str] | None:
    """A hedging verb of the figure's clause: among its first words, or of what a verb of
    speech reports (وأشار إلى أن الاستثمارات ... تجاوزت خلال ... 180 مليون)."""
    head = normalise(text[s:at])
    said = list(re.finditer(r"(?<!\w)(?:أن|ان|إن|بأن|بان)(?!\w)", head))
    words = head[said[-1].end() :].split() if said else head.split()
    # The clause's first words (its verb: "إذ تجاوز التبادل ... في النصف الأول من العام 4.3")
    # and the last ones before the figure.
    near = sorted({*range(min(3, len(words))), *range(max(0, len(words) - 7), len(words))})
    for i in near if not said else range(len(words)):
        word = words[i].lstrip('«"')  # a quotation's first word
        # with a clitic: "وتجاوزت", "لتتجاوز" ("ارتفعت بنسبة 12% لتتجاوز 390 مليون")
        bare = word[1:] if word[:1] in "وفل" and word[1:] in _HEDGE_VERBS else word
        if bare in _HEDGE_VERBS:
            negated = f"{words[i - 1]} {bare}" if i else ""  # "لم يتجاوز": did not exceed
            if negated.lstrip("وف") in HEDGES:
                return HEDGES[negated.lstrip("وف")], negated
            return _HEDGE_VERBS[bare], word
    return None


def _printed_words(text: str, s: int, at: int, phrase: str) -> str | None:
    """The original words before `at` that normalise to `phrase`."""
    words = phrase.split()
    head = text[s:at].rstrip()
    parts = head.split()
    if len(parts) < len(words):
        return None
    printed = " ".join(parts[-len(words) :])
    return printed if normalise(printed).endswith(words[-1]) else None


def _word_in(text: str, s: int, at: int, words: str) -> str | None:
    """The original words between s and at that normalise to `words` (whole words)."""
    t = Normalised(text[s:at])
    found = re.search(rf"(?<!\w){re.escape(words)}(?!\w)", t.norm)
    if found is None:
        return None
    start, end = t.span(found.start(), found.end())
    return t.orig[start:end]


def _period_fields(period: Period) -> Row:
    row: Row = {"period_basis": period.basis}
    if period.start:
        row["period_start"] = period.start.isoformat()
    if period.end:
        row["period_end"] = period.end.isoformat()
    if period.printed and period.basis != "open":
        row["period_as_printed_ar"] = period.printed
    if period.note:
        row["note_en"] = period.note
    return row


def _stated_by(ctx: Context, cand: Candidate, clause_s: int, s: int) -> Entity | None:
    """The person who gave the figure: the speaker of the quotation it stands in, or the
    person a verb of speech introduces in its sentence (وأكد ميشوستين أن ...)."""
    for q in ctx.candidates:
        if q.kind == "quotation" and q.start <= cand.start < q.end:
            return None  # a quotation's rows take its speaker once the quote is linked
    text = ctx.text
    for m in reversed(ctx.linked.of("person", s, cand.start)):
        # "قال وزير ... في طاجيكستان، زافقي زاده، إن ...": the verb before his post
        lead = m.post.start if m.post is not None and s <= m.post.start < m.start else m.start
        between = normalise(text[s:lead])
        after = normalise(text[m.end : cand.start])[:15]
        if _SPEECH.search(between[-20:]) or _SPEECH.search(after):
            return m.entity
        said = re.match(r"\s*[،,]?\s*(?:ان|أن|إن|بان|بأن)\s", after)
        if said and _OPENING_SPEECH.search(between.strip()):
            return m.entity  # "وبيّن بابويان أن"
    opening = normalise(text[s : cand.start])
    if _CONTINUED.match(opening):  # "وأضاف أن ...", "وأشار إلى أن ...": the speaker before
        for m in reversed(ctx.linked.of("person", 0, s)):
            sentence_s = text.rfind("\n", 0, m.start) + 1
            before = normalise(text[sentence_s : m.start])
            if _SPEECH.search(before[-20:]) or _OPENING_SPEECH.search(before.strip()):
                return m.entity
            break
        previous = text.rfind("\n", 0, max(s - 1, 0)) + 1  # "وأوضح الوزير أن ..." before it
        if previous < s and (spoke := _titled(ctx, normalise(text[previous:s]), previous)):
            return spoke
    titled = _titled(ctx, opening, s)
    if titled is not None:
        return titled
    for post in _bare_posts(ctx):  # "وأشار رئيس الحكومة الكازاخستانية": who holds that post
        if s <= post.start < cand.start and _SPEECH.search(normalise(text[s : post.start])[-20:]):
            holders = {
                id(m.entity): m.entity
                for m in ctx.linked.mentions
                if m.post is not None
                and m.post.country == post.country
                and m.post.post.rank == post.post.rank
            }
            if len(holders) == 1:
                return next(iter(holders.values()))
    return None


def _titled(ctx: Context, opening: str, s: int) -> Entity | None:
    """The speaker a sentence names by title alone ("وأوضح الوزير البيلاروسي أن",
    "وأوضح الوزير أن"): the person named last before it whose printed post has that title
    (and that country, where an adjective names one)."""
    m = _TITLED.match(opening)
    if m is None:
        return None
    country = ctx.known.nisba.get(m["nisba"] or "")
    if m["nisba"] and country is None:
        return None
    posts: dict[int, list[PostPrinted]] = {}  # by entity (a new one has no id yet)
    for mention in ctx.linked.of("person"):
        if mention.post is not None:
            posts.setdefault(id(mention.entity), []).append(mention.post)
    for mention in reversed(ctx.linked.of("person", 0, s)):
        for post in posts.get(id(mention.entity), ()):
            if m["title"] in normalise(post.text).split() and country in (
                None,
                post.country,
                mention.entity.country_code,
            ):
                return mention.entity
    if m["title"] == "مسؤول" and country:  # "وقال المسؤول الأوزبكي": the one of that country
        return _holder(ctx, s, country, lambda post: False)
    return None


def _implied(ctx: Context, code: str, at: int) -> Mention:
    """A country the text implies at `at` without naming it there ("صادراتنا", a clause that
    continues the one before): a mention of no words."""
    return Mention(ctx.known.countries[code], at, at, (0, 0))


def _nearest_pair(named: list[Mention], at: int) -> list[str]:
    """The two countries nearest the figure, before it first ("التبادل التجاري الكازاخستاني
    الصيني بلغ ..."), in the order the text names them."""
    before = [m for m in named if m.start < at and m.entity.id]
    after = [m for m in named if m.start >= at and m.entity.id]
    chosen: list[Mention] = []
    for m in [*reversed(before), *after]:
        if all(c.entity.id != m.entity.id for c in chosen):
            chosen.append(m)
        if len(chosen) == 2:
            break
    return [m.entity.id for m in sorted(chosen, key=lambda m: m.start)]  # type: ignore[misc]


_OURS = re.compile(r"(?:صادرات|واردات|تجارت|استثمارات|شركات|مستثمري)نا(?!\w)")


def _our_country(ctx: Context, cand: Candidate, clause: str) -> str | None:
    """The speaker's country, where a quotation's figure is "ours" (صادراتنا، وارداتنا)."""
    if not _OURS.search(clause):
        return None
    for q in ctx.candidates:
        if q.kind == "quotation" and q.start <= cand.start < q.end:
            mention, _, post = _speaker(ctx, q)
            if mention is not None:
                return (post.country if post else None) or mention.entity.country_code
    return None


_HIS = re.compile(r"(?:صادرات|واردات|تجارة|استثمارات|شركات|مستثمري)\s+(?:بلاده|بلادها)(?!\w)")


def _his_country(ctx: Context, common: Row, s: int, clause_s: int, clause: str) -> str | None:
    """The country of the one who speaks, where a figure is "his country's" («صادرات بلاده»):
    the speaker's, or the adjective of the title that introduces him («وقال المسؤول الأوزبكي
    إن»)."""
    if not _HIS.search(clause):
        return None
    speaker = common.get("stated_by_person_id")
    if isinstance(speaker, Entity) and speaker.country_code:
        return speaker.country_code
    opening = Normalised(ctx.text[s:clause_s])
    titled = re.search(
        rf"[وف]?(?:{alt(SPEECH_VERBS)})\s+(?:\S+\s+){{1,2}}?(?:ال)?(?P<nisba>{alt(ctx.known.nisba)})"
        rf"{NW}",
        opening.norm,
    )
    return ctx.known.nisba[titled["nisba"]] if titled else None


def _countries_in(ctx: Context, start: int, end: int, skip: tuple[int, int]) -> list[Mention]:
    """Countries named (by name or adjective) in [start, end), outside the figure itself and
    outside a person's post (رئيس الحكومة الكازاخستانية names the speaker, not a party)."""
    posts = _bare_posts(ctx)
    amounts = [(c.start, c.end) for c in ctx.candidates if c.kind == "amount"]
    return [
        m
        for m in ctx.linked.mentions
        if m.entity.kind == "country"
        and start <= m.start < end
        and not skip[0] <= m.start < skip[1]
        and not any(p.start <= m.start < p.end for p in posts)
        and not any(a <= m.start < b for a, b in amounts)  # "دولار أمريكي": the currency's
    ]


def _bare_posts(ctx: Context) -> list[Any]:
    from eaeu_facts.draft.link import posts_in

    return posts_in(ctx.text, ctx.known)


def _trade(
    ctx: Context,
    cand: Candidate,
    clause_s: int,
    s: int,
    e: int,
    meeting: Meeting | None,
    common: Row,
) -> Row | None:
    text = ctx.text
    span = (cand.start, cand.end)
    clause = normalise(text[clause_s : cand.start])
    balance = list(_BALANCE.finditer(clause))
    if balance and not _FLOW_AFTER.search(clause, balance[-1].end()):
        return None  # "ليبلغ العجز ... ملياري دولار", not "وبفضل تقليص العجز، بلغت صادرات"
    flow = "turnover"
    if _EXPORTS.search(clause):
        flow = "exports"
    elif _IMPORTS.search(clause):
        flow = "imports"
    elif (
        ctx.last_flow
        and ctx.last_pair
        and ctx.last_pair[0] == (s, e)
        and (_is_base(text, s, clause_s) or re.match(r"\s*(?:بعدما|بعد\s+(?:ان|أن))\s", clause))
    ):  # a base of comparison or what came before («مقابل 340 مليونًا», «بعدما بلغت 18
        # مليارًا») keeps the flow, unless it names its own after the figure («للواردات»)
        own = re.match(r"\s*(?:لل|من\s+ال|في\s+ال)(صادرات|واردات)", normalise(text[cand.end : e]))
        flow = {"صادرات": "exports", "واردات": "imports"}[own[1]] if own else ctx.last_flow
    named = _countries_in(ctx, clause_s, _clause_end(text, cand.end, e), span)
    ours = _our_country(ctx, cand, clause) or _his_country(ctx, common, s, clause_s, clause)
    if ours and ours not in [m.entity.id for m in named]:
        named = [_implied(ctx, ours, cand.start), *named]
        common["note_en"] = _join(
            common.get("note_en"),
            f'"Our" is read as {ctx.known.countries[ours].name_en}, the speaker\'s country.',
        )
    codes = _nearest_pair(named, cand.start)
    if len(codes) == 1 and _WITH.search(
        normalise(text[max(clause_s, named[-1].start - 8) : named[-1].start])
    ):
        side = _speaking_for(common)  # "التجارة مع كازاخستان", said for a country
        if side and side != codes[0] and not (ctx.last_pair and ctx.last_pair[0] == (s, e)):
            codes = [side, codes[0]]
            common["note_en"] = _join(
                common.get("note_en"),
                f"The other side is read as {ctx.known.countries[side].name_en}, the country "
                "of the one who gives the figure.",
            )
    if len(codes) < 2 and _TWO_SIDES.search(clause) and meeting:
        codes = _distinct([*codes, *meeting.countries])
        if len(codes) >= 2:
            common["note_en"] = _join(
                common.get("note_en"),
                '"The two countries" are read as those of the meeting the figure was given at.',
            )
    elif (
        len(codes) < 2
        and _TWO_SIDES.search(clause)
        and len(two := _distinct([m.entity.id for m in _countries_in(ctx, s, clause_s, span)])) == 2
        and all(c in two for c in codes)
    ):
        codes = two  # "وحافظت روسيا على موقع الشريك الأول لبيلاروس، إذ بلغ ... بين البلدين"
        common["note_en"] = _join(
            common.get("note_en"),
            '"The two countries" are read as the two the sentence names before the figure.',
        )
    elif len(codes) < 2 and _TWO_SIDES.search(clause) and ctx.last_pair:
        pair = ctx.last_pair[1]  # no meeting: the two of the figure before it
        if all(c in pair for c in codes):
            codes = list(pair)
            common["note_en"] = _join(
                common.get("note_en"),
                '"The two countries" are read as those of the figure before it.',
            )
    if len(codes) < 2 and ctx.last_pair and ctx.last_pair[0] == (s, e):
        before = ctx.last_pair[1]
        if not codes or codes[0] in before:
            codes = _distinct([*codes, *before])
            named = named or [_implied(ctx, codes[0], s)]
        elif _WITH.search(normalise(text[max(clause_s, named[0].start - 8) : named[0].start])):
            # "صادرات إيران إلى روسيا ...، فيما لم يتجاوز التبادل مع كازاخستان ...": with the
            # side whose figures the sentence gives
            codes = [before[0], codes[0]]
            common["note_en"] = _join(
                common.get("note_en"),
                f"The other side is read as {ctx.known.countries[before[0]].name_en}, whose "
                "figure the sentence gives before.",
            )
    if (
        len(codes) == 1
        and ctx.last_pair
        and ctx.last_pair[0] != (s, e)
        and codes[0] not in ctx.last_pair[1]
        and not common.get("stated_by_person_id")
        and _WITH.search(normalise(text[max(clause_s, named[-1].start - 8) : named[-1].start]))
    ):
        # "سجلت التجارة مع أوزبكستان ..." in a report of one country's figures, after its
        # trade with another: with the side of the figure before
        before = ctx.last_pair[1]
        codes = [before[0], codes[0]]
        common["note_en"] = _join(
            common.get("note_en"),
            f"The other side is read as {ctx.known.countries[before[0]].name_en}, the first "
            "side of the figure the report gives before.",
        )
    if flow != "turnover":
        # The reporting side is the first named outside "من/إلى" ("وارداتها من السوق
        # الأوزبكية": the partner is the Uzbek market; "her" is the other of the pair).
        sides = [m.entity.id for m in named if m.entity.id in codes[:2]]
        partners = [m.entity.id for m in named if _just_after(_PARTNER_BEFORE, text, clause_s, m)]
        # The country whose exports or imports the words are ("صادرات كازاخستان إلى المملكة"),
        # else the first side not named as the partner.
        owner = next((m.entity.id for m in named if _just_after(_FLOW_OF, text, clause_s, m)), None)
        exporter = owner if owner in sides else None
        exporter = exporter or next((c for c in sides if c not in partners), None)
        if exporter is None and len(codes) == 2 and len(set(partners) & set(codes)) == 1:
            exporter = next(c for c in codes if c not in partners)
        exporter = exporter or next(iter(sides), None)
        if len(codes) < 2 or exporter is None:
            return None
        codes = [exporter, next(c for c in codes if c != exporter)]
    if len(codes) < 2:
        return None
    ctx.last_pair, ctx.last_flow = ((s, e), codes[:2]), flow
    row: Row = {
        "trade_id": None,
        "country_a_code": codes[0],
        "country_b_code": codes[1],
        "flow": flow,
    }
    return {**row, **common}


_WITH = re.compile(r"(?:^|\s)مع\s*$")


def _speaking_for(common: Row) -> str | None:
    """The country of the person or body that gives a figure: whose trade "with X" it is."""
    for key in ("stated_by_person_id", "reported_by_organization_id"):
        who = common.get(key)
        if isinstance(who, Entity) and who.country_code:
            return who.country_code
    return None


# A country named after "من" or "إلى" (من الصين، إلى السوق الروسية): the other side of
# exports or imports, not the one whose they are. One named in the construct right after
# "صادرات" or "واردات" (not "الواردات الإماراتية إلى المملكة", goods of the UAE the Kingdom
# imports) is the one whose they are.
_PARTNER_BEFORE = re.compile(r"(?:^|\s)(?:من|الي|إلى|لل?)\s*(?:السوق\s+)?(?:ال)?$")
_FLOW_OF = re.compile(r"(?:^|\s)[وف]?(?:صادرات|واردات)\s*$")


def _just_after(pattern: re.Pattern[str], text: str, clause_s: int, m: Mention) -> bool:
    """The mention follows, in its clause, the words of `pattern`."""
    return bool(pattern.search(normalise(text[max(clause_s, m.start - 12) : m.start])))


def _investment(
    ctx: Context,
    cand: Candidate,
    clause_s: int,
    s: int,
    e: int,
    meeting: Meeting | None,
    common: Row,
) -> Row | None:
    """From the investors' country (an adjective or a name before the amount) into the
    recipient (في + a name or "الاقتصاد" + an adjective)."""
    text = ctx.text
    span = (cand.start, cand.end)
    named = _countries_in(ctx, clause_s, _clause_end(text, cand.end, e), span)
    recipient = None
    for m in named:
        before = normalise(text[max(clause_s, m.start - 14) : m.start])
        if re.search(r"(?:في|الي|إلى)\s+(?:\S+\s+)?$", before) or "اقتصاد" in before[-10:]:
            recipient = m
    investor = next(
        (
            m
            for m in named
            if m is not recipient and m.entity.id != (recipient.entity.id if recipient else None)
        ),
        None,
    )
    if investor is not None and recipient is None and ctx.last_pair:
        (at, _), (_, was_recipient) = ctx.last_pair
        if at == s and investor.entity.id != was_recipient:  # "فيما بلغت الاستثمارات ..."
            recipient = _implied(ctx, was_recipient, s)
    clause = normalise(text[clause_s : cand.start])
    ours = _our_country(ctx, cand, clause) or _his_country(ctx, common, s, clause_s, clause)
    if investor is None and ours and (recipient is None or recipient.entity.id != ours):
        investor = _implied(ctx, ours, cand.start)  # "ضخّت شركاتنا": the speaker's country
        common["note_en"] = _join(
            common.get("note_en"),
            f'"Our" is read as {ctx.known.countries[ours].name_en}, the speaker\'s country.',
        )
        others = [c for c in (meeting.countries if meeting else []) if c != ours]
        if recipient is None and len(others) == 1:  # into the other country of the talks
            recipient = _implied(ctx, others[0], cand.start)
            common["note_en"] = _join(
                common.get("note_en"),
                f"The recipient is read as {ctx.known.countries[others[0]].name_en}, the "
                "other country of the meeting the speaker said it at.",
            )
    speaker = _speaking_for(common)
    if investor is not None and recipient is None and speaker and speaker != investor.entity.id:
        into = re.search(r"في\s+(?:اقتصاد\s+)?(?:بلاده|بلادها)(?!\w)", normalise(text[clause_s:e]))
        recipient = _implied(ctx, speaker, cand.start)  # said by the country it went into
        common["note_en"] = _join(
            common.get("note_en"),
            f"The recipient is read as {ctx.known.countries[speaker].name_en}, "
            + ('"his country" in the text.' if into else "the country of the one who says it."),
        )
    if investor is None or recipient is None:
        return None
    ctx.last_pair, ctx.last_flow = ((s, e), [investor.entity.id, recipient.entity.id]), None
    inv_words = _investor_words(text, clause_s, investor) or _our_words(text, clause_s, cand.start)
    return {
        "investment_id": None,
        "investor_country_code": investor.entity.id,
        "recipient_country_code": recipient.entity.id,
        "investor_as_printed_ar": inv_words,
        "investor_en": _investor_en(ctx, inv_words, investor.entity.id),
        **common,
    }


def _investor_words(text: str, clause_s: int, investor: Mention) -> str:
    """The words naming the investors: the noun before the adjective and the adjective."""
    head = text[clause_s : investor.start].rstrip()
    noun = re.search(r"(\S+)\s*$", head)
    if (
        noun
        and normalise(noun.group(1)).startswith(("ال", "وال"))
        and not _SPEECH.search(normalise(noun.group(1)))
    ):
        return text[clause_s + noun.start(1) : investor.end]
    return text[investor.start : investor.end]


def _our_words(text: str, clause_s: int, at: int) -> str:
    """The word that says "ours" (شركاتنا، مستثمرينا) where the investors are the speaker's."""
    words = re.findall(r"[^\s«»\"'(),.،:؛]*نا(?!\w)", text[clause_s:at])
    return next((w for w in reversed(words) if _OURS.search(normalise(w))), "")


def _investor_en(ctx: Context, words: str, code: str) -> str:
    country = ctx.known.countries[code].name_en
    norm = normalise(words)
    for arabic, english in (
        ("مستثمر", "Investors"),
        ("شركات", "Companies"),
        ("الشركات", "Companies"),
        ("رجال الاعمال", "Business people"),
        ("استثمارات", "Investment"),
        ("الاستثمارات", "Investment"),
    ):
        if arabic in norm:
            return f"{english} from {country}"
    return f"Investors from {country}"


def _of_a_country(ctx: Context, word: str) -> bool:
    """A country's adjective or name ("الاقتصاد الكازاخستاني", "اقتصاد كازاخستان")."""
    entity = ctx.known.names.get(word)
    return word in ctx.known.nisba or (entity is not None and entity.kind == "country")


def _indicator(
    ctx: Context,
    cand: Candidate,
    sentences: list[tuple[int, int]],
    meetings: list[Meeting],
    out: dict[str, list[Row]],
) -> None:
    """GDP growth, of a country or of an organisation's area, where the sentence says so."""
    if cand.value is None or cand.value_max is not None:
        return
    try:
        value = parse_percent(cand.text)
    except FigureError:
        return
    if _given_again(ctx, cand):
        return
    s, e = _sentence_of(sentences, cand.start)
    clause_s = _clause_start(ctx.text, s, cand.start)
    clause = normalise(ctx.text[clause_s : cand.end])
    gdp = _GDP.search(clause) or next(
        (m for m in _RECORDED.finditer(clause) if _of_a_country(ctx, m["nisba"] or m["had"])),
        None,
    )
    if gdp is None:
        _indicator_continued(ctx, cand, value, (s, e), clause_s, meetings, out)
        return
    if re.search(r"تضخم|التضخم|البطالة|الصادرات|التجارة|الاستثمار", clause[gdp.start() :]):
        return  # the growth of something else, named between the economy and the figure
    row: Row = {"indicator_id": None, "indicator": "gdp_growth"}
    area = None
    for m in ctx.linked.mentions:
        if clause_s <= m.start < cand.start and _is_area(m.entity):
            area = m
    # "الناتج المحلي الإجمالي للاتحاد": the union is the area, whoever reports it
    of_union = re.match(r"\s*(?:لل|في\s+ال)اتحاد(?!\s+ال\S+ي)", clause[gdp.end() :])
    members = re.search(r"(?<!بين\s)(?:ل)?(?:دول|بلدان|اقتصاد)\s+الاتحاد(?!\s+ال\S+ي)", clause)
    # "وأفادت اللجنة ... بأن الناتج المحلي الإجمالي لدول الاتحاد نما": the union's members
    # after the body that reports it
    after = (
        area is not None
        and members is not None
        and members.start() >= len(normalise(ctx.text[clause_s : area.end]))
    )
    if of_union or (members and (area is None or after)):
        # "دول الاتحاد": the union the article named before, by its full name
        unions = [
            m
            for m in ctx.linked.of("organization")
            if normalise(m.entity.name_ar).startswith("الاتحاد")
        ]  # the last named before, else the first named after
        before = [m for m in unions if m.start < clause_s]
        union = before[-1] if before else next(iter(unions), None)
        area = union or area
    if area is None:
        return
    if area.entity.kind == "country":
        row["area_country_code"] = area.entity.id
    else:
        row["area_organization_id"] = area.entity
    meeting = _meeting_at(meetings, cand.start)
    row.update(value_pct=_number(value), value_as_printed_ar=cand.text)
    row.update(_figure_fields(ctx, cand, s, e, clause_s, meeting))
    speaker = row.pop("stated_by_person_id", None)  # the table keeps who, as printed only
    if speaker is not None:
        said = [m for m in ctx.linked.of("person", s, cand.start) if m.entity is speaker]
        if said:
            row["stated_by_as_printed_ar"] = ctx.text[said[-1].name[0] : said[-1].name[1]]
    out["indicators"].append(row)


# What opens a clause that gives only another figure of the growth before it: "وبنحو",
# "بعد أن سجّل", "بعد نمو بلغ".
_CONTINUED_FIGURE = re.compile(
    r"(?:بعد\s+(?:ان|أن)\s+\S+|بعد\s+(?:نمو|ارتفاع|تراجع)(?:\s+(?:بلغ|قدره|نسبته))?)?"
    r"\s*(?:ب)?(?:نحو|بنسبة|حوالي|قرابة|ما\s+يقارب)?"
)


# "سجلت قيرغيزستان أعلى وتيرة نمو ... بلغت 9.1%", "وحلّت أرمينيا ... بنمو قدره 5.8%": a
# country's growth, in a report of the economies' growth; not that of something it trades.
_GROWTH = re.compile(r"(?<!\w)(?:ب)?(?:ال)?نمو(?!\w)")
_NOT_ECONOMY = re.compile(
    rf"{_TRADE.pattern}|{_INVEST.pattern}|تضخم|البطالة|الانتاج|انتاج|الصناعي|السكان|قطاع"
    r"|البناء|السياحة|الاجور|الاقراض|القروض|الزراعة|الزراعي|الصناعة|الاسعار|المبيعات|الايرادات"
)


def _indicator_continued(
    ctx: Context,
    cand: Candidate,
    value: Any,
    sentence: tuple[int, int],
    clause_s: int,
    meetings: list[Meeting],
    out: dict[str, list[Row]],
) -> None:
    """Growth in a clause with no words of GDP, after GDP growth drafted just before: a clause
    of the same sentence that gives only another figure ("نما ... بنسبة 3.8% العام الماضي،
    وبنحو 4% في الأشهر التسعة") is that growth, of its own period; a clause that gives a
    country's growth ("سجلت قيرغيزستان أعلى وتيرة نمو ... بلغت 9.1%") after growth drafted in
    the same or the line before is that country's, and, set against a figure of its
    sentence, of that figure's period and kind."""
    s, e = sentence
    earlier = [r for r in out["indicators"] if r["_span"][0] < cand.start]
    if not earlier:
        return
    last = earlier[-1]
    head = normalise(ctx.text[clause_s : cand.start])
    continued = last["_span"][0] >= s and _CONTINUED_FIGURE.fullmatch(head.strip()) is not None
    if continued:
        keys = ("area_country_code", "area_organization_id")
        area = {key: last[key] for key in keys if key in last}
    else:
        previous = ctx.text.rfind("\n", 0, max(s - 1, 0)) + 1
        countries = [m for m in ctx.linked.of("country", clause_s, cand.start) if m.entity.id]
        if last["_span"][0] < previous or len(countries) != 1:
            return  # growth drafted further back (another report's), or no one country
        if not _GROWTH.search(head) or _NOT_ECONOMY.search(head):
            return
        area = {"area_country_code": countries[0].entity.id}
    row: Row = {"indicator_id": None, "indicator": last["indicator"], **area}
    row.update(value_pct=_number(value), value_as_printed_ar=cand.text)
    row.update(_figure_fields(ctx, cand, s, e, clause_s, _meeting_at(meetings, cand.start)))
    row.pop("stated_by_person_id", None)
    if continued and "stated_by_as_printed_ar" in last:
        row["stated_by_as_printed_ar"] = last["stated_by_as_printed_ar"]
    against = None if continued else row.pop("_against", None)
    if against is not None and against.basis != "open" and last["_span"][0] >= s:
        row.update(_period_fields(against), status=last["status"])
        row["note_en"] = _join(row.get("note_en"), against.note)
    out["indicators"].append(row)


def _is_area(entity: Entity) -> bool:
    """A country, or a body whose members make an area (not a ministry, an agency, a channel)."""
    if entity.kind == "country":
        return True
    kind = entity.get("organization_type")
    return entity.kind == "organization" and kind not in (
        "government_office",
        "news_agency",
        "broadcaster",
        "website",
    )


def _number(value: Any) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _distinct(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _join(*notes: str | None) -> str:
    return " ".join(n for n in notes if n)


# New entities, ids and evidence -------------------------------------------------------------


def _entities(ctx: Context, out: dict[str, list[Row]]) -> dict[str, list[Row]]:
    """A new row for each person, place and organisation the article names that the dataset
    lacks: a person with the country their post gives, a city with the gazetteer's names."""
    known = ctx.known
    rows: dict[str, list[Row]] = {"people": [], "places": [], "organizations": []}
    seen: set[int] = set()
    for m in ctx.linked.mentions:
        entity = m.entity
        if id(entity) in seen:
            continue
        name = ctx.text[m.name[0] : m.name[1]]
        if entity.kind == "person" and entity.id is None and entity.country_code:
            if len(normalise(name).split()) < 2:
                continue  # a surname alone (a headline's): the full name comes later, or never
            seen.add(id(entity))
            rows["people"].append(
                {
                    "person_id": entity,
                    "name_ar": name,
                    "name_en": transliterate(name),
                    "country_code": entity.country_code,
                    "_at": m.name,
                }
            )
        elif entity.kind == "place" and entity.id not in known.place_ids:
            seen.add(id(entity))
            row = {
                "place_id": entity,
                "name_ar": name,
                "name_en": entity.name_en or transliterate(name),
                "country_code": entity.country_code,
                "_at": m.name,
            }
            if entity.get("wikidata_id"):
                row["wikidata_id"] = entity.get("wikidata_id")
            rows["places"].append(row)
        elif entity.kind == "organization" and entity.id not in known.organization_ids:
            seen.add(id(entity))
            if entity.id and normalise("ا" + name) == normalise(entity.name_ar):
                name = entity.name_ar  # "للمجلس ...": the article's alef, dropped after ل
            row = {
                "organization_id": entity,
                "name_ar": name,
                "name_en": entity.name_en or _organization_en(ctx, entity),
                "organization_type": entity.get("organization_type"),
                "_at": m.name,
            }
            for key in ("country_code",):
                if entity.country_code:
                    row[key] = entity.country_code
            parent = entity.get("parent_organization_id")
            if parent:
                row["parent_organization_id"] = parent
            if entity.get("wikidata_id"):
                row["wikidata_id"] = entity.get("wikidata_id")
            rows["organizations"].append(row)
    return rows


def _unnamed_left_out(out: dict[str, list[Row]]) -> None:
    """A person the dataset lacks and the text never names in full has no row to refer to: a
    participant or quotation that needs one is left out (the quotation is then waived), a
    figure's speaker left empty. A draft never refers to a row it does not have."""
    drafted = {id(r["person_id"]) for r in out.get("people", [])}

    def unnamed(value: Any) -> bool:
        return isinstance(value, Entity) and value.id is None and id(value) not in drafted

    out["participants"] = [r for r in out["participants"] if not unnamed(r["person_id"])]
    out["quotes"] = [r for r in out["quotes"] if not unnamed(r["speaker_person_id"])]
    for table in ("trade", "investment", "indicators"):
        for row in out[table]:
            if unnamed(row.get("stated_by_person_id")):
                row["stated_by_person_id"] = None


def _waivers(ctx: Context, out: dict[str, list[Row]]) -> list[Row]:
    """A waiver, with its reason, for every candidate no drafted row covers."""
    from eaeu_facts.read.coverage import covers

    spans = []
    for table, rows in out.items():
        for row in rows:
            at = row.get("_evidence") or row.get("_span") or row.get("_at")
            if at is None and "evidence" in row:
                found = ctx.text.find(row["evidence"])
                at = (found, found + len(row["evidence"])) if found != -1 else None
            if at is not None:
                spans.append((at[0], at[1], table, row))
    waivers = []
    for cand in ctx.candidates:
        if any(covers(cand, s, e, table, _figure_of(row)) for s, e, table, row in spans):
            continue
        waivers.append(
            {
                "evidence": cand.text,
                "kind": cand.kind,
                "reason": _reason(ctx, cand),
                "_at": (cand.start, cand.end),
            }
        )
    return waivers


def _figure_of(row: Row) -> Row:
    """The fields coverage reads of a draft row (its amount, or its value)."""
    return {k: row[k] for k in ("amount", "value_pct") if k in row}


def _reason(ctx: Context, cand: Candidate) -> str:
    """Why no row records what the finder read, as far as the words around it say."""
    text = ctx.text
    after = normalise(text[cand.end : cand.end + 25])
    before = normalise(text[max(0, cand.start - 25) : cand.start])
    for what, words in _NOT_FIGURES.items():
        if re.match(rf"\s*(?:من\s+)?(?:ال)?(?:{words})(?!\w)", after):
            return f"{what[0].upper()}{what[1:]}, not a figure the dataset's tables record."
    if cand.kind == "quotation":
        if len(cand.text.split()) < 4:
            return "A name in quotation marks, not a quotation."
        return "A quotation whose speaker, post or meeting the text does not give."
    if cand.kind in ("year", "number") and re.search(
        r"[0-9]{4}\s*[-–/]\s*[0-9]{4}", text[max(0, cand.start - 6) : cand.end + 6]
    ):
        return "A range of years of a programme or plan, not the period of a figure."
    if cand.kind in ("year", "date"):
        return (
            "A date or year no drafted row holds: of a plan, an event to come, or a figure the "
            "draft left out."
        )
    if cand.kind == "percentage":
        return "A percentage the dataset's tables do not record (only GDP growth is an indicator)."
    if cand.kind == "amount":
        return "An amount the draft could not place as trade or investment between two countries."
    if re.search(r"رقم\s*$", before):
        return "The number of a document, not a figure."
    return "A number the dataset's tables do not record."


def _ids(ctx: Context, out: dict[str, list[Row]]) -> None:
    """Ids for every drafted row, references as ids, evidence as text with its occurrence."""
    used = set(ctx.known.ids)
    ids: dict[int, str] = {}

    def unique(base: str) -> str:
        slug = re.sub(r"[^a-z0-9-]+", "-", base.lower()).strip("-")
        candidate, n = slug, 2
        while candidate in used:
            candidate, n = f"{slug}-{n}", n + 1
        used.add(candidate)
        return candidate

    for entity in [r["person_id"] for r in out.get("people", [])]:
        ids[id(entity)] = unique("person-" + transliterate(entity.name_ar))
    for entity in [r["place_id"] for r in out.get("places", [])]:
        ids[id(entity)] = unique(entity.id or "place-" + transliterate(entity.name_ar))
    for entity in [r["organization_id"] for r in out.get("organizations", [])]:
        ids[id(entity)] = unique(entity.id or "org-" + transliterate(entity.name_ar))
    for row in out.get("meetings", []):
        ids[id(row)] = unique(_meeting_id(ctx, row))
    quotes = out.get("quotes", [])
    for i, row in enumerate(quotes, 1):
        speaker = row["speaker_person_id"]
        who = (speaker.id or transliterate(speaker.name_ar)).rsplit("-", 1)[-1]
        row["quote_id"] = unique(f"quote-{who}-{i}")
    for table, key, parts in (
        (
            "trade",
            "trade_id",
            lambda r: ["trade", r["country_a_code"], r["country_b_code"], r["flow"]],
        ),
        (
            "investment",
            "investment_id",
            lambda r: ["inv", r["investor_country_code"], r["recipient_country_code"]],
        ),
        ("indicators", "indicator_id", lambda r: ["ind", _area(r), "gdp-growth"]),
    ):
        for row in out.get(table, []):
            year = (row.get("period_start") or "")[:4]
            row[key] = unique("-".join([*parts(row), *([year] if year else [])]))
            for q in quotes:
                if q["_span"][0] <= row["_span"][0] < q["_span"][1]:
                    row["quote_id"] = q["quote_id"]
                    row["stated_by_person_id"] = q["speaker_person_id"]
    for rows in out.values():
        for row in rows:
            for key, value in list(row.items()):
                if isinstance(value, Entity):
                    row[key] = ids.get(id(value), value.id)
                elif isinstance(value, Meeting):
                    row[key] = ids[id(value.row)]
            if id(row) in ids and "meeting_type" in row:
                row["meeting_id"] = ids[id(row)]
            _evidence(ctx, row)


def _area(row: Row) -> str:
    area = row.get("area_country_code") or row.get("area_organization_id")
    if isinstance(area, Entity):
        area = area.id or "area"
    return str(area).removeprefix("org-")


def _meeting_id(ctx: Context, row: Row) -> str:
    kind = row["meeting_type"]
    date = row.get("date") or ""
    if kind == "bilateral_talks":
        codes = [c.lower() for c in _row_countries(row)]
        base = "-".join(["mtg", *codes[:2], "talks"])
    elif isinstance(row.get("organization_id"), Entity) and row["organization_id"].id:
        base = "mtg-" + row["organization_id"].id.removeprefix("org-")
    else:
        base = f"mtg-{kind.replace('_', '-')}"
    return f"{base}-{date}" if date else base


def _row_countries(row: Row) -> list[str]:
    return [c for c in row.get("_countries", [])]


def _evidence(ctx: Context, row: Row) -> None:
    """The row's evidence as the text prints it, with `occurrence` where it is printed more
    than once; the span bookkeeping dropped."""
    at = row.pop("_evidence", None) or row.pop("_at", None)
    span = row.pop("_span", None)
    at = at or span
    row.pop("_countries", None)
    row.pop("_against", None)
    if at is not None and "evidence" not in row:
        row["evidence"] = ctx.text[at[0] : at[1]].strip()
        start = ctx.text.find(row["evidence"], at[0])
    elif "evidence" in row:
        start = ctx.text.find(row["evidence"], at[0]) if at else ctx.text.find(row["evidence"])
    else:
        return
    occurrences = []
    found = ctx.text.find(row["evidence"])
    while found != -1:
        occurrences.append(found)
        found = ctx.text.find(row["evidence"], found + 1)
    if len(occurrences) > 1 and start in occurrences:
        row["occurrence"] = occurrences.index(start) + 1


# Latin letters for an Arabic name, by rule, for the curator to correct: the drafter does not
# know how a person spells their name, and says so (people's `name_en` is a draft like the rest).
_LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "zh", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d",
    "ط": "t", "ظ": "z", "ع": "", "غ": "g", "ف": "v", "ق": "k", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ة": "a", "و": "o", "ي": "i", "ى": "a", "ء": "", "ئ": "i", "ؤ": "o",
    "گ": "g", "پ": "p", "چ": "ch", "ژ": "zh", "ڤ": "v",
}  # fmt: skip


# What an organisation named by its kind is, in English, by the word that opens its name.
_KIND_EN = {
    "وزارة": "Ministry", "مكتب": "Office", "هيئة": "Authority", "الهيئة": "Authority",
    "لجنة": "Committee", "دائرة": "Department", "مصلحة": "Service", "منظمة": "Organization",
    "الادارة": "Administration", "ادارة": "Administration",
}  # fmt: skip


def _organization_en(ctx: Context, entity: Entity) -> str:
    """A placeholder English name for a new organisation, for the curator to correct: an
    agency's name spelt in Latin letters, an office's kind and country."""
    first, *rest = normalise(entity.name_ar).split()
    country = ctx.known.countries.get(entity.country_code or "")
    if entity.get("organization_type") == "news_agency":
        return transliterate(" ".join(rest).strip('«»"')) or "News agency"
    kind = _KIND_EN.get(first.lstrip("وفبل"), "Body")
    return f"{kind} ({country.name_en})" if country else kind


def transliterate(name: str) -> str:
    """A rough Latin spelling: each letter its usual sound, و and ي as vowels between
    consonants and as v and y at the start of a word."""
    words = []
    for word in normalise(name).split():
        out = []
        for i, ch in enumerate(word):
            if ch == "و" and i == 0:
                out.append("v")
            elif ch == "ي" and i == 0:
                out.append("y")
            else:
                out.append(_LATIN.get(ch, ""))
        words.append("".join(out).capitalize())
    return " ".join(w for w in words if w)
