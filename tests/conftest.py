"""The fixtures, one name each. Projects built once per session are read, never changed: a
test that changes one works on its `_copy`. The helpers they use are in tests/helpers.py."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.helpers import CORPUS, MINI, MINI_FACTS, REPO, copy_built, copy_project, make_project

# The browser tests' fixtures (the built site, its server, Chromium), for every module.
pytest_plugins = ["tests.browser"]


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


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The mini + figures project, not built yet, safe to modify."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini + figures project built once per session; read it, don't change it."""
    from eaeu_facts.publish.pipeline import build

    root = make_project(tmp_path_factory.mktemp("built") / "project")
    build(root)
    return root


@pytest.fixture
def built_copy(built: Path, tmp_path: Path) -> Path:
    """A copy of `built`, safe to change, whose package is the one its last build left."""
    return copy_built(built, tmp_path / "built")


@pytest.fixture
def published(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of `built` to tamper with, as the working directory so paths read datapackage/..."""
    root = tmp_path / "project"
    shutil.copytree(built, root)
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="session")
def article(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real schemas and seeds built once into a throwaway project; read it, don't change it."""
    from eaeu_facts.publish.pipeline import build

    root = copy_project(tmp_path_factory.mktemp("article"), REPO / "seeds")
    build(root)
    return root


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """CORPUS synthetic sources (benchmarks/synthetic.py) built once per session, in worker
    processes as a large corpus is; read it, don't change it."""
    from benchmarks.synthetic import generate
    from eaeu_facts.publish import cache
    from eaeu_facts.publish.pipeline import build

    root = generate(tmp_path_factory.mktemp("corpus") / "project", CORPUS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "INLINE_UNITS", 1)
        assert build(root).how == "full"
    return root


@pytest.fixture
def corpus_copy(corpus: Path, tmp_path: Path) -> Path:
    """A copy of `corpus`, safe to change: the package a rebuild starts from."""
    return copy_built(corpus, tmp_path / "corpus")
