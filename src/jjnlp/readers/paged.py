"""A document of fixed-layout pages (PDF text layers, scanned pages): positioned lines and
tables → blocks in reading order, with the running headers and footers set aside.

The readers of :mod:`jjnlp.readers.pdf` and :mod:`jjnlp.readers.ocr` give each page's lines
(:class:`~jjnlp.readers.layout.Line`) and tables; this module rebuilds the paragraphs once,
the same way for both. Paragraphs read by OCR are named in ``metadata["ocr_units"]`` (their
block indexes, as the audit's uncertainty check reads them), with their lowest recognition
score in ``metadata["ocr_confidence"]`` (block index → score) and ``metadata["ocr"] = True``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jjnlp.errors import NoTextLayer
from jjnlp.model import Document
from jjnlp.readers.assemble import DocumentBuilder
from jjnlp.readers.layout import Line, paragraphs, running_furniture


@dataclass(slots=True)
class Table:
    """A ruled table of a page: its cells' texts, row by row, and where it starts."""

    page: int
    top: float
    rows: list[list[str]]


def has_text(tables: Sequence[Table]) -> bool:
    return any(any(any(cell for cell in row) for row in t.rows) for t in tables)


def paged_document(
    path: str,
    fmt: str,
    lines: Sequence[Line],
    tables: Sequence[Table],
    heights: Mapping[int, float],
    metadata: Mapping[str, Any],
    empty: str,
) -> Document:
    """The document of ``lines`` (in page order) and ``tables``; ``heights`` are the pages'
    heights in points, ``empty`` the message of the :class:`NoTextLayer` raised when no body
    text is left."""
    furniture = running_furniture(lines, heights)
    found = paragraphs(furniture.body)
    if not found and not has_text(tables):
        raise NoTextLayer(path, empty)
    # paragraphs and tables interleaved in reading order: page, then vertical position
    items: list[tuple[int, float, int, Any]] = [(p.page, p.top, 1, p) for p in found]
    items += [(t.page, t.top, 0, t) for t in tables]
    items.sort(key=lambda item: (item[0], item[1], item[2]))
    builder = DocumentBuilder(path, fmt)
    table_no = 0
    confidence: dict[int, float] = {}
    for index, (page_no, _, kind, payload) in enumerate(items):
        if kind == 1:
            builder.paragraph(payload.text, index, page_no)
            if payload.confidence is not None:
                confidence[index] = round(payload.confidence, 3)
        else:
            for row_no, row in enumerate(payload.rows):
                builder.table_row(row, table_no, row_no, index, page_no)
            table_no += 1
    out: dict[str, Any] = {
        **metadata,
        "headers": furniture.headers,
        "footers": furniture.footers,
        "tables": table_no,
    }
    if confidence:
        out["ocr"] = True
        out["ocr_units"] = sorted(confidence)
        out["ocr_confidence"] = confidence
    return builder.build(out)
