"""A synthetic corpus for benchmarks: N Arabic sources with curated facts, from a fixed seed.

Each source is a short report of a council session and the bilateral talks on its margins,
written from templates modelled on the seed article: dated meetings, participants and their
posts, direct quotations with bylines, trade and investment figures in several currencies and
digit forms, growth percentages, chairmanships, priorities and credits. Its facts file cites the
text exactly as a curator's would (evidence, occurrence where the words repeat, waivers for
figures no table records), so `eaeu-facts build` runs the same code path as on real sources.
The people, names and figures are invented; every record says the text is synthetic.

Same seed and N give the same bytes. `variant` changes the figures of chosen sources and
nothing else, which is how a benchmark edits one source of a built corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from eaeu_facts.read.evidence import occurrences, sha256_hex

SEED = 20250131
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Country:
    code: str
    ar: str
    en: str
    adj_m: str  # الكازاخستاني
    adj_f: str  # الكازاخستانية
    investors_ar: str
    investors_en: str
    cities: tuple[tuple[str, str, str], ...]  # (place slug, Arabic, English)
    posts: tuple[tuple[str, str], ...]  # (Arabic, English)
    first: tuple[tuple[str, str], ...]
    last: tuple[tuple[str, str], ...]


COUNTRIES = (
    Country(
        "BY",
        "بيلاروس",
        "Belarus",
        "البيلاروسي",
        "البيلاروسية",
        "المستثمرون البيلاروسيون",
        "Belarusian investors",
        (("minsk", "مينسك", "Minsk"), ("gomel", "غوميل", "Gomel")),
        (
            ("رئيس الوزراء البيلاروسي", "Belarusian Prime Minister"),
            ("وزير الاقتصاد البيلاروسي", "Belarusian Minister of Economy"),
            ("نائب رئيس الوزراء البيلاروسي", "Belarusian Deputy Prime Minister"),
        ),
        (("رومان", "Roman"), ("فيكتور", "Viktor"), ("أندريه", "Andrei"), ("بافيل", "Pavel")),
        (
            ("كوفالينكو", "Kovalenko"),
            ("ماركيفيتش", "Markevich"),
            ("زايتسيف", "Zaitsev"),
            ("بوبروف", "Bobrov"),
            ("ليتفينوف", "Litvinov"),
        ),
    ),
    Country(
        "IR",
        "إيران",
        "Iran",
        "الإيراني",
        "الإيرانية",
        "المستثمرون الإيرانيون",
        "Iranian investors",
        (("tehran", "طهران", "Tehran"), ("isfahan", "أصفهان", "Isfahan")),
        (
            ("النائب الأول للرئيس الإيراني", "First Vice President of Iran"),
            ("وزير الاقتصاد الإيراني", "Iranian Minister of Economy"),
            ("وزير الطرق الإيراني", "Iranian Minister of Roads"),
        ),
        (("محمد", "Mohammad"), ("علي", "Ali"), ("حسين", "Hossein"), ("مهدي", "Mehdi")),
        (
            ("كريمي", "Karimi"),
            ("رحماني", "Rahmani"),
            ("جعفري", "Jafari"),
            ("نوروزي", "Norouzi"),
            ("صادقي", "Sadeghi"),
        ),
    ),
    Country(
        "KZ",
        "كازاخستان",
        "Kazakhstan",
        "الكازاخستاني",
        "الكازاخستانية",
        "المستثمرون الكازاخستانيون",
        "Kazakh investors",
        (("astana", "أستانا", "Astana"), ("almaty", "ألما آتا", "Almaty")),
        (
            ("رئيس الوزراء الكازاخستاني", "Kazakh Prime Minister"),
            ("وزير التجارة الكازاخستاني", "Kazakh Minister of Trade"),
            ("نائب رئيس الوزراء الكازاخستاني", "Kazakh Deputy Prime Minister"),
        ),
        (("نورلان", "Nurlan"), ("يرلان", "Yerlan"), ("دانيار", "Daniyar"), ("أسيت", "Aset")),
        (
            ("سليمينوف", "Suleimenov"),
            ("جاكسيبيكوف", "Zhaksybekov"),
            ("نورغالييف", "Nurgaliyev"),
            ("إسماغيلوف", "Ismagilov"),
            ("بايموخانوف", "Baimukhanov"),
        ),
    ),
    Country(
        "RU",
        "روسيا",
        "Russia",
        "الروسي",
        "الروسية",
        "المستثمرون الروس",
        "Russian investors",
        (("moscow", "موسكو", "Moscow"), ("kazan", "قازان", "Kazan")),
        (
            ("رئيس الحكومة الروسية", "Head of the Russian Government"),
            ("نائب رئيس الوزراء الروسي", "Russian Deputy Prime Minister"),
            ("وزير التنمية الاقتصادية الروسي", "Russian Minister of Economic Development"),
        ),
        (("أليكسي", "Alexei"), ("سيرغي", "Sergei"), ("دميتري", "Dmitry"), ("إيغور", "Igor")),
        (
            ("سوكولوف", "Sokolov"),
            ("موروزوف", "Morozov"),
            ("ليبيديف", "Lebedev"),
            ("نوفيكوف", "Novikov"),
            ("بافلوف", "Pavlov"),
        ),
    ),
)
MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# (Arabic words after the digits, ISO code, stated or inferred) as parse_amount reads them.
CURRENCIES = (
    ("دولار أمريكي", "USD", True),
    ("دولار أمريكي", "USD", True),
    ("دولار", "USD", False),
    ("يورو", "EUR", True),
    ("روبل روسي", "RUB", True),
    ("يوان", "CNY", True),
)
SCALES = ((10**9, "مليار", "مليارات", "billion"), (10**6, "مليون", "ملايين", "million"))
AREAS = (
    ("الصناعة", "Industry"),
    ("الطاقة", "Energy"),
    ("النقل", "Transport"),
    ("الزراعة", "Agriculture"),
    ("التحول الرقمي", "Digital transformation"),
    ("الخدمات اللوجستية", "Logistics"),
    ("السياحة", "Tourism"),
    ("التعليم", "Education"),
)
PERIODS = (
    ("العشرين عامًا", "twenty years"),
    ("العشر سنوات", "ten years"),
    ("الخمس سنوات", "five years"),
)
FORUMS = ("Digital Almaty", "Eurasian Week", "Innoprom", "Caspian Forum")
AGENCIES = (
    ("org-belta", "وكالة BelTA", "BelTA", "BY"),
    ("org-tass", "وكالة تاس", "TASS", "RU"),
    ("org-kazinform", "وكالة كازينفورم", "Kazinform", "KZ"),
    ("org-irna", "وكالة إرنا", "IRNA", "IR"),
)
PUBLISHERS = (
    ("org-tv-brics", "شبكة TV BRICS", "TV BRICS", "broadcaster"),
    ("org-rt-arabic", "قناة RT Arabic", "RT Arabic", "broadcaster"),
    ("org-sputnik-arabic", "موقع Sputnik Arabic", "Sputnik Arabic", "website"),
)
SITES = (
    ("org-government-ru", "government.ru", "RU"),
    ("org-akorda-kz", "akorda.kz", "KZ"),
    ("org-president-gov-by", "president.gov.by", "BY"),
)
EAEU = ("org-eaeu", "الاتحاد الاقتصادي الأوراسي", "Eurasian Economic Union")
COUNCIL = ("org-eurasian-intergovernmental-council", "المجلس الحكومي الأوراسي")


# Writing the files -----------------------------------------------------------------------------


def generate(
    out: Path,
    n: int,
    seed: int = SEED,
    variant: Iterable[int] = (),
    *,
    prefix: str = "",
    countries: Iterable[str] | None = None,
) -> Path:
    """Write a project of N synthetic sources into `out`: schemas/, the countries and seeds.

    Files whose bytes would not change are left alone, so regenerating with one index in
    `variant` rewrites that source's three files and nothing else. `prefix` goes after the
    kind of every identifier ("person-syn-..."), so the rows sort after another seed set's;
    `countries` limits the sources to those country codes.
    """
    out.mkdir(parents=True, exist_ok=True)
    # The schemas as they are now: a corpus kept from an older checkout is brought up to date.
    (out / "schemas").mkdir(exist_ok=True)
    current = {p.name for p in (REPO / "schemas").glob("*.yaml")}
    for stale in (out / "schemas").glob("*.yaml"):
        if stale.name not in current:
            stale.unlink()
    for name in sorted(current):
        _write(out / "schemas" / name, (REPO / "schemas" / name).read_text(encoding="utf-8"))
    if not (out / "seeds" / "reference").exists():  # the gazetteer; not the seed's aliases
        (out / "seeds" / "reference").mkdir(parents=True)
        for table in ("countries", "cities", "posts", "bodies"):
            reference = f"seeds/reference/{table}.yaml"
            shutil.copyfile(REPO / reference, out / reference)
    for sub in ("sources", "facts"):
        (out / "seeds" / sub).mkdir(parents=True, exist_ok=True)
    changed = set(variant)
    corpus = Corpus(seed, prefix, countries)
    for i in range(n):
        source = corpus.source(i, 1 if i in changed else 0)
        stem = f"{i:05d}_{source.hex}"
        _write(out / "seeds" / "sources" / f"{stem}.txt", source.text)
        _write(out / "seeds" / "sources" / f"{stem}.yaml", source.record_yaml(prefix))
        _write(out / "seeds" / "facts" / f"{stem}.yaml", source.facts_yaml(prefix))
    if not prefix:  # a corpus of its own: the surnames of its people are aliases
        _write(out / "seeds" / "reference" / "aliases.yaml", corpus.aliases_yaml())
    return out


def _write(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def dump_yaml(data: dict[str, Any], comment: str) -> str:
    """Block YAML as curators write it; strings double-quoted (JSON escapes are YAML's)."""
    lines = [f"# {comment}"]
    for key, value in data.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += _entries(value, "  ")
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def dump_list(entries: list[dict[str, Any]], comment: str) -> str:
    """A reference file, its entries at the top level ([] when there are none)."""
    return "\n".join([f"# {comment}", *(_entries(entries, "") or ["[]"])]) + "\n"


def _entries(entries: list[dict[str, Any]], indent: str) -> list[str]:
    return [
        f"{indent}{'- ' if j == 0 else '  '}{k}: {_scalar(v)}"
        for entry in entries
        for j, (k, v) in enumerate(entry.items())
    ]


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


# One source ------------------------------------------------------------------------------------


@dataclass
class Fact:
    """A row as a curator writes it, before its evidence is placed in the text."""

    table: str
    values: dict[str, Any]
    line: int
    evidence: str
    nth: int = 1  # which occurrence within its line


@dataclass
class Source:
    index: int
    hex: str
    lines: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)

    @property
    def source_id(self) -> str:
        return f"src-{self.hex}"

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def say(self, line: str) -> int:
        self.lines.append(line)
        return len(self.lines) - 1

    def cite(self, table: str, line: int, evidence: str, nth: int = 1, **values: Any) -> None:
        self.facts.append(Fact(table, values, line, evidence, nth))

    def record_yaml(self, prefix: str = "") -> str:
        record = {"source_id": self.source_id, "sha256": sha256_hex(self.text.encode("utf-8"))}
        record.update(_namespaced(self.record, prefix))
        return dump_yaml(
            record, "Synthetic source written by benchmarks/synthetic.py; not a report."
        )

    def facts_yaml(self, prefix: str = "") -> str:
        text = self.text
        starts = [0]
        for line in self.lines:
            starts.append(starts[-1] + len(line) + 1)
        data: dict[str, Any] = {"source_id": self.source_id}
        for fact in self.facts:
            at = -1
            for _ in range(fact.nth):
                at = self.lines[fact.line].index(fact.evidence, at + 1)
            position = starts[fact.line] + at
            found = occurrences(text, fact.evidence)
            entry = {**_namespaced(fact.values, prefix), "evidence": fact.evidence}
            if len(found) > 1:
                entry["occurrence"] = found.index(position) + 1
            data.setdefault(fact.table, []).append(entry)
        return dump_yaml(data, "Synthetic facts written by benchmarks/synthetic.py; fictional.")


@dataclass(frozen=True)
class Person:
    pid: str
    ar: str
    en: str
    country: Country
    post: tuple[str, str]

    @property
    def last_ar(self) -> str:
        return self.ar.split(" ", 1)[1]

    @property
    def last_en(self) -> str:
        return self.en.split(" ", 1)[1]


class Corpus:
    """Generates sources in order, remembering which people, places and organisations earlier
    sources introduced: each is a row of the first source that names it, as in real seeds."""

    def __init__(self, seed: int, prefix: str = "", countries: Iterable[str] | None = None) -> None:
        self.seed = seed
        allowed = set(countries) if countries is not None else {c.code for c in COUNTRIES}
        self.countries = tuple(c for c in COUNTRIES if c.code in allowed)
        self.people = _people(random.Random(f"{seed}:people"), self.countries)
        self.defined: set[str] = set()

    def aliases_yaml(self) -> str:
        """Each surname that one person of the corpus alone bears, for the people named."""
        surnames = Counter(p.last_ar for p in self.people)
        aliases = [
            {"alias_ar": p.last_ar, "person_id": p.pid, "note_en": "The surname alone."}
            for p in sorted(self.people, key=lambda p: p.pid)
            if p.pid in self.defined and surnames[p.last_ar] == 1
        ]
        return dump_list(aliases, "Synthetic aliases: benchmarks/synthetic.py.")

    def source(self, i: int, variant: int = 0) -> Source:
        digest = hashlib.sha256(f"{self.seed}:{i}".encode()).hexdigest()[:16]
        source = Source(i, digest)
        plan = random.Random(f"{self.seed}:{i}:plan")
        figures = random.Random(f"{self.seed}:{i}:figures:{variant}")
        Writer(self, source, plan, figures).write()
        return source


def _people(rng: random.Random, countries: tuple[Country, ...]) -> list[Person]:
    people = []
    for country in countries:
        names = [(f, s) for f in country.first for s in country.last]
        rng.shuffle(names)
        for (first_ar, first_en), (last_ar, last_en) in names[:12]:
            en = f"{first_en} {last_en}"
            post = rng.choice(country.posts)
            pid = "person-" + en.lower().replace(" ", "-")
            people.append(Person(pid, f"{first_ar} {last_ar}", en, country, post))
    return people


class Writer:
    """Writes one source: its lines and, for each, the facts a curator records from it."""

    def __init__(self, corpus: Corpus, source: Source, plan: random.Random, figures: random.Random):
        self.corpus, self.src, self.plan, self.fig = corpus, source, plan, figures
        self.tag = f"s{source.index:05d}"
        self.codes = {c.code for c in corpus.countries}
        self.credited: set[tuple[str, str]] = set()

    def write(self) -> None:
        host = self.plan.choice(self.corpus.countries)
        guests = self.plan.sample([p for p in self.corpus.people if p.country != host], 2)
        chair = self.plan.choice([p for p in self.corpus.people if p.country == host])
        council = self.council(host, [chair, *guests])
        attendees = [chair, *guests]
        self.indicators(host, council)
        if self.plan.random() < 0.6:
            self.chairmanship(self.plan.choice(attendees), council)
        if self.plan.random() < 0.3 and "IR" in self.codes:
            self.observer(council)
        for k in range(self.plan.randint(4, 6)):
            self.talks(k, council)
        if self.plan.random() < 0.3:
            self.forum()
        if self.plan.random() < 0.3:
            self.population()
        self.credits()
        self.src.lines.insert(0, self.headline(host))
        for fact in self.src.facts:
            fact.line += 1

    # -- the council session
    def council(self, host: Country, people: list[Person]) -> str:
        slug, city_ar, city_en = self.plan.choice(host.cities)
        year = self.plan.randint(2023, 2026)
        month, day = self.plan.randint(1, 12), self.plan.randint(1, 28)
        date_ar = f"{day} من {MONTHS[month - 1]} {year}"
        self.year = year
        mid = f"mtg-eaeu-council-{self.tag}"
        line = self.src.say(
            f"اجتمع رؤساء حكومات دول {EAEU[1]} في {city_ar} يوم {date_ar}، "
            f"وذلك خلال اجتماع {COUNCIL[1]}."
        )
        self.organization(EAEU[0], line, EAEU[1], EAEU[2], "international_organization")
        self.organization(
            COUNCIL[0],
            line,
            COUNCIL[1],
            "Eurasian Intergovernmental Council",
            "intergovernmental_body",
            parent=EAEU[0],
        )
        self.place(slug, city_ar, city_en, host, line)
        evidence = self.src.lines[line].removesuffix(".")
        self.src.cite(
            "meetings",
            line,
            evidence,
            meeting_id=mid,
            meeting_type="intergovernmental_council",
            name_ar=f"اجتماع {COUNCIL[1]}",
            name_en=f"Meeting of the Eurasian Intergovernmental Council in {city_en}",
            organization_id=COUNCIL[0],
            date=f"{year:04d}-{month:02d}-{day:02d}",
            date_as_printed_ar=date_ar,
            date_basis="stated",
            country_code=host.code,
            place_id=f"place-{slug}",
            place_as_printed_ar=f"في {city_ar}",
            place_basis="stated",
            host_country_code=host.code,
            attendees_as_printed_ar=f"رؤساء حكومات دول {EAEU[1]}",
            attendees_en="Heads of government of the Eurasian Economic Union countries",
        )
        self.src.cite(
            "mention_exclusions",
            line,
            EAEU[1],
            reason_en="Synthetic: exercises the table (the union named as the setting only).",
        )
        named = "، و".join(f"{p.post[0]}، {p.ar}" for p in people)
        line = self.src.say(f"وشارك في الاجتماع {named}.")
        for person in people:
            self.participant(mid, person, line)
        self.council_id, self.attendees = mid, people
        return mid

    def indicators(self, host: Country, council: str) -> None:
        pct = self.percent()
        office = f"المكتب الصحفي للحكومة {host.adj_f}"
        oid = f"org-{host.en.lower()}-government-press-office"
        year = self.year - 1
        line = self.src.say(
            f"وأكد المجتمعون أن الناتج المحلي الإجمالي للاتحاد الأوراسي سجل ارتفاعًا بنحو {pct}% "
            f"في عام {year} وفقًا للتقديرات الأولية، كما أعلن {office}."
        )
        self.organization(
            oid,
            line,
            office,
            f"Press Office of the Government of {host.en}",
            "government_office",
            country=host.code,
        )
        evidence = self.src.lines[line].removesuffix(".")
        self.src.cite(
            "indicators",
            line,
            evidence,
            indicator_id=f"ind-eaeu-gdp-growth-{year}-{self.tag}",
            indicator="gdp_growth",
            area_organization_id=EAEU[0],
            value_pct=_number(pct),
            value_as_printed_ar=f"بنحو {pct}%",
            hedge="about",
            hedge_as_printed_ar="بنحو",
            status="preliminary_estimate",
            period_start=f"{year}-01-01",
            period_end=f"{year}-12-31",
            period_as_printed_ar=f"في عام {year}",
            period_basis="stated",
            stated_by_as_printed_ar="المجتمعون",
            reported_by_organization_id=oid,
            meeting_id=council,
        )
        self.src.cite(
            "statements",
            line,
            evidence,
            statement_id=f"stmt-attendees-gdp-growth-{self.tag}",
            speaker_as_printed_ar="المجتمعون",
            speaker_en="The attendees",
            verb_ar="أكد",
            statement_type="assessment",
            summary_en=f"The Union's GDP grew by about {pct}% in {year}, by preliminary estimates.",
            meeting_id=council,
            reported_by_organization_id=oid,
        )
        self.credit(oid, "cited_agency", line, f"كما أعلن {office}")
        if self.plan.random() < 0.4:
            country = self.plan.choice(self.corpus.countries)
            pct = self.percent()
            line = self.src.say(
                f"ونما اقتصاد {country.ar} بنسبة {pct}% في الربع الأول من عام {self.year}."
            )
            self.src.cite(
                "indicators",
                line,
                self.src.lines[line].removesuffix(".").removeprefix("و"),
                indicator_id=f"ind-{country.code.lower()}-gdp-growth-{self.year}-q1-{self.tag}",
                indicator="gdp_growth",
                area_country_code=country.code,
                value_pct=_number(pct),
                value_as_printed_ar=f"بنسبة {pct}%",
                hedge="exactly",
                status="actual",
                period_start=f"{self.year}-01-01",
                period_end=f"{self.year}-03-31",
                period_as_printed_ar=f"في الربع الأول من عام {self.year}",
                period_basis="stated",
            )

    def chairmanship(self, person: Person, council: str) -> None:
        country = self.plan.choice(self.corpus.countries)
        year = self.year
        role = f"{country.ar} بتوليها رئاسة {EAEU[1]} لعام {year}"
        speaker = f"{person.post[0]}، {person.ar}"
        line = self.src.say(
            f"وهنأ {speaker}، {role}، معربًا عن تفاؤله بأن القرارات المتخذة ستعزز مسيرة التكامل "
            "بين دول الاتحاد."
        )
        self.src.cite(
            "organization_roles",
            line,
            role,
            role_id=f"role-{country.code.lower()}-eaeu-chair-{year}-{self.tag}",
            organization_id=EAEU[0],
            country_code=country.code,
            role="chair",
            role_as_printed_ar="رئاسة",
            period_start=f"{year}-01-01",
            period_end=f"{year}-12-31",
            period_as_printed_ar=f"لعام {year}",
            period_basis="stated",
        )
        self.src.cite(
            "statements",
            line,
            f"وهنأ {speaker}، {role}",
            statement_id=f"stmt-{_slug(person.en)}-congratulates-{self.tag}",
            stated_by_person_id=person.pid,
            speaker_as_printed_ar=speaker,
            speaker_en=f"{person.post[1]} {person.en}",
            verb_ar="هنأ",
            statement_type="congratulation",
            summary_en=f"Congratulated {country.en} on chairing the Union in {year}.",
            meeting_id=council,
        )

    def observer(self, council: str) -> None:
        month = self.plan.randint(1, 12)
        words = f"حصول إيران على صفة مراقب لدى الاتحاد في {MONTHS[month - 1]} الماضي"
        line = self.src.say(f"وجرى التأكيد على أن {words} يساهم في تعزيز العلاقات الثنائية.")
        self.src.cite(
            "organization_roles",
            line,
            words,
            role_id=f"role-ir-eaeu-observer-{self.tag}",
            organization_id=EAEU[0],
            country_code="IR",
            role="observer",
            role_as_printed_ar="صفة مراقب",
            period_as_printed_ar=f"في {MONTHS[month - 1]} الماضي",
            period_basis="relative",
            note_en=f"Last {MONTHS_EN[month - 1]} counts back from the text's unprinted date.",
        )

    # -- talks on the margins
    def talks(self, k: int, council: str) -> None:
        a, b = self.pair()
        slug, city_ar, city_en = self.plan.choice(b.country.cities)
        mid = f"mtg-{a.country.code.lower()}-{b.country.code.lower()}-talks-{self.tag}-{k}"
        first, second = f"{a.post[0]}، {a.ar}", f"{b.post[0]}، {b.ar}"
        if self.plan.random() < 0.5:
            line = self.src.say(
                f"وعلى هامش الاجتماع، أجرى {first}، محادثات مع {second}، في {city_ar}."
            )
            parent = council
        else:
            line = self.src.say(f"وفي {city_ar}، التقى {first}، مع {second}.")
            parent = None
        self.place(slug, city_ar, city_en, b.country, line)
        meeting = {
            "meeting_id": mid,
            "meeting_type": "bilateral_talks",
            "name_en": f"Talks of {a.en} with {b.en}",
            "parent_meeting_id": parent,
            "date_basis": "open",
            "country_code": b.country.code,
            "place_id": f"place-{slug}",
            "place_as_printed_ar": f"في {city_ar}",
            "place_basis": "stated",
            "host_country_code": b.country.code,
        }
        evidence = self.src.lines[line].removesuffix(".").removeprefix("و")
        self.src.cite("meetings", line, evidence, **{k: v for k, v in meeting.items() if v})
        self.participant(mid, a, line)
        self.participant(mid, b, line)
        self.trade_said(k, mid, a, b)
        if self.plan.random() < 0.7:
            self.target_quote(k, mid, b, a)
        if self.plan.random() < 0.35:
            self.investment_quote(k, mid, a, b)
        if self.plan.random() < 0.5:
            self.priorities(k, mid, b, a)

    def pair(self) -> tuple[Person, Person]:
        while True:
            a, b = self.plan.sample(self.corpus.people, 2)
            if a.country != b.country:
                return a, b

    def trade_said(self, k: int, mid: str, a: Person, b: Person) -> None:
        amount = self.amount()
        hedge_ar, hedge = self.plan.choice(
            (("تجاوز", "more_than"), ("بلغ نحو", "about"), ("بلغ", "exactly"))
        )
        year = self.year - 1
        words = (
            f"أشار {b.last_ar} إلى أن حجم التبادل التجاري بين البلدين {hedge_ar} "
            f"{amount.printed} في عام {year}"
        )
        line = self.src.say(f"و{words}.")
        self.person(b, line)
        row = {
            "trade_id": f"trade-{_pair(a, b)}-{year}-{self.tag}-{k}",
            "country_a_code": a.country.code,
            "country_b_code": b.country.code,
            "flow": "turnover",
            **amount.fields(),
            "hedge": hedge,
            "hedge_as_printed_ar": hedge_ar.split()[-1] if hedge != "exactly" else None,
            "status": "actual",
            "period_start": f"{year}-01-01",
            "period_end": f"{year}-12-31",
            "period_as_printed_ar": f"في عام {year}",
            "period_basis": "stated",
            "stated_by_person_id": b.pid,
            "meeting_id": mid,
            "note_en": amount.note,
        }
        self.src.cite("trade", line, words, **{k: v for k, v in row.items() if v})
        self.src.cite(
            "statements",
            line,
            words,
            statement_id=f"stmt-{_slug(b.en)}-trade-{self.tag}-{k}",
            stated_by_person_id=b.pid,
            speaker_as_printed_ar=b.last_ar,
            speaker_en=b.last_en,
            verb_ar="أشار",
            statement_type="assessment",
            summary_en=f"Trade between {a.country.en} and {b.country.en} in {year}: {amount.en}.",
            meeting_id=mid,
        )

    def target_quote(self, k: int, mid: str, speaker: Person, other: Person) -> None:
        amount = self.amount()
        year = self.year + self.plan.randint(2, 7)
        areas = self.plan.sample(AREAS, 3)
        target = f"زيادة حجم التجارة الثنائية إلى {amount.printed} بحلول عام {year}"
        nested = self.plan.random() < 0.15
        corridor = ' ونولي اهتمامًا كبيرًا لتطوير الممر الدولي "الشمال – الجنوب".' if nested else ""
        listed = f"{areas[0][0]} و{areas[1][0]} و{areas[2][0]}"
        said = (
            f"نعمل مع شركائنا على {target}.{corridor} ونحن على استعداد لتوسيع التعاون في مجالات "
            f"{listed}"
        )
        line = self.src.say(f'"{said}"![]()')
        byline = f"{speaker.ar} {speaker.post[0]}"
        self.src.say(byline)
        qid = f"quote-{_slug(speaker.en)}-trade-target-{self.tag}-{k}"
        english = (
            f"We are working with our partners to raise bilateral trade to {amount.en} by "
            f"{year}.{' We pay great attention to the North–South corridor.' if nested else ''} "
            f"We are ready to widen cooperation in {', '.join(a[1].lower() for a in areas)}."
        )
        self.src.cite(
            "quotes",
            line,
            said,
            quote_id=qid,
            speaker_person_id=speaker.pid,
            meeting_id=mid,
            text_en=english,
            attribution_ar=byline,
            speaker_post_en=speaker.post[1],
            has_nested_quotation=nested,
        )
        row = {
            "trade_id": f"trade-{speaker.country.code.lower()}-{other.country.code.lower()}"
            f"-target-{self.tag}-{k}",
            "country_a_code": speaker.country.code,
            "country_b_code": other.country.code,
            "flow": "turnover",
            **amount.fields(),
            "hedge": "exactly",
            "status": "target",
            "period_end": f"{year}-12-31",
            "period_as_printed_ar": f"بحلول عام {year}",
            "period_basis": "inferred",
            "stated_by_person_id": speaker.pid,
            "meeting_id": mid,
            "quote_id": qid,
            "note_en": " ".join(
                filter(None, (amount.note, f"A target for the end of {year}; no start printed."))
            ),
        }
        self.src.cite("trade", line, target, **row)
        for j, (area_ar, area_en) in enumerate(areas):
            self.src.cite(
                "priorities",
                line,
                area_ar,
                priority_id=f"prio-{_slug(area_en)}-{self.tag}-{k}-{j}",
                priority_type="priority_area",
                stated_by_person_id=speaker.pid,
                country_code=speaker.country.code,
                partner_country_code=other.country.code,
                topic_en=area_en,
                meeting_id=mid,
                quote_id=qid,
            )
        if nested:
            self.src.cite(
                "priorities",
                line,
                'تطوير الممر الدولي "الشمال – الجنوب"',
                priority_id=f"prio-north-south-corridor-{self.tag}-{k}",
                priority_type="priority_area",
                stated_by_person_id=speaker.pid,
                country_code=speaker.country.code,
                topic_en="Developing the North–South international corridor",
                meeting_id=mid,
                quote_id=qid,
            )

    def investment_quote(self, k: int, mid: str, speaker: Person, other: Person) -> None:
        amount = self.amount()
        period_ar, period_en = self.plan.choice(PERIODS)
        invested = (
            f"فخلال {period_ar} الماضية، استثمر {speaker.country.investors_ar} أكثر من "
            f"{amount.printed} في اقتصاد {other.country.ar}"
        )
        said = f"تتزايد الاستثمارات المتبادلة بين بلدينا بشكل مطرد. {invested}"
        line = self.src.say(f'"{said}"![]()')
        byline = f"{speaker.ar} {speaker.post[0]}"
        self.src.say(byline)
        qid = f"quote-{_slug(speaker.en)}-investment-{self.tag}-{k}"
        self.src.cite(
            "quotes",
            line,
            said,
            quote_id=qid,
            speaker_person_id=speaker.pid,
            meeting_id=mid,
            text_en=(
                "Mutual investment between our countries is growing steadily. Over the past "
                f"{period_en}, {speaker.country.investors_en} have invested more than {amount.en}"
                f" in the economy of {other.country.en}."
            ),
            attribution_ar=byline,
            speaker_post_en=speaker.post[1],
            has_nested_quotation=False,
        )
        row = {
            "investment_id": f"inv-{speaker.country.code.lower()}-{other.country.code.lower()}"
            f"-{self.tag}-{k}",
            "investor_country_code": speaker.country.code,
            "recipient_country_code": other.country.code,
            "investor_as_printed_ar": speaker.country.investors_ar,
            "investor_en": speaker.country.investors_en,
            **amount.fields(),
            "hedge": "more_than",
            "hedge_as_printed_ar": "أكثر من",
            "status": "actual",
            "period_as_printed_ar": f"خلال {period_ar} الماضية",
            "period_basis": "relative",
            "stated_by_person_id": speaker.pid,
            "meeting_id": mid,
            "quote_id": qid,
            "note_en": amount.note,
        }
        self.src.cite("investment", line, invested, **{k: v for k, v in row.items() if v})

    def priorities(self, k: int, mid: str, speaker: Person, other: Person) -> None:
        areas = self.plan.sample(AREAS, 3)
        listed = f"{areas[0][0]} و{areas[1][0]} و{areas[2][0]}"
        a_city, b_city = other.country.cities[0], speaker.country.cities[0]
        set_out = (
            f"كما حدد {speaker.last_ar} المجالات ذات الأولوية لتطوير العلاقات بين "
            f"{b_city[1]} و{a_city[1]}"
        )
        line = self.src.say(f"{set_out}، مؤكدًا على نجاح المشاريع المشتركة في مجالات {listed}.")
        self.person(speaker, line)
        self.place(b_city[0], b_city[1], b_city[2], speaker.country, line)
        self.place(a_city[0], a_city[1], a_city[2], other.country, line)
        self.src.cite(
            "statements",
            line,
            set_out,
            statement_id=f"stmt-{_slug(speaker.en)}-priorities-{self.tag}-{k}",
            stated_by_person_id=speaker.pid,
            speaker_as_printed_ar=speaker.last_ar,
            speaker_en=speaker.last_en,
            verb_ar="حدد",
            statement_type="priority",
            summary_en=f"Set out priorities for relations between {b_city[2]} and {a_city[2]}.",
            meeting_id=mid,
        )
        for j, (area_ar, area_en) in enumerate(areas):
            self.src.cite(
                "priorities",
                line,
                area_ar,
                nth=1,
                priority_id=f"prio-{_slug(area_en)}-joint-{self.tag}-{k}-{j}",
                priority_type="joint_project_area",
                stated_by_person_id=speaker.pid,
                country_code=speaker.country.code,
                partner_country_code=other.country.code,
                topic_en=area_en,
                meeting_id=mid,
            )

    # -- the rest of the report
    def forum(self) -> None:
        name = self.plan.choice(FORUMS)
        words = (
            f'يشارك رؤساء حكومات دول {EAEU[1]} في المنتدى السنوي "{name}"، بمشاركة ممثلين عن '
            "قطاع الأعمال والهيئات الحكومية"
        )
        line = self.src.say(f"وفي ختام فعاليات الاجتماع، {words}.")
        self.src.cite(
            "meetings",
            line,
            words,
            meeting_id=f"mtg-forum-{_slug(name)}-{self.tag}",
            meeting_type="forum",
            name_ar=f'المنتدى السنوي "{name}"',
            name_en=f"{name} annual forum",
            date_basis="open",
            place_basis="open",
            attendees_as_printed_ar=f"رؤساء حكومات دول {EAEU[1]}",
            attendees_en="Heads of government of the Eurasian Economic Union countries",
        )

    def population(self) -> None:
        people = self.fig.randint(180, 190)
        words = f"عدد سكان دول الاتحاد نحو {people} مليون نسمة"
        line = self.src.say(f"ويبلغ {words}.")
        self.src.cite(
            "waivers",
            line,
            words,
            kind="number",
            reason="Population is background; no table records it.",
        )

    def credits(self) -> None:
        oid, agency_ar, agency_en, code = self.plan.choice(
            [a for a in AGENCIES if a[3] in self.codes]
        )
        pid, publisher_ar, publisher_en, kind = self.plan.choice(PUBLISHERS)
        partner = f"{agency_ar}، الشريك الإعلامي ل{publisher_ar}"
        line = self.src.say(f"وذلك حسبما نقلت {partner}.")
        self.organization(oid, line, agency_ar, agency_en, "news_agency", country=code)
        self.organization(pid, line, publisher_ar, publisher_en, kind)
        self.credit(oid, "cited_agency", line, f"حسبما نقلت {agency_ar}")
        self.credit(oid, "media_partner", line, partner)
        self.src.record = {
            "language": "ar",
            "title_en": f"Synthetic report {self.src.index}: the Eurasian council and talks "
            "on its margins",
            "publisher_organization_id": pid,
            "publisher_en": f"{publisher_en} (Arabic service)",
            "published_date_basis": "open",
            "published_date_note_en": "The synthetic text prints no date.",
            "rights_status": "public-domain",
            "rights_note_en": "Written by benchmarks/synthetic.py for benchmarks; fictional.",
        }
        if self.plan.random() < 0.5:
            sid, site, code = self.plan.choice([s for s in SITES if s[2] in self.codes])
            line = self.src.say(f"مصدر الصورة: {site}")
            self.organization(sid, line, site, site, "website", country=code)
            self.credit(sid, "image_credit", line, f"مصدر الصورة: {site}")
            self.src.record["image_credit"] = site

    def headline(self, host: Country) -> str:
        return f"{EAEU[1]} في {host.ar} يبحث نتائج التكامل وأولوياته المستقبلية"

    # -- rows for names, first mentions only
    def participant(self, mid: str, person: Person, line: int) -> None:
        self.person(person, line)
        self.src.cite(
            "participants",
            line,
            f"{person.post[0]}، {person.ar}",
            meeting_id=mid,
            person_id=person.pid,
            country_code=person.country.code,
            post_ar=person.post[0],
            post_en=person.post[1],
            participation_basis="stated",
        )

    def person(self, person: Person, line: int) -> None:
        if self._first(person.pid):
            self.src.cite(
                "people",
                line,
                person.ar,
                person_id=person.pid,
                name_ar=person.ar,
                name_en=person.en,
                country_code=person.country.code,
            )

    def place(self, slug: str, ar: str, en: str, country: Country, line: int) -> None:
        if self._first(f"place-{slug}"):
            self.src.cite(
                "places",
                line,
                ar,
                place_id=f"place-{slug}",
                name_ar=ar,
                name_en=en,
                country_code=country.code,
            )

    def organization(
        self,
        oid: str,
        line: int,
        ar: str,
        en: str,
        kind: str,
        country: str | None = None,
        parent: str | None = None,
    ) -> None:
        if self._first(oid):
            row = {
                "organization_id": oid,
                "name_ar": ar,
                "name_en": en,
                "organization_type": kind,
                "country_code": country,
                "parent_organization_id": parent,
            }
            self.src.cite("organizations", line, ar, **{k: v for k, v in row.items() if v})

    def credit(self, oid: str, kind: str, line: int, evidence: str) -> None:
        if (oid, kind) not in self.credited:
            self.credited.add((oid, kind))
            self.src.cite("source_credits", line, evidence, organization_id=oid, credit_type=kind)

    def _first(self, key: str) -> bool:
        if key in self.corpus.defined:
            return False
        self.corpus.defined.add(key)
        return True

    # -- figures
    def percent(self) -> str:
        whole, tenth = self.fig.randint(1, 6), self.fig.randint(0, 9)
        return str(whole) if tenth == 0 else f"{whole}.{tenth}"

    def amount(self) -> Amount:
        scale, single, plural, scale_en = self.fig.choice(SCALES)
        words, code, stated = self.fig.choice(CURRENCIES)
        if self.fig.random() < 0.5:
            digits = str(self.fig.randint(1, 99 if scale == 10**9 else 900))
        else:
            digits = f"{self.fig.randint(1, 40)}.{self.fig.randint(1, 9)}"
        scale_ar = plural if digits.isdigit() and 3 <= int(digits) <= 10 else single
        shown = digits.translate(INDIC) if self.fig.random() < 0.1 else digits
        return Amount(
            value=int(Decimal(digits) * scale),
            printed=f"{shown} {scale_ar} {words}",
            code=code,
            stated=stated,
            en=f"{digits} {scale_en} {code}",
        )


INDIC = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


@dataclass(frozen=True)
class Amount:
    value: int
    printed: str
    code: str
    stated: bool
    en: str

    def fields(self) -> dict[str, Any]:
        return {
            "amount": self.value,
            "currency_code": self.code,
            "currency_basis": "stated" if self.stated else "inferred",
            "amount_as_printed_ar": self.printed,
        }

    @property
    def note(self) -> str | None:
        if self.stated:
            return None
        return "Printed as dollar alone; read as US dollars, as elsewhere in the report."


_KINDS = ("person", "mtg", "ind", "role", "stmt", "trade", "quote", "prio", "inv", "place", "org")


def _namespaced(values: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The values with `prefix` put after the kind of every identifier (source ids aside)."""
    if not prefix:
        return values
    out = {}
    for key, value in values.items():
        kind = value.split("-", 1)[0] if isinstance(value, str) else None
        if key.endswith("_id") and kind in _KINDS:
            value = f"{kind}-{prefix}{value.split('-', 1)[1]}"
        out[key] = value
    return out


def _pair(a: Person, b: Person) -> str:
    return f"{a.country.code.lower()}-{b.country.code.lower()}"


def _number(text: str) -> int | float:
    return int(text) if text.isdigit() else float(text)


def _slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic eaeu-facts project.")
    parser.add_argument("out", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--variant", type=int, action="append", default=[])
    parser.add_argument("--prefix", default="")
    args = parser.parse_args(argv)
    generate(args.out, args.n, args.seed, args.variant, prefix=args.prefix)


if __name__ == "__main__":
    main()
