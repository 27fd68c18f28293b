"""Where each character of a paragraph's or cell's raw text lands in ``Document.text``.

``DocumentBuilder`` (``readers/assemble.py``) cuts a paragraph's raw text into lines, strips
each and unifies its spaces one for one, and drops empty lines; a table cell's lines are
cleaned the same way and joined with nothing. These helpers replay that walk and record,
for each kept line, where its characters sit in the raw text, so that an offset can be
carried from the raw text to the document (a footnote reference) and back (a Word comment,
``render/docx_comments.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from jjnlp.readers.assemble import SPACES, clean

__all__ = ["cell_lines", "kept", "locate", "paragraph_lines", "segments"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # how DocumentBuilder.paragraph cuts lines


def kept(line: str) -> tuple[int, int]:
    """Where ``clean(line)`` sits in ``line``: clean strips the ends, then swaps spaces 1:1."""
    cleaned = clean(line)
    if not cleaned:
        return 0, 0
    unified = SPACES.sub(" ", line)
    a, b = 0, len(line)
    for source, chars in ((line, None), (line, "\ufeff"), (line, None), (unified, " ")):
        part = source[a:b]
        a += len(part) - len(part.lstrip(chars))
        b = a + len(part.strip(chars))
    if unified[a:b] != cleaned:  # clean() changed its recipe: fall back to a search
        a = max(unified.find(cleaned), 0)
        b = a + len(cleaned)
    return a, b


def paragraph_lines(raw: str) -> Iterator[tuple[int, str]]:
    """(raw offset, line) as ``DocumentBuilder.paragraph`` splits a paragraph's text."""
    at = 0
    for match in _LINE_BREAK.finditer(raw):
        yield at, raw[at : match.start()]
        at = match.end()
    yield at, raw[at:]


def cell_lines(raw: str) -> Iterator[tuple[int, str]]:
    """(raw offset, line) as ``DocumentBuilder.table_row`` splits a cell (``splitlines``)."""
    at = 0
    for part in raw.splitlines(keepends=True):
        body = part.splitlines()[0] if part.splitlines() else ""
        yield at, body
        at += len(part)


def segments(lines: Iterable[tuple[int, str]], start: int) -> list[tuple[int, int, int]]:
    """(document start, document end, raw start) of each kept line, laid end to end from
    ``start`` (a cell's lines are joined with nothing)."""
    out = []
    for at, line in lines:
        a, b = kept(line)
        if b > a:
            out.append((start, start + b - a, at + a))
            start += b - a
    return out


def locate(placed: list[tuple[int, int, int]], raw: int) -> int | None:
    """The document offset of raw offset ``raw`` (a character dropped by the cleaning goes
    to the next kept character, or to the end of the last line)."""
    for start, end, at in placed:
        if raw <= at + (end - start):
            return start + max(raw - at, 0)
    return placed[-1][1] if placed else None
