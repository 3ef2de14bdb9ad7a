"""Drafting the facts of a new source for a curator to confirm: the gazetteer the drafter
knows the world by, and the drafter. Imports model/ and read/ (the lexicon, the finder)."""
