"""The build's routes (publish/pipeline.py): nothing to do, the published database patched, or
loaded anew; whichever, byte for byte what a full build in a fresh directory writes, with the
same rows in the same kind of database; and `build --check`, which names what a build changes."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from benchmarks.synthetic import generate
from eaeu_facts.cli import main
from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.paths import DATABASE_FILE
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.publish import cache, database, keys, pipeline, write
from eaeu_facts.publish.pipeline import build, differences, stamps
from tests.cases import country_not_in_countries
from tests.helpers import (
    CORPUS,
    MINI_FACTS,
    PACKAGE,
    REFERENCE,
    REPO,
    assert_as_clean_build,
    database_rows,
    files,
    replace,
)

N = CORPUS


def rowids(package: Path, table: str) -> dict[tuple, int]:
    """Each row's DuckDB rowid, by its key: a row deleted and inserted again gets another."""
    key = ", ".join(load_catalog(REPO).table(table).primary_key)
    with duckdb.connect(str(package / DATABASE_FILE), read_only=True) as con:
        rows = con.sql(f"SELECT {key}, rowid FROM {table}").fetchall()
    return {row[:-1]: row[-1] for row in rows}


# Patched --------------------------------------------------------------------------------------


def test_one_changed_source_is_patched_to_the_bytes_of_a_full_build(
    corpus_copy: Path, tmp_path: Path
) -> None:
    before = files(corpus_copy / PACKAGE)
    generate(corpus_copy, N, variant=[7])
    outcome = build(corpus_copy)
    assert (outcome.how, outcome.changed) == ("patched", 1)
    assert outcome.describe(corpus_copy) == "built datapackage/ (1 source changed, patched)"
    assert files(corpus_copy / PACKAGE) != before
    assert_as_clean_build(corpus_copy)


def test_patches_follow_one_another(corpus_copy: Path, tmp_path: Path) -> None:
    """Each patch starts from the package the last one left: change, add, then change back."""
    generate(corpus_copy, N, variant=[3])
    assert build(corpus_copy).how == "patched"
    generate(corpus_copy, N + 1, variant=[3])  # one more source
    assert build(corpus_copy).how == "patched"
    generate(corpus_copy, N + 1)  # source 3 as it was
    assert build(corpus_copy).how == "patched"
    assert_as_clean_build(corpus_copy)


def test_a_removed_source_is_patched_out(corpus_copy: Path, tmp_path: Path) -> None:
    last = sorted((corpus_copy / "seeds" / "sources").glob(f"{N - 1:05d}_*.txt"))[0].stem
    for path in (corpus_copy / "seeds").rglob(f"{last}.*"):
        path.unlink()
    assert build(corpus_copy).how == "patched"
    assert_as_clean_build(corpus_copy)


def test_a_row_every_source_references_is_updated_in_place(
    corpus_copy: Path, tmp_path: Path
) -> None:
    """Renaming a country changes no indexed column of a row nearly every row references:
    the row is updated where it is, and no row referencing it is deleted or inserted again."""
    before = {name: rowids(corpus_copy / PACKAGE, name) for name in ("countries", "meetings")}
    countries = corpus_copy / "seeds" / "reference" / "countries.yaml"
    text = countries.read_text(encoding="utf-8")
    countries.write_text(text.replace("name_en: Iran", "name_en: Iran (Islamic Republic of)"))
    outcome = build(corpus_copy)
    assert (outcome.how, outcome.changed) == ("patched", 1)
    assert {name: rowids(corpus_copy / PACKAGE, name) for name in before} == before
    assert_as_clean_build(corpus_copy)


def test_too_many_rows_to_patch_mean_the_database_is_loaded_anew(
    corpus_copy: Path, tmp_path: Path
) -> None:
    generate(corpus_copy, N, variant=range(10))
    assert build(corpus_copy).how == "full"
    assert_as_clean_build(corpus_copy)


def test_the_share_of_rows_is_what_refuses_a_patch(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same ten changed sources are patched once the share is lifted."""
    monkeypatch.setattr(database, "PATCH_SHARE", 1.0)
    generate(corpus_copy, N, variant=range(10))
    outcome = build(corpus_copy)
    assert (outcome.how, outcome.changed) == ("patched", 10)
    assert_as_clean_build(corpus_copy)


# Unchanged ------------------------------------------------------------------------------------


def test_nothing_changed_leaves_every_file_alone(corpus_copy: Path) -> None:
    before = stamps(corpus_copy / PACKAGE)
    outcome = build(corpus_copy)
    assert outcome.how == "unchanged"
    assert outcome.describe(corpus_copy) == (
        "datapackage/ is up to date (nothing changed since the last build)"
    )
    assert stamps(corpus_copy / PACKAGE) == before


def test_describe_names_a_target_outside_the_project_in_full(tmp_path: Path) -> None:
    outcome = pipeline.Outcome(tmp_path / "elsewhere", "full")
    assert outcome.describe(tmp_path / "project") == f"built {tmp_path / 'elsewhere'}/"
    two = pipeline.Outcome(tmp_path / "project" / PACKAGE, "patched", 2)
    assert two.describe(tmp_path / "project") == "built datapackage/ (2 sources changed, patched)"


# Full -----------------------------------------------------------------------------------------


def test_a_package_changed_by_hand_is_built_again_in_full(
    corpus_copy: Path, tmp_path: Path
) -> None:
    trade = corpus_copy / PACKAGE / "csv" / "trade.csv"
    trade.write_bytes(trade.read_bytes() + b"\n")
    assert build(corpus_copy).how == "full"
    assert_as_clean_build(corpus_copy)


def test_a_database_changed_by_hand_is_loaded_anew(corpus_copy: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(corpus_copy / PACKAGE / DATABASE_FILE)) as con:
        con.execute("DELETE FROM coverage WHERE rowid = (SELECT min(rowid) FROM coverage)")
    generate(corpus_copy, N, variant=[7])
    assert build(corpus_copy).how == "full"
    assert_as_clean_build(corpus_copy)


def test_no_record_of_the_last_build_means_a_full_build(corpus_copy: Path) -> None:
    (corpus_copy / ".cache" / "published.json").unlink()
    assert build(corpus_copy).how == "full"
    assert build(corpus_copy).how == "unchanged"


def test_changed_schemas_mean_a_full_build(corpus_copy: Path) -> None:
    schema = corpus_copy / "schemas" / "trade.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(corpus_copy).how == "full"


@pytest.fixture
def code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package's code that the fingerprints are taken of, to edit freely."""
    copy = tmp_path / "code" / "eaeu_facts"
    shutil.copytree(keys.CODE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(keys, "CODE", copy)
    return copy


def _edit(path: Path) -> None:
    comment = "-- edited" if path.suffix == ".sql" else "# edited"
    path.write_text(path.read_text(encoding="utf-8") + f"\n{comment}\n", encoding="utf-8")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The units the next builds read, every one of them in this process (no workers)."""
    read: list[str] = []
    real = cache.read_unit
    monkeypatch.setattr(cache, "INLINE_UNITS", 10**9)
    monkeypatch.setattr(cache, "read_unit", lambda r, c, u: read.append(u.name) or real(r, c, u))
    return read


def test_editing_code_no_build_runs_keeps_the_cache_and_the_last_build(
    corpus_copy: Path, code: Path
) -> None:
    """No published byte depends on the docs, the API, the drafter or the finder's scorer:
    the next build has nothing to do."""
    assert build(corpus_copy).how == "unchanged"  # the copy is the same code
    _edit(code / "read" / "accuracy.py")
    _edit(code / "__init__.py")
    for stage in ("docs", "serve", "draft"):
        for path in sorted((code / stage).glob("*.py")):
            _edit(path)
        (code / stage / "new.py").write_text('"""A new module."""\n', encoding="utf-8")
    assert build(corpus_copy).how == "unchanged"
    _edit(code / "cli.py")
    assert build(corpus_copy).how == "unchanged"


@pytest.mark.parametrize("module", ["check/rules.py", "publish/views.sql"])
def test_editing_check_or_build_code_means_a_full_build_from_the_cached_rows(
    corpus_copy: Path, code: Path, reads: list[str], module: str
) -> None:
    """The package depends on that code, but the rows each unit gives do not: none is read."""
    _edit(code / module)
    assert build(corpus_copy).how == "full"
    assert reads == []
    assert build(corpus_copy).how == "unchanged"


@pytest.mark.parametrize("module", ["model/frames.py"])
def test_editing_model_or_read_code_means_every_unit_is_read_again(
    corpus_copy: Path, code: Path, reads: list[str], module: str
) -> None:
    _edit(code / module)
    assert build(corpus_copy).how == "full"
    assert len(reads) == N + REFERENCE  # every source, and every reference file


@pytest.mark.parametrize(("library", "reread"), [("pycountry", 0), ("polars", N + REFERENCE)])
def test_the_libraries_rows_depend_on_are_part_of_the_fingerprints(
    corpus_copy: Path, monkeypatch: pytest.MonkeyPatch, reads: list[str], library: str, reread: int
) -> None:
    """Rows checked under another pycountry (say) have not met its answers: a full build,
    from the cached rows, which do not depend on it; another polars reads every unit again."""
    real = keys.metadata.version
    monkeypatch.setattr(
        keys.metadata, "version", lambda name: "0.0-other" if name == library else real(name)
    )
    assert build(corpus_copy).how == "full"
    assert len(reads) == reread


def test_a_record_is_never_used_for_another_target(corpus_copy: Path, tmp_path: Path) -> None:
    """The record describes one published package: a build elsewhere builds in full and leaves
    the first package alone, and the first, built again, builds in full as well."""
    default = corpus_copy / PACKAGE
    elsewhere = tmp_path / "elsewhere" / PACKAGE
    generate(corpus_copy, N, variant=[4])
    before = stamps(default)
    outcome = build(corpus_copy, elsewhere)
    assert (outcome.how, outcome.target) == ("full", elsewhere)
    assert stamps(default) == before
    generate(corpus_copy, N, variant=[4, 5])
    assert build(corpus_copy, elsewhere).how == "patched"
    after = stamps(elsewhere)
    assert build(corpus_copy).how == "full"  # the record is elsewhere's
    assert stamps(elsewhere) == after
    assert files(default) == files(elsewhere)
    assert database_rows(default, corpus_copy) == database_rows(elsewhere, corpus_copy)


# Failed ---------------------------------------------------------------------------------------


def test_a_change_that_breaks_other_sources_is_reported_as_a_full_build_reports_it(
    corpus_copy: Path, tmp_path: Path
) -> None:
    """Dropping a country other sources cite passes every check of its own unit; only the
    check of references across the package sees it, and the build fails as a clean one does."""
    countries = corpus_copy / "seeds" / "reference" / "countries.yaml"
    text = countries.read_text(encoding="utf-8")
    countries.write_text(re.sub(r"(?m)^- country_code: IR\n(?:  .*\n)*", "", text), "utf-8")
    before = stamps(corpus_copy / PACKAGE)
    with pytest.raises(BuildError) as patched:
        build(corpus_copy)
    assert stamps(corpus_copy / PACKAGE) == before
    for part in ("schemas", "seeds"):
        shutil.copytree(corpus_copy / part, tmp_path / "fresh" / part)
    with pytest.raises(BuildError) as clean:
        build(tmp_path / "fresh")
    assert patched.value.problems.lines() == clean.value.problems.lines()
    assert any("country_code" in line for line in clean.value.problems.lines())


def test_a_changed_source_may_not_repeat_the_key_of_a_row_of_an_unchanged_one(
    corpus_copy: Path, tmp_path: Path
) -> None:
    """Source 5's council takes the id of source 4's: only source 5 changed, yet the key is
    checked against every row, and the build fails as a clean one does."""
    facts = next((corpus_copy / "seeds" / "facts").glob("00005_*.yaml"))
    text = facts.read_text(encoding="utf-8")
    assert "mtg-eaeu-council-s00005" in text
    facts.write_text(text.replace("mtg-eaeu-council-s00005", "mtg-eaeu-council-s00004"))
    before = stamps(corpus_copy / PACKAGE)
    with pytest.raises(BuildError) as patched:
        build(corpus_copy)
    assert stamps(corpus_copy / PACKAGE) == before
    lines = patched.value.problems.lines()
    assert any(re.search(r"meeting_id: found 'mtg-eaeu-council-s00004'", x) for x in lines)
    for part in ("schemas", "seeds"):
        shutil.copytree(corpus_copy / part, tmp_path / "fresh" / part)
    with pytest.raises(BuildError) as clean:
        build(tmp_path / "fresh")
    assert lines == clean.value.problems.lines()


def test_a_copy_of_a_built_project_is_up_to_date(built_copy: Path) -> None:
    """What the fixtures built_copy and corpus_copy rest on: a copy whose record names its
    own package starts where the last build left it."""
    assert build(built_copy).how == "unchanged"


# build --check ----------------------------------------------------------------------------------


def _check(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--check", "--root", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_check_passes_on_a_fresh_build(built_copy: Path) -> None:
    before = stamps(built_copy / PACKAGE)
    assert _check(built_copy) == (0, "datapackage/ is up to date\n")
    assert stamps(built_copy / PACKAGE) == before


def test_check_names_what_an_edit_would_change(built_copy: Path) -> None:
    replace(built_copy, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    code, output = _check(built_copy)
    assert code == 1
    named = {line.split(":")[0] for line in output.splitlines()}
    assert named == {
        "datapackage/csv/organizations.csv",
        "datapackage/parquet/organizations.parquet",
        "datapackage/datapackage.json",
    }


def test_check_names_a_tampered_or_stray_file(built_copy: Path) -> None:
    (built_copy / PACKAGE / "csv" / "people.csv").write_bytes(b"person_id\n")
    (built_copy / PACKAGE / "csv" / "stray.csv").write_bytes(b"x\n")
    code, output = _check(built_copy)
    assert code == 1
    assert "datapackage/csv/people.csv: differs from a fresh build" in output
    assert "datapackage/csv/stray.csv: differs from a fresh build" in output


def test_check_names_a_missing_file(built_copy: Path) -> None:
    (built_copy / PACKAGE / "parquet" / "quotes.parquet").unlink()
    assert differences(built_copy) == ["datapackage/parquet/quotes.parquet"]


def test_check_reports_bad_input_like_build(built_copy: Path) -> None:
    replace(built_copy, MINI_FACTS, "amount: 5000000000", "amount: five")
    code, output = _check(built_copy)
    assert code == 1
    assert f"{MINI_FACTS}:58: amount: found 'five', expected a whole number" in output


def test_the_committed_package_is_up_to_date() -> None:
    assert differences(REPO) == []


def test_a_build_whose_checks_fail_begins_no_other_table(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files are written and the database loaded while the rows are checked; once the
    checks fail, neither begins another table (what they write is thrown away): the tables
    they began, each held until the build has failed, and none after them."""
    country_not_in_countries(project)
    stops: list[threading.Event] = []

    class Stop(threading.Event):
        def __init__(self) -> None:
            super().__init__()
            stops.append(self)

    def held(real, begun):  # type: ignore[no-untyped-def]
        def run(table, *args):  # type: ignore[no-untyped-def]
            assert stops[0].wait(timeout=120), "the build never said it failed"
            begun.append(table.name)
            return real(table, *args)

        return run

    files: list[str] = []
    loaded: list[str] = []
    monkeypatch.setattr(pipeline, "Event", Stop)
    monkeypatch.setattr(write, "write_table", held(write.write_table, files))
    monkeypatch.setattr(database, "generations", held(database.generations, loaded))
    with pytest.raises(BuildError):
        build(project)
    assert not (project / PACKAGE).exists()
    tables = len(load_catalog(project).tables)
    assert 1 <= len(files) <= 2 < tables  # the two writers' first tables
    assert len(loaded) == 1  # the database's first
