"""One number: Arabic (1,080 / １２３ / 38.4), Chinese (三千五百, 两百, 一千零八), mixed (3.5万)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jjnlp.numbers.chinese import DIGITS, chinese_int

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
# possessive: nothing that may follow a digit or a thousands group is one
_ARABIC = re.compile(r"^(\d{1,3}(?:,\d{3})++|\d++)(?:\.(\d++))?$")
_MAGNITUDE = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1000)}
_CHINESE_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True, slots=True)
class Number:
    """A stated number: its exact value, decimals as written, and the magnitude it was scaled by."""

    value: Decimal
    decimals: int  # digits after the decimal point as written (40.0 → 1)
    scale: (
        Decimal  # 1, or 10000 for 3.5万: one unit of the last written digit is 10^-decimals·scale
    )


def _arabic(text: str) -> Number:
    match = _ARABIC.match(text)
    if not match:
        raise ValueError(f"not a number: {text!r}")
    whole = match[1].replace(",", "")
    fraction = match[2] or ""
    value = Decimal(f"{whole}.{fraction}") if fraction else Decimal(whole)
    return Number(value, len(fraction), Decimal(1))


def _chinese(text: str) -> Number:
    if "点" in text:  # 三点五, 三点五万
        whole, _, fraction = text.partition("点")
        magnitude = Decimal(1)
        while fraction and fraction[-1] in _MAGNITUDE:
            magnitude *= _MAGNITUDE[fraction[-1]]
            fraction = fraction[:-1]
        if not fraction or any(c not in DIGITS for c in fraction):
            raise ValueError(f"not a number: {text!r}")
        digits = "".join(str(DIGITS[c]) for c in fraction)
        value = Decimal(f"{chinese_int(whole) if whole else 0}.{digits}")
        return Number(value * magnitude, len(digits), magnitude)
    if text[0] in "万亿":  # 万人 is 一万人
        text = "一" + text
    scale = Decimal(1)  # 两万 is stated to the 万, like 2万
    for char in reversed(text):
        if char not in "万亿":
            break
        scale *= _MAGNITUDE[char]
    return Number(Decimal(chinese_int(text)), 0, scale)


def parse_number(text: str) -> Number:
    """The exact value of one written number; ``ValueError`` if it is not one."""
    text = text.strip().translate(_FULL_WIDTH)
    if not text:
        raise ValueError("empty number")
    if text[0].isdigit():
        magnitude = Decimal(1)
        while text and text[-1] in _MAGNITUDE:  # 3.5万, 1.2亿, 2万亿
            magnitude *= _MAGNITUDE[text[-1]]
            text = text[:-1]
        number = _arabic(text)
        return Number(number.value * magnitude, number.decimals, magnitude)
    return _chinese(text)


def to_chinese(value: int) -> str:
    """A non-negative integer in Chinese numerals (the inverse of ``parse_number``).

    >>> to_chinese(1008), to_chinese(350000000), to_chinese(10)
    ('一千零八', '三亿五千万', '十')
    """
    if value < 0:
        raise ValueError("negative")
    if value == 0:
        return "零"

    def group(n: int) -> str:  # 0 < n < 10000
        out, zero = "", False
        for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
            digit = n // size % 10
            if digit == 0:
                zero = bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            out += _CHINESE_DIGITS[digit] + unit
        return out

    parts: list[str] = []
    groups = []
    while value:
        groups.append(value % 10_000)
        value //= 10_000
    units = ["", "万", "亿", "万亿"]
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        n = groups[index]
        if n == 0:
            need_zero = bool(parts)
            continue
        if parts and (need_zero or n < 1000):
            parts.append("零")
        parts.append(group(n) + units[index])
        need_zero = False
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text
