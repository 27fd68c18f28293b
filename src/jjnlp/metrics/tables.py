"""Statistics tables read as grids: header rows and each column's header path, row labels,
the 合计 row, and which metric each cell holds.

A table's header is its leading rows with no numbers in them (at most three). A column's
path joins its header cells from the top (``立案（件）/其中：党纪``); a header cell left
empty by a merge across columns takes the text to its left when a lower header row names
a sub-column under it, so every column of a two-row merged header has its full path.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from jjnlp.model import Block, Document, StatTable, TableRow
from jjnlp.resources import load_toml

_NUMERIC = re.compile(
    r"^[0-9０-９][0-9０-９,.．]*\s*[%％]?$|^[0-9０-９][0-9０-９,.．]*[\u4e00-\u9fff]{1,2}$"
)
MAX_HEADER_ROWS = 3


@cache
def _config() -> dict[str, str]:
    config: dict[str, str] = load_toml("indicators.toml")["tables"]
    return config


def _cells(document: Document, block: Block) -> list[str]:
    return [document.text[c.start : c.end] for c in block.cells]


HEADER_CELL_MAX = 20  # a longer cell is running text, not a column name


def _numeric(cells: Sequence[str]) -> bool:
    """A row that is no header: a cell after the first holds a figure or running text."""
    from jjnlp.numbers import find_quantities

    def figured(cell: str) -> bool:  # 立案72件 is a figure; the unit 万元 of a header is none
        return any(any(ch.isdigit() for ch in q.text) for q in find_quantities(cell))

    return any(
        _NUMERIC.match(c.strip()) or len(c) > HEADER_CELL_MAX or figured(c) for c in cells[1:]
    )


def grids(document: Document) -> dict[int, list[Block]]:
    """The rows of each table, by table number; a table that a page break split (a PDF's
    rows of one grid on two pages: nothing between them, as many cells, no header of its
    own) is one grid with the table it continues."""
    tables: dict[int, list[Block]] = {}
    previous: Block | None = None
    for block in document.blocks:
        if block.kind == "table_row" and block.table is not None:
            number = block.table
            if (
                block.row == 0
                and previous is not None
                and previous.kind == "table_row"
                and previous.table is not None
                and previous.table in tables
                and len(previous.cells) == len(block.cells)
                and _numeric(_cells(document, block))
            ):
                number = _continued(tables, previous.table)
            tables.setdefault(number, []).append(block)
        previous = block
    return tables


def _continued(tables: dict[int, list[Block]], number: int) -> int:
    """The table number the rows of ``number`` were filed under (itself, or the grid it
    continues)."""
    for key, rows in tables.items():
        if any(b.table == number for b in rows):
            return key
    return number


def header_paths(rows: list[list[str]]) -> tuple[int, list[str]]:
    """How many leading rows are header rows, and each column's header path."""
    count = 0
    while count < min(MAX_HEADER_ROWS, len(rows) - 1) and not _numeric(rows[count]):
        count += 1
    width = max((len(r) for r in rows), default=0)
    paths = []
    for col in range(width):
        parts = []
        for r in range(count):
            cell = rows[r][col].strip() if col < len(rows[r]) else ""
            below = any(col < len(rows[k]) and rows[k][col].strip() for k in range(r + 1, count))
            if not cell and below:  # a merged group header spans this column
                left = next(
                    (rows[r][k].strip() for k in range(col - 1, -1, -1) if rows[r][k].strip()), ""
                )
                cell = left
            if cell:
                parts.append(cell)
        paths.append("/".join(parts))
    return count, paths


def is_total(label: str) -> bool:
    return re.fullmatch(_config()["total_row"], label.strip()) is not None


def is_part_column(path: str) -> bool:
    """其中：党纪 under 立案（件）: a column of parts of the column to its group's 合计."""
    return path.rsplit("/", 1)[-1].startswith(_config()["part_prefix"])


def is_total_column(path: str) -> bool:
    return "/" in path and re.fullmatch(_config()["total_row"], path.rsplit("/", 1)[-1]) is not None


def build_tables(document: Document, starts: dict[int, int]) -> list[StatTable]:
    """The document's statistics tables; ``starts`` maps a cell's start offset to the index
    of the metric read from it."""
    tables = []
    for number, blocks in grids(document).items():
        texts = [_cells(document, b) for b in blocks]
        count, paths = header_paths(texts)
        if not count:
            continue
        rows = []
        for block, cells in zip(blocks[count:], texts[count:], strict=True):
            label = cells[0].strip() if cells else ""
            indices = tuple(starts.get(cell.start) for cell in block.cells)
            rows.append(TableRow(block.row or 0, label, is_total(label), indices))
        tables.append(
            StatTable(number, blocks[0].start, blocks[-1].end, count, tuple(paths), tuple(rows))
        )
    return tables
