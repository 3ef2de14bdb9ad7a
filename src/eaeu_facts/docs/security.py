"""The security page's limits: what the tools refuse, with the numbers they use.

Every figure comes from the code or schemas/ that enforce it, so the page cannot say one
limit while the tools apply another.
"""

from __future__ import annotations

from eaeu_facts.docs.blocks import block
from eaeu_facts.docs.markup import md_href, table_uri
from eaeu_facts.docs.site import Site
from eaeu_facts.model.errors import SHOWN
from eaeu_facts.model.paths import MAX_YAML_BYTES
from eaeu_facts.serve.query import MAX_ROWS, MEMORY_LIMIT, TIME_LIMIT_SECONDS


@block("security-limits")
def security_limits(site: Site, uri: str, arg: str | None) -> str:
    """The limits as a table, then the longest text each field may hold, by length."""
    rows = [
        ("A YAML file of seeds/ or schemas/", f"{MAX_YAML_BYTES:,} bytes"),
        ("Problems a failed command prints", f"{SHOWN}, then how many more"),
        ("Time of one `eaeu-facts query`", f"{TIME_LIMIT_SECONDS:g} s"),
        ("Memory of one `eaeu-facts query`", MEMORY_LIMIT),
        ("Rows `eaeu-facts query` returns", f"{MAX_ROWS:,}"),
    ]
    lines = ["| What | Limit |", "|---|---|", *(f"| {what} | {limit} |" for what, limit in rows)]
    by_length: dict[int, list[str]] = {}
    coded = 0  # identifiers and codes: bounded by their pattern as well
    for table in site.catalog.tables:
        for f in table.fields:
            if "maxLength" not in f.constraints:
                continue
            limit = int(f.constraints["maxLength"])
            if "pattern" in f.constraints:
                coded = max(coded, limit)
                continue
            target = md_href(uri, table_uri(table.name), f"field-{f.name}")
            by_length.setdefault(limit, []).append(f"[`{table.name}.{f.name}`]({target})")
    lines += ["", "| Longest text (characters) | Fields |", "|---|---|"]
    lines += [f"| {n:,} | {', '.join(fields)} |" for n, fields in sorted(by_length.items())]
    lines.append(f"| {coded:,} | every identifier and code (each also matches its pattern) |")
    return "\n".join(lines)
