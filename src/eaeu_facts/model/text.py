"""The characters no text of the dataset may hold, written once for every engine that reads
them: Python's `re` (where a value is reported), polars (the schema checks, on every path)
and the curated files' reader.

Refused: control characters (a line break only where a field's schema says `multiline`),
bidirectional embeddings, overrides and isolates, which make a reader see text in another
order than it is stored (the "Trojan Source" attack), and other invisible format characters
(zero-width space, word joiner, byte order mark, tags, blank Hangul fillers, variation
selectors...), and in a text of one line, the line and paragraph separators. Kept: what
Arabic print uses, the zero-width non-joiner and joiner, the left-to-right, right-to-left and
Arabic letter marks and the Arabic number signs. Unpaired surrogates cannot be stored as
UTF-8 at all: the reader of curated files refuses them (`surrogate_at`).
"""

from __future__ import annotations

import re
import unicodedata

# One character class in the syntax Python's `re` and polars' (Rust's) regex both read.
_REFUSED = (
    r"\x00-\x09\x0B-\x1F\x7F-\x9F"  # C0 (but the line feed) and C1 controls, DEL
    r"\u00AD\u180E\u200B"  # soft hyphen, Mongolian vowel separator, zero-width space
    r"\u034F\u115F\u1160\u3164\uFFA0"  # grapheme joiner, Hangul fillers (blank letters)
    r"\uFE00-\uFE0F"  # variation selectors
    r"\u202A-\u202E"  # bidi embeddings and overrides
    r"\u2060-\u2064\u2066-\u206F"  # word joiner, invisible operators; bidi isolates
    r"\uFEFF\uFFF9-\uFFFB"  # byte order mark, interlinear annotations
    r"\U00013430-\U0001343F\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A"
    r"\U000E0001\U000E0020-\U000E007F"  # tags
)
REFUSED = f"[{_REFUSED}]"
REFUSED_IN_ONE_LINE = f"[{_REFUSED}\\n\\u2028\\u2029]"  # line and paragraph separators too
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Compiled once: `re`'s own cache drops its oldest pattern first, and the drafter's many
# patterns push this large class out of it, to be compiled again (milliseconds) on each use.
_COMPILED = {True: re.compile(REFUSED), False: re.compile(REFUSED_IN_ONE_LINE)}

EXPECTED = (
    "text without control characters, bidi embeddings, overrides or isolates, or invisible "
    "format characters"
)


def pattern(multiline: bool) -> str:
    """The class of characters a field refuses (a line break too unless `multiline`)."""
    return REFUSED if multiline else REFUSED_IN_ONE_LINE


def refused_at(value: str, multiline: bool = False) -> str | None:
    """Where the first refused character of a value stands, in words, or None."""
    found = _COMPILED[multiline].search(value)
    return _described(value, found.start()) if found else None


def surrogate_at(value: str) -> str | None:
    """Where the first unpaired surrogate of a value stands, in words, or None."""
    found = _SURROGATE.search(value)
    return _described(value, found.start()) if found else None


def _described(value: str, at: int) -> str:
    char = value[at]
    kind = {"Cs": "a surrogate", "Cc": "a control character"}
    name = unicodedata.name(char, kind.get(unicodedata.category(char), "unnamed"))
    return f"<U+{ord(char):04X} ({name}) at character {at + 1} of {value[:40]!r}>"
