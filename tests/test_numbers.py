"""Reading printed figures: what the parser accepts, what it refuses, and that it never guesses."""

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from eaeu_facts.read.lexicon import SCALE_FORMS
from eaeu_facts.read.numbers import (
    Amount,
    FigureError,
    parse_amount,
    parse_number,
    parse_percent,
)

DIGITS = ("0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹")


@pytest.mark.parametrize(
    ("printed", "amount"),
    [
        ("27 مليار دولار أمريكي", Amount(Decimal(27 * 10**9), "USD", True)),
        ("8.7 مليار دولار", Amount(Decimal(87 * 10**8), "USD", False)),
        ("5 مليارات دولار أمريكي", Amount(Decimal(5 * 10**9), "USD", True)),
        ("١٬٥٠٠ مليون دولار أمريكي", Amount(Decimal(15 * 10**8), "USD", True)),
        ("١٢٫٥ مليون روبل", Amount(Decimal(125 * 10**5), "RUB", False)),
        ("مليار دولار", Amount(Decimal(10**9), "USD", False)),
        ("ملياري دولار", Amount(Decimal(2 * 10**9), "USD", False)),
        ("3 آلاف يورو", Amount(Decimal(3000), "EUR", True)),
        ("1,000,000 دولار", Amount(Decimal(10**6), "USD", False)),
        ("27 مليار دولار أميركي", Amount(Decimal(27 * 10**9), "USD", True)),
        ("2 مليار دولارٍ", Amount(Decimal(2 * 10**9), "USD", False)),
        ("27 مليار دولار كندي", Amount(Decimal(27 * 10**9), "CAD", True)),
        # One figure printed in parts, and a count of a scale word (#24).
        ("7 مليارات و300 مليون دولار أمريكي", Amount(Decimal(73 * 10**8), "USD", True)),
        ("ملياران و500 مليون روبل", Amount(Decimal(25 * 10**8), "RUB", False)),
        ("5 آلاف مليار روبل روسي", Amount(Decimal(5 * 10**12), "RUB", True)),
        ("ثلاثة مليارات يورو", Amount(Decimal(3 * 10**9), "EUR", True)),
        ("30 مليارًا من الدولارات", Amount(Decimal(30 * 10**9), "USD", False)),
        # What the finder reads, the parser reads (the lexicon is theirs alike).
        ("مليار ريال", Amount(Decimal(10**9), "SAR", False)),
        ("مليار ريال إيراني", Amount(Decimal(10**9), "IRR", True)),
        ("5 ملايين جنيه", Amount(Decimal(5 * 10**6), "EGP", False)),
        ("مليون درهم", Amount(Decimal(10**6), "AED", False)),
        ("800 مليون سوم", Amount(Decimal(8 * 10**8), "KGS", False)),
        ("800 مليون سوم أوزبكي", Amount(Decimal(8 * 10**8), "UZS", True)),
        ("812 مليار درام أرمني", Amount(Decimal(812 * 10**9), "AMD", True)),
        ("1.9 مليار سوموني", Amount(Decimal(19 * 10**8), "TJS", True)),
        ("500 مليون مانات أذربيجاني", Amount(Decimal(5 * 10**8), "AZN", True)),
        # A half or a quarter of the scale word before it, as the finder reads it.
        ("مليار ونصف المليار دولار", Amount(Decimal(15 * 10**8), "USD", False)),
        ("مليار ونصف دولار أمريكي", Amount(Decimal(15 * 10**8), "USD", True)),
        ("3 ملايين وربع المليون يورو", Amount(Decimal(325 * 10**4), "EUR", True)),
    ],
)
def test_printed_amounts_are_read_exactly(printed: str, amount: Amount) -> None:
    assert parse_amount(printed) == amount


@pytest.mark.parametrize(
    ("printed", "possible"),
    [
        ("مليار ريال", {"SAR", "IRR", "QAR", "OMR", "YER"}),
        ("مليار ريال إيراني", {"IRR"}),
        ("مليار روبل", {"RUB", "BYN"}),
        ("مليار يوان", {"CNY"}),
    ],
)
def test_bare_currency_words_may_mean_any_currency_of_that_name(
    printed: str, possible: set[str]
) -> None:
    """A curator may infer the Iranian rial from a bare «ريال» in Tehran (currency_basis
    inferred); the words alone still assume the Saudi one."""
    assert parse_amount(printed).possible == possible


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("27,0 مليار دولار", "not '27,0'"),
        ("1,00 دولار", "not '1,00'"),
        ("1,0000 دولار", "not '1,0000'"),
        ("05 دولار", "not '05'"),
        ("2٧ دولار", "not '2٧'"),
        ("1,000٬000 دولار", "not '1,000٬000'"),
        ("27. مليار دولار", "not '27.'"),
        ("27 مليار", "currency words that name a currency after the figure, not nothing"),
        ("27 مليار دينار", "not 'دينار'"),
        ("27 مليار دولار و", "not 'دولار و'"),
        ("مليارات دولار", "digits before a plural scale word"),
        ("5 ملياري دولار", "no digits before a dual scale word"),
        ("نحو 5 مليارات دولار", "an amount that starts with digits"),
    ],
)
def test_forms_it_would_have_to_guess_are_refused(printed: str, expected: str) -> None:
    with pytest.raises(FigureError) as exc:
        parse_amount(printed)
    assert expected in exc.value.expected


@pytest.mark.parametrize(
    ("printed", "value"),
    [("بنحو 4%", "4"), ("4.5 في المئة", "4.5"), ("%4", "4"), ("بنسبة ٤٫٥٪", "4.5")],
)
def test_printed_percentages_are_read(printed: str, value: str) -> None:
    assert parse_percent(printed) == Decimal(value)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("4", "a percent sign"), ("من 3 إلى 5%", "not 2"), ("4,5%", "not '4,5'")],
)
def test_percentages_without_one_clear_figure_are_refused(printed: str, expected: str) -> None:
    with pytest.raises(FigureError) as exc:
        parse_percent(printed)
    assert expected in exc.value.expected


def format_number(whole: int, fraction: str, digits: str, sep: str, mark: str) -> str:
    """A number as a source might print it: any digit script, grouped or not, any decimal mark."""
    text = f"{whole:,}".replace(",", sep) if sep else str(whole)
    text += mark + fraction if fraction else ""
    return text.translate(str.maketrans(DIGITS[0], digits))


numbers = st.tuples(
    st.integers(0, 10**15),
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=4)),
    st.sampled_from(DIGITS),
    st.sampled_from(["", ",", "٬"]),
    st.sampled_from([".", "٫"]),
)


@given(numbers)
@example((1500, "", DIGITS[1], "٬", "."))
def test_formatted_numbers_round_trip(number: tuple) -> None:
    whole, fraction, *_ = number
    assert parse_number(format_number(*number)) == Decimal(f"{whole}.{fraction or 0}")


# Currency words as printed, with the code and whether they name it unambiguously.
CURRENCIES = {
    "دولار أمريكي": ("USD", True),
    "من الدولارات الأمريكية": ("USD", True),
    "دولار": ("USD", False),
    "يورو": ("EUR", True),
    "روبل": ("RUB", False),
    "روبل بيلاروسي": ("BYN", True),
    "تنغي": ("KZT", True),
    "يوان": ("CNY", True),
    "درام": ("AMD", True),
    "سوم قرغيزي": ("KGS", True),
    "سوموني": ("TJS", True),
    "USD": ("USD", True),
    "€": ("EUR", True),
}


@given(numbers, st.sampled_from(sorted(SCALE_FORMS)), st.sampled_from(sorted(CURRENCIES)))
def test_formatted_amounts_round_trip(number: tuple, scale: str, currency: str) -> None:
    whole, fraction, *_ = number
    printed = f"{format_number(*number)} {scale} {currency}"
    multiplier, form = SCALE_FORMS[scale]
    if form == "du":
        with pytest.raises(FigureError):
            parse_amount(printed)
        return
    amount = parse_amount(printed)
    assert amount.value == Decimal(f"{whole}.{fraction or 0}") * multiplier
    assert (amount.currency, amount.explicit) == CURRENCIES[currency]


@given(
    numbers, st.sampled_from(["", "بنحو ", "أكثر من "]), st.sampled_from(["%", "٪", " في المئة"])
)
def test_formatted_percentages_round_trip(number: tuple, hedge: str, sign: str) -> None:
    whole, fraction, *_ = number
    printed = f"{hedge}{format_number(*number)}{sign}"
    assert parse_percent(printed) == Decimal(f"{whole}.{fraction or 0}")


@given(st.integers(1, 999), st.integers(0, 10**6), st.sampled_from([",", "٬"]))
def test_a_group_of_other_than_three_digits_is_refused(head: int, tail: int, sep: str) -> None:
    group = str(tail)
    if len(group) == 3:
        group += "0"
    with pytest.raises(FigureError):
        parse_number(f"{head}{sep}{group}")


# Pieces of printed figures in any order, mixed with any other characters.
figure_text = st.lists(
    st.one_of(
        st.sampled_from([*"0123456789٠١٢٣٤٥٦٧٨٩.,٫٬ %٪$€و", *SCALE_FORMS, *CURRENCIES]),
        st.characters(),
    )
).map("".join)


@given(figure_text)
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    for parse in (parse_amount, parse_percent, parse_number):
        try:
            parse(text)
        except FigureError as exc:
            assert exc.expected
