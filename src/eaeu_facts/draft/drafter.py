"""The one interface a drafter sits behind: an article and what the dataset knows in, draft
facts with their evidence out (table -> entries, as a facts file holds them). The rule-based
drafter is one; another (statistical, or a language model a curator runs) is scored by the
same held-out set (draft/score.py) and swapped in here, with nothing else touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from eaeu_facts.draft.known import Known


@dataclass(frozen=True)
class Article:
    """A source text as `new` receives it, and the date its record gives, if any."""

    text: str
    published: dt.date | None = None


class Drafter(Protocol):
    name: str

    def draft(self, article: Article, known: Known) -> dict[str, list[dict[str, Any]]]:
        """The facts of the article: entries with their `evidence` (verbatim) and, where
        the evidence is printed more than once, its `occurrence`."""
        ...


class RuleDrafter:
    """Rules over the lexicon, the gazetteer and the fact finder (draft/assemble.py)."""

    name = "rules"

    def draft(self, article: Article, known: Known) -> dict[str, list[dict[str, Any]]]:
        from eaeu_facts.draft.assemble import assemble

        return assemble(article.text, known, article.published)


DRAFTERS: dict[str, Drafter] = {d.name: d for d in (RuleDrafter(),)}
