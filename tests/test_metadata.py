"""Metadata that users read is kept in step with the one place it comes from."""

import tomllib

import yaml

from eaeu_facts.model.schemas import load_catalog
from tests.helpers import REPO

CATALOG = load_catalog(REPO)


def test_versions_agree():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == CATALOG.package["version"] == citation["version"]
    assert f"## {CATALOG.package['version']}" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def test_readme_names_every_table():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in CATALOG.names:
        assert f"| `{name}` |" in readme, f"README does not describe table {name}"


def test_readme_gives_the_two_commands_ci_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make        #" in readme and "make test   #" in readme
    assert "\nmake test\n" in ci and "build --check" in ci
