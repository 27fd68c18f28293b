"""The batch review as a workbook a reviewer edits (findings.xlsx), and the reviews read back.

Four sheets: 审核意见 (single-document findings), 跨文件意见 (cross-document findings),
指标 (every figure in long form) and 文件 (one row per input file). A finding row carries
its fingerprint and a 审核状态 drop-down; :func:`read_reviews` finds those columns by their
header text, so a reviewer may reorder, insert or delete other columns.
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from jjnlp.audit.registry import rule_title
from jjnlp.batch.model import KIND_ZH, REVIEW_STATES, STATUS_ZH, Batch, Finding, Identity
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

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill(fill_type="solid", fgColor="D9E1F2")
_WRAP = Alignment(wrap_text=True, vertical="top")

Row = dict[str, Any]


# --------------------------------------------------------------------------- rows


def _finding_rows(findings: Iterable[Finding], identities: dict[str, Identity]) -> list[Row]:
    """One row per finding, numbered from 1; unit and period come from its document."""
    rows = []
    for number, f in enumerate(findings, start=1):
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


def _figure_rows(batch: Batch) -> Iterator[Row]:
    """Every figure of every document, its value in the unit it was stated in (1872.6 万元)."""
    for document in batch.documents:
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


def _tables(batch: Batch) -> dict[str, list[Row]]:
    """Each sheet's rows. Findings gone since the baseline are listed last, as 已消失."""
    identities = {d.file: d.identity for d in batch.documents}
    single = [f for d in batch.documents for f in d.findings]
    single += [f for f in batch.absent if f.scope == "document"]
    cross = list(batch.cross) + [f for f in batch.absent if f.scope == "cross"]
    return {
        DOCUMENT_SHEET: _finding_rows(single, identities),
        CROSS_SHEET: _finding_rows(cross, identities),
        FIGURE_SHEET: list(_figure_rows(batch)),
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


def _column_width(header: str, values: Iterable[Any]) -> float:
    if header in _NARROW:
        return _NARROW_WIDTH
    widest = max((_display_width(_shown(v)) for v in values), default=0)
    # the header is bold and carries the filter button
    return min(max(widest + 2, _display_width(header) + 4), _MAX_WIDTH)


def _clean(text: str) -> str:
    """Text as a cell may hold it: no XML-illegal control characters, within Excel's limit."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:_CELL_LIMIT]


def _number_cell(sheet: Any, value: Decimal) -> Any:
    """An exact number cell, shown with the decimals the value has; text beyond 15 digits.

    openpyxl writes numbers through ``"%.16g"``, which turns 82.6 into 82.59999999999999;
    the decimal's own digits are a valid ``<v>`` and every reader parses them to the double
    nearest to it, which prints back as the same digits.
    """
    if not value.is_finite() or len(value.normalize().as_tuple().digits) > _EXACT_DIGITS:
        return format(value, "f")
    cell = WriteOnlyCell(sheet, value=format(value, "f"))
    cell.data_type = "n"
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    cell.number_format = "0." + "0" * places if places else "0"
    return cell


def _cell(sheet: Any, header: str, value: Any) -> Any:
    if isinstance(value, Decimal):
        return _number_cell(sheet, value)
    if not isinstance(value, str):
        return value
    text = _clean(value)
    if header not in _WRAPPED and not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # a text that starts with "=" stays text, never a formula
    if header in _WRAPPED:
        cell.alignment = _WRAP
    return cell


def _header_cell(sheet: Any, header: str) -> Any:
    cell = WriteOnlyCell(sheet, value=header)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    return cell


def _review_validation(column: str, rows: int) -> DataValidation:
    """The 审核状态 drop-down over the data rows and the spare rows below them."""
    choices = "、".join(REVIEW_STATES)
    validation = DataValidation(
        type="list",
        formula1=f'"{",".join(REVIEW_STATES)}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=REVIEW,
        error=f"请从下拉列表中选择：{choices}",
        showInputMessage=True,
        promptTitle=REVIEW,
        prompt=choices,
    )
    validation.add(f"{column}2:{column}{rows + 1 + _SPARE_ROWS}")
    return validation


# --------------------------------------------------------------------------- sheets


def _write_sheet(sheet: Any, headers: tuple[str, ...], rows: list[Row]) -> None:
    """Header, rows, column widths, frozen header, filter, and the review drop-down."""
    # a write-only sheet takes its columns, panes and filter before the first row
    for index, header in enumerate(headers, start=1):
        width = _column_width(header, (row.get(header) for row in rows))
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    if REVIEW in headers:
        column = get_column_letter(headers.index(REVIEW) + 1)
        sheet.data_validations.append(_review_validation(column, len(rows)))
    sheet.append([_header_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append([_cell(sheet, h, row.get(h)) for h in headers])


def write_xlsx(batch: Batch, path: Path) -> None:
    """Write the batch review to ``path`` as findings.xlsx (replaced whole, or left as it was)."""
    workbook = Workbook(write_only=True)
    for name, rows in _tables(batch).items():
        _write_sheet(workbook.create_sheet(name), SHEETS[name], rows)
    write_atomic(path, workbook.save)


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
