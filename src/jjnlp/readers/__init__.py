"""Read txt, docx and pdf files into one normalised :class:`~jjnlp.model.Document`.

Normalisation contract (every later offset depends on it):

- ``Document.text`` is the blocks' texts joined by one ``\\n``; a block is a paragraph
  or a table row; empty paragraphs are dropped.
- Each block is stripped of surrounding white space (ASCII, NBSP U+00A0, ideographic
  space U+3000 and the other Unicode spaces); inside a block those spaces become
  ``" "``; a BOM is removed; invisible control characters (C0 but tab and line breaks,
  DEL, C1) are dropped; in a PDF the spaces an exporter puts between Chinese and digits
  or Latin letters are dropped. No other character is changed, dropped or added, and no
  space is ever inserted between Chinese characters.
- A table row is its cells joined by ``\\t``; a cell's own line breaks are joined with
  nothing. ``Block.cells`` locates each cell in ``text``.

The format is decided by the file's content (magic bytes), not by its extension. Scanned
pages and image files (PNG, JPEG, TIFF) are read by OCR when the optional engine is
installed (:mod:`jjnlp.readers.ocr`; ``[read] ocr``).
"""

from __future__ import annotations

from pathlib import Path

from jjnlp.errors import (
    CorruptFile,
    EmptyFile,
    FileMissing,
    ReadError,
    UnsupportedFormat,
    cause_of,
)
from jjnlp.model import Document
from jjnlp.readers.limits import ReadLimits, check_file, check_text, check_zip

__all__ = ["ReadLimits", "read", "sniff", "suffixes"]

_ZIP = b"PK\x03\x04"
_PDF = b"%PDF"
# page images a scanner writes: PNG, JPEG, TIFF (little- and big-endian)
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# magic numbers of binary formats that are certainly not text
_BINARY = (
    b"GIF8",
    b"\xd0\xcf\x11\xe0",
    b"\x7fELF",
    b"MZ",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
)


# the file names a folder walk (``jjnlp batch``) picks up; the content decides the reader
SUFFIXES = (".txt", ".docx", ".pdf")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def suffixes() -> tuple[str, ...]:
    """:data:`SUFFIXES`, and the page images' when the OCR engine is installed."""
    from jjnlp.readers import ocr

    return SUFFIXES + IMAGE_SUFFIXES if ocr.available() else SUFFIXES


def sniff(path: Path, head: bytes, limits: ReadLimits | None = None) -> str:
    """``"pdf"``, ``"docx"``, ``"image"`` or ``"txt"`` from the first bytes of the file (a zip
    is checked against the reading limits here, before anything in it is inflated)."""
    if head.startswith(_PDF):
        return "pdf"
    if head.startswith(_IMAGES):
        return "image"
    if head.startswith(_ZIP):
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                check_zip(path, archive, limits or ReadLimits())
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            ValueError,
            NotImplementedError,
        ) as exc:
            raise CorruptFile(
                str(path), f"ZIP 压缩包已损坏，无法作为 Word 文档打开（{cause_of(exc)}）"
            ) from exc
        if "word/document.xml" in names:
            return "docx"
        raise UnsupportedFormat(str(path), "是 ZIP 压缩包但不是 Word（.docx）文档")
    if head.startswith(_BINARY):
        raise UnsupportedFormat(
            str(path), "是二进制文件（压缩包、程序或不支持的图片），不是 txt/docx/pdf 文档"
        )
    return "txt"


def read(path: str | Path, limits: ReadLimits | None = None) -> Document:
    """Read ``path`` into a Document, or raise a :class:`~jjnlp.errors.ReadError`."""
    limits = limits or ReadLimits()
    file = Path(path)
    if file.is_dir():
        raise FileMissing(str(file), "是一个目录，不是文件")
    if not file.is_file():
        raise FileMissing(str(file), "文件不存在或不是普通文件")
    try:
        check_file(file, file.stat().st_size, limits)
        data = file.read_bytes()
    except OSError as exc:
        raise ReadError(str(file), f"无法读取文件（{exc.strerror}）") from exc
    if not data.strip():
        raise EmptyFile(str(file), "文件为空")
    kind = sniff(file, data[:8], limits)
    if kind == "pdf":
        from jjnlp.readers.pdf import read_pdf
        from jjnlp.readers.pdf_checks import check_pdf

        check_pdf(file, data, limits)
        document = read_pdf(file, limits.ocr)
    elif kind == "image":
        document = _read_image(file, limits)
    elif kind == "docx":
        from jjnlp.readers.docx import read_docx

        document = read_docx(file)
    else:
        from jjnlp.readers.text import read_text

        document = read_text(file, data, limits)
    if not document.text:
        raise EmptyFile(str(file), "文件中没有可读的正文")
    check_text(file, len(document.text), limits)
    return document


def _read_image(path: Path, limits: ReadLimits) -> Document:
    """A page image: read by OCR, or refused with what to do when OCR is off or absent."""
    from jjnlp.readers import ocr

    if limits.ocr == "never" or not ocr.available():
        raise UnsupportedFormat(str(path), ocr.no_text(limits.ocr, False, ocr.IMAGE))
    return ocr.read_image(path, limits.max_pdf_pages)
