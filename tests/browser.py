"""Shared by the browser tests: the site built once, served on 127.0.0.1, driven in Chromium.

Debian's Chromium (installed by `make chromium`, which `make test` runs) is driven through
Playwright. A Visit records every request a page makes (its workers' included) and refuses
any that would leave the site, and records console errors; tests/conftest.py loads this
module as a plugin, so its fixtures are those of every test module.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.helpers import REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"


# The site is built once for the whole run, beside the tests: the process that starts the
# run (pytest-xdist's controller, or pytest alone) starts `mkdocs build` as it configures,
# and the first test that needs the site waits for it to end. The builder holds an exclusive
# lock on a file while it builds; a reader takes the lock after it, which is the event.
SITE = "EAEU_FACTS_TEST_SITE"
BUILDER = """
import fcntl, os, subprocess, sys
folder = sys.argv[1]
lock = open(os.path.join(folder, "lock"), "w")
fcntl.flock(lock, fcntl.LOCK_EX)
print("building", flush=True)
env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
site = os.path.join(folder, "site")
command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", site]
done = subprocess.run(command, env=env, capture_output=True, text=True)
with open(os.path.join(folder, "outcome"), "w") as out:
    out.write(f"{done.returncode}\\n{done.stderr}")
"""


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER") or SITE in os.environ:
        return  # a worker: the controller started the build
    import tempfile

    folder = tempfile.mkdtemp(prefix="eaeu-facts-site-")
    builder = subprocess.Popen(
        [sys.executable, "-c", BUILDER, folder], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert builder.stdout is not None and builder.stdout.readline() == "building\n"
    os.environ[SITE] = folder  # the workers, started after this, inherit it
    config.stash[_BUILDER] = builder


_BUILDER = pytest.StashKey[subprocess.Popen]()


def pytest_unconfigure(config: pytest.Config) -> None:
    builder = config.stash.get(_BUILDER, None)
    if builder is not None:
        builder.wait()
        import shutil

        shutil.rmtree(os.environ.pop(SITE), ignore_errors=True)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The site built from the repository, exactly as `make docs` builds it."""
    import fcntl

    folder = Path(os.environ[SITE])
    with (folder / "lock").open("r") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)  # returns once the builder has let go of it
    code, _, stderr = (folder / "outcome").read_text(encoding="utf-8").partition("\n")
    assert code == "0", stderr
    return folder / "site"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that drops a connection it no longer needs is not an error of the site."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), f"{CHROMIUM} is missing: run `make chromium` (as root)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


class Visit:
    """A browser context that records console errors and refuses requests leaving the site."""

    def __init__(self, browser: object, base_url: str) -> None:
        self.base_url = base_url
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route("**/*", self._route)
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _route(self, route: object) -> None:
        url = route.request.url
        if url.startswith(self.base_url) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _console(self, message: object) -> None:
        if message.type == "error":
            self.errors.append(f"{self.page.url}: {message.text}")

    def goto(self, path: str) -> object:
        response = self.page.goto(urljoin(self.base_url, path), wait_until="load")
        assert response is not None and response.status == 200, path
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: object, base_url: str) -> Iterator[Visit]:
    v = Visit(browser, base_url)
    try:
        yield v
    finally:
        v.close()
