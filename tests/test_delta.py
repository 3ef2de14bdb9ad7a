"""Rebuilding by patching the last package (delta.py): byte for byte what a full build writes,
the same rows in the database, and no patch where it cannot be proven sound."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from eaeu_facts import delta, incremental, publish
from eaeu_facts.database import DATABASE_FILE, patch_database
from eaeu_facts.errors import BuildError
from eaeu_facts.incremental import CSV_COLUMN, UNIT_COLUMN, FileHashes
from eaeu_facts.schemas import load_catalog
from eaeu_facts.synthetic import generate
from tests.tampering import PACKAGE, assert_reported, make_project
from tests.test_errors import INPUT

N = 30


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Thirty synthetic sources, built in full once: the state a patch starts from."""
    root = generate(tmp_path / "project", N)
    assert publish.run(root, progress=False).how == "full"
    return root


def fresh_build(root: Path, out: Path) -> Path:
    """The same seeds and schemas built in full where no cache or state exists."""
    for part in ("schemas", "seeds"):
        shutil.copytree(root / part, out / part)
    assert publish.run(out, progress=False).how == "full"
    return out / PACKAGE


def files(package: Path) -> dict[str, bytes]:
    """Every published file but the database, which is compared by its rows."""
    return {
        p.relative_to(package).as_posix(): p.read_bytes()
        for p in sorted(package.rglob("*"))
        if p.is_file() and p.name != DATABASE_FILE
    }


def database_rows(package: Path, root: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(package / DATABASE_FILE), read_only=True) as con:
        return {
            t.name: con.sql(
                f"SELECT * FROM {t.name} ORDER BY {', '.join(t.primary_key)}"
            ).fetchall()
            for t in load_catalog(root).tables
        }


def assert_as_full_build(root: Path, tmp_path: Path) -> None:
    fresh = fresh_build(root, tmp_path / "fresh")
    assert files(root / PACKAGE) == files(fresh)
    assert database_rows(root / PACKAGE, root) == database_rows(fresh, root)


def test_one_changed_source_is_patched_to_the_bytes_of_a_full_build(
    project: Path, tmp_path: Path
) -> None:
    before = files(project / PACKAGE)
    generate(project, N, variant=[7])
    outcome = publish.run(project, progress=False)
    assert (outcome.how, outcome.changed) == ("patched", 1)
    assert outcome.describe(project) == "built datapackage/ (1 source changed, patched)"
    assert files(project / PACKAGE) != before
    assert_as_full_build(project, tmp_path)


def test_patches_follow_one_another(project: Path, tmp_path: Path) -> None:
    """Each patch starts from the state the last one left: change, add, then change back."""
    generate(project, N, variant=[3])
    assert publish.run(project, progress=False).how == "patched"
    generate(project, N + 1, variant=[3])  # one more source
    assert publish.run(project, progress=False).how == "patched"
    generate(project, N + 1)  # source 3 as it was
    assert publish.run(project, progress=False).how == "patched"
    assert_as_full_build(project, tmp_path)


def test_a_removed_source_is_patched_out(project: Path, tmp_path: Path) -> None:
    last = sorted((project / "seeds" / "sources").glob(f"{N - 1:05d}_*.txt"))[0].stem
    for path in (project / "seeds").rglob(f"{last}.*"):
        path.unlink()
    assert publish.run(project, progress=False).how == "patched"
    assert_as_full_build(project, tmp_path)


def test_nothing_changed_leaves_every_file_alone(project: Path) -> None:
    before = delta.stamps(project / PACKAGE)
    outcome = publish.run(project, progress=False)
    assert outcome.how == "unchanged"
    assert outcome.describe(project) == (
        "datapackage/ is up to date (nothing changed since the last build)"
    )
    assert delta.stamps(project / PACKAGE) == before


def test_a_package_changed_by_hand_is_built_again_in_full(project: Path, tmp_path: Path) -> None:
    trade = project / PACKAGE / "csv" / "trade.csv"
    trade.write_bytes(trade.read_bytes() + b"\n")
    assert publish.run(project, progress=False).how == "full"
    assert_as_full_build(project, tmp_path)


def test_changed_code_or_schemas_mean_a_full_build(project: Path) -> None:
    schema = project / "schemas" / "trade.yaml"
    schema.write_text(schema.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    generate(project, N, variant=[7])
    assert publish.run(project, progress=False).how == "full"


def test_too_many_changes_mean_a_full_build(project: Path) -> None:
    generate(project, N, variant=range(10))
    assert publish.run(project, progress=False).how == "full"


def test_one_changed_source_patches_the_database_in_place(project: Path, tmp_path: Path) -> None:
    """Its sources row changes (a new sha256) under rows that reference it: those rows are
    deleted and inserted again with it."""
    generate(project, N, variant=[11])
    outcome = publish.run(project, progress=False)
    assert (outcome.how, outcome.database) == ("patched", "patched")
    assert_as_full_build(project, tmp_path)


def test_a_row_every_source_references_has_the_database_loaded_anew(
    project: Path, tmp_path: Path
) -> None:
    """Renaming a country changes a row nearly every row references: patching the database
    would delete and insert most of it, so it is loaded anew; the files are still patched."""
    countries = project / "seeds" / "reference" / "countries.yaml"
    text = countries.read_text(encoding="utf-8")
    countries.write_text(text.replace("name_en: Iran", "name_en: Iran (Islamic Republic of)"))
    outcome = publish.run(project, progress=False)
    assert (outcome.how, outcome.database) == ("patched", "loaded")
    assert_as_full_build(project, tmp_path)


def test_a_patch_duckdb_refuses_leaves_no_database(project: Path, tmp_path: Path) -> None:
    """A row inserted again with a reference to nothing is refused: no file is left, so the
    build loads the database anew (publish._database)."""
    catalog = load_catalog(project)
    state = delta.load_state(project, incremental.catalog_key(project), project / PACKAGE)
    assert state is not None
    old = {t.name: state.tables[t.name].select(t.field_names) for t in catalog.tables}
    none = {name: data.slice(0, 0) for name, data in old.items()}
    participants = old["participants"]
    person = participants.column_names.index("person_id")
    broken = pa.concat_tables(
        [
            participants.slice(0, 1).set_column(
                person, participants.schema.field(person), pa.array(["person-nobody"])
            ),
            participants.slice(1),
        ]
    )
    changed = dict(none, participants=participants.slice(0, 1))
    out = tmp_path / "out"
    out.mkdir()
    published = project / PACKAGE / DATABASE_FILE
    new = dict(old, participants=broken)
    assert patch_database(catalog, published, out, old, new, changed) is None
    assert not (out / DATABASE_FILE).exists()
    assert patch_database(catalog, published, out, old, old, changed) == out / DATABASE_FILE


def test_a_change_that_breaks_other_sources_is_reported_as_a_full_build_reports_it(
    project: Path, tmp_path: Path
) -> None:
    """Dropping a country other sources cite passes every check of its own unit; only the
    check of references across the package sees it, and the build fails as a clean one does."""
    countries = project / "seeds" / "reference" / "countries.yaml"
    lines = countries.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("- country_code: IR\n")
    countries.write_text("".join(lines[:at] + lines[at + 4 :]), encoding="utf-8")
    before = files(project / PACKAGE)
    with pytest.raises(BuildError) as patched:
        publish.run(project, progress=False)
    assert files(project / PACKAGE) == before
    for part in ("schemas", "seeds"):
        shutil.copytree(project / part, tmp_path / "fresh" / part)
    with pytest.raises(BuildError) as clean:
        publish.run(tmp_path / "fresh", progress=False)
    assert patched.value.problems.lines() == clean.value.problems.lines()
    assert any("country_code" in line for line in clean.value.problems.lines())


def test_a_new_row_may_not_repeat_the_key_of_a_row_that_stays(project: Path) -> None:
    catalog = load_catalog(project)
    state = delta.load_state(project, incremental.catalog_key(project), project / PACKAGE)
    assert state is not None
    table = catalog.table("meetings")
    old = state.tables["meetings"]
    kept = old.filter(pa.compute.not_equal(old.column(UNIT_COLUMN), "sources/none"))
    again = kept.slice(5, 1).drop_columns([delta.END_COLUMN])
    again = again.append_column(CSV_COLUMN, pa.array(["x\n"], pa.string()))
    again = again.select([*table.field_names, CSV_COLUMN, UNIT_COLUMN])
    published = delta.published_csv(project / PACKAGE, table)
    assert delta.patch_table(table, old, published, {"sources/none"}, again) is None
    unit = old.column(UNIT_COLUMN)[5].as_py()
    assert delta.patch_table(table, old, published, {unit}, again) is not None


@pytest.mark.parametrize("case", INPUT.values(), ids=INPUT.keys())
def test_every_bad_input_fails_a_build_after_a_full_one_in_its_usual_words(
    tmp_path: Path, case: object
) -> None:
    """The mutation suite of test_errors.py, each case applied after a full build, so the next
    build has a state to patch: it fails, reports the case as a clean build reports it, and
    leaves the package as it was."""
    root = make_project(tmp_path / "project")
    publish.run(root, progress=False)
    before = files(root / PACKAGE)
    expect = case(root)  # type: ignore[operator]
    with pytest.raises(BuildError) as exc:
        publish.run(root, progress=False)
    assert_reported(exc.value.problems, expect)
    assert files(root / PACKAGE) == before


# Hashes remembered by what stat() says ----------------------------------------------------------


def test_a_file_is_hashed_again_after_any_write(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"first")
    hashes = FileHashes(tmp_path / "files.json")
    hashes.started += 10 * FileHashes.RACY_NS  # as if the build began well after the write
    first = hashes.digest(path, "a.txt")
    hashes.save()
    # What is remembered is trusted while stat() says the same: a planted hash is returned.
    data = json.loads((tmp_path / "files.json").read_text())
    data["files"]["a.txt"][4] = "0" * 64
    (tmp_path / "files.json").write_text(json.dumps(data))
    assert FileHashes(tmp_path / "files.json").digest(path, "a.txt") == "0" * 64
    # The same size and mtime after a write: the ctime tells.
    old = path.stat()
    path.write_bytes(b"other")
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (old.st_size, old.st_mtime_ns)
    again = FileHashes(tmp_path / "files.json").digest(path, "a.txt")
    assert again not in (first, "0" * 64)


def test_a_file_written_just_now_is_not_remembered(tmp_path: Path) -> None:
    """A write in the clock tick of the hashing could leave stat() unchanged: such a file is
    hashed again next time, while one written well before is remembered."""
    earlier, now = tmp_path / "earlier.txt", tmp_path / "now.txt"
    earlier.write_bytes(b"earlier")
    time.sleep(0.1)
    now.write_bytes(b"now")
    hashes = FileHashes(tmp_path / "files.json")
    hashes.RACY_NS = 50_000_000  # 50 ms, so the test need not wait two seconds
    hashes.started = now.stat().st_ctime_ns
    for path in (earlier, now):
        hashes.digest(path, path.name)
    hashes.save()
    assert sorted(FileHashes(tmp_path / "files.json").known) == ["earlier.txt"]


def test_a_killed_build_leaves_no_half_written_state_behind(project: Path) -> None:
    dead = project / ".cache" / ".package.999999999"
    dead.mkdir()
    (dead / "state.json").write_text("{}")
    generate(project, N, variant=[2])
    assert publish.run(project, progress=False).how == "patched"
    assert not dead.exists()
    assert [p.name for p in (project / ".cache").glob(".package.*")] == []


def test_the_libraries_that_read_and_check_rows_are_part_of_the_cache_key(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A patch checks only new rows: rows kept from a build under another pycountry (say)
    would never meet its answers, so another version means a full build."""
    before = incremental.catalog_key(project)
    real = incremental.metadata.version
    monkeypatch.setattr(
        incremental.metadata,
        "version",
        lambda name: "0.0-other" if name == "pycountry" else real(name),
    )
    assert incremental.catalog_key(project) != before
    generate(project, N, variant=[2])
    assert publish.run(project, progress=False).how == "full"
