"""Chinese numerals to integers: the small grammar every stage shares.

>>> chinese_int("二十三"), chinese_int("一千零八"), chinese_int("两百"), chinese_int("二〇二四")
(23, 1008, 200, 2024)
"""

from __future__ import annotations

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
# no numeral has more 万 and 亿 than this (两万亿 has two); each 亿 multiplies all before it,
# so a run of thousands would build an ever larger integer, n² (一亿一亿…)
MAX_LARGE_UNITS = 8


def chinese_int(text: str) -> int:
    """Value of a Chinese integer numeral (十二, 一千零八, 三亿五千万, or digit-by-digit 二〇二四).

    Raises ``ValueError`` for anything else (and for more than MAX_LARGE_UNITS 万 and 亿).
    """
    if not text or any(
        c not in DIGITS and c not in SMALL_UNITS and c not in LARGE_UNITS for c in text
    ):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if sum(1 for c in text if c in LARGE_UNITS) > MAX_LARGE_UNITS:
        raise ValueError(f"not a Chinese numeral (too many 万/亿): {text[:20]!r}…")
    if all(c in DIGITS for c in text):  # 二〇二四: read digit by digit
        return int("".join(str(DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in SMALL_UNITS:  # 十 alone means 一十
            section += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        elif char == "万":
            total += (section + (digit or 0)) * LARGE_UNITS[char]
            section, digit = 0, None
        else:  # 亿 scales everything before it, 万 groups included (两万亿)
            total = (total + section + (digit or 0)) * LARGE_UNITS[char]
            section, digit = 0, None
    return total + section + (digit or 0)
