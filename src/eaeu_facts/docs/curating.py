"""The curating guide's generated blocks: the error catalogue run for real, and fixture files.

Each example of the catalogue breaks a fresh copy of the fixture and runs the real
`eaeu-facts` command on it, in-process; the guide shows the edit and the command's output as
printed. An example that no longer fails as documented stops the docs build.
"""

from __future__ import annotations

import contextlib
import html
import re
import shutil
import tempfile
from pathlib import Path

from eaeu_facts.docs.blocks import block, page_problem
from eaeu_facts.docs.catalogue import (
    BROKEN_EXAMPLES,
    ERROR_KINDS,
    EXAMPLE_GROUPS,
    FIGURES,
    FIXTURE,
    BrokenExample,
)
from eaeu_facts.docs.edits import stale_example
from eaeu_facts.docs.markup import table_html
from eaeu_facts.docs.site import Site
from eaeu_facts.model.errors import BuildError
from eaeu_facts.model.yamlio import safe_load

# The documented form of a problem line: `path[:line[:column]]: field: found ..., expected ...`.
PROBLEM_LINE = re.compile(r"^\S+?(?::\d+){0,2}: [^:]+: found .*, expected .+$")


def project_copy(repo: Path, into: Path) -> Path:
    """The real schemas with the mini fixture and the figures one laid over it."""
    root = into / "project"
    shutil.copytree(repo / "schemas", root / "schemas")
    shutil.copytree(repo / FIXTURE / "seeds", root / "seeds")
    shutil.copytree(repo / FIGURES / "seeds", root / "seeds", dirs_exist_ok=True)
    return root


def broken_copy(repo: Path, example: BrokenExample, into: Path) -> tuple[Path, list[str]]:
    """A copy of the fixture with the example's edits made (to the package a build published
    from it, for `validate`), and Markdown showing each edit."""
    root = project_copy(repo, into)
    if example.command == "validate":
        from eaeu_facts.publish.pipeline import build

        build(root)
    return root, [edit.apply(root) for edit in example.edits]


def run_command(root: Path, command: str) -> tuple[int, str]:
    """Run `eaeu-facts COMMAND` in-process from the project directory, as a curator would."""
    from click.testing import CliRunner

    from eaeu_facts.cli import main

    with contextlib.chdir(root):
        result = CliRunner().invoke(main, [command])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def check_output(example: BrokenExample, code: int, output: str) -> None:
    """The command failed as documented: exit 1 and one well-formed line per problem."""
    lines = output.rstrip("\n").split("\n")
    summary = f"{len(lines) - 1} problem(s)"
    well_formed = all(PROBLEM_LINE.match(line) for line in lines[:-1])
    if code != 1 or lines[-1] != summary or not well_formed or len(lines) < 2:
        raise stale_example(
            f"exit code {code} and output {output!r} for {example.title!r}",
            "exit code 1 and one `path:line: field: found ..., expected ...` line per problem",
        )


def kinds_index() -> list[str]:
    """A table of ERROR_KINDS, each linking to the first example of it."""
    first = {k: e for e in reversed(BROKEN_EXAMPLES) for k in e.kinds}
    unknown = sorted(set(first) - set(ERROR_KINDS))
    missing = [k for k in ERROR_KINDS if k not in first]
    if unknown or missing:
        raise stale_example(
            f"kinds {unknown} not in docs.ERROR_KINDS and {missing} without an example",
            "an example of each kind",
        )
    rows = []
    for kind in ERROR_KINDS:
        example = first[kind]
        link = f'<a href="#{example.anchor}">{html.escape(example.title)}</a>'
        cells = [
            html.escape(kind[0].upper() + kind[1:]),
            link,
            f"<code>eaeu-facts&nbsp;{example.command}</code>",
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return [table_html(["Kind of error", "Example", "Reported by"], rows, "error-kinds"), ""]


@block("curating-errors")
def curating_errors(site: Site, uri: str, arg: str | None) -> str:
    """Every kind of error, each shown by an example run for real on a copy of the fixture."""
    parts = kinds_index()
    for group in EXAMPLE_GROUPS:
        parts += [f"### {group.title}", "", group.intro, ""]
        for example in group.examples:
            parts += example_markdown(site.root, example)
    return "\n".join(parts)


def example_markdown(repo: Path, example: BrokenExample) -> list[str]:
    """An example's heading, edits and output; BuildError if it no longer fails as shown."""
    with tempfile.TemporaryDirectory(prefix="eaeu-facts-docs-") as tmp:
        root, shown = broken_copy(repo, example, Path(tmp))
        code, output = run_command(root, example.command)
    check_output(example, code, output)
    parts = [f"#### {example.title} {{#{example.anchor}}}", "", example.why, ""]
    for edit in shown:
        parts += [edit, ""]
    return [
        *parts,
        f"What `eaeu-facts {example.command}` prints (exit code {code}):",
        "",
        "```text",
        output.rstrip("\n"),
        "```",
        "",
    ]


@block("fixture")
def fixture(site: Site, uri: str, arg: str | None) -> str:
    """A file of the committed mini fixture, shown whole."""
    path = site.root / FIXTURE / (arg or "")
    if not arg or not path.is_file():
        raise BuildError(page_problem(uri, "fixture", arg, f"a file under {FIXTURE.as_posix()}"))
    language = {".yaml": "yaml", ".txt": "text"}.get(path.suffix, "text")
    return "\n".join(
        [f"`{arg}`:", "", f"```{language}", path.read_text(encoding="utf-8").rstrip("\n"), "```"]
    )


@block("draft-example")
def draft_example(site: Site, uri: str, arg: str | None) -> str:
    """A held-out article, the old drafter's first run on it, the drafter's draft now, and
    what the curator must still do, compared with the curator's expected facts."""
    import datetime as dt

    import yaml

    from eaeu_facts.draft import score
    from eaeu_facts.draft.drafter import DRAFTERS, Article
    from eaeu_facts.draft.known import Known

    folder = site.root / score.DEVELOPMENT
    text_path = folder / f"{arg}.txt"
    if not arg or not text_path.is_file():
        raise BuildError(
            page_problem(uri, "draft-example", arg, f"an article in {score.DEVELOPMENT}")
        )
    text = text_path.read_text(encoding="utf-8")
    expected = safe_load((folder / f"{arg}.expected.yaml").read_text(encoding="utf-8"))
    published = (expected.get("options") or {}).get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    drafted = DRAFTERS["rules"].draft(Article(text, published), Known.from_project(site.root))
    first = (folder / f"{arg}.first-run.yaml").read_text(encoding="utf-8")
    report = score.Report()
    score.score(text, drafted, expected, report, arg)
    todo = _still_to_do(drafted, report)
    option = f" --published {published}" if published else ""
    dump = yaml.safe_dump(drafted, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(
        [
            "The article:",
            "",
            "```text",
            text.rstrip("\n"),
            "```",
            "",
            "**Before**: what the old drafter wrote (one entry per figure, nothing linked):",
            "",
            "```yaml",
            first.rstrip("\n"),
            "```",
            "",
            f"**After**: what `eaeu-facts new{option}` drafts (each entry with `draft: true`,"
            " left out here):",
            "",
            "```yaml",
            dump.rstrip("\n"),
            "```",
            "",
            "**What the curator still has to do**, against what a careful curator drafted:",
            "",
            *todo,
            "",
        ]
    )


def _still_to_do(drafted: dict, report: object) -> list[str]:
    quotes = len(drafted.get("quotes", []))
    new_people = [r["name_ar"] for r in drafted.get("people", [])]
    inferred = sum(
        1 for rows in drafted.values() for r in rows for k, v in r.items()
        if k.endswith("_basis") and v == "inferred"
    )  # fmt: skip
    total = report.total()
    lines = [
        f"- write the English of {quotes} quotation(s) (`text_en`, left empty);",
        f"- check the Latin spelling of {len(new_people)} new name(s): "
        + (", ".join(new_people) or "none")
        + ";",
        f"- check {inferred} inferred value(s) and their notes;",
        "- complete the record (publisher, rights);",
        f"- of the values a careful curator drafted for this article, the draft has "
        f"{total.right_expected} of {total.expected} ({total.recall:.0%}); of the values it "
        f"drafts, {total.right_drafted} of {total.drafted} ({total.precision:.0%}) are the "
        "curator's; correct or add the rest (the data quality page lists them by field).",
    ]
    return lines
