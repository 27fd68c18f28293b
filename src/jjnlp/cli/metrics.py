"""``jjnlp metrics FILE``: every figure with what it counts, its period and scope."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import add_document_arguments, run_per_document
from jjnlp.model import Analysis

COLUMNS = ("行", "指标", "数值", "单位", "约数", "期间", "范围", "原文")
APPROX = {
    "more_than": "余/超过",
    "less_than": "近/不到",
    "about": "约",
    "at_least": "以上",
    "at_most": "以下",
}


add_arguments = add_document_arguments


def _table(path: str, analysis: Analysis) -> str:
    document = analysis.document
    lines = [f"文件：{path}（共{len(analysis.metrics)}个数字）", "\t".join(COLUMNS)]
    for m in analysis.metrics:
        value = format(m.value, "f")  # 35000.0 keeps the decimal 3.5万元 was stated with
        row = (
            str(document.line_of(m.start)),
            m.indicator,
            value,
            m.unit,
            APPROX.get(m.approx or "", ""),
            m.period.text if m.period else "",
            m.scope or "",
            m.text,
        )
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    return run_per_document(args, "metrics", ("metrics",), _table)
