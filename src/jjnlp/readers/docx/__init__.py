"""Word (.docx): the text as Word shows it, in reading order; headers and footers as metadata.

- Paragraphs carry the list marker Word's automatic numbering draws before them
  (``一、``, ``（一）``, ``1.``: :mod:`jjnlp.readers.docx.numbering`); the marker has no run.
- Tracked changes are read as accepted: inserted and moved-in text kept, deleted and
  moved-away text dropped; ``metadata["revisions"]`` counts them.
- The paragraphs of text boxes follow the paragraph that anchors them (a box in a table
  follows the table), each box once.
- A table row has one cell per grid column: a cell spanning columns (``w:gridSpan``)
  keeps its text in the first and leaves the others empty, a vertically merged
  continuation (``w:vMerge``) is empty, so column ``c`` is the same column in every row.
  ``metadata["table_header_rows"]`` gives each table's header rows when they can be told
  (rows before the first row of figures), else ``None``.
- Footnotes and endnotes come after the body as blocks of kind ``"note"``, footnotes then
  endnotes, each in the order of their references; ``metadata["notes"]`` says for each
  where its reference stood.
- Headers and footers are metadata only (``metadata["headers"]``, ``["footers"]``),
  without page numbers (``— 1 —``, ``第1页``, PAGE fields).

See :mod:`jjnlp.readers.docx.story` for the walk; ``render/docx_comments.py`` runs the
same walk to put Word comments back on the runs.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from jjnlp.errors import CorruptFile, JjnlpError, cause_of
from jjnlp.model import Block, Document
from jjnlp.readers.assemble import DocumentBuilder, clean
from jjnlp.readers.docx.layout import cell_lines, kept, locate, paragraph_lines, segments
from jjnlp.readers.docx.numbering import Numbering, W
from jjnlp.readers.docx.package import (
    RT_ENDNOTES,
    RT_FOOTNOTES,
    RT_NUMBERING,
    RT_STYLES,
    open_docx,
    related_element,
)
from jjnlp.readers.docx.story import Note, Story, Unit, margin_text, read_story

__all__ = ["open_docx", "read_docx", "story_of"]

# a cell of figures: 12, 3.5, -2, 80%, 12.5万 (full-width digits too)
_FIGURE = re.compile(r"^[-+−]?[0-9０-９]+(?:[.．][0-9０-９]+)?\s*(?:[%％‰]|万|亿)?$")


def story_of(word: Any) -> Story:
    """The units of an opened python-docx Document, in reading order, numbered."""
    numbering = Numbering(related_element(word, RT_NUMBERING), related_element(word, RT_STYLES))
    notes = {
        "footnote": related_element(word, RT_FOOTNOTES),
        "endnote": related_element(word, RT_ENDNOTES),
    }
    return read_story(word.element.body, numbering, notes)


def _margins(word: Any, which: str) -> list[str]:
    """The text of each distinct header (or footer) definition, page numbers left out."""
    texts: list[str] = []
    for section in word.sections:
        for kind in ("", "first_page_", "even_page_"):
            part = getattr(section, f"{kind}{which}")
            try:
                if part.is_linked_to_previous:
                    continue
                root = part._element  # python-docx: the w:hdr / w:ftr of this definition
            except (KeyError, AttributeError):  # a reference to a part that is missing
                continue
            text = margin_text(root)
            if text and text not in texts:
                texts.append(text)
    return texts


def _header_rows(rows: list[list[str]]) -> int | None:
    """Rows before the first whose cells after the first are mostly figures (None: no such
    row, or no cells to tell by)."""
    for number, cells in enumerate(rows):
        values = [c for c in cells[1:] if c]
        if values and sum(bool(_FIGURE.match(c)) for c in values) * 2 > len(values):
            return number
    return None


def _revised(unit: Unit) -> bool:
    """The unit holds text that a tracked insertion or move put there."""
    elements = (
        [unit.para.element]
        if unit.para is not None
        else [p.element for row in unit.rows for cell in row for p in cell]
    )
    return any(
        element.find(f".//{W}ins") is not None or element.find(f".//{W}moveTo") is not None
        for element in elements
    )


def _build(path: Path, story: Story, metadata: dict[str, Any]) -> Document:
    builder = DocumentBuilder(str(path), "docx")
    header_rows: list[int | None] = []
    # the source units whose text comes partly from tracked insertions: a figure read there
    # is the draft's, not yet the author's settled text (the audit says so)
    metadata["revised_units"] = [u.index for u in story.units if _revised(u)]
    for unit in story.units:
        if unit.para is not None:
            builder.paragraph(unit.para.raw(), unit.index)
            continue
        texts = [["\n".join(p.raw() for p in cell) for cell in row] for row in unit.rows]
        for row_no, cells in enumerate(texts):
            builder.table_row(cells, unit.table or 0, row_no, unit.index)
        header_rows.append(_header_rows([[clean(c) for c in row] for row in texts]))
    metadata["tables"] = len(header_rows)
    metadata["table_header_rows"] = header_rows
    document = builder.build(metadata)
    if not story.notes:
        return document
    note_units = {u.index for u in story.units if u.kind == "note"}
    blocks = tuple(replace(b, kind="note") if b.index in note_units else b for b in document.blocks)
    positions: dict[int, list[int]] = {}
    for position, block in enumerate(blocks):
        positions.setdefault(block.index, []).append(position)
    notes = [
        _note_record(note, story.units, blocks, positions, document.text) for note in story.notes
    ]
    return replace(document, blocks=blocks, metadata={**document.metadata, "notes": notes})


def _note_record(
    note: Note,
    units: list[Unit],
    blocks: tuple[Block, ...],
    positions: dict[int, list[int]],
    text: str,
) -> dict[str, Any]:
    """Where a note's blocks are and where its reference stood in the document."""
    mine = [k for u in note.units for k in positions.get(u, [])]
    ref = note.reference
    at = positions.get(ref.unit, [])
    reference_block: int | None = None
    offset: int | None = None
    unit = units[ref.unit]
    if unit.para is not None and at:
        placed = []
        kept_lines = [(a, line) for a, line in paragraph_lines(unit.para.raw()) if clean(line)]
        for (a, line), k in zip(kept_lines, at, strict=False):
            placed.append((blocks[k].start, blocks[k].end, a + kept(line)[0]))
        offset = locate(placed, ref.raw)
    elif ref.row is not None and ref.col is not None:
        rows = [k for k in at if blocks[k].row == ref.row]
        if rows and ref.col < len(blocks[rows[0]].cells):
            cell = blocks[rows[0]].cells[ref.col]
            paras = unit.rows[ref.row][ref.col]
            raw = "\n".join(p.raw() for p in paras)
            offset = locate(segments(cell_lines(raw), cell.start), ref.raw)
    if offset is not None:
        reference_block = next(
            (k for k in at if blocks[k].start <= offset <= blocks[k].end), at[0] if at else None
        )
    return {
        "kind": note.kind,
        "id": note.id,
        "block": mine[0] if mine else None,
        "blocks": len(mine),
        "text": "\n".join(text[blocks[k].start : blocks[k].end] for k in mine),
        "reference_block": reference_block,
        "reference_offset": offset,
    }


def read_docx(path: Path) -> Document:
    word, repaired = open_docx(path)
    try:
        story = story_of(word)
        metadata: dict[str, Any] = {
            "headers": _margins(word, "header"),
            "footers": _margins(word, "footer"),
            "source_size": path.stat().st_size,
            "revisions": story.revisions,
            "has_revisions": story.has_revisions,
        }
        if repaired:
            metadata["repaired_parts"] = repaired
        props = word.core_properties
        if props.title:
            metadata["title"] = props.title
        if props.author:
            metadata["author"] = props.author
        return _build(path, story, metadata)
    except JjnlpError:
        raise
    except Exception as exc:  # a malformed part discovered while walking the body
        raise CorruptFile(str(path), f"Word 文档内容无法解析（{cause_of(exc)}）") from exc
