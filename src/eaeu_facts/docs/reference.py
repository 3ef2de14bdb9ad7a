"""The reference pages, read from the code when the site is built so they cannot go stale.

The command line page is click's own help for every command; the Python API page is the
signature and docstring of every public function and class of every module.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import click

from eaeu_facts.docs.blocks import block
from eaeu_facts.docs.markup import md_text
from eaeu_facts.docs.site import Site

HELP_WIDTH = 80  # as a terminal shows it, and narrow enough for the page


@block("cli-reference")
def cli_reference(site: Site, uri: str, arg: str | None) -> str:
    """Every command of the `eaeu-facts` click app with its help, as the terminal shows it."""
    from eaeu_facts.cli import main

    parts: list[str] = []
    ctx = click.Context(main, info_name="eaeu-facts", terminal_width=HELP_WIDTH)
    _document_command(main, ctx, parts)
    return "\n".join(parts)


def _document_command(command: click.Command, ctx: click.Context, parts: list[str]) -> None:
    """A command's heading, summary and help, then those of its visible subcommands."""
    parts.extend(
        [
            f"## `{ctx.command_path}`",
            "",
            md_text(command.get_short_help_str(limit=200)),
            "",
            "```text",
            command.get_help(ctx),
            "```",
            "",
        ]
    )
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                _document_command(sub, click.Context(sub, info_name=name, parent=ctx), parts)


def _annotation(value: Any) -> str:
    return value if isinstance(value, str) else inspect.formatannotation(value)


def signature(obj: Any) -> str:
    """The call signature as written in the source (annotations are strings here)."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    params = []
    star = False
    for p in sig.parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star:
            params.append("*")
            star = True
        if p.kind is p.VAR_POSITIONAL:
            star = True
        params.append(_parameter(p))
    out = f"({', '.join(params)})"
    if sig.return_annotation is not sig.empty:
        out += f" -> {_annotation(sig.return_annotation)}"
    return out


def _parameter(p: inspect.Parameter) -> str:
    """One parameter as written: `*args`, `name: type = default`, or `name=default`."""
    text = "*" if p.kind is p.VAR_POSITIONAL else "**" if p.kind is p.VAR_KEYWORD else ""
    text += p.name
    if p.annotation is not p.empty:
        text += f": {_annotation(p.annotation)}"
    if p.default is not p.empty:
        text += f" = {p.default!r}" if p.annotation is not p.empty else f"={p.default!r}"
    return text


def _public(module: Any) -> list[tuple[str, Any]]:
    """The functions and classes a module offers: its `__all__`, else what it defines."""
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    out = []
    for name in names:
        obj = getattr(module, name, None)
        own = getattr(obj, "__module__", None) == module.__name__ or hasattr(module, "__all__")
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and own:
            out.append((name, obj))
    return out


def _doc(obj: Any) -> str:
    return inspect.getdoc(obj) or "*(no docstring)*"


def _first_line(obj: Any) -> str:
    return (inspect.getdoc(obj) or "").split("\n")[0]


def _api_entries(module: Any, level: str, skip: tuple[Any, ...] = ()) -> list[str]:
    parts = []
    for name, obj in _public(module):
        if any(obj is s for s in skip):
            continue
        kind = "class " if inspect.isclass(obj) else ""
        parts += [f"{level} {kind}`{name}`", "", "```python", f"{name}{signature(obj)}", "```"]
        parts += ["", _doc(obj), ""]
        if inspect.isclass(obj):
            parts += [*_member_lines(obj), ""]
    return parts


def _member_lines(cls: type) -> list[str]:
    """A line per public method or property a class defines, with its docstring's first line."""
    out = []
    for n, m in vars(cls).items():
        if n.startswith("_") or not (inspect.isfunction(m) or isinstance(m, property)):
            continue
        first = _first_line(m)
        what = f"`{n}` (property)" if isinstance(m, property) else f"`{n}{signature(m)}`"
        out.append(f"- {what}{': ' + first if first else ''}")
    return out


@block("api-reference")
def api_reference(site: Site, uri: str, arg: str | None) -> str:
    """The public functions and classes of every module of the package, from their docstrings."""
    import eaeu_facts

    parts = []
    top = tuple(obj for _, obj in _public(eaeu_facts)) if hasattr(eaeu_facts, "__all__") else ()
    if top:
        parts += ["## `eaeu_facts`", "", _doc(eaeu_facts), "", *_api_entries(eaeu_facts, "###")]
    # Every module of the stage packages, each package under its own heading first; of the
    # docs package (this generator), its face only.
    modules = pkgutil.walk_packages(eaeu_facts.__path__, "eaeu_facts.")
    for info in sorted(modules, key=lambda m: m.name):
        parts_of = info.name.split(".")
        if any(p.startswith("_") for p in parts_of) or info.name.startswith("eaeu_facts.docs."):
            continue
        module = importlib.import_module(info.name)
        parts += [f"## `{info.name}`", "", _doc(module), ""]
        parts += _api_entries(module, "###", skip=top)
    return "\n".join(parts)


@block("candidates-json")
def candidates_json(site: Site, uri: str, arg: str | None) -> str:
    """The fields of `eaeu-facts candidates --format json`, from the finder's own table of
    them (read/candidates.py's FIELDS), which a test holds to the keys the command writes."""
    from eaeu_facts.read.candidates import FIELDS

    rows = [f"| `{name}` | {text} |" for name, text in FIELDS.items()]
    return "\n".join(["| Key | Meaning |", "|---|---|", *rows])
