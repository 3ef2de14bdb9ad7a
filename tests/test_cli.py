"""The command line: one line per problem, exit 1 for bad data, 2 for wrong usage, no traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from eaeu_facts.cli import main
from tests.helpers import FIG_FACTS, MINI_FACTS, MINI_TEXT, replace

PROBLEM = re.compile(r"^\S+?(:\d+){0,2}: [^:]+: found .+, expected .+$")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "eaeu_facts", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def assert_problem_report(result: subprocess.CompletedProcess[str], count: int) -> list[str]:
    """Exit 1, nothing on stdout, one line per problem on stderr, then the count."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    *lines, total = result.stderr.splitlines()
    assert total == f"{count} problem(s)"
    assert len(lines) == count and all(PROBLEM.match(line) for line in lines), lines
    return lines


def test_build_and_validate_succeed_on_good_input(project: Path) -> None:
    built = run("build", cwd=project)
    assert (built.returncode, built.stdout, built.stderr) == (0, "built datapackage/\n", "")
    valid = run("validate", cwd=project)
    assert valid.returncode == 0 and valid.stdout.endswith("datapackage.json: valid\n")
    again = run("build", cwd=project)
    up_to_date = "datapackage/ is up to date (nothing changed since the last build)\n"
    assert (again.returncode, again.stdout, again.stderr) == (0, up_to_date, "")


def test_build_lists_every_problem_of_the_run(project: Path) -> None:
    replace(project, MINI_FACTS, "amount: 5000000000", "amount: five")
    replace(project, MINI_FACTS, "flow: turnover", "flow: barter", nth=2)
    replace(project, FIG_FACTS, "value_pct: 4", "value_pct: 4.5")
    replace(project, MINI_TEXT, "الاقتصادي", "التجاري")
    lines = assert_problem_report(run("build", cwd=project / "seeds"), 4)
    assert [line.split(": ")[0:2] for line in lines] == [
        ["seeds/facts/001_0123456789abcdef.yaml:58", "amount"],
        ["seeds/facts/001_0123456789abcdef.yaml:72", "flow"],
        ["seeds/facts/002_fedcba9876543210.yaml:6", "value_pct"],
        ["seeds/sources/001_0123456789abcdef.txt", "sha256"],
    ]


def test_validate_lists_every_problem_of_a_tampered_package(project: Path) -> None:
    assert run("build", cwd=project).returncode == 0
    csv = project / "datapackage" / "csv" / "countries.csv"
    csv.write_bytes(csv.read_bytes() + b"QQ,Nowhere,x,\n")
    lines = assert_problem_report(run("validate", cwd=project), 2)
    assert lines[0].startswith("datapackage/csv/countries.csv: bytes: found ")
    assert lines[1].startswith("datapackage/csv/countries.csv: hash: found 'sha256:")


@pytest.mark.parametrize(
    "args",
    [
        ["build", "--bogus"],
        ["build", "--root", "no/such/dir"],
        ["validate", "no/such/datapackage.json"],
        ["frobnicate"],
    ],
    ids=["unknown-option", "missing-root", "missing-descriptor", "unknown-command"],
)
def test_wrong_usage_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Error:" in result.output


def test_outside_a_checkout_is_wrong_usage(tmp_path: Path) -> None:
    result = run("build", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no schemas/ and seeds/ here or above" in result.stderr
