"""Run every benchmark in turn and write benchmarks/results.md (`make bench`).

The corpora are written under $EAEU_FACTS_BENCH_DIR (default /tmp/eaeu-facts-bench) once per
seed and size, and kept for the next run. The rebuild benchmark changes one source of the
10,000-source corpus and puts it back, rebuilt, before the queries run. A summary of the
targets, met or missed, is gathered at the top of results.md from each benchmark's verdicts.
"""

from __future__ import annotations

import re
import time

import bench_browser
import bench_build
import bench_database
import bench_queries
import bench_rebuild
import bench_validate
from common import RESULTS, write_section


def main() -> None:
    for bench in (
        bench_build,
        bench_validate,
        bench_rebuild,
        bench_queries,
        bench_database,
        bench_browser,
    ):
        start = time.perf_counter()
        print(f"\n== {bench.__name__} ==", flush=True)
        bench.main()
        print(f"({time.perf_counter() - start:.0f} s)", flush=True)
    summarize()


def summarize() -> None:
    """The verdict lines of every section, under the machine description."""
    text = RESULTS.read_text(encoding="utf-8")
    # Not the summary's own lines, which are those of the last run.
    text = re.sub(r"<!-- summary -->.*?<!-- /summary -->", "", text, flags=re.S)
    verdicts = re.findall(r"^- (?:met|\*\*missed\*\*): .*$", text, re.M)
    write_section("summary", "## Targets\n\n" + "\n".join(verdicts))


if __name__ == "__main__":
    main()
