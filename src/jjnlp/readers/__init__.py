"""Read txt, docx, pdf and ofd files into one normalised :class:`~jjnlp.model.Document`.

Older and other word-processor formats (.doc and .wps of Word/WPS 97–2003, .rtf, .odt)
are converted to .docx through LibreOffice when it is installed
(:mod:`jjnlp.readers.convert`) and then read as a .docx is.

Normalisation contract (every later offset depends on it):

- ``Document.text`` is the blocks' texts joined by one ``\\n``; a block is a paragraph
  or a table row; empty paragraphs are dropped.
- Each block is stripped of surrounding white space (ASCII, NBSP U+00A0, ideographic
  space U+3000 and the other Unicode spaces); inside a block those spaces become
  ``" "``; a BOM is removed; invisible control characters (C0 but tab and line breaks,
  DEL, C1) are dropped; in a PDF or OFD the spaces an exporter puts between Chinese and
  digits or Latin letters are dropped. No other character is changed, dropped or added, and no
  space is ever inserted between Chinese characters.
- A table row is its cells joined by ``\\t``; a cell's own line breaks are joined with
  nothing. ``Block.cells`` locates each cell in ``text``.

The format is decided by the file's content (magic bytes; the names inside a zip —
``word/document.xml`` is a .docx, ``OFD.xml`` an .ofd — or an OLE2 compound file), not by
its extension.
Scanned pages and image files (PNG, JPEG, TIFF) are read by OCR when the optional engine
is installed (:mod:`jjnlp.readers.ocr`; ``[read] ocr``).
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
from jjnlp.readers import ole
from jjnlp.readers.limits import ReadLimits, check_file, check_text, check_zip

__all__ = ["ReadLimits", "read", "sniff", "suffixes"]

_ZIP = b"PK\x03\x04"
_PDF = b"%PDF"
_RTF = b"{\\rtf"
# page images a scanner writes: PNG, JPEG, TIFF (little- and big-endian)
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
# magic numbers of binary formats that are certainly not text
_BINARY = (
    b"GIF8",
    b"\x7fELF",
    b"MZ",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
)


# the file names a folder walk (``jjnlp batch``) picks up; the content decides the reader
SUFFIXES = (".txt", ".docx", ".pdf", ".ofd", ".doc", ".wps", ".rtf", ".odt")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def suffixes() -> tuple[str, ...]:
    """:data:`SUFFIXES`, and the page images' when the OCR engine is installed."""
    from jjnlp.readers import ocr

    return SUFFIXES + IMAGE_SUFFIXES if ocr.available() else SUFFIXES


# the kinds read through LibreOffice (jjnlp.readers.convert)
CONVERTED = ("doc", "wps", "rtf", "odt")

_ODF = b"application/vnd.oasis.opendocument."
_NOT_TEXT = "不是文字文档：jjnlp 读取 txt、docx、pdf、ofd 与 doc、wps、rtf、odt 文字文档"


def sniff(path: Path, head: bytes, limits: ReadLimits | None = None) -> str:
    """``"pdf"``, ``"docx"``, ``"ofd"``, ``"image"``, ``"txt"`` or a kind of
    :data:`CONVERTED` from the first bytes of the file (a zip is checked against the reading
    limits here, before anything in it is inflated; of an OLE2 compound file only the
    directory is read)."""
    if head.startswith(_PDF):
        return "pdf"
    if head.startswith(_IMAGES):
        return "image"
    if head.startswith(_RTF):
        return "rtf"
    if head.startswith(ole.MAGIC):
        return _sniff_ole(path)
    if head.startswith(_ZIP):
        return _sniff_zip(path, limits or ReadLimits())
    if head.startswith(_BINARY):
        raise UnsupportedFormat(
            str(path), f"是二进制文件（压缩包、程序或不支持的图片），{_NOT_TEXT}"
        )
    return "txt"


def _sniff_zip(path: Path, limits: ReadLimits) -> str:
    """``"docx"``, ``"ofd"`` or ``"odt"``: a Word document has ``word/document.xml``, an OFD
    ``OFD.xml``, an OpenDocument file names its kind in the member ``mimetype``."""
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            check_zip(path, archive, limits)
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(100).strip()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        NotImplementedError,
        EOFError,
        zlib.error,
    ) as exc:
        raise CorruptFile(
            str(path), f"ZIP 压缩包已损坏，无法作为 Word 或 OFD 文档打开（{cause_of(exc)}）"
        ) from exc
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        return "ofd"
    if mimetype.startswith(_ODF + b"text"):  # .odt, and .ott (its template)
        return "odt"
    if mimetype.startswith(_ODF) or names & {"xl/workbook.xml", "ppt/presentation.xml"}:
        raise UnsupportedFormat(str(path), f"是电子表格、演示文稿或其他办公文件，{_NOT_TEXT}")
    raise UnsupportedFormat(str(path), "是 ZIP 压缩包但不是 Word（.docx）或 OFD（.ofd）文档")


def _sniff_ole(path: Path) -> str:
    """The kind of an OLE2 compound file, by the streams its directory names."""
    contents = ole.contents(path)
    names = contents.names
    if "EncryptedPackage" in names or contents.word_encrypted:
        raise CorruptFile(str(path), "文档设有打开密码，请在 Word/WPS 中解除密码后另存为 .docx")
    if "WordDocument" in names:
        return "wps" if path.suffix.lower() == ".wps" else "doc"
    if names & {"Workbook", "Book"}:
        raise UnsupportedFormat(str(path), f"是 Excel/WPS 表格文件（.xls/.et），{_NOT_TEXT}")
    if "PowerPoint Document" in names:
        raise UnsupportedFormat(str(path), f"是 PowerPoint/WPS 演示文件（.ppt/.dps），{_NOT_TEXT}")
    raise UnsupportedFormat(
        str(path), f"是 Office 97-2003 格式的复合文件，但不是 Word/WPS 文字文档，{_NOT_TEXT}"
    )


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
    elif kind in CONVERTED:
        from jjnlp.readers.convert import read_converted

        document = read_converted(file, kind, limits)
    elif kind == "ofd":
        from jjnlp.readers.ofd import read_ofd

        document = read_ofd(file, limits)
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
