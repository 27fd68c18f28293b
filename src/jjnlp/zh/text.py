"""Characters and boundaries of Chinese text, defined once for every stage.

Character classes (Chinese numerals, dashes, Arabic digits) for regular expressions,
quote and bracket pairs, comparison words, and the boundaries of text units at named
levels: a line, a sentence (ends at 。！？…), a clause (also ；), a phrase (also ，、：).

>>> unit_start("立案72件，结案54件。处分53人", 14, Level.SENTENCE)
11
>>> headline("派驻监督作用发挥不够；有的…")
'派驻监督作用发挥不够'
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from functools import cache

from jjnlp.model import Span
from jjnlp.resources import load_toml

# the numerals of heading numbers and enumerations (一、 （二） 三是)
HEADING_NUMERALS = "一二三四五六七八九十"
# the digits of a Chinese decimal fraction (三点五)
DIGIT_CHARS = "零〇一二三四五六七八九"
# every character of a Chinese numeral (二〇二四, 一千零八, 两万亿)
NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
# the dashes and words that join the ends of a range (1-4月, 2023年—2024年, 5月至12月)
DASHES = "-—–~～－"
RANGE_WORDS = "至到"
ARABIC_DIGITS = "0-9０-９"

# placeholders that resource regular expressions use for the classes above
_CLASSES = {
    "{heading_numeral}": HEADING_NUMERALS,
    "{numeral}": NUMERAL_CHARS,
    "{dash}": re.escape(DASHES),
    "{digit}": ARABIC_DIGITS,
}


# a search for a unit's edge looks this far at most: no real sentence is longer, and a
# garbled text without marks (a 5 MB line) must not make every search scan all of it
REACH = 2000


# the full-width forms of ASCII and the ideographic space: what NFKC changes in most Chinese
# text (，；：（）), each to one character
_FULL_WIDTH = re.compile("[\u3000\uff01-\uff5e]")
_FOLDED = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in (0x3000, *range(0xFF01, 0xFF5F))}


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, four to five times faster on Chinese text.

    NFKC finds nothing to keep in a text with a full-width comma and does its whole work on
    it; a full-width form decomposes to one ASCII character, so folding those first gives
    the same result and leaves a text that NFKC's quick check passes as it is.
    """
    return unicodedata.normalize("NFKC", _FULL_WIDTH.sub(lambda m: _FOLDED[m[0]], text))


def near(text: str, offset: int, level: Level) -> tuple[int, int]:
    """The unit of ``level`` around ``offset``, searched at most :data:`REACH` characters
    each way."""
    lo = max(0, offset - REACH)
    return unit_start(text, offset, level, lo), unit_end(text, offset, level, offset + REACH)


def expand(pattern: str) -> str:
    """A resource pattern with its class placeholders filled in (``[{heading_numeral}]``)."""
    for name, chars in _CLASSES.items():
        pattern = pattern.replace(name, chars)
    return pattern


class Level(Enum):
    """How large a unit of text is: each level ends at its own marks and those above it."""

    LINE = "\n"
    SENTENCE = "\n。！？…"
    CLAUSE = "\n。！？…；"
    PHRASE = "\n。！？…；，"


_MARKS = {level: tuple(level.value) for level in Level}  # Level.value is a lookup each time


def unit_start(text: str, offset: int, level: Level, lo: int = 0) -> int:
    """Where the unit of ``level`` that holds ``offset`` starts (quotes are not considered);
    ``lo``, a start known to lie at or before it, bounds the search (linear scans)."""
    found = lo - 1
    for mark in _MARKS[level]:  # a plain loop: this runs for every figure, several times
        at = text.rfind(mark, lo, offset)
        if at > found:
            found = at
    return found + 1


def unit_end(text: str, offset: int, level: Level, hi: int | None = None) -> int:
    """Where the unit of ``level`` that holds ``offset`` ends (its closing mark included);
    ``hi``, an end known to lie at or after it, bounds the search (linear scans)."""
    stop = len(text) if hi is None else min(hi, len(text))
    found = stop
    for mark in _MARKS[level]:
        at = text.find(mark, offset, found)  # only an earlier end can matter
        if at >= 0:
            found = at
    return found + 1 if found < stop else stop


def find_end(text: str, level: Level) -> int:
    """The offset of the first mark that ends a unit of ``level`` in ``text``, or -1."""
    return min((at for at in (text.find(mark) for mark in level.value) if at >= 0), default=-1)


def headline(text: str, level: Level = Level.CLAUSE) -> str:
    """The text up to the first end of a unit of ``level``, stripped."""
    stop = find_end(text, level)
    return (text[:stop] if stop >= 0 else text).strip()


def split(text: str, level: Level) -> list[Span]:
    """Spans of the units of ``level``, each with its closing mark (line breaks excluded)."""
    spans, start = [], 0
    for at, char in enumerate(text):
        if char in level.value:
            end = at if char == "\n" else at + 1
            if end > start:
                spans.append(Span(start, end))
            start = at + 1
    if start < len(text):
        spans.append(Span(start, len(text)))
    return spans


@cache
def pairs() -> dict[str, str]:
    """Opening quote or bracket → its closing one (“” 《》 （） …)."""
    return dict(load_toml("structure.toml")["sentences"]["openers"])


@cache
def _sentence_marks() -> tuple[frozenset[str], frozenset[str]]:
    config = load_toml("structure.toml")["sentences"]
    return frozenset(config["enders"]), frozenset(config["closers"])


@cache
def _sentence_stops() -> re.Pattern[str]:
    """The characters that change what :func:`sentences` is in: a line end, an opening or
    closing quote or bracket, an ender."""
    enders, _ = _sentence_marks()
    marks = {"\n", *pairs(), *pairs().values(), *enders}
    return re.compile("[" + "".join(re.escape(m) for m in sorted(marks)) + "]")


def sentences(text: str) -> tuple[Span, ...]:
    """Spans of sentences: a sentence ends at 。！？… outside quotes and brackets, or at a line end.

    Closing quotes and brackets right after the ender stay with the sentence, and a
    run of enders (``？！``, ``……``) is one ending.
    """
    enders, closers = _sentence_marks()
    openers = pairs()
    spans: list[Span] = []
    start = 0
    expected: list[str] = []  # closers of the quotes and brackets now open
    n = len(text)
    # the next character that can change anything, found in C: every other one is passed
    # over (a loop step for each character would be most of the time this takes)
    stop = _sentence_stops().search
    found = stop(text, 0)
    while found is not None:
        i = found.start()
        char = text[i]
        at = i + 1
        if char == "\n":
            if i > start:
                spans.append(Span(start, i))
            start, expected = i + 1, []
        elif char in openers:
            expected.append(openers[char])
        elif expected and char == expected[-1]:
            expected.pop()
        elif char in enders and not expected:
            j = i + 1
            while j < n and (text[j] in enders or text[j] in closers):
                j += 1
            spans.append(Span(start, j))
            start = at = j
        found = stop(text, at)
    if start < n:
        spans.append(Span(start, n))
    return tuple(s for s in spans if s.end > s.start)


@cache
def comparison_words() -> tuple[str, ...]:
    """Words that make a figure a base for comparison (去年同期, 上年同期, 同比)."""
    return tuple(load_toml("structure.toml")["periods"]["comparison"])


@cache
def comparison_periods() -> tuple[str, ...]:
    """The comparison words that name a period a figure can belong to (去年同期, 上年同期)."""
    return tuple(w for w in comparison_words() if w.endswith("同期"))
