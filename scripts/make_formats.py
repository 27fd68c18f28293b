"""Render corpus text documents as .docx and .pdf twins (deterministic bytes).

Usage: python scripts/make_formats.py [corpora/docs] [corpora/generated] [GLOB]

A document is a list of blocks: a string is a paragraph, a list of rows (lists of
cell strings) is a table. The layout follows GB/T 9704 loosely: A4, body in 16 pt
Song with a two-character first-line indent, the title centred, the addressee flush
left, running page numbers ``- N -`` at the foot of each page.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

Block = str | Sequence[Sequence[str]]

FONT = "STSong-Light"  # reportlab's built-in CID font: no font file needed
BODY_PT = 16
TITLE_PT = 22
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, 26 * MM, 37 * MM, 35 * MM
LEADING = BODY_PT * 1.75
_TITLE = re.compile(
    r"^(中共|关于|.{2,30}(关于|的))(.{0,60})(报告|汇报|总结|通报|通知|意见|决定|请示|函|纪要)$"
)
_ADDRESSEE = re.compile(r"^[^，。；]{2,40}：$")


def read_blocks(path: Path) -> list[Block]:
    """Paragraphs, one per line; a run of lines with tabs is a table (cells split at tabs)."""
    blocks: list[Block] = []
    rows: list[list[str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if "\t" in raw:
            rows.append([cell.strip() for cell in raw.split("\t")])
            continue
        if rows:
            blocks.append(rows)
            rows = []
        line = raw.strip().replace("\u00a0", " ")
        if line:
            blocks.append(line)
    if rows:
        blocks.append(rows)
    return blocks


def _role(index: int, text: str) -> str:
    if index <= 1 and _TITLE.match(text) and len(text) <= 60:
        return "title"
    if index <= 3 and _ADDRESSEE.match(text):
        return "flush"
    return "body"


def render_docx(blocks: Sequence[Block], path: Path, header: str = "", footer: str = "") -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.author = "jjnlp"
    props.title = path.stem
    props.revision = 1
    from datetime import datetime

    fixed = datetime(2024, 1, 1)
    props.created = props.modified = fixed
    props.last_printed = fixed
    section = document.sections[0]
    if header:
        section.header.paragraphs[0].text = header
    if footer:
        section.footer.paragraphs[0].text = footer
    for index, block in enumerate(blocks):
        if isinstance(block, str):
            paragraph = document.add_paragraph(block)
            role = _role(index, block)
            if role == "title":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif role == "body":
                paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        else:
            rows = [list(r) for r in block]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    _save_deterministic(document, path)


def _save_deterministic(document: object, path: Path) -> None:
    """Save a docx with fixed zip timestamps, so regenerating gives identical bytes."""
    import io
    import zipfile

    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(item.filename))


# STSong-Light under UniGB-UCS2-H has no glyph that extracts back as U+00B7 "·";
# U+30FB "・" is drawn with the glyph whose ToUnicode entry is U+00B7, so the PDF
# reads back as the source text.
_PDF_SUBSTITUTES = str.maketrans({"\u00b7": "\u30fb"})


def _wrap(text: str, width: float, first_indent: float, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current, used, limit = "", 0.0, width - first_indent
    for char in text.translate(_PDF_SUBSTITUTES):
        w = stringWidth(char, FONT, size)
        if current and used + w > limit:
            lines.append(current)
            current, used, limit = "", 0.0, width
        current += char
        used += w
    lines.append(current)
    return lines


class _PdfWriter:
    def __init__(self, path: Path) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        if FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.canvas = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
        self.canvas.setTitle(path.stem)
        self.canvas.setAuthor("jjnlp")
        self.page = 1
        self.y = PAGE_H - TOP

    def _need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self._footer()
            self.canvas.showPage()
            self.page += 1
            self.y = PAGE_H - TOP

    def _footer(self) -> None:
        self.canvas.setFont(FONT, 14)
        self.canvas.drawCentredString(PAGE_W / 2, BOTTOM / 2, f"- {self.page} -")

    def paragraph(self, text: str, role: str) -> None:
        size = TITLE_PT if role == "title" else BODY_PT
        width = PAGE_W - LEFT - RIGHT
        indent = BODY_PT * 2 if role == "body" else 0.0
        for n, line in enumerate(_wrap(text, width, indent, size)):
            self._need(size * 1.75)
            self.canvas.setFont(FONT, size)
            if role == "title":
                self.canvas.drawCentredString(PAGE_W / 2, self.y, line)
            else:
                self.canvas.drawString(LEFT + (indent if n == 0 else 0), self.y, line)
            self.y -= size * 1.75

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        cols = max(len(r) for r in rows)
        col_w = (PAGE_W - LEFT - RIGHT) / cols
        row_h = BODY_PT * 1.8
        for row in rows:
            self._need(row_h)
            top = self.y + BODY_PT
            for c in range(cols):
                x = LEFT + c * col_w
                self.canvas.rect(x, top - row_h, col_w, row_h)
                self.canvas.setFont(FONT, BODY_PT * 0.75)
                cell = row[c] if c < len(row) else ""
                self.canvas.drawString(x + 4, top - row_h + 8, cell)
            self.y -= row_h
        self.y -= BODY_PT

    def close(self) -> None:
        self._footer()
        self.canvas.save()


def render_pdf(blocks: Sequence[Block], path: Path) -> None:
    writer = _PdfWriter(path)
    for index, block in enumerate(blocks):
        if isinstance(block, str):
            writer.paragraph(block, _role(index, block))
        else:
            writer.table(block)
    writer.close()


def main(argv: Sequence[str]) -> int:
    source = Path(argv[0]) if argv else Path("corpora/docs")
    target = Path(argv[1]) if len(argv) > 1 else Path("corpora/generated")
    target.mkdir(parents=True, exist_ok=True)
    pattern = argv[2] if len(argv) > 2 else "*.txt"
    for path in sorted(source.glob(pattern)):
        blocks = read_blocks(path)
        render_docx(blocks, target / f"{path.stem}.docx", header="jjnlp 语料", footer=path.stem)
        render_pdf(blocks, target / f"{path.stem}.pdf")
        print(f"{path.name} → {path.stem}.docx, {path.stem}.pdf")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
