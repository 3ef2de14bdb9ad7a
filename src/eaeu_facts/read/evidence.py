"""Evidence spans: where in the unmodified source text each fact's words stand.

Curators write the words; the build finds them. Offsets are Python string indices, that is
Unicode code points, on the text decoded from the file's exact bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from eaeu_facts.model.errors import Problems


@dataclass(frozen=True)
class Span:
    start: int
    end: int


class EvidenceError(ValueError):
    """The evidence cannot be placed; the message says what was found and expected."""

    def __init__(self, found: str, expected: str) -> None:
        super().__init__(f"found {found}, expected {expected}")
        self.found = found
        self.expected = expected


def occurrences(text: str, evidence: str) -> list[int]:
    """Start offsets of every occurrence, overlapping ones included."""
    if not evidence:
        return []
    starts = []
    at = text.find(evidence)
    while at != -1:
        starts.append(at)
        at = text.find(evidence, at + 1)
    return starts


def locate(text: str, evidence: str, occurrence: int | None = None) -> Span:
    """The span of the evidence; `occurrence` (1-based) is required when it is not unique."""
    if not isinstance(evidence, str) or not evidence:
        raise EvidenceError(repr(evidence), "a non-empty string copied verbatim from the source")
    starts = occurrences(text, evidence)
    if not starts:
        raise EvidenceError(
            f"no occurrence of {_brief(evidence)}", "the evidence verbatim in the source text"
        )
    if occurrence is None:
        if len(starts) > 1:
            raise EvidenceError(
                f"{len(starts)} occurrences of {_brief(evidence)}",
                f"'occurrence' (1 to {len(starts)}) to say which",
            )
        occurrence = 1
    if isinstance(occurrence, bool) or not isinstance(occurrence, int):
        raise EvidenceError(repr(occurrence), f"an occurrence number from 1 to {len(starts)}")
    if not 1 <= occurrence <= len(starts):
        raise EvidenceError(f"occurrence {occurrence}", f"a number from 1 to {len(starts)}")
    start = starts[occurrence - 1]
    return Span(start, start + len(evidence))


def span_matches(text: str, start: int, end: int, evidence: str) -> bool:
    """True when the recorded offsets slice the text back to the evidence."""
    return 0 <= start < end <= len(text) and text[start:end] == evidence


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _brief(text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return repr(shown)


def edited(path: str, digest: str, recorded: str, rows: int, problems: Problems) -> None:
    """One line for a source text whose bytes are not those its record names (`recorded`
    says which and where), with the number of rows citing it, in place of a line for each
    of their evidence spans."""
    cite = f"{rows} row{'s' if rows != 1 else ''} cite{'s' if rows == 1 else ''} it"
    expected = f"{recorded} ({cite}; a source is never edited once facts cite it)"
    problems.add(path, None, "sha256", digest, expected)
