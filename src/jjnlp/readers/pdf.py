"""PDF with a text layer (pdfplumber): paragraphs rebuilt from the layout, tables kept as rows.

Characters are grouped into lines by position and the lines into paragraphs by
:mod:`jjnlp.readers.layout` (first-line indent, margins, line spacing, font size,
centring, heading markers); a paragraph may run on across a page break. The space
exporters put between Chinese and digits or Latin letters (``立案 22 件``) is layout,
not text, and is not read, nor is a space typed there (a PDF cannot tell them
apart); a space between two numbers or two Latin words is kept, and so is a gap
as wide as a tab stop or a column.
Running headers and footers (page numbers such as ``— 3 —``, ``- 3 -``, ``第1页 共3页``,
and text repeated at the top or bottom of most pages) are taken out of the body and
kept in ``metadata["headers"]`` / ``metadata["footers"]``. Text inside a ruled table
is read only as the table's cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jjnlp.errors import CorruptFile, EncryptedPdf, JjnlpError, NoTextLayer, cause_of
from jjnlp.model import Document
from jjnlp.readers.assemble import DocumentBuilder
from jjnlp.readers.layout import Glyph, Line, glyph_lines, paragraphs, running_furniture

Box = tuple[float, float, float, float]


@dataclass(slots=True)
class _Table:
    page: int
    top: float
    rows: list[list[str]]


def _open(path: Path) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(str(path))
        _ = pdf.pages  # forces the page tree to be parsed
        return pdf
    except Exception as exc:
        # pdfplumber wraps pdfminer's exceptions: look at the original one
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise EncryptedPdf(
                str(path), "PDF 已加密，需要密码才能读取；请提供未加密的版本"
            ) from exc
        raise CorruptFile(str(path), f"PDF 文件已损坏或无法解析（{cause_of(cause)}）") from exc


def _glyph(char: dict[str, Any]) -> Glyph:
    return Glyph(
        str(char.get("text") or ""),
        float(char["x0"]),
        float(char["x1"]),
        float(char["top"]),
        float(char["bottom"]),
        float(char.get("size") or 0.0) or float(char["bottom"]) - float(char["top"]),
    )


def _within(glyph: Glyph, box: Box) -> bool:
    x0, top, x1, bottom = box
    cx, cy = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom


def _cell_text(glyphs: list[Glyph], box: Box | None) -> str:
    """A cell's lines (the builder joins them with nothing); a merged-away cell is empty."""
    if box is None:
        return ""
    inside = [g for g in glyphs if _within(g, box)]
    return "\n".join(line.text for line in glyph_lines(inside, 0))


def _page_content(page: Any, number: int) -> tuple[list[Line], list[_Table]]:
    width, height = float(page.width), float(page.height)
    glyphs = [
        _glyph(c)
        for c in page.chars
        if c.get("x1", 0) > 0
        and c.get("x0", 0) < width
        and c.get("bottom", 0) > 0
        and c.get("top", 0) < height
    ]
    tables: list[_Table] = []
    boxes: list[Box] = []
    for table in page.find_tables():
        x0, top, x1, bottom = (float(v) for v in table.bbox)
        box = (x0, top, x1, bottom)
        inside = [g for g in glyphs if _within(g, box)]
        rows = [[_cell_text(inside, cell) for cell in row.cells] for row in table.rows]
        tables.append(_Table(number, box[1], rows))
        boxes.append(box)
    body = [g for g in glyphs if not any(_within(g, box) for box in boxes)]
    return glyph_lines(body, number), tables


def _has_text(tables: list[_Table]) -> bool:
    return any(any(any(cell for cell in row) for row in t.rows) for t in tables)


def read_pdf(path: Path) -> Document:
    pdf = _open(path)
    lines: list[Line] = []
    tables: list[_Table] = []
    heights: dict[int, float] = {}
    try:
        with pdf:
            page_count = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                heights[number] = float(page.height)
                page_lines, page_tables = _page_content(page, number)
                lines.extend(page_lines)
                tables.extend(page_tables)
            info = pdf.metadata or {}
        furniture = running_furniture(lines, heights)
        found = paragraphs(furniture.body)
    except JjnlpError:
        raise
    except Exception as exc:
        raise CorruptFile(str(path), f"PDF 页面内容无法解析（{cause_of(exc)}）") from exc
    if not found and not _has_text(tables):
        raise NoTextLayer(str(path), "PDF 没有文字层（可能是扫描件或图片），请先做文字识别（OCR）")
    # paragraphs and tables interleaved in reading order: page, then vertical position
    items: list[tuple[int, float, int, Any]] = [(p.page, p.top, 1, p.text) for p in found]
    items += [(t.page, t.top, 0, t) for t in tables]
    items.sort(key=lambda item: (item[0], item[1], item[2]))
    builder = DocumentBuilder(str(path), "pdf")
    table_no = 0
    for index, (page_no, _, kind, payload) in enumerate(items):
        if kind == 1:
            builder.paragraph(payload, index, page_no)
        else:
            for row_no, row in enumerate(payload.rows):
                builder.table_row(row, table_no, row_no, index, page_no)
            table_no += 1
    metadata: dict[str, Any] = {
        "page_count": page_count,
        "headers": furniture.headers,
        "footers": furniture.footers,
        "tables": table_no,
        "source_size": path.stat().st_size,
    }
    for key in ("Title", "Author"):
        value = info.get(key)
        if isinstance(value, str) and value:
            metadata[key.lower()] = value
    return builder.build(metadata)
