"""The batch review as a workbook a reviewer edits (findings.xlsx), and the reviews read back.

Four sheets: 审核意见 (single-document findings), 跨文件意见 (cross-document findings),
指标 (every figure in long form) and 文件 (one row per input file). A finding row carries
its fingerprint and a 审核状态 drop-down; :func:`read_reviews` finds those columns by their
header text, so a reviewer may reorder, insert or delete other columns. Written with XlsxWriter
(here, or in a batch by a process of its own: :mod:`jjnlp.render.findings_process`), read back
with openpyxl.
"""

from __future__ import annotations

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


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _clean(text: str) -> str:
    """Text as a cell may hold it: no XML-illegal control characters, within Excel's limit."""
    if _ILLEGAL_CHARACTERS.search(text):  # rare: a search costs half a substitution
        text = _ILLEGAL_CHARACTERS.sub("", text)
    return text[:_CELL_LIMIT]


class _Digits(float):
    """A double that XlsxWriter writes as its decimal's own digits.

    XlsxWriter writes a number's ``<v>`` through ``"%.16G"``, which turns 82.6 into
    82.59999999999999; the decimal's digits are a valid ``<v>`` and every reader parses them
    to the double nearest to it, which prints back as the same digits.
    """

    __slots__ = ("digits",)
    digits: str

    def __new__(cls, value: Decimal) -> _Digits:
        number = super().__new__(cls, value)
        number.digits = format(value, "f")
        return number

    def __format__(self, spec: str) -> str:
        return self.digits


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


def _write_decimal(
    sheet: Worksheet, at: tuple[int, int], value: Decimal, formats: _Formats
) -> None:
    """An exact number cell, shown with the decimals the value has; text beyond 15 digits."""
    if not value.is_finite() or len(value.normalize().as_tuple().digits) > _EXACT_DIGITS:
        sheet.write_string(*at, format(value, "f"))
        return
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    sheet.write_number(*at, _Digits(value), formats.number(places))


def _write_number(sheet: Worksheet, at: tuple[int, int], value: Any, formats: _Formats) -> None:
    """A number cell (an exact one for a Decimal); texts are written by the caller."""
    if isinstance(value, Decimal):
        _write_decimal(sheet, at, value, formats)
    else:
        sheet.write_number(*at, value)


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


class _SharedStringSheet(Worksheet):
    """A worksheet written out row by row (XlsxWriter's constant_memory) whose texts are
    the workbook's shared strings, not written into each cell.

    XlsxWriter ties the two together: with constant_memory every text is written inline, so
    a sentence on each of its figures' rows, or a file name on all of its rows, is escaped,
    written and compressed again every time. Shared, the figures sheet of 1000 reports takes
    1.7 s and 2.3 MB instead of 3.3 s and 3.6 MB; what is held grows only with the distinct
    texts (at most the batch's own text). XlsxWriter has no option for it, so the method
    writing a cell is overridden for texts: the index comes from the workbook's table, as in
    XlsxWriter's default mode; every other cell, and the rows, are XlsxWriter's own. A text
    cell here always has its own format or none (no row or column formats are set).
    ``tests/test_batch_xlsx.py`` checks every text is shared, should XlsxWriter change.
    """

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        if type(cell).__name__ != "String":  # XlsxWriter's cell tuples are named by type
            super()._write_cell(row, col, cell)
            return
        index = self.str_table._get_shared_string_index(cell.string)
        style = f' s="{cell.format._get_xf_index()}"' if cell.format else ""
        self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}"{style} t="s"><v>{index}</v></c>')

    def flush(self) -> None:
        """Write the last row out now: the workbook lists its shared strings as it closes,
        before XlsxWriter itself would write that row."""
        self._write_single_row()


class _Sheet:
    """One sheet being written: its header, then rows as they come (in order: each row is
    written out as the next starts), then widths, frozen header, filter and the review
    drop-down over all of them."""

    def __init__(
        self, sheet: _SharedStringSheet, headers: tuple[str, ...], formats: _Formats
    ) -> None:
        self.sheet, self.headers, self.formats = sheet, headers, formats
        self.rows = 0
        # the header is bold and carries the filter button
        self.widths = [
            _NARROW_WIDTH if h in _NARROW else _display_width(h) + 4 for h in self.headers
        ]
        self._seen: list[set[str]] = [set() for _ in headers]
        for column, header in enumerate(headers):
            sheet.write_string(0, column, header, formats.header)

    def append(self, rows: Iterable[Row]) -> None:
        # the loop over every cell of the workbook (the figures sheet's are most of them):
        # what each column needs is looked up once, and texts, nearly all of the cells, go
        # straight to XlsxWriter, with no helper of ours in between
        write_string = self.sheet.write_string
        columns = [
            (column, header, self.formats.wrap if header in _WRAPPED else None)
            for column, header in enumerate(self.headers)
        ]
        widths = self.widths
        for row in rows:
            self.rows += 1
            at = self.rows
            for column, header, shape in columns:
                value = row.get(header)
                if value is None:
                    continue
                if isinstance(value, str):
                    text = _clean(value)
                    if not text:  # no cell for an empty text (XlsxWriter would write "")
                        continue
                    # write_string: a text that starts with "=" stays text, never a formula
                    write_string(at, column, text, shape)
                else:
                    _write_number(self.sheet, (at, column), value, self.formats)
                    text = _shown(value)
                # a text can widen its column only if twice its length (every character
                # a CJK one) is wider than the column already is
                if 2 * len(text) + 2 > widths[column]:
                    self._measure(column, text)

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
        self.sheet.flush()


class Book:
    """findings.xlsx being written: every sheet made at once, in order; rows appended to
    each in any order of sheets (the figures', known before the review, first), each row
    written out as the next one of its sheet starts (XlsxWriter's own temporary files)."""

    def __init__(self, path: Path | BinaryIO) -> None:
        # every cell is written with its type's own method: no text turns into a formula,
        # a number or a link
        options = {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        }
        self._workbook = Workbook(str(path) if isinstance(path, Path) else path, options)
        formats = _Formats(self._workbook)
        self._sheets = {
            name: _Sheet(
                self._workbook.add_worksheet(name, worksheet_class=_SharedStringSheet),
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
