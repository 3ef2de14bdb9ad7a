"""Every person, place, organisation and country an article names, linked to the dataset's id
where it has one, or drafted as new: by its name or an alias, with the clitics print attaches
(وبيكتينوف، بموسكو، للاتحاد), by a country's adjective (الروسية، الكازاخستانيين), by the
surname of a person named in full earlier in the article, and, for a person the dataset lacks,
by the post printed before the name (رئيس الوزراء الأرميني، نيكول باشينيان) or on the name
line under a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from eaeu_facts.draft.known import Entity, Known, Post
from eaeu_facts.read.lexicon import BW, HS, NW, Normalised, alt, normalise, words

# Clitics before a name without the article (و ف, then ب ل ك), and before one with it.
_PREFIX = r"(?P<pre>[وف]?[بلك]?)"
# Words that end a name: prepositions, relatives, conjunctions, and the verbs of reports.
_STOP = {
    normalise(w)
    for w in words(
        "في مع من إلى الى على عن خلال أن إن يوم بعد قبل الذي التي الذين حيث كما وذلك بين "
        "لدى عند حول و أو ثم قد لقد كان كانت وقال قال أكد أشار أوضح وأكد وأشار وأوضح "
        "يقوم تقوم هذا هذه ذلك تلك وهو وهي بزيارة زيارة اليوم أمس مساء صباح "
        # What follows a name with no comma: its counterpart, or the verb of the two.
        "نظيره نظيرته ونظيره ونظيرته ونظيريه وعقيلته وناقشا وبحثا وأكدا واتفقا وتناولا وبحث "
        "وناقش وتناول واستعرض واستعرضا وعقدا وأجريا "
        # A clause after a post's comma ("رئيس الوزراء الأوزبكي، واتفق الجانبان"), and the
        # day a plan is for ("أن يزور الرئيس القيرغيزي غدًا مصنع ...").
        "واتفق وأعرب وأعربا وشدد وشددا ودعا ووقع ووقعا وجرى وتم وتمت غدا غدًا عقب إثر إنه أنه "
        # What a verb of talks names after the name ("أجرى ... سيرغي لافروف مباحثات مع")
        "مباحثات محادثات اجتماعا لقاء اتصالا برئاسة "
        # What was said or discussed ("أكد ...، أهمية التعاون", "بحث ... سبل التعاون")
        "أهمية ضرورة أولوية إمكانية تعزيز تطوير توسيع سبل آفاق "
        # A headline's verb after the name ("... بن سلمان يبحث مع ...", "... يستقبل لافروف")
        "يبحث تبحث يبحثان يستقبل تستقبل يلتقي تلتقي يلتقيان يجري تجري يعقد تعقد يؤكد تؤكد"
    )
}
# Words no name begins with ("ترأس ... أعمال الدورة": the proceedings, not a person; "وفدا
# رسميا برئاسة ...": a delegation).
_NEVER_FIRST = {normalise(w) for w in words("أعمال وفد وفدا")}
_NAME_WORD = r"[\u0621-\u064a]{2,}"
# The words of a lineage between the names of an Arab name ("محمد بن زايد آل نهيان", آل as
# normalised): they do not count towards a name's four words, and no name ends with one.
_LINEAGE = {"بن", "بنت", "ابن", "ال"}
_MAX_NAME = 4
# A word of a minister's portfolio between the post and the country's adjective ("وزير
# التنمية الرقمية والابتكارات ... الكازاخستاني"): «ال», «وال» or «لل», and no one named after
# the post ("والوفد الروسي", "وسعادة السفير الروسي", "والمستثمرين الأتراك").
_PORTFOLIO_WORD = (
    rf"{HS}+(?!(?:و|ال|وال)?(?:وفد|سفير|سفراء|مستثمر|شركات|مسؤول|صحفي))(?:ال|وال|لل)[^\s،,.]+"
)
# Where an envoy is posted, between the post and the name.
_ACCREDITED = re.compile(rf"{HS}+لدي{HS}+\S+?(?=[،,]|{HS})")
# A minister's portfolio after the post, where no country follows ("وزير الصناعة والنقل",
# "وزير الدولة للتجارة الخارجية").
_MINISTER_PORTFOLIO = re.compile(rf"(?:{HS}+(?:وال|لل)[^\s،,.:؛()]+(?:{HS}+ال[^\s،,.:؛()]+)*)+")
# A deputy's portfolio after the post, before any name ("لشؤون التكامل", "للشؤون الاقتصادية").
_PORTFOLIO = re.compile(rf"(?:لشؤون|للشؤون|لل[^\s،,.]+)(?:{HS}+(?:ال|وال)[^\s،,.]+){{0,3}}")
# Titles of address between a post and the name ("وزير التجارة الدكتور ماجد ...").
_TITLE_WORDS = r"الدكتور|الدكتورة|د\.|المهندس|المهندسة|الشيخ|الشيخة"
_TITLE = re.compile(rf"(?:(?:{_TITLE_WORDS}){HS}+)+")
# Titles of address a quotation's name line may open with ("صاحب السمو الملكي الأمير عبد
# العزيز بن سلمان وزير الطاقة السعودي"); only there, where nothing but the name stands
# between them and the post (between a post and a name, they as often begin the next one's).
_ADDRESS = re.compile(
    rf"(?:(?:{_TITLE_WORDS}|الامير|الاميرة|السيد|السيدة|سمو|معالي|سعادة|فخامة"
    rf"|صاحب{HS}+(?:السمو|الجلالة|المعالي|السعادة)(?:{HS}+الملكي)?){HS}+)+"
)
# A name after a post: one to four words, then a comma, a full stop, a colon or a word
# that ends it.
_NAME_AFTER = re.compile(rf"(?P<name>{_NAME_WORD}(?:{HS}+{_NAME_WORD}){{0,6}})")


@dataclass
class Mention:
    """An entity named at [start, end) of the original text; `name` the span of the name
    itself, clitics aside; a person's post and country as printed beside this mention."""

    entity: Entity
    start: int
    end: int
    name: tuple[int, int]
    post: PostPrinted | None = None


@dataclass
class PostPrinted:
    """A post as printed: its words and span, its gazetteer entry, and the country its
    adjective or construct names."""

    text: str
    start: int
    end: int
    post: Post
    country: str | None
    home: bool = False  # the country is the dateline's (see _home_posts), not printed


@dataclass
class Linked:
    """What an article names: every mention in text order, and the new entities."""

    mentions: list[Mention] = field(default_factory=list)
    new: list[Entity] = field(default_factory=list)

    def of(self, kind: str, start: int = 0, end: int | None = None) -> list[Mention]:
        end = end if end is not None else 10**12
        return [m for m in self.mentions if m.entity.kind == kind and start <= m.start < end]


def link(text: str, known: Known) -> Linked:
    """Every mention in `text`, linked or new."""
    t = Normalised(text)
    linked = Linked()
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(mention: Mention) -> None:
        linked.mentions.append(mention)
        taken.append((mention.start, mention.end))

    posts = _posts(t, known)
    # A name printed before its post ("استقبل الفريق كامل الوزير، نائب رئيس الوزراء",
    # "بمشاركة معالي محمد حسن السويدي وزير الاستثمار"), where no name follows the post.
    for post in posts:
        found = _name_before(t, post.start)
        if found is None:
            continue
        start, end, name = found
        entity = known.names.get(normalise(name)) or known.surnames.get(normalise(name))
        if entity is None:
            entity = _new_person(linked, known, name, post.country)
        if entity.kind == "person" and free(start, end):
            add(Mention(entity, start, end, (start, end), post))
    # People the posts introduce: a post, then a name (new or known).
    for post in posts:
        if any(m.post is post for m in linked.mentions):
            continue  # its name printed before it
        after = _norm_end(t, post.end)
        if envoy := _ACCREDITED.match(t.norm, after):  # "السفير الروسي لدى فيتنام، ..."
            after = envoy.end()
        at = _skip_comma(t.norm, after)
        if portfolio := _PORTFOLIO.match(t.norm, at):  # "نائب رئيس الوزراء لشؤون التكامل"
            at = _skip_comma(t.norm, portfolio.end())
        if title := _TITLE.match(t.norm, at):
            at = title.end()
        m = _NAME_AFTER.match(t.norm, at)
        if m is None:
            continue
        words = _name_words(m["name"], text[slice(*t.span(m.start("name"), m.end("name")))])
        ns = m.start("name")
        # A name ends where the next post begins, in a list with no commas ("والرئيس القيرغيزي
        # صادر جاباروف ورئيس الوزراء الأرميني ...").
        later = min((p.start for p in posts if p.start > post.end), default=len(text))
        while words and t.span(ns, _word_end(t.norm, ns, len(words)))[1] > later:
            words.pop()
        if not words:
            continue
        ne = _word_end(t.norm, ns, len(words))
        start, end = t.span(ns, ne)
        name = text[start:end]
        listed = re.fullmatch(r"\s+و", text[end:later]) is not None
        entity = known.names.get(normalise(name)) or known.surnames.get(normalise(name))
        if entity is None:
            if len(words) < 2 or not (_ends_name(t.norm, ne) or listed):
                continue
            entity = _new_person(linked, known, name, post.country)
        if entity.kind == "person" and free(start, end):
            add(Mention(entity, start, end, (start, end), post))
    # A counterpart named with his country's adjective ("ونظيره الأذربيجاني إلهام علييف"): of
    # that country; his post is the one the article prints for him, if any.
    for m in _COUNTERPART.finditer(t.norm) if known.nisba else ():
        code = known.nisba.get(m["nisba"])
        printed = text[slice(*t.span(m.start("name"), m.end("name")))]
        words = _name_words(m["name"], printed)
        if code is None or len(words) < 2:
            continue
        ne = _word_end(t.norm, m.start("name"), len(words))
        start, end = t.span(m.start("name"), ne)
        name = text[start:end]
        entity = known.names.get(normalise(name))
        if entity is None:
            if not _ends_name(t.norm, ne):
                continue
            entity = _new_person(linked, known, name, code)
        if entity.kind == "person" and free(start, end):
            add(Mention(entity, start, end, (start, end)))
    # Name lines under quotations: the name (after any title of address), then the post.
    for line_start, line in _lines(text):
        post = next((p for p in posts if line_start <= p.start < line_start + len(line)), None)
        if post is None or post.start == line_start:
            continue
        if text[post.end : line_start + len(line)].strip():
            continue  # a name line is a name and a post, nothing after
        name_start = min(after_titles(text, line_start), post.start)
        name = text[name_start : post.start].strip().rstrip("،,").rstrip()
        words = normalise(name).split()
        if len(words) < 2 or any(w in _POST_HEADS for w in words):
            continue
        if len(_name_words(" ".join(words), name)) != len(words):
            continue  # no name's words (too many, or a headline's verb: "... يستقبل ...")
        if not all(re.fullmatch(_NAME_WORD, w) for w in words):
            continue
        start = name_start + text[name_start:].index(name)
        end = start + len(name)
        if not free(start, end):
            continue
        entity = known.names.get(normalise(name))
        if entity is None:
            entity = _new_person(linked, known, name, post.country)
        add(Mention(entity, start, end, (start, end), post))
    # Councils of a body: the council new, the body named inside its name (a row of its own
    # where the dataset lacks it, for the council to be part of).
    for entity, start, end, body in _councils_of(t, known):
        if free(start, end):
            linked.new.append(entity)
            known.names.setdefault(normalise(entity.name_ar), entity)
            add(Mention(entity, start, end, (start, end)))
            linked.mentions.append(body)
    # Organisations the dataset lacks, named by their kind: a joint commission of two
    # governments, an agency, a ministry, an office.
    for entity, start, end in [*_joint_commissions(t, known), *_new_organizations(t, known)]:
        if free(start, end):
            # named twice (a headline, then the body): one new row, mentioned twice
            same = known.names.setdefault(normalise(entity.name_ar), entity)
            if same is entity:
                linked.new.append(entity)
            add(Mention(same, start, end, (start, end)))
    # Towns the dataset lacks, named with their kind and country ("في بلدة كورداي الكازاخستانية",
    # "استضافت مدينة سان بطرسبرج الروسية"): new, and linked below wherever named.
    for entity in _new_places(t, known):
        linked.new.append(entity)
        known.names.setdefault(normalise(entity.name_ar), entity)
    # Every other name the dataset or the article knows, with its clitics.
    for m in _names_re(known).finditer(t.norm) if known.names else ():
        key = re.sub(r"\s+", " ", m["name"])
        entity = known.names.get(key) or known.surnames.get(key)
        if entity is None and key.startswith("ل") and m["pre"].endswith("ل"):
            entity = known.names.get("ا" + key)  # للاتحاد: ل and الاتحاد, its alef dropped
        if entity is None:
            continue
        start, end = t.span(m.start(), m.end())
        name = t.span(m.start("name"), m.end("name"))
        # Its own short name after it in brackets: "وكالة الأنباء الإيرانية (إرنا)".
        short = re.match(r"[ \t]*\(([^()\n]{1,25})\)", text[end:])
        if short and known.names.get(normalise(short[1]).strip()) is entity:
            end = name_end = end + short.end()
            name = (name[0], name_end)
        if free(start, end):  # a post printed before a name is a person's, not a place's
            post = _post_before(posts, start) if entity.kind == "person" else None
            add(Mention(entity, start, end, name, post))
    # Countries by their adjective.
    for m in _nisba_re(known).finditer(t.norm) if known.nisba else ():
        code = known.nisba[m["nisba"]]
        start, end = t.span(m.start(), m.end())
        if free(start, end):
            entity = known.countries[code]
            add(Mention(entity, start, end, t.span(m.start("nisba"), m.end("nisba"))))
    # Last, an agency by the short name a wire prints in brackets or at a dateline's end:
    # "(كونا)", "أبوظبي - وام", "/أ ش أ/".
    for entity, start, end in _agency_marks(t, known):
        if free(start, end):
            add(Mention(entity, start, end, (start, end)))
    linked.mentions.sort(key=lambda m: m.start)
    return linked


def _new_places(t: Normalised, known: Known) -> list[Entity]:
    """A city, town or village the dataset lacks, printed after its kind with its country's
    adjective, which a name takes with the article ("بلدة كورداي الكازاخستانية"; "بلدة
    حدودية روسية" is a border town, no name): of that country."""
    if not known.nisba:
        return []
    pattern = re.compile(
        BW
        + rf"[وفب]?(?:مدينة|بلدة|قرية){HS}+(?P<name>{_NAME_WORD}(?:{HS}+{_NAME_WORD})?)"
        + rf"{HS}+ال(?P<nisba>{alt(known.nisba)}){NW}"
    )
    out: dict[str, Entity] = {}
    for m in pattern.finditer(t.norm):
        key = re.sub(r"\s+", " ", m["name"])
        named = key.split()
        if key in known.names or key in out or any(w in _STOP for w in named):
            continue
        if any(w.startswith("ال") or w.endswith(("ية", "يه")) for w in named):
            continue  # an adjective ("صناعية") or a title ("أستانا العاصمة"), not a name
        start, end = t.span(m.start("name"), m.end("name"))
        out[key] = Entity("place", None, t.orig[start:end], None, known.nisba[m["nisba"]])
    return list(out.values())


# "وكالة كابار", "وكالة «دنيو» الأوزبكية": an agency by its one-word or quoted name.
_AGENCY = re.compile(
    BW + r"[وف]?[بل]?(?P<kind>وكالة)\s+(?P<name>«[^»\n]{2,30}»|\"[^\"\n]{2,30}\"|"
    r"[A-Za-z][\w.-]{1,20}|[\u0621-\u064a]{3,})"
)
# A ministry or an office of a country, through the adjective that names the country:
# "وزارة الاستثمار والتجارة الخارجية المصرية", "مكتب الإحصاء الوطني الكازاخستاني"; its
# central bank, with the country right after ("البنك المركزي الروسي", "البنك المركزي لمصر").
_OFFICE = (
    r"(?:وزارة|مكتب|هيئة|الهيئة|لجنة|اللجنة|دائرة|مصلحة|منظمة|الادارة{HS}+العامة|ادارة"
    r"|الخدمة{HS}+الصحفية|المكتب{HS}+الصحفي)"
)
_AGENCY_WORDS = {"الانباء", "انباء", "الاعلام"}


# "اللجنة الحكومية المشتركة للتعاون الاقتصادي بين كازاخستان وأوزبكستان", "اللجنة السعودية
# الروسية المشتركة للتعاون التجاري والاقتصادي", "اللجنة الحكومية الروسية الأرمينية للتعاون
# الاقتصادي": the commission two governments hold, by the words of its name (its purpose, the
# two countries) up to the first that is not one.
# Adjectives in «ية» that name no country ("اللجنة الحكومية الروسية المعنية بالتنمية").
_NOT_NISBA = (
    r"(?:المعنية|الفرعية|الوطنية|الاقتصادية|الفنية|التنفيذية|الدولية|الحكومية|الرئيسية"
    r"|الاستشارية|الخاصة|الدائمة)"
)
JOINT_COMMISSION = (
    rf"اللجنة(?:(?:{HS}+ال[^\s،,.:؛]+){{0,3}}?{HS}+المشتركة"
    rf"|{HS}+الحكومية(?:{HS}+(?!{_NOT_NISBA})ال[^\s،,.:؛]+ية){{2}})"
    rf"(?:{HS}+(?:لل|ل|ال|وال)[^\s،,.:؛]+|{HS}+بين{HS}+[^\s،,.:؛]+{HS}+و[^\s،,.:؛]+)*"
)


def _joint_commissions(t: Normalised, known: Known) -> list[tuple[Entity, int, int]]:
    """Joint commissions the dataset lacks: intergovernmental bodies of no one country."""
    out = []
    for m in re.finditer(BW + rf"[وف]?[بل]?(?P<name>{JOINT_COMMISSION})", t.norm):
        name = m["name"].rstrip("،,.")
        # a person's name after it, whose «أ» folds to the article: "... للتعاون الاقتصادي
        # أليكسي أوفرتشوك"
        at = m.start("name")
        words = list(re.finditer(r"\S+", name))
        while (
            len(words) > 2
            and t.orig[t.span(at + words[-1].start(), at + words[-1].end())[0]] in "أإآ"
        ):
            words.pop()
        name = name[: words[-1].end()]
        if "\n" in name or name in known.names:
            continue
        start, end = t.span(m.start("name"), m.start("name") + len(name))
        extra = (("organization_type", "intergovernmental_body"),)
        out.append((Entity("organization", None, t.orig[start:end], None, None, extra), start, end))
    return out


def _new_organizations(t: Normalised, known: Known) -> list[tuple[Entity, int, int]]:
    """Organisations named by what they are, with the country their adjective names; one
    the dataset knows by that name is left to be linked by it."""
    out = []
    for m in _AGENCY.finditer(t.norm):
        word = m["name"].strip('«»"').rstrip(".-")
        nisba = alt(known.nisba) or r"(?!x)x"
        after = t.norm[m.end() :]
        ends = re.match(rf"{HS}*(?:[،,.:]|$|\n|للانباء|(?:ال)?(?:{nisba}){NW})", after)
        if word.startswith("ال") and not m["name"].startswith(("«", '"')) and not ends:
            continue  # "وكالة التخطيط الاستراتيجي": of government; "وكالة الأناضول،": news
        if word in _AGENCY_WORDS or word in known.nisba or word.removeprefix("ال") in known.nisba:
            continue
        if word in known.names or f"وكالة {word}" in known.names:
            continue
        code = None
        after = re.match(rf"{HS}+(?:ال)?(?P<nisba>{alt(known.nisba)}){NW}", t.norm[m.end() :])
        if after and known.nisba:
            code = known.nisba[after["nisba"]]
        start, end = t.span(m.start("kind"), m.start("name") + len(m["name"].rstrip(".-")))
        extra = (("organization_type", "news_agency"),)
        entity = Entity("organization", None, t.orig[start:end], None, code, extra)
        out.append((entity, start, end))
    if known.nisba:
        countries = alt(k for k, e in known.names.items() if e.kind == "country") or r"(?!x)x"
        office = re.compile(
            BW + rf"[وف]?[بل]?(?P<office>{_OFFICE.format(HS=HS)}(?:{HS}+\S+){{1,4}}?{HS}+"
            rf"(?:(?:لل|ل|ال)?(?P<nisba>{alt(known.nisba)})|في{HS}+(?P<country>{countries}))"
            rf"|البنك{HS}+المركزي{HS}+(?:ال(?P<bank>{alt(known.nisba)})|ل(?P<bank_of>{countries}))"
            rf"){NW}"
        )
        for m in office.finditer(t.norm):
            if "\n" in m["office"] or normalise(m["office"]) in known.names:
                continue
            if re.search(r"(?<!\w)(?:ان|أن|إن|بان|بأن|الذي|التي)(?!\w)", m["office"]):
                continue  # "ذكرت اللجنة أن الصادرات البيلاروسية": what it said, not its name
            if re.match(rf"ال\S+{HS}+(?!ال|ل)", m["office"]):
                continue  # "تعقد اللجنة اجتماعها المقبل في روسيا": the body's act, not its name
            if re.search(r"(?<!\w)عضو(?!\w)", t.norm[max(0, m.start() - 30) : m.start()]):
                continue  # a body of a person's membership ("عضو المكتب السياسي للجنة ...")
            start, end = t.span(m.start("office"), m.end("office"))
            # Its own short name after it in brackets: "اللجنة الوطنية للإحصاء (بيلستات)".
            if short := re.match(r"[ \t]*\([^()\n،,]{2,25}\)", t.orig[end:]):
                end += short.end()
            extra = (("organization_type", "government_office"),)
            if m["nisba"] or m["bank"]:
                code = known.nisba[m["nisba"] or m["bank"]]
            else:
                code = known.names[re.sub(r"\s+", " ", m["country"] or m["bank_of"])].id
            out.append(
                (Entity("organization", None, t.orig[start:end], None, code, extra), start, end)
            )
    return out


def _new_person(linked: Linked, known: Known, name: str, country: str | None) -> Entity:
    """A person the dataset lacks, drafted as new: known from here on by the full name and by
    the surname, so that a later mention by either links to it."""
    entity = Entity("person", None, name, None, country)
    linked.new.append(entity)
    surname = normalise(name).split()[-1]
    if surname.removeprefix("ال") not in _POST_HEADS:  # "كامل الوزير": not "نائب الوزير"
        known.surnames.setdefault(surname, entity)
    known.names.setdefault(normalise(name), entity)
    return entity


def _short(name: str) -> str | None:
    """The short name of an agency whose name is "وكالة [أنباء] X" (وام of وكالة وام)."""
    short = re.sub(r"^وكالة\s+(?:انباء\s+)?", "", name)
    return short if short != name and 2 <= len(short) <= 12 and not short.startswith("ال") else None


def _agency_marks(t: Normalised, known: Known) -> list[tuple[Entity, int, int]]:
    """News agencies by the short name a wire prints in brackets, slashes or after a dash at
    a line's end ("(كونا)", "أبوظبي - وام"): alone in running text such a word may be
    another, so only there."""
    shorts = {
        short: entity
        for key, entity in known.names.items()
        if entity.kind == "organization" and entity.get("organization_type") == "news_agency"
        if (short := _short(key))
    }
    if not shorts:
        return []
    mark = re.compile(
        rf"[(/]{HS}*(?P<a>{alt(shorts)}){HS}*[)/]|[-–]{HS}*(?P<b>{alt(shorts)}){HS}*(?=$|\n|[.،])",
        re.M,
    )
    out = []
    for m in mark.finditer(t.norm):
        group = "a" if m["a"] else "b"
        start, end = t.span(m.start(group), m.end(group))
        out.append((shorts[m[group]], start, end))
    return out


def _councils_of(t: Normalised, known: Known) -> list[tuple[Entity, int, int, Mention]]:
    """A council of a body the dataset or the gazetteer knows, named by its members' words and
    the body: "مجلس وزراء دولة الاتحاد", "مجلس رؤساء دول رابطة الدول المستقلة". Part of that
    body, whose mention inside the name comes with it."""
    bodies = {
        key: e
        for key, e in known.names.items()
        if e.kind == "organization"
        and e.id
        and e.get("organization_type") in ("international_organization", "intergovernmental_body")
    }
    if not bodies:
        return []
    council = re.compile(
        BW + rf"[وف]?[بل]?(?P<council>(?:ال)?مجلس(?:{HS}+[^\s،,.:]+){{0,3}}?{HS}+"
        rf"(?P<body>{alt(bodies)})){NW}"
    )
    out = []
    for m in council.finditer(t.norm):
        name = re.sub(r"\s+", " ", m["council"])
        if "\n" in m["council"] or name in known.names or name.removeprefix("ال") in known.names:
            continue
        if re.search(rf"رئيس(?:ة)?{HS}*$", t.norm[: m.start()]):
            continue  # "رئيس مجلس إدارة اللجنة": the board someone chairs, named in a post
        parent = bodies[re.sub(r"\s+", " ", m["body"])]
        start, end = t.span(m.start("council"), m.end("council"))
        extra = (
            ("organization_type", "intergovernmental_body"),
            ("parent_organization_id", parent.id),
        )
        entity = Entity("organization", None, t.orig[start:end], None, None, extra)
        body_at = t.span(m.start("body"), m.end("body"))
        out.append((entity, start, end, Mention(parent, *body_at, body_at)))
    return out


def posts_in(text: str, known: Known) -> list[PostPrinted]:
    """Every post printed in `text`, with the adjective or country name after it."""
    return _posts(Normalised(text), known)


def _posts(t: Normalised, known: Known) -> list[PostPrinted]:
    """Every post printed, with the adjective or country name after it."""
    if not known.posts:
        return []
    forms = {normalise(p.post_ar): p for p in known.posts}
    never = r"(?!x)x"
    nisba = alt(known.nisba) or never
    countries = alt(k for k, e in known.names.items() if e.kind == "country") or never
    # The country a post is of, named after it: "في جمهورية كازاخستان", "بجمهورية كازاخستان",
    # "لأوزبكستان".
    of_country = rf"(?:{HS}+في{HS}+|{HS}+[بل])(?:جمهوري(?:ة|ه){HS}+)?(?P<country>{countries}){NW}"
    # A woman's post: its first word feminine ("نائبة رئيس الوزراء", "وزيرة الخارجية"); not
    # an official's, whose feminine is another word ("محافظة", a province).
    forms.update(
        {
            f"{first}ة{rest}": p
            for form, p in list(forms.items())
            if p.rank != "official"
            for first, rest in [_split(form)]
            if first not in ("رئيس", "الرئيس")  # "الرئيسة": main, as an adjective
        }
    )
    pattern = re.compile(
        BW
        + rf"[وف]?[لب]?(?P<post>{alt(forms)})"
        + rf"(?:{HS}+(?:ال)?(?P<nisba>{nisba})|{HS}+(?P<country>{countries}))?{NW}"
    )
    out = []
    for m in pattern.finditer(t.norm):
        post = forms[re.sub(r"\s+", " ", m["post"])]
        code = None
        if m["nisba"]:
            code = known.nisba[m["nisba"]]
        elif m["country"]:
            code = known.names[re.sub(r"\s+", " ", m["country"])].id
        if code is None and post.post_ar in ("الرئيس", "رئيس"):
            continue  # "the president" of what: a post only with its country
        end_norm = m.end()
        if gloss := re.match(rf"{HS}*\([^()\n]{{1,30}}\)", t.norm[end_norm:]):
            end_norm += gloss.end()  # "أكيم (حاكم) مقاطعة جامبيل": the post glossed
        if code is None and post.rank == "minister" and known.nisba:
            # A portfolio the gazetteer does not list, then the country: "وزير الاستثمار
            # والتجارة الخارجية المصري".
            more = (
                re.match(
                    rf"(?:{_PORTFOLIO_WORD}){{0,4}}?{HS}+(?:ال)?(?P<nisba>{nisba}){NW}",
                    t.norm[end_norm:],
                )
                or re.match(  # "وزير التنمية الاقتصادية والتجارة في طاجيكستان": portfolio words
                    rf"(?:{_PORTFOLIO_WORD}){{0,4}}?{of_country}",
                    t.norm[end_norm:],
                )
            )
            if more and more.groupdict().get("nisba"):
                code, end_norm = known.nisba[more["nisba"]], end_norm + more.end()
            elif more:
                code = known.names[re.sub(r"\s+", " ", more["country"])].id
                end_norm += more.end()
        portfolio = _MINISTER_PORTFOLIO.match(t.norm, end_norm)
        if code is None and post.rank == "minister" and portfolio:
            end_norm = portfolio.end()
        if code is None and post.rank == "official":
            code, end_norm = _of_place_or_body(t, known, end_norm)
        if code is not None:  # "السفير الروسي لدى فيتنام": where the post is held
            where = re.match(rf"{HS}+لد[يى]{HS}+(?:{countries}){NW}", t.norm[end_norm:])
            if where:
                end_norm += where.end()
        else:  # "وزير الخارجية في جمهورية كازاخستان": the country the post is of
            of = re.match(of_country, t.norm[end_norm:])
            if of:
                code = known.names[re.sub(r"\s+", " ", of["country"])].id
                end_norm += of.end()
        begin = m.start("post")
        near = max(0, begin - 16)
        if post.rank == "minister" and (deputy := _DEPUTY.search(t.norm[near:begin])):
            begin = near + deputy.start(1)  # "نائب وزير الصناعة والتجارة الروسي": a deputy
            post = Post(f"نائب {post.post_ar}", f"Deputy {post.post_en}", "deputy")
        start, end = t.span(begin, end_norm)
        if out and start < out[-1].end:
            continue  # the gloss of the post before
        out.append(PostPrinted(t.orig[start:end], start, end, post, code))
    return _home_posts(t, known, _double_hatted(t, out))


def _home(t: Normalised, known: Known) -> tuple[str, tuple[int, int]] | None:
    """The country of a wire datelined at home (its dateline city's and its agency's), and
    where its lead, the first sentence after the dateline, stands (normalised offsets)."""
    lines = t.norm.split("\n", 2)
    places = {k: e for k, e in known.names.items() if e.kind == "place" and e.country_code}
    if len(lines) < 2 or not places:
        return None
    m = re.match(rf"{HS}*(?P<city>{alt(places)}){NW}{HS}*(?:[،,(/–-]|في{HS}+[0-9]|[0-9])", lines[1])
    if m is None:
        return None
    home = places[re.sub(r"\s+", " ", m["city"])].country_code
    agencies = [
        name
        for k, e in known.names.items()
        if e.kind == "organization"
        and e.country_code == home
        and e.get("organization_type") in ("news_agency", "broadcaster")
        for name in (k, _short(k))
        if name
    ]
    dateline = lines[1][: m.end() + 60]
    found = agencies and re.search(rf"(?<!\w)(?:{alt(agencies)})(?!\w)", dateline)
    if not found:
        return None
    start = len(lines[0]) + 1
    after = start + found.end()
    line_end = t.norm.find("\n", after) if "\n" in t.norm[after:] else len(t.norm)
    end = _SENTENCE_END.search(t.norm, after)
    if end is None or line_end < end.start():  # a dateline on a line of its own: the next one's
        end = _SENTENCE_END.search(t.norm, line_end + 1)
    return home, (start, end.end() if end else len(t.norm))


_SENTENCE_END = re.compile(r"[.!؟](?:\s|$)")

# The posts of a government that a wire prints with no country for its own country's
# officials ("القاهرة في 18 فبراير /أ ش أ/ استقبل ... نائب رئيس الوزراء وزير الصناعة").
_HOME_RANKS = ("minister", "deputy", "first_deputy", "head_of_government")
# A post of a body, not of a government ("وزير التجارة في اللجنة الاقتصادية الأوراسية").
_OF_BODY = re.compile(
    rf"[^،,.\n]{{0,40}}?(?:في|لدي|لدى|ب|لل){HS}*(?:ال)?(?:لجنة|منظمة|اتحاد|مجلس|هيئة|بنك|رابطة)"
)


def _home_posts(t: Normalised, known: Known, posts: list[PostPrinted]) -> list[PostPrinted]:
    """A government post printed with no country in the lead of a wire of a country
    datelined at home (its second line opens with a city of that country and names an agency
    of it: "القاهرة في 18 فبراير /أ ش أ/ استقبل الفريق كامل الوزير، نائب رئيس الوزراء ...")
    is of that country: a wire names its own host so. Not where the correspondent files from
    abroad ("موسكو في 12 مايو /أ ش أ/"), nor further on, where others are quoted. `home`."""
    found = _home(t, known)
    if found is None:
        return posts
    home, (lead_start, lead_end) = found
    return [
        PostPrinted(p.text, p.start, p.end, p.post, home, home=True)
        if p.country is None
        and lead_start <= t.to_norm(p.start) < lead_end
        and p.post.rank in _HOME_RANKS
        and not _OF_BODY.match(t.norm, t.to_norm(p.end))
        else p
        for p in posts
    ]


def _split(form: str) -> tuple[str, str]:
    """A post's first word, and the rest with its leading space."""
    first, space, rest = form.partition(" ")
    return first, space + rest


def _of_place_or_body(t: Normalised, known: Known, at: int) -> tuple[str | None, int]:
    """The place or body an official's post is of ("حاكم ولاية أنديجان", "رئيس بلدية مدينة
    أوش", "المتحدث باسم الخارجية الروسية") up to the comma before the name, and the country
    it gives: the place's, or the adjective's; (None, at) where the words give none."""
    more = re.match(rf"(?:{HS}+[^\s،,.:؛()\n]+){{1,7}}?(?={HS}*[،,])", t.norm[at:])
    if more is None:
        return None, at
    words = more.group()
    places = {k: e for k, e in known.names.items() if e.kind in ("place", "country")}
    for word in re.findall(r"\S+", words):
        bare = re.sub(r"^(?:[وف]?(?:لل|ال|ل|ب))", "", word)
        if bare in known.nisba:
            return known.nisba[bare], at + more.end()
    found = re.search(rf"(?<!\w)(?:ل|ب)?(?P<name>{alt(places)}){NW}", words) if places else None
    if found:
        entity = places[re.sub(r"\s+", " ", found["name"])]
        code = entity.id if entity.kind == "country" else entity.country_code
        return code, at + more.end()
    return None, at


_DEPUTY = re.compile(rf"(?<!\w)[وف]?[لب]?(نائب){HS}+$")


# Between two posts printed as one: a dash, or the first's portfolio ("نائب رئيس الوزراء
# للتنمية الصناعية وزير الصناعة والنقل").
_BETWEEN_POSTS = re.compile(
    rf"{HS}+(?:(?:لل|ل)[^\s،,.]+(?:{HS}+(?:ال|و)[^\s،,.]+){{0,3}}{HS}+)?(?:[-–—]{HS}+|و)?"
)


def _double_hatted(t: Normalised, posts: list[PostPrinted]) -> list[PostPrinted]:
    """Two posts printed as one ("نائب رئيس الوزراء وزير الاقتصاد الوطني الكازاخستاني", or
    with a dash between):
    one post, the first's, of the country the second names, if it names one."""
    out: list[PostPrinted] = []
    for post in posts:
        last = out[-1] if out else None
        if (
            last is not None
            and last.country is None
            and re.fullmatch(_BETWEEN_POSTS, normalise(t.orig[last.end : post.start]))
        ):
            words = t.orig[last.start : post.end]
            out[-1] = PostPrinted(words, last.start, post.end, last.post, post.country)
        else:
            out.append(post)
    return out


def after_titles(text: str, at: int) -> int:
    """Where a name line's name starts after the titles of address printed at `at` ("الأمير
    عبد العزيز بن سلمان", "معالي الدكتور ..."): `at` itself where there are none."""
    t = Normalised(text[at : at + 80])
    title = _ADDRESS.match(t.norm)
    return at + t.span(0, title.end())[1] if title else at


def _post_before(posts: list[PostPrinted], start: int) -> PostPrinted | None:
    """The post printed right before a name (a comma and spaces between at most)."""
    for post in posts:
        if 0 <= start - post.end <= 3:
            return post
    return None


def _names_re(known: Known) -> re.Pattern[str]:
    names = [*known.names, *known.surnames]
    contracted = [n[1:] for n in names if n.startswith("ال")]
    return re.compile(BW + _PREFIX + rf"(?P<name>{alt([*names, *contracted])}){NW}")


def _nisba_re(known: Known) -> re.Pattern[str]:
    prefix = r"(?P<pre>[وف]?(?:بال|لل|ال|ب|ل)?)"
    return re.compile(BW + prefix + rf"(?P<nisba>{alt(known.nisba)}){NW}")


# Titles and honorifics print puts before a name; a name printed before its post starts after
# one of them, or, where a comma parts it from the post, after a word that introduces the
# people of a meeting (استقبل، بمشاركة).
_TITLES = {
    normalise(w)
    for w in words(
        "معالي ومعالي سعادة وسعادة فخامة وفخامة سمو وسمو الفريق والفريق مهندس المهندس "
        "والمهندس الدكتور والدكتور السيد والسيد السيدة والسيدة الشيخ والشيخ"
    )
}
# The first words of posts, which no name holds ("سمو وزير الطاقة يلتقي نائب رئيس الوزراء").
_POST_HEADS = {normalise(w) for w in words("وزير وزيرة رئيس رئيسة نائب نائبة سفير محافظ حاكم")}
_BEFORE_NAME = _TITLES | {
    normalise(w) for w in words("استقبل واستقبل التقى والتقى بمشاركة بحضور وبحضور وبمشاركة مع ومع")
}
_COUNTERPART = re.compile(
    BW + rf"[وف]?نظير(?:ه|ته){HS}+(?:ال)?(?P<nisba>[^\s،,]+){HS}*[،,]?{HS}*(?P<name>{_NAME_WORD}"
    rf"(?:{HS}+{_NAME_WORD}){{0,6}})"
)


def _name_before(t: Normalised, post_start: int) -> tuple[int, int, str] | None:
    """The name printed right before a post (a comma between at most), after a title, a verb
    or a comma: its original span and words; None where the words before are not one."""
    ns = t.to_norm(post_start)
    offset = max(0, ns - 80)
    head = t.norm[offset:ns]
    m = re.search(rf"(?P<name>{_NAME_WORD}(?:{HS}+{_NAME_WORD}){{1,6}}){HS}*[،,]?{HS}*$", head)
    if m is None:
        return None
    spans = [(w.start(), w.end()) for w in re.finditer(r"\S+", head[: m.end("name")])]
    names = [head[a:b] for a, b in spans][-len(m["name"].split()) :]
    spans = spans[-len(names) :]
    comma = bool(re.search(r"[،,]", head[m.end("name") :]))
    for k in range(len(names), 1, -1):  # the longest run of name words after an introducer
        run = names[-k:]
        intro = head[: spans[-k][0]].split()[-1:] or [""]
        # One of a list, parted by commas: "...، وأليكسي جروزديف، نائب وزير ..."
        listed = comma and run[0].startswith("و") and intro[0].endswith(("،", ","))
        first = t.orig[slice(*t.span(offset + spans[-k][0], offset + spans[-k][1]))]
        if not _fits(run) or run[0] in _LINEAGE or run[-1] in _LINEAGE:
            continue
        if first.startswith(("ال", "وال")) or any(
            w in _STOP or w in _BEFORE_NAME or w in _POST_HEADS for w in run
        ):
            continue  # (as printed: أليكسي is a name, the article's ال is not)
        if intro[0] in _TITLES or (comma and intro[0] in _BEFORE_NAME) or listed:
            start, end = t.span(offset + spans[-k][0] + listed, offset + spans[-1][1])
            return start, end, t.orig[start:end]
    return None


def _norm_end(t: Normalised, orig_end: int) -> int:
    return t.to_norm(orig_end)


def _skip_comma(norm: str, at: int) -> int:
    m = re.compile(rf"{HS}*[،,]?{HS}*").match(norm, at)
    return m.end() if m else at


def _name_words(name: str, printed: str) -> list[str]:
    """The words of a name (normalised), up to a stop word. A first word with the article
    (الرئيس) is no name; one that only looks so once hamza is folded (أليكسي) is."""
    words = []
    for word, as_printed in zip(name.split(), printed.split(), strict=False):
        if word == "علي" and as_printed.rstrip("،,.").endswith("ي"):
            pass  # the name Ali, not the preposition على
        elif word in _STOP or (
            not words and (as_printed.startswith(("ال", "وال", "لل")) or word in _NEVER_FIRST)
        ):
            break
        words.append(word)
        if not _fits(words):
            words.pop()
            break
    while words and words[-1] in _LINEAGE:
        words.pop()
    return words


def _fits(words: list[str]) -> bool:
    """At most four names, the words of a lineage aside; after a lineage («بن زايد»), a
    name goes on only by another («آل نهيان», «بن ...») or a family name in «ال» («بن أحمد
    الزيودي»), not by a verb or an adverb («بن فرحان يصل», «بن عبدالله هاتفيا»)."""
    if sum(w not in _LINEAGE for w in words) > _MAX_NAME:
        return False
    for before, after, word in zip(words, words[1:], words[2:], strict=False):
        lineage = before in _LINEAGE and after not in _LINEAGE and word not in _LINEAGE
        if lineage and not word.startswith("ال"):
            return False
    return True


def _word_end(norm: str, start: int, count: int) -> int:
    m = re.compile(rf"\S+(?:{HS}+\S+){{{count - 1}}}").match(norm, start)
    end = m.end() if m else start
    while end > start and norm[end - 1] in "،,.:؛":
        end -= 1
    return end


def _ends_name(norm: str, end: int) -> bool:
    """A name ends at a comma, a full stop, a colon, a line's end or a stop word."""
    rest = norm[end:].lstrip(" \u00a0")
    if not rest or rest[0] in "،,.:؛\n)":
        return True
    word = rest.split(maxsplit=1)[0]
    return word in _STOP or word in _POST_HEADS  # "وزير الطاقة سهيل المزروعي نائب رئيس ..."


def _lines(text: str) -> list[tuple[int, str]]:
    out, at = [], 0
    for line in text.split("\n"):
        out.append((at, line))
        at += len(line) + 1
    return out
