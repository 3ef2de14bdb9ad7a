"""The Arabic words the dataset reads, in one place: how text is normalised before matching,
digits and number words, scale words, currencies, hedges, months in every tradition Arabic
print uses (the transliterated Gregorian names, the Levantine and the Maghrebi ones, the
Hijri), ordinal day words, relative words, clitic prefixes and nisba endings.

The fact finder (candidates.py), the strict parser of figures as printed (numbers.py) and the
drafter (draft/) import it, so that a word one of them reads is a word all of them read.
Words are kept in their normalised form (`normalise`): alef and yeh variants folded, harakat,
tatweel and bidi marks dropped, Arabic-Indic digits made ASCII.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from decimal import Decimal

# Dropped before matching: harakat, Quranic marks, superscript alef, tatweel (all attach to
# the preceding letter) and invisible bidi/format marks that Arabic CMSs sprinkle around.
COMBINING = frozenset(
    [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, 0x0640, *range(0x06D6, 0x06EE)]
)
INVISIBLE = frozenset(
    [0x061C, 0xFEFF, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
DROPPED = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(COMBINING | INVISIBLE)) + "]+"
)
FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "٫": ".",
        "٬": ",",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)


HS = r"[^\S\n]"  # horizontal whitespace: no candidate spans a line break
HSPACE = re.compile(HS + "+")
NW = r"(?!\w)"
BW = r"(?<!\w)"
BL = r"(?<![^\W\d_])"  # not after a letter; digits may touch ("27مليار")
# Attached clitics on word numbers: و/ف + ب/ك/ل + ال. A bare ل is excluded ("لست" = "I'm not").
CLITIC = r"(?:[وف]?(?:بال|كال|لل|ال|ب)|[وف])?"


def words(spaced: str) -> list[str]:
    """A word list written as one spaced string, to keep long lexicons readable."""
    return spaced.split()


def alt(words: Iterable[str]) -> str:
    """Regex alternation, longest first so a longer word is never cut by a shorter one."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace("\\ ", HS + "+") for w in ordered)


UNITS = {
    "واحد": 1,
    "واحدة": 1,
    "اثنان": 2,
    "اثنين": 2,
    "اثنتان": 2,
    "اثنتين": 2,
    "ثلاث": 3,
    "ثلاثة": 3,
    "اربع": 4,
    "اربعة": 4,
    "خمس": 5,
    "خمسة": 5,
    "ست": 6,
    "ستة": 6,
    "سبع": 7,
    "سبعة": 7,
    "ثمان": 8,
    "ثماني": 8,
    "ثمانية": 8,
    "تسع": 9,
    "تسعة": 9,
}
TEN = {"عشر": 10, "عشرة": 10}
TENS = {
    "عشرون": 20,
    "عشرين": 20,
    "ثلاثون": 30,
    "ثلاثين": 30,
    "اربعون": 40,
    "اربعين": 40,
    "خمسون": 50,
    "خمسين": 50,
    "ستون": 60,
    "ستين": 60,
    "سبعون": 70,
    "سبعين": 70,
    "ثمانون": 80,
    "ثمانين": 80,
    "تسعون": 90,
    "تسعين": 90,
}
HUNDRED_WORDS = ("مئة", "مائة", "ماية")
HUNDREDS = {"مئتان": 200, "مئتين": 200, "مئتي": 200, "مائتان": 200, "مائتين": 200, "مائتي": 200}
HUNDREDS.update({w: 100 for w in HUNDRED_WORDS})
for _stem, _v in (
    ("ثلاث", 3),
    ("اربع", 4),
    ("خمس", 5),
    ("ست", 6),
    ("سبع", 7),
    ("ثمان", 8),
    ("ثماني", 8),
    ("تسع", 9),
):
    for _h in HUNDRED_WORDS:
        HUNDREDS[_stem + _h] = _v * 100
        HUNDREDS[f"{_stem} {_h}"] = _v * 100
TEENS: dict[str, int] = {}
for _first, _v in (
    ("احد", 11),
    ("احدي", 11),
    ("اثنا", 12),
    ("اثني", 12),
    ("اثنتا", 12),
    ("اثنتي", 12),
    *((w, v + 10) for w, v in UNITS.items() if 3 <= v <= 9),
):
    for _t in TEN:
        TEENS[f"{_first} {_t}"] = _v

# Part classes, for the allowed order of a compound ("مئة وخمسة وعشرون").
_H, _T, _U = 3, 2, 1
WORD_VALUES: dict[str, tuple[int, int]] = {}
WORD_VALUES.update({w: (v, _U) for w, v in UNITS.items()})
WORD_VALUES.update({w: (v, _T) for w, v in TEN.items()})
WORD_VALUES.update({w: (v, _T) for w, v in TENS.items()})
WORD_VALUES.update({w: (v, _T) for w, v in TEENS.items()})
WORD_VALUES.update({w: (v, _H) for w, v in HUNDREDS.items()})
NEXT_CLASS_OK = {(_H, _U), (_H, _T), (_U, _T)}


# Scale words: base -> (forms). "sg" multiplies, "du" means two, "pl" needs a number,
# "acc" (ألفا، مليونا) is a singular accusative after a number and a dual construct alone.
SCALES: dict[int, dict[str, str]] = {
    1000: {
        "الف": "sg",
        "الفا": "acc",
        "الفي": "du",
        "الفين": "du",
        "الفان": "du",
        "الاف": "pl",
        "الوف": "pl",
    },
    10**6: {
        "مليون": "sg",
        "مليونا": "acc",
        "مليوني": "du",
        "مليونين": "du",
        "مليونان": "du",
        "ملايين": "pl",
    },
    10**9: {
        "مليار": "sg",
        "مليارا": "acc",
        "ملياري": "du",
        "مليارين": "du",
        "ملياران": "du",
        "مليارات": "pl",
        "بليون": "sg",
        "بليونا": "acc",
        "بليوني": "du",
        "بليونين": "du",
        "بليونان": "du",
        "بلايين": "pl",
    },
    10**12: {
        "تريليون": "sg",
        "تريليونا": "acc",
        "تريليوني": "du",
        "تريليونين": "du",
        "تريليونان": "du",
        "تريليونات": "pl",
        "ترليون": "sg",
        "ترليونات": "pl",
    },
}
SCALE_FORMS = {w: (base, form) for base, forms in SCALES.items() for w, form in forms.items()}


# Currencies: stem regex, default ISO code when no adjective, whether the bare word is
# unambiguous, and the adjectives that pin the code down.
CURRENCIES: list[tuple[str, str | None, bool, dict[str, str]]] = [
    (
        r"دولار(?:ات|ين|ا)?",
        "USD",
        False,
        {
            "امريكي": "USD",
            "اميركي": "USD",
            "امريكا": "USD",
            "كندي": "CAD",
            "استرالي": "AUD",
            "سنغافوري": "SGD",
            "نيوزيلندي": "NZD",
            "تايواني": "TWD",
            "هونغ كونغ": "HKD",
            "هونج كونج": "HKD",
        },
    ),
    (r"يورو", "EUR", True, {}),
    (
        r"روبل(?:ات|ا)?",
        "RUB",
        False,
        {"روسي": "RUB", "بيلاروسي": "BYN", "بلاروسي": "BYN", "بيلوروسي": "BYN"},
    ),
    (r"(?:تنغي|تينغي|تنغه|تينغه|تنجي|تينجي|تنكي|تنغ|تينغ)", "KZT", True, {"كازاخستاني": "KZT"}),
    (
        r"ريال(?:ات|ا)?",
        "SAR",
        False,
        {"ايراني": "IRR", "سعودي": "SAR", "قطري": "QAR", "عماني": "OMR", "يمني": "YER"},
    ),
    (r"(?:يوان(?:ات|ا)?|رنمينبي)", "CNY", True, {"صيني": "CNY"}),
    (
        r"جنيه(?:ات|ا)?",
        "EGP",
        False,
        {"استرليني": "GBP", "مصري": "EGP", "سوداني": "SDG"},
    ),
    (r"استرليني", "GBP", True, {}),
    (r"(?:درهم(?:ا)?|دراهم)", "AED", False, {"اماراتي": "AED", "مغربي": "MAD"}),
    (
        r"(?:دينار(?:ا)?|دنانير)",
        None,
        False,
        {
            "كويتي": "KWD",
            "اردني": "JOD",
            "عراقي": "IQD",
            "بحريني": "BHD",
            "جزائري": "DZD",
            "تونسي": "TND",
            "ليبي": "LYD",
        },
    ),
    (r"(?:ليرة|ليرات)", None, False, {"تركي": "TRY", "سوري": "SYP", "لبناني": "LBP"}),
    (r"درام(?:ا)?", "AMD", True, {"ارميني": "AMD", "ارمني": "AMD"}),
    (r"سوم(?:ا)?", "KGS", False, {"قيرغيزي": "KGS", "قرغيزي": "KGS", "اوزبكي": "UZS"}),
    (r"(?:سوموني|ساماني)", "TJS", True, {"طاجيكي": "TJS"}),
    (r"مانات", None, False, {"اذربيجاني": "AZN", "اذري": "AZN", "تركمانستاني": "TMT"}),
    (r"ين", "JPY", True, {"ياباني": "JPY"}),
    (r"فرنك(?:ات|ا)?", None, False, {"سويسري": "CHF"}),
    (r"روبي(?:ة|ه)", None, False, {"هندي": "INR", "باكستاني": "PKR"}),
]
CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "₽": "RUB", "£": "GBP", "₸": "KZT", "₺": "TRY"}
CURRENCY_CODES = words(
    "USD EUR RUB KZT BYN AMD KGS CNY RMB GBP IRR SAR AED EGP JPY CHF TRY INR UZS QAR KWD TJS AZN "
)


MONTHS = {
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "اغسطس": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    "كانون الثاني": 1,
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الاول": 12,
    "جانفي": 1,
    "فيفري": 2,
    "افريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "جويليه": 7,
    "اوت": 8,
    "يوليوز": 7,
    "غشت": 8,
    "شتنبر": 9,
    "نونبر": 11,
    "دجنبر": 12,
}
SHORT_MONTHS = ("اب", "ماي")  # no clitic: "باب" is a door, not August


RELATIVE = {
    "الماضي": "past",
    "الماضية": "past",
    "المنصرم": "past",
    "المنصرمة": "past",
    "الفائت": "past",
    "الفائتة": "past",
    "الاخير": "past",
    "الاخيرة": "past",
    "السابق": "past",
    "السابقة": "past",
    "المقبل": "next",
    "المقبلة": "next",
    "القادم": "next",
    "القادمة": "next",
    "الحالي": "current",
    "الحالية": "current",
    "الجاري": "current",
    "الجارية": "current",
}


TIME_NOUNS = words(
    "عام عاما اعوام العام الاعوام سنة سنوات السنة السنوات سنين السنين شهر شهرا اشهر "
    "الشهر الاشهر شهور الشهور اسبوع اسبوعا اسابيع الاسبوع الاسابيع يوم يوما ايام "
    "اليوم الايام عقد عقدا عقود العقد العقود قرن قرنا القرن "
)


FRACTIONS = {"نصف": Decimal("0.5"), "ربع": Decimal("0.25"), "ثلث": Decimal(1) / 3}
# Words that count a plural scale word without fixing the count ("بضعة مليارات").
VAGUE_BEFORE = re.compile(rf"(?<!\S)[وب]?(?:بضعة|بضع|عدة|عشرات|مئات){HS}+$")


HIJRI_MONTHS = {
    "محرم": 1,
    "المحرم": 1,
    "صفر": 2,
    "ربيع الاول": 3,
    "ربيع الاخر": 4,
    "ربيع الثاني": 4,
    "جمادي الاولي": 5,
    "جمادي الاول": 5,
    "جمادي الاخرة": 6,
    "جمادي الاخره": 6,
    "جمادي الاخر": 6,
    "جمادي الثانية": 6,
    "جمادي الثانيه": 6,
    "رجب": 7,
    "شعبان": 8,
    "رمضان": 9,
    "شوال": 10,
    **{f"{d} {m}": n for d in ("ذو", "ذي") for m, n in (("القعدة", 11), ("القعده", 11))},
    **{f"{d} {m}": n for d in ("ذو", "ذي") for m, n in (("الحجة", 12), ("الحجه", 12))},
}


SPEECH_VERBS = words(
    "قال قالت اكد اكدت اوضح اوضحت اشار اشارت اضاف اضافت صرح صرحت لفت لفتت تابع تابعت "
    "اعتبر اعتبرت شدد شددت ذكر ذكرت اعلن اعلنت كتب كتبت افاد افادت راي رات علق علقت "
    "ختم ختمت استطرد استطردت اردف اردفت نوه نوهت اعرب اعربت يقول تقول قائلا قائلة "
    "مضيفا مضيفة مؤكدا مؤكدة موضحا موضحة مشيرا مشيرة كشف كشفت "
    # who presented the figures ("وبحسب المعطيات التي عرضها خوجاييف")
    "عرضها عرضتها اوردها اوردتها "
)
# "بيّن" (made clear) is spelt as "بين" (between) once its shadda is dropped: a verb of
# speech only where it opens a sentence (وبيّن فلان أن).
SPEECH_OPENING_VERBS = words("بين بينت")


# Percent words after a figure ("4 في المئة", "4 بالمئة"), besides % and ٪.
PERCENT_WORDS = ("في المئة", "في المائة", "في الماية", "بالمئة", "بالمائة", "بالماية")
# The Hijri era after a year ("1446 هـ", the tatweel dropped), and the Gregorian ("2025م").
HIJRI_ERA = ("ه", "هجري", "هجرية", "للهجرة")
GREGORIAN_ERA = ("م", "ميلادي", "ميلادية", "للميلاد")

# Hedges: the words before a figure that say how exact it is, normalised, longest first when
# matched. The schema's values: about, more_than, less_than, at_least, at_most, exactly.
HEDGES: dict[str, str] = {
    **dict.fromkeys(
        words(
            "نحو بنحو ونحو حوالي بحوالي قرابة بقرابة زهاء تقريبا يقارب يناهز تناهز تقارب "
            "ناهز ناهزت قارب قاربت"
        ),
        "about",
    ),
    "ما يقارب": "about",
    "ما يناهز": "about",
    "ما يقرب من": "about",
    "يقرب من": "about",
    "ما يقترب من": "about",
    "يقترب من": "about",
    "تقترب من": "about",
    "ما يربو علي": "more_than",
    "يربو علي": "more_than",
    "اكثر من": "more_than",
    "باكثر من": "more_than",
    "ما يزيد علي": "more_than",
    "ما يزيد عن": "more_than",
    "يزيد علي": "more_than",
    "يزيد عن": "more_than",
    "تزيد علي": "more_than",
    "تزيد عن": "more_than",
    **dict.fromkeys(
        words("تجاوز تجاوزت يتجاوز تتجاوز تخطي تخطت يتخطي تتخطي فاق فاقت يفوق تفوق"),
        "more_than",
    ),
    "اقل من": "less_than",
    "باقل من": "less_than",
    "دون": "less_than",
    "ما لا يقل عن": "at_least",
    "لا يقل عن": "at_least",
    "لا تقل عن": "at_least",
    "بما لا يقل عن": "at_least",
    "علي الاقل": "at_least",
    "لم يتجاوز": "at_most",
    "لم تتجاوز": "at_most",
    "لا يتجاوز": "at_most",
    "لا تتجاوز": "at_most",
    "لم يزد علي": "at_most",
    "لم يزد عن": "at_most",
    "لا يزيد علي": "at_most",
    "لا يزيد عن": "at_most",
    "علي الاكثر": "at_most",
}
# A hedge ends right before the figure (a space, and "من" or "عن" or "على" already inside).
HEDGE_BEFORE = re.compile(rf"(?<!\S)(?:[وف]?(?:{alt(HEDGES)})){HS}+$")

# Ordinal day words (of a month): masculine, as dates print them ("الخامس عشر من آذار").
_ORDINAL_UNITS = {
    "الاول": 1, "الحادي": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5,
    "السادس": 6, "السابع": 7, "الثامن": 8, "التاسع": 9,
}  # fmt: skip
ORDINAL_DAYS: dict[str, int] = {w: v for w, v in _ORDINAL_UNITS.items() if w != "الحادي"}
ORDINAL_DAYS["العاشر"] = 10
for _w, _n in _ORDINAL_UNITS.items():
    if _n == 1 and _w == "الاول":
        continue
    ORDINAL_DAYS[f"{_w} عشر"] = 10 + _n
for _tens, _base in (("العشرين", 20), ("الثلاثين", 30)):
    ORDINAL_DAYS[_tens] = _base
    for _w, _n in _ORDINAL_UNITS.items():
        if _w == "الاول" or _base + _n > 31:
            continue
        ORDINAL_DAYS[f"{_w} و{_tens}"] = _base + _n

# Clitics a name may carry in print: و ف (and), ب ل ك (in, for, like), ال (the), and their
# contraction (للاتحاد = ل + الاتحاد). Longest first where matched.
CLITIC_PREFIXES = tuple(
    sorted(words("وبال وال بال لل كال فال وب ول وك فب فل و ف ب ل ك ال"), key=len, reverse=True)
)
# Country names and adjectives that print uses far more often as ordinary words: مالي and
# its forms mean "financial" («وزارة المالية», «دعم مالي») before they mean Mali. The drafter
# never reads them as a country.
NOT_COUNTRY_WORDS = frozenset(words("مالي مالية ماليه ماليون ماليين ماليات"))
# Nisba endings: masculine, feminine, plural (nominative, oblique), feminine plural.
NISBA_ENDINGS = {
    "masculine": ("ي",),
    "feminine": ("ية", "يه"),
    "plural": ("يون", "يين"),
    "feminine_plural": ("يات",),
}


def normalise(text: str) -> str:
    """Text as the lexicon's words are written: harakat, tatweel and bidi marks dropped, alef
    and yeh variants folded, Arabic-Indic digits made ASCII. Offsets change; the finder keeps
    its own map back (candidates._Text)."""
    return DROPPED.sub("", text).translate(FOLD)


def hedge_before(norm_before: str) -> tuple[str, str] | None:
    """The hedge ending right before a figure, given the normalised text before it: (hedge,
    the words as normalised), or None ("exactly" is the caller's default)."""
    found = HEDGE_BEFORE.search(norm_before)
    if found is None:
        return None
    phrase = re.sub(r"\s+", " ", found.group().strip())
    bare = phrase[1:] if phrase[:1] in "وف" and phrase not in HEDGES else phrase
    return HEDGES.get(bare, HEDGES.get(phrase, "about")), phrase


class Normalised:
    """A text normalised as the lexicon's words are (one character for one, once the dropped
    ones are gone), with the map from its indices back to the original's."""

    def __init__(self, text: str) -> None:
        self.orig = text
        # The kept characters lie between the dropped ones: copy them run by run.
        pos: list[int] = []
        at = 0
        for m in DROPPED.finditer(text):
            pos.extend(range(at, m.start()))
            at = m.end()
        pos.extend(range(at, len(text)))
        self.norm = DROPPED.sub("", text).translate(FOLD)
        self.pos = pos

    def span(self, ns: int, ne: int) -> tuple[int, int]:
        """Original (start, end) of normalised [ns, ne); trailing harakat stay with their letter."""
        start = self.pos[ns]
        end = self.pos[ne - 1] + 1
        while end < len(self.orig) and ord(self.orig[end]) in COMBINING:
            end += 1
        return start, end

    def to_norm(self, orig_index: int) -> int:
        """Normalised index of the first kept character at or after ``orig_index``."""
        return bisect_left(self.pos, orig_index)
