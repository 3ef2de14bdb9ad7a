"""The documentation site as a reader gets it: built with --strict, served, driven in Chromium
(tests/browser.py). Every page must load without a console error and without a request leaving
127.0.0.1; every internal link, anchor and download must resolve; the search box must find
names in English and Arabic; the source text must read right to left. Screenshots of three
pages are left in test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import hashlib
import re
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

from tests.browser import ARTIFACTS, Visit
from tests.helpers import REPO

pytestmark = pytest.mark.browser

# The search worker fetches the index and builds it for English and Arabic before it answers a
# query typed meanwhile; a 15 s wait once ran out on a loaded machine. A wrong site still fails.
SEARCH_TIMEOUT_MS = 120_000
SOURCE_PAGE = "sources/src-7b4a6b2ad4421f89.html"
# Every href, src and (SVG) link of a page, resolved against the page's URL.
LINKS_JS = """() => Array.from(
  document.querySelectorAll('a[href], link[href], script[src], img[src]'),
  e => new URL(e.getAttribute('href') || e.getAttribute('src'), location.href).href)"""


def _status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status


def test_every_page_loads_cleanly_and_every_link_resolves(visit: Visit) -> None:
    """Crawl from the home page: no console error, no outside request, no broken link."""
    base = visit.base_url
    pages, queue, seen = {}, [urljoin(base, "index.html")], set()
    links: set[str] = set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        page = visit.goto(url)
        pages[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        for link in page.evaluate(LINKS_JS):
            if not link.startswith(base):
                continue
            links.add(link)
            target = urldefrag(link).url
            if target.endswith(".html") and target not in seen:
                queue.append(target)
    assert len(pages) >= 20, sorted(pages)
    assert not visit.errors, visit.errors
    assert not visit.outside, visit.outside
    broken = []
    for link in sorted(links):
        target, fragment = urldefrag(link)
        fragment = unquote(fragment)
        if target in pages:
            if fragment and fragment not in pages[target]:
                broken.append(f"{link}: no element with that id")
        elif _status(target) != 200:
            broken.append(f"{link}: not 200")
    assert not broken, broken
    downloads = {link for link in links if "/datapackage/" in link}
    assert any(link.endswith(".parquet") for link in downloads), downloads
    assert any(link.endswith(".csv") for link in downloads), downloads


def test_downloads_are_the_published_files(visit: Visit) -> None:
    """Each download link serves bytes whose sha256 is the one the page shows."""
    page = visit.goto("downloads.html")
    rows = page.eval_on_selector_all(
        ".eaeu-downloads tbody tr",
        "trs => trs.map(tr => [tr.querySelector('a').href, tr.lastElementChild.textContent])",
    )
    listed = {p.relative_to(REPO / "datapackage").as_posix() for p in _published_files()}
    served = {urlsplit(url).path.split("/datapackage/", 1)[1] for url, _ in rows}
    assert served == listed
    for url, digest in rows:
        with urllib.request.urlopen(url, timeout=10) as response:
            assert hashlib.sha256(response.read()).hexdigest() == digest.strip(), url
    assert not visit.errors and not visit.outside


def _published_files() -> list[Path]:
    import json

    descriptor = REPO / "datapackage" / "datapackage.json"
    data = json.loads(descriptor.read_text(encoding="utf-8"))
    return [descriptor, *(descriptor.parent / r["path"] for r in data["resources"])]


@pytest.mark.parametrize("name", ["Bektenov", "بيكتينوف"], ids=["english", "arabic"])
def test_search_finds_names(visit: Visit, name: str) -> None:
    """Type a name into the real search box: a result shows it and leads to the people table."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = visit.goto("index.html")
    page.click(".md-search__input")
    # Typed before the search worker has its index, a query is dropped: wait until the box
    # says it is ready ("Initializing search" until then).
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text="Type to start searching").wait_for(timeout=SEARCH_TIMEOUT_MS)
    box = page.locator("input.md-search__input")
    box.press_sequentially(name)
    # Playwright types a letter no key of the US layout makes (Arabic) as text input alone,
    # with no keyup, which the search box listens to; a key a reader's keyboard sends, too.
    box.press("End")
    hit = page.locator(".md-search-result__item", has_text=name).first
    try:
        hit.wait_for(state="visible", timeout=SEARCH_TIMEOUT_MS)
    except PlaywrightTimeout:
        status = page.locator(".md-search-result__meta").inner_text()
        seconds = SEARCH_TIMEOUT_MS // 1000
        pytest.fail(f"no result for {name!r} within {seconds} s; the search box says {status!r}")
    links = page.locator(".md-search-result__item a").evaluate_all("as => as.map(a => a.href)")
    assert any("/tables/people.html" in link for link in links), links
    assert not visit.errors and not visit.outside


def test_source_page_reads_right_to_left(visit: Visit) -> None:
    page = visit.goto(SOURCE_PAGE)
    article = page.locator("article.source-text")
    assert article.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert article.evaluate("e => getComputedStyle(e).textAlign") in ("right", "start")
    assert article.get_attribute("lang") == "ar"
    heading_id = page.locator("article.source-text h2").get_attribute("id")
    assert re.search("[\u0600-\u06ff]", heading_id), heading_id
    # The table of contents links to the Arabic heading by its Arabic anchor.
    assert page.locator(f'nav a[href="#{heading_id}"]').count() >= 1


def test_selecting_a_phrase_lists_its_rows(visit: Visit) -> None:
    """A piece of text supporting several rows opens a panel linking to each of them."""
    page = visit.goto(SOURCE_PAGE)
    nested = page.locator("a.ev.ev-d3").first
    spans = nested.get_attribute("data-spans").split()
    nested.click()
    panel = page.locator(".ev-panel:target")
    assert panel.is_visible()
    assert panel.locator("li a").count() == len(spans) >= 3


def test_a_row_links_to_its_evidence_highlighted(visit: Visit) -> None:
    """From a row's evidence on a table page to the same words, highlighted, in the source."""
    page = visit.goto("tables/trade.html")
    row = page.locator("tr#trade-ru-kz-turnover")
    evidence = row.locator("td[lang=ar] a[href*='#ev-']")
    words = evidence.inner_text()
    evidence.click()
    page.wait_for_url(re.compile(r"sources/.*#ev-trade-trade-ru-kz-turnover$"))
    highlighted = "".join(page.locator("a.ev.ev-hit").all_inner_texts())
    assert highlighted == words
    top = page.evaluate(
        "document.getElementById('ev-trade-trade-ru-kz-turnover').getBoundingClientRect().top"
    )
    assert 0 < top < page.viewport_size["height"]


@pytest.mark.parametrize(
    ("name", "path"),
    [("home", "index.html"), ("table-trade", "tables/trade.html"), ("source", SOURCE_PAGE)],
)
def test_screenshots(visit: Visit, name: str, path: str) -> None:
    """Screenshots for a human to look at (test-artifacts/ is kept by CI, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = visit.goto(path)
    target = ARTIFACTS / f"site-{name}.png"
    if name == "source":
        page.evaluate("document.querySelector('article.source-text').scrollIntoView()")
    page.screenshot(path=str(target), full_page=name == "table-trade")
    assert target.stat().st_size > 10_000
    assert not visit.errors and not visit.outside
