"""OLE2 compound files (.doc, .wps, .xls, .ppt …): the names of the streams inside.

Only the directory is read (the header, the sector allocation table and the directory's
own sectors), never a stream's content but the first bytes of ``WordDocument``; every
sector chain is bounded by the file's size and followed at most once, so a hostile file
costs no more than its own length. Format: [MS-CFB] (Microsoft's compound file spec).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from jjnlp.errors import CorruptFile

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_LAST_REGULAR = 0xFFFFFFF9  # higher sector numbers are markers (end of chain, free …)
_ENTRY = 128  # bytes per directory entry
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_MAX_DIRECTORY_SECTORS = 4096  # real files have a few; a hostile chain stops here
_WORD_IDENT = 0xA5EC  # the FIB's first word in a Word 97–2003 (and WPS 文字) file
_F_ENCRYPTED = 0x0100  # FIB flag: the document has an open password


@dataclass(frozen=True, slots=True)
class Entry:
    """A stream or storage of the compound file."""

    name: str
    kind: int
    start: int  # first sector of a stream
    size: int


class _Reader:
    def __init__(self, file: BinaryIO, size: int) -> None:
        self.file, self.size = file, size
        header = self._read(0, 512)
        if header[:8] != MAGIC or len(header) < 512:
            raise ValueError("header")
        shift = struct.unpack_from("<H", header, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("sector size")
        self.sector = 1 << shift
        self.sectors = max(0, size - self.sector) // self.sector + 1  # an upper bound
        self.directory_start = struct.unpack_from("<I", header, 0x30)[0]
        self.fat_sectors = self._fat_locations(header)
        self._fat_cache: dict[int, tuple[int, ...]] = {}

    def _read(self, offset: int, length: int) -> bytes:
        self.file.seek(offset)
        return self.file.read(length)

    def _sector(self, number: int) -> bytes:
        if number > _LAST_REGULAR or number >= self.sectors:
            raise ValueError("sector out of range")
        data = self._read((number + 1) * self.sector, self.sector)
        if len(data) < self.sector:
            raise ValueError("truncated")
        return data

    def _fat_locations(self, header: bytes) -> list[int]:
        """Where the allocation table's sectors are: 109 in the header, the rest in a chain
        of DIFAT sectors."""
        count = struct.unpack_from("<I", header, 0x2C)[0]
        difat, difat_count = struct.unpack_from("<II", header, 0x44)
        locations = [n for n in struct.unpack_from("<109I", header, 0x4C) if n <= _LAST_REGULAR]
        per = self.sector // 4 - 1
        seen: set[int] = set()
        while difat <= _LAST_REGULAR and len(seen) < difat_count and difat not in seen:
            seen.add(difat)
            values = struct.unpack(f"<{per + 1}I", self._sector(difat))
            locations.extend(n for n in values[:per] if n <= _LAST_REGULAR)
            difat = values[per]
        return locations[: min(count, self.sectors)] if count else locations

    def _next(self, number: int) -> int:
        per = self.sector // 4
        index, at = divmod(number, per)
        if index >= len(self.fat_sectors):
            raise ValueError("chain leaves the allocation table")
        if index not in self._fat_cache:
            data = self._sector(self.fat_sectors[index])
            self._fat_cache[index] = struct.unpack(f"<{per}I", data)
        return self._fat_cache[index][at]

    def entries(self) -> list[Entry]:
        found: list[Entry] = []
        seen: set[int] = set()
        number = self.directory_start
        while number <= _LAST_REGULAR:
            if number in seen or len(seen) >= _MAX_DIRECTORY_SECTORS:
                break  # a loop in the chain, or a directory no real file has
            seen.add(number)
            data = self._sector(number)
            for at in range(0, self.sector, _ENTRY):
                entry = _entry(data[at : at + _ENTRY])
                if entry is not None:
                    found.append(entry)
            number = self._next(number)
        return found

    def head_of(self, entry: Entry, length: int) -> bytes:
        """The first bytes of a stream kept in regular sectors (4096 bytes or more)."""
        if entry.size < 4096:
            return b""
        return self._sector(entry.start)[:length]


def _entry(raw: bytes) -> Entry | None:
    kind = raw[0x42]
    if kind not in (_STORAGE, _STREAM, _ROOT):
        return None
    length = min(struct.unpack_from("<H", raw, 0x40)[0], 64)
    name = raw[: max(0, length - 2)].decode("utf-16-le", errors="replace")
    start, size = struct.unpack_from("<IQ", raw, 0x74)
    return Entry(name, kind, start, size & 0xFFFFFFFF)  # version 3 leaves the high half unset


@dataclass(frozen=True, slots=True)
class Contents:
    """What a compound file's directory says about it."""

    names: frozenset[str]
    word_encrypted: bool = False  # a Word/WPS 文字 file with an open password


def contents(path: Path) -> Contents:
    """The stream and storage names of the compound file at ``path`` (a
    :class:`~jjnlp.errors.CorruptFile` when its directory cannot be followed)."""
    try:
        with path.open("rb") as file:
            reader = _Reader(file, path.stat().st_size)
            entries = reader.entries()
            word = next((e for e in entries if e.name == "WordDocument"), None)
            encrypted = False
            if word is not None:
                fib = reader.head_of(word, 12)
                if len(fib) == 12 and struct.unpack_from("<H", fib)[0] == _WORD_IDENT:
                    encrypted = bool(struct.unpack_from("<H", fib, 0x0A)[0] & _F_ENCRYPTED)
    except (ValueError, struct.error, OSError) as exc:
        raise CorruptFile(
            str(path), "Office 97-2003 格式的复合文档已损坏或不完整，无法打开"
        ) from exc
    return Contents(frozenset(e.name for e in entries), encrypted)
