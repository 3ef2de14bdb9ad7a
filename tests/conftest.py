"""Shared fixtures: a throwaway project made of the real schemas/ and a small committed seed set."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

# The browser tests' fixtures (the built site, its server, Chromium), for every module.
pytest_plugins = ["tests.browser"]

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
MINI_FACTS = "seeds/facts/001_0123456789abcdef.yaml"
MINI_TEXT = "seeds/sources/001_0123456789abcdef.txt"


def copy_project(root: Path, *seeds: Path, schemas: Path = REPO / "schemas") -> Path:
    """A project at `root`: the schemas, and each seeds folder laid over the ones before."""
    shutil.copytree(schemas, root / "schemas")
    for folder in seeds:
        shutil.copytree(folder, root / "seeds", dirs_exist_ok=True)
    return root


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A project with the real schemas and the mini seeds, safe to modify."""
    root = tmp_path / "project"
    root.mkdir()
    return copy_project(root, MINI / "seeds")


@pytest.fixture
def edit_facts(mini: Path) -> Callable[[Callable[[dict], None]], Path]:
    """Apply a change to the mini facts file, as a curator would, and return the project."""

    def apply(change: Callable[[dict], None]) -> Path:
        path = mini / MINI_FACTS
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return mini

    return apply


@pytest.fixture(scope="session")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real schemas and seeds built once into a throwaway project; read it, don't change it."""
    from eaeu_facts.build.pipeline import build

    root = copy_project(tmp_path_factory.mktemp("article"), REPO / "seeds")
    build(root)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini + figures project (tests/tampering.py) built once per module; don't change it."""
    from eaeu_facts.build.pipeline import build
    from tests.tampering import make_project  # not at the top: tampering imports this module

    root = make_project(tmp_path_factory.mktemp("built") / "project")
    build(root)
    return root


@pytest.fixture
def published(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of `built` to tamper with, as the working directory so paths read datapackage/..."""
    root = tmp_path / "project"
    shutil.copytree(built, root)
    monkeypatch.chdir(root)
    return root
