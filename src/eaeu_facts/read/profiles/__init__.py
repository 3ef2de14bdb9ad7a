"""What the Data Package v2 profiles (JSON Schema, vendored beside this file: see README.md)
refuse in a descriptor, each as (field, found, expected), the field a path into the descriptor
such as `resources[people].schema.fields[2].name` and the expectation in plain words.

The package, each resource, each table schema and each field are held to their own part of the
profiles, so that every error is located where it is: a field to the branch of the profile for
its type (the profile's `oneOf` over the types, of which only that branch can hold). The
validators are compiled once, on first use; jsonschema is imported then too.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Fault = tuple[str, Any, str]

_HERE = Path(__file__).resolve().parent

# A key shown as it is in a field's path; any other (a hostile one may hold ': ' or a line
# break, or be long) is shown as <a property>, and its text as what was found.
_TAME = re.compile(r"[A-Za-z0-9_$@-]{1,64}")

_PYTHON: dict[str, Any] = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
    "null": type(None),
}
_TYPES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}
# The profiles' patterns, in words.
_PATTERNS = {
    r"^((?=[^./~])(?!file:)((?!\/\.\.\/)(?!\\)(?!:\/\/).)*|(http|ftp)s?:\/\/.*)$": (
        "a relative POSIX path (not starting with '.', '/' or '~'; no '/../', backslash, "
        "'file:' or '://') or an http(s) or ftp(s) URL"
    ),
    r"^(.+)/(.+)$": "a media type, such as text/csv",
    r"^([-a-zA-Z0-9._])+$": "letters, digits, '-', '.' and '_' only",
    r"^([^:]+:[a-fA-F0-9]+|[a-fA-F0-9]{32}|)$": (
        "an algorithm and hexadecimal digits, such as sha256:..., or an MD5 digest"
    ),
}
_FORMATS = {
    "date-time": "a date and time with its offset, such as 2026-01-31T12:00:00Z",
    "email": "an email address",
}
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}")


def step(key: str | int) -> str:
    """One step of a field's path: [2] for an item, .name for a property."""
    if isinstance(key, int):
        return f"[{key}]"
    return f".{key}" if _TAME.fullmatch(key) else ".<a property>"


def tame(name: Any) -> bool:
    """Whether a name can stand in a field's path as it is."""
    return isinstance(name, str) and _TAME.fullmatch(name) is not None


def faults(descriptor: dict[str, Any], labels: Sequence[str]) -> Iterator[Fault]:
    """Everything the profiles refuse in the descriptor, the resources named by `labels` (one
    per resource, as the other problems name them)."""
    held = _validators()
    yield from _errors(held.package, descriptor, "")
    resources = descriptor.get("resources")
    if not isinstance(resources, list):
        return
    for label, res in zip(labels, resources, strict=False):
        if not isinstance(res, dict):
            continue
        where = f"resources[{label}]"
        yield from _errors(held.resource, res, where)
        schema = res.get("schema")
        if not isinstance(schema, dict):
            continue
        yield from _errors(held.schema, schema, f"{where}.schema")
        fields = schema.get("fields")
        for j, f in enumerate(fields if isinstance(fields, list) else []):
            if not isinstance(f, dict):
                continue
            kind = f.get("type", "string")
            branch = held.fields.get(kind) if isinstance(kind, str) else None
            at = f"{where}.schema.fields[{j}]"
            if branch is None:
                yield f"{at}.type", kind, f"one of {', '.join(held.fields)}"
            else:
                yield from _errors(branch, f, at)


@dataclass(frozen=True)
class _Validators:
    package: Any
    resource: Any
    schema: Any
    fields: dict[str, Any]  # by field type


@functools.cache
def _validators() -> _Validators:
    """Each part of the profiles, compiled once: the package without its resources, a
    resource without its schema, a schema without its fields, and a field of each type."""
    from jsonschema import Draft7Validator, FormatChecker

    formats = FormatChecker(formats=())
    formats.checks("date-time")(_is_datetime)
    formats.checks("email")(_is_email)
    package, resource, schema = (
        _relaxed(name, json.loads((_HERE / f"{name}.json").read_text(encoding="utf-8")))
        for name in ("datapackage", "dataresource", "tableschema")
    )
    branches = schema["properties"]["fields"]["items"]["oneOf"]
    schema["properties"]["fields"]["items"] = {"type": "object"}
    fields = {}
    for branch in branches:
        for kind in branch["properties"]["type"]["enum"]:
            fields[kind] = Draft7Validator(branch, format_checker=formats)
    return _Validators(
        Draft7Validator(package, format_checker=formats),
        Draft7Validator(resource, format_checker=formats),
        Draft7Validator(schema, format_checker=formats),
        fields,
    )


def _relaxed(name: str, profile: dict[str, Any]) -> dict[str, Any]:
    """A profile with the parts held elsewhere taken out, and the two rules Frictionless does
    not hold (README.md) relaxed: a resource of type `file`, an empty list of foreignKeys."""
    profile = copy.deepcopy(profile)
    properties = profile["properties"]
    if name == "datapackage":
        properties["resources"]["items"] = {"type": "object"}
    elif name == "dataresource":
        properties["schema"] = {"type": ["string", "object"]}
        properties["type"]["enum"] = [*properties["type"]["enum"], "file"]
    else:
        properties["foreignKeys"].pop("minItems")
    return profile


def _errors(validator: Any, instance: Any, prefix: str) -> Iterator[Fault]:
    for error in validator.iter_errors(instance):
        yield from _fault(error, prefix)


def _fault(error: Any, prefix: str) -> Iterator[Fault]:
    """An error of jsonschema as (field, found, expected), in words."""
    path = prefix + "".join(step(k) for k in error.absolute_path)
    rule, value, found = error.validator, error.validator_value, error.instance
    if rule in ("oneOf", "anyOf"):
        yield from _choice(error, prefix, path)
    elif rule == "required":
        properties = error.schema.get("properties", {})
        for key in value:
            if isinstance(found, dict) and key not in found:
                need = _TYPES.get(properties.get(key, {}).get("type"), "a value")
                yield _shown(path + step(key)), "<missing>", f"{need} (required)"
    else:
        yield _shown(path), found, _expected(rule, value)


def _choice(error: Any, prefix: str, path: str) -> Iterator[Fault]:
    """A value that is none (or more than one) of the forms a oneOf or anyOf allows."""
    forms = error.validator_value
    if all(set(form) == {"required"} for form in forms):  # sets of properties, one required
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [[k for k in form["required"] if k not in present] for form in forms]
        every = [k for k in missing[0] if all(k in m for m in missing)]
        if every:
            for key in every:
                yield _shown(path + step(key)), "<missing>", "a value (required)"
        elif not error.context:  # more than one form holds
            keys = sorted({k for form in forms for k in form["required"] if k in present})
            yield _shown(path), f"<{' and '.join(keys)}>", f"only one of {', '.join(keys)}"
        else:
            keys = [" and ".join(m) for m in missing if m]
            yield _shown(path), f"<no {' or '.join(keys)}>", f"one of {', '.join(keys)}"
        return
    if not error.context:
        yield _shown(path), error.instance, "a value of one form only"
        return
    fitting = [e for e in error.context if _fits(forms[e.relative_schema_path[0]], error.instance)]
    if not fitting:  # of none of the types the forms allow: any of them is expected
        kinds: list[str] = []
        for form in forms:
            for kind in _listed(form["type"]):
                if _TYPES.get(kind, kind) not in kinds:
                    kinds.append(_TYPES.get(kind, kind))
        yield _shown(path), error.instance, " or ".join(kinds)
        return
    from jsonschema.exceptions import best_match

    yield from _fault(best_match(fitting), prefix)


def _fits(form: dict[str, Any], value: Any) -> bool:
    """Whether a value is of a type a form of a oneOf or anyOf allows (any, if it names none)."""
    kinds = _listed(form.get("type", list(_PYTHON)))
    if isinstance(value, bool):  # not a number, to JSON
        return "boolean" in kinds
    return any(isinstance(value, _PYTHON.get(kind, ())) for kind in kinds)


def _shown(path: str) -> str:
    """A path as a problem's field: the descriptor itself where it is empty."""
    return path.removeprefix(".") or "datapackage.json"


def _expected(rule: str, value: Any) -> str:
    if rule == "type":
        return " or ".join(_TYPES.get(k, k) for k in _listed(value))
    if rule == "enum":
        return "one of " + ", ".join(repr(v) for v in value)
    if rule == "pattern":
        return _PATTERNS.get(value, f"a value matching {value}")
    if rule == "format":
        return _FORMATS.get(value, f"a {value}")
    if rule == "minItems":
        return "at least one item" if value == 1 else f"at least {value} items"
    if rule == "uniqueItems":
        return "no item twice"
    if rule == "minProperties":
        return "at least one property" if value == 1 else f"at least {value} properties"
    if rule == "minimum":
        return f"at least {value}"
    return f"what the Data Package profile's {rule} {json.dumps(value)[:60]} allows"


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_datetime(value: Any) -> bool:
    """RFC 3339, as JSON Schema's date-time (Frictionless reads `created` with dateutil)."""
    if not isinstance(value, str):
        return True
    if not _DATETIME.fullmatch(value):
        return False
    try:
        dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_email(value: Any) -> bool:
    return not isinstance(value, str) or _EMAIL.fullmatch(value) is not None
