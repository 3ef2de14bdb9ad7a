"""Blocks describing the package as published: its summary, licences, sources' rights, files.

Sizes and hashes are those datapackage.json lists, so a reader can check a download against
the page; the descriptor itself is hashed here, since it cannot list its own hash.
"""

from __future__ import annotations

from eaeu_facts.docs.blocks import block
from eaeu_facts.docs.markup import human_bytes, md_cell, md_href, md_text, plural, source_uri
from eaeu_facts.docs.site import Site
from eaeu_facts.model.paths import DESCRIPTOR, PACKAGE_DIR
from eaeu_facts.read.evidence import sha256_hex


@block("package-summary")
def package_summary(site: Site, uri: str, arg: str | None) -> str:
    d = site.descriptor
    total = sum(len(rows) for rows in site.rows.values())
    return "\n".join(
        [
            f"> **{md_text(d['title'])}** — version {d['version']}, created {d['created'][:10]}.",
            ">",
            f"> {md_text(d['description'])}",
            "",
            f"The package holds {total} rows in {len(site.catalog.tables)} tables, taken from "
            f"{plural(len(site.rows['sources']), 'source text')}.",
        ]
    )


@block("data-licence")
def data_licence(site: Site, uri: str, arg: str | None) -> str:
    return "\n".join(
        f"- **{lic['name']}**: [{md_text(lic.get('title', lic['name']))}]({lic['path']})"
        for lic in site.descriptor["licenses"]
    )


@block("source-rights")
def source_rights(site: Site, uri: str, arg: str | None) -> str:
    lines = [
        "| Source | Publisher | Rights status | What may be done with it |",
        "| --- | --- | --- | --- |",
    ]
    for row in site.rows["sources"]:
        link = md_href(uri, source_uri(row["source_id"]))
        lines.append(
            f"| [{md_cell(md_text(row['title_en']))}]({link}) "
            f"| {md_cell(md_text(row['publisher_en']))}"
            f" | `{row['rights_status']}` | {md_cell(md_text(row['rights_note_en']))} |"
        )
    return "\n".join(lines)


@block("downloads")
def downloads(site: Site, uri: str, arg: str | None) -> str:
    """Every published file with its format, size and sha256, linked to download it."""
    lines = [
        '<div class="eaeu-downloads" markdown="1">',
        "",
        "| File | Contents | Format | Size | SHA-256 |",
        "| --- | --- | --- | ---: | --- |",
    ]
    lines.append(
        _download_row(
            uri,
            "datapackage.json",
            "The package descriptor: every resource, its schema, size and hash",
            "json",
            site.files[DESCRIPTOR],
        )
    )
    for res in site.descriptor["resources"]:
        link = md_href(uri, f"{PACKAGE_DIR}/{res['path']}")
        lines.append(
            f"| [{res['path']}]({link}){{: download }} "
            f"| {md_cell(md_text(res.get('title', res['name'])))} | {res['format']} "
            f"| {human_bytes(res['bytes'])} | `{res['hash'].removeprefix('sha256:')}` |"
        )
    return "\n".join([*lines, "", "</div>"])


def _download_row(uri: str, path: str, title: str, fmt: str, data: bytes) -> str:
    """A row for a file the descriptor does not list (itself), hashed from its bytes."""
    link = md_href(uri, f"{PACKAGE_DIR}/{path}")
    return (
        f"| [{path}]({link}){{: download }} | {title} | {fmt} | {human_bytes(len(data))} "
        f"| `{sha256_hex(data)}` |"
    )
