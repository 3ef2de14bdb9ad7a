"""The package as a downloader installs it: the wheel in a fresh virtual environment, with no
checkout beside it, reads a copy of the published package wherever it lies (#25)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.helpers import REPO

READ = """
import sys
from pathlib import Path

import eaeu_facts
from eaeu_facts.serve import api

print(Path(eaeu_facts.__file__).resolve())
print(len(eaeu_facts.load("quotes", package=sys.argv[1])))
print(api.PACKAGE_DIR)
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed: its dependencies are this
    environment's (a path, not a site directory, so the checkout's editable install stays
    out), the package itself only the wheel's."""
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "tree"  # a copy: setuptools writes build/ and *.egg-info where it builds
    shutil.copytree(REPO / "src", tree / "src", ignore=shutil.ignore_patterns("*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(REPO / name, tree / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(work / "dist"), str(tree)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (work / "dist").glob("eaeu_facts-*.whl")
    env = work / "env"
    venv.EnvBuilder(with_pip=False).create(env)
    python = env / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", str(wheel)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    return python


def test_an_installed_wheel_loads_a_downloaded_package(installed: Path, tmp_path: Path) -> None:
    downloaded = tmp_path / "somewhere" / "datapackage"
    shutil.copytree(REPO / "datapackage", downloaded)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(installed), "-c", READ, str(downloaded)],
        cwd=elsewhere, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    module, rows, default = result.stdout.splitlines()
    assert not Path(module).is_relative_to(REPO / "src")  # the wheel's, not the checkout's
    assert (
        int(rows) == len((REPO / "datapackage" / "csv" / "quotes.csv").read_text().splitlines()) - 1
    )
    assert Path(default) == elsewhere / "datapackage"  # no checkout: the working folder's


def test_an_installed_wheel_validates_a_downloaded_package_anywhere(
    installed: Path, tmp_path: Path
) -> None:
    """The source texts travel in the package, so the evidence spans of a copy are checked
    with no project beside it (#27)."""
    downloaded = tmp_path / "downloads" / "datapackage"
    shutil.copytree(REPO / "datapackage", downloaded, ignore=shutil.ignore_patterns("*.duckdb*"))
    result = subprocess.run(
        [str(installed.parent / "eaeu-facts"), "validate", str(downloaded / "datapackage.json")],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith(": valid\n"), result.stdout
