"""Hostile input files for jjnlp's readers and pipeline, made on demand (none is committed).

Usage: python scripts/make_hostile.py OUT_DIR [--large] [--only NAME ...] [--list]

Each class is one file a correct tool must refuse with a coded error or read correctly,
quickly and in bounded memory: PDFs with an indirect ``/Length`` cycle, a ``/W`` range
ending at 2**32 or a FlateDecode stream inflating to 1 GiB; a .docx with a 1 GiB media
member, a core-properties relationship pointing at the body, a member compressed with an
unknown method, or cut in half; an encrypted-looking PDF; and texts: 50,000 digits, 8 KB of
Chinese numerals, 10,000 headings, 0000年 dates, a 28-decimal percentage, control
characters, one 5 MB line, a 50 MB text (``--large`` only), Big5, Shift-JIS, BOM-less
UTF-16, a non-UTF-8 file name, an empty file and a directory.

``make_all(directory)`` writes them all and returns ``{name: path}``; ``make(name,
directory)`` writes one. The bombs are built by compressing zeros in chunks, so making
them takes a few seconds and little memory.
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCX_TEMPLATE = ROOT / "corpora" / "generated" / "ae_01_rate_repeat.docx"
TXT_SAMPLE = ROOT / "corpora" / "docs" / "wr_01_qingshan_2024h1.txt"

GIB = 1 << 30
CHUNK = 1 << 24  # zeros compressed 16 MiB at a time
NUMERALS = "零〇一二两三四五六七八九十百千万亿"
# a short report with a wrong rate (54/72 is 75.0%, not 80%): a correct reading flags it
GOOD_TEXT = "一、总体情况\n全市立案72件，结案54件，结案率80%。\n处分53人，其中县处级干部5人。\n"


# --------------------------------------------------------------------------- PDF


def _pdf(objects: list[bytes], trailer: bytes = b"", root: int = 1) -> bytes:
    """A PDF from object bodies (object i + 1 is ``objects[i]``) with a correct xref."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, root, trailer, xref)
    )
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"", length: bytes | None = None) -> bytes:
    head = b"<< /Length " + (length if length is not None else b"%d" % len(data)) + extra + b" >>"
    return head + b"\nstream\n" + data + b"\nendstream"


_PAGE_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
    b" /Resources << /Font << /F1 6 0 R >> >> >>",
]
_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_TEXT_OPS = b"BT /F1 12 Tf 72 760 Td (Case 72 closed 54 rate 80%) Tj ET"


def pdf_length_loop() -> bytes:
    """The content stream's ``/Length`` is ``5 0 R``; object 5 is ``7 0 R`` and 7 is ``5 0 R``:
    resolving the length never ends (pdfminer loops on it)."""
    objects = [
        *_PAGE_OBJECTS,
        _stream(_TEXT_OPS, length=b"5 0 R"),
        b"7 0 R",
        _HELVETICA,
        b"5 0 R",
    ]
    return _pdf(objects)


def pdf_widths_range() -> bytes:
    """A CID font whose ``/W`` range runs from 0 to 4294967296 (2**32): expanding it per
    code is four billion entries."""
    objects = [
        *_PAGE_OBJECTS,
        _stream(b"BT /F1 12 Tf 72 760 Td <00010002> Tj ET"),
        b"<< /Type /Font >>",  # unused
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H"
        b" /DescendantFonts [7 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 0 >>"
        b" /DW 1000 /W [0 4294967296 500] >>",
    ]
    return _pdf(objects)


def _zeros_deflated(size: int, wbits: int) -> tuple[bytes, int]:
    """``size`` zero bytes (a multiple of 16 MiB) deflated, with a zlib header and checksum
    for ``wbits`` > 0 (FlateDecode) or raw for ``wbits`` < 0 (ZIP), and their CRC-32.

    A full flush makes the compressor forget what came before, so every 16 MiB chunk
    deflates to the same bytes: one chunk is compressed and its output repeated."""
    if size % CHUNK:
        raise ValueError(f"size must be a multiple of {CHUNK}")
    count = size // CHUNK
    chunk = bytes(CHUNK)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    if packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH) != block:
        raise AssertionError("zlib did not reset its window at a full flush")
    raw = block * count + packer.flush()
    crc = 0
    if wbits < 0:
        for _ in range(count):
            crc = zlib.crc32(chunk, crc)
        return raw, crc
    adler = ((size % 65521) << 16) | 1  # Adler-32 of zeros: a = 1, b = size
    return b"\x78\xda" + raw + adler.to_bytes(4, "big"), crc


def pdf_flate_bomb(size: int = GIB) -> bytes:
    """The page's content stream is FlateDecode and inflates to ``size`` (1 GiB) zeros."""
    data, _ = _zeros_deflated(size, 15)
    objects = [*_PAGE_OBJECTS, _stream(data, b" /Filter /FlateDecode"), b"0", _HELVETICA]
    return _pdf(objects)


def pdf_encrypted() -> bytes:
    """A standard-security-handler ``/Encrypt`` whose O and U match no password (not even
    the empty one): the content cannot be decrypted."""
    objects = [
        *_PAGE_OBJECTS,
        _stream(b"\x8a\x13\xf0" * 20),
        b"<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904"
        b" /O <" + b"6f" * 32 + b"> /U <" + b"75" * 32 + b"> >>",
        _HELVETICA,
    ]
    file_id = b"<0123456789abcdef0123456789abcdef>"
    trailer = b"/Encrypt 5 0 R /ID [" + file_id + b" " + file_id + b"] "
    return _pdf(objects, trailer)


# --------------------------------------------------------------------------- DOCX


def _template_members() -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(DOCX_TEMPLATE) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def _write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)


def docx_media_bomb(path: Path, size: int = GIB) -> None:
    """A valid .docx whose body refers to ``word/media/image1.png``, a member of ``size``
    (1 GiB) zeros deflated to about a megabyte."""
    members = []
    for info, data in _template_members():
        if info.filename == "[Content_Types].xml":
            data = data.replace(
                b"<Default ",
                b'<Default Extension="png" ContentType="image/png"/><Default ',
                1,
            )
        elif info.filename == "word/_rels/document.xml.rels":
            data = data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdBomb" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/image" Target="media/image1.png"/>'
                b"</Relationships>",
            )
        members.append((info.filename, data))
    _write_zip(path, members)
    raw, crc = _zeros_deflated(size, -15)
    _append_raw_member(path, "word/media/image1.png", raw, crc, size)


def _append_raw_member(path: Path, name: str, raw: bytes, crc: int, size: int) -> None:
    """Add a member whose deflated bytes are already made, rewriting the central directory."""
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    data = path.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    (central_offset,) = struct.unpack("<I", data[end + 16 : end + 20])
    central = data[central_offset:end]
    body = data[:central_offset]
    encoded = name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(encoded), 0
    )
    offset = len(body)
    entry = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0x21,
        crc,
        len(raw),
        size,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    body += local + encoded + raw
    new_central = central + entry + encoded
    eocd = struct.pack(
        "<IHHHHIIH",
        0x06054B50,
        0,
        0,
        len(infos) + 1,
        len(infos) + 1,
        len(new_central),
        len(body),
        0,
    )
    path.write_bytes(body + new_central + eocd)


def docx_core_is_body(path: Path) -> None:
    """``_rels/.rels`` says the core properties are ``word/document.xml``."""
    members = []
    for info, data in _template_members():
        if info.filename == "_rels/.rels":
            data = data.replace(b'Target="docProps/core.xml"', b'Target="word/document.xml"')
            assert b'Target="word/document.xml"' in data
        members.append((info.filename, data))
    _write_zip(path, members)


def docx_method_99(path: Path) -> None:
    """``word/document.xml`` says compression method 99 in its local and central headers."""
    _write_zip(path, [(info.filename, data) for info, data in _template_members()])
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    patched = 0
    for signature, method_at, name_at in ((b"PK\x03\x04", 8, 30), (b"PK\x01\x02", 10, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at : at + name_at + len(name)] == name:
                data[at + method_at : at + method_at + 2] = struct.pack("<H", 99)
                patched += 1
            at = data.find(signature, at + 4)
    assert patched == 2
    path.write_bytes(bytes(data))


def docx_truncated(path: Path) -> None:
    """A good .docx cut in half (no central directory)."""
    data = DOCX_TEMPLATE.read_bytes()
    path.write_bytes(data[: len(data) // 2])


# --------------------------------------------------------------------------- text


def _lines_of(total: int) -> bytes:
    """Corpus text repeated to ``total`` bytes, cut at a line end."""
    sample = TXT_SAMPLE.read_bytes()
    reps = total // len(sample) + 1
    data = sample * reps
    cut = data.rfind(b"\n", 0, total) + 1
    return data[:cut]


def text_one_line(total: int = 5 << 20) -> bytes:
    """A single line of Chinese report text, ``total`` bytes (5 MB), no line break."""
    sample = TXT_SAMPLE.read_text(encoding="utf-8").replace("\n", "")
    data = (sample * (total // len(sample.encode()) + 1)).encode()
    cut = total
    while cut and (data[cut] & 0xC0) == 0x80:  # not inside a character
        cut -= 1
    return data[:cut]


def _numerals(size: int) -> bytes:
    chars = (NUMERALS * (size // 3 // len(NUMERALS) + 1))[: size // 3]
    return chars.encode()


TEXTS: dict[str, Callable[[], bytes]] = {
    "digits_50k.txt": lambda: ("1234567890" * 5000).encode(),
    "numerals_8k.txt": lambda: _numerals(8 << 10),
    "headings_10k.txt": lambda: "\n".join("（一）标题" for _ in range(10_000)).encode(),
    "date_0000.txt": lambda: "0000年1-6月，全市立案12件，结案10件。\n".encode(),
    "percent_28_decimals.txt": lambda: (
        "全市立案4件，结案3件，结案率75.0000000000000000000000000001%。\n".encode()
    ),
    "control_chars.txt": lambda: (
        "一、总体\x01情况\n全市立案\x0272件，结案\x0354件，\x04结案率\x0580%。\n"
        "处分\x0653人\x07，其中\x08县处级干部5人。\n"
    ).encode(),
    "one_line_5mb.txt": text_one_line,
    # 的的 and an unclosed （ are there whatever the script: a correct reading reports both
    "big5.txt": lambda: "本次檢查發現的的問題（共3件，已整改2件。\n".encode("big5"),
    "shift_jis.txt": lambda: "監査の結果、問題（3件を確認した。\n".encode("shift_jis"),
    "utf16_no_bom.txt": lambda: GOOD_TEXT.encode("utf-16-le"),
    "empty.txt": lambda: b"",
}
LARGE = {"text_50mb.txt": lambda: _lines_of(50 << 20)}
BINARIES: dict[str, Callable[[], bytes]] = {
    "length_loop.pdf": pdf_length_loop,
    "widths_2e32.pdf": pdf_widths_range,
    "flate_bomb.pdf": pdf_flate_bomb,
    "encrypted.pdf": pdf_encrypted,
}
DOCX: dict[str, Callable[[Path], None]] = {
    "media_bomb.docx": docx_media_bomb,
    "core_is_body.docx": docx_core_is_body,
    "method_99.docx": docx_method_99,
    "truncated.docx": docx_truncated,
}
# a name that is not UTF-8 (bytes 0xff 0xfe), as Linux allows
BAD_NAME = os.fsdecode(b"bad_name_\xff\xfe.txt")
SPECIAL = ("bad_name", "directory")
NAMES = (*BINARIES, *DOCX, *TEXTS, *SPECIAL)


def make(name: str, directory: str | Path) -> Path:
    """Write the hostile file ``name`` (one of ``NAMES``, or ``text_50mb.txt``) in ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if name == "bad_name":
        path = directory / BAD_NAME
        path.write_text(GOOD_TEXT, encoding="utf-8")
        return path
    if name == "directory":
        path = directory / "a_directory.txt"
        path.mkdir(exist_ok=True)
        return path
    path = directory / name
    if name in DOCX:
        DOCX[name](path)
        return path
    maker = {**BINARIES, **TEXTS, **LARGE}.get(name)
    if maker is None:
        raise KeyError(f"no hostile file {name!r}")
    path.write_bytes(maker())
    return path


def make_all(directory: str | Path, *, large: bool = False) -> dict[str, Path]:
    """Every hostile file in ``directory`` (the 50 MB text only with ``large``)."""
    names = [*NAMES, *(LARGE if large else ())]
    return {name: make(name, directory) for name in names}


def good_files(directory: str | Path) -> tuple[Path, Path]:
    """Two ordinary texts to put beside hostile ones in one run."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    first, second = directory / "good.txt", directory / "good2.txt"
    first.write_text(GOOD_TEXT, encoding="utf-8")
    second.write_bytes(TXT_SAMPLE.read_bytes())
    return first, second


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", default="hostile")
    parser.add_argument("--large", action="store_true", help="also the 50 MB text")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these files")
    parser.add_argument("--list", action="store_true", help="list the names and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join([*NAMES, *LARGE]))
        return 0
    if args.only:
        made = {name: make(name, args.directory) for name in args.only}
    else:
        made = make_all(args.directory, large=args.large)
    for name, path in made.items():
        size = path.stat().st_size if path.is_file() else 0
        print(f"{name:<26}{size:>12}  {os.fsencode(path)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
