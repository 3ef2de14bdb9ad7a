"""MkDocs hook: the pages and blocks that describe the data come from eaeu_facts.docs.

on_config loads the schemas and the published package (a package that fails validation, or
is stale against schemas/, stops the build) and expands the `*` patterns of the nav; on_files
adds the generated pages, the package files to download and the query page's files
(DuckDB-WASM); on_page_markdown expands the `<!-- generated: NAME -->` blocks of
hand-written pages and runs their ```sql blocks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from eaeu_facts import docs
from eaeu_facts.model.errors import BuildError

_state: dict[str, Any] = {}


def _error(exc: BuildError) -> PluginError:
    return PluginError("\n".join(exc.problems.lines()))


def on_config(config: Any) -> Any:
    if config.use_directory_urls:
        raise PluginError(
            "mkdocs.yml: use_directory_urls: found true, expected false "
            "(generated links are written for page.html)"
        )
    try:
        site = docs.load_site(Path(config.config_file_path).parent)
        pages = docs.generated_pages(site)
    except BuildError as exc:
        raise _error(exc) from None
    _state.update(site=site, pages=pages)
    config.nav = docs.expand_nav(config.nav, list(pages))
    return config


def on_files(files: Files, config: Any) -> Files:
    for uri, content in _state["pages"].items():
        files.append(File.generated(config, uri, content=content))
    for uri, content in docs.download_files(_state["site"]).items():
        files.append(File.generated(config, uri, content=content))
    try:
        query = docs.query_files(_state["site"])
    except BuildError as exc:
        raise _error(exc) from None
    for uri, item in query.items():
        if (written := files.get_file_from_path(uri)) is not None:
            files.remove(written)  # the page's script, replaced by its bundle
        if isinstance(item, bytes):
            files.append(File.generated(config, uri, content=item))
        else:
            files.append(File.generated(config, uri, abs_src_path=str(item)))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    try:
        return docs.render_page(_state["site"], page.file.src_uri, markdown)
    except BuildError as exc:
        raise _error(exc) from None
