"""The document returned as Word with each finding as a comment (批注) on the offending text.

A .docx input keeps its own paragraphs, runs and formatting: a run that a finding starts or
ends inside is split there (deep copies of its ``w:r``, ``w:rPr`` included, each trimmed to
its share of the text), every other run is left as it is, and the comment range is placed
around exactly the runs of the finding's text. Text and PDF input are rendered into a new
Word document first, one paragraph per block, and annotated the same way. The comments
themselves go through python-docx's ``Document.add_comment``; only the run splitting works
on the lxml elements directly, as python-docx has no API to split a run.

Offsets. A finding's ``start``/``end`` index ``Document.text``, the normalised text the docx
reader built (``readers/docx.py``, ``readers/assemble.py``): a paragraph's raw text (its
runs and hyperlink runs) is cut into lines, each line stripped and its spaces unified one
for one, empty lines dropped; a table row is its cells joined by a tab, a cell being its
paragraphs' lines each cleaned and joined with nothing. :func:`_segments` runs that same
walk over the runs of one paragraph or cell and records, for each kept line, where its
characters sit in the concatenated run text, so an offset maps back to a run and a
character inside it.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from jjnlp.model import Block, Document, Finding
from jjnlp.readers.assemble import SPACES, clean
from jjnlp.render.findings import SEVERITY_ZH

AUTHOR = "jjnlp"
INITIALS = "JJ"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# the run children python-docx's Run.text turns into characters (CT_R.text); every other
# child (rPr, drawings, field characters, page breaks…) carries no text
_TEXT_TAGS = frozenset(_W + t for t in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # how DocumentBuilder.paragraph cuts lines


# --------------------------------------------------------------------------- offsets


def _kept(line: str) -> tuple[int, int]:
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


def _paragraph_lines(raw: str) -> Iterator[tuple[int, str]]:
    """(raw offset, line) as ``DocumentBuilder.paragraph`` splits a paragraph's text."""
    at = 0
    for match in _LINE_BREAK.finditer(raw):
        yield at, raw[at : match.start()]
        at = match.end()
    yield at, raw[at:]


def _cell_lines(raw: str) -> Iterator[tuple[int, str]]:
    """(raw offset, line) as ``DocumentBuilder.table_row`` splits a cell (``splitlines``)."""
    at = 0
    for part in raw.splitlines(keepends=True):
        body = part.splitlines()[0] if part.splitlines() else ""
        yield at, body
        at += len(part)


def _segments(lines: Iterable[tuple[int, str]], start: int) -> list[tuple[int, int, int]]:
    """(document start, document end, raw start) of each kept line, laid end to end from
    ``start`` (a cell's lines are joined with nothing)."""
    out = []
    for at, line in lines:
        a, b = _kept(line)
        if b > a:
            out.append((start, start + b - a, at + a))
            start += b - a
    return out


# --------------------------------------------------------------------------- runs


@dataclass
class _Group:
    """One paragraph, or the paragraphs of one table cell, and how its text maps to runs.

    ``segments`` are ``(document start, document end, raw start)``; the raw text is the
    runs' text in order, the paragraphs of a cell joined by a ``\\n`` no run holds.
    """

    paragraphs: list[Any]  # python-docx Paragraph objects
    segments: list[tuple[int, int, int]]

    def runs(self) -> list[tuple[Any, Any, int, int]]:
        """(paragraph, ``w:r`` element, raw start, raw end) of every text-bearing run."""
        out = []
        at = 0
        for number, paragraph in enumerate(self.paragraphs):
            if number:
                at += 1  # the "\n" between a cell's paragraphs
            for r in paragraph._p.xpath("./w:r | ./w:hyperlink/w:r"):
                length = len(r.text)
                out.append((paragraph, r, at, at + length))
                at += length
        return out

    def raw_range(self, finding: Finding) -> tuple[int, int] | None:
        """The finding's characters as a half-open range of the raw text (None: not here)."""
        start, end = finding.start, max(finding.end, finding.start + 1)
        covered = [
            (at + max(start, a) - a, at + min(end, b) - a)
            for a, b, at in self.segments
            if max(start, a) < min(end, b)
        ]
        if not covered and finding.start == finding.end:  # an empty finding at a line end
            covered = [(at + b - a - 1, at + b - a) for a, b, at in self.segments if b == start]
        if not covered:
            return None
        return covered[0][0], covered[-1][1]


def _trim(r: Any, a: int, b: int) -> None:
    """Keep only characters ``[a, b)`` of the run element ``r``.

    A text-less child (drawing, field character, page break) stays with the piece that
    holds the character after it; one at the very end stays with the last piece.
    """
    total = len(r.text)
    at = 0
    for child in list(r):
        if child.tag == _W + "rPr":
            continue
        n = len(str(child)) if child.tag in _TEXT_TAGS else 0
        if n == 0:
            if not (a <= at < b or at == b == total):
                r.remove(child)
            continue
        lo, hi = max(a, at), min(b, at + n)
        if hi <= lo:
            r.remove(child)
        elif child.tag == _W + "t" and hi - lo < n:
            child.text = str(child)[lo - at : hi - at]
            if child.text != child.text.strip():
                child.set(_XML_SPACE, "preserve")
        at += n


def _split(r: Any, cuts: list[int]) -> None:
    """Split the run element ``r`` at the given character offsets (inside its text).

    The pieces are deep copies of ``r`` (formatting and all) trimmed to their text; ``r``
    itself becomes the first piece, the others follow it in order.
    """
    edges = [0, *cuts, len(r.text)]
    original = copy.deepcopy(r)
    previous = r
    for number, (a, b) in enumerate(pairwise(edges)):
        piece = r if number == 0 else copy.deepcopy(original)
        _trim(piece, a, b)
        if number:
            previous.addnext(piece)
            previous = piece


def _split_at(group: _Group, edges: set[int]) -> None:
    """Split the runs of ``group`` so that every raw offset in ``edges`` is a run boundary."""
    for _, r, a, b in group.runs():
        cuts = sorted(x - a for x in edges if a < x < b)
        if cuts:
            _split(r, cuts)


# --------------------------------------------------------------------------- groups


class _Groups:
    """The paragraph or cell groups of the output document, each built once when first asked."""

    def __init__(self, document: Document, word: Any) -> None:
        self.document = document
        self.starts = [b.start for b in document.blocks]
        self.cache: dict[tuple[int, ...], _Group | None] = {}
        self.items: list[Any] = []
        self.lines: dict[int, list[Block]] = {}
        if document.format == "docx":
            self.items = list(word.iter_inner_content())  # the order readers/docx.py walks
            for block in document.blocks:
                if block.kind == "paragraph":
                    self.lines.setdefault(block.index, []).append(block)
            return
        for position, block in enumerate(document.blocks):  # a new document, block by block
            paragraph = word.add_paragraph(document.text[block.start : block.end])
            self.cache[(position,)] = _Group([paragraph], [(block.start, block.end, 0)])

    def of(self, finding: Finding) -> _Group | None:
        """The first group the finding's text overlaps (None: it lies in no known text)."""
        end = max(finding.end, finding.start + 1)
        blocks = self.document.blocks
        k = max(bisect_right(self.starts, finding.start) - 1, 0)
        while k < len(blocks) and blocks[k].start < end:
            for group in self._candidates(k):
                if group.raw_range(finding) is not None:
                    return group
            k += 1
        return None

    def _candidates(self, position: int) -> Iterator[_Group]:
        block = self.document.blocks[position]
        keys: list[tuple[tuple[int, ...], int | None]]
        if self.document.format != "docx":
            keys = [((position,), None)]
        elif block.kind == "paragraph":
            keys = [((block.index,), None)]
        else:
            keys = [((block.index, block.row or 0, cell.col), cell.col) for cell in block.cells]
        for key, col in keys:
            if key not in self.cache:
                self.cache[key] = (
                    self._paragraph(block.index) if col is None else self._cell(block, col)
                )
            group = self.cache[key]
            if group is not None:
                yield group

    def _paragraph(self, index: int) -> _Group | None:
        from docx.text.paragraph import Paragraph

        item = self.items[index] if index < len(self.items) else None
        if not isinstance(item, Paragraph):
            return None
        blocks = self.lines.get(index, [])
        kept = [(at, line) for at, line in _paragraph_lines(item.text) if clean(line)]
        if len(kept) != len(blocks):
            return None  # not the file the document was read from
        segments = []
        for (at, line), block in zip(kept, blocks, strict=True):
            if clean(line) != self.document.text[block.start : block.end]:
                return None
            a, _ = _kept(line)
            segments.append((block.start, block.end, at + a))
        return _Group([item], segments)

    def _cell(self, block: Block, col: int) -> _Group | None:
        from docx.table import Table

        item = self.items[block.index] if block.index < len(self.items) else None
        if not isinstance(item, Table) or block.row is None or block.row >= len(item.rows):
            return None
        cells, seen = [], set()
        for cell in item.rows[block.row].cells:  # each cell once, as readers/docx.py counts
            if cell._tc not in seen:
                seen.add(cell._tc)
                cells.append(cell)
        if col >= len(cells) or col >= len(block.cells):
            return None
        paragraphs = list(cells[col].paragraphs)
        raw = "\n".join(p.text for p in paragraphs)
        place = block.cells[col]
        segments = _segments(_cell_lines(raw), place.start)
        joined = "".join(SPACES.sub(" ", raw[at : at + b - a]) for a, b, at in segments)
        if joined != self.document.text[place.start : place.end]:
            return None
        return _Group(paragraphs, segments)


# --------------------------------------------------------------------------- writing


def _note(finding: Finding) -> str:
    return f"【{SEVERITY_ZH[finding.severity]}·{finding.rule}】{finding.message}"


def _comment(word: Any, document: Document, findings: list[Finding]) -> None:
    """Split runs at every finding edge, then put one comment around each finding's runs."""
    from docx.text.run import Run

    groups = _Groups(document, word)
    placed: list[tuple[Finding, _Group, tuple[int, int]]] = []
    edges: dict[int, tuple[_Group, set[int]]] = {}
    for finding in findings:
        group = groups.of(finding)
        span = group.raw_range(finding) if group is not None else None
        if group is None or span is None:
            continue
        placed.append((finding, group, span))
        edges.setdefault(id(group), (group, set()))[1].update(span)
    # all splits first: a vertically merged cell is one w:tc shared by several rows' groups
    for group, cuts in edges.values():
        _split_at(group, cuts)
    runs = {key: group.runs() for key, (group, _) in edges.items()}
    for finding, group, (a, b) in placed:
        covered = [(p, r) for p, r, x, y in runs[id(group)] if x < b and y > a]
        if not covered:
            continue
        (first_p, first_r), (last_p, last_r) = covered[0], covered[-1]
        # Document.add_comment puts w:commentRangeStart before the first run, and
        # w:commentRangeEnd plus the w:commentReference run after the last one
        word.add_comment(
            [Run(first_r, first_p), Run(last_r, last_p)],
            text=_note(finding),
            author=AUTHOR,
            initials=INITIALS,
        )


def write_annotated(document: Document, findings: list[Finding], out: str) -> None:
    """Write ``out`` atomically: a Word file with one comment per finding."""
    import docx

    from jjnlp.output import write_atomic

    word = docx.Document(document.path) if document.format == "docx" else docx.Document()
    _comment(word, document, findings)
    write_atomic(out, lambda temporary: word.save(str(temporary)))
