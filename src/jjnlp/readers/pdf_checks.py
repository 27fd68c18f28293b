"""Checks of a PDF's raw bytes before pdfminer parses it, for what pdfminer cannot survive.

pdfminer inflates a stream whole (a 1 MB file can hold a 1 GiB stream) and follows an
indirect object that refers to itself without end (``4 0 obj 5 0 R endobj`` and ``5 0 obj
4 0 R endobj``), so both are looked for here first, bounded in time and memory:
each stream is inflated with a cap just past the limit, and the reference graph of the
objects that are nothing but a reference is walked once.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from jjnlp.errors import CorruptFile, TooLarge
from jjnlp.readers.limits import MB, ReadLimits

_STREAM = re.compile(rb"stream\r?\n")
_ALIAS = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+obj\s*(\d{1,10})\s+\d{1,5}\s+R\s*endobj")
_PAGES = re.compile(rb"/Type\s*/Page(?![s\w])")
_WIDTHS = re.compile(rb"/W2?\s*\[")
_INTEGER = re.compile(rb"\d{6,}")
# character ids of a CID font run to 65535; a /W range past that would make pdfminer build
# a width table of billions of entries
MAX_CID = 0xFFFF


def check_pdf(path: Path, data: bytes, limits: ReadLimits) -> None:
    """Refuse a PDF whose pages, inflated streams or reference cycles exceed what is read."""
    pages = len(_PAGES.findall(data))
    if pages > limits.max_pdf_pages:
        raise TooLarge(str(path), f"PDF 有{pages}页，超过上限{limits.max_pdf_pages}页")
    _check_cycles(path, data)
    _check_widths(path, data)
    cap = limits.max_stream_mb * MB
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        if _inflated_size(data[start:end], cap) > cap:
            raise TooLarge(
                str(path),
                f"PDF 中的数据流解压后超过{limits.max_stream_mb} MB，疑似压缩炸弹",
            )


def _inflated_size(raw: bytes, cap: int) -> int:
    """How large ``raw`` inflates, counted a megabyte at a time and stopped past ``cap``
    (0 if it is not Flate data: pdfminer decides what it is)."""
    inflater = zlib.decompressobj()
    total = 0
    pending = raw
    try:
        while pending and total <= cap:
            chunk = inflater.decompress(pending, MB)
            total += len(chunk)
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
    except zlib.error:
        return 0
    return total


def _check_widths(path: Path, data: bytes) -> None:
    for match in _WIDTHS.finditer(data):
        depth, at = 1, match.end()
        end = min(len(data), at + 1_000_000)
        while at < end and depth:
            byte = data[at]
            depth += (byte == 0x5B) - (byte == 0x5D)  # [ and ]
            at += 1
        for number in _INTEGER.findall(data[match.end() : at]):
            if len(number) > len(str(MAX_CID)) or int(number) > MAX_CID:
                raise CorruptFile(str(path), "PDF 字体字宽表的字符范围异常（文件已损坏或被构造）")


def _check_cycles(path: Path, data: bytes) -> None:
    refers = {int(a): int(b) for a, b in _ALIAS.findall(data)}
    for start in refers:
        seen = {start}
        at = refers[start]
        while at in refers:
            if at in seen:
                raise CorruptFile(str(path), "PDF 对象之间循环引用（文件已损坏或被构造为无法读完）")
            seen.add(at)
            at = refers[at]
