"""The batch review as a workbook a reviewer edits (findings.xlsx), and the reviews read back.

Four sheets: 审核意见 (single-document findings), 跨文件意见 (cross-document findings),
指标 (every figure in long form) and 文件 (one row per input file). A finding row carries
its fingerprint and a 审核状态 drop-down; :func:`read_reviews` finds those columns by their
header text, so a reviewer may reorder, insert or delete other columns. Written with XlsxWriter
(here, or in a batch by a process of its own: :mod:`jjnlp.render.findings_process`), read back
with openpyxl.
"""

from __future__ import annotations

import functools
import pickle
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from xlsxwriter import Workbook
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import Worksheet

from jjnlp.audit.registry import rule_title
from jjnlp.batch.model import KIND_ZH, REVIEW_STATES, STATUS_ZH, Batch, DocRecord, Finding, Identity
from jjnlp.errors import BatchInputError, cause_of
from jjnlp.numbers.quantity import unit_factor
from jjnlp.output import write_atomic
from jjnlp.render.findings import SEVERITY_ZH

DOCUMENT_SHEET = "审核意见"
CROSS_SHEET = "跨文件意见"
FIGURE_SHEET = "指标"
FILE_SHEET = "文件"
FINGERPRINT = "指纹"
REVIEW = "审核状态"
NOTE = "审核说明"

_FINDING = "页码 段落 所在句 原文 规则 级别 意见 文中值 应为 变化"
_REVIEWED = f"{FINGERPRINT} {REVIEW} {NOTE}"
# every sheet's columns, in order; rows are dicts keyed by these headers
SHEETS: dict[str, tuple[str, ...]] = {
    name: tuple(headers.split())
    for name, headers in {
        DOCUMENT_SHEET: f"序号 文件 单位 期间 {_FINDING} {_REVIEWED}",
        CROSS_SHEET: f"序号 文件 单位 期间 相关文件 指标 {_FINDING} {_REVIEWED}",
        FIGURE_SHEET: "单位 期间 指标 数值 计量单位 原文 范围 来源文件 所在句",
        FILE_SHEET: "文件 单位 级别 上级 期间 类型 识别数字 已核对 错误 警告 处理结果",
    }.items()
}
_WRAPPED = frozenset({"所在句", "意见"})
_NARROW = frozenset({FINGERPRINT})

_MAX_WIDTH = 60
_NARROW_WIDTH = 12
_SPARE_ROWS = 200  # empty rows below the findings that keep the drop-down, for added rows
_EXACT_DIGITS = 15  # a double holds any decimal of up to 15 significant digits exactly
_CELL_LIMIT = 32767  # characters an Excel cell holds

_CHARACTER_PIXELS = 7  # a column width unit: a digit of the default font, Calibri 11
# the characters XML 1.0 does not allow (tab, line feed and carriage return it does)
_ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

_HEADER = {"bold": True, "pattern": 1, "bg_color": "#D9E1F2"}  # pattern 1: a solid fill
_WRAP = {"text_wrap": True, "valign": "top"}

Row = dict[str, Any]


# --------------------------------------------------------------------------- rows


def finding_rows(
    findings: Iterable[Finding], identities: Mapping[str, Identity], first: int = 1
) -> list[Row]:
    """One row per finding, numbered from ``first``; unit and period come from its document."""
    rows = []
    for number, f in enumerate(findings, start=first):
        identity = identities.get(f.file, Identity())
        rows.append(
            {
                "序号": number,
                "文件": f.file,
                "单位": identity.unit,
                "期间": identity.period,
                "相关文件": "、".join(f.other_files),
                "指标": f.indicator,
                "页码": f.page,
                "段落": f.paragraph or None,  # 0: a finding on the whole document
                "所在句": f.sentence,
                "原文": f.text,
                "规则": rule_title(f.rule),
                "级别": SEVERITY_ZH.get(f.severity, f.severity),
                "意见": f.message,
                "文中值": f.stated,
                "应为": f.expected,
                "变化": STATUS_ZH[f.status],
                FINGERPRINT: f.fingerprint,
                REVIEW: f.review,
                NOTE: f.note,
            }
        )
    return rows


def figure_rows(documents: Iterable[DocRecord]) -> Iterator[Row]:
    """Every figure of every document, its value in the unit it was stated in (1872.6 万元).
    What the review does leaves them as they are (it changes findings and parents only)."""
    for document in documents:
        identity = document.identity
        for figure in document.figures:
            yield {
                "单位": identity.unit,
                "期间": figure.period or identity.period,
                "指标": figure.indicator,
                "数值": figure.value / unit_factor(figure.stated_unit),
                "计量单位": figure.stated_unit,
                "原文": figure.text,
                "范围": figure.scope,
                "来源文件": document.file,
                "所在句": figure.sentence,
            }


def pickled_figure_rows(document: DocRecord) -> bytes:
    """A document's :func:`figure_rows` as the process writing findings.xlsx receives them
    (made by the batch worker that analysed it, or by the batch when it had none)."""
    return pickle.dumps(list(figure_rows([document])), protocol=pickle.HIGHEST_PROTOCOL)


def _file_rows(batch: Batch) -> Iterator[Row]:
    """One row per document (what was found in it, or why it failed), then the skipped files."""
    counts = Counter((f.file, f.severity) for f in batch.findings())
    for document in batch.documents:
        identity = document.identity
        row: Row = {
            "文件": document.file,
            "单位": identity.unit,
            "级别": identity.level,
            "上级": identity.parent,
            "期间": identity.period,
            "类型": KIND_ZH[identity.kind],
        }
        if document.error is not None:
            error = document.error
            row["处理结果"] = f"失败（{error.get('code', '')}）：{error.get('message', '')}"
        else:
            row["识别数字"] = document.coverage.get("figures_found", 0)
            row["已核对"] = document.coverage.get("figures_checked", 0)
            row["错误"] = counts[document.file, "error"]
            row["警告"] = counts[document.file, "warning"]
            row["处理结果"] = "完成"
        yield row
    for file, reason in batch.skipped:
        yield {"文件": file, "处理结果": f"跳过：{reason}"}


def reviewed_tables(batch: Batch, *, documents_written: bool = False) -> dict[str, list[Row]]:
    """The rows of every sheet but the figures'. Findings gone since the baseline are
    listed last, as 已消失. ``documents_written``: the documents' own findings are in the
    sheet already (written as each document was reviewed): only the gone ones follow them."""
    identities = {d.file: d.identity for d in batch.documents}
    single = [f for d in batch.documents for f in d.findings]
    gone = [f for f in batch.absent if f.scope == "document"]
    cross = list(batch.cross) + [f for f in batch.absent if f.scope == "cross"]
    return {
        DOCUMENT_SHEET: (
            finding_rows(gone, identities, len(single) + 1)
            if documents_written
            else finding_rows(single + gone, identities)
        ),
        CROSS_SHEET: finding_rows(cross, identities),
        FILE_SHEET: list(_file_rows(batch)),
    }


# --------------------------------------------------------------------------- cells


@cache
def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _display_width(text: str) -> int:
    """Columns the longest line of ``text`` takes, up to the widest column: a CJK character
    counts two (a line's first _MAX_WIDTH characters already fill the widest column)."""
    return max(
        (
            len(line) if line.isascii() else sum(_char_width(c) for c in line)
            for line in (line[:_MAX_WIDTH] for line in text.splitlines())
        ),
        default=0,
    )


def _clean(text: str) -> str:
    """Text as a cell may hold it: no XML-illegal control characters, within Excel's limit."""
    if _ILLEGAL_CHARACTERS.search(text):  # rare: a search costs half a substitution
        text = _ILLEGAL_CHARACTERS.sub("", text)
    return text[:_CELL_LIMIT]


class _Formats:
    """The workbook's cell formats (XlsxWriter makes each through the workbook it is for)."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self.header = workbook.add_format(_HEADER)
        self.wrap = workbook.add_format(_WRAP)
        self._numbers: dict[int, Format] = {}

    def number(self, places: int) -> Format:
        """The format that shows ``places`` decimals ("0", "0.0" …), as the value was stated."""
        if places not in self._numbers:
            shown = "0." + "0" * places if places else "0"
            self._numbers[places] = self._workbook.add_format({"num_format": shown})
        return self._numbers[places]


# a cell as it is written: its column, "s" (a text) or "n" (a number's digits), the text
# or digits, and its format (None: the default)
_Cell = tuple[int, str, str, Format | None]


def _number_cell(column: int, value: Any, formats: _Formats) -> _Cell:
    """An exact number cell: a decimal's own digits, shown with the decimals it has (text
    beyond 15 significant digits, which a double would not keep); another number as
    XlsxWriter writes it."""
    if not isinstance(value, Decimal):
        return column, "n", f"{value:.16G}", None
    digits = format(value, "f")
    if not value.is_finite() or len(value.normalize().as_tuple().digits) > _EXACT_DIGITS:
        return column, "s", digits, None
    # XlsxWriter writes a number's <v> through "%.16G", which turns 82.6 into
    # 82.59999999999999; the decimal's digits are a valid <v> that every reader parses to
    # the double nearest to it, which prints back as the same digits
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return column, "n", digits, formats.number(places)


def _review_validation() -> dict[str, Any]:
    """The 审核状态 drop-down: one of the states, or blank."""
    choices = "、".join(REVIEW_STATES)
    return {
        "validate": "list",
        "source": list(REVIEW_STATES),
        "ignore_blank": True,
        "show_error": True,
        "error_title": REVIEW,
        "error_message": f"请从下拉列表中选择：{choices}",
        "show_input": True,
        "input_title": REVIEW,
        "input_message": choices,
    }


# --------------------------------------------------------------------------- sheets


class _RowSheet(Worksheet):
    """A worksheet written a whole row at a time (:meth:`write_cells`), each row written out
    at once (XlsxWriter's constant_memory), its texts the workbook's shared strings.

    Why not XlsxWriter's own cell methods: with constant_memory it writes every text inline,
    so a sentence on each of its figures' rows, or a file name on all of its rows, is
    escaped, written and compressed again every time; and its Python for each cell (checks,
    a cell tuple stored, then written with its attributes escaped) was most of the time a
    batch of 1000 reports spent on the workbook, for the half million cells of its figures
    sheet. Here a row's cells are given at once, already typed and formatted, and written as
    one string: a text as the index XlsxWriter's shared-string table gives it (as in its
    default mode), a number as its digits, nothing left to escape. XlsxWriter still keeps the
    sheet's dimensions, writes everything around the rows and packs the file.
    ``tests/test_batch_xlsx.py`` checks the cells, that every text is shared and that
    LibreOffice reads the workbook, should XlsxWriter's internals change.
    """

    def write_cells(self, row: int, cells: list[_Cell]) -> None:
        """Row ``row``'s cells, in column order, below every row written before."""
        if not cells:
            return
        if self._check_dimensions(row, cells[0][0]) or self._check_dimensions(row, cells[-1][0]):
            raise ValueError(f"row {row} is out of the sheet or above one written")
        self._write_single_row(row)  # XlsxWriter holds no cell: it only notes the row
        shared = self.str_table._get_shared_string_index
        xml = [f'<row r="{row + 1}">']
        for column, kind, text, shape in cells:
            style = f' s="{shape._get_xf_index()}"' if shape else ""
            at = xl_rowcol_to_cell_fast(row, column)
            if kind == "s":
                xml.append(f'<c r="{at}"{style} t="s"><v>{shared(text)}</v></c>')
            else:
                xml.append(f'<c r="{at}"{style}><v>{text}</v></c>')
        xml.append("</row>")
        self.fh.write("".join(xml))


class _Sheet:
    """One sheet being written: its header, then rows as they come (in order: each row is
    written out as it is appended), then widths, frozen header, filter and the review
    drop-down over all of them."""

    def __init__(self, sheet: _RowSheet, headers: tuple[str, ...], formats: _Formats) -> None:
        self.sheet, self.headers, self.formats = sheet, headers, formats
        self.rows = 0
        # the header is bold and carries the filter button
        self.widths = [
            _NARROW_WIDTH if h in _NARROW else _display_width(h) + 4 for h in self.headers
        ]
        self._seen: list[set[str]] = [set() for _ in headers]
        sheet.write_cells(0, [(c, "s", h, formats.header) for c, h in enumerate(headers)])

    def append(self, rows: Iterable[Row]) -> None:
        # the loop over every cell of the workbook (the figures sheet's are most of them):
        # what each column needs is looked up once
        columns = [
            (column, header, self.formats.wrap if header in _WRAPPED else None)
            for column, header in enumerate(self.headers)
        ]
        widths, formats = self.widths, self.formats
        for row in rows:
            self.rows += 1
            cells: list[_Cell] = []
            for column, header, shape in columns:
                value = row.get(header)
                if value is None:
                    continue
                if isinstance(value, str):
                    text = _clean(value)
                    if not text:  # no cell for an empty text
                        continue
                    # always a text cell: one that starts with "=" is never a formula
                    cells.append((column, "s", text, shape))
                else:
                    cell = _number_cell(column, value, formats)
                    cells.append(cell)
                    text = cell[2]
                # a text can widen its column only if twice its length (every character
                # a CJK one) is wider than the column already is
                if 2 * len(text) + 2 > widths[column]:
                    self._measure(column, text)
            self.sheet.write_cells(self.rows, cells)

    def _measure(self, column: int, text: str) -> None:
        # each text once (a file name is on every one of its figures' rows), and no further
        # once one of them fills the widest column (a column of long sentences)
        if self.widths[column] >= _MAX_WIDTH or self.headers[column] in _NARROW:
            return
        if text not in self._seen[column]:
            self._seen[column].add(text)
            self.widths[column] = max(self.widths[column], _display_width(text) + 2)

    def end(self) -> None:
        for column, width in enumerate(self.widths):
            # in the file's own unit (characters of the default font), as Excel states it:
            # set_column would add Excel's cell padding to it
            pixels = round(min(width, _MAX_WIDTH) * _CHARACTER_PIXELS)
            self.sheet.set_column_pixels(column, column, pixels)
        self.sheet.freeze_panes(1, 0)
        self.sheet.autofilter(0, 0, self.rows, len(self.headers) - 1)
        if REVIEW in self.headers:
            column = self.headers.index(REVIEW)
            # over the data rows and the spare rows below them, for rows a reviewer adds
            last = self.rows + _SPARE_ROWS
            self.sheet.data_validation(1, column, last, column, _review_validation())


class _Workbook(Workbook):
    """XlsxWriter's workbook, packed at zlib's fastest level.

    XlsxWriter opens its zip file at zlib's default level (6) and has no option for
    another. For 1000 reports the figures sheet is 16 MB of XML: at level 6 its compression
    took 0.35 s of the 0.45 s a batch waits for the workbook after its last report; level 1
    takes 0.08 s, for a file a quarter larger (2.3 → 2.9 MB). So while the workbook is
    stored, the ``ZipFile`` XlsxWriter's module opens is given ``compresslevel=1``."""

    def _store_workbook(self) -> None:
        import xlsxwriter.workbook as module

        opened = module.ZipFile
        module.ZipFile = functools.partial(opened, compresslevel=1)
        try:
            super()._store_workbook()
        finally:
            module.ZipFile = opened


class Book:
    """findings.xlsx being written: every sheet made at once, in order; rows appended to
    each in any order of sheets (the figures', known before the review, first), each row
    written out as it comes (XlsxWriter's own temporary files)."""

    def __init__(self, path: Path | BinaryIO) -> None:
        options = {"constant_memory": True}
        self._workbook = _Workbook(str(path) if isinstance(path, Path) else path, options)
        formats = _Formats(self._workbook)
        self._sheets = {
            name: _Sheet(
                self._workbook.add_worksheet(name, worksheet_class=_RowSheet),
                headers,
                formats,
            )
            for name, headers in SHEETS.items()
        }

    def append(self, name: str, rows: Iterable[Row]) -> None:
        self._sheets[name].append(rows)

    def close(self) -> None:
        """Finish every sheet and write the file; an OSError when it cannot be written."""
        for sheet in self._sheets.values():
            sheet.end()
        try:
            self._workbook.close()
        except FileCreateError as exc:  # XlsxWriter's wrapper of the OSError of writing it
            raise exc.args[0] from None


def write_xlsx(batch: Batch, path: Path) -> None:
    """Write the batch review to ``path`` as findings.xlsx (replaced whole, or left as it was)."""
    tables = {FIGURE_SHEET: list(figure_rows(batch.documents)), **reviewed_tables(batch)}

    def write(temporary: Path) -> None:
        book = Book(temporary)
        for name, rows in tables.items():
            book.append(name, rows)
        book.close()

    write_atomic(path, write)


# --------------------------------------------------------------------------- reading back


def _sheet_reviews(sheet: Any, path: Path) -> Iterator[tuple[str, tuple[str, str]]]:
    """(fingerprint, (state, note)) of every row with a fingerprint, columns found by header."""
    # openpyxl's own files state no dimension; without this it reads the sheet twice for one
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, ())
    where = {str(h).strip(): i for i, h in enumerate(header) if h is not None}
    if FINGERPRINT not in where or REVIEW not in where:
        raise BatchInputError(str(path), f"工作表“{sheet.title}”缺少“{FINGERPRINT}”或“{REVIEW}”列")

    def value(row: tuple[Any, ...], name: str) -> str:
        at = where.get(name)
        cell = row[at] if at is not None and at < len(row) else None
        return "" if cell is None else str(cell).strip()

    for row in rows:
        fingerprint = value(row, FINGERPRINT)
        if fingerprint:
            state = value(row, REVIEW)
            yield (
                fingerprint,
                (state if state in REVIEW_STATES else REVIEW_STATES[0], value(row, NOTE)),
            )


def read_reviews(path: Path) -> dict[str, tuple[str, str]]:
    """fingerprint → (审核状态, 审核说明) from a reviewed findings.xlsx, both finding sheets.

    A state that is not one of 待核、确认、驳回 reads as 待核; rows without a fingerprint (a
    reviewer's own notes) are skipped. Raises :class:`BatchInputError` naming the file when it is
    not an xlsx workbook or has neither finding sheet.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if not Path(path).is_file():
        raise BatchInputError(str(path), "文件不存在")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise BatchInputError(str(path), f"无法作为 xlsx 工作簿打开（{cause_of(exc)}）") from exc
    try:
        names = [n for n in (DOCUMENT_SHEET, CROSS_SHEET) if n in workbook.sheetnames]
        if not names:
            raise BatchInputError(
                str(path),
                f"没有“{DOCUMENT_SHEET}”或“{CROSS_SHEET}”工作表，不是 jjnlp 写出的审核意见表",
            )
        reviews: dict[str, tuple[str, str]] = {}
        for name in names:
            reviews.update(_sheet_reviews(workbook[name], path))
        return reviews
    finally:
        workbook.close()
