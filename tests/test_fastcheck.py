"""The column-wise proof of a sound package keeps step with the row-by-row rules."""

from eaeu_facts import fastcheck, rules


def test_every_row_rule_has_a_column_wise_counterpart():
    # A rule added to rules.py without one here would let the fast path pass a package
    # that the row-by-row checks reject.
    assert [r.__name__ for r in fastcheck.RULES] == [r.__name__ for r in rules.RULES]
