"""The eaeu-facts command: a thin layer over the Python API with the same verbs."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any

# Polars' allocator (jemalloc) keeps freed pages for ten seconds before it gives them back,
# and build and validate free large columns one table after another: the pages of every
# table would count towards their peak memory. One second keeps validate of 10,000 sources
# under 1 GiB at no cost in time (benchmarks/). Set before polars is loaded; a user's own
# setting wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:1000,muzzy_decay_ms:0")

import click

from eaeu_facts.model import interrupts, paths
from eaeu_facts.model.errors import BuildError, Problems
from eaeu_facts.model.faults import MachineError, fault_of
from eaeu_facts.serve.query import FORMATS


def find_root(start: Path | None = None) -> Path:
    """The project directory: the nearest one up from here holding schemas/ and seeds/."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "schemas").is_dir() and (candidate / "seeds").is_dir():
            return candidate
    raise click.UsageError(
        "no schemas/ and seeds/ here or above; run inside an eaeu-facts checkout"
    )


class _Group(click.Group):
    """Every command ends cleanly: a fault of the machine in its one line (model/faults.py),
    exit 1. Ctrl+C and SIGTERM are answered by the process (eaeu_facts/__main__.py), as is
    a KeyboardInterrupt a library raises on the command's thread."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MachineError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        except KeyboardInterrupt:  # raised in this thread by a library's own handler
            if not interrupts.installed():  # called in-process, not as the command
                raise
            interrupts.stop()
        except (SystemExit, click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BaseException as exc:  # a fault met outside the steps that name theirs
            if (code := fault_of(exc)) is None:  # (polars' panics are BaseExceptions)
                raise
            filename = getattr(exc, "filename", None)
            where = Path(filename) if filename else Path.cwd()
            click.echo(str(MachineError(ctx.invoked_subcommand or "run", where, code)), err=True)
            sys.exit(1)


def _fail(problems: Problems) -> None:
    for line in problems.shown():
        click.echo(line, err=True)
    sys.exit(1)


root_option = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Project directory (default: the nearest one holding schemas/ and seeds/).",
)


@click.group(cls=_Group)
@click.version_option(package_name="eaeu-facts")
def main() -> None:
    """What Arabic news reports say about Eurasian economic integration, as open data."""


@main.command()
@root_option
@click.option("--check", is_flag=True, help="Exit 1, naming the files, if datapackage/ is stale.")
def build(root: Path | None, check: bool) -> None:
    """Build datapackage/ from seeds/ and schemas/, validate it, and publish it in one step."""
    from eaeu_facts.publish import pipeline

    root = root or find_root()
    target = root / paths.PACKAGE_DIR
    before = paths.identity(target)

    def published() -> str:  # the new package goes in by one rename, never during the line
        kept = paths.identity(target) == before
        return f"; {paths.PACKAGE_DIR}/ {'unchanged' if kept else 'published just before'}"

    interrupts.on_interrupt(published)
    try:
        if check:
            changed = pipeline.differences(root)
            for name in changed:
                click.echo(f"{name}: differs from a fresh build; run `eaeu-facts build`", err=True)
            if changed:
                sys.exit(1)
            click.echo("datapackage/ is up to date")
            return
        shown = Progress()
        try:
            outcome = pipeline.build(root, progress=shown)
        finally:
            shown.close()
    except BuildError as exc:
        _fail(exc.problems)
    click.echo(outcome.describe(root))


@main.command()
@click.argument(
    "descriptor",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
)
@root_option
def validate(descriptor: Path | None, root: Path | None) -> None:
    """Validate a published package: hashes, sizes, schemas, references and evidence spans."""
    from eaeu_facts.check.package import check_package

    if descriptor is None:
        descriptor = (root or find_root()) / paths.PACKAGE_DIR / paths.DESCRIPTOR
    if not descriptor.is_file():
        raise click.UsageError(f"{descriptor}: no such file")
    problems = check_package(descriptor, root)
    if problems:
        _fail(problems)
    click.echo(f"{descriptor}: valid")


@main.command()
@click.argument("text", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@root_option
@click.option(
    "--published",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date the text was published (YYYY-MM-DD), as received: relative dates of the "
    "text are read against it.",
)
@click.option("--publisher", default=None, help="The publisher: an organization_id, or a name.")
@click.option("--title", default=None, help="The English title of the text.")
def new(
    text: Path,
    root: Path | None,
    published: dt.datetime | None,
    publisher: str | None,
    title: str | None,
) -> None:
    """Add TEXT as a new source: copy it into seeds/sources/ unchanged, write its record and
    a draft of its facts (people, places and meetings linked to the dataset, quotes with
    their speakers, trade, investment and GDP growth with their periods, and a waiver for
    every other figure; every entry marked `draft: true`)."""
    from eaeu_facts.curate import new_source

    root = root or find_root()
    try:
        written = new_source(
            root,
            text,
            published=published.date() if published else None,
            publisher=publisher,
            title=title,
        )
    except BuildError as exc:
        _fail(exc.problems)
    for rel in written:
        click.echo(f"wrote {rel}")
    _, record_rel, facts_rel = written
    click.echo(
        "\nNext:\n"
        f"  1. Fill in {record_rel}: what is still empty (title, publisher, rights).\n"
        f"  2. Read each entry of {facts_rel} against the text: correct it and delete its\n"
        "     `draft: true`, or delete the entry; write the English of each quotation\n"
        "     (text_en) and check the Latin spelling drafted for each new name.\n"
        "  3. Run `eaeu-facts build`: it names every line still to fix."
    )


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
def candidates(file: Path, fmt: str) -> None:
    """List every number, amount, percentage, year, date and quotation the finder reads in FILE."""
    from eaeu_facts.read.candidates import find_candidates, format_candidates
    from eaeu_facts.read.seeds import decode_text

    problems = Problems()
    text = decode_text(file.read_bytes(), str(file), problems)
    if text is None:
        _fail(problems)
    click.echo(format_candidates(find_candidates(text), fmt))


output_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="Output format.",
)


def _database(root: Path | None) -> Path:
    return (root or find_root()) / paths.PACKAGE_DIR / paths.DATABASE_FILE


def _print_query(database: Path, sql: str, fmt: str) -> None:
    from eaeu_facts.serve.query import QueryError, render, run_query

    try:
        text = render(run_query(database, sql), fmt)
    except (QueryError, FileNotFoundError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(text)


@main.command()
@click.argument("sql")
@root_option
@output_format
def query(sql: str, root: Path | None, fmt: str) -> None:
    """Run one SELECT statement against datapackage/eaeu-facts.duckdb and print the result.

    The database is opened read-only, with files, network, extensions and settings out of
    reach, and a time and memory limit: any SQL is safe to run.
    """
    _print_query(_database(root), sql, fmt)


@main.command()
@root_option
@output_format
def tables(root: Path | None, fmt: str) -> None:
    """List the tables and views of datapackage/eaeu-facts.duckdb with their descriptions."""
    from eaeu_facts.serve.query import TABLES_SQL

    _print_query(_database(root), TABLES_SQL, fmt)


# Progress, drawn where the command line lives ---------------------------------------------


def progress_line(done: int, total: int, elapsed: float) -> str:
    """'sources 1,200/10,000 · 85/s · 1:43 left': what a long build shows on a terminal."""
    rate = done / elapsed if elapsed > 0 else 0.0
    if done >= total:
        left = "done"
    elif rate > 0:
        seconds = round((total - done) / rate)
        left = f"{seconds // 60}:{seconds % 60:02d} left"
    else:
        left = "time left unknown"
    return f"sources {done:,}/{total:,} · {rate:,.0f}/s · {left}"


class Progress:
    """Progress on stderr, redrawn in place, only when stderr is a terminal."""

    def __init__(self, stream: Any = None, every: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()
        self.every = every
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < self.every and done < total):
            return
        self.last = now
        self.stream.write("\r" + progress_line(done, total, now - self.start) + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
