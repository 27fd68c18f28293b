"""The text of a Word document as Word shows it, unit by unit, in reading order.

python-docx's ``Paragraph.text`` reads only the runs that are direct children of the
paragraph or of a hyperlink, so it drops inserted (``w:ins``) and moved (``w:moveTo``)
text, content controls, fields and smart tags; it has no API for text boxes, footnotes,
endnotes, revisions or the table grid (``Table.rows[i].cells`` repeats a merged cell).
This module therefore walks the lxml elements of the parts python-docx opened.

A *unit* is one source paragraph (body, text box, table cell), one table, or one note
paragraph; ``Block.index`` is the unit's position in :attr:`Story.units`. The same walk
over the same file gives the same units, which is how ``render/docx_comments.py`` finds
the runs of a block again.

Reading order: the body's paragraphs and tables (content controls opened, a table of
contents control skipped); the paragraphs of the text boxes a paragraph anchors right
after it (a box in a table after the table; each box once, though
``mc:AlternateContent`` holds it twice); then the footnotes and the endnotes, each in
the order of their first reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from jjnlp.readers.assemble import clean
from jjnlp.readers.docx.numbering import MC, Numbering, W

# elements whose w:r descendants belong to the paragraph's text (a hyperlink, an
# insertion, a move destination, a content control, a simple field, a smart tag …)
_RUN_CONTAINERS = frozenset(
    W + tag
    for tag in (
        "hyperlink",
        "ins",
        "moveTo",
        "smartTag",
        "customXml",
        "fldSimple",
        "dir",
        "bdo",
        "sdt",
        "sdtContent",
    )
)
_REVISIONS = tuple(
    W + tag
    for tag in (
        "ins",
        "del",
        "moveTo",
        "moveFrom",
        "rPrChange",
        "pPrChange",
        "sectPrChange",
        "tblPrChange",
        "trPrChange",
        "tcPrChange",
        "tblGridChange",
        "numberingChange",
        "cellIns",
        "cellDel",
        "cellMerge",
    )
)
_NOTE_KINDS = (("footnote", "footnoteReference"), ("endnote", "endnoteReference"))
_SEPARATORS = frozenset(("separator", "continuationSeparator", "continuationNotice"))
_PAGE_FIELDS = frozenset(("PAGE", "NUMPAGES", "SECTIONPAGES"))
_MAX_COLUMNS = 64  # Word tables have at most 63 columns: a larger span or skip is damage


def kept_runs(p: Any) -> list[Any]:
    """The ``w:r`` elements of paragraph ``p`` whose text Word shows, in order: inserted
    (``w:ins``) and moved-in (``w:moveTo``) runs kept; deleted (``w:del``) and moved-away
    (``w:moveFrom``) runs, shown struck through, are not entered, nor is anything else
    that is not a run container; text boxes inside a run's drawing stay out, as CT_R.text
    reads only a run's own text children."""
    out: list[Any] = []

    def visit(parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "r":
                out.append(child)
            elif tag in _RUN_CONTAINERS:
                visit(child)

    visit(p)
    return out


def _mark_deleted(p: Any) -> bool:
    """The paragraph mark itself is a tracked deletion (the paragraph is merged away)."""
    return p.find(f"{W}pPr/{W}rPr/{W}del") is not None


def text_boxes(container: Any) -> list[Any]:
    """The ``w:txbxContent`` of the text boxes (and shapes with text) inside ``container``
    — a paragraph or a cell — in document order, each once: in ``mc:AlternateContent``
    the box of the first ``mc:Choice`` holding one wins over the ``mc:Fallback`` copy; a
    box inside a box is left to the walk of the outer box."""
    out = []
    for box in container.iter(W + "txbxContent"):
        skip = False
        node = box.getparent()
        while node is not None and node is not container:
            tag = node.tag
            if tag == W + "txbxContent":
                skip = True  # nested: read with the outer box
                break
            if tag in (MC + "Fallback", MC + "Choice"):
                branch = node
                alternate = branch.getparent()
                if alternate is not None:
                    for other in alternate:
                        if other is branch:
                            break
                        if next(other.iter(W + "txbxContent"), None) is not None:
                            skip = True  # an earlier branch holds the same box
                            break
                if skip:
                    break
            node = node.getparent()
        if not skip:
            out.append(box)
    return out


@dataclass
class Para:
    """One source paragraph and the list marker Word shows before it."""

    element: Any  # w:p
    marker: str = ""

    def runs(self) -> list[Any]:
        return kept_runs(self.element)

    def raw(self) -> str:
        return self.marker + "".join(r.text for r in self.runs())


Grid = list[list[list[Para]]]  # row → grid column → the cell's paragraphs ([]: merged away)


@dataclass
class Unit:
    kind: Literal["paragraph", "table", "note"]
    index: int
    para: Para | None = None  # paragraph, note
    rows: Grid = field(default_factory=list)  # table
    table: int | None = None  # 0-based table number


@dataclass
class Reference:
    """Where a footnote or endnote reference stands: a unit and a raw offset in it."""

    kind: str  # "footnote" | "endnote"
    id: str
    unit: int
    raw: int  # offset in the paragraph's raw text, or in the cell's raw text
    row: int | None = None
    col: int | None = None


@dataclass
class Note:
    kind: str
    id: str
    units: list[int]
    reference: Reference


@dataclass
class Story:
    units: list[Unit]
    notes: list[Note]
    revisions: dict[str, int]
    has_revisions: bool


class _Walker:
    def __init__(self, numbering: Numbering, kind: Literal["paragraph", "note"]) -> None:
        self.numbering = numbering
        self.kind: Literal["paragraph", "note"] = kind
        self.units: list[Unit] = []
        self.references: list[Reference] = []
        self.tables = 0

    def content(self, parent: Any) -> None:
        """Block-level content: paragraphs, tables, content controls, custom XML."""
        for child in parent:
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child)
            elif tag == W + "tbl" and self.kind == "paragraph":
                self.table(child)
            elif tag == W + "sdt":
                if not _is_toc(child):
                    inner = child.find(W + "sdtContent")
                    if inner is not None:
                        self.content(inner)
            elif tag == W + "customXml":
                self.content(child)

    def paragraph(self, p: Any) -> None:
        runs = kept_runs(p)
        # a deleted empty paragraph (its mark deleted too): Word shows nothing, not even
        # its number, so it is neither a unit nor counted
        if not _mark_deleted(p) or any(r.text for r in runs):
            para = Para(p, self.numbering.marker(p))
            unit = Unit(self.kind, 0, para)
            self._add(unit)
            self._references(runs, unit.index, len(para.marker))
        if self.kind == "paragraph":
            for box in text_boxes(p):
                self.content(box)

    def _add(self, unit: Unit) -> None:
        unit.index = len(self.units)
        self.units.append(unit)

    def _references(
        self,
        runs: list[Any],
        unit: int,
        at: int,
        row: int | None = None,
        col: int | None = None,
    ) -> None:
        for r in runs:
            for kind, tag in _NOTE_KINDS:
                for ref in r.iterchildren(W + tag):
                    note_id = ref.get(W + "id")
                    if note_id is not None:
                        self.references.append(Reference(kind, note_id, unit, at, row, col))
            at += len(r.text)

    def table(self, tbl: Any) -> None:
        unit = Unit("table", 0, table=self.tables)
        self.tables += 1
        self._add(unit)
        boxes: list[Any] = []
        rows: Grid = []
        for tr in _children(tbl, "tr"):
            trpr = tr.find(W + "trPr")
            if trpr is not None and trpr.find(W + "del") is not None:
                continue  # a deleted row
            cells: list[list[Para]] = [[] for _ in range(_count(trpr, "gridBefore"))]
            for tc in _children(tr, "tc"):
                tcpr = tc.find(W + "tcPr")
                span = max(1, _count(tcpr, "gridSpan"))
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                paras: list[Para] = []
                if vmerge is None or vmerge.get(W + "val") == "restart":
                    raw_at = 0
                    for p in _children(tc, "p"):
                        if paras:
                            raw_at += 1  # the "\n" between a cell's paragraphs
                        para = Para(p, self.numbering.marker(p))
                        paras.append(para)
                        at = raw_at + len(para.marker)
                        self._references(para.runs(), unit.index, at, len(rows), len(cells))
                        raw_at += len(para.raw())
                        boxes.extend(text_boxes(p))
                # else: a vertical merge continues here; Word shows the cell above
                cells.append(paras)
                cells.extend([] for _ in range(span - 1))
            cells.extend([] for _ in range(_count(trpr, "gridAfter")))
            rows.append(cells)
        width = max((len(cells) for cells in rows), default=0)
        for cells in rows:
            cells.extend([] for _ in range(width - len(cells)))
        unit.rows = rows
        for box in boxes:
            self.content(box)


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Children ``w:tag`` of ``parent``, looking through content controls and custom XML."""
    for child in parent:
        if child.tag == W + tag:
            yield child
        elif child.tag == W + "sdt":
            inner = child.find(W + "sdtContent")
            if inner is not None:
                yield from _children(inner, tag)
        elif child.tag == W + "customXml":
            yield from _children(child, tag)


def _count(props: Any, tag: str) -> int:
    """An integer property such as ``w:gridSpan`` (1 when absent) or ``w:gridBefore``."""
    default = 1 if tag == "gridSpan" else 0
    if props is None:
        return default
    child = props.find(W + tag)
    if child is None:
        return default
    try:
        return min(max(int(child.get(W + "val") or default), 0), _MAX_COLUMNS)
    except ValueError:
        return default


def _is_toc(sdt: Any) -> bool:
    gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
    return gallery is not None and "Contents" in (gallery.get(W + "val") or "")


def count_revisions(roots: list[Any]) -> tuple[dict[str, int], bool]:
    """Tracked changes that changed text or rows (insertions, deletions, moves), and
    whether there is any revision mark at all (formatting and numbering changes too)."""
    counts = {"insertions": 0, "deletions": 0, "moves": 0}
    marked = False
    for root in roots:
        for element in root.iter(*_REVISIONS):
            marked = True
            parent = element.getparent()
            textual = next(element.iter(W + "r"), None) is not None or (
                parent is not None and parent.tag == W + "trPr"
            )
            if not textual:
                continue
            if element.tag == W + "ins":
                counts["insertions"] += 1
            elif element.tag == W + "del":
                counts["deletions"] += 1
            elif element.tag == W + "moveTo":
                counts["moves"] += 1
    return counts, marked


def read_story(body: Any, numbering: Numbering, notes: dict[str, Any | None]) -> Story:
    """Walk the body, then the notes it references (``notes``: kind → part root)."""
    walker = _Walker(numbering, "paragraph")
    walker.content(body)
    units = walker.units
    found: list[Note] = []
    note_numbering = numbering.fresh()
    roots = [body]
    for kind, _ in _NOTE_KINDS:
        root = notes.get(kind)
        if root is None:
            continue
        roots.append(root)
        by_id = {el.get(W + "id"): el for el in root.iterchildren(W + kind)}
        seen: set[str] = set()
        for ref in walker.references:
            if ref.kind != kind or ref.id in seen:
                continue
            seen.add(ref.id)
            note = by_id.get(ref.id)
            if note is None or note.get(W + "type") in _SEPARATORS:
                continue  # a reference to a note that does not exist: skipped
            reader = _Walker(note_numbering, "note")
            reader.units = units  # note units continue the numbering of units
            before = len(units)
            reader.content(note)
            found.append(Note(kind, ref.id, list(range(before, len(units))), ref))
    revisions, marked = count_revisions(roots)
    return Story(units, found, revisions, marked)


# --------------------------------------------------------------------------- margins

# a header or footer line that is nothing but a page number: — 1 —, - 1 -, 第1页, 第1页
# 共3页, 1/3, Page 1 of 3 (the digits may be gone: they came from a PAGE field)
_DASHES = r"[\s\-—–－―─_·•~～]*"
_PAGE_ONLY = re.compile(
    rf"^{_DASHES}(?:(?:第\s*)?[0-9０-９]*\s*页?(?:\s*(?:[/／]|共)\s*[0-9０-９]*\s*页?)?"
    rf"|page\s*[0-9]*(?:\s*of\s*[0-9]*)?){_DASHES}$",
    re.IGNORECASE,
)


def is_page_number(text: str) -> bool:
    return bool(_PAGE_ONLY.match(text))


def _page_field(instruction: str) -> bool:
    words = instruction.split()
    return bool(words) and words[0].upper() in _PAGE_FIELDS


def _field_free_text(p: Any) -> str:
    """The paragraph's shown text without the results of PAGE / NUMPAGES / SECTIONPAGES
    fields (complex fields: ``w:fldChar`` begin … separate … end; simple: ``w:fldSimple``)."""
    pieces: list[str] = []
    stack: list[list[Any]] = []  # the open complex fields: [instruction, separated]

    def hidden() -> bool:  # inside the result of an open page-number field
        return any(separated and _page_field(instr) for instr, separated in stack)

    def visit(parent: Any, simple_page: bool) -> None:
        for child in parent:
            tag = child.tag
            if tag == W + "r":
                for part in child:
                    if part.tag == W + "fldChar":
                        kind = part.get(W + "fldCharType")
                        if kind == "begin":
                            stack.append(["", False])
                        elif kind == "separate" and stack:
                            stack[-1][1] = True
                        elif kind == "end" and stack:
                            stack.pop()
                    elif part.tag == W + "instrText" and stack:
                        stack[-1][0] += part.text or ""
                if not simple_page and not hidden():
                    pieces.append(child.text)
            elif tag == W + "fldSimple":
                visit(child, simple_page or _page_field(child.get(W + "instr") or ""))
            elif tag in _RUN_CONTAINERS:
                visit(child, simple_page)

    visit(p, False)
    return "".join(pieces)


def margin_text(root: Any) -> str:
    """One header or footer: its lines that are not page numbers, joined by a space."""
    walker = _Walker(Numbering(None, None), "paragraph")
    walker.content(root)
    lines: list[str] = []
    for unit in walker.units:
        paras = [unit.para] if unit.para else [p for row in unit.rows for ps in row for p in ps]
        for para in paras:
            line = clean(_field_free_text(para.element))
            if line and not is_page_number(line):
                lines.append(line)
    text = clean(" ".join(lines))
    return "" if is_page_number(text) else text
