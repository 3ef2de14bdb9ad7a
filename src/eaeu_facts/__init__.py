"""eaeu-facts."""

from eaeu_facts.api import connect, load

__all__ = ["connect", "load"]
