"""``jjnlp entities FILE``: named entities (机构、地名、人名、职务、文件、术语、日期、金额)."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import add_document_arguments, run_per_document
from jjnlp.model import Analysis

LABELS_ZH = {
    "ORG": "机构",
    "LOC": "地名",
    "PER": "人名",
    "TITLE": "职务",
    "DOC": "文件",
    "TERM": "术语",
    "DATE": "日期",
    "MONEY": "金额",
}


add_arguments = add_document_arguments


def _table(path: str, analysis: Analysis) -> str:
    document = analysis.document
    lines = [f"文件：{path}（共{len(analysis.entities)}个实体）", "行\t类别\t\t实体"]
    for e in analysis.entities:
        label = f"{LABELS_ZH.get(e.label, e.label)}（{e.label}）"
        links = "；".join(
            f"{name}：{value}" for name, value in (("人员", e.person), ("单位", e.unit)) if value
        )
        line = f"{document.line_of(e.start)}\t{label}\t{e.text}"
        lines.append(f"{line}（{links}）" if links else line)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    return run_per_document(args, "entities", ("entities",), _table)
