"""Untrusted input: a downloaded package or a contributed file can neither read outside its
folder, nor hang, nor crash the tools (docs/security.md says what each command refuses)."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from eaeu_facts.check.package import check_package
from eaeu_facts.cli import main
from eaeu_facts.model import paths
from eaeu_facts.model.errors import SHOWN, BuildError, Problems
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.model.yamlio import load_yaml
from eaeu_facts.publish.pipeline import build
from eaeu_facts.read.evidence import sha256_hex
from tests.helpers import (
    MINI_FACTS,
    MINI_RECORD,
    MINI_TEXT,
    PACKAGE,
    Expect,
    assert_reported,
    change_rows,
    fix_hashes,
    line_of,
    make_project,
    replace,
)

DESCRIPTOR = f"{PACKAGE}/datapackage.json"


def _problems(root: Path) -> Problems:
    with pytest.raises(BuildError) as failure:
        build(root)
    return failure.value.problems


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _point(package: Path, name: str, path: str) -> None:
    """Make the descriptor's resource `name` name `path`, bytes and hash left as they are."""
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    for res in descriptor["resources"]:
        if res["name"] == name:
            res["path"] = path
    text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
    (package / "datapackage.json").write_text(text, encoding="utf-8")


# Paths outside the package -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "why"),
    [
        ("absolute", "not a relative path"),
        ("parent", "'..'"),
        ("scheme", "a URL or a drive"),
        ("link", "leads outside its folder"),
    ],
)
def test_validate_refuses_a_table_outside_the_package(
    published: Path, tmp_path: Path, where: str, why: str
) -> None:
    """A copy of the table outside the package, with the bytes and hash the descriptor lists,
    is refused before anything is read (frictionless refuses these paths as unsafe too)."""
    package = published / PACKAGE
    outside = tmp_path / "elsewhere" / "trade.csv"
    outside.parent.mkdir()
    shutil.copyfile(package / "csv" / "trade.csv", outside)
    given = {
        "absolute": str(outside),
        "parent": os.path.relpath(outside, package),
        "scheme": "https://example.org/trade.csv",
        "link": "csv/trade.csv",
    }[where]
    if where == "link":
        (package / "csv" / "trade.csv").unlink()
        (package / "csv" / "trade.csv").symlink_to(outside)
    else:
        _point(package, "trade", given)
    problems = check_package(package / "datapackage.json")
    assert_reported(problems, Expect(DESCRIPTOR, None, "resources[trade].path", why, "inside"))
    assert len(problems) == 1, problems.lines()


def test_the_python_api_opens_nothing_outside_the_package(published: Path) -> None:
    from eaeu_facts import load

    _point(published / PACKAGE, "trade-parquet", "/etc/hosts")
    with pytest.raises(ValueError, match=r"resources\[trade-parquet\]\.path.*not a relative"):
        load("trade", package=published / PACKAGE)


def test_validate_refuses_a_source_path_outside_the_project(published: Path) -> None:
    """The sources table names the texts to read; a path out of the project is not opened."""
    change_rows(published / PACKAGE, "sources", lambda rows: rows[0].update(path="../../etc/hosts"))
    problems = check_package(published / PACKAGE / "datapackage.json")
    expect = Expect(f"{PACKAGE}/csv/sources.csv", 2, "path", "../../etc/hosts", "inside", 2)
    assert_reported(problems, expect)
    assert len(problems) == 1, problems.lines()


def test_the_path_rule(tmp_path: Path) -> None:
    def why(path: str) -> str | None:
        return paths.escapes(tmp_path, path)

    assert [why(p) for p in ("csv/a.csv", "a..b/c.csv", "a/./b", "missing/inside")] == [None] * 4
    assert why("/etc/passwd") == why("csv\\x.csv") == why("") == "not a relative path"
    assert why("C:/x.csv") == why("file:x.csv") == "a URL or a drive"
    assert why("csv/../../x") == "'..'"
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    assert why("loop") == "a path that leads outside its folder"


@pytest.mark.parametrize("link", [MINI_TEXT, MINI_FACTS, "schemas/trade.yaml", "seeds"])
def test_build_refuses_an_input_that_links_outside_the_project(
    mini: Path, tmp_path: Path, link: str
) -> None:
    """One line for the link, nothing read through it: no hash mismatch, no evidence misses."""
    target = tmp_path / "outside" / Path(link).name
    target.parent.mkdir()
    shutil.move(mini / link, target)
    (mini / link).symlink_to(target)
    result = CliRunner().invoke(main, ["build", "--root", str(mini)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines == [
        f"{link}: path: found <a link to {target}>, expected a file inside the project "
        "(a build reads nothing outside it)",
        "1 problem(s)",
    ]
    assert not (mini / PACKAGE).exists()


def test_a_link_that_stays_inside_the_project_is_followed(mini: Path) -> None:
    shutil.move(mini / MINI_FACTS, mini / "facts.yaml")
    (mini / MINI_FACTS).symlink_to(mini / "facts.yaml")
    build(mini)
    assert (mini / PACKAGE / "datapackage.json").is_file()


# YAML ------------------------------------------------------------------------------------------


def test_anchors_and_aliases_are_refused_with_their_line(mini: Path) -> None:
    replace(mini, MINI_FACTS, "    name_en: Test News\n", "    name_en: &name Test News\n")
    problems = _problems(mini)
    line = line_of(mini, MINI_FACTS, "&name")
    assert_reported(problems, Expect(MINI_FACTS, line, "yaml", "an anchor", "without anchors"))
    assert len(problems) == 1, problems.lines()


def test_a_billion_laughs_gets_its_answer_at_once(mini: Path) -> None:
    """Nine levels of nine aliases: 387 million strings once expanded, a few hundred bytes
    written; refused from the events, before anything is built."""
    lines = ["source_id: src-0123456789abcdef", 'a0: &a0 ["lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (mini / MINI_FACTS).write_text("\n".join(lines) + "\n", encoding="utf-8")
    import tracemalloc

    problems = Problems()
    tracemalloc.start()
    try:
        assert load_yaml(mini / MINI_FACTS, MINI_FACTS, problems) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20  # nothing expanded: the strings would take gigabytes
    assert problems.lines() == [
        f"{MINI_FACTS}:2: yaml: found <an anchor>, expected plain YAML without anchors or "
        "aliases (write each value out)"
    ]


def test_nesting_too_deep_for_python_is_a_problem_not_a_crash(mini: Path) -> None:
    (mini / MINI_FACTS).write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    problems = Problems()
    assert load_yaml(mini / MINI_FACTS, MINI_FACTS, problems) is None
    assert problems.lines() == [
        f"{MINI_FACTS}: yaml: found <lists or mappings nested too deeply>, expected valid YAML"
    ]


def test_an_empty_facts_file_is_reported_as_empty(mini: Path) -> None:
    (mini / MINI_FACTS).write_text("# nothing yet\n", encoding="utf-8")
    problems = _problems(mini)
    assert problems.lines() == [
        f"{MINI_FACTS}: file: found <an empty file>, expected a YAML document"
    ]


# Limits ---------------------------------------------------------------------------------------


def test_a_facts_file_over_the_limit_is_not_parsed(mini: Path) -> None:
    """A 5 MB string (the size the issue tried) is refused by its file's size."""
    replace(mini, MINI_FACTS, "    name_en: Test News\n", f"    name_en: {'x' * 5_000_000}\n")
    size = (mini / MINI_FACTS).stat().st_size
    assert _problems(mini).lines() == [
        f"{MINI_FACTS}: file: found <{size:,} bytes>, expected at most "
        f"{paths.MAX_YAML_BYTES:,} bytes (split the file)"
    ]


def test_a_value_over_its_max_length_is_a_located_problem(mini: Path) -> None:
    limit = load_catalog(mini).table("organizations").field("name_en").constraints["maxLength"]
    replace(mini, MINI_FACTS, "    name_en: Test News\n", f"    name_en: {'x' * (limit + 1)}\n")
    line = line_of(mini, MINI_FACTS, "name_en: xxx")
    expect = Expect(MINI_FACTS, line, "name_en", "xxx", f"at most {limit} characters")
    problems = _problems(mini)
    assert_reported(problems, expect)
    assert len(problems) == 1, problems.lines()


def test_a_downloaded_cell_of_5_mb_is_a_located_problem(published: Path) -> None:
    """Read by Arrow, which has no field size limit, and held to the schema's maxLength."""
    change_rows(published / PACKAGE, "people", lambda rows: rows[0].update(name_en="x" * 5_000_000))
    problems = check_package(published / PACKAGE / "datapackage.json")
    expect = Expect(f"{PACKAGE}/csv/people.csv", 2, "name_en", "xxx", "at most 500 characters", 3)
    assert_reported(problems, expect)


def test_every_text_field_is_bounded(repo: Path) -> None:
    """Without an enum, a string field has a maxLength: in the schemas, the Frictionless
    descriptor, pandera and the docs (all generated from it)."""
    for table in load_catalog(repo).tables:
        for f in table.fields:
            if f.type == "string":
                assert {"enum", "maxLength"} & set(f.constraints), f"{table.name}.{f.name}"


def test_a_schema_field_without_a_max_length_is_refused(mini: Path) -> None:
    replace(mini, "schemas/fields.yaml", ", minLength: 1, maxLength: 5000}", ", minLength: 1}")
    with pytest.raises(BuildError) as failure:
        load_catalog(mini)
    line = line_of(mini, "schemas/fields.yaml", "evidence_ar:")
    expect = Expect("schemas/fields.yaml", line, "evidence_ar", "no maxLength", "a maxLength")
    assert_reported(failure.value.problems, expect)
    assert len(failure.value.problems.lines()) == 1


def test_readers_of_the_csv_take_the_longest_values_allowed(mini: Path) -> None:
    """Every maxLength fits Python's csv reader (which frictionless uses) as it comes; and a
    value of the longest length allowed is built, validated and read back whole."""
    longest = max(
        f.constraints.get("maxLength", 0) for t in load_catalog(mini).tables for f in t.fields
    )
    assert longest * 4 < csv.field_size_limit()  # bytes, were the reader to count them
    limit = load_catalog(mini).table("meetings").field("note_en").constraints["maxLength"]
    note = ("long note " * limit)[: limit - 1] + "."
    replace(mini, MINI_FACTS, "The text does not say which capital.", note)
    build(mini)
    assert check_package(mini / PACKAGE / "datapackage.json").lines() == []
    from frictionless import validate

    assert validate(mini / PACKAGE / "datapackage.json").valid
    with (mini / PACKAGE / "csv" / "meetings.csv").open(encoding="utf-8") as handle:
        assert note in [row["note_en"] for row in csv.DictReader(handle)]


# One cause, one line -----------------------------------------------------------------------


def test_an_edited_source_is_one_line_with_the_rows_citing_it(mini: Path) -> None:
    recorded = sha256_hex((mini / MINI_TEXT).read_bytes())
    replace(mini, MINI_TEXT, "التعاون الاقتصادي", "التعاون التجاري")
    problems = _problems(mini)
    facts = yaml.safe_load((mini / MINI_FACTS).read_text("utf-8"))
    entries = sum(len(v) for k, v in facts.items() if k != "waivers" and isinstance(v, list))
    edited = sha256_hex((mini / MINI_TEXT).read_bytes())
    assert problems.lines() == [
        f"{MINI_TEXT}: sha256: found '{edited}', expected {recorded} as recorded in "
        f"{MINI_RECORD} ({entries} rows cite it; a source is never edited once facts cite it)"
    ]


def test_a_published_source_edited_is_one_line_with_the_rows_citing_it(published: Path) -> None:
    carried = published / PACKAGE / "sources" / Path(MINI_TEXT).name
    text = carried.read_text("utf-8")
    carried.write_text(text.replace("التعاون الاقتصادي", "التعاون التجاري"))
    fix_hashes(published / PACKAGE)
    problems = check_package(published / PACKAGE / "datapackage.json")
    package = published / PACKAGE
    citing = 0
    for path in (package / "csv").glob("*.csv"):
        if path.name == "sources.csv":
            continue
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        citing += sum(row.get("source_id") == "src-0123456789abcdef" for row in rows)
    assert citing > 5
    assert len(problems) == 1, problems.lines()
    assert f"as recorded in sources ({citing} rows cite it; " in problems.lines()[0]


def test_a_failed_command_shows_the_first_problems_then_a_count(published: Path) -> None:
    """Sixty broken rows: fifty lines, then how many more, then the count."""

    def break_rows(rows: list[dict[str, str]]) -> None:
        template = rows[0]
        rows += [dict(template, country_code=f"Q{i:02d}") for i in range(60)]

    change_rows(published / PACKAGE, "countries", break_rows)
    result = CliRunner().invoke(main, ["validate", DESCRIPTOR])
    lines = result.output.splitlines()
    assert result.exit_code == 1
    total = int(lines[-1].split()[0])
    assert total > SHOWN
    assert len(lines) == SHOWN + 2
    assert lines[-2] == f"... and {total - SHOWN} more, not shown"


def test_a_failed_build_leaves_the_published_package_as_it_was(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    build(root)
    before = _files(root / PACKAGE)
    replace(root, MINI_FACTS, "    name_en: Test News\n", "    name_en: &a Test News\n")
    assert CliRunner().invoke(main, ["build", "--root", str(root)]).exit_code == 1
    assert _files(root / PACKAGE) == before


# Text the dataset refuses ---------------------------------------------------------------------

# (the character as YAML writes it, its code point and name as the line gives them)
REFUSED = {
    "nul": ("\\0", "U+0000 (a control character)"),
    "tab": ("\\t", "U+0009 (a control character)"),
    "line-break": ("\\n", "U+000A (a control character)"),
    "next-line": ("\\x85", "U+0085 (a control character)"),
    "override": ("\\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    "embedding": ("\\u202b", "U+202B (RIGHT-TO-LEFT EMBEDDING)"),
    "isolate": ("\\u2067", "U+2067 (RIGHT-TO-LEFT ISOLATE)"),
    "zero-width-space": ("\\u200b", "U+200B (ZERO WIDTH SPACE)"),
    "byte-order-mark": ("\\ufeff", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
    "tag": ("\\U000E0041", "U+E0041 (TAG LATIN CAPITAL LETTER A)"),
    "surrogate": ("\\ud800", "U+D800 (a surrogate)"),
    "line-separator": ("\\u2028", "U+2028 (LINE SEPARATOR)"),
    "hangul-filler": ("\\u3164", "U+3164 (HANGUL FILLER)"),
    "variation-selector": ("\\ufe0f", "U+FE0F (VARIATION SELECTOR-16)"),
}
# Where a curator or a contributor types text: a facts file, a source record, a reference
# table, a schema (published in the descriptor and the docs).
PLACES = {
    "schema": ("schemas/people.yaml", "title: People", "title"),
    "facts": (MINI_FACTS, "name_en: Sami Nader", "name_en"),
    "record": (MINI_RECORD, "title_en: A test meeting between two countries", "title_en"),
    "reference": ("seeds/reference/countries.yaml", "name_en: Kazakhstan", "name_en"),
}


@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
@pytest.mark.parametrize("char", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_character_is_one_line_naming_it_and_where_it_stands(
    mini: Path, char: tuple[str, str], place: tuple[str, str, str]
) -> None:
    escaped, named = char
    rel, old, field = place
    key, value = old.split(": ")
    at = line_of(mini, rel, old)
    replace(mini, rel, old, f'{key}: "{value[:3]}{escaped}{value[3:]}"')
    [line] = _problems(mini).lines()
    assert line.startswith(f"{rel}:{at}: {field}: found "), line
    assert named in line and "at character 4 of" in line, line
    assert not (mini / PACKAGE).exists()


def test_the_marks_arabic_print_uses_are_kept(mini: Path) -> None:
    """Zero-width non-joiner and joiner, the direction marks, harakat and tatweel."""
    marked = "سامي\u200c\u200d\u200f\u200e\u061c نَادِر\u0640"
    replace(mini, MINI_FACTS, "name_en: Sami Nader", f'name_en: "{marked}"')
    build(mini)
    with (mini / PACKAGE / "csv" / "people.csv").open(encoding="utf-8") as handle:
        assert marked in {row["name_en"] for row in csv.DictReader(handle)}


def test_evidence_may_cross_a_line_of_the_source(mini: Path) -> None:
    """Its schema says `multiline`: the evidence is the source's words as printed."""
    text = (mini / MINI_TEXT).read_text(encoding="utf-8")
    first, second = text.split("\n")[:2]
    evidence = f"{first[-6:]}\n{second[:8]}"
    assert evidence in text
    facts = yaml.safe_load((mini / MINI_FACTS).read_text(encoding="utf-8"))
    facts["organizations"][0]["evidence"] = evidence
    (mini / MINI_FACTS).write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    build(mini)


def test_a_downloaded_name_with_an_override_is_refused_by_validate(published: Path) -> None:
    change_rows(
        published / PACKAGE, "people", lambda rows: rows[0].update(name_en="Sami \u202eNader")
    )
    [line] = [x for x in check_package(published / DESCRIPTOR).lines() if "people.csv" in x]
    assert ": name_en: found <U+202E (RIGHT-TO-LEFT OVERRIDE) at character 6 of " in line


# A package read while another is published ----------------------------------------------------


def test_validate_while_a_build_publishes_sees_one_package(built_copy: Path) -> None:
    """Validate stopped after reading the descriptor, a build publishes a new package, and
    validate goes on: it reads the new package whole, and finds it valid."""
    from tests.helpers import stopped

    replace(built_copy, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    validate = stopped(built_copy, "validate:tables", "validate")
    build(built_copy)
    code, out, err = validate.resume()
    assert (code, err) == (0, ""), err
    assert out.endswith("datapackage.json: valid\n")


def test_the_docs_read_while_a_build_publishes_show_one_package(
    built_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build publishes right after the docs checked the old package and before they read
    the files to offer: the site shows and offers the new package whole, never the tables
    of one and the files of the other."""
    import hashlib

    from eaeu_facts.docs import site as site_module

    replace(built_copy, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    real, calls = site_module.checked, []

    def then_publish(*args: object, **kwargs: object) -> object:
        package = real(*args, **kwargs)
        calls.append(package)
        if len(calls) == 1:
            build(built_copy)  # publishes by renaming a new folder into place
        return package

    monkeypatch.setattr(site_module, "checked", then_publish)
    site = site_module.load_site(built_copy)
    assert len(calls) == 2  # the first read was of a package replaced under it
    names = site.tables["organizations"]["name_en"].to_list()
    assert "Test News Agency" in names
    for res in site.descriptor["resources"]:
        digest = hashlib.sha256(site.files[res["path"]]).hexdigest()
        assert res["hash"] == f"sha256:{digest}", res["path"]
    assert b"Test News Agency" in site.files["csv/organizations.csv"]


# What `new` and `candidates` take --------------------------------------------------------------

NOT_ARTICLES = {
    "empty": (b"", "text: found <no text>, expected the text of an article"),
    "blank": (b" \n\n", "text: found <no text>, expected the text of an article"),
    "nul": ("خبر\x00".encode(), "text: found <a NUL character at character 4>"),
    "utf-16": ("خبر".encode("utf-16"), "encoding: found 'byte 0xff at offset 0'"),
    "windows-1256": ("خبر عاجل".encode("cp1256"), "read as Windows-1256 Arabic"),
}


@pytest.mark.parametrize("command", ["new", "candidates"])
@pytest.mark.parametrize("case", NOT_ARTICLES.values(), ids=NOT_ARTICLES.keys())
def test_what_is_not_an_article_is_one_line(
    mini: Path, tmp_path: Path, command: str, case: tuple[bytes, str]
) -> None:
    data, words = case
    text = tmp_path / "article.txt"
    text.write_bytes(data)
    before = _files(mini / "seeds")
    where = ["--root", str(mini)] if command == "new" else []
    result = CliRunner().invoke(main, [command, str(text), *where])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(
        result.exception, SystemExit
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{text}") and words in lines[0], lines
    assert lines[1:] == ["1 problem(s)"]
    assert _files(mini / "seeds") == before


@pytest.mark.parametrize("option", ["--title", "--publisher"])
@pytest.mark.parametrize("char", ["\u202e", "\x01", "\n"], ids=["override", "control", "break"])
def test_what_new_is_given_up_front_is_held_to_the_text_rules(
    mini: Path, tmp_path: Path, option: str, char: str
) -> None:
    text = tmp_path / "article.txt"
    text.write_text("خبر عاجل عن التجارة\n", encoding="utf-8")
    before = _files(mini / "seeds")
    args = ["new", str(text), "--root", str(mini), option, f"Tr{char}ade"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    first, count = result.output.splitlines()
    assert first.startswith(f"new {option}: {option[2:]}: found <U+{ord(char):04X} "), first
    assert "at character 3 of" in first and count == "1 problem(s)"
    assert _files(mini / "seeds") == before


# A package folder that is a link ---------------------------------------------------------------


def test_a_package_folder_that_is_a_link_is_published_where_it_leads(
    built_copy: Path, tmp_path: Path
) -> None:
    """The link stays; the new package replaces the one it leads to; nothing is left beside
    either (nor a link an older build left)."""
    elsewhere = tmp_path / "elsewhere" / "package"
    elsewhere.parent.mkdir()
    (built_copy / PACKAGE).rename(elsewhere)
    (built_copy / PACKAGE).symlink_to(elsewhere)
    (built_copy / f".{PACKAGE}.build-old").symlink_to(elsewhere)  # an older build's litter
    replace(built_copy, MINI_FACTS, "name_en: Test News", "name_en: Test News Agency")
    build(built_copy)
    assert (built_copy / PACKAGE).is_symlink()
    assert "Test News Agency" in (elsewhere / "csv" / "organizations.csv").read_text("utf-8")
    assert sorted(p.name for p in built_copy.iterdir()) == [".cache", PACKAGE, "schemas", "seeds"]
    assert sorted(p.name for p in elsewhere.parent.iterdir()) == ["package"]
    assert check_package(built_copy / DESCRIPTOR).lines() == []
