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
A page with no text of its own (a scan) is read by OCR (:mod:`jjnlp.readers.ocr`) when the
optional engine is installed; ``[read] ocr`` says when (``auto``, ``always``, ``never``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jjnlp.errors import CorruptFile, EncryptedPdf, JjnlpError, cause_of
from jjnlp.model import Document
from jjnlp.readers.layout import Glyph, Line, glyph_lines
from jjnlp.readers.paged import Table, has_text, paged_document

Box = tuple[float, float, float, float]


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


def _page_content(page: Any, number: int) -> tuple[list[Line], list[Table]]:
    width, height = float(page.width), float(page.height)
    glyphs = [
        _glyph(c)
        for c in page.chars
        if c.get("x1", 0) > 0
        and c.get("x0", 0) < width
        and c.get("bottom", 0) > 0
        and c.get("top", 0) < height
    ]
    tables: list[Table] = []
    boxes: list[Box] = []
    for table in page.find_tables():
        x0, top, x1, bottom = (float(v) for v in table.bbox)
        box = (x0, top, x1, bottom)
        inside = [g for g in glyphs if _within(g, box)]
        rows = [[_cell_text(inside, cell) for cell in row.cells] for row in table.rows]
        tables.append(Table(number, box[1], rows))
        boxes.append(box)
    body = [g for g in glyphs if not any(_within(g, box) for box in boxes)]
    return glyph_lines(body, number), tables


def _scanned(mode: str, lines: list[Line], tables: list[Table]) -> bool:
    """Whether a page is read by OCR: always, or (auto) when it has no text of its own."""
    return mode == "always" or (mode == "auto" and not lines and not has_text(tables))


def read_pdf(path: Path, ocr: str = "auto") -> Document:
    """Read the text layer; pages without one are read by OCR unless ``ocr`` is ``"never"``
    (``"always"``: every page by OCR, the text layer ignored)."""
    from jjnlp.readers import ocr as recogniser

    if ocr == "always":
        recogniser.require(str(path))
    pdf = _open(path)
    pages: dict[int, list[Line]] = {}
    scanned: list[int] = []
    tables: list[Table] = []
    heights: dict[int, float] = {}
    try:
        with pdf:
            page_count = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                heights[number] = float(page.height)
                page_lines, page_tables = (
                    ([], []) if ocr == "always" else _page_content(page, number)
                )
                if _scanned(ocr, page_lines, page_tables):
                    scanned.append(number)
                pages[number] = page_lines
                tables.extend(page_tables)
            info = pdf.metadata or {}
        if not recogniser.available():
            scanned = []
        if scanned:
            pages.update(recogniser.pdf_pages(path, scanned))
        lines = [line for number in sorted(pages) for line in pages[number]]
        metadata: dict[str, Any] = {"page_count": page_count, "source_size": path.stat().st_size}
        if scanned:
            metadata["ocr_pages"] = scanned
        for key in ("Title", "Author"):
            value = info.get(key)
            if isinstance(value, str) and value:
                metadata[key.lower()] = value
        return paged_document(
            str(path), "pdf", lines, tables, heights, metadata, recogniser.no_text(ocr, scanned)
        )
    except JjnlpError:
        raise
    except Exception as exc:
        raise CorruptFile(str(path), f"PDF 页面内容无法解析（{cause_of(exc)}）") from exc
