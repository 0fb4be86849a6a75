"""Date, money and number normalisers on expressions we compose."""

from __future__ import annotations

import pytest

from bilateral.values.dates import resolve_date
from bilateral.values.money import parse_money
from bilateral.values.numbers import parse_percent, parse_quantity


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
        ("24 November", "2025-11", "2025-11-24"),
        ("the second half of July", "2025-07-15", "2025-07"),
        ("last July", "2025-07-15", "2024-07"),
        ("recent years", "2025", None),
        ("over ten days", "2025", None),
        ("the 1990s", None, None),
        ("next year", "2025-03", "2026"),
    ],
)
def test_dates(text: str, published: str | None, expected: str | None) -> None:
    assert resolve_date(text, published) == expected


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
