"""A self-contained HTML page: the document with findings highlighted in place, and a summary."""

from __future__ import annotations

from collections import Counter
from html import escape

from jjnlp.model import Document, Finding
from jjnlp.render.findings import SEVERITY_ZH
from jjnlp.render.highlight import mark_findings

_STYLE = """
body{font-family:"Noto Serif CJK SC","Songti SC","SimSun",serif;margin:2em auto;max-width:52em;
line-height:1.9;color:#222}
h1{font-size:1.3em}h2{font-size:1.1em;margin-top:2em}
.summary{background:#f6f6f6;padding:.6em 1em;border-radius:4px}
p.para{text-indent:2em;margin:.3em 0}
mark.finding{border-radius:2px;padding:0 1px}
mark.error{background:#ffb3b3}mark.warning{background:#ffe08a}mark.info{background:#cfe3ff}
table{border-collapse:collapse;width:100%;font-size:.92em}
td,th{border:1px solid #ccc;padding:.3em .5em;vertical-align:top}
"""


def render_html(reports: list[tuple[Document, list[Finding], dict[str, int]]]) -> str:
    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>jjnlp 审校报告</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>jjnlp 审校报告</h1>",
    ]
    for document, findings, coverage in reports:
        counts = Counter(f.severity for f in findings)
        numbered = list(enumerate(findings, start=1))
        parts.append(f"<h2>{escape(document.path)}</h2>")
        parts.append(
            f'<p class="summary">共识别数字{coverage.get("figures_found", 0)}个，'
            f"已核对{coverage.get('figures_checked', 0)}个；"
            f"错误{counts['error']}条，警告{counts['warning']}条，提示{counts['info']}条。</p>"
        )
        text = document.text
        for block in document.blocks:
            inside = [(n, f) for n, f in numbered if block.start <= f.start < block.end]
            parts.append(
                f'<p class="para">{mark_findings(text, block.start, block.end, inside)}</p>'
            )
        if findings:
            parts.append(
                "<table><tr><th>#</th><th>级别</th><th>规则</th><th>行</th><th>意见</th></tr>"
            )
            for n, f in numbered:
                parts.append(
                    f'<tr><td><a href="#f{n}">{n}</a></td><td>{SEVERITY_ZH[f.severity]}</td>'
                    f"<td>{f.rule}</td><td>{document.line_of(f.start)}</td>"
                    f"<td>{escape(f.message)}</td></tr>"
                )
            parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
