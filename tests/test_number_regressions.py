"""Patterns that public libraries get wrong (cn2an, chinese2digits, JioNLP, Recognizers-Text).

Each case states the library failure and the answer jjnlp must give.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from jjnlp.metrics import extract_metrics
from jjnlp.numbers import parse_quantity
from jjnlp.readers import read
from jjnlp.structure import parse_outline


def _metrics(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    document = read(path)
    outline = parse_outline(document)
    metrics, terms = extract_metrics(document, outline)
    return document, outline, metrics, terms


def test_months_range_is_four_months_not_the_year(tmp_path: Path) -> None:
    # JioNLP reads 2023年1-4月 as all of 2023.
    _, outline, metrics, _ = _metrics(tmp_path, "2023年1-4月，共立案72件。\n")
    period = outline.periods[0]
    assert (period.start_date, period.end_date) == (date(2023, 1, 1), date(2023, 4, 30))
    assert [m.text for m in metrics] == ["72件"]  # the dates are not figures
    assert metrics[0].period and metrics[0].period.text == "2023年1-4月"


def test_percentage_points_are_not_percent() -> None:
    # Recognizers-Text reads 12.5个百分点 as 12.5%.
    q = parse_quantity("12.5个百分点")
    assert (q.kind, q.unit, q.value, q.decimals) == (
        "percentage_point",
        "个百分点",
        Decimal("12.5"),
        1,
    )


def test_yu_keeps_the_lower_bound() -> None:
    # Several libraries drop 余 and report a point value.
    q = parse_quantity("80余份")
    assert q.approx == "more_than"
    assert (q.interval.low, q.interval.low_closed) == (Decimal(80), False)


def test_forty_point_zero_percent_keeps_its_decimal() -> None:
    # chinese2digits turns 40.0% into 0.4 and loses the decimal a precision check needs.
    q = parse_quantity("40.0%")
    assert (q.value, q.decimals, q.unit) == (Decimal("40.0"), 1, "%")
    assert (q.interval.low, q.interval.high) == (Decimal("39.95"), Decimal("40.05"))


def test_slogan_with_numerals_is_a_term_not_a_figure(tmp_path: Path) -> None:
    _, _, metrics, terms = _metrics(tmp_path, "制发“两函一书”2份，坚持“三不腐”一体推进。\n")
    assert [m.text for m in metrics] == ["2份"]
    assert [t.text for t in terms] == ["两函一书", "三不腐"]


def test_money_range_in_wan() -> None:
    q = parse_quantity("1.2万至1.5万元")
    assert (q.value, q.high, q.unit, q.kind) == (
        Decimal("12000.0"),
        Decimal("15000.0"),
        "元",
        "money",
    )
