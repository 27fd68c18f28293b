"""Plain text (.txt/.md): detect the encoding strictly, one paragraph per line."""

from __future__ import annotations

import codecs
from pathlib import Path

from jjnlp.errors import UndecodableText
from jjnlp.model import Document
from jjnlp.readers.assemble import DocumentBuilder

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: mostly-ASCII text shows NULs in every other byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > half * 0.3 and even == 0:
        return "utf-16-le"
    if even > half * 0.3 and odd == 0:
        return "utf-16-be"
    return None


def decode(data: bytes, path: str) -> tuple[str, str]:
    """The text and the encoding it was read with; strict, never dropping characters."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UndecodableText(
                    path, f"带 {encoding} 标记但内容无法按其解码（{exc.reason}）"
                ) from exc
    candidates = ["utf-8"]
    utf16 = _bomless_utf16(data)
    if utf16:
        candidates.insert(0, utf16)
    # GB18030 is a superset of GBK and GB2312; it decodes any valid GBK text.
    candidates.append("gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        return text, encoding
    raise UndecodableText(
        path, "无法识别文本编码（已尝试 UTF-8、UTF-16、GB18030/GBK），请另存为 UTF-8"
    )


def document_from_text(text: str, path: str, metadata: dict[str, object] | None = None) -> Document:
    """Lines of ``text`` as paragraphs, normalised as every reader does."""
    builder = DocumentBuilder(path, "txt")
    for index, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        builder.paragraph(line, index)
    return builder.build(metadata or {})


def read_text(path: Path, data: bytes) -> Document:
    text, encoding = decode(data, str(path))
    if "\x00" in text or sum(1 for c in text[:4000] if ord(c) < 32 and c not in "\t\n\r\f") > 8:
        from jjnlp.errors import UnsupportedFormat

        raise UnsupportedFormat(str(path), "内容含大量控制字符，不是文本文件")
    return document_from_text(text, str(path), {"encoding": encoding, "source_size": len(data)})
