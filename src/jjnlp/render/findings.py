"""Findings as a linter prints them (the JSON is :func:`jjnlp.render.json.file_payload`)."""

from __future__ import annotations

from collections import Counter

from jjnlp.model import Document, Finding

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def _sentence(document: Document, finding: Finding) -> str:
    """The paragraph around a finding with the offending text marked 【…】, trimmed to ~60 chars."""
    text = document.text
    start = text.rfind("\n", 0, finding.start) + 1
    end = text.find("\n", finding.end)
    end = len(text) if end < 0 else end
    left = text[max(start, finding.start - 30) : finding.start]
    right = text[finding.end : min(end, finding.end + 30)]
    return f"{left}【{text[finding.start : finding.end]}】{right}"


def render_text(document: Document, findings: list[Finding], coverage: dict[str, int]) -> str:
    lines = []
    for f in findings:
        where = f"{document.path}:{document.line_of(f.start)}"
        lines.append(f"{where}: {SEVERITY_ZH[f.severity]}[{f.rule}] {f.message}")
        lines.append(f"    {_sentence(document, f)}")
    counts = Counter(f.severity for f in findings)
    lines.append(
        f"{document.path}：共识别数字{coverage.get('figures_found', 0)}个，"
        f"已核对{coverage.get('figures_checked', 0)}个；"
        f"错误{counts['error']}条，警告{counts['warning']}条，提示{counts['info']}条"
    )
    return "\n".join(lines)
