"""Paragraphs rebuilt from positioned text: glyphs → lines → paragraphs.

Fixed-layout formats (PDF, OFD) give characters with boxes, not paragraphs.
This module works on plain records so that any such reader can use it:

- :class:`Glyph` — one character (or ligature) with its box and font size;
  :func:`glyph_lines` groups a page's glyphs into :class:`Line` records and decides
  the spaces inside a line from the gaps between boxes (:func:`line_text`).
- :class:`Line` — one text line: text, box, font size, page (and, when known, the
  width of its first unbreakable unit, :attr:`Line.lead`).
- :func:`running_furniture` — running headers and footers (page numbers and text
  repeated at the top or bottom of most pages), to be dropped from the body.
- :func:`paragraphs` — lines joined back into paragraphs.

Coordinates are in points with ``top`` growing downwards (pdfplumber's convention).

Spaces. Word, WPS and LibreOffice set Chinese text and digits or Latin letters
apart (a fifth to a quarter of a character: ``立案 22 件`` to a text extractor). Between
a CJK character (ideograph or CJK punctuation) and a digit or Latin letter there is
therefore no space: not for that gap, not for a space typed there; only a gap of
about half a character or more without a space glyph (a tab stop) or a whole
character with one (columns aligned by spaces) is kept as one space. Between two
digits or Latin letters a space glyph or a gap of a normal space width is a space
(``1 2`` stays two numbers, an English phrase keeps its spaces); between two CJK
characters a space glyph is. Without geometry :func:`tighten` applies the rule to
text.

Paragraph breaks. A new paragraph starts at a line that is indented (first-line
indent, about two characters right of the left margin, but not a line hanging under
the first character after a label's colon, as GB/T 9704 wraps ``抄送：`` and
``附件：``), starts with a heading marker (``一、`` ``（一）`` ``1.`` ``（1）``) after a
line that ended a sentence, is centred or differs in font size from the line above,
stands after a vertical gap larger than the usual line spacing, or follows a line
that ended short of the right margin although the new line's first word would have
fitted there (a line that was not broken by wrapping ends its paragraph; one that
ends short because the next word did not fit, as at 避头尾 breaks, does not).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import median

__all__ = [
    "Furniture",
    "Glyph",
    "Line",
    "Paragraph",
    "glyph_lines",
    "is_cjk",
    "line_text",
    "nominal_width",
    "paragraphs",
    "running_furniture",
    "tighten",
]


@dataclass(frozen=True, slots=True)
class Glyph:
    """One drawn character: its text, box (``top`` downwards) and font size in points.

    ``confidence`` is the recogniser's score (0–1) for a character read from an image by
    OCR; ``None`` for one drawn in the file.
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """One text line of a page.

    ``lead`` is the width of the line's first unbreakable unit (a character with the
    punctuation that may not be separated from it, or a whole number or Latin word):
    what did not fit at the end of the line above. ``None`` when unknown; it is then
    estimated from the text. ``confidence`` is the lowest OCR score of its glyphs (``None``:
    the text was drawn in the file).
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    lead: float | None = None
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Lines joined; ``confidence`` is the lowest OCR score of its lines (``None``: none was
    read by OCR)."""

    text: str
    page: int
    top: float
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Furniture:
    """Lines of the body, and the running headers and footers taken out of it."""

    body: list[Line]
    headers: list[str]
    footers: list[str]


# ----------------------------------------------------------------------- characters

_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # kana
    (0x3100, 0x312F),  # bopomofo
    (0x3190, 0x33FF),  # kanbun, strokes, enclosed, compatibility
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms
    (0x20000, 0x3FFFF),  # extensions B and later
)
# punctuation shared with Western text; in Chinese it is set full width
_SHARED_PUNCT = frozenset("“”‘’—―…·•")


@lru_cache(maxsize=8192)
def is_cjk(char: str) -> bool:
    """A CJK ideograph, kana or CJK (full-width) punctuation mark (first character)."""
    code = ord(char[0]) if char else 0
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _cjk_side(char: str) -> bool:
    return is_cjk(char) or char in _SHARED_PUNCT


def nominal_width(char: str) -> float:
    """How wide ``char`` usually is, in ems, when the font's widths are unknown: a whole
    em for Chinese and full-width punctuation, a little over half for the rest."""
    return 1.0 if _cjk_side(char) else 0.55


_CJK_CLASS = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u33ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff00-\uffef"
    "\U00020000-\U0003ffff“”‘’—―…·•"
)
_LOOSE = re.compile(
    rf"(?<=[{_CJK_CLASS}])[ \u00a0\u2000-\u200a\u202f\u205f]+(?=[0-9A-Za-z%])"
    rf"|(?<=[0-9A-Za-z%])[ \u00a0\u2000-\u200a\u202f\u205f]+(?=[{_CJK_CLASS}])"
)


def tighten(text: str) -> str:
    """Remove spaces between CJK and digits or Latin letters (``2024 年`` → ``2024年``).

    Spaces between two digits or Latin letters (``1 2``, ``Smart Audit``) and between
    two CJK characters are kept; tabs (table cells) and line breaks are not touched.
    """
    return _LOOSE.sub("", text)


# what may not start a line (it stays with the character before it) ...
_CLOSING = frozenset("，。、；：？！）》〉】」』〕］｝”’…—·%‰,.;:!?)]}\"'")
# ... and what may not end one (it goes down with the character after it)
_OPENING = frozenset("（《〈【「『〔［｛“‘([{")
_QUOTES = frozenset("“”‘’\"'")
_WORD = re.compile(r"[0-9A-Za-z.,:/%‰+\-]")


def _unit_end(texts: Sequence[str], i: int) -> int:
    """End of the unit at ``i``: opening marks, one character or a whole number or Latin
    word, then the closing marks that may not start a line."""
    n = len(texts)
    while i < n and texts[i][:1] in _OPENING:
        i += 1
    if i < n and _WORD.match(texts[i][:1]):
        while i < n and _WORD.match(texts[i][:1]):
            i += 1
    else:
        i += 1
    while i < n and texts[i][:1] in _CLOSING:
        i += 1
    return i


def _lead_end(texts: Sequence[str]) -> int:
    """How many leading items (glyph texts) form the line's first unbreakable unit."""
    texts = [t or " " for t in texts]
    n = len(texts)
    i = _unit_end(texts, 0)
    # LibreOffice (UAX #14) breaks on neither side of a quotation mark, nor between a
    # closing mark and a number (言。2024年) or a number and a bracketed one (8.4%（2023年）
    while i < n and (
        texts[i - 1][0] in _QUOTES
        or texts[i][0] in _QUOTES
        or (texts[i - 1][0] in _CLOSING and _WORD.match(texts[i][0]))
        or (
            _WORD.match(texts[i - 1][0])
            and texts[i][0] in _OPENING
            and i + 1 < n
            and _WORD.match(texts[i + 1][0])
        )
    ):
        i = _unit_end(texts, i)
    return max(1, min(i, n))


def _estimated_lead(line: Line) -> float:
    chars = [c for c in line.text if not c.isspace()]
    end = _lead_end(chars)
    return sum(line.size * nominal_width(c) for c in chars[:end])


# --------------------------------------------------------------------------- lines


def _wide(glyph: Glyph) -> bool:
    """A CJK glyph; shared punctuation (“ ” — …) counts when it is set full width."""
    char = glyph.text[:1]
    if is_cjk(char):
        return True
    return char in _SHARED_PUNCT and glyph.x1 - glyph.x0 >= glyph.size * 0.7


def _spaced(a: Glyph, b: Glyph, gap: float, explicit: bool, em: float) -> bool:
    """Whether a space stands between neighbours ``a`` and ``b`` (``gap`` apart, with a
    space glyph between them or not)."""
    wide_a, wide_b = _wide(a), _wide(b)
    if wide_a and wide_b:
        return gap > em * 0.8 or (explicit and gap > em * 0.15)
    if wide_a or wide_b:
        # the exporter's spacing between 汉字 and 2024 (a fifth to a quarter of a
        # character), or a space typed there, is no space; a tab stop or column gap is
        return gap > em * (1.0 if explicit else 0.45)
    return explicit or gap > em * 0.15  # 1 2, Smart Audit


def line_text(glyphs: Sequence[Glyph]) -> str:
    """The text of one line of glyphs (left to right), with spaces from the gaps."""
    visible = [g for g in glyphs if g.text.strip()]
    if not visible:
        return ""
    em = median(g.size for g in visible) or 10.0
    # a justified Chinese line spreads every character apart: gaps count above that
    cjk_gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(visible) if _wide(a) and _wide(b)]
    stretch = min(max(median(cjk_gaps), 0.0), em * 0.5) if len(cjk_gaps) >= 3 else 0.0
    parts: list[str] = []
    previous: Glyph | None = None
    explicit = False
    for glyph in glyphs:
        if not glyph.text.strip():
            explicit = previous is not None
            continue
        if previous is not None and _spaced(
            previous, glyph, glyph.x0 - previous.x1 - stretch, explicit, em
        ):
            parts.append(" ")
        parts.append(glyph.text)
        previous, explicit = glyph, False
    return "".join(parts).strip()


def _dedupe(glyphs: list[Glyph]) -> list[Glyph]:
    """Drop a glyph drawn again over itself (fake bold, shadows): same text, same place."""
    kept: list[Glyph] = []
    for glyph in glyphs:
        if kept:
            last = kept[-1]
            near = glyph.size * 0.25
            if (
                glyph.text == last.text
                and abs(glyph.x0 - last.x0) < near
                and abs(glyph.top - last.top) < near
            ):
                continue
        kept.append(glyph)
    return kept


def glyph_lines(glyphs: Iterable[Glyph], page: int) -> list[Line]:
    """A page's glyphs grouped into lines (by vertical position), top to bottom."""
    ordered = sorted(glyphs, key=lambda g: ((g.top + g.bottom) / 2, g.x0))
    groups: list[list[Glyph]] = []
    bottom = float("-inf")
    for glyph in ordered:
        middle = (glyph.top + glyph.bottom) / 2
        if groups and middle <= bottom:
            groups[-1].append(glyph)
            if glyph.text.strip():
                bottom = max(bottom, glyph.bottom)
        else:
            groups.append([glyph])
            bottom = glyph.bottom
    lines = []
    for group in groups:
        group.sort(key=lambda g: g.x0)
        group = _dedupe(group)
        visible = [g for g in group if g.text.strip()]
        text = line_text(group)
        if not text or not visible:
            continue
        end = _lead_end([g.text for g in visible])
        scores = [g.confidence for g in visible if g.confidence is not None]
        lines.append(
            Line(
                text=text,
                x0=visible[0].x0,
                x1=max(g.x1 for g in visible),
                top=min(g.top for g in visible),
                bottom=max(g.bottom for g in visible),
                size=median(g.size for g in visible),
                page=page,
                lead=visible[end - 1].x1 - visible[0].x0,
                confidence=min(scores) if scores else None,
            )
        )
    return lines


# ------------------------------------------------------------------------ furniture

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~～―]*\d{1,4}[-—–－~～―]*"
    r"|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|共\d{1,4}页[,，]?第\d{1,4}页"
    r"|\d{1,4}/\d{1,4}|(?:page|p\.?)\d{1,4}(?:of\d{1,4})?)$",
    re.IGNORECASE,
)
_EDGE_BAND = 0.1  # a lone page number stands in the top or bottom tenth of the page
_REPEAT_BAND = 0.15  # running text repeated on most pages, in the top or bottom 15%


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def running_furniture(lines: Sequence[Line], page_heights: Mapping[int, float]) -> Furniture:
    """Split ``lines`` into body lines and running headers/footers.

    A line in the top or bottom band of its page is furniture when it is a page
    number (``— 1 —``, ``- 1 -``, ``第1页 共3页``, ``3/12``) or when the same text, up
    to its numbers, stands in that band on most pages. ``headers``/``footers`` list
    each such text once (first page's wording).
    """
    pages = sorted({line.page for line in lines})
    zones: dict[int, str] = {}
    for i, line in enumerate(lines):
        height = page_heights.get(line.page) or 0.0
        if height <= 0:
            continue
        if line.bottom <= height * _REPEAT_BAND:
            zones[i] = "top"
        elif line.top >= height * (1 - _REPEAT_BAND):
            zones[i] = "bottom"
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, zone in zones.items():
        seen[(zone, _key(lines[i].text))].add(lines[i].page)
    needed = max(2, (len(pages) + 1) // 2)
    furniture: dict[int, str] = {}
    for i, zone in zones.items():
        line = lines[i]
        height = page_heights[line.page]
        flat = re.sub(r"\s+", "", line.text)
        near_edge = line.bottom <= height * _EDGE_BAND or line.top >= height * (1 - _EDGE_BAND)
        if (near_edge and _PAGE_NUMBER.match(flat)) or len(seen[(zone, _key(line.text))]) >= needed:
            furniture[i] = zone
    headers: list[str] = []
    footers: list[str] = []
    keys: set[tuple[str, str]] = set()
    for i, zone in sorted(furniture.items()):
        key = (zone, _key(lines[i].text))
        if key not in keys:
            keys.add(key)
            (headers if zone == "top" else footers).append(lines[i].text)
    body = [line for i, line in enumerate(lines) if i not in furniture]
    return Furniture(body, headers, footers)


# ------------------------------------------------------------------------ paragraphs

_NUMERAL = "一二三四五六七八九十百零〇"
_HEADING = re.compile(
    rf"^(?:[{_NUMERAL}]{{1,3}}、(?![{_NUMERAL}]+(?:[、，,]|季度|月|年级|类))"
    rf"|[（(][{_NUMERAL}]{{1,3}}[）)]"
    r"|\d{1,2}[.．、](?!\d)"
    r"|[（(]\d{1,2}[）)])"
)


def _ends_sentence(text: str) -> bool:
    """The line ends with punctuation, not inside a word: a heading may follow it."""
    last = text.rstrip()[-1:]
    return bool(last) and not last.isalnum()


@dataclass(slots=True)
class _Frame:
    left: float
    right: float
    body: float
    pitch: float
    indent: float | None  # the usual first-line indent, from the left margin


def _left_edge(lines: Sequence[Line]) -> float:
    """The left margin: the leftmost start shared by two lines or more."""
    counts = Counter(round(line.x0) for line in lines)
    repeated = [x for x, n in counts.items() if n >= 2]
    return float(min(repeated)) if repeated else min(line.x0 for line in lines)


def _right_edge(lines: Sequence[Line], em: float) -> float:
    """The right margin: where most lines near the right edge end.

    Not the rightmost end: a full-width comma or full stop may hang into the margin
    (LibreOffice and WPS allow it), so the most common end among the lines that end
    within three characters of the rightmost one is taken.
    """
    far = max(line.x1 for line in lines)
    counts = Counter(round(line.x1) for line in lines if line.x1 >= far - em * 3)
    best = max(counts.values())
    if best < 2:
        return far
    return float(min(x for x, n in counts.items() if n == best))


def _frame(lines: Sequence[Line]) -> _Frame:
    body = median(line.size for line in lines)
    main = [line for line in lines if abs(line.size - body) < 1] or list(lines)
    # the line spacing inside a paragraph: the lower quartile of the distances between
    # body lines (paragraph spacing, if any, makes the larger ones)
    pitches = sorted(
        b.top - a.top
        for a, b in itertools.pairwise(lines)
        if a.page == b.page
        and abs(a.size - body) < 0.5
        and abs(b.size - body) < 0.5
        and 0 < b.top - a.top < body * 3
    )
    left = _left_edge(main)
    insets = Counter(
        round(line.x0 - left) for line in main if body * 0.9 < line.x0 - left < body * 4.5
    )
    common = insets.most_common(1)
    return _Frame(
        left=left,
        right=_right_edge(main, body),
        body=body,
        pitch=pitches[len(pitches) // 4] if pitches else body * 1.5,
        indent=float(common[0][0]) if common and common[0][1] >= 2 else None,
    )


def _centred(line: Line, frame: _Frame) -> bool:
    """Set in the middle of the text block, clear of both margins (titles, signatures).

    A line that starts at the usual first-line indent is a paragraph's first line,
    even when it happens to end as far from the right margin.
    """
    inset = line.x0 - frame.left
    if frame.indent is not None and abs(inset - frame.indent) < line.size * 0.3:
        return False
    return inset > line.size and abs(inset - (frame.right - line.x1)) < line.size * 0.6


def _hangs(first: Line, previous: Line, line: Line, frame: _Frame) -> bool:
    """``line`` continues a paragraph wrapped under the first character after its colon,
    as GB/T 9704 sets ``抄送：…`` and ``附件：…``: the paragraph's ``first`` line opens with
    a short label and a colon, and the line above ran to within a character or so of the
    right margin."""
    colon = first.text.find("：")
    if not 0 < colon < 8 or frame.right - previous.x1 > previous.size * 1.5:
        return False
    label = sum(nominal_width(c) for c in first.text[: colon + 1]) * first.size
    return abs(first.x0 + label - line.x0) < line.size * 0.3


def _breaks(previous: Line, line: Line, frame: _Frame, first: Line | None = None) -> bool:
    """Whether ``line`` starts a new paragraph after ``previous`` (``first``: the first
    line of the paragraph ``previous`` belongs to)."""
    size = line.size
    pitch = frame.pitch * max(size, previous.size) / frame.body
    if line.page == previous.page and (
        line.top < previous.top or line.top - previous.top > pitch * 1.25
    ):
        return True  # a vertical gap wider than the line spacing (or a jump back up)
    if abs(line.size - previous.size) > 0.75:
        return True  # title, headings in another size
    if _HEADING.match(line.text) and _ends_sentence(previous.text):
        return True
    if size > frame.body + 1:
        return False  # display size (a title) over several lines stays one paragraph
    if _hangs(first or previous, previous, line, frame):
        return False  # (before centring: a 抄送 line one character in from both margins)
    centred, was_centred = _centred(line, frame), _centred(previous, frame)
    if centred and was_centred:
        return previous.x1 - previous.x0 < (frame.right - frame.left) * 0.75
    if centred or was_centred:
        return True
    if line.x0 - frame.left > size * 0.9:
        return True  # first-line indent (or a right-aligned line)
    if previous.x0 - frame.left > previous.size * 3.5:
        return True  # the line above stood on its own (right-aligned signature, date)
    short = frame.right - previous.x1
    if short > previous.size * 0.5:
        lead = line.lead if line.lead is not None else _estimated_lead(line)
        if _cjk_side(previous.text[-1]) != _cjk_side(line.text[0]):
            lead += previous.size * 0.2  # the exporter's gap between 汉字 and 2024
        if lead < short - previous.size * 0.02:
            return True  # the next word would have fitted: the line above ended there
    return False


def _glue(left: str, right: str) -> str:
    """A line break inside a paragraph: nothing, except between two Latin letters."""
    latin = bool(left and right) and all(c.isascii() and c.isalpha() for c in left[-1] + right[0])
    return " " if latin else ""


def _paragraph(lines: Sequence[Line]) -> Paragraph:
    parts = [lines[0].text]
    for line in lines[1:]:
        parts.append(_glue(parts[-1], line.text) + line.text)
    scores = [line.confidence for line in lines if line.confidence is not None]
    return Paragraph("".join(parts), lines[0].page, lines[0].top, min(scores) if scores else None)


def paragraphs(lines: Sequence[Line]) -> list[Paragraph]:
    """Lines (in reading order, furniture and tables removed) joined into paragraphs."""
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return []
    frame = _frame(lines)
    out: list[Paragraph] = []
    current = [lines[0]]
    for previous, line in itertools.pairwise(lines):
        if _breaks(previous, line, frame, current[0]):
            out.append(_paragraph(current))
            current = [line]
        else:
            current.append(line)
    out.append(_paragraph(current))
    return out
