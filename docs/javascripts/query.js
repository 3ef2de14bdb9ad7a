// eaeu-facts: the query page. DuckDB-WASM runs in a worker of this site, over the published
// CSV files; nothing is fetched from anywhere else. Bundled by esbuild when the site is
// built (src/eaeu_facts/docs/wasm.py); only query.html loads it.
//
// The tables are created empty from the same DDL as the database's (query/catalog.json, made
// from schemas/), the views from the same views.sql; a table's rows are read from its CSV
// file the first time a query names it, or names a view that uses it. Values of the tables'
// types are written as `eaeu-facts query --format csv` writes them. Like that command, the
// page runs one statement and changes nothing: each run is a transaction rolled back.

import * as duckdb from "@duckdb/duckdb-wasm";
import { DataType } from "apache-arrow";

const ARABIC = /[\u0600-\u06ff]/;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const SETTINGS = [
  // No extension is fetched: a query that would need one fails with DuckDB's one line.
  "SET autoinstall_known_extensions = false",
  "SET autoload_known_extensions = false",
  "SET errors_as_json = true",
];
const FROM_DISK =
  "This page runs DuckDB in a web worker, which browsers do not start for a page opened " +
  "from disk: serve the site (make serve, or python3 -m http.server -d site) and open " +
  "http://127.0.0.1:8000/query.html";

const page = document.getElementById("eaeu-query");
const ROW_CAP = Number(page.dataset.rows); // rows shown; the CSV download holds them all
const form = page.querySelector("form");
const box = page.querySelector("textarea");
const button = page.querySelector("button");
const status = document.getElementById("eaeu-query-status");
const output = document.getElementById("eaeu-query-result");
const here = (path) => new URL(path, document.baseURI).href;

function say(text, kind) {
  status.textContent = text;
  status.className = "eaeu-query-status" + (kind ? " eaeu-query-" + kind : "");
}

// --- the database -------------------------------------------------------------------------

let ready = null; // the started database, or why it did not start

async function start() {
  const vendor = page.dataset.vendor;
  const [catalog, db] = await Promise.all([
    fetch(here(page.dataset.catalog)).then((r) => r.json()),
    (async () => {
      const worker = new Worker(here(vendor + "duckdb-browser-eh.worker.js"));
      const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
      await db.instantiate(here(vendor + "duckdb-eh.wasm"));
      return db;
    })(),
  ]);
  const con = await db.connect();
  for (const sql of SETTINGS) await con.query(sql);
  // Were DuckDB to fetch an extension after all, it would ask this site, which has none.
  const repository = here(vendor + "extensions").replaceAll("'", "''");
  await con.query(`SET custom_extension_repository = '${repository}'`);
  await con.query(`SET autoinstall_extension_repository = '${repository}'`);
  // One call for every statement: each call is a round trip to the worker.
  await con.query([...catalog.tables.flatMap((t) => t.sql), catalog.views].join(";\n"));
  // A query reads the tables' files and nothing else: not a URL (a shared link must not make
  // the reader's browser call anyone), and no setting can be changed back.
  const files = catalog.tables.map((t) => `'${t.register}'`).join(", ");
  await con.query(`SET allowed_paths = [${files}]`);
  await con.query("SET enable_external_access = false");
  await con.query("SET lock_configuration = true");
  const views = await con.query(
    "SELECT view_name, sql FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'",
  );
  const uses = new Map();
  for (const row of views.toArray()) uses.set(row.view_name.toLowerCase(), words(row.sql));
  for (const table of catalog.tables) uses.set(table.name.toLowerCase(), new Set());
  const version = (await con.query("SELECT version() AS v")).toArray()[0].v;
  return { db, con, catalog, uses, loading: new Map(), version };
}

function words(sql) {
  return new Set((sql.match(WORD) || []).map((w) => w.toLowerCase()));
}

// The tables a statement needs: those it names, and those the views it names use. A word
// that only looks like a name (in a string, say) loads a table for nothing, which is harmless.
function needed(state, sql) {
  const tables = new Map(state.catalog.tables.map((t) => [t.name.toLowerCase(), t]));
  const out = [];
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const used of state.uses.get(name) || []) if (used !== name) visit(used);
    if (tables.has(name)) out.push(tables.get(name));
  };
  for (const name of words(sql)) if (state.uses.has(name)) visit(name);
  return out;
}

function load(state, table) {
  if (!state.loading.has(table.name)) {
    state.loading.set(
      table.name,
      (async () => {
        const response = await fetch(here(table.file));
        if (!response.ok) {
          throw new Error(`${table.file}: found HTTP ${response.status}, expected the file`);
        }
        const bytes = new Uint8Array(await response.arrayBuffer());
        await state.db.registerFileBuffer(table.register, bytes);
        await state.con.query(table.load);
        await state.db.dropFile(table.register);
      })().catch((error) => {
        state.loading.delete(table.name); // the next query tries again
        throw error;
      }),
    );
  }
  return state.loading.get(table.name);
}

// --- values as `eaeu-facts query --format csv` writes them --------------------------------

// Python's repr of a float: the shortest digits that read back, with its exponent rules.
function pyFloat(x) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const size = Math.abs(x);
  if (size >= 1e16 || size < 1e-4) {
    return x.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  const text = String(x);
  return text.includes(".") ? text : text + ".0";
}

function decimalText(value, scale) {
  let digits = String(value);
  const sign = digits.startsWith("-") ? "-" : "";
  if (sign) digits = digits.slice(1);
  if (scale === 0) return sign + digits;
  digits = digits.padStart(scale + 1, "0");
  return sign + digits.slice(0, -scale) + "." + digits.slice(-scale);
}

function formatter(type) {
  if (DataType.isBool(type)) return (v) => (v ? "true" : "false");
  if (DataType.isFloat(type)) return (v) => pyFloat(Number(v));
  if (DataType.isInt(type)) return (v) => String(v);
  if (DataType.isDecimal(type)) return (v) => decimalText(v, type.scale);
  if (DataType.isDate(type)) return (v) => new Date(Number(v)).toISOString().slice(0, 10);
  if (DataType.isTimestamp(type)) {
    return (v) =>
      new Date(Number(v))
        .toISOString()
        .replace(/(\.000)?Z$/, "");
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return (v) => v;
  return (v) => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? String(x) : x));
}

// The result as columns of text, null as "" (as a CSV cell holds it).
function cells(table) {
  return table.schema.fields.map((field, i) => {
    const column = table.getChildAt(i);
    const write = formatter(field.type);
    const out = new Array(table.numRows);
    for (let row = 0; row < table.numRows; row++) {
      const value = column.get(row);
      out[row] = value === null || value === undefined ? "" : write(value);
    }
    return out;
  });
}

function csvField(text) {
  // As Python's csv module writes it (which leaves a lone \r unquoted).
  return /[",\n]/.test(text) ? '"' + text.replaceAll('"', '""') + '"' : text;
}

function csvLine(values) {
  // Python's csv module writes a row of one empty field as "" so that it is not a blank line.
  if (values.length === 1 && values[0] === "") return '""';
  return values.map(csvField).join(",");
}

function toCsv(names, columns, rows) {
  const lines = [csvLine(names)];
  for (let row = 0; row < rows; row++) lines.push(csvLine(columns.map((c) => c[row])));
  return lines.join("\n") + "\n";
}

// --- errors as `eaeu-facts query` reports them --------------------------------------------

function describe(sql, error) {
  const text = String(error && error.message ? error.message : error);
  let info = null;
  try {
    if (text.includes("{")) info = JSON.parse(text.slice(text.indexOf("{")));
  } catch {
    info = null;
  }
  if (!info || typeof info !== "object") return "query: " + text.trim().split("\n")[0];
  const kind = (info.exception_type || "Error") + " Error";
  const lines = String(info.exception_message || "")
    .trim()
    .split("\n");
  const message = kind + ": " + lines.map((l) => l.trim()).join(" ");
  if (info.position === undefined) return "query: " + message;
  const unit = info.exception_type === "Parser" ? "characters" : "bytes";
  const [line, column] = position(sql, Number(info.position), unit);
  return `query:${line}:${column}: ${message}`;
}

// Line and column (from 1, in characters) of DuckDB's offset. DuckDB-WASM's parser counts
// characters (code points) and its binder UTF-8 bytes, where the command line's DuckDB counts
// bytes for both; tests/test_wasm.py holds each kind to the command line's line and column.
function position(sql, offset, unit) {
  const before =
    unit === "characters"
      ? Array.from(sql).slice(0, offset).join("")
      : new TextDecoder().decode(new TextEncoder().encode(sql).slice(0, offset));
  const lines = before.replace(/\uFFFD$/, "").split("\n");
  return [lines.length, Array.from(lines[lines.length - 1]).length + 1];
}

// --- the page -------------------------------------------------------------------------------

let download = null; // the object URL of the last result's CSV, released with it

function show(names, columns, rows, ms) {
  clear();
  const shown = Math.min(rows, ROW_CAP);
  const summary = document.createElement("p");
  summary.className = "eaeu-result-count";
  const count = `${rows.toLocaleString("en")} row${rows === 1 ? "" : "s"}`;
  summary.append(
    `${count} in ${Math.round(ms).toLocaleString("en")} ms` +
      (shown < rows ? `; the first ${shown.toLocaleString("en")} shown. ` : ". "),
  );
  const link = document.createElement("a");
  link.textContent = "Download the whole result as CSV";
  link.download = "result.csv";
  download = URL.createObjectURL(
    new Blob([toCsv(names, columns, rows)], { type: "text/csv;charset=utf-8" }),
  );
  link.href = download;
  link.className = "eaeu-query-csv";
  summary.append(link);
  const wrapper = document.createElement("div");
  wrapper.className = "eaeu-result";
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const name of names) {
    const th = document.createElement("th");
    const code = document.createElement("code");
    code.textContent = name;
    th.append(code);
    head.append(th);
  }
  const body = table.createTBody();
  for (let row = 0; row < shown; row++) {
    const tr = body.insertRow();
    for (const column of columns) {
      const td = tr.insertCell();
      const text = column[row];
      td.textContent = text;
      if (ARABIC.test(text)) {
        td.dir = "rtl";
        td.lang = "ar";
      }
      if (text.length > 60) td.className = "long";
    }
  }
  wrapper.append(table);
  output.append(summary, wrapper);
}

function clear() {
  output.replaceChildren();
  if (download) URL.revokeObjectURL(download);
  download = null;
}

async function run(sql) {
  if (button.disabled) return; // one query at a time
  const url = new URL(location.href);
  url.searchParams.set("sql", sql);
  history.replaceState(null, "", url);
  button.disabled = true;
  say("Running…");
  try {
    const state = await ready;
    const started = performance.now(); // the query's time, with the tables it reads first
    for (const table of needed(state, sql)) await load(state, table);
    const result = await rolledBack(state.con, sql);
    const ms = performance.now() - started;
    const names = result.schema.fields.map((f) => f.name);
    show(names, cells(result), result.numRows, ms);
    say(`DuckDB ${state.version}`, "done");
  } catch (error) {
    clear();
    say(describe(sql, error), "error");
  } finally {
    button.disabled = false;
  }
}

// Run one statement in a transaction, then roll it back: a query (or a shared link) changes
// nothing, and one statement cannot end the transaction and then change the tables. Like
// `eaeu-facts query`, the page takes one statement (DuckDB refuses to prepare more).
async function rolledBack(con, sql) {
  await con.query("BEGIN TRANSACTION");
  try {
    const statement = await con.prepare(sql);
    try {
      return await statement.query();
    } finally {
      await statement.close();
    }
  } finally {
    try {
      await con.query("ROLLBACK");
    } catch {
      // The statement was COMMIT or ROLLBACK, which ended the (empty) transaction itself.
    }
  }
}

function main() {
  const asked = new URLSearchParams(location.search).get("sql");
  if (asked !== null) box.value = asked;
  if (location.protocol === "file:") {
    button.disabled = true;
    say(FROM_DISK, "error");
    return;
  }
  say("Starting DuckDB…");
  ready = start().catch((error) => {
    throw new Error("DuckDB did not start in this browser: " + String(error.message || error));
  });
  ready.then(
    (state) => {
      if (status.textContent === "Starting DuckDB…") say(`DuckDB ${state.version}`, "done");
    },
    (error) => say(error.message, "error"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(box.value);
  });
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run(box.value);
    }
  });
  if (asked !== null && asked.trim()) run(asked);
}

main();
