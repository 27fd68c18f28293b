"""``jjnlp metrics FILE``: every figure with what it counts, its period and scope."""

from __future__ import annotations

import argparse

from jjnlp.cli.common import add_document_arguments, run_per_document
from jjnlp.model import Analysis, Metric

COLUMNS = ("行", "指标", "数值", "单位", "约数", "期间", "范围", "原文", "关系（分母及其依据）")
WHOLE_BY = {
    "named": "文中指明",
    "qizhong": "所属总数",
    "stated_method": "文中所述方法",
    "default": "默认分母",
}
APPROX = {
    "more_than": "余/超过",
    "less_than": "近/不到",
    "about": "约",
    "at_least": "以上",
    "at_most": "以下",
}


add_arguments = add_document_arguments


def _relations(analysis: Analysis, metric: Metric) -> str:
    """占比38.4% → 33人÷86人（所属总数）; 结案率93.4% → 1013件÷(117件＋968件)（文中所述方法）."""
    texts = analysis.metrics
    parts = [
        texts[r.target].text for r in metric.relations if r.kind == "rate_of" and not r.whole_by
    ]
    wholes = [r for r in metric.relations if r.whole_by]
    if wholes:
        whole = "＋".join(texts[r.target].text for r in wholes)
        whole = f"({whole})" if len(wholes) > 1 else whole
        return f"{'、'.join(parts) or '?'}÷{whole}（{WHOLE_BY[wholes[0].whole_by or '']}）"
    others = [f"{r.kind}→{texts[r.target].text}" for r in metric.relations]
    return "；".join(others)


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
            _relations(analysis, m),
        )
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    return run_per_document(args, "metrics", ("metrics",), _table)
