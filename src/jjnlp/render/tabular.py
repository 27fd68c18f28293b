"""A batch review's findings as flat tables: JSON Lines for programs, CSV for spreadsheets.

Both carry the same columns, defined once in :data:`COLUMNS`: every field of a finding, one
finding a row, the round's findings first and then the baseline's vanished ones.
"""

from __future__ import annotations

import csv
import json
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


def rows(batch: Batch) -> list[dict[str, Any]]:
    """Every finding of the package as a plain dict in column order."""
    return [_row(f) for f in [*batch.findings(), *batch.absent]]


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


def write_jsonl(batch: Batch, path: Path) -> None:
    """One finding a line, UTF-8 JSON with Chinese kept as is."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for row in rows(batch):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(batch: Batch, path: Path) -> None:
    """A Chinese header row, then one finding a row; UTF-8 with BOM so Excel reads it."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([header for _, header in COLUMNS])
        for row in rows(batch):
            writer.writerow([_cell(key, row[key]) for key, _ in COLUMNS])
