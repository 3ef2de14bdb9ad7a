"""The query page's files: DuckDB-WASM in the reader's browser, over the published CSV files.

When the site is built the hook adds: the page's script (docs/javascripts/query.js) bundled
by esbuild with DuckDB-WASM's module and Apache Arrow; DuckDB-WASM's worker and WebAssembly
module, copied from node_modules/ (which `npm ci` installs from the committed package-lock.json);
and query/catalog.json, which holds each table's DDL as the database has it (from schemas/) and
publish/views.sql as it is, so the browser's tables and views are the database's. Only
query.html loads any of it, and none of it comes from anywhere but the site.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import subprocess
import tempfile
from pathlib import Path

from eaeu_facts.docs.blocks import block
from eaeu_facts.docs.markup import esc, href
from eaeu_facts.docs.site import Site
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.model.paths import PACKAGE_DIR
from eaeu_facts.model.schemas import SQL_TYPES, Table, ident, literal
from eaeu_facts.publish.database import creation_order, views_sql

NODE_MODULES = "node_modules"
SCRIPT = "javascripts/query.js"  # in docs/, replaced in the site by its bundle
VENDOR = "query"  # the folder of the site holding the page's DuckDB files
CATALOG = f"{VENDOR}/catalog.json"
# The exception-handling build, which every browser of the last three years runs; the
# others (mvp, coi) would add 70 MB to the site for browsers that cannot run it anyway.
WASM_FILES = {
    "duckdb-browser-eh.worker.js": "@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js",
    "duckdb-eh.wasm": "@duckdb/duckdb-wasm/dist/duckdb-eh.wasm",
}
LICENCE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "NOTICE", "NOTICE.txt")
INSTALL = "packages installed by `npm ci` (`make docs` runs it)"
ROW_CAP = 1_000  # rows the page shows; the CSV download holds the whole result
EXAMPLE = "SELECT * FROM quotes_with_speakers"


@block("query-box")
def query_box(site: Site, uri: str, arg: str | None) -> str:
    """The SQL box, Run button, status line and result of the query page (query.js drives it)."""
    data = {
        "catalog": href(uri, CATALOG),
        "vendor": href(uri, VENDOR) + "/",
        "rows": str(ROW_CAP),
    }
    attrs = " ".join(f'data-{k}="{esc(v)}"' for k, v in data.items())
    script = href(uri, SCRIPT)
    return f"""<div id="eaeu-query" class="eaeu-query" {attrs}>
<form class="eaeu-query-form">
<textarea aria-label="SQL" rows="8" spellcheck="false" autocapitalize="off" dir="ltr">
{esc(EXAMPLE)}</textarea>
<p><button type="submit" class="md-button md-button--primary">Run</button>
or <kbd>Ctrl</kbd>+<kbd>Enter</kbd>. The page shows the first {ROW_CAP:,} rows of a result;
its CSV download holds all of them.</p>
</form>
<p id="eaeu-query-status" class="eaeu-query-status" role="status" aria-live="polite">
This page needs JavaScript.</p>
<div id="eaeu-query-result"></div>
</div>
<script defer src="{esc(script)}"></script>"""


def query_files(site: Site) -> dict[str, Path | bytes]:
    """Site path -> file or bytes, for everything the query page needs."""
    modules = site.root / NODE_MODULES
    files: dict[str, Path | bytes] = {}
    for name, package_path in WASM_FILES.items():
        path = modules / package_path
        if not path.is_file():
            _refuse(f"{NODE_MODULES}/{package_path}", "no such file", INSTALL)
        files[f"{VENDOR}/{name}"] = path
    script, packages = bundle(site.root)
    files[SCRIPT] = script
    files[f"{VENDOR}/NOTICE.txt"] = notice(modules, {"@duckdb/duckdb-wasm", *packages}).encode()
    files[CATALOG] = query_catalog(site).encode()
    return files


def query_catalog(site: Site) -> str:
    """Each table's CSV file, its DDL in an order that creates the tables, the statement that
    loads it, and the views.

    The page reads the CSV files, not the Parquet: DuckDB-WASM reads Parquet through an
    extension it would fetch from DuckDB's servers, while its CSV reader is built in, and the
    CSV holds every value in a form that reads back the same (model/frames.format_value).
    The foreign keys are not declared in the browser: a table is loaded when a query first
    needs it, in one statement, whether or not the tables it references are loaded yet (and
    DuckDB checks a key against the rows already in a table, so rows referencing rows of
    their own table would need loading in generations, as publish/database.py does). The rows
    were checked when they were published.
    """
    tables = []
    for plan in creation_order(site.catalog):
        table = plan.table
        csv = [r["path"] for r in site.resources(table.name) if r["path"].endswith(".csv")]
        if not csv:
            where, expected = f"{PACKAGE_DIR}/datapackage.json", "a CSV file for every table"
            _refuse(where, f"no CSV file of {table.name}", expected)
        path = csv[0]
        register = posixpath.basename(path)
        tables.append(
            {
                "name": table.name,
                "file": f"{PACKAGE_DIR}/{path}",
                "register": register,
                "sql": plan.to_sql(references=False),
                "load": load_sql(table, register),
            }
        )
    catalog = {"tables": tables, "views": views_sql()}
    return json.dumps(catalog, ensure_ascii=False, indent=1) + "\n"


def load_sql(table: Table, file: str) -> str:
    """INSERT a table's rows from its published CSV, read with the types of schemas/ (UTF-8,
    a header, fields quoted with doubled quotes, an empty field missing)."""
    columns = ", ".join(f"{literal(f.name, 'string')}: '{SQL_TYPES[f.type]}'" for f in table.fields)
    options = "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"'"
    source = f"read_csv({literal(file, 'string')}, {options}, columns = {{{columns}}})"
    return f"INSERT INTO {ident(table.name)} SELECT * FROM {source}"


def bundle(root: Path) -> tuple[bytes, list[str]]:
    """docs/javascripts/query.js with the modules it imports, as one minified classic script:
    a module would not run at all from disk, where the page must say how to serve it. Also
    the npm packages it holds, from esbuild's record of what it read."""
    esbuild = root / NODE_MODULES / ".bin" / "esbuild"
    if not esbuild.is_file():
        _refuse(f"{NODE_MODULES}/.bin/esbuild", "no such file", INSTALL)
    if shutil.which("node") is None:
        _refuse("node", "not on PATH", "Node.js, which runs esbuild (`make docs` installs it)")
    with tempfile.TemporaryDirectory(prefix="eaeu-facts-query-") as tmp:
        out, meta = Path(tmp) / "query.js", Path(tmp) / "meta.json"
        args = [str(esbuild), f"docs/{SCRIPT}", "--bundle", "--format=iife", "--minify"]
        args += [f"--metafile={meta}"]
        args += ["--target=es2020", "--legal-comments=eof", "--log-level=error"]
        result = subprocess.run(
            [*args, f"--outfile={out}"], cwd=root, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            first = next((line for line in result.stderr.splitlines() if line.strip()), "")
            _refuse(f"docs/{SCRIPT}", f"<{first.strip()}>", "a script esbuild bundles")
        inputs = json.loads(meta.read_text(encoding="utf-8"))["inputs"]
        return out.read_bytes(), sorted({_package(path) for path in inputs} - {""})


def _package(path: str) -> str:
    """The npm package a bundled file comes from ('' for the project's own)."""
    parts = path.split("/")
    if NODE_MODULES not in parts:
        return ""
    rest = parts[len(parts) - parts[::-1].index(NODE_MODULES) :]
    return "/".join(rest[:2]) if rest[0].startswith("@") else rest[0]


def notice(modules: Path, packages: set[str]) -> str:
    """The npm packages the page's files hold: name, version, licence, and licence texts."""
    head = ["The query page's script and DuckDB files hold these npm packages:", ""]
    texts = []
    for name in sorted(packages):
        info = json.loads((modules / name / "package.json").read_text(encoding="utf-8"))
        head.append(f"- {name} {info['version']} ({info.get('license', 'no licence stated')})")
        for file in LICENCE_FILES:
            if (path := modules / name / file).is_file():
                text = path.read_text(encoding="utf-8").strip()
                texts += ["", f"== {name}: {file} ==", "", text]
    return "\n".join(head + texts) + "\n"


def _refuse(where: str, found: str, expected: str) -> None:
    problems = Problems()
    problems.add(where, None, "query page", found, expected)
    raise BuildError(problems)
