"""Benchmark 1: a full build of N = 100, 1,000 and 10,000 synthetic sources.

Each build starts without a package or cache, as `eaeu-facts build` in its own process:
read, locate evidence, cover candidates, write CSV + Parquet + datapackage.json, verify the
package, load DuckDB. The peer is the row-by-row reference path of the same build
(`publish.build(..., fast=False)`, which every build took before the cache), at the sizes it
finishes in reasonable time.
"""

from __future__ import annotations

import sys

from common import (
    BIN,
    clear_build,
    cli,
    corpus,
    measure,
    profile,
    rows_of,
    seconds,
    table,
    write_section,
)

SIZES = (100, 1_000, 10_000)
REFERENCE_SIZES = (100, 1_000)
TIME_LIMIT, MEMORY_LIMIT_MIB, GROWTH_LIMIT = 120.0, 2048.0, 11.0


def main() -> None:
    rows, walls, peaks = [], {}, {}
    for n in SIZES:
        root = corpus(n)
        clear_build(root)
        run = measure(cli("build", "--root", str(root)))
        if run.code != 0:
            sys.exit(f"build of {n} sources failed:\n{run.stderr}")
        walls[n], peaks[n] = run.wall, run.peak_mib
        reference = "not run (too slow)"
        if n in REFERENCE_SIZES:
            clear_build(root)
            code = (
                "from pathlib import Path; from eaeu_facts.publish import build; "
                f"build(Path({str(root)!r}), fast=False)"
            )
            ref = measure([str(BIN / "python"), "-c", code])
            reference = f"{seconds(ref.wall)}, {ref.peak_mib:,.0f} MiB"
        rows.append(
            [
                f"{n:,}",
                f"{rows_of(root):,}",
                seconds(run.wall),
                seconds(run.cpu),
                f"{run.peak_mib:,.0f} MiB",
                reference,
            ]
        )
    growth = walls[10_000] / walls[1_000]
    header = ["sources", "rows", "wall", "CPU", "peak memory (PSS)", "reference path"]
    verdicts = [
        _verdict(
            "10,000 sources in under 2 minutes",
            walls[10_000] < TIME_LIMIT,
            walls[10_000],
            TIME_LIMIT,
            "s",
        ),
        _verdict(
            "10,000 sources in under 2 GiB",
            peaks[10_000] < MEMORY_LIMIT_MIB,
            peaks[10_000],
            MEMORY_LIMIT_MIB,
            "MiB",
        ),
        _verdict(
            "growth time(10,000)/time(1,000) at most 11",
            growth <= GROWTH_LIMIT,
            growth,
            GROWTH_LIMIT,
            "×",
        ),
    ]
    text = [
        "## 1. Full build",
        "",
        "Cold builds (no package, no cache) of the synthetic corpora, each `eaeu-facts build` "
        "in its own process; peak memory is the largest PSS of the process and its workers. "
        "The reference path is the row-by-row build every build took before this work.",
        "",
        table(header, rows),
        "",
        f"Growth ratio time(10,000)/time(1,000): **{growth:.1f}**.",
        "",
        *verdicts,
    ]
    if not all(v.startswith("- met") for v in verdicts):
        root = corpus(1_000)
        clear_build(root)
        from pathlib import Path

        from eaeu_facts.publish import build

        text += ["", "Profile of a cold build of 1,000 sources (cProfile, main process):", ""]
        text.append(profile(lambda: build(Path(root), progress=False)))
    write_section("build", "\n".join(text))


def _verdict(target: str, met: bool, value: float, limit: float, unit: str) -> str:
    shown = f"{value:,.1f} {unit}".replace(" ×", "×")
    if met:
        return f"- met: {target} ({shown})"
    return f"- **missed**: {target} ({shown}, {value / limit - 1:.0%} over)"


if __name__ == "__main__":
    main()
