"""Benchmark 1: a full build of N = 100, 1,000 and 10,000 synthetic sources.

Each build starts without a package or cache, as `eaeu-facts build` in its own process:
read, locate evidence, cover candidates, check every table, write CSV + Parquet +
datapackage.json, verify them, load DuckDB. The peer is the build of the release before the
one-pipeline redesign (#11), the same command run from that commit's code, on the corpus that
commit's generator writes, in the same run.
"""

from __future__ import annotations

import sys

from common import (
    clear_build,
    cli,
    corpus,
    measure,
    profile,
    release,
    release_cli,
    release_corpus,
    rows_of,
    seconds,
    table,
    write_section,
)

SIZES = (100, 1_000, 10_000)
TIME_LIMIT, MEMORY_LIMIT_MIB, GROWTH_LIMIT = 120.0, 2048.0, 11.0
# The last commit before the one-pipeline redesign (#11): the peer at every size.
PEER = "9d733cb"


def main() -> None:
    rows, walls, peaks, peers = [], {}, {}, {}
    for n in SIZES:
        root = corpus(n)
        clear_build(root)
        run = measure(cli("build", "--root", str(root)))
        if run.code != 0:
            sys.exit(f"build of {n} sources failed:\n{run.stderr}")
        walls[n], peaks[n] = run.wall, run.peak_mib
        published = rows_of(root)  # ours, before the peer's build replaces the package
        clear_build(root)
        theirs = release_corpus(release(PEER), n)
        clear_build(theirs)
        peer = measure(release_cli(release(PEER), "build", "--root", str(theirs)))
        if peer.code != 0:
            sys.exit(f"the peer's build of {n} sources failed:\n{peer.stderr}")
        peers[n] = peer.wall
        reference = f"{seconds(peer.wall)}, {peer.peak_mib:,.0f} MiB ({run.wall / peer.wall:.2f}×)"
        clear_build(root)
        rows.append(
            [
                f"{n:,}",
                f"{published:,}",
                seconds(run.wall),
                seconds(run.cpu),
                f"{run.peak_mib:,.0f} MiB",
                reference,
            ]
        )
    growth = walls[10_000] / walls[1_000]
    header = ["sources", "rows", "wall", "CPU", "peak memory (PSS)", f"peer ({PEER}), ratio"]
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
            f"no slower than the release before (#11, {PEER}) at 10,000 sources",
            walls[10_000] <= peers[10_000],
            walls[10_000] / peers[10_000],
            1.0,
            "×",
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
        f"The peer is the same command run from commit {PEER}, the release before the "
        "one-pipeline redesign (#11), on the corpus its own generator writes for the same "
        "seed and size: the same sources, without the aliases and mention exclusions added "
        "since (#15), in its own schemas; the ratio is ours over its. Ours also finds every "
        "mention and derives the meeting reports, which the peer does not.",
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

        from eaeu_facts.publish.pipeline import build

        text += ["", "Profile of a cold build of 1,000 sources (cProfile, main process):", ""]
        text.append(profile(lambda: build(Path(root))))
    write_section("build", "\n".join(text))


def _verdict(target: str, met: bool, value: float, limit: float, unit: str) -> str:
    shown = f"{value:,.1f} {unit}".replace(" ×", "×")
    if met:
        return f"- met: {target} ({shown})"
    return f"- **missed**: {target} ({shown}, {value / limit - 1:.0%} over)"


if __name__ == "__main__":
    main()
