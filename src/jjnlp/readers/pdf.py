"""PDF with a text layer (pdfplumber): lines joined back into paragraphs, tables kept as rows.

Running page numbers (``- 3 -``, ``— 3 —``, ``第3页``, a lone number at the top or
bottom of a page) are dropped. A paragraph starts at an indented line, or after a
line that ends clearly short of the right margin; it may run on across a page break.
Lines are joined with nothing (Chinese has no spaces), except between two Latin
letters, where the line break stood for a space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

from jjnlp.errors import CorruptFile, EncryptedPdf, NoTextLayer
from jjnlp.model import Document
from jjnlp.readers.assemble import DocumentBuilder, clean

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4})$"
)
_MARGIN_BAND = 0.1  # a page number stands in the top or bottom tenth of the page


@dataclass(slots=True)
class _Line:
    page: int
    top: float
    x0: float
    x1: float
    size: float
    text: str


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
        detail = f"{type(cause).__name__}: {cause}".rstrip(": ")
        raise CorruptFile(str(path), f"PDF 文件已损坏或无法解析（{detail}）") from exc


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _page_content(page: Any, number: int) -> tuple[list[_Line], list[_Table]]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    found = [
        _Table(number, t.bbox[1], [[c or "" for c in row] for row in t.extract()]) for t in tables
    ]
    body = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    lines = []
    for raw in body.extract_text_lines(return_chars=True, strip=True):
        text = raw["text"]
        if not text.strip():
            continue
        sizes = [c.get("size", 0) for c in raw.get("chars", [])] or [10.0]
        near_edge = raw["top"] < page.height * _MARGIN_BAND or raw["bottom"] > page.height * (
            1 - _MARGIN_BAND
        )
        if near_edge and _PAGE_NUMBER.match(clean(text)):
            continue
        lines.append(_Line(number, raw["top"], raw["x0"], raw["x1"], median(sizes), text))
    return lines, found


def _joins_with_space(left: str, right: str) -> bool:
    """Only a break between two Latin letters stood for a space; a number split over two
    lines (2 | 3.6亩) is one number."""
    return bool(
        left
        and right
        and left[-1].isascii()
        and left[-1].isalpha()
        and right[0].isascii()
        and right[0].isalpha()
    )


def _centred(line: _Line, left: float, right: float) -> bool:
    """Set in the middle of the text block, clear of both margins (titles, signatures)."""
    inset = line.x0 - left
    return inset > line.size and abs(inset - (right - line.x1)) < line.size


def _paragraphs(lines: list[_Line]) -> list[tuple[int, float, str]]:
    """(page, top, text) of each paragraph rebuilt from layout lines."""
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    body_size = median(line.size for line in lines)
    out: list[tuple[int, float, str]] = []
    current: list[str] = []
    start: tuple[int, float] = (lines[0].page, lines[0].top)
    previous: _Line | None = None
    for line in lines:
        centred = _centred(line, left, right)
        if previous is not None and current:
            was_centred = _centred(previous, left, right)
            same_size = abs(previous.size - line.size) < 0.5
            if same_size and (line.size > body_size + 1 or (was_centred and centred)):
                pass  # a display-size or centred title over several lines stays one paragraph
            elif (
                not same_size
                or was_centred
                or centred
                or line.x0 - left > line.size * 0.9  # indented: a new paragraph
                or right - previous.x1 > previous.size * 1.5  # the previous line ended short
            ):
                out.append((start[0], start[1], "".join(current)))
                current = []
        if not current:
            start = (line.page, line.top)
            current.append(line.text)
        else:
            glue = " " if _joins_with_space(current[-1], line.text) else ""
            current.append(glue + line.text)
        previous = line
    out.append((start[0], start[1], "".join(current)))
    return out


def read_pdf(path: Path) -> Document:
    pdf = _open(path)
    lines: list[_Line] = []
    tables: list[_Table] = []
    try:
        with pdf:
            page_count = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                page_lines, page_tables = _page_content(page, number)
                lines.extend(page_lines)
                tables.extend(page_tables)
            info = pdf.metadata or {}
    except Exception as exc:
        raise CorruptFile(
            str(path), f"PDF 页面内容无法解析（{type(exc).__name__}: {exc}）"
        ) from exc
    if not lines and not any(any(any(c for c in row) for row in t.rows) for t in tables):
        raise NoTextLayer(str(path), "PDF 没有文字层（可能是扫描件或图片），请先做文字识别（OCR）")
    # paragraphs and tables interleaved in reading order: page, then vertical position
    items: list[tuple[int, float, int, Any]] = [
        (p, top, 1, text) for p, top, text in _paragraphs(lines)
    ]
    items += [(t.page, t.top, 0, t) for t in tables]
    items.sort(key=lambda item: (item[0], item[1], item[2]))
    builder = DocumentBuilder(str(path), "pdf")
    table_no = 0
    for index, (page, _, kind, payload) in enumerate(items):
        if kind == 1:
            builder.paragraph(payload, index, page)
        else:
            for row_no, row in enumerate(payload.rows):
                builder.table_row(row, table_no, row_no, index, page)
            table_no += 1
    metadata: dict[str, Any] = {
        "page_count": page_count,
        "tables": table_no,
        "source_size": path.stat().st_size,
    }
    for key in ("Title", "Author"):
        value = info.get(key)
        if isinstance(value, str) and value:
            metadata[key.lower()] = value
    return builder.build(metadata)
