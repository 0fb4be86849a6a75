"""Date, money and number normalisers on expressions we compose."""

from __future__ import annotations

import pytest
from spacy.language import Language

from bilateral.values.dates import resolve_date
from bilateral.values.money import parse_money
from bilateral.values.numbers import parse_percent, parse_quantity

from .conftest import composed_events


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("in 2019", None, "2019"),
        ("April 2022", None, "2022-04"),
        ("July 1, 2024", None, "2024-07-01"),
        ("1 July 2024", None, "2024-07-01"),
        ("mid-September 2018", None, "2018-09"),
        ("last May", "2025", "2024-05"),
        ("this past May", "2025-07", "2025-05"),
        ("later this month", "2025-07-15", "2025-07"),
        ("last month", "2025-01-10", "2024-12"),
        ("on Saturday", "2025-07-15", "2025-07-12"),
        ("on Tuesday", "2025-07-15", "2025-07-15"),  # a Tuesday's article: that day, not a week before
        ("last Tuesday", "2025-07-15", "2025-07-08"),
        ("next Tuesday", "2025-07-15", "2025-07-22"),
        ("on Wednesday", "2025-07-15", "2025-07-09"),
        ("24 November", "2025-11", "2025-11-24"),
        ("the second half of July", "2025-07-15", "2025-07"),
        ("last July", "2025-07-15", "2024-07"),
        ("recent years", "2025", None),
        ("over ten days", "2025", None),
        ("the 1990s", None, None),
        ("next year", "2025-03", "2026"),
        ("2024-07", None, "2024-07"),  # an ISO month keeps its month
        ("2024-13", None, "2024"),
        ("about two years ago", "2024-11-24", "2022"),  # the unit's precision, not a guessed month
        ("a year ago", "2017-10-05", "2016"),
        ("three months ago", "2024-02-10", "2023-11"),
        ("ten days ago", "2024-03-05", "2024-02-24"),
        ("two years ago", None, None),  # no publication date: no date
        ("a month ago", "2024", None),  # a month before a year-only date is unknown
        ("earlier this year", "2024-11-24", "2024"),
        ("last month", "2024-01-15", "2023-12"),
        ("for two years", "2024-11-24", None),  # a duration, not a point in time
    ],
)
def test_dates(text: str, published: str | None, expected: str | None) -> None:
    assert resolve_date(text, published) == expected


@pytest.mark.parametrize(
    ("text", "type_", "expected"),
    [
        ("Chile and Norway signed a trade agreement in Oslo on Monday.", "agreement", "2024-05-13"),
        ("The defence ministers of Kenya and Peru met in Lima on Monday.", "meeting", "2024-05-13"),
        ("The defence ministers of Kenya and Peru met in Lima on Sunday.", "meeting", "2024-05-12"),
        ("The defence ministers of Kenya and Peru met in Lima last Monday.", "meeting", "2024-05-06"),
    ],
)
def test_a_weekday_in_sentences_of_an_article_published_on_a_monday(
    nlp: Language, text: str, type_: str, expected: str
) -> None:
    """Bare weekdays name the latest such day up to the publication date, the day itself included."""
    assert [e.date for e in composed_events(nlp, text, "2024-05-13") if e.type == type_] == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€5.13 billion", {"amount": 5_130_000_000, "currency": "EUR"}),
        ("$1 billion", {"amount": 1_000_000_000, "currency": "USD"}),
        ("€170 million", {"amount": 170_000_000, "currency": "EUR"}),
        ("USD 5 billion", {"amount": 5_000_000_000, "currency": "USD"}),
        ("5 billion euros", {"amount": 5_000_000_000, "currency": "EUR"}),
        ("$1bn", {"amount": 1_000_000_000, "currency": "USD"}),
        ("billions of dollars", None),
        ("EUR 1,5 Mrd", {"amount": 1_500_000_000, "currency": "EUR"}),  # decimal comma, scale word
        ("EUR 2.500.000", {"amount": 2_500_000, "currency": "EUR"}),
        ("BAM 20 million", {"amount": 20_000_000, "currency": "BAM"}),  # any ISO 4217 code (CLDR)
        ("3 million Bosnia-Herzegovina convertible marks", {"amount": 3_000_000, "currency": "BAM"}),
        ("20 million Serbian dinars", {"amount": 20_000_000, "currency": "RSD"}),
        ("US$ 300 million", {"amount": 300_000_000, "currency": "USD"}),
        ("RMB 2 billion", {"amount": 2_000_000_000, "currency": "CNY"}),
        ("₩5 billion", {"amount": 5_000_000_000, "currency": "KRW"}),
        ("and 5 million people", None),
    ],
)
def test_money(text: str, expected: object) -> None:
    assert parse_money(text) == expected


def test_numbers() -> None:
    assert [parse_quantity(t) for t in ("six", "18", "a dozen", "twenty-five", "2,000")] == [
        6,
        18,
        12,
        25,
        2000,
    ]
    assert parse_quantity("several") is None
    assert parse_percent("acquired 63% of") == 63


def test_find_money_gives_every_amount_with_its_span() -> None:
    from bilateral.values.money import find_money

    text = "a $ 4.5-bn deal, a JPY50bn loan and 3.06 bn Bangladeshi taka, not 2023 dollars"
    found = [(text[s:e], v["amount"], v["currency"]) for s, e, v in find_money(text)]
    assert found == [
        ("$ 4.5-bn", 4_500_000_000, "USD"),
        ("JPY50bn", 50_000_000_000, "JPY"),
        ("3.06 bn Bangladeshi taka", 3_060_000_000, "BDT"),
    ]


def test_a_verb_before_a_number_is_no_currency() -> None:
    from bilateral.values.money import find_money

    assert [v for _, _, v in find_money("Serbia won 5 million euros in grants")] == [
        {"amount": 5_000_000, "currency": "EUR"}
    ]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Sukhoi Su-35", "Su-35", True),  # with or without the maker
        ("T129 ATAK helicopters", "T129", True),  # with or without the name
        ("CH-92", "CH-92A", True),  # one letter of variant
        ("Su-35", "Su-30", False),
        ("Wing Loong II", "Wing Loong", False),  # no designation: the whole name
        ("HQ-22", "FK-3", False),
    ],
)
def test_one_system_however_written(a: str, b: str, same: bool) -> None:
    from bilateral.values.names import same_system, system_stem

    assert same_system(a, b) is same
    if same:  # fusion compares only reports that share a block
        assert system_stem(a) == system_stem(b)
