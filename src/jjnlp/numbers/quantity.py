"""Stated quantities in running text: number, qualifiers, range, unit, and their interval.

The grammar, in order: an optional prefix qualifier (近, 约, 超过, 不少于 …), a number,
an optional 余/多, an optional range end (``-``/``至``/``到`` and a second number), a
unit or classifier from ``units.toml``, and an optional suffix (以上, 以下, 左右).
Percentages may also be written 百分之七十五; fractions 三分之二 or 2/3.

What a stated value stands for (``Interval``):
- an integer count, 元 amount or duration (72件, 6850元) is exact;
- a fraction (三分之二, 2/3) is the exact quotient, to Decimal precision;
- a value with decimals or a magnitude (38.4%, 3.5万元) is the rounding interval
  ``±0.5·10^-k`` of its last written digit;
- 余/多 (80余份): above the value, below the next step of its last non-zero digit, (80, 90);
- 约/左右: ±half a step of the last non-zero digit; 近/不到: below the value;
- 超过/逾: above; 以上/不少于/至少: at least; 以下/不超过: at most; a range a–b: [a, b].
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from jjnlp.model import Interval
from jjnlp.numbers.parse import Number, parse_number
from jjnlp.resources import load_toml
from jjnlp.zh.text import ARABIC_DIGITS, DASHES, DIGIT_CHARS, NUMERAL_CHARS, RANGE_WORDS

_ARABIC = rf"[{ARABIC_DIGITS}]+(?:,[0-9]{{3}})*(?:[.．][{ARABIC_DIGITS}]+)?"
_CHINESE = rf"[{NUMERAL_CHARS}]+(?:点[{DIGIT_CHARS}]+[万亿]*)?"
# a magnitude before 元 is left to the unit (3万元 reads 3 + 万元), elsewhere it scales the
# number (1.5万人次)
_NUMBER = rf"(?:{_ARABIC}(?:[万亿千](?!元))*|{_CHINESE})"
_DASH = rf"[{re.escape(DASHES)}{RANGE_WORDS}]"


@dataclass(frozen=True, slots=True)
class Quantity:
    """One stated quantity, located in its text."""

    start: int
    end: int
    text: str
    value: Decimal  # in the canonical unit; the low end of a range
    high: Decimal | None  # the high end of a range
    unit: str  # canonical unit (元, %, 个百分点, 件 …)
    stated_unit: str
    kind: str  # count | money | percent | percentage_point | ratio | duration
    decimals: int
    approx: str | None
    interval: Interval
    chinese: bool  # written in Chinese numerals


@cache
def _units() -> dict[str, dict[str, Any]]:
    config = load_toml("units.toml")
    units: dict[str, dict[str, Any]] = dict(config["units"])
    for classifier in config["counts"]["classifiers"]:
        units.setdefault(classifier, {"kind": "count", "canonical": classifier})
    return units


@cache
def _qualifiers() -> tuple[dict[str, str], dict[str, str]]:
    config = load_toml("units.toml")["qualifiers"]
    return dict(config["prefix"]), dict(config["suffix"])


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _pattern() -> re.Pattern[str]:
    prefix, suffix = _qualifiers()
    units = _alternation(list(_units()))
    return re.compile(
        rf"(?P<prefix>{_alternation(list(prefix))})?"
        rf"(?:"
        rf"(?P<pct_cn>百分之(?P<pct_num>{_NUMBER}))"
        rf"|(?P<frac>(?P<den>{_CHINESE})分之(?P<nom>{_CHINESE}))"
        rf"|(?<![0-9/.])(?P<slash>(?P<nom2>[0-9]{{1,4}})/(?P<den2>[0-9]{{1,4}}))(?![0-9/.])"
        rf"|(?P<num>{_NUMBER})(?P<more>[余多])?(?:(?P<dash>{_DASH})(?P<num2>{_NUMBER}))?"
        rf"(?P<unit>{units})"
        rf")"
        rf"(?P<suffix>{_alternation(list(suffix))})?"
    )


def _step(number: Number) -> Decimal:
    """One unit of the last non-zero written digit (80 → 10, 6000 → 1000, 38.4 → 0.1)."""
    if number.decimals:
        return Decimal(1).scaleb(-number.decimals) * number.scale
    digits = int(number.value / number.scale)
    step = 1
    while digits and digits % 10 == 0:
        digits //= 10
        step *= 10
    return Decimal(step) * number.scale


def _interval(
    number: Number,
    value: Decimal,
    factor: Decimal,
    approx: str | None,
    high: Decimal | None,
    exact_integer: bool,
    yu: bool,
) -> Interval:
    step = _step(number) * factor
    if high is not None:
        return Interval(value, high)
    if approx == "more_than" and yu:  # 80余: above 80, below the next step
        return Interval(value, value + step, low_closed=False, high_closed=False)
    if approx == "more_than":
        return Interval(value, None, low_closed=False)
    if approx == "less_than":
        return Interval(None, value, high_closed=False)
    if approx == "about":
        return Interval(value - step / 2, value + step / 2)
    if approx == "at_least":
        return Interval(value, None)
    if approx == "at_most":
        return Interval(None, value)
    if exact_integer:
        return Interval(value, value)
    half = Decimal(1).scaleb(-number.decimals) * number.scale * factor / 2
    return Interval(value - half, value + half)


def _bounded(value: Decimal, approx: str | None) -> Interval:
    """An exact value under a qualifier with no rounding step (三分之二以上)."""
    if approx in ("more_than", "at_least"):
        return Interval(value, None, low_closed=approx == "at_least")
    if approx in ("less_than", "at_most"):
        return Interval(None, value, high_closed=approx == "at_most")
    return Interval(value, value)


def _build(match: re.Match[str], offset: int = 0) -> Quantity | None:
    prefix_words, suffix_words = _qualifiers()
    approx = prefix_words.get(match["prefix"] or "") or suffix_words.get(match["suffix"] or "")
    if match["pct_cn"]:
        number = parse_number(match["pct_num"])
        spec: dict[str, Any] = {"kind": "percent", "canonical": "%"}
        stated_unit, high, chinese, yu = "%", None, True, False
    elif match["frac"] or match["slash"]:
        den, nom = (
            (parse_number(match["den"]).value, parse_number(match["nom"]).value)
            if match["frac"]
            else (Decimal(match["den2"]), Decimal(match["nom2"]))
        )
        if den == 0:
            return None
        value = nom / den
        return Quantity(
            offset + match.start(),
            offset + match.end(),
            match.group(),
            value,
            None,
            "ratio",
            "分之" if match["frac"] else "/",
            "ratio",
            0,
            approx,
            _bounded(value, approx),
            bool(match["frac"]),
        )
    else:
        yu = bool(match["more"])
        number = parse_number(match["num"])
        stated_unit = match["unit"]
        spec = _units()[stated_unit]
        chinese = not match["num"][0].isdigit() and not "０" <= match["num"][0] <= "９"
        if match["more"]:
            approx = "more_than"
        high = None
        if match["num2"]:
            second = parse_number(match["num2"])
            high = second.value
    factor = Decimal(spec.get("factor", "1"))
    # the low end of a range that states its own magnitude (1.2万至1.5万元) is not scaled
    # again by the unit the high end carries; elsewhere both apply (2万亿元)
    own_scale = high is not None and number.scale != 1
    value = number.value * (Decimal(1) if own_scale else factor)
    if high is not None:
        high = high * factor
        if high < value:
            return None
    # whole counts, whole 元 and whole days are exact; a rounded 万元 or percent is not
    exact_integer = (
        spec["kind"] in ("count", "money", "duration")
        and number.decimals == 0
        and number.scale == 1
        and factor == 1
    )
    return Quantity(
        start=offset + match.start(),
        end=offset + match.end(),
        text=match.group(),
        value=value,
        high=high,
        unit=spec["canonical"],
        stated_unit=stated_unit,
        kind=spec["kind"],
        decimals=number.decimals,
        approx=approx,
        interval=_interval(
            number,
            value,
            Decimal(1) if own_scale else factor,
            approx,
            high,
            exact_integer,
            yu,
        ),
        chinese=chinese,
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every stated quantity in ``text``, left to right, non-overlapping (longest first)."""
    found = []
    for match in _pattern().finditer(text):
        try:
            quantity = _build(match)
        except (ValueError, ArithmeticError):
            continue
        if quantity is not None:
            found.append(quantity)
    return found


def parse_quantity(text: str) -> Quantity:
    """The quantity that ``text`` is, whole; ``ValueError`` otherwise.

    >>> q = parse_quantity("80余份"); (q.value, q.unit, q.approx, q.interval.low, q.interval.high)
    (Decimal('80'), '份', 'more_than', Decimal('80'), Decimal('90'))
    """
    match = _pattern().fullmatch(text.strip())
    quantity = _build(match) if match else None
    if quantity is None:
        raise ValueError(f"not a quantity: {text!r}")
    return quantity
