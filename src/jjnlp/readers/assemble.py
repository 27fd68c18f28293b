"""Build a Document block by block, applying the normalisation contract once."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from jjnlp.model import Block, Cell, Document

# every Unicode space separator plus tab and the zero-width no-break space (BOM)
SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]")


# control characters a person never sees (C0 but tab and line breaks, DEL, C1): a text file
# with \x02 inside 全市立案\x0272件 still says 全市立案72件
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """One block's text: control characters dropped, spaces unified, ends stripped."""
    # str.strip() already removes NBSP, U+3000 and the other Unicode spaces
    text = CONTROLS.sub("", text)
    return SPACES.sub(" ", text.strip().strip("\ufeff").strip()).strip(" ")


class DocumentBuilder:
    """Accumulates paragraphs and table rows into ``text`` and ``blocks``."""

    def __init__(self, path: str, fmt: str) -> None:
        self.path = path
        self.format = fmt
        self._parts: list[str] = []
        self._blocks: list[Block] = []
        self._offset = 0

    def _append(self, text: str) -> tuple[int, int]:
        if self._parts:
            self._offset += 1  # the "\n" between blocks
        start = self._offset
        self._parts.append(text)
        self._offset += len(text)
        return start, self._offset

    def paragraph(self, raw: str, index: int, page: int | None = None) -> None:
        """Add a paragraph; internal line breaks make separate blocks, empty ones vanish."""
        for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            text = clean(line)
            if text:
                start, end = self._append(text)
                self._blocks.append(Block("paragraph", start, end, index, page))

    def table_row(
        self, cells: Sequence[str], table: int, row: int, index: int, page: int | None = None
    ) -> None:
        """Add a table row: cells joined by a tab, each cell's line breaks joined with nothing."""
        texts = ["".join(clean(part) for part in cell.splitlines()) for cell in cells]
        if not any(texts):
            return
        start, end = self._append("\t".join(texts))
        placed: list[Cell] = []
        at = start
        for col, text in enumerate(texts):
            placed.append(Cell(table, row, col, at, at + len(text)))
            at += len(text) + 1
        self._blocks.append(
            Block("table_row", start, end, index, page, table=table, row=row, cells=tuple(placed))
        )

    def build(self, metadata: Mapping[str, Any]) -> Document:
        return Document(
            path=self.path,
            format=self.format,
            text="\n".join(self._parts),
            blocks=tuple(self._blocks),
            metadata=dict(metadata),
        )
