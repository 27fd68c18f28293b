"""A batch review's findings as flat tables: JSON Lines for programs, CSV for spreadsheets.

Both carry the same columns, defined once in :data:`COLUMNS`: every field of a finding, one
finding a row, the round's findings first and then the baseline's vanished ones. Made
finding by finding (:class:`FindingTables`), so a batch writes them as its documents are
reviewed, not all after the last one.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jjnlp.batch.model import STATUS_ZH, Batch, Finding, to_plain
from jjnlp.render.findings import SEVERITY_ZH

# field of Finding → header of the CSV column
COLUMNS: tuple[tuple[str, str], ...] = (
    ("file", "文件"),
    ("rule", "规则"),
    ("severity", "级别"),
    ("message", "意见"),
    ("text", "原文"),
    ("sentence", "所在句"),
    ("start", "起始位置"),
    ("end", "结束位置"),
    ("line", "行"),
    ("page", "页"),
    ("paragraph", "段"),
    ("stated", "所述值"),
    ("expected", "应为"),
    ("fingerprint", "指纹"),
    ("scope", "范围"),
    ("indicator", "指标"),
    ("other_files", "相关文件"),
    ("status", "状态"),
    ("review", "审核状态"),
    ("note", "审核说明"),
)
SCOPE_ZH = {"document": "单文件", "cross": "跨文件"}
# codes a reader of the spreadsheet sees in Chinese (the JSON Lines keep the codes)
_CELL_ZH: dict[str, dict[str, str]] = {
    "severity": SEVERITY_ZH,
    "scope": SCOPE_ZH,
    "status": STATUS_ZH,
}
LIST_SEPARATOR = "；"


def _row(finding: Finding) -> dict[str, Any]:
    return {key: to_plain(getattr(finding, key)) for key, _ in COLUMNS}


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if key in _CELL_ZH:
        return _CELL_ZH[key].get(value, value)
    return str(value)


class FindingTables:
    """findings.jsonl and findings.csv made finding by finding, in the order reported (a
    batch's documents' in input order, then the cross-document ones, then the vanished)."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._csv = io.StringIO()
        self._writer = csv.writer(self._csv)
        self._writer.writerow([header for _, header in COLUMNS])

    def add(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            row = _row(finding)
            self._lines.append(json.dumps(row, ensure_ascii=False) + "\n")
            self._writer.writerow([_cell(key, row[key]) for key, _ in COLUMNS])

    def write_jsonl(self, path: Path) -> None:
        """One finding a line, UTF-8 JSON with Chinese kept as is."""
        path.write_text("".join(self._lines), encoding="utf-8", newline="\n")

    def write_csv(self, path: Path) -> None:
        """A Chinese header row, then one finding a row; UTF-8 with BOM so Excel reads it."""
        path.write_text(self._csv.getvalue(), encoding="utf-8-sig", newline="")


def finding_tables(batch: Batch) -> FindingTables:
    """Every finding of the package, in order."""
    tables = FindingTables()
    tables.add([*batch.findings(), *batch.absent])
    return tables
