"""Benchmark 5: the size of the DuckDB database at DuckDB's default block size (256 KiB) and
at the smallest it allows (16 KiB, what publish/database.py writes), and which clients open
each: this Python client, the DuckDB command line (the `duckdb-cli` wheel) and an older
Python client (1.1), each installed into a scratch folder from the package registry.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import REPO, WORK, corpus, table, write_section

CLIENTS = {"DuckDB CLI 1.5.6": "duckdb-cli==1.5.6", "Python duckdb 1.1.3": "duckdb==1.1.3"}
DEFAULT_BLOCK = 256 * 1024


def main() -> None:
    import duckdb

    from eaeu_facts.model.schemas import load_catalog
    from eaeu_facts.publish import database
    from eaeu_facts.publish.keys import fingerprint, keyed
    from eaeu_facts.publish.pipeline import ROW_LIBRARIES, ROW_STAGES, assemble
    from eaeu_facts.read.units import find_units

    clients = {name: _install(spec) for name, spec in CLIENTS.items()}
    rows = []
    for label, root in (("the seed", REPO), ("1,000 synthetic sources", corpus(1_000))):
        catalog = load_catalog(root)
        key = fingerprint(root, ROW_STAGES, ROW_LIBRARIES)
        units = keyed(root, find_units(root)[0], key)
        tables = assemble(root, catalog, units, key)[0]
        ours = (database.BLOCK_SIZE, database.STORAGE_VERSION)
        # DuckDB's default block, in the storage format of 1.0 (what builds wrote before),
        # and what they write now.
        for block, storage in ((DEFAULT_BLOCK, "v1.0.0"), ours):
            out = Path(tempfile.mkdtemp(dir=WORK))
            database.BLOCK_SIZE, database.STORAGE_VERSION = block, storage
            path = database.write_database(catalog, tables, out)
            opened = ["yes" if _opens(path) else "no"]
            opened += ["yes" if _client_opens(c, path) else "no" for c in clients.values()]
            size = f"{path.stat().st_size / 2**20:,.1f} MB"
            shutil.rmtree(out)
            rows.append([label, f"{block // 1024} KiB, format {storage}", size, *opened])
        database.BLOCK_SIZE, database.STORAGE_VERSION = ours
    ours_client = f"Python duckdb {duckdb.__version__}"
    header = ["database", "blocks, storage format", "file", ours_client, *CLIENTS]
    write_section(
        "database",
        "\n".join(
            [
                "## 5. The database file's block size",
                "",
                "The same tables and views written at DuckDB's default block size and at the "
                "smallest it allows, and whether each client opens the file and reads a table "
                "(`SELECT count(*) FROM mentions`). The build writes 16 KiB blocks, which "
                "need DuckDB 1.2 (February 2025) or later to read: a file 14 times smaller "
                "for the seed, for clients no older than that. The site's query page does not read "
                "this file: it makes the tables from the CSV files (section 6); its "
                "DuckDB-WASM runs DuckDB 1.4, which could.",
                "",
                table(header, rows),
            ]
        ),
    )


def _install(spec: str) -> Path:
    target = WORK / "clients" / spec.replace("==", "-")
    if not target.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(target), spec],
            check=True,
        )
    return target


def _opens(path: Path) -> bool:
    import duckdb

    try:
        with duckdb.connect(str(path), read_only=True) as con:
            con.execute("SELECT count(*) FROM mentions").fetchone()
        return True
    except duckdb.Error:
        return False


def _client_opens(client: Path, path: Path) -> bool:
    """The CLI wheel's `duckdb` program, or an older Python client run on its own path."""
    program = next(client.glob("duckdb_cli/duckdb"), None)
    if program is not None:
        done = subprocess.run(
            [str(program), "-readonly", str(path), "-c", "SELECT count(*) FROM mentions"],
            capture_output=True,
            text=True,
        )
        return done.returncode == 0 and "Error" not in done.stderr
    code = (
        "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True)"
        ".execute('SELECT count(*) FROM mentions').fetchone()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        env={"PYTHONPATH": str(client)},
        capture_output=True,
        text=True,
    )
    return done.returncode == 0


if __name__ == "__main__":
    main()
