"""The changelog and citation pages, from the project's own CHANGELOG.md and CITATION.cff.

The citation is derived from CITATION.cff, the file GitHub and Zenodo read, so the ways of
citing the dataset on the site cannot disagree with it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from eaeu_facts.docs.blocks import block
from eaeu_facts.docs.markup import md_href, md_text, source_uri
from eaeu_facts.docs.site import Site


@block("changelog")
def changelog(site: Site, uri: str, arg: str | None) -> str:
    path = site.root / "CHANGELOG.md"
    if not path.is_file():
        return '# Changelog\n\n!!! warning "No CHANGELOG.md yet"\n'
    return path.read_text(encoding="utf-8")


@block("citation")
def citation(site: Site, uri: str, arg: str | None) -> str:
    """How to cite the dataset (from CITATION.cff) and the sources it quotes (from `sources`)."""
    path = site.root / "CITATION.cff"
    if not path.is_file():
        return '!!! warning "No CITATION.cff yet"\n'
    text = path.read_text(encoding="utf-8")
    cff = yaml.safe_load(text)
    return "\n".join(
        [
            md_text(cff.get("message", "")),
            "",
            f"> {_cited(cff)}",
            "",
            f"Licence of the data: `{cff.get('license', '')}`.",
            "",
            "## BibTeX",
            "",
            "```bibtex",
            *_bibtex(cff),
            "```",
            "",
            "## The sources it quotes",
            "",
            *_cited_sources(site, uri),
            "",
            "## CITATION.cff",
            "",
            "```yaml",
            text.rstrip("\n"),
            "```",
        ]
    )


def _year(cff: dict[str, Any]) -> str:
    return str(cff.get("date-released", ""))[:4]


def _where(cff: dict[str, Any]) -> str:
    """Where the dataset is found: its DOI if it has one, else its address."""
    return cff.get("doi") or cff.get("url") or cff.get("repository-code") or ""


def _cited(cff: dict[str, Any]) -> str:
    """The dataset as a reference list cites it: authors (year). *Title* (version) [Data set]."""
    authors = "; ".join(_cff_person(a) for a in cff.get("authors", []))
    year, where = _year(cff), _where(cff)
    cited = f"{authors}{f' ({year})' if year else ''}. *{md_text(cff['title'])}* "
    cited += f"(version {cff.get('version', '')}) [Data set]."
    if where:
        cited += f" {where}"
    return cited


def _bibtex(cff: dict[str, Any]) -> list[str]:
    """A @misc entry, keyed by the title before its colon and the version."""
    year, where = _year(cff), _where(cff)
    key = re.sub(r"[^a-z0-9]+", "_", f"{cff['title'].split(':')[0]} {cff.get('version', '')}")
    authors = " and ".join("{" + _cff_person(a) + "}" for a in cff.get("authors", []))
    lines = [
        f"@misc{{{key.strip('_')},",
        f"  title = {{{cff['title']}}},",
        f"  author = {{{authors}}},",
        f"  version = {{{cff.get('version', '')}}},",
    ]
    if year:
        lines.append(f"  year = {{{year}}},")
    if where:
        lines.append(f"  howpublished = {{{where}}},")
    return [*lines, f"  note = {{Licence: {cff.get('license', '')}}}", "}"]


def _cited_sources(site: Site, uri: str) -> list[str]:
    """Each source text the dataset quotes, as its publisher printed it, linked to its page."""
    return [
        f"- {md_text(r['publisher_en'])}, «{md_text(r['title_ar'])}» "
        f"({md_text(r['title_en'])}), {r['published_date'] or 'undated'}; "
        f"[in this dataset]({md_href(uri, source_uri(r['source_id']))})."
        for r in site.rows["sources"]
    ]


def _cff_person(person: dict[str, Any]) -> str:
    """An author as CITATION.cff gives one: an entity's name, or given and family names."""
    if "name" in person:
        return str(person["name"])
    return " ".join(str(person[k]) for k in ("given-names", "family-names") if k in person)
