"""Benchmark 3: rebuilding the 10,000-source corpus after one source changes.

A full build from an empty cache, a rebuild with nothing changed, and a rebuild after one
source changes (its text, record and facts rewritten with other figures, as
`synthetic.generate(..., variant=[i])` does), each as `eaeu-facts build` in its own process.
The corpus is put back afterwards.
"""

from __future__ import annotations

import sys
from pathlib import Path

from common import (
    SEED,
    clear_build,
    cli,
    corpus,
    measure,
    phases,
    profile,
    seconds,
    table,
    write_section,
)

N, CHANGED = 10_000, 4_321
TARGET = 0.10


def main() -> None:
    from synthetic import generate

    from eaeu_facts.publish.pipeline import build

    root = corpus(N)
    generate(root, N, SEED)  # as generated, whatever an earlier run left changed
    clear_build(root)
    runs = {"full build (empty cache)": measure(cli("build", "--root", str(root)))}
    runs["rebuild, nothing changed"] = measure(cli("build", "--root", str(root)))
    generate(root, N, SEED, variant=[CHANGED])
    try:
        runs["rebuild, one source changed"] = measure(cli("build", "--root", str(root)))
        for run in runs.values():
            if run.code:
                sys.exit(run.stderr)
        said = [r.stdout.strip() for r in runs.values()]
        if "patched" not in said[2] or "nothing changed" not in said[1]:
            sys.exit(f"the rebuilds did not do what is measured: {said}")
        full = runs["full build (empty cache)"].wall
        one = runs["rebuild, one source changed"].wall
        rows = [
            [
                label,
                seconds(r.wall),
                seconds(r.cpu),
                f"{r.peak_mib:,.0f} MiB",
                f"{r.wall / full:.1%}",
            ]
            for label, r in runs.items()
        ]
        ratio = one / full
        met = ratio <= TARGET
        text = [
            f"## 3. Rebuild after one changed source ({N:,} sources)",
            "",
            "The cache (`.cache/build/`) keeps each source's rows, keyed by the sha256 of its "
            "text, record and facts file, the schemas and the code that reads them; a rebuild "
            "reads again only the sources whose key changed. It checks every table against its "
            "schema and the rules across tables, and the rows of the changed sources against "
            "the rules of one row (the others passed the same checks when last published); "
            "writes every file; and patches a copy of the published database (publish/database.py"
            "). With nothing changed there is nothing to write.",
            "",
            table(["build", "wall", "CPU", "peak memory (PSS)", "of the full build"], rows),
            "",
            f"- met: rebuild at most 10% of the full build ({ratio:.1%})"
            if met
            else f"- **missed**: rebuild at most 10% of the full build ({ratio:.1%}, "
            f"{ratio / TARGET - 1:.0%} over)",
        ]
        generate(root, N, SEED)
        build(Path(root))
        generate(root, N, SEED, variant=[CHANGED])
        text += [
            "",
            "Where the rebuild after one change spends its time (one run in this process):",
            "",
        ]
        text.append(phases(lambda: build(Path(root)), _steps()))
        if not met:
            generate(root, N, SEED)
            build(Path(root))
            generate(root, N, SEED, variant=[CHANGED])
            text += ["", "Its profile (cProfile, main thread; the DuckDB load runs beside it):", ""]
            text.append(profile(lambda: build(Path(root)), limit=24))
    finally:
        generate(root, N, SEED)
        build(Path(root))
    write_section("rebuild", "\n".join(text))


def _steps() -> list[tuple[object, str, str]]:
    from eaeu_facts.publish import pipeline

    return [
        (pipeline, "keyed", "hash the inputs (by stat where unchanged)"),
        (pipeline, "gather", "read the changed source, every unit's rows from the cache"),
        (pipeline, "read_texts", "read the source texts"),
        (pipeline, "check_tables", "check (schemas, rules across tables, new rows)"),
        (pipeline, "write_package", "write CSV, Parquet, datapackage.json"),
        (pipeline, "verify", "verify the written files"),
        (pipeline, "patch_database", "copy and patch the database (own thread)"),
    ]


if __name__ == "__main__":
    main()
