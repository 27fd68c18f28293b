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
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from jjnlp.model import Interval
from jjnlp.numbers.parse import Number, parse_number
from jjnlp.resources import load_toml
from jjnlp.zh.text import ARABIC_DIGITS, DASHES, DIGIT_CHARS, NUMERAL_CHARS, RANGE_WORDS

# Scanning is linear in the length of the text, whatever the text. Every repeat is bounded
# or possessive, and the search starts a number only where a run of digits (or of numerals)
# starts, or right where the previous quantity ended (``_matches``): on a run of 50,000
# digits the old pattern tried every start with every shorter length, n² steps. Starting
# inside a run finds nothing that starting at the run's first character did not (what may
# follow is the same from both), so the figures found are the same. In running text a run
# longer than a figure ever is (MAX_DIGITS digits, MAX_NUMERALS numerals) is no figure,
# not a cut one; ``parse_quantity``, given one quantity whole, takes any length.
MAX_DIGITS = 20
MAX_NUMERALS = 16
_D = f"[{ARABIC_DIGITS}]"
_N = f"[{NUMERAL_CHARS}]"
_DASH = rf"[{re.escape(DASHES)}{RANGE_WORDS}]"


def _numbers(run_start: bool, bounded: bool, numeral_units: str) -> tuple[str, str]:
    """Patterns of a number (Arabic or Chinese) and of a Chinese numeral.

    ``run_start``: only where a run of digits or numerals starts; ``bounded``: at most
    MAX_DIGITS digits, MAX_NUMERALS numerals, six thousands groups and four magnitudes."""
    digits, groups = (f"{{1,{MAX_DIGITS}}}+", "{0,6}+") if bounded else ("++", "*+")
    numerals, magnitudes = (f"{{1,{MAX_NUMERALS}}}", "{0,4}") if bounded else ("+", "*")
    # integer part, thousands groups and decimals: possessive, as nothing that may follow a
    # digit or a group is a digit or a comma; a magnitude before 元 is left to the unit
    # (3万元 reads 3 + 万元), elsewhere it scales the number (1.5万人次)
    arabic = (
        rf"{f'(?<!{_D})' if run_start else ''}{_D}{digits}(?!{_D})"
        rf"(?:,[0-9]{{3}}){groups}(?:[.．]{_D}++)?(?:[万亿千](?!元)){magnitudes}"
    )
    # not possessive: a numeral may hand its last characters to a unit (三万元 may be 三 +
    # 万元, 五百分点 is 五 + 百分点), so it ends where its run ends or where such a unit starts
    chinese = (
        rf"{f'(?<!{_N})' if run_start else ''}{_N}{numerals}(?:(?!{_N})|(?={numeral_units}))"
        rf"(?:点[{DIGIT_CHARS}]++[万亿]{magnitudes})?"
    )
    return rf"(?:{arabic}|{chinese})", chinese


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


def unit_factor(stated_unit: str) -> Decimal:
    """What a value stated in ``stated_unit`` is multiplied by to be in its canonical unit
    (1 for a unit that scales nothing: a classifier, ``%``, a fraction's ``分之``).

    >>> unit_factor("万元"), unit_factor("%"), unit_factor("分之")
    (Decimal('10000'), Decimal('1'), Decimal('1'))
    """
    return Decimal(_units().get(stated_unit, {}).get("factor", "1"))


@cache
def _qualifiers() -> tuple[dict[str, str], dict[str, str]]:
    config = load_toml("units.toml")["qualifiers"]
    return dict(config["prefix"]), dict(config["suffix"])


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _pattern(mode: str = "search") -> re.Pattern[str]:
    """The quantity grammar: to ``search`` text, to match ``at`` an offset, or a ``whole`` text."""
    prefix, suffix = _qualifiers()
    units = _alternation(list(_units()))
    numeral_units = _alternation([u for u in _units() if u[0] in NUMERAL_CHARS]) or "(?!)"
    number, chinese = _numbers(mode == "search", mode != "whole", numeral_units)
    return re.compile(
        rf"(?P<prefix>{_alternation(list(prefix))})?"
        rf"(?:"
        rf"(?P<pct_cn>百分之(?P<pct_num>{number}))"
        rf"|(?P<frac>(?P<den>{chinese})分之(?P<nom>{chinese}))"
        rf"|(?<![0-9/.])(?P<slash>(?P<nom2>[0-9]{{1,4}})/(?P<den2>[0-9]{{1,4}}))(?![0-9/.])"
        rf"|(?P<num>{number})(?P<more>[余多])?(?:(?P<dash>{_DASH})(?P<num2>{number}))?"
        rf"(?P<unit>{units})"
        rf")"
        rf"(?P<suffix>{_alternation(list(suffix))})?"
    )


_RUN_CHARS = frozenset("0123456789０１２３４５６７８９" + NUMERAL_CHARS)


def _matches(text: str) -> Iterator[re.Match[str]]:
    """What ``finditer`` with the grammar started anywhere would give, in linear time.

    The search skips starts inside a run of digits or numerals; a quantity that ends inside
    one (百分之6万|六个月, 2/2|７人) has the next start at its end tried as well."""
    anywhere, here = _pattern("search"), _pattern("at")
    pos, size = 0, len(text)
    while pos < size:
        match = here.match(text, pos) if pos and text[pos - 1] in _RUN_CHARS else None
        match = match or anywhere.search(text, pos)
        if match is None:
            return
        yield match
        pos = match.end()


def _step(number: Number) -> Decimal:
    """One unit of the last non-zero written digit (80 → 10, 6000 → 1000, 38.4 → 0.1)."""
    if number.decimals:
        return Decimal(1).scaleb(-number.decimals) * number.scale
    quotient = number.value / number.scale
    _, coefficient, exponent = quotient.as_tuple()
    if isinstance(exponent, int) and exponent > 0:
        # a whole number of many digits (the quotient is rounded to the context's precision):
        # count its trailing zeros without dividing it by 10 again and again (n²)
        if not any(coefficient):
            return Decimal(1) * number.scale
        zeros = exponent + len(coefficient) - len("".join(map(str, coefficient)).rstrip("0"))
        return Decimal((0, (1, *(0,) * zeros), 0)) * number.scale
    digits = int(quotient)
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
    factor = unit_factor(stated_unit)
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
    for match in _matches(text):
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
    match = _pattern("whole").fullmatch(text.strip())
    quantity = _build(match) if match else None
    if quantity is None:
        raise ValueError(f"not a quantity: {text!r}")
    return quantity
