"""Benchmark 6: the query page (DuckDB-WASM in Chromium), from opening it to the first result.

The site is built once from the repository (`mkdocs build --strict`); a copy of it with the
10,000-source package's CSV files in place of the seed's serves the large case (the page reads
query/catalog.json and the CSV files a query names, and both packages have the same tables).
Each measurement opens query.html?sql=QUERY in a new browser context, so nothing is cached,
and stops when the result is shown; the median of RUNS. The slowest cookbook query is found by
running each once on that package. The peer is a new Python process that opens the same
package's database with `eaeu_facts.connect()` and fetches the whole result, as a reader with
a checkout would (`eaeu-facts query` refuses results over 100,000 rows). Also the bytes the
query page adds to the site: DuckDB-WASM, its worker and the bundled page script, as files and
gzip-compressed (as a server sends them).
"""

from __future__ import annotations

import functools
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from bench_queries import cookbook
from common import BIN, REPO, cli, corpus, measure, seconds, table, write_section

N = 10_000
RUNS = 3
START_ONLY = "SELECT 42"
SIMPLEST = "SELECT count(*) FROM sources"
TIMEOUT_MS = 600_000
DONE = "#eaeu-query-status.eaeu-query-done, #eaeu-query-status.eaeu-query-error"
PAGE_FILES = ("query", "javascripts/query.js")


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="eaeu-facts-bench-site-"))
    try:
        seed_site = build_site(work / "seed")
        large = corpus(N)
        for root in (REPO, large):
            if not (root / "datapackage" / "eaeu-facts.duckdb").exists():
                run = measure(cli("build", "--root", str(root)))
                if run.code:
                    sys.exit(run.stderr)
        large_site = swap_package(seed_site, large, work / "large")
        rows = []
        for label, site, root in (("seed", seed_site, REPO), (f"{N:,} sources", large_site, large)):
            rows.extend(measure_package(label, site, root))
        size = page_size(seed_site)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    header = ["package", "query", "rows", "query page", "Python and DuckDB", "page / peer"]
    text = [
        "## 6. The query page: from opening it to the first result",
        "",
        f"Chromium (Debian's, headless) opening `query.html?sql=...` in a new context each "
        f"time, until the result is shown: the median of {RUNS} runs. Each run starts DuckDB-WASM "
        "(compiling its WebAssembly), creates the tables and views, and reads the CSV files "
        "the query needs. Peer: a new Python process that opens the same package's database "
        "with `eaeu_facts.connect()` and fetches the whole result, as a reader with a "
        "checkout would. The slowest cookbook query is the slowest of one "
        "run of each on that package.",
        "",
        table(header, rows),
        "",
        "What the query page adds to the site (`query/` and `javascripts/query.js`):",
        "",
        table(["files", "bytes", "gzip -9", "share of the site"], [size]),
    ]
    write_section("browser", "\n".join(text))


def build_site(out: Path) -> Path:
    """The site as `make docs` builds it (the repository's package)."""
    command = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(out)]
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}:/usr/bin:/bin"}
    subprocess.run(command, cwd=REPO, env=env, check=True, capture_output=True)
    return out


def swap_package(site: Path, root: Path, out: Path) -> Path:
    """A copy of the site whose datapackage/csv holds another package's CSV files."""
    shutil.copytree(site, out, ignore=shutil.ignore_patterns("datapackage"))
    shutil.copytree(root / "datapackage" / "csv", out / "datapackage" / "csv")
    return out


def measure_package(label: str, site: Path, root: Path) -> list[list[object]]:
    from playwright.sync_api import sync_playwright

    database = root / "datapackage" / "eaeu-facts.duckdb"
    out = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        try:
            once = {sql: open_page(browser, base, sql) for _, sql in cookbook()}
            slowest = max(once, key=lambda sql: once[sql][0])
            title = next(t for t, sql in cookbook() if sql == slowest)
            cases = [
                ("start only: `" + START_ONLY + "`", START_ONLY),
                ("simplest: `" + SIMPLEST + "`", SIMPLEST),
                (f"slowest cookbook query: {title}", slowest),
            ]
            for name, sql in cases:
                runs = [open_page(browser, base, sql) for _ in range(RUNS)]
                page = statistics.median(r[0] for r in runs)
                peer = statistics.median(command_seconds(database, sql) for _ in range(RUNS))
                rows = runs[0][1]
                out.append([label, name, rows, seconds(page), seconds(peer), f"{page / peer:.1f}x"])
        finally:
            browser.close()
    return out


def open_page(browser: object, base: str, sql: str) -> tuple[float, str]:
    """Seconds from opening the page with `sql` to its result (or error) shown, and the
    status it shows then (the row count)."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{base}query.html?sql={quote(sql)}")
        page.wait_for_selector(DONE, timeout=TIMEOUT_MS)
        elapsed = time.perf_counter() - start
        shown = page.inner_text("#eaeu-query-result .eaeu-result-count") or ""
        if "eaeu-query-error" in (page.get_attribute("#eaeu-query-status", "class") or ""):
            sys.exit(f"query page: {sql!r}: {page.inner_text('#eaeu-query-status')}")
        return elapsed, shown.split(" in ")[0]
    finally:
        context.close()


def command_seconds(database: Path, sql: str) -> float:
    """A new Python process that opens the database and fetches the whole result as Arrow
    (`eaeu-facts query` itself refuses results over 100,000 rows, which the page shows)."""
    code = "import sys, eaeu_facts; eaeu_facts.connect(sys.argv[1]).sql(sys.argv[2]).arrow()"
    start = time.perf_counter()
    subprocess.run([str(BIN / "python"), "-c", code, str(database), sql], check=True)
    return time.perf_counter() - start


def page_size(site: Path) -> list[object]:
    files = [p for name in PAGE_FILES for p in _files(site / name)]
    raw = sum(p.stat().st_size for p in files)
    packed = sum(len(gzip.compress(p.read_bytes(), 9, mtime=0)) for p in files)
    whole = sum(p.stat().st_size for p in _files(site))
    names = ", ".join(sorted(p.name for p in files))
    return [names, f"{raw / 1e6:.1f} MB", f"{packed / 1e6:.1f} MB", f"{raw / whole:.0%}"]


def _files(path: Path) -> list[Path]:
    return [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
