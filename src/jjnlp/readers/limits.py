"""Reading limits: what a file may be before it is refused, checked before the work is done.

A limit is checked on what the file declares (its size, a zip member's declared inflated
size and compression ratio) before reading, so a compression bomb is refused without
being inflated. Defaults suit the largest real reports (a 300-page PDF is about 300,000
characters); ``[read]`` in a configuration file changes them, can name LibreOffice's
program for the formats converted through it (:mod:`jjnlp.readers.convert`), and says when
pages are read by OCR (``ocr = "auto"``: only pages without a text layer; ``"always"``;
``"never"``).
"""

from __future__ import annotations

import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from jjnlp.config import Choice
from jjnlp.errors import CorruptFile, TooLarge, UnsupportedFormat

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadLimits:
    max_file_mb: int = 200  # the file itself
    max_member_mb: int = 200  # any member of a .docx or .ofd (zip), inflated
    max_ratio: int = 200  # inflated ÷ compressed size of a zip member over 1 MB
    max_pdf_pages: int = 2000  # pages of a PDF or OFD
    max_stream_mb: int = 200  # one PDF content stream, inflated
    max_chars: int = 3_000_000  # the document's text
    convert_seconds: int = 60  # converting a .doc/.wps/.rtf/.odt through LibreOffice
    soffice: str | None = None  # LibreOffice's program; None: found on PATH (and install dirs)
    ocr: str = "auto"  # when a page is read by OCR: auto (no text layer), always, never

    @classmethod
    def from_config(cls, section: dict[str, Any] | None) -> ReadLimits:
        return cls(**(section or {}))


OCR_MODES = ("auto", "always", "never")
DEFAULT_CONFIG: dict[str, Any] = {**asdict(ReadLimits()), "ocr": Choice("auto", OCR_MODES)}


def check_file(path: Path, size: int, limits: ReadLimits) -> None:
    if size > limits.max_file_mb * MB:
        raise TooLarge(
            str(path),
            f"文件大小{size / MB:.0f} MB，超过上限{limits.max_file_mb} MB"
            "（可在配置 [read] 中调整）",
        )


def check_zip(path: Path, archive: zipfile.ZipFile, limits: ReadLimits) -> None:
    """Every member is compressed with a method Python reads and inflates within the limits."""
    supported = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
    total = 0
    for member in archive.infolist():
        if member.compress_type not in supported:
            raise UnsupportedFormat(
                str(path),
                f"压缩包成员 {member.filename} 使用了不支持的压缩方式（{member.compress_type}）",
            )
        if member.flag_bits & 0x1:
            raise CorruptFile(str(path), "文档已加密或压缩包成员被加密，请解除密码后另存")
        inflated = member.file_size
        total += inflated
        if inflated > limits.max_member_mb * MB or total > 2 * limits.max_member_mb * MB:
            raise TooLarge(
                str(path),
                f"压缩包成员 {member.filename} 解压后达{inflated / MB:.0f} MB，超过上限"
                f"{limits.max_member_mb} MB，疑似压缩炸弹",
            )
        ratio = inflated / max(member.compress_size, 1)
        if inflated > MB and ratio > limits.max_ratio:
            raise TooLarge(
                str(path),
                f"压缩包成员 {member.filename} 压缩比{ratio:.0f}倍，"
                f"超过上限{limits.max_ratio}倍，疑似压缩炸弹",
            )


def check_text(path: Path, chars: int, limits: ReadLimits) -> None:
    if chars > limits.max_chars:
        raise TooLarge(
            str(path), f"正文{chars}字，超过上限{limits.max_chars}字（可在配置 [read] 中调整）"
        )
