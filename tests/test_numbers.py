"""Exact number normalisation: properties over the whole range, and the stated forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jjnlp.model import Interval
from jjnlp.numbers import find_quantities, parse_number, parse_quantity, to_chinese


@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_numerals_round_trip(value: int) -> None:
    assert parse_number(to_chinese(value)).value == value


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_with_thousands_separators_round_trips(value: int) -> None:
    assert parse_number(f"{value:,}").value == value
    assert parse_number(str(value)).value == value


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=6))
def test_decimals_are_kept_exactly(whole: int, places: int) -> None:
    text = f"{whole}.{'0' * places}" if places else str(whole)
    number = parse_number(text)
    assert number.decimals == places
    assert str(number.value) == text
    percent = parse_quantity(text + "%")
    assert (percent.value, percent.decimals, percent.unit) == (Decimal(text), places, "%")


@given(st.integers(min_value=1, max_value=99_999))
def test_full_width_digits_read_like_ascii(value: int) -> None:
    full = str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full).value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十二", 12),
        ("两百", 200),
        ("三千五百", 3500),
        ("一千零八", 1008),
        ("〇", 0),
        ("零", 0),
        ("三亿五千万", 350_000_000),
        ("二〇二四", 2024),
        ("3.5万", 35000),
        ("1.2亿", 120_000_000),
        ("三点五万", 35000),
        ("零点五", Decimal("0.5")),
        ("百万", 1_000_000),
    ],
)
def test_stated_numbers(text: str, value: int | Decimal) -> None:
    assert parse_number(text).value == value


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind", "approx", "low", "high"),
    [
        ("80余份", "80", "份", "count", "more_than", "80", "90"),
        ("6000余人次", "6000", "人次", "count", "more_than", "6000", "7000"),
        ("三十余人", "30", "人", "count", "more_than", "30", "40"),
        ("近3000万元", "30000000", "元", "money", "less_than", None, "30000000"),
        ("约200人", "200", "人", "count", "about", "150", "250"),
        ("100人以上", "100", "人", "count", "at_least", "100", None),
        ("不少于3次", "3", "次", "count", "at_least", "3", None),
        ("超过50%", "50", "%", "percent", "more_than", "50", None),
        ("3-5人", "3", "人", "count", None, "3", "5"),
        ("三至五人", "3", "人", "count", None, "3", "5"),
        ("百分之七十五", "75", "%", "percent", None, "74.5", "75.5"),
        ("38.4%", "38.4", "%", "percent", None, "38.35", "38.45"),
        ("72件", "72", "件", "count", None, "72", "72"),
        ("236.5万元", "2365000", "元", "money", None, "2364500", "2365500"),
        ("1.5万人次", "15000", "人次", "count", None, "14500", "15500"),
        ("2万亿元", "2000000000000", "元", "money", None, "1500000000000", "2500000000000"),
        ("10余万元", "100000", "元", "money", "more_than", "100000", "200000"),
        ("5万余元", "50000", "元", "money", "more_than", "50000", "60000"),
        ("3-5万元", "30000", "元", "money", None, "30000", "50000"),
        ("3个工作日", "3", "个工作日", "duration", None, "3", "3"),
    ],
)
def test_quantity_intervals(
    text: str,
    value: str,
    unit: str,
    kind: str,
    approx: str | None,
    low: str | None,
    high: str | None,
) -> None:
    q = parse_quantity(text)
    assert (q.value, q.unit, q.kind, q.approx) == (Decimal(value), unit, kind, approx)
    assert q.interval.low == (Decimal(low) if low else None)
    assert q.interval.high == (Decimal(high) if high else None)


def test_fraction_is_a_ratio() -> None:
    q = parse_quantity("三分之二")
    assert q.kind == "ratio" and abs(q.value - Decimal(2) / 3) < Decimal("1e-20")


def test_not_a_number_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_number("若干")
    with pytest.raises(ValueError):
        parse_quantity("很多人")


def test_arabic_fraction_is_a_ratio_but_a_date_is_not() -> None:
    q = parse_quantity("2/3")
    assert (q.kind, q.stated_unit) == ("ratio", "/")
    assert abs(q.value - Decimal(2) / 3) < Decimal("1e-20")
    assert [x.text for x in find_quantities("2024/5/3发布")] == []


def test_fraction_under_a_qualifier_is_bounded() -> None:
    q = parse_quantity("三分之二以上")
    assert (q.approx, q.interval.high, q.interval.low_closed) == ("at_least", None, True)


def test_whole_yuan_is_exact_but_wan_yuan_is_rounded() -> None:
    assert parse_quantity("6850元").interval == Interval(Decimal(6850), Decimal(6850))
    assert parse_quantity("5万元").interval == Interval(Decimal(45000), Decimal(55000))
