"""What the MkDocs hook adds to the site: the generated pages, the downloads and the nav.

A page exists here only because the data does (one per table and per source text), so the
nav lists them through `*` patterns rather than by name.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import Any

from eaeu_facts.docs.dictionary import table_page, tables_index
from eaeu_facts.docs.markup import source_uri, table_uri
from eaeu_facts.docs.site import Site
from eaeu_facts.docs.sources import source_page
from eaeu_facts.model.paths import PACKAGE_DIR


def generated_pages(site: Site) -> dict[str, str]:
    """Every page that exists only because of the data: the tables and the source texts."""
    pages = {"tables/index.md": tables_index(site)}
    for table in site.catalog.tables:
        pages[table_uri(table.name)] = table_page(site, table)
    for row in site.rows["sources"]:
        pages[source_uri(row["source_id"])] = source_page(site, row)
    return pages


def download_files(site: Site) -> dict[str, bytes]:
    """Site path -> bytes of datapackage.json and every file it lists, as read with the rest
    of the site (one package, see load_site)."""
    return {f"{PACKAGE_DIR}/{path}": content for path, content in site.files.items()}


def expand_nav(nav: list[Any], uris: list[str], listed: set[str] | None = None) -> list[Any]:
    """Replace nav entries holding a `*` pattern by the generated pages that match it.

    A page the nav names explicitly (tables/index.md) is not repeated by a pattern.
    """
    listed = set(_nav_paths(nav)) if listed is None else listed
    out: list[Any] = []
    for item in nav:
        if isinstance(item, str) and "*" in item:
            out.extend(_matching(item, uris, listed))
        elif isinstance(item, dict):
            out.append({k: _expand_value(v, uris, listed) for k, v in item.items()})
        else:
            out.append(item)
    return out


def _expand_value(value: Any, uris: list[str], listed: set[str]) -> Any:
    """A section's value: a list is expanded in turn, a pattern becomes its pages."""
    if isinstance(value, list):
        return expand_nav(value, uris, listed)
    if isinstance(value, str) and "*" in value:
        return _matching(value, uris, listed)
    return value


def _matching(pattern: str, uris: list[str], listed: set[str]) -> list[str]:
    return [u for u in uris if fnmatch.fnmatch(u, pattern) and u not in listed]


def _nav_paths(nav: Any) -> Iterator[str]:
    """Every page the nav names, at any depth."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
