"""The generator of the documentation site's data pages, on the mini fixture built for real."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from eaeu_facts.check.package import check_package
from eaeu_facts.docs.catalogue import BROKEN_EXAMPLES, ERROR_KINDS, BrokenExample
from eaeu_facts.docs.charts import bar_chart
from eaeu_facts.docs.curating import (
    broken_copy,
    example_markdown,
    kinds_index,
    project_copy,
    run_command,
)
from eaeu_facts.docs.dictionary import table_page
from eaeu_facts.docs.edits import ChangeBytes, Replace, SetCell
from eaeu_facts.docs.figures import amount_bars, figure_amounts, figure_meetings
from eaeu_facts.docs.markup import (
    href,
    inline_md,
    md_href,
    md_text,
    row_anchor,
    source_uri,
    table_uri,
)
from eaeu_facts.docs.pages import expand_nav, generated_pages
from eaeu_facts.docs.quality import quality_rows
from eaeu_facts.docs.reference import api_reference, cli_reference
from eaeu_facts.docs.render import render_page
from eaeu_facts.docs.site import Site, load_site
from eaeu_facts.docs.sources import Span, evidence_spans, segments, source_lines, source_page
from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.schemas import load_catalog
from eaeu_facts.publish.pipeline import build
from eaeu_facts.read.mentions import ENTITY_KEYS
from tests.helpers import MINI, MINI_FACTS, REPO, copy_project

SOURCE = "src-0123456789abcdef"


@pytest.fixture(scope="module")
def docs_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with its package published, as `make docs` expects to find it.

    Shared by the module: a test that changes it works on a copy (see `copy`).
    """
    root = copy_project(tmp_path_factory.mktemp("docs") / "project", MINI / "seeds")
    # The passages the quality page scores the fact finder on.
    candidates = "tests/fixtures/candidates"
    shutil.copytree(REPO / candidates, root / candidates)
    build(root)
    return root


@pytest.fixture(scope="module")
def site(docs_project: Path) -> Site:
    return load_site(docs_project)


@pytest.fixture
def copy(docs_project: Path, tmp_path: Path) -> Path:
    """A copy of the docs_project mini project, safe to change."""
    root = tmp_path / "copy"
    shutil.copytree(docs_project, root)
    return root


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# --- links and text pieces ------------------------------------------------------------------


def test_markdown_text_is_escaped_once() -> None:
    """Each special character becomes one entity; the "#" of an entity is not escaped again."""
    assert md_text("a_b #c [d] <e>") == "a&#95;b &#35;c &#91;d&#93; &lt;e&gt;"


def test_links_are_relative_between_built_pages() -> None:
    assert href("tables/trade.md", "sources/x.md", "ev-a") == "../sources/x.html#ev-a"
    assert href("tables/trade.md", "tables/trade.md", "r") == "#r"
    assert href("index.md", "datapackage/csv/a.csv") == "datapackage/csv/a.csv"
    assert md_href("tables/index.md", "tables/people.md", "x") == "people.md#x"


def test_nav_patterns_become_the_generated_pages_not_listed_already() -> None:
    nav = [{"Home": "index.md"}, {"Tables": [{"Overview": "tables/index.md"}, "tables/*.md"]}]
    uris = ["tables/index.md", "tables/a.md", "tables/b.md", "sources/s.md"]
    assert expand_nav(nav, uris) == [
        {"Home": "index.md"},
        {"Tables": [{"Overview": "tables/index.md"}, "tables/a.md", "tables/b.md"]},
    ]


def _span(start: int, end: int, key: str) -> Span:
    table = load_catalog(REPO).table("people")
    return Span(start, end, table, 0, {"person_id": key})


def test_overlapping_and_nested_spans_are_cut_at_every_boundary() -> None:
    text = "ab cd\nef"
    a, b, c = _span(0, 5, "a"), _span(3, 8, "b"), _span(3, 5, "c")
    pieces = segments(text, [a, b, c])
    assert "".join(text[s:e] for s, e, _ in pieces) == text
    covering = {text[s:e]: {x.row["person_id"] for x in spans} for s, e, spans in pieces}
    assert covering == {"ab ": {"a"}, "cd": {"a", "b", "c"}, "\n": {"b"}, "ef": {"b"}}


# --- loading ----------------------------------------------------------------------------------


def test_a_package_stale_against_the_schemas_is_refused(copy: Path) -> None:
    stale = copy
    places = stale / "schemas" / "places.yaml"
    places.write_text(
        places.read_text(encoding="utf-8")
        + "  - {name: extra, type: string, title: Extra, description: A field added later.,\n"
        + "     constraints: {maxLength: 100}}\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as caught:
        load_site(stale)
    lines = caught.value.problems.lines()
    assert len(lines) == 1
    assert lines[0].startswith("datapackage/datapackage.json: resources[places].schema.fields:")
    assert "run `eaeu-facts build`" in lines[0]


def test_a_package_that_fails_validation_is_refused(copy: Path) -> None:
    csv = copy / "datapackage" / "csv" / "trade.csv"
    csv.write_bytes(csv.read_bytes() + b"\n")
    with pytest.raises(BuildError) as caught:
        load_site(copy)
    assert any("trade.csv" in line and "bytes" in line for line in caught.value.problems.lines())


# --- generated pages --------------------------------------------------------------------------


def test_every_table_and_source_gets_a_page(site: Site) -> None:
    pages = generated_pages(site)
    expected = {table_uri(t.name) for t in site.catalog.tables}
    assert set(pages) == {"tables/index.md", source_uri(SOURCE), *expected}


def test_a_table_page_documents_every_field_of_its_schema(site: Site) -> None:
    for table in site.catalog.tables:
        page = table_page(site, table)
        boosted = "---\nsearch:\n  boost: 2\n---\n\n"  # entity tables rank first in search
        assert page.removeprefix(boosted).startswith(f"# {table.title}\n")
        assert page.startswith(boosted) == (table.name in ENTITY_KEYS)
        assert f"**Rows:** {len(site.rows[table.name])}" in page
        for f in table.fields:
            assert f'<tr id="field-{f.name}"><td><code>{f.name}</code>' in page
            assert inline_md(f.description) in page
        for fk in table.foreign_keys:
            assert f"({fk.resource}.md#field-{fk.reference_fields[0]})" in page


def test_rows_link_to_their_evidence_and_references(site: Site) -> None:
    page = table_page(site, site.catalog.table("trade"))
    row = re.search(r'<tr id="trade-kz-ru-actual">.*?</tr>', page)[0]
    assert f'href="../sources/{SOURCE}.html#ev-trade-trade-kz-ru-actual"' in row
    assert 'href="people.html#person-layla-hassan"' in row
    assert 'href="meetings.html#mtg-test-talks"' in row


def test_the_source_page_shows_the_whole_text_with_each_span_anchored_once(
    site: Site,
) -> None:
    text = site.texts[SOURCE]
    spans = evidence_spans(site, SOURCE)
    lines, panels = source_lines(site, source_uri(SOURCE), text, spans)
    assert "".join(_text(line) for line in lines) == text.replace("\n", "")
    page = source_page(site, site.rows["sources"][0])
    assert '<article class="source-text" dir="rtl" lang="ar" markdown="1">' in page
    # One organisation, two people, a meeting and its report by this source, two
    # participants, a quote, two trade figures; derived rows (coverage, mentions) are not.
    assert len(spans) == 10
    assert {s.table.name for s in spans} == {
        "organizations",
        "people",
        "meetings",
        "meeting_reports",
        "participants",
        "quotes",
        "trade",
    }
    for span in spans:
        assert page.count(f'id="{span.anchor}"') == 1
        assert f'href="#{span.anchor}"' in page  # from the table of spans
    assert len(panels) == page.count('class="ev-panel"')


def test_a_piece_supporting_several_rows_links_to_all_of_them(site: Site) -> None:
    page = source_page(site, site.rows["sources"][0])
    # "سامي نادر" at its first occurrence supports the person, the participant, the meeting
    # and the meeting's report.
    pieces = re.findall(
        r'<a class="ev ev-d(\d)" id="(s\d+)" href="#(seg-\d+)"[^>]*>([^<]*)</a>', page
    )
    depth, _, target, _ = next(p for p in pieces if p[3] == "سامي نادر")
    panel = re.search(rf'<div class="ev-panel" id="{target}".*?</div>', page)[0]
    assert int(depth) == 4 == panel.count("<li>")
    for link in ("people.html#person-sami-nader", "meetings.html#mtg-test-talks"):
        assert f'href="../tables/{link}"' in panel


def test_rows_beyond_the_limit_link_to_the_rows_section(docs_project: Path) -> None:
    site = load_site(docs_project, row_limit=1)
    page = table_page(site, site.catalog.table("participants"))
    assert "The first 1 of 2 rows" in page
    assert page.count("<tr id=") == 1 + len(site.catalog.table("participants").fields)
    shown, _ = site.rows["participants"]
    table = site.catalog.table("participants")
    source = source_uri(SOURCE)
    assert site.row_href(source, table, 0).endswith(f"#{row_anchor(table, shown)}")
    assert site.row_href(source, table, 1) == "../tables/participants.html#rows"


# --- blocks of hand-written pages ---------------------------------------------------------------


def test_blocks_are_expanded_and_sql_blocks_run(site: Site) -> None:
    page = "# T\n\n<!-- generated: downloads -->\n\n```sql\nSELECT count(*) AS n FROM trade\n```\n"
    out = render_page(site, "page.md", page)
    assert "<!-- generated" not in out
    for res in site.descriptor["resources"]:
        assert f"[{res['path']}](datapackage/{res['path']})" in out
        assert res["hash"].removeprefix("sha256:") in out
    assert "Result (1 row):" in out and "<td>2</td>" in out


def test_the_security_page_states_the_limits_the_code_applies(site: Site) -> None:
    from eaeu_facts.model.errors import SHOWN
    from eaeu_facts.model.paths import MAX_YAML_BYTES

    page = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    out = render_page(site, "security.md", page)
    assert f"| {MAX_YAML_BYTES:,} bytes |" in out and f"| {SHOWN}, then" in out
    note = site.catalog.table("meetings").field("note_en").constraints["maxLength"]
    row = next(line for line in out.splitlines() if "meetings.note_en" in line)
    assert row.startswith(f"| {note:,} |")
    assert "(tables/meetings.md#field-note_en)" in row
    for name in ("Report a vulnerability", "What is trusted", "eaeu-facts validate"):
        assert name in out


def test_the_quality_page_publishes_the_finder_accuracy_as_computed(site: Site) -> None:
    """Every figure of the accuracy tables is the report's, computed as the page is docs_project."""
    from eaeu_facts.read import accuracy

    page = (REPO / "docs" / "quality.md").read_text(encoding="utf-8")
    out = render_page(site, "quality.md", page)
    report = accuracy.report(site.root)
    assert set(report) == {"development", "held-out"}
    for scores in report.values():
        for kind, s in scores.items():
            row = f"| {kind} | {s.expected} | {s.found} | {s.correct} | "
            assert row + f"{accuracy.percent(s.precision)} | {accuracy.percent(s.recall)} |" in out
    assert "<!-- generated" not in out


def test_the_command_line_page_documents_every_json_key(site: Site) -> None:
    from eaeu_facts.read.candidates import FIELDS

    out = render_page(site, "cli.md", (REPO / "docs" / "cli.md").read_text("utf-8"))
    for key in FIELDS:
        assert f"| `{key}` | " in out


def test_a_failing_query_or_unknown_block_fails_the_page(site: Site) -> None:
    page = "# T\n\n<!-- generated: nonsense -->\n\n```sql\nSELECT nope FROM trade\n```\n"
    with pytest.raises(BuildError) as caught:
        render_page(site, "page.md", page)
    lines = caught.value.problems.lines()
    assert lines[0].startswith("docs/page.md:3: generated: found 'nonsense', expected one of ")
    assert lines[1].startswith("docs/page.md:5: sql: found <Binder Error")


def test_quality_notes_list_the_rows_left_open_or_inferred(site: Site) -> None:
    out = quality_rows(site, "quality.md", None)
    listed = set(re.findall(r'href="tables/\w+\.html#([^"]+)"', out))
    assert listed == {SOURCE, "mtg-test-talks", "trade-kz-ru-target", "trade-kz-ru-actual"}
    assert "<code>currency_basis</code>: inferred" in out
    assert html.escape('The text says only "dollar"') in out


def test_bar_chart_hatches_targets_and_draws_hedges(site: Site) -> None:
    bars = amount_bars(site, "figures.md", site.catalog.table("trade"))["USD"]
    svg = bar_chart("k", "Trade", bars)
    target = re.search(r'<g class="bar status-target">.*?</g>', svg, re.S)[0]
    actual = re.search(r'<g class="bar status-actual">.*?</g>', svg, re.S)[0]
    assert 'fill="url(#k-hatch)"' in target and "marker-end" not in target
    assert "fill=" not in actual.split("<rect", 1)[1].split("/>", 1)[0]
    assert "about 2 bn USD" in actual and "5 bn USD" in target


def test_meeting_graph_joins_people_who_met(site: Site) -> None:
    out = figure_meetings(site, "figures.md", None)
    assert out.count('<path class="edge"') == 1
    assert "<title>Layla Hassan and Sami Nader: Talks between Sami Nader and Layla Hassan" in out


# --- curating guide ---------------------------------------------------------------------------

# The kinds of bad input issue 5 asks the curator's reference to show (and an enum value), each
# with the command that must report it and a pattern its example's output must match.
REPORTED = {
    "YAML that does not parse": ("build", r"\.yaml:\d+: yaml: found <mapping values"),
    "an unknown field": ("build", r"\.yaml:\d+: \w+: found 'an unknown field', expected one of"),
    "a missing field": ("build", r"\.yaml:\d+: \w+: found <missing>, expected a value"),
    "a wrong type": ("build", r": amount: found '[^']*', expected a whole number"),
    "a value outside its schema's list": ("build", r": hedge: found '\w+', expected one of"),
    "evidence not found in the source": ("build", r": evidence: found <no occurrence of"),
    "evidence found more than once without saying which": (
        "build",
        r": evidence: found <2 occurrences .*, expected 'occurrence'",
    ),
    "a duplicate identifier": ("build", r": trade_id: found .*\(unique\)"),
    "a reference to a missing row": ("build", r"_id: found '[^']*', expected an existing \w+_id"),
    "an unknown country code": ("build", r": country_code: found '\w+', expected an existing"),
    "an unknown currency code": ("build", r": currency_code: found .*, expected an ISO 4217"),
    "a negative or zero amount": ("build", r": amount: found -?\d+, expected at least 1$"),
    "a period that ends before it starts": ("build", r": period_end: found .*, expected a date on"),
    "a date that does not exist": ("build", r": date: found '2025-02-30', expected a date that"),
    "digits in a form the parser does not accept": (
        "build",
        r": amount_as_printed_ar: found .*, expected digits the parser accepts",
    ),
    "a source file that is not UTF-8": ("build", r"\.txt:\d+: encoding: found 'byte 0x"),
    "a source file with a byte order mark": ("build", r"\.txt:1: encoding: found 'a byte order"),
    "a source file with CRLF line ends": (
        "build",
        r"\.txt:\d+: line ends: found <a carriage return",
    ),
    "a source file edited after facts cite it": ("build", r"\.txt: sha256: found '[0-9a-f]{64}'"),
    "offsets that do not match": (
        "validate",
        r"^datapackage/csv/trade\.csv:\d+:\d+: char_start: found .*, expected text\[",
    ),
    "a published CSV file whose bytes do not match datapackage.json": (
        "validate",
        r"^datapackage/csv/\w+\.csv: hash: found 'sha256:[0-9a-f]{64}', expected sha256:",
    ),
    "a published Parquet file whose bytes do not match datapackage.json": (
        "validate",
        r"^datapackage/parquet/\w+\.parquet: hash: found 'sha256:[0-9a-f]{64}', expected sha256:",
    ),
}
# `path[:line[:column]]: field: found ..., expected ...`, as the errors module documents it.
PROBLEM = re.compile(r"^[^\s:]+(:\d+){0,2}: [^:]+: found .+, expected .+$")


def test_every_kind_of_error_has_an_example() -> None:
    assert set(ERROR_KINDS) == set(REPORTED)
    shown = {kind for example in BROKEN_EXAMPLES for kind in example.kinds}
    assert shown == set(REPORTED)
    anchors = [example.anchor for example in BROKEN_EXAMPLES]
    assert len(set(anchors)) == len(anchors)


@pytest.fixture(scope="module")
def curating_page(site_dir: Path) -> str:
    """The curating guide of the site the browser tests build anyway: its build ran every
    broken example for real (docs/curating.py) and shows what each printed."""
    return (site_dir / "curating.html").read_text(encoding="utf-8")


def _shown(page: str, example: BrokenExample) -> tuple[str, list[str]]:
    """The example's section of the built page: its text, and its code blocks' text."""
    start = page.index(f'<h4 id="{example.anchor}">')
    end = min(
        (i for i in (page.find("<h4 ", start + 1), page.find("<h3 ", start + 1)) if i != -1),
        default=len(page),
    )
    section = page[start:end]
    blocks = re.findall(r"<pre><span></span><code>(.*?)</code></pre>", section, re.S)
    return section, [_text(b) for b in blocks]


@pytest.mark.parametrize("example", BROKEN_EXAMPLES, ids=lambda e: e.title)
def test_each_broken_example_fails_as_documented(
    curating_page: str, example: BrokenExample
) -> None:
    section, blocks = _shown(curating_page, example)
    *diffs, output = blocks
    # Each edit is shown: as a diff, or in words where a diff cannot show it (bytes).
    in_words = [e for e in example.edits if isinstance(e, ChangeBytes)]
    assert len(diffs) == len(example.edits) - len(in_words)
    assert all(diff.startswith("--- a/") for diff in diffs), diffs
    for edit in in_words:
        assert f"{edit.path} {edit.how}. From byte" in _text(section), edit
    printed = f"What <code>eaeu-facts {example.command}</code> prints (exit code 1):"
    assert printed in section
    lines = output.rstrip("\n").split("\n")
    assert lines[-1] == f"{len(lines) - 1} problem(s)" and len(lines) >= 2, output
    assert all(PROBLEM.match(line) for line in lines[:-1]), output
    assert "Traceback" not in output
    for kind in example.kinds:
        command, pattern = REPORTED[kind]
        assert example.command == command
        assert re.search(pattern, output, re.M), f"{kind}: {pattern!r} not in\n{output}"


def test_a_broken_example_shows_its_edit_and_the_real_one_line_error(tmp_path: Path) -> None:
    example = next(e for e in BROKEN_EXAMPLES if "schema's list" in e.title)
    root, [diff] = broken_copy(REPO, example, tmp_path)
    text = (MINI / MINI_FACTS).read_text(encoding="utf-8").split("\n")
    line = text.index("    hedge: about") + 1
    assert f"@@ -{line} +{line} @@\n-    hedge: about\n+    hedge: approximately\n" in diff
    code, output = run_command(root, "build")
    assert code == 1
    assert output.splitlines() == [
        f"{MINI_FACTS}:{line}: hedge: found 'approximately', expected one of about, more_than, "
        "less_than, at_least, at_most, exactly",
        "1 problem(s)",
    ]


def test_tampering_with_a_cell_keeps_the_files_listed_correctly(tmp_path: Path) -> None:
    """Only the deeper check must see the change: sizes, hashes and Parquet still agree."""
    root = project_copy(REPO, tmp_path)
    build(root)
    cell = SetCell("trade", "trade-kz-ru-actual", "hedge", lambda value: "exactly")
    diff = cell.apply(root)
    assert "-trade-kz-ru-actual,KZ,RU,turnover,2000000000,USD,inferred,2 مليار دولار,about," in diff
    assert (
        "+trade-kz-ru-actual,KZ,RU,turnover,2000000000,USD,inferred,2 مليار دولار,exactly," in diff
    )
    problems = check_package(root / "datapackage" / "datapackage.json", root)
    assert [p.field for p in problems.items] == ["hedge"], problems.lines()


def test_an_example_that_no_longer_applies_or_no_longer_fails_stops_the_docs() -> None:
    stale = BrokenExample("Stale", "", (), (Replace(MINI_FACTS, "no such words", "x"),))
    with pytest.raises(BuildError) as caught:
        example_markdown(REPO, stale)
    assert "0 occurrences of 'no such words'" in caught.value.problems.lines()[0]
    passing = BrokenExample(
        "Passing", "", (), (Replace(MINI_FACTS, "name_en: Test News", "name_en: News"),)
    )
    with pytest.raises(BuildError) as caught:
        example_markdown(REPO, passing)
    assert "exit code 0" in caught.value.problems.lines()[0]


def test_the_index_links_every_kind_to_an_example_on_the_page() -> None:
    [index, _] = kinds_index()
    links = re.findall(r'<tr><td>([^<]+)</td><td><a href="#([^"]+)">', index)
    assert [html.unescape(kind).lower() for kind, _ in links] == [k.lower() for k in ERROR_KINDS]
    assert {anchor for _, anchor in links} <= {e.anchor for e in BROKEN_EXAMPLES}


# --- reference pages --------------------------------------------------------------------------


def test_cli_reference_documents_every_command(site: Site) -> None:
    from eaeu_facts.cli import main

    out = cli_reference(site, "cli.md", None)
    for name, command in main.commands.items():
        assert f"## `eaeu-facts {name}`" in out
        assert f"Usage: eaeu-facts {name}" in out
        assert (command.help or "").split("\n")[0] in out


def test_api_reference_shows_signatures_and_docstrings(site: Site) -> None:
    out = api_reference(site, "api.md", None)
    assert "## `eaeu_facts.model.schemas`" in out
    assert "load_catalog(root: Path) -> Catalog" in out
    assert "Load and check schemas/; raise BuildError listing every problem found." in out
    assert "### `_" not in out


def test_a_table_without_rows_gets_a_sentence_not_a_chart(site: Site) -> None:
    out = figure_amounts(site, "figures.md", "investment")
    assert out == "The package has no rows in [`investment`](tables/investment.md) yet."
