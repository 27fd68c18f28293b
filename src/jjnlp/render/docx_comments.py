"""The document returned as Word with each finding as a comment (批注) on the offending text.

A .docx input keeps its own paragraphs, runs and formatting: a run that a finding starts or
ends inside is split there (deep copies of its ``w:r``, ``w:rPr`` included, each trimmed to
its share of the text), every other run is left as it is, and the comment range is placed
around exactly the runs of the finding's text. The comments themselves go through
python-docx's ``Document.add_comment``; only the run splitting works on the lxml elements
directly, as python-docx has no API to split a run. Text and PDF input become a new Word
file, one paragraph per block, with the comments placed by the same groups and ranges
(written by :mod:`jjnlp.render.docx_new`).

Offsets. A finding's ``start``/``end`` index ``Document.text``, the normalised text the docx
reader built (``readers/docx/``, ``readers/assemble.py``). The annotated file is walked by
the reader's own walk (:func:`jjnlp.readers.docx.story_of`), so each block's ``index``
names the same source unit (a paragraph, a text-box paragraph, a table) and a table row's
``row``/cell ``col`` the same grid cell; the unit's raw text (its list marker, then the
runs Word shows: inserted text in, deleted text out) is cut and cleaned the way
``DocumentBuilder`` did (``readers/docx/layout.py``), which maps an offset back to a run
and a character inside it. The list marker has no run: a finding on it is anchored on
the paragraph's first run. A cell merged away (spanned column, vertical continuation) is
empty and holds no finding; footnotes and endnotes are not annotated.
"""

from __future__ import annotations

import copy
import io
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from jjnlp.model import Block, Document, Finding
from jjnlp.readers.assemble import SPACES, clean
from jjnlp.readers.docx.layout import cell_lines, kept, paragraph_lines, segments
from jjnlp.readers.docx.story import Para, Unit
from jjnlp.render.findings import SEVERITY_ZH

AUTHOR = "jjnlp"
INITIALS = "JJ"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# the run children python-docx's Run.text turns into characters (CT_R.text); every other
# child (rPr, drawings, field characters, page breaks…) carries no text
_TEXT_TAGS = frozenset(_W + t for t in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


# --------------------------------------------------------------------------- runs


@dataclass
class _Group:
    """One paragraph, or the paragraphs of one table cell, and how its text maps to runs.

    ``segments`` are ``(document start, document end, raw start)``; the raw text is each
    paragraph's list marker and runs' text in order, the paragraphs of a cell joined by a
    ``\\n`` no run holds.
    """

    paragraphs: list[Para]
    segments: list[tuple[int, int, int]]

    def runs(self) -> list[tuple[Any, int, int, bool]]:
        """(``w:r`` element, raw start, raw end, is the marker) of every piece of raw text.

        A list marker has no run of its own: it is reported as the paragraph's first run
        (so a finding on it is anchored there), flagged so that it is never split.
        """
        out = []
        at = 0
        for number, paragraph in enumerate(self.paragraphs):
            if number:
                at += 1  # the "\n" between a cell's paragraphs
            runs = paragraph.runs()
            if paragraph.marker:
                if runs:
                    out.append((runs[0], at, at + len(paragraph.marker), True))
                at += len(paragraph.marker)
            for r in runs:
                length = len(r.text)
                out.append((r, at, at + length, False))
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
    for r, a, b, marker in group.runs():
        if marker:
            continue
        cuts = sorted(x - a for x in edges if a < x < b)
        if cuts:
            _split(r, cuts)


# --------------------------------------------------------------------------- groups


class _Groups:
    """The paragraph or cell groups of the output document, each built once when first asked."""

    def __init__(self, document: Document, word: Any = None) -> None:
        self.document = document
        self.starts = [b.start for b in document.blocks]
        self.cache: dict[tuple[int, ...], _Group | None] = {}
        self.units: list[Unit] = []
        self.lines: dict[int, list[Block]] = {}
        if document.format == "docx":
            from jjnlp.readers.docx import story_of

            self.units = story_of(word).units  # the walk the reader made
            for block in document.blocks:
                if block.kind == "paragraph":
                    self.lines.setdefault(block.index, []).append(block)
            return
        for position, block in enumerate(document.blocks):  # a new document, block by block
            self.cache[(position,)] = _Group([], [(block.start, block.end, 0)])

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
        elif block.kind == "table_row":
            keys = [((block.index, block.row or 0, cell.col), cell.col) for cell in block.cells]
        else:
            keys = []  # a footnote or endnote: not annotated
        for key, col in keys:
            if key not in self.cache:
                self.cache[key] = (
                    self._paragraph(block.index) if col is None else self._cell(block, col)
                )
            group = self.cache[key]
            if group is not None:
                yield group

    def _unit(self, index: int) -> Unit | None:
        return self.units[index] if 0 <= index < len(self.units) else None

    def _paragraph(self, index: int) -> _Group | None:
        unit = self._unit(index)
        if unit is None or unit.kind != "paragraph" or unit.para is None:
            return None
        blocks = self.lines.get(index, [])
        lines = [(at, line) for at, line in paragraph_lines(unit.para.raw()) if clean(line)]
        if len(lines) != len(blocks):
            return None  # not the file the document was read from
        placed = []
        for (at, line), block in zip(lines, blocks, strict=True):
            if clean(line) != self.document.text[block.start : block.end]:
                return None
            a, _ = kept(line)
            placed.append((block.start, block.end, at + a))
        return _Group([unit.para], placed)

    def _cell(self, block: Block, col: int) -> _Group | None:
        unit = self._unit(block.index)
        if unit is None or unit.kind != "table" or block.row is None:
            return None
        if block.row >= len(unit.rows) or col >= len(unit.rows[block.row]):
            return None
        if col >= len(block.cells):
            return None
        paragraphs = unit.rows[block.row][col]
        if not paragraphs:
            return None  # merged away: the text is in the cell that spans or starts here
        raw = "\n".join(p.raw() for p in paragraphs)
        place = block.cells[col]
        placed = segments(cell_lines(raw), place.start)
        joined = "".join(SPACES.sub(" ", raw[at : at + b - a]) for a, b, at in placed)
        if joined != self.document.text[place.start : place.end]:
            return None
        return _Group(paragraphs, placed)


# --------------------------------------------------------------------------- writing


def _note(finding: Finding) -> str:
    from jjnlp.audit.registry import rule_title

    return f"【{SEVERITY_ZH[finding.severity]}·{rule_title(finding.rule)}】{finding.message}"


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
    # all splits first, then the runs of each group are read again
    for group, cuts in edges.values():
        _split_at(group, cuts)
    runs = {key: group.runs() for key, (group, _) in edges.items()}
    for finding, group, (a, b) in placed:
        covered = [r for r, x, y, _ in runs[id(group)] if x < b and y > a]
        if not covered:
            continue
        # Document.add_comment puts w:commentRangeStart before the first run, and
        # w:commentRangeEnd plus the w:commentReference run after the last one; the runs'
        # parent is only asked for its part, which is the document's
        word.add_comment(
            [Run(covered[0], word), Run(covered[-1], word)],
            text=_note(finding),
            author=AUTHOR,
            initials=INITIALS,
        )


def _new(document: Document, findings: list[Finding]) -> bytes:
    """A new Word file for text or PDF input: one paragraph per block, the comments placed
    as on a Word input (the same groups and ranges), numbered in the findings' order."""
    from jjnlp.render.docx_new import new_docx

    groups = _Groups(document)
    position = {id(group): key[0] for key, group in groups.cache.items()}
    ranges: dict[int, list[tuple[int, int, int]]] = {}
    notes: list[str] = []
    for finding in findings:
        group = groups.of(finding)
        span = group.raw_range(finding) if group is not None else None
        if group is None or span is None:
            continue
        ranges.setdefault(position[id(group)], []).append((len(notes), *span))
        notes.append(_note(finding))
    paragraphs = [
        (document.text[block.start : block.end], ranges.get(k, ()))
        for k, block in enumerate(document.blocks)
    ]
    return new_docx(paragraphs, notes)


def annotated_docx(document: Document, findings: list[Finding]) -> bytes:
    """The Word file with one comment per finding, as the bytes of a .docx."""
    if document.format != "docx":
        return _new(document, findings)
    from jjnlp.readers.docx import open_docx

    word, _ = open_docx(Path(document.path))
    _comment(word, document, findings)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def write_annotated(document: Document, findings: list[Finding], out: str) -> None:
    """Write ``out`` atomically: a Word file with one comment per finding."""
    from jjnlp.output import write_bytes_atomic

    write_bytes_atomic(out, annotated_docx(document, findings))
