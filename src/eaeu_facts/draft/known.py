"""What the dataset knows, as the drafter links by it: the people, places and organisations of
the published package (with their aliases), and the gazetteer (every country with its nisba
forms, the cities of the Union's members and observers, the posts news prints).

Names are kept normalised as the lexicon's words are, so that a name printed with harakat, a
hamza or a tatweel is still the name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from eaeu_facts.model import paths
from eaeu_facts.model.yamlio import safe_load
from eaeu_facts.read.lexicon import NOT_COUNTRY_WORDS, normalise

NISBA_KEYS = ("nisba_ar", "nisba_feminine_ar", "nisba_plural_ar")
# The styles of a state print puts before its name ("رئيس وزراء جمهورية كازاخستان", "رئيس
# وزراء دولة الكويت", "سلطنة عمان", "مملكة البحرين"), whatever the state's form of government.
STATE_STYLES = ("جمهورية", "دولة", "سلطنة", "مملكة")


@dataclass(frozen=True)
class Entity:
    """A person, place, organisation or country: its id (None for one the dataset lacks, which
    the drafter adds as a new row), names and country."""

    kind: str  # person, place, organization, country
    id: str | None
    name_ar: str
    name_en: str | None = None
    country_code: str | None = None
    extra: tuple[tuple[str, object], ...] = ()

    def get(self, key: str) -> object:
        return dict(self.extra).get(key)


@dataclass(frozen=True)
class Post:
    post_ar: str
    post_en: str
    rank: str


@dataclass
class Known:
    """Every name the drafter links, by its normalised form."""

    names: dict[str, Entity] = field(default_factory=dict)  # full names and aliases
    surnames: dict[str, Entity] = field(default_factory=dict)  # a person's last name alone
    nisba: dict[str, str] = field(default_factory=dict)  # adjective -> country code
    countries: dict[str, Entity] = field(default_factory=dict)  # code -> country
    posts: list[Post] = field(default_factory=list)  # longest first
    people_ids: set[str] = field(default_factory=set)
    place_ids: set[str] = field(default_factory=set)
    organization_ids: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)  # every row id of the package: none is reused

    def copy(self) -> Known:
        """A copy a draft can add the article's new names to."""
        return Known(
            dict(self.names),
            dict(self.surnames),
            self.nisba,
            self.countries,
            self.posts,
            self.people_ids,
            self.place_ids,
            self.organization_ids,
            self.ids,
        )

    def add(self, entity: Entity, *names: str) -> None:
        for name in names:
            key = normalise(name).strip()
            if key and key not in self.names:
                self.names[key] = entity

    @classmethod
    def from_project(cls, root: Path) -> Known:
        """What the project's published package knows; where none is built yet, what its
        seeds say (reference tables and facts files, read as written)."""
        package = root / paths.PACKAGE_DIR
        if (package / paths.DESCRIPTOR).is_file():
            return cls.from_package(package)
        return cls.from_tables(lambda name: _seed_rows(root, name))

    @classmethod
    def from_package(cls, package: Path) -> Known:
        """What the package at `package` (a folder holding parquet/TABLE.parquet) knows."""
        import polars as pl

        def table(name: str) -> list[dict]:
            path = package / paths.parquet_file(name)
            return pl.read_parquet(path).to_dicts() if path.is_file() else []

        return cls.from_tables(table)

    def nisba_of_alias(self, country: dict, alias: str) -> None:
        """The adjective of another spelling of a country's name, made as its adjective is
        made from its name (قرغيزستان -> قرغيزي, as قيرغيزستان -> قيرغيزي)."""
        name, nisba, spelt = (
            normalise(country["name_ar"]),
            normalise(country["nisba_ar"]),
            normalise(alias),
        )
        for cut in range(5):
            stem = name[: len(name) - cut]
            if nisba == stem + "ي" and len(spelt) > cut + 2:
                alias_stem = spelt[: len(spelt) - cut]
                for ending in ("ي", "ية", "يون", "يين"):
                    self.nisba.setdefault(alias_stem + ending, country["country_code"])
                return

    @classmethod
    def from_tables(cls, table: Callable[[str], list[dict]]) -> Known:
        """What tables (by name, as lists of rows) know."""

        known = cls()
        for row in table("countries"):
            country = Entity("country", row["country_code"], row["name_ar"], row["name_en"])
            known.countries[row["country_code"]] = country
            if normalise(row["name_ar"]) not in NOT_COUNTRY_WORDS:
                known.add(country, row["name_ar"])
            known.add(country, *_styled(row["name_ar"]))
            forms = [normalise(row[k]) for k in NISBA_KEYS if row.get(k)]
            if row.get("nisba_ar"):  # the oblique plural of a nisba: الكازاخستانيين
                forms += [normalise(row["nisba_ar"]) + ending for ending in ("ون", "ين")]
            for form in forms:
                if form not in NOT_COUNTRY_WORDS:
                    known.nisba.setdefault(form, row["country_code"])
        for row in table("people"):
            person = Entity(
                "person", row["person_id"], row["name_ar"], row["name_en"], row["country_code"]
            )
            known.people_ids.add(row["person_id"])
            known.add(person, row["name_ar"])
        for row in table("organizations"):
            org = Entity(
                "organization",
                row["organization_id"],
                row["name_ar"],
                row["name_en"],
                row.get("country_code"),
                (("organization_type", row["organization_type"]),),
            )
            known.organization_ids.add(row["organization_id"])
            known.add(org, row["name_ar"])
        for row in table("bodies"):  # the gazetteer's, unless the dataset has the body
            body = known.names.get(normalise(row["name_ar"]))
            if body is None or body.id != row["organization_id"]:
                body = Entity(
                    "organization",
                    row["organization_id"],
                    row["name_ar"],
                    row["name_en"],
                    row.get("country_code"),
                    (
                        ("organization_type", row["organization_type"]),
                        ("parent_organization_id", row.get("parent_organization_id")),
                        ("wikidata_id", row.get("wikidata_id")),
                    ),
                )
            variants = (row.get("variants_ar") or "").split("|")
            known.add(body, row["name_ar"], *variants)
        places: dict[str, Entity] = {}
        for row in table("places"):
            place = Entity(
                "place", row["place_id"], row["name_ar"], row["name_en"], row["country_code"]
            )
            known.place_ids.add(row["place_id"])
            places[row["place_id"]] = place
            known.add(place, row["name_ar"])
        for row in table("cities"):
            known_place = places.get(row["place_id"])
            city = Entity(
                "place",
                row["place_id"],
                row["name_ar"],
                row["name_en"],
                row["country_code"],
                (("wikidata_id", row.get("wikidata_id")),),
            )
            variants = (row.get("variants_ar") or "").split("|")
            known.add(known_place or city, row["name_ar"], *variants)
        by_id = {e.id: e for e in known.names.values()}
        nisba_of = {r["country_code"]: r for r in table("countries") if r.get("nisba_ar")}
        for row in table("aliases"):
            keys = ("person_id", "organization_id", "place_id", "country_code")
            key = next((row[k] for k in keys if row.get(k)), None)
            if key in by_id:
                known.add(by_id[key], row["alias_ar"])
            if row.get("country_code") in known.countries:  # "دولة الإمارات"
                known.add(known.countries[row["country_code"]], *_styled(row["alias_ar"]))
            if row.get("country_code") in nisba_of:
                known.nisba_of_alias(nisba_of[row["country_code"]], row["alias_ar"])
        surnames: dict[str, list[Entity]] = {}
        for entity in {e.id: e for e in known.names.values() if e.kind == "person"}.values():
            parts = normalise(entity.name_ar).split()
            if len(parts) > 1:
                surnames.setdefault(parts[-1], []).append(entity)
        known.surnames = {k: v[0] for k, v in surnames.items() if len(v) == 1}
        for name, key in (
            ("meetings", "meeting_id"),
            ("quotes", "quote_id"),
            ("trade", "trade_id"),
            ("investment", "investment_id"),
            ("indicators", "indicator_id"),
            ("statements", "statement_id"),
            ("priorities", "priority_id"),
            ("organization_roles", "role_id"),
        ):
            known.ids |= {row[key] for row in table(name)}
        known.ids |= known.people_ids | known.place_ids | known.organization_ids
        posts = [Post(r["post_ar"], r["post_en"], r["rank"]) for r in table("posts")]
        known.posts = sorted(posts, key=lambda p: -len(p.post_ar))
        return known


def _seed_rows(root: Path, name: str) -> list[dict]:
    """A table's rows as the seeds write them: a reference file, or the lists of that table
    in every facts file. Unchecked (the build checks them); only what names entities."""
    rows: list[dict] = []
    reference = root / paths.reference_file(name)
    files = [reference] if reference.is_file() else sorted((root / paths.FACTS).glob("*.yaml"))
    for path in files:
        try:
            data = safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            continue
        found = (
            data
            if isinstance(data, list)
            else (data or {}).get(name)
            if isinstance(data, dict)
            else None
        )
        rows += [r for r in found or [] if isinstance(r, dict)]
    needed = {"people": "person_id", "places": "place_id", "organizations": "organization_id"}
    key = needed.get(name)
    return [r for r in rows if key is None or (r.get(key) and r.get("name_ar"))]


def _styled(name: str) -> list[str]:
    """A country's name with each style of a state before it, unless it has one."""
    if name.startswith(STATE_STYLES):
        return []
    return [f"{style} {name}" for style in STATE_STYLES]
